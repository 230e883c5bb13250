"""Meeting services: the state machine, invitations and replies, reminders, availability, requests."""

from datetime import date, time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from matchmaking.meetings import services
from matchmaking.meetings.enums import InvitationStatus, MeetingStatus, RequestOrigin, RequestPriority
from matchmaking.meetings.errors import MeetingError
from matchmaking.meetings.slots import compute_slots, meeting_slots, parse_breaks
from matchmaking.models import Invitation, JointMeeting, MatchScore, MeetingRequest, Shortlist
from tests.matchmaking.meetings.conftest import invite_all, make_need


def test_slots_skip_breaks_and_never_run_past_closing():
    day = date(2026, 12, 10)
    slots = compute_slots([(day, time(10, 0), time(13, 10))], 30, parse_breaks("11:45-12:30"))
    assert [s.key[-5:] for s in slots] == ["10:00", "10:30", "11:00", "12:30"]
    assert slots[0].start.utcoffset() == timedelta(hours=9)


def test_breaks_that_do_not_parse_are_refused():
    with pytest.raises(ValueError):
        parse_breaks("12:00-11:00")
    with pytest.raises(ValueError):
        parse_breaks("noon")


def test_a_meeting_is_created_in_planning_with_its_slots_rooms_and_units(world):
    meeting = world.meeting
    assert meeting.status == MeetingStatus.PLANNING
    assert len(meeting_slots(meeting)) == 4
    assert list(meeting.rooms.values_list("name", flat=True)) == ["A", "B"]
    assert set(meeting.units.values_list("unit_id", flat=True)) == {world.gsdf.pk, world.atla.pk}


def test_a_duplicate_number_or_a_day_closing_before_it_opens_is_refused(world, meeting_day):
    with pytest.raises(MeetingError):
        services.meeting_create(
            actor=world.admin, number=1, title="x", days=[(meeting_day, time(10), time(11))], rooms=["A"]
        )
    with pytest.raises(MeetingError):
        services.meeting_create(
            actor=world.admin, number=2, title="x", days=[(meeting_day, time(11), time(10))], rooms=["A"]
        )
    assert JointMeeting.objects.count() == 1


def test_only_mod_units_and_atla_attend_as_units(world):
    with pytest.raises(MeetingError):
        services.meeting_units_set(meeting=world.meeting, units=[world.startups[0].organisation], actor=world.admin)
    assert world.meeting.units.count() == 2


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (MeetingStatus.PLANNING, MeetingStatus.SCHEDULED),
        (MeetingStatus.PLANNING, MeetingStatus.HELD),
        (MeetingStatus.INVITING, MeetingStatus.HELD),
        (MeetingStatus.HELD, MeetingStatus.PLANNING),
        (MeetingStatus.PUBLISHED, MeetingStatus.INVITING),
    ],
)
def test_transitions_outside_the_state_machine_are_refused(world, start, to):
    JointMeeting.objects.filter(pk=world.meeting.pk).update(status=start)
    world.meeting.refresh_from_db()
    with pytest.raises(MeetingError):
        services.meeting_transition(meeting=world.meeting, to=to, actor=world.admin)
    world.meeting.refresh_from_db()
    assert world.meeting.status == start


def test_a_meeting_without_appointments_cannot_become_scheduled_by_hand(world):
    services.meeting_transition(meeting=world.meeting, to=MeetingStatus.INVITING, actor=world.admin)
    with pytest.raises(MeetingError):
        services.meeting_transition(meeting=world.meeting, to=MeetingStatus.SCHEDULED, actor=world.admin)


def test_published_meetings_are_held_afterwards(scheduled):
    from matchmaking.meetings.versions import meeting_publish

    meeting_publish(meeting=scheduled.meeting, actor=scheduled.admin)
    meeting = services.meeting_transition(meeting=scheduled.meeting, to=MeetingStatus.HELD, actor=scheduled.admin)
    assert meeting.status == MeetingStatus.HELD
    with pytest.raises(MeetingError):
        services.meeting_update(meeting=meeting, actor=scheduled.admin, title="changed")


def test_invitations_are_mailed_to_members_in_their_language_after_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitations = services.invitation_create(meeting=world.meeting, actor=world.admin, startups=world.startups)
        assert mail.outbox == []  # nothing before commit
    for callback in callbacks:
        callback()
    world.meeting.refresh_from_db()
    assert world.meeting.status == MeetingStatus.INVITING
    assert len(invitations) == 4 and len(mail.outbox) == 4
    by_recipient = {message.to[0]: message for message in mail.outbox}
    japanese, english = by_recipient[world.members[0].email], by_recipient[world.members[1].email]
    assert "招待" in japanese.subject and "株式会社そらみる" in japanese.body
    assert english.subject.startswith("Invitation") and "is invited to" in english.body
    assert world.meeting.reply_by.strftime("%Y-%m-%d") in english.body
    assert f"/meetings/{world.meeting.pk}/" in english.body


def test_inviting_again_skips_those_already_invited(world):
    services.invitation_create(meeting=world.meeting, actor=world.admin, startups=world.startups[:2])
    again = services.invitation_create(meeting=world.meeting, actor=world.admin, startups=world.startups)
    assert len(again) == 2 and Invitation.objects.count() == 4


def test_a_startup_session_does_not_invite_vcs(world):
    from accounts.enums import OrganisationKind
    from tests.factories import OrganisationFactory

    vc = OrganisationFactory(kind=OrganisationKind.VC)
    with pytest.raises(MeetingError):
        services.invitation_create(meeting=world.meeting, actor=world.admin, organisations=[vc])


def test_only_the_startups_members_reply(world):
    invitation = invite_all(world, accept=False)[0]
    for outsider in (world.members[1], world.admin, world.gsdf_user):
        with pytest.raises(PermissionDenied):
            services.invitation_respond(invitation=invitation, actor=outsider, accept=True)
    services.invitation_respond(invitation=invitation, actor=world.members[0], accept=True)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED and invitation.responded_by == world.members[0]


def test_replies_after_the_reply_by_date_are_refused(world):
    invitation = invite_all(world, accept=False)[0]
    Invitation.objects.filter(pk=invitation.pk).update(reply_by=timezone.localdate() - timedelta(days=1))
    invitation.refresh_from_db()
    with pytest.raises(MeetingError):
        services.invitation_respond(invitation=invitation, actor=world.members[0], accept=True)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.INVITED


def test_replies_once_the_agenda_is_final_are_refused(scheduled):
    from matchmaking.meetings.versions import meeting_publish

    meeting_publish(meeting=scheduled.meeting, actor=scheduled.admin)
    with pytest.raises(MeetingError):
        services.invitation_respond(invitation=scheduled.invitation(0), actor=scheduled.members[0], accept=False)


def test_pending_invitees_are_reminded_once_near_the_reply_by_date(world):
    invitations = invite_all(world, accept=False)
    services.invitation_respond(invitation=invitations[0], actor=world.members[0], accept=True)
    reply_by = world.meeting.reply_by
    assert services.invitations_remind_due(on=reply_by - timedelta(days=5)) == 0
    mail.outbox.clear()
    assert services.invitations_remind_due(on=reply_by - timedelta(days=1)) == 3
    assert {m.to[0] for m in mail.outbox} == {u.email for u in world.members[1:]}
    assert any("Reminder" in m.subject for m in mail.outbox) and any("リマインド" in m.subject for m in mail.outbox)
    assert services.invitations_remind_due(on=reply_by) == 0


def test_availability_takes_only_the_meetings_slots(world):
    invitation = invite_all(world)[0]
    with pytest.raises(MeetingError):
        services.availability_set(actor=world.members[0], invitation=invitation, unavailable=["2020-01-01T10:00"])
    keys = [slot.key for slot in meeting_slots(world.meeting)]
    services.availability_set(actor=world.members[0], invitation=invitation, unavailable=[keys[1], keys[0]])
    invitation.refresh_from_db()
    assert invitation.unavailable_slots == keys[:2]


def test_a_request_is_one_per_pair_and_no_thanks_is_taken_back_by_setting_it_again(world):
    invitation = invite_all(world)[0]
    kwargs = {"meeting": world.meeting, "invitation": invitation, "unit": world.gsdf, "actor": world.gsdf_user}
    request = services.request_set(**kwargs, priority=RequestPriority.WANT_TO_MEET)
    services.request_decline(request=request, actor=world.gsdf_user)
    again = services.request_set(**kwargs, priority=RequestPriority.MUST_MEET)
    assert again.pk == request.pk and again.declined_at is None and again.priority == RequestPriority.MUST_MEET
    assert MeetingRequest.objects.count() == 1


def test_requests_with_a_unit_that_does_not_attend_are_refused(world):
    from accounts.enums import OrganisationKind, UnitCode
    from tests.matchmaking.meetings.conftest import make_unit

    msdf = make_unit(OrganisationKind.MOD_UNIT, UnitCode.MSDF, "海上幕僚監部", "MSDF Staff Office")
    invitation = invite_all(world)[0]
    with pytest.raises(MeetingError):
        services.request_set(meeting=world.meeting, invitation=invitation, unit=msdf, actor=world.admin)


def test_requests_are_proposed_from_shortlists_and_the_match_ranking(world):
    invitations = invite_all(world)
    need = make_need(world.gsdf, "GSDF-2026-001")
    Shortlist.objects.create(need=need, startup=world.startups[0], added_by=world.gsdf_user)
    now = timezone.now()
    for startup, score in zip(world.startups[1:], (0.8, 0.5, 0.1), strict=True):
        MatchScore.objects.create(need=need, startup=startup, score=score, model_version="t", computed_at=now)
    existing = services.request_set(
        meeting=world.meeting, invitation=invitations[1], unit=world.gsdf, actor=world.gsdf_user, note="ours"
    )
    created = services.requests_propose(meeting=world.meeting, actor=world.admin, min_score=0.3)
    by_invitation = {r.invitation_id: r for r in created}
    assert set(by_invitation) == {invitations[0].pk, invitations[2].pk}
    shortlisted = by_invitation[invitations[0].pk]
    assert (shortlisted.origin, shortlisted.priority, shortlisted.need) == (
        RequestOrigin.UNIT_PREFERENCE,
        RequestPriority.MUST_MEET,
        need,
    )
    ranked = by_invitation[invitations[2].pk]
    assert (ranked.origin, ranked.priority, ranked.score) == (
        RequestOrigin.MATCH_SCORE,
        RequestPriority.WANT_TO_MEET,
        0.5,
    )
    existing.refresh_from_db()
    assert existing.note == "ours" and existing.origin == RequestOrigin.UNIT_PREFERENCE
    assert services.requests_propose(meeting=world.meeting, actor=world.admin, min_score=0.3) == []


def test_a_vc_session_invites_vcs_whose_users_reply(world, meeting_day):
    from accounts.enums import OrganisationKind
    from matchmaking.meetings.enums import MeetingKind
    from tests.factories import OrganisationFactory, UserFactory

    vc = OrganisationFactory(kind=OrganisationKind.VC, name="デモ・キャピタル株式会社")
    vc_user = UserFactory(organisation=vc)
    meeting = services.meeting_create(
        actor=world.admin,
        number=7,
        title="VCの回",
        kind=MeetingKind.VC_SESSION,
        days=[(meeting_day, time(10), time(12))],
        rooms=["A"],
        units=[world.gsdf],
    )
    with pytest.raises(MeetingError):
        services.invitation_create(meeting=meeting, actor=world.admin, startups=world.startups[:1])
    (invitation,) = services.invitation_create(meeting=meeting, actor=world.admin, organisations=[vc])
    assert invitation.invitee_name == "デモ・キャピタル株式会社"
    with pytest.raises(PermissionDenied):
        services.invitation_respond(invitation=invitation, actor=world.members[0], accept=True)
    services.invitation_respond(invitation=invitation, actor=vc_user, accept=True)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED


def test_the_time_grid_is_frozen_once_appointments_exist_but_other_details_change(scheduled, meeting_day):
    meeting = scheduled.meeting
    same_days = [(meeting_day, time(10, 0), time(12, 0))]
    services.meeting_update(meeting=meeting, actor=scheduled.admin, days=same_days, breaks="", venue="防衛省 B棟")
    meeting.refresh_from_db()
    assert meeting.venue == "防衛省 B棟"
    for change in ({"days": [(meeting_day, time(9, 0), time(12, 0))]}, {"slot_minutes": 20}, {"breaks": "10:30-11:00"}):
        with pytest.raises(MeetingError):
            services.meeting_update(meeting=meeting, actor=scheduled.admin, **change)
    meeting.refresh_from_db()
    assert meeting.slot_minutes == 30 and meeting.breaks == [] and len(meeting_slots(meeting)) == 4


def test_the_daily_beat_task_sends_the_due_reminders(world, settings):
    from matchmaking.tasks import remind_meeting_invitations

    assert (
        settings.CELERY_BEAT_SCHEDULE["remind-meeting-invitations"]["task"] == "matchmaking.remind_meeting_invitations"
    )
    invite_all(world, accept=False)
    Invitation.objects.update(reply_by=timezone.localdate() + timedelta(days=1))
    mail.outbox.clear()
    assert remind_meeting_invitations.delay().get() == 4
    assert remind_meeting_invitations.delay().get() == 0
    assert len(mail.outbox) == 4


def test_marking_a_slot_unavailable_returns_the_meetings_already_there(scheduled):
    invitation = scheduled.invitation(0)
    placed = invitation.appointments.order_by("starts_at").first()
    clashing = services.availability_set(
        actor=scheduled.members[0], invitation=invitation, unavailable=[placed.slot_key]
    )
    assert [a.pk for a in clashing] == [placed.pk]


def test_a_table_is_reserved_only_for_a_unit(world):
    startup_org = world.startups[0].organisation
    with pytest.raises(MeetingError):
        services.meeting_update(meeting=world.meeting, actor=world.admin, rooms=["A", ("B", startup_org)])
    services.meeting_update(meeting=world.meeting, actor=world.admin, rooms=["A", ("B", world.atla)])
    assert world.meeting.rooms.get(name="B").unit == world.atla
