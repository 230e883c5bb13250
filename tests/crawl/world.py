"""The crawl's one data set: a user per role, every kind of object a URL can name, and canaries.

A canary is a unique text put on an object that some roles may not see (a government-only, a registered-only
and a draft need; proposals; match scores with reasons). The crawl asserts that a canary shows up in a response
only when the project's own rule predicates let that role see its object.
"""

from dataclasses import dataclass, field
from datetime import time, timedelta

from django.contrib.auth.models import AnonymousUser, Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.enums import OrganisationKind, RoleCode, UnitCode
from accounts.models import Organisation
from matchmaking.meetings import services as meetings
from matchmaking.meetings.scheduling import schedule_enqueue
from matchmaking.meetings.versions import meeting_publish
from matchmaking.models import MatchScore, Shortlist
from matchmaking.rules import can_view_need_matches, can_view_startup_matches, recommended_needs_q
from needs.enums import Criterion, NeedStatus, ProposalStatus, Visibility
from needs.models import ConsultationRequest, Need
from needs.rules import can_view_need, can_view_proposal
from needs.services import needs as need_services
from needs.services import proposals as proposal_services
from needs.services.imports import need_import_preview
from programs.models import SupportProgram
from seeds import services as seed_services
from seeds.models import Product, Startup
from tests.factories import OrganisationFactory, StartupFactory, UserFactory, make_corporate_number
from tests.matchmaking.conftest import make_need
from tests.needs.test_proposal_pages import pdf

ROLES = ["anonymous", "curator", "author_a", "author_b", "reviewer", "member_x", "member_y", "admin", "superuser"]


@dataclass(frozen=True)
class Canary:
    text: str
    obj: object
    may_see: object  # (user, obj) -> bool, from the project's rules

    def allowed(self, user) -> bool:
        return bool(self.may_see(user, self.obj))


def may_see_score(user, score: MatchScore) -> bool:
    """A score's reasons: government users who may see the need's matches, and the startup's own members on
    the needs recommended to them (matchmaking/rules.py)."""
    if can_view_need_matches(user, score.need):
        return True
    return bool(
        can_view_startup_matches(user, score.startup)
        and Need.objects.filter(recommended_needs_q(user), pk=score.need_id).exists()
    )


@dataclass
class World:
    users: dict[str, object]
    objects: dict[object, list] = field(default_factory=dict)  # model class (or a name) → its objects
    canaries: list[Canary] = field(default_factory=list)

    def user(self, role: str):
        return self.users[role] or AnonymousUser()


def _organisations() -> dict[str, Organisation]:
    def unit(code, name, kind=OrganisationKind.MOD_UNIT):
        return Organisation.objects.get_or_create(unit_code=code, defaults={"name": name, "kind": kind})[0]

    return {
        "unit_a": unit(UnitCode.GSDF, "陸上幕僚監部"),
        "unit_b": unit(UnitCode.MSDF, "海上幕僚監部"),
        "bureau": unit(UnitCode.INTERNAL_BUREAU, "内部部局"),
        "atla": unit(UnitCode.ATLA, "防衛装備庁", OrganisationKind.ATLA),
        "meti": OrganisationFactory(government=True, name="経済産業省"),
        "admin": OrganisationFactory(kind=OrganisationKind.ADMIN, corporate_number="", name="運営事務局"),
        "x": OrganisationFactory(name="株式会社エックス"),
        "y": OrganisationFactory(name="株式会社ワイ"),
    }


def _users(orgs) -> dict[str, object]:
    return {
        "anonymous": None,
        "curator": UserFactory(organisation=orgs["meti"], roles=[RoleCode.CURATOR]),
        "author_a": UserFactory(organisation=orgs["unit_a"], roles=[RoleCode.NEED_AUTHOR]),
        "author_b": UserFactory(organisation=orgs["unit_b"], roles=[RoleCode.NEED_AUTHOR]),
        "reviewer": UserFactory(organisation=orgs["bureau"], roles=[RoleCode.NEED_REVIEWER]),
        "member_x": UserFactory(organisation=orgs["x"], roles=[RoleCode.STARTUP_MEMBER]),
        "member_y": UserFactory(organisation=orgs["y"], roles=[RoleCode.STARTUP_MEMBER]),
        "admin": UserFactory(organisation=orgs["admin"], roles=[RoleCode.PORTAL_ADMIN]),
        "superuser": UserFactory(organisation=orgs["admin"], is_superuser=True, is_staff=True),
    }


def _needs(unit_a) -> dict[str, Need]:
    return {
        "public": make_need(unit_a, "N-2024-0901", title="公開ニーズ 小型無人機の探知"),
        "government": make_need(unit_a, "N-2024-0902", visibility=Visibility.GOVERNMENT, title="CANARY-NEED-GOV"),
        "registered": make_need(unit_a, "N-2024-0903", visibility=Visibility.REGISTERED, title="CANARY-NEED-REG"),
        "draft": make_need(unit_a, "N-2024-0904", status=NeedStatus.DRAFT, title="CANARY-NEED-DRAFT"),
    }


def _proposals(needs, startups, users) -> dict:
    def propose(need, startup, member, title, submit=True):
        proposal = proposal_services.proposal_create(
            need=need, startup=startup, data={"title": title, "summary": f"{title} summary"}, actor=member
        )
        proposal_services.proposal_attach(proposal=proposal, uploaded=pdf(), actor=member)
        if submit:
            proposal_services.proposal_transition(proposal=proposal, to=ProposalStatus.SUBMITTED, actor=member)
        proposal.refresh_from_db()
        return proposal

    public = needs["public"]
    public.evaluators.set([users["author_a"]])
    proposals = {
        "x": propose(public, startups["x"], users["member_x"], "CANARY-PROPOSAL-X"),
        "y": propose(public, startups["y"], users["member_y"], "CANARY-PROPOSAL-Y"),
        "x_draft": propose(needs["registered"], startups["x"], users["member_x"], "CANARY-PROPOSAL-XDRAFT", False),
    }
    proposal_services.proposal_transition(
        proposal=proposals["x"], to=ProposalStatus.UNDER_REVIEW, actor=users["author_a"]
    )
    proposals["x"].refresh_from_db()
    proposal_services.evaluation_save(
        proposal=proposals["x"], evaluator=users["author_a"], scores=dict.fromkeys(Criterion.values, 3)
    )
    return proposals


def _scores(needs, startups) -> list[MatchScore]:
    """Scores with canary reasons; the draft need is startup X's best match of unit A (so that proposing
    meeting requests from the ranking reaches for it)."""

    def score(need, startup, value, code):
        return MatchScore.objects.update_or_create(
            need=need,
            startup=startup,
            defaults={
                "score": value,
                "components": {"text": value},
                "reasons": [{"code": code, "params": {}}],
                "model_version": "crawl",
                "computed_at": timezone.now(),
            },
        )[0]

    return [
        score(needs["public"], startups["y"], 0.61, "CANARY-SCORE-PUBLIC-Y"),
        score(needs["government"], startups["x"], 0.72, "CANARY-SCORE-GOV-X"),
        score(needs["draft"], startups["x"], 0.93, "CANARY-SCORE-DRAFT-X"),
    ]


def _meeting(orgs, users, startups):
    admin = users["admin"]
    day = timezone.localdate() + timedelta(days=14)
    meeting = meetings.meeting_create(
        actor=admin,
        number=1,
        title="第1回 合同推進会",
        days=[(day, time(10, 0), time(12, 0))],
        rooms=["A", "B"],
        slot_minutes=30,
        reply_by=timezone.localdate() + timedelta(days=7),
        units=[orgs["unit_a"], orgs["unit_b"]],
    )
    invitations = meetings.invitation_create(meeting=meeting, actor=admin, startups=[startups["x"], startups["y"]])
    for invitation, member in zip(invitations, [users["member_x"], users["member_y"]], strict=True):
        meetings.invitation_respond(invitation=invitation, actor=member, accept=True)
    meeting.refresh_from_db()
    meetings.requests_propose(meeting=meeting, actor=admin, min_score=0.0)
    for invitation in invitations:
        meetings.request_set(meeting=meeting, invitation=invitation, unit=orgs["unit_b"], actor=admin)
    with TestCase.captureOnCommitCallbacks(execute=True):
        schedule_enqueue(meeting=meeting, actor=admin, time_limit_s=5)
    meeting.refresh_from_db()
    meeting_publish(meeting=meeting, actor=admin)
    return meeting


def _imports(users):
    seeds_csv = (
        "corporate_number,name,name_en,description,technologies,tech_fields,trl,designations,prefecture,"
        f"founded_year,employees,website\n{make_corporate_number(990)},取込技研,,説明,,,5,,東京都,2020,10,\n"
    )
    seed_services.startup_import_preview(content=seeds_csv.encode(), filename="seeds.csv", actor=users["curator"])
    needs_csv = (
        "ref,title,description,desired_capabilities,tech_fields,min_trl,owner_unit,pathway,visibility\n"
        "N-2024-0990,取込ニーズ,説明,能力,,5,gsdf,early_equipment,public\n"
    )
    need_import_preview(content=needs_csv.encode(), filename="needs.csv", publish=False, actor=users["reviewer"])


def _sign_in_records(user) -> None:
    """What the admin lists about signing in: lockout records and two-step devices."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.two_factor import recovery_codes_issue

    Group.objects.create(name="crawl")
    # Not a crawl user's address: signing one in would reset (delete) its attempts.
    where = {"username": "locked-out@example.jp", "ip_address": "127.0.0.1", "user_agent": "crawl"}
    AccessAttempt.objects.create(**where, failures_since_start=1)
    AccessFailureLog.objects.create(**where)
    AccessLog.objects.create(**where)
    TOTPDevice.objects.create(user=user, name="crawl", confirmed=True)
    recovery_codes_issue(user=user)


def build_world() -> World:
    orgs = _organisations()
    users = _users(orgs)
    startups = {
        "x": StartupFactory(organisation=orgs["x"], name="株式会社エックス", trl=6),
        "y": StartupFactory(organisation=orgs["y"], name="株式会社ワイ", trl=6),
        "free": StartupFactory(name="株式会社未登録"),
    }
    Product.objects.create(startup=startups["x"], name="探知レーダー")
    seed_services.startup_note_add(startup=startups["x"], body="面談済み", actor=users["curator"])
    seed_services.startup_claim_request(
        corporate_number=startups["free"].corporate_number, actor=UserFactory(roles=[RoleCode.STARTUP_MEMBER])
    )
    needs = _needs(orgs["unit_a"])
    draft_upload = SimpleUploadedFile("仕様.pdf", pdf().read(), content_type="application/pdf")
    need_services.need_attach(need=needs["draft"], upload=draft_upload, actor=users["author_a"])
    need_services.question_ask(need=needs["public"], question="納期は？", actor=users["member_x"])
    proposals = _proposals(needs, startups, users)
    scores = _scores(needs, startups)
    Shortlist.objects.create(need=needs["public"], startup=startups["y"], added_by=users["author_a"])
    _meeting(orgs, users, startups)
    ConsultationRequest.objects.create(
        company_name="相談株式会社", company_summary="概要", inquiry="相談", technology="技術", defense_record="なし",
        contact_name="担当", contact_email="soudan@example.jp",
    )  # fmt: skip
    _imports(users)
    _sign_in_records(users["curator"])
    for user in users.values():
        if user is not None:
            Token.objects.get_or_create(user=user)
    world = World(users=users)
    world.canaries = [
        *(Canary(need.title, need, can_view_need) for need in needs.values() if need.title.startswith("CANARY")),
        *(Canary(proposal.title, proposal, can_view_proposal) for proposal in proposals.values()),
        *(Canary(score.reasons[0]["code"], score, may_see_score) for score in scores),
    ]
    assert SupportProgram.objects.exists() and Startup.objects.exists()
    return world
