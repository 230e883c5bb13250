"""`load_demo`'s joint promotion meetings: one held, whose agenda was final, and one to come with a draft agenda;
both on days government offices are open, whatever day the demo is loaded on."""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from demo import registry
from demo.meetings import MEETINGS, meeting_day
from demo.workdays import is_office_day
from matchmaking.meetings.enums import MeetingStatus
from matchmaking.meetings.exports import agenda_for
from matchmaking.meetings.selectors import participant_of
from matchmaking.models import JointMeeting


def test_whatever_the_day_the_demo_meetings_fall_on_office_days(monkeypatch):
    for offset in range(2 * 366):
        today = date(2026, 1, 1) + timedelta(days=offset)
        monkeypatch.setattr(timezone, "localdate", lambda today=today: today)
        for demo in MEETINGS:
            day = meeting_day(demo)
            assert is_office_day(day), (today, demo.number, day)
            assert day < today if demo.held else day >= today + timedelta(days=demo.days_from_today), (today, day)


def test_the_meeting_held_and_the_one_to_come(demo):
    today = timezone.localdate()
    for meeting in JointMeeting.objects.prefetch_related("days"):
        days = [day.date for day in meeting.days.all()]
        assert all(day.weekday() < 5 and is_office_day(day) for day in days)
        if meeting.status == MeetingStatus.HELD:
            assert max(days) < today and meeting.agenda_versions.count() == 1
        else:
            assert meeting.status == MeetingStatus.SCHEDULED and min(days) > today
            assert meeting.reply_by >= today
        assert meeting.appointments.count() > len(meeting.invitations.all())  # some invitees meet several units
    assert sorted(JointMeeting.objects.values_list("status", flat=True)) == [
        MeetingStatus.HELD,
        MeetingStatus.SCHEDULED,
    ]


def test_each_invitee_agenda_names_the_need_of_every_appointment(demo):
    for demo_meeting in MEETINGS:
        meeting = JointMeeting.objects.get(number=demo_meeting.number)
        for slug in demo_meeting.invitees:
            member = get_user_model().objects.get(email=registry.member_email(slug))
            items = agenda_for(meeting, participant_of(member, meeting), viewer=member).items
            assert items and all(item.need_title for item in items), (meeting.number, slug)
