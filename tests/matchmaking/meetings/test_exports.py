"""A scheduled meeting's agenda files (whole and per participant), the unit's briefing pack, and the
`export_agenda` command."""

import io
from datetime import timedelta

import icalendar
import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from accounts.enums import RoleCode
from matchmaking.meetings.briefing import briefing_pdf
from matchmaking.meetings.exports import export_agenda
from matchmaking.meetings.selectors import Participant
from matchmaking.models import Appointment, MatchScore
from tests.factories import UserFactory
from tests.matchmaking.meetings.conftest import STARTUP_NAMES, make_need, pdf_text


def test_the_ics_has_one_event_per_appointment_in_tokyo_time(scheduled):
    exported = export_agenda(scheduled.meeting, "ics")
    calendar = icalendar.Calendar.from_ical(exported.content)
    events = calendar.walk("VEVENT")
    appointments = Appointment.objects.filter(meeting=scheduled.meeting)
    assert len(events) == appointments.count() == 8
    starts = sorted(event.decoded("dtstart") for event in events)
    assert starts == sorted(a.starts_at for a in appointments)
    assert all(str(event.decoded("dtstart").tzinfo) == "Asia/Tokyo" for event in events)
    assert {event.decoded("dtstart").strftime("%H:%M") for event in events} == {"10:00", "10:30", "11:00", "11:30"}
    assert "TZID=Asia/Tokyo" in exported.content.decode()
    assert len({str(event["uid"]) for event in events}) == 8


def test_ics_uids_survive_a_rerun_of_the_scheduler(scheduled, django_capture_on_commit_callbacks):
    from matchmaking.meetings.scheduling import schedule_enqueue

    def uids():
        calendar = icalendar.Calendar.from_ical(export_agenda(scheduled.meeting, "ics").content)
        return {str(event["uid"]) for event in calendar.walk("VEVENT")}

    before = uids()
    with django_capture_on_commit_callbacks(execute=True):
        schedule_enqueue(meeting=scheduled.meeting, actor=scheduled.admin, time_limit_s=10)
    assert uids() == before


def test_the_xlsx_lists_every_appointment(scheduled):
    workbook = load_workbook(io.BytesIO(export_agenda(scheduled.meeting, "xlsx").content))
    cells = [str(c.value) for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row if c.value]
    for appointment in Appointment.objects.filter(meeting=scheduled.meeting).select_related("invitation__startup"):
        assert appointment.invitation.startup.name in cells
    rows = sum(sheet.max_row - 1 for sheet in workbook.worksheets)
    assert rows == 8


def test_the_pdf_contains_the_japanese_company_names(scheduled, tmp_path):
    exported = export_agenda(scheduled.meeting, "pdf")
    assert exported.content.startswith(b"%PDF") and exported.content_type == "application/pdf"
    text = pdf_text(exported.content, tmp_path)
    for name in STARTUP_NAMES:
        assert name in text


def test_a_participants_export_holds_only_its_own_appointments(scheduled):
    invitation = scheduled.invitation(0)
    exported = export_agenda(scheduled.meeting, "csv", participant=Participant(invitation=invitation))
    text = exported.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert len(lines) == 1 + invitation.appointments.count() == 3
    assert all(STARTUP_NAMES[0] in line for line in lines[1:])
    assert not any(name in text for name in STARTUP_NAMES[1:])


def test_the_briefing_pack_has_the_units_startups_with_need_and_reasons(scheduled, tmp_path):
    need = make_need(scheduled.atla, "ATLA-2026-007", "小型無人機の探知技術")
    startup = scheduled.startups[0]
    startup.description = "ドローン探知用の小型レーダーを開発しています。"
    startup.technologies = ["小型レーダー"]
    startup.save()
    MatchScore.objects.create(
        need=need,
        startup=startup,
        score=0.8,
        model_version="t",
        computed_at=scheduled.meeting.created_at - timedelta(days=1),
        reasons=[{"code": "trl_ok", "params": {"trl": 7, "min": 5}}],
    )
    meeting_unit = scheduled.meeting.units.get(unit=scheduled.atla)
    unit_member = UserFactory(organisation=scheduled.atla, roles=[RoleCode.NEED_AUTHOR])
    text = pdf_text(briefing_pdf(scheduled.meeting, meeting_unit, "ja", actor=unit_member), tmp_path)
    for name in STARTUP_NAMES:
        assert name in text
    assert "ATLA-2026-007" in text and "小型レーダー" in text and "ドローン探知用" in text
    assert "TRL7" in text
    # The matcher's reasons belong to its scores: a reader the score rule refuses (here: nobody) gets none.
    anonymous = pdf_text(briefing_pdf(scheduled.meeting, meeting_unit, "ja"), tmp_path)
    assert "ATLA-2026-007" in anonymous and "TRL7" not in anonymous


def test_export_agenda_command_writes_the_file(scheduled, tmp_path):
    out = tmp_path / "agenda.xlsx"
    call_command("export_agenda", str(scheduled.meeting.pk), "--format", "xlsx", str(out), stdout=io.StringIO())
    workbook = load_workbook(out)
    assert sum(sheet.max_row - 1 for sheet in workbook.worksheets) == 8


def test_export_agenda_command_refuses_unknown_meetings_and_formats(scheduled, tmp_path):
    with pytest.raises(CommandError, match="9999 の合同推進会はありません"):
        call_command("export_agenda", "9999", "--format", "pdf", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="不明な形式「doc」"):
        call_command("export_agenda", str(scheduled.meeting.pk), "--format", "doc", str(tmp_path / "x.doc"))
    assert list(tmp_path.iterdir()) == []


def test_an_english_export_uses_the_english_title_and_names(scheduled):
    text = export_agenda(scheduled.meeting, "csv", language="en").content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Date,Start,End,Room,Startup,Unit")
    assert "Startup 0" in text and "ATLA" in text
    calendar = icalendar.Calendar.from_ical(export_agenda(scheduled.meeting, "ics", language="en").content)
    assert str(calendar["x-wr-calname"]).startswith("1st joint promotion meeting")
