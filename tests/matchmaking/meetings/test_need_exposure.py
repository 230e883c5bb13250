"""Which needs and scores a meeting shows to whom (DESIGN.md §3), over every output a participant gets.

A startup is invited to meet the GSDF, which has three needs with canary titles and high scores for it: a
published public one, a published government-only one and a draft. Requests are proposed from the ranking, the
meeting is scheduled and published, and then every meeting page (generated from the URLconf, so a new page is
covered without anyone listing it), the meetings API with each `?format=`, and every e-mail is read as the
startup's member, the unit's author and the portal admin. The expectation comes from the rules themselves
(`can_view_need`, `can_view_score`), never from a list of who sees what.
"""

import io
import itertools
import json
from dataclasses import dataclass

import icalendar
import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from matchmaking.meetings import services
from matchmaking.meetings import urls as meeting_urls
from matchmaking.meetings.enums import MeetingStatus
from matchmaking.meetings.exports import FORMATS
from matchmaking.models import MatchScore, MeetingRequest, Shortlist
from matchmaking.rules import can_view_score
from needs.enums import NeedStatus, Visibility
from needs.models import Need
from needs.rules import can_view_need
from tests.matchmaking.meetings.conftest import World, pdf_text

# ref → (title, status, visibility, score); the titles are unique so that any output naming one is caught.
CANARIES = {
    "CNR-PUB-01": ("カナリア公開ニーズ甲", NeedStatus.PUBLISHED, Visibility.PUBLIC, 0.8627),
    "CNR-GOV-01": ("カナリア政府限定ニーズ乙", NeedStatus.PUBLISHED, Visibility.GOVERNMENT, 0.9413),
    "CNR-DRF-01": ("カナリア下書きニーズ丙", NeedStatus.DRAFT, Visibility.PUBLIC, 0.9731),
}
VIEWERS = ["startup_member", "unit_author", "portal_admin"]
# The views that put the agenda (or a unit's briefing pack) in a file or JSON, naming each meeting's need.
AGENDA_VIEWS = {"meetings:export", "meetings:my_agenda", "meetings:briefing", "meeting-agenda"}


@dataclass
class Exposure:
    world: World
    needs: dict  # ref → Need

    @property
    def viewers(self) -> dict:
        w = self.world
        return {"startup_member": w.members[0], "unit_author": w.gsdf_user, "portal_admin": w.admin}


def make_canaries(world: World) -> dict:
    needs = {}
    for ref, (title, status, visibility, score) in CANARIES.items():
        needs[ref] = Need.objects.create(
            ref=ref, title=title, description=title, owner_unit=world.gsdf, status=status, visibility=visibility
        )
        MatchScore.objects.create(
            need=needs[ref], startup=world.startups[0], score=score, model_version="t", computed_at=timezone.now()
        )
    return needs


def invite_first(world: World):
    (invitation,) = services.invitation_create(meeting=world.meeting, actor=world.admin, startups=world.startups[:1])
    return invitation


@pytest.fixture
def exposure(world, django_capture_on_commit_callbacks) -> Exposure:
    """Startup 0 invited (the invitation e-mailed) and accepted; requests proposed from the ranking."""
    needs = make_canaries(world)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite_first(world)
    services.invitation_respond(invitation=invitation, actor=world.members[0], accept=True)
    services.requests_propose(meeting=world.meeting, actor=world.admin)
    world.meeting.refresh_from_db()
    return Exposure(world, needs)


def schedule_and_publish(world: World, capture) -> None:
    """Scheduled by the eager task (the meeting becomes scheduled), then published: the agenda is e-mailed to
    every participant."""
    from matchmaking.meetings.scheduling import schedule_enqueue

    with capture(execute=True):
        schedule_enqueue(meeting=world.meeting, actor=world.admin, time_limit_s=10)
    with capture(execute=True):
        services.meeting_transition(meeting=world.meeting, to=MeetingStatus.PUBLISHED, actor=world.admin)
    assert world.meeting.appointments.count() == 1


# --- Reading every output as one viewer ------------------------------------------------------------------------


def readable(response, tmp_path) -> str:
    """What a person reads in a response, whatever its format."""
    kind = response["Content-Type"].split(";")[0]
    content = response.content
    if kind == "application/pdf":
        return pdf_text(content, tmp_path)
    if kind.endswith("spreadsheetml.sheet"):
        workbook = load_workbook(io.BytesIO(content))
        return "\n".join(str(c.value) for sheet in workbook for row in sheet.iter_rows() for c in row if c.value)
    if kind == "text/calendar":
        calendar = icalendar.Calendar.from_ical(content)
        return "\n".join(str(value) for part in calendar.walk() for value in part.values())
    if kind == "application/json":
        return json.dumps(json.loads(content), ensure_ascii=False)
    return content.decode("utf-8-sig")


def page_urls(exposure: Exposure) -> list[tuple[str, str]]:
    """(view name, URL) for every meeting page, each path parameter filled with this meeting's objects; the
    downloads also with each participant chosen by query (as the admin's links do)."""
    w = exposure.world
    invitation, meeting_unit = w.invitation(0), w.meeting.units.get(unit=w.gsdf)
    values = {
        "pk": [w.meeting.pk],
        "invitation_pk": [invitation.pk],
        "unit_pk": [meeting_unit.pk],
        "request_pk": [w.meeting.requests.get().pk],
        "appointment_pk": [w.meeting.appointments.get().pk],
        "to": MeetingStatus.values,
        "fmt": list(FORMATS),
    }
    urls = []
    for pattern in meeting_urls.urlpatterns:
        names = list(pattern.pattern.converters)
        queries = ["", f"?invitation={invitation.pk}", f"?unit={meeting_unit.pk}"] if "fmt" in names else [""]
        for combination in itertools.product(*(values[name] for name in names)):
            path = reverse(f"meetings:{pattern.name}", kwargs=dict(zip(names, combination, strict=True)))
            urls += [(f"meetings:{pattern.name}", path + query) for query in queries]
    return urls


def api_urls(exposure: Exposure) -> list[tuple[str, str]]:
    """(route name, URL) for every meetings API route, as JSON and as each agenda file format."""
    from config.api_urls import router

    urls = []
    for route in router.urls:
        if not (route.name or "").startswith("meeting-") or "format" in route.pattern.regex.groupindex:
            continue
        kwargs = {"pk": exposure.world.meeting.pk} if "pk" in route.pattern.regex.groupindex else {}
        path = reverse(route.name, kwargs=kwargs)
        urls += [(route.name, f"{path}?format={fmt}") for fmt in ["json", *FORMATS]]
    return urls


def outputs(exposure: Exposure, viewer, tmp_path) -> dict[tuple[str, str], str]:
    """(view name, URL or e-mail subject) → readable text of everything `viewer` can open or was sent."""
    client = Client()
    client.force_login(viewer)
    read = {}
    for name, url in page_urls(exposure) + api_urls(exposure):
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code == 200:
            read[(name, url)] = readable(response, tmp_path)
    for message in mail.outbox:
        if viewer.email in message.to:
            read[("e-mail", message.subject)] = f"{message.subject}\n{message.body}"
    assert read, "the viewer can open nothing: the crawl is broken"
    return read


# --- The tests ---------------------------------------------------------------------------------------------------


def test_a_proposed_request_names_only_a_need_the_startup_may_see(exposure):
    member = exposure.viewers["startup_member"]
    (request,) = MeetingRequest.objects.filter(meeting=exposure.world.meeting)
    visible = [need for need in exposure.needs.values() if can_view_need(member, need)]
    best_visible = max(visible, key=lambda need: CANARIES[need.ref][3])
    assert request.need == best_visible  # the draft and the government-only need score higher


def test_a_shortlist_for_a_need_the_startup_may_not_see_asks_to_meet_naming_no_need(world):
    needs = make_canaries(world)
    MatchScore.objects.all().delete()
    Shortlist.objects.create(need=needs["CNR-GOV-01"], startup=world.startups[0], added_by=world.gsdf_user)
    invitation = invite_first(world)
    (request,) = services.requests_propose(meeting=world.meeting, actor=world.admin)
    assert request.invitation == invitation and request.unit == world.gsdf and request.need is None


@pytest.mark.parametrize("related", list(CANARIES))
@pytest.mark.parametrize("role", VIEWERS)
def test_every_output_names_a_need_only_to_whom_the_need_rule_shows_it(
    exposure, related, role, tmp_path, django_capture_on_commit_callbacks
):
    """The request names `related` (as requests made before the fix may, or one the unit chose): each viewer
    reads each canary exactly where `can_view_need` lets it, in pages, API, files and e-mails."""
    MeetingRequest.objects.filter(meeting=exposure.world.meeting).update(need=exposure.needs[related])
    schedule_and_publish(exposure.world, django_capture_on_commit_callbacks)
    viewer = exposure.viewers[role]
    read = outputs(exposure, viewer, tmp_path)
    for ref, need in exposure.needs.items():
        if not can_view_need(viewer, need):
            leaks = [where for where, text in read.items() if need.title in text or ref in text]
            assert not leaks, f"{role} may not see {ref}, but it shows in {leaks}"
    need = exposure.needs[related]
    if can_view_need(viewer, need):
        agendas = [where for where in read if where[0] in AGENDA_VIEWS]
        assert agendas, f"{role} opens no agenda"
        missing = [where for where in agendas if need.title not in read[where]]
        assert not missing, f"{role} may see {related}, but these agendas leave it out: {missing}"


@pytest.mark.parametrize("role", VIEWERS)
def test_no_meeting_page_shows_a_score_number_the_score_rule_refuses(
    exposure, role, tmp_path, django_capture_on_commit_callbacks
):
    schedule_and_publish(exposure.world, django_capture_on_commit_callbacks)
    viewer = exposure.viewers[role]
    read = outputs(exposure, viewer, tmp_path)
    for ref, need in exposure.needs.items():
        if not can_view_score(viewer, need):
            score = CANARIES[ref][3]
            numbers = {f"{score:.2f}", f"{score:.3f}", f"{score:.4f}"}
            leaks = [(where, n) for where, text in read.items() for n in numbers if n in text]
            assert not leaks, f"{role} may not see the score of {ref}, but it shows in {leaks}"
