"""Reads the pages build on: the timetable grid and the candidates for invitation."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from matchmaking.meetings import editing, selectors
from matchmaking.models import MatchScore, Shortlist
from tests.factories import StartupFactory
from tests.matchmaking.meetings.conftest import make_need


def test_the_timetable_has_a_row_per_slot_and_a_cell_per_room(scheduled):
    table = selectors.timetable(scheduled.meeting)
    assert [room.name for room in table.rooms] == ["A", "B"]
    assert len(table.rows) == 4 and all(len(cells) == 2 for _, cells in table.rows)
    assert sum(cell is not None for _, cells in table.rows for cell in cells) == 8
    assert table.unplaced_requests == []


def test_a_removed_appointment_leaves_its_request_waiting(scheduled):
    table = selectors.timetable(scheduled.meeting)
    appointment = table.rows[0][1][0]
    editing.appointment_remove(appointment=appointment, actor=scheduled.admin)
    waiting = selectors.timetable(scheduled.meeting).unplaced_requests
    assert [(r.invitation_id, r.unit_id) for r in waiting] == [(appointment.invitation_id, appointment.unit_id)]


def test_timetable_queries_do_not_grow_with_appointments(scheduled):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            selectors.timetable(scheduled.meeting)
        return len(queries)

    many = count()
    for appointment in list(scheduled.meeting.appointments.all())[1:]:
        appointment.delete()
    assert count() == many


def test_candidates_put_shortlisted_startups_first_then_the_best_scores(world):
    need = make_need(world.gsdf, "GSDF-1")
    low, high, listed = StartupFactory(), StartupFactory(), world.startups[0]
    now = timezone.now()
    for startup, score in ((low, 0.2), (high, 0.9)):
        MatchScore.objects.create(need=need, startup=startup, score=score, model_version="t", computed_at=now)
    Shortlist.objects.create(need=need, startup=listed, added_by=world.gsdf_user)
    from matchmaking.meetings import services

    services.invitation_create(meeting=world.meeting, actor=world.admin, startups=[listed])
    candidates = selectors.invitation_candidates(world.meeting, viewer=world.gsdf_user)  # may see the scores
    assert [c.startup for c in candidates] == [listed, high, low]
    assert candidates[0].invited and candidates[0].shortlisted_by == [world.gsdf.display_name]
    assert candidates[1].best_score == 0.9 and candidates[1].best_need == need and not candidates[1].invited
