"""`load_demo` brings a scheduled demo meeting, and a second run leaves it alone."""

import io

from django.core.management import call_command

from matchmaking.meetings.enums import MeetingStatus
from matchmaking.models import Appointment, JointMeeting


def test_load_demo_schedules_a_meeting_once(db):
    call_command("load_demo", stdout=io.StringIO())
    meeting = JointMeeting.objects.get(number=1)
    assert meeting.status == MeetingStatus.SCHEDULED
    assert meeting.invitations.count() == 4 and meeting.units.count() == 4
    placed = Appointment.objects.filter(meeting=meeting).count()
    assert placed == 16  # every startup meets every unit: 10 slots × 3 rooms leave room for all
    before = list(Appointment.objects.order_by("pk").values_list("pk", "starts_at", "room_id"))
    call_command("load_demo", stdout=io.StringIO())
    assert list(Appointment.objects.order_by("pk").values_list("pk", "starts_at", "room_id")) == before
