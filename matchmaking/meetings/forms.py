"""Forms of the meeting pages. They only parse and validate input; the services decide (and refuse with a
translated MeetingError, which the views add to the form as a non-field error)."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.enums import OrganisationKind
from accounts.models import Organisation
from core.params import BoundedDateField, CheckedModelMultipleChoiceField, validate_date_in_range
from matchmaking.meetings.enums import InvitationStatus, MeetingKind, RequestPriority
from matchmaking.meetings.slots import TOKYO, meeting_slots, parse_breaks, parse_clock
from matchmaking.models import Appointment, Invitation, JointMeeting, MeetingRoom, MeetingUnit

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MeetingForm(forms.Form):
    """A meeting's details. Days are typed one a line as "YYYY-MM-DD HH:MM-HH:MM", rooms one name a line."""

    number = forms.IntegerField(
        label=_("Meeting number"), min_value=1, max_value=2**31 - 1, help_text=_("The N of “the Nth meeting”.")
    )  # the column's range
    title = forms.CharField(label=_("Title (Japanese)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    days = forms.CharField(
        label=_("Days and opening hours"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One day a line, Japan time, e.g. 2026-12-01 10:00-17:00."),
    )
    slot_minutes = forms.IntegerField(label=_("Slot length (minutes)"), min_value=5, max_value=240, initial=30)
    breaks = forms.CharField(
        label=_("Breaks"), required=False, help_text=_("Every day, e.g. 12:00-13:00, 15:00-15:15.")
    )
    rooms = forms.CharField(
        label=_("Rooms or tables"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One name a line."),
    )
    units = CheckedModelMultipleChoiceField(
        label=_("Attending units"),
        queryset=Organisation.objects.filter(kind__in=[OrganisationKind.MOD_UNIT, OrganisationKind.ATLA]).order_by(
            "name"
        ),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    venue = forms.CharField(label=_("Venue"), max_length=300, required=False)
    online_url = forms.URLField(label=_("Online link"), max_length=500, required=False, assume_scheme="https")
    reply_by = BoundedDateField(label=_("Reply by"), required=False, widget=DATE_INPUT)
    notes = forms.CharField(label=_("Notes"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, meeting: JointMeeting | None = None, **kwargs):
        if meeting is not None:
            kwargs.setdefault("initial", initial_for(meeting))
        super().__init__(*args, **kwargs)
        if meeting is not None:
            self.fields["number"].disabled = True  # a meeting's number does not change

    def clean_days(self) -> list[tuple]:
        days = []
        for number, line in enumerate(self.cleaned_data["days"].splitlines(), start=1):
            if not line.strip():
                continue
            try:
                day_text, hours = line.split(maxsplit=1)
                opens_text, closes_text = hours.replace("–", "-").replace("〜", "-").split("-")
                day = date.fromisoformat(day_text.strip())
                opens, closes = parse_clock(opens_text), parse_clock(closes_text)
            except ValueError:
                raise forms.ValidationError(
                    _("Line %(line)s is not a day like 2026-12-01 10:00-17:00."), params={"line": number}
                ) from None
            try:
                validate_date_in_range(day)
            except forms.ValidationError as error:
                raise forms.ValidationError(
                    _("Line %(line)s: %(error)s"), params={"line": number, "error": error.messages[0]}
                ) from None
            if closes <= opens:
                raise forms.ValidationError(
                    _("Line %(line)s: the closing time must be after the opening time."), params={"line": number}
                )
            days.append((day, opens, closes))
        if not days:
            raise forms.ValidationError(_("Give at least one day."))
        return days

    def clean_breaks(self) -> str:
        text = self.cleaned_data["breaks"]
        try:
            parse_breaks(text)
        except ValueError:
            raise forms.ValidationError(_("Breaks are written as 12:00-13:00, separated by commas.")) from None
        return text

    def clean_rooms(self) -> list[str]:
        names = [line.strip() for line in self.cleaned_data["rooms"].splitlines() if line.strip()]
        if not names:
            raise forms.ValidationError(_("Give at least one room or table."))
        if len(set(names)) != len(names):
            raise forms.ValidationError(_("Each room or table needs its own name."))
        return names


def initial_for(meeting: JointMeeting) -> dict:
    days = "\n".join(f"{d.date:%Y-%m-%d} {d.opens_at:%H:%M}-{d.closes_at:%H:%M}" for d in meeting.days.all())
    return {
        "number": meeting.number,
        "title": meeting.title,
        "title_en": meeting.title_en,
        "kind": meeting.kind,
        "days": days,
        "slot_minutes": meeting.slot_minutes,
        "breaks": ", ".join(f"{b['start']}-{b['end']}" for b in meeting.breaks or []),
        "rooms": "\n".join(room.name for room in meeting.rooms.all()),
        "units": [mu.unit_id for mu in meeting.units.all()],
        "venue": meeting.venue,
        "online_url": meeting.online_url,
        "reply_by": meeting.reply_by,
        "notes": meeting.notes,
    }


class InviteForm(forms.Form):
    """Startups chosen among the candidates (startup sessions) or VC organisations (VC sessions)."""

    chosen = forms.MultipleChoiceField(label=_("Invite"), widget=forms.CheckboxSelectMultiple)
    reply_by = BoundedDateField(label=_("Reply by"), required=False, widget=DATE_INPUT)
    message = forms.CharField(
        label=_("Message to the invitees"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, choices: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chosen"].choices = [(str(pk), label) for pk, label in choices]
        self.fields["chosen"].error_messages["required"] = _("Choose at least one invitee.")


class AvailabilityForm(forms.Form):
    """The slots a participant can make, one checkbox a slot (checked: available)."""

    available = forms.MultipleChoiceField(label=_("Available slots"), required=False)

    def __init__(self, *args, meeting: JointMeeting, unavailable: list[str], **kwargs):
        self.slots = meeting_slots(meeting)
        keys = [slot.key for slot in self.slots]
        kwargs.setdefault("initial", {"available": [k for k in keys if k not in set(unavailable)]})
        super().__init__(*args, **kwargs)
        self.fields["available"].choices = [(k, k) for k in keys]

    def unavailable(self) -> list[str]:
        chosen = set(self.cleaned_data["available"])
        return [slot.key for slot in self.slots if slot.key not in chosen]

    def grid(self) -> list[tuple[date, list]]:
        """[(day, [(slot, checked)])] for the template's checkbox grid."""
        chosen = set(self["available"].value() or [])
        days: dict[date, list] = {}
        for slot in self.slots:
            days.setdefault(slot.day, []).append((slot, slot.key in chosen))
        return list(days.items())


class RequestForm(forms.Form):
    """A unit's request to meet an invitee (or the admin's on its behalf)."""

    invitation = forms.ModelChoiceField(label=_("Invitee"), queryset=Invitation.objects.none())
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=RequestPriority.choices, coerce=int, initial=RequestPriority.WANT_TO_MEET
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, meeting: JointMeeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invitation"].queryset = (
            meeting.invitations.exclude(status=InvitationStatus.DECLINED)
            .select_related("startup", "organisation")
            .order_by("pk")
        )
        self.fields["invitation"].label_from_instance = lambda invitation: invitation.invitee_name


class PriorityForm(forms.Form):
    priority = forms.TypedChoiceField(label=_("Priority"), choices=RequestPriority.choices, coerce=int)


class UnitRequestForm(forms.Form):
    """An invitee asks to meet one of the attending units."""

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=MeetingUnit.objects.none())
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, meeting: JointMeeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = meeting.units.select_related("unit").order_by("unit__name")
        self.fields["unit"].label_from_instance = lambda mu: mu.unit.display_name


def slot_choices(meeting: JointMeeting) -> list[tuple[str, str]]:
    return [
        (s.key, f"{s.start.astimezone(TOKYO):%Y-%m-%d %H:%M}–{s.end.astimezone(TOKYO):%H:%M}")
        for s in meeting_slots(meeting)
    ]


class PlacementForm(forms.Form):
    """Where to put an appointment: a slot and a room of the meeting."""

    slot = forms.ChoiceField(label=_("Time slot"))
    room = forms.ModelChoiceField(label=_("Room or table"), queryset=MeetingRoom.objects.none())

    def __init__(self, *args, meeting: JointMeeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["slot"].choices = slot_choices(meeting)
        self.fields["room"].queryset = meeting.rooms.all()

    def slot_object(self):
        key = self.cleaned_data["slot"]
        return next(s for s in meeting_slots(self.meeting) if s.key == key)


class AddForm(PlacementForm):
    """A meeting placed by hand: an accepted (or invited) invitee and an attending unit, at a slot and room."""

    invitation = forms.ModelChoiceField(label=_("Invitee"), queryset=Invitation.objects.none())
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=MeetingUnit.objects.none())

    field_order = ["invitation", "unit", "slot", "room"]

    def __init__(self, *args, meeting: JointMeeting, **kwargs):
        super().__init__(*args, meeting=meeting, **kwargs)
        invitations = meeting.invitations.exclude(status=InvitationStatus.DECLINED).select_related("startup")
        self.fields["invitation"].queryset = invitations.select_related("organisation").order_by("pk")
        self.fields["invitation"].label_from_instance = lambda invitation: invitation.invitee_name
        self.fields["unit"].queryset = meeting.units.select_related("unit").order_by("unit__name")
        self.fields["unit"].label_from_instance = lambda mu: mu.unit.display_name


class SwapForm(forms.Form):
    other = forms.ModelChoiceField(label=_("Swap with"), queryset=Appointment.objects.none())

    def __init__(self, *args, appointment: Appointment, **kwargs):
        super().__init__(*args, **kwargs)
        others = Appointment.objects.filter(meeting_id=appointment.meeting_id).exclude(pk=appointment.pk)
        self.fields["other"].queryset = others.select_related(
            "invitation__startup", "invitation__organisation", "unit", "room"
        ).order_by("starts_at", "room__position")
        self.fields["other"].label_from_instance = appointment_label


def appointment_label(appointment: Appointment) -> str:
    start = appointment.starts_at.astimezone(TOKYO)
    return (
        f"{start:%m-%d %H:%M} {appointment.room.name}: "
        f"{appointment.invitation.invitee_name} × {appointment.unit.display_name}"
    )
