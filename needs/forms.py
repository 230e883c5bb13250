"""Forms of the needs board, need authoring, review, questions and the need import: they parse and check
input; the services in needs/services decide and write."""

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.enums import UnitCode
from accounts.rules import is_need_author, is_need_reviewer
from core.params import BoundedDateField, CheckedModelMultipleChoiceField
from needs.attachments import attachments_check
from needs.enums import NeedStatus, Pathway
from needs.form_fields import MultipleFileField
from needs.models import Need, NeedAttachment, NeedQuestion
from needs.rules import PUBLIC_STATUSES
from needs.selectors import NeedFilters
from needs.services.needs import NEED_FIELDS
from seeds.form_fields import TechFieldChoiceField
from seeds.models import TechField

TOKYO = ZoneInfo("Asia/Tokyo")
TRL_CHOICES = [(level, str(level)) for level in range(1, 10)]
IMPORT_EXTENSIONS = (".csv", ".xlsx")
IMPORT_MAX_BYTES = 10 * 1024 * 1024


# --- The needs board ------------------------------------------------------------------------------------


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class NeedFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Words in the reference, title, operational problem or desired capabilities."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    tech_field = TechFieldChoiceField(
        label=_("Technology field"),
        queryset=TechField.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("All fields"),
    )
    unit = forms.ChoiceField(label=_("Unit"), choices=[("", _("All units")), *UnitCode.choices], required=False)
    pathway = forms.ChoiceField(label=_("Pathway"), choices=[("", _("All pathways")), *Pathway.choices], required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    deadline_after = BoundedDateField(label=_("Deadline from"), required=False, widget=DateInput())
    deadline_before = BoundedDateField(label=_("Deadline to"), required=False, widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Others only ever see published and closed needs; the units and reviewers also see the rest.
        if is_need_author(user) or is_need_reviewer(user):
            statuses = NeedStatus.choices
        else:
            statuses = [(value, label) for value, label in NeedStatus.choices if value in PUBLIC_STATUSES]
        self.fields["status"].choices = [("", _("All statuses")), *statuses]

    def clean(self):
        cleaned = super().clean()
        after, before = cleaned.get("deadline_after"), cleaned.get("deadline_before")
        if after and before and after > before:
            self.add_error("deadline_before", _("The end date must not be before the start date."))
        return cleaned

    def to_filters(self) -> NeedFilters:
        """The valid filters; a field with a bad value is left out (the list is then unfiltered by it)."""
        self.is_valid()
        data = self.cleaned_data
        tech_field = data.get("tech_field")
        return NeedFilters(
            q=data.get("q") or "",
            tech_field=tech_field.code if tech_field else "",
            unit=data.get("unit") or "",
            pathway=data.get("pathway") or "",
            status=data.get("status") or "",
            deadline_after=data.get("deadline_after"),
            deadline_before=data.get("deadline_before"),
        )


# --- Authoring a need -----------------------------------------------------------------------------------


class TokyoSplitDateTimeWidget(forms.SplitDateTimeWidget):
    """A date and a time input, shown in Japan time whatever the active time zone."""

    def __init__(self):
        super().__init__(
            date_attrs={"type": "date", "aria-label": _("Date")},
            time_attrs={"type": "time", "aria-label": _("Time (JST)")},
            date_format="%Y-%m-%d",
            time_format="%H:%M",
        )

    def decompress(self, value):
        if value and timezone.is_aware(value):
            value = timezone.localtime(value, TOKYO)
        return [value.date(), value.time()] if value else [None, None]


class TokyoSplitDateTimeField(forms.SplitDateTimeField):
    """A date and a time typed in Japan time (JST), stored as an aware datetime."""

    widget = TokyoSplitDateTimeWidget

    def __init__(self, **kwargs):
        super().__init__(input_date_formats=["%Y-%m-%d"], input_time_formats=["%H:%M", "%H:%M:%S"], **kwargs)

    def compress(self, data_list):
        if not data_list:
            return None
        day, time = data_list
        if day in self.empty_values and time in self.empty_values:
            return None
        if day in self.empty_values:
            raise ValidationError(self.error_messages["invalid_date"], code="invalid_date")
        if time in self.empty_values:
            time = datetime.time(23, 59)  # a date alone means the end of that day
        return datetime.datetime.combine(day, time, tzinfo=TOKYO)


class NeedForm(forms.ModelForm):
    """A need's structured fields and new attachments. Every attachment is checked here, before anything is
    saved: one refused file refuses the whole form."""

    tech_fields = CheckedModelMultipleChoiceField(
        label=capfirst(Need._meta.get_field("tech_fields").verbose_name),
        queryset=TechField.objects.all(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    min_trl = forms.TypedChoiceField(
        label=capfirst(Need._meta.get_field("min_trl").verbose_name),
        choices=[("", _("Not specified")), *TRL_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("The technology readiness level (1–9) a proposal should have reached at least."),
    )
    proposal_deadline = TokyoSplitDateTimeField(
        label=capfirst(Need._meta.get_field("proposal_deadline").verbose_name),
        required=False,
        help_text=_("Japan time (JST). Leave empty for no deadline; a date without a time means 23:59 that day."),
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("PDF, Word (DOCX) or PowerPoint (PPTX), at most 20 MB each. You may choose several files."),
    )
    remove_attachments = CheckedModelMultipleChoiceField(
        label=_("Remove attachments"),
        queryset=NeedAttachment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    field_order = [
        "title",
        "description",
        "desired_capabilities",
        "tech_fields",
        "min_trl",
        "pathway",
        "visibility",
        "proposal_deadline",
        "attachments",
        "remove_attachments",
    ]

    class Meta:
        model = Need
        fields = [*NEED_FIELDS, "tech_fields"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "desired_capabilities": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "description": _("The operational problem: what the unit cannot do today, where and under which limits."),
            "desired_capabilities": _("What a solution must be able to do, as concrete as you can."),
            "visibility": _("Who may read the need once it is published."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pathway"].choices = Pathway.choices  # no empty choice: a need always has a pathway
        self.checked_attachments = []
        if self.instance.pk:
            self.fields["remove_attachments"].queryset = self.instance.attachments.all()
            self.fields["remove_attachments"].label_from_instance = lambda attachment: attachment.original_name
        if not self.instance.pk or not self.instance.attachments.exists():
            del self.fields["remove_attachments"]

    def clean_proposal_deadline(self):
        deadline = self.cleaned_data.get("proposal_deadline")
        if deadline and deadline <= timezone.now():
            raise ValidationError(_("The proposal deadline must be in the future."), code="past")
        return deadline

    def clean_attachments(self):
        return attachments_check(self.cleaned_data.get("attachments"))

    def clean(self):
        cleaned = super().clean()
        if self.has_error("attachments"):
            # Browsers do not keep chosen files across a refused submit: say so, and that nothing was kept.
            self.add_error(None, _("Nothing was saved. Fix the problems below, then choose the files again."))
        return cleaned


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=NeedStatus.choices, widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Comment"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


# --- Questions and answers ------------------------------------------------------------------------------


class QuestionForm(forms.Form):
    question = forms.CharField(
        label=capfirst(NeedQuestion._meta.get_field("question").verbose_name),
        max_length=2000,
        help_text=_("The owning unit publishes its answer on this page, without your name or your company's."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=capfirst(NeedQuestion._meta.get_field("answer").verbose_name),
        max_length=4000,
        help_text=_("Everyone who may see the need reads the answer; the asker is never named."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# --- Import ---------------------------------------------------------------------------------------------


class NeedImportForm(forms.Form):
    file = forms.FileField(
        label=_("Need list (CSV or XLSX)"),
        help_text=_(
            "CSV in UTF-8 (with or without BOM) or Shift_JIS, or the first sheet of an XLSX workbook, with the "
            "header row of the need import format. At most 10 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    publish = forms.BooleanField(
        label=pgettext_lazy("need import", "Publish the needs"),
        required=False,
        help_text=_("Publish every need of the list when it is imported, instead of keeping new ones as drafts."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in IMPORT_EXTENSIONS:
            raise ValidationError(
                _("Only .csv and .xlsx files can be imported; “%(name)s” is neither."),
                code="extension",
                params={"name": upload.name},
            )
        if upload.size > IMPORT_MAX_BYTES:
            raise ValidationError(_("The file is larger than 10 MB; split it into smaller lists."), code="size")
        return upload
