"""Inviting from the candidates (shortlists first, with the unit that shortlisted), the invitations table,
and the invitee's side: its invitations, accept or decline before the reply-by date, asking to meet a unit."""

from datetime import timedelta

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from accounts.enums import OrganisationKind
from matchmaking.meetings import services
from matchmaking.meetings.enums import InvitationStatus, MeetingKind, MeetingStatus, RequestOrigin
from matchmaking.models import Invitation, MeetingRequest, Shortlist
from tests.factories import OrganisationFactory, StartupFactory
from tests.matchmaking.conftest import make_need
from tests.matchmaking.meetings.conftest import invite_all


def ja(msgid: str) -> str:
    with translation.override("ja"):
        return translation.gettext(msgid)


def shortlist(world, startups) -> None:
    need = make_need(world.gsdf, f"N-{Shortlist.objects.count() + 1}", title="小型無人機の探知")
    for startup in startups:
        Shortlist.objects.create(need=need, startup=startup, added_by=world.gsdf_user)


def test_candidates_come_from_the_units_shortlists_with_the_unit_named(client, world):
    shortlist(world, world.startups[:2])
    client.force_login(world.admin)
    page = client.get(reverse("meetings:invite", args=[world.meeting.pk]))
    rows = page.context["rows"]
    assert [row["pk"] for row in rows] == [s.pk for s in world.startups[:2]]
    assert rows[0]["shortlisted_by"] == [world.gsdf.display_name]


def test_inviting_sends_invitations_and_mails_after_commit(client, world, django_capture_on_commit_callbacks):
    shortlist(world, world.startups)
    client.force_login(world.admin)
    reply_by = timezone.localdate() + timedelta(days=5)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("meetings:invite", args=[world.meeting.pk]),
            {"chosen": [s.pk for s in world.startups[:3]], "reply_by": f"{reply_by:%Y-%m-%d}", "message": "ぜひ"},
        )
    assert response.status_code == 302
    invitations = Invitation.objects.filter(meeting=world.meeting)
    assert invitations.count() == 3 and {i.reply_by for i in invitations} == {reply_by}
    assert len(mail.outbox) == 3
    world.meeting.refresh_from_db()
    assert world.meeting.status == MeetingStatus.INVITING
    table = client.get(reverse("meetings:invitations", args=[world.meeting.pk]))
    assert len(table.context["page"].object_list) == 3
    again = client.get(reverse("meetings:invite", args=[world.meeting.pk]))
    assert [row["invited"] for row in again.context["rows"]] == [True, True, True, False]


def test_inviting_nobody_or_with_a_past_reply_by_is_refused_in_japanese(client, world):
    shortlist(world, world.startups)
    client.force_login(world.admin)
    url = reverse("meetings:invite", args=[world.meeting.pk])
    response = client.post(url, {"chosen": []})
    assert ja("Choose at least one invitee.") in response.content.decode()
    past = timezone.localdate() - timedelta(days=1)
    response = client.post(url, {"chosen": [world.startups[0].pk], "reply_by": f"{past:%Y-%m-%d}"})
    assert ja("The reply-by date has already passed.") in response.content.decode()
    assert not Invitation.objects.filter(meeting=world.meeting).exists()


def test_the_invitee_accepts_and_declines_on_the_meeting_page(client, world):
    invite_all(world, accept=False)
    member, invitation = world.members[0], world.invitation(0)
    client.force_login(member)
    mine = client.get(reverse("meetings:my_invitations"))
    assert [i.pk for i in mine.context["page"].object_list] == [invitation.pk]
    detail = client.get(reverse("meetings:detail", args=[world.meeting.pk]))
    assert detail.context["can_reply"] and b'data-testid="accept"' in detail.content
    url = reverse("meetings:respond", args=[world.meeting.pk, invitation.pk])
    client.post(url, {"answer": "accept"})
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED and invitation.responded_by == member
    asked = client.get(url)  # declining is asked first
    assert b'data-testid="confirm"' in asked.content and b'value="decline"' in asked.content
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
    client.post(url, {"answer": "decline"})
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.DECLINED


def test_a_late_reply_is_refused_and_changes_nothing(client, world):
    invite_all(world, accept=False)
    invitation = world.invitation(2)  # its member reads Japanese
    Invitation.objects.filter(pk=invitation.pk).update(reply_by=timezone.localdate() - timedelta(days=1))
    client.force_login(world.members[2])
    response = client.post(
        reverse("meetings:respond", args=[world.meeting.pk, invitation.pk]), {"answer": "accept"}, follow=True
    )
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.INVITED
    assert ja("The reply-by date (%(date)s) has passed.").split("%(")[0] in response.content.decode()


def test_another_startup_cannot_answer_for_an_invitation(client, world):
    invite_all(world, accept=False)
    client.force_login(world.members[1])
    response = client.post(
        reverse("meetings:respond", args=[world.meeting.pk, world.invitation(0).pk]), {"answer": "decline"}
    )
    assert response.status_code == 403 and world.invitation(0).status == InvitationStatus.INVITED


def test_an_invitee_asks_to_meet_a_unit_without_overriding_the_units_no_thanks(client, invited):
    invitation = invited.invitation(0)
    wish = MeetingRequest.objects.get(invitation=invitation, unit=invited.gsdf)
    services.request_decline(request=wish, actor=invited.gsdf_user)
    client.force_login(invited.members[0])
    gsdf_mu = invited.meeting.units.get(unit=invited.gsdf)
    client.post(reverse("meetings:request_unit", args=[invited.meeting.pk, invitation.pk]), {"unit": gsdf_mu.pk})
    wish.refresh_from_db()
    assert wish.declined_at is not None  # the unit's "no thanks" stands
    MeetingRequest.objects.filter(invitation=invitation, unit=invited.atla).delete()
    atla_mu = invited.meeting.units.get(unit=invited.atla)
    client.post(reverse("meetings:request_unit", args=[invited.meeting.pk, invitation.pk]), {"unit": atla_mu.pk})
    new = MeetingRequest.objects.get(invitation=invitation, unit=invited.atla)
    assert new.origin == RequestOrigin.STARTUP_REQUEST


def test_invite_and_invitations_pages_query_the_same_as_invitees_grow(client, world):
    client.force_login(world.admin)

    def counts():
        result = []
        for url in (
            reverse("meetings:invite", args=[world.meeting.pk]),
            reverse("meetings:invitations", args=[world.meeting.pk]),
        ):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    shortlist(world, world.startups[:2])
    services.invitation_create(meeting=world.meeting, actor=world.admin, startups=world.startups[:2])
    small = counts()
    extra = [StartupFactory() for _ in range(6)]
    shortlist(world, world.startups[2:] + extra)
    services.invitation_create(meeting=world.meeting, actor=world.admin, startups=world.startups[2:] + extra[:3])
    assert counts() == small


def test_a_vc_session_invites_venture_capital_organisations(client, world):
    vcs = [OrganisationFactory(kind=OrganisationKind.VC, name=f"ベンチャーキャピタル{i}") for i in range(2)]
    meeting = services.meeting_create(
        actor=world.admin,
        number=50,
        title="VC の回",
        kind=MeetingKind.VC_SESSION,
        days=world.meeting.days.values_list("date", "opens_at", "closes_at"),
        rooms=["A"],
        units=world.units,
    )
    client.force_login(world.admin)
    url = reverse("meetings:invite", args=[meeting.pk])
    assert [row["pk"] for row in client.get(url).context["rows"]] == [vc.pk for vc in vcs]
    client.post(url, {"chosen": [vcs[1].pk]})
    assert list(meeting.invitations.values_list("organisation_id", flat=True)) == [vcs[1].pk]
