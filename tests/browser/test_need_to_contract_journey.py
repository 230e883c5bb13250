"""From a unit's need to a selected proposal, in Japanese, with each person in their own browser context.

A GSDF need author posts a need and submits it; an Internal Bureau reviewer publishes it; a J-Startup company asks a
question, reads the unit's answer and proposes with a PDF attached; the unit starts the review and picks two
evaluators, who score the proposal; the reviewer selects it from the ranking; the startup sees the decision and the
public results page lists it.

As in the other journeys, visible texts come from Django's own catalogue (`ja()`, `ja_context()`, form labels from
the models' verbose names), so the test follows the translations as they land; locators are role- and label-based.
"""

import contextlib
import datetime
import re
from statistics import mean
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from playwright.sync_api import Browser, Locator, Page, expect

from accounts.enums import OrganisationKind, RoleCode, UnitCode
from needs.enums import Criterion, NeedStatus, Pathway, ProposalStatus, Visibility
from needs.models import Evaluation, Need, NeedQuestion, Proposal
from seeds.models import Designation, TechField
from tests.browser.conftest import DEFAULT_TIMEOUT_MS
from tests.factories import TEST_PASSWORD, OrganisationFactory, StartupFactory, UserFactory, make_corporate_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOKYO = ZoneInfo("Asia/Tokyo")
COMPANY = "株式会社あまつかぜセンシング"
# Two fields of the taxonomy (seeds/migrations/0002_tech_fields.py): (code, Japanese, English). A transactional
# test flushes the migration's rows, so the test makes sure they exist.
TECH_FIELDS = [
    ("unmanned", "無人アセット", "Unmanned systems"),
    ("sensing", "センシング・探知", "Sensing and detection"),
]

NEED_TITLE = "駐屯地周辺の小型無人機の早期探知"
NEED_PROBLEM = "夜間や悪天候時に、駐屯地へ接近する小型無人機を目視とレーダーだけでは早期に探知できない。"
NEED_CAPABILITIES = "半径3km以内の小型無人機を探知し、位置と進路を5秒以内に表示できること。"
NEED_MIN_TRL = 5
QUESTION = "試験評価の際、駐屯地内で電波を発射する機器を使用できますか。"
ANSWER = "事前に申請いただければ、指定した区域内で使用できます。"

PROPOSAL_TITLE = "音響と電波の複合センサーによる小型無人機探知"
PROPOSAL_SUMMARY = "マイクロフォンアレイと受動電波センサーを組み合わせ、小型無人機を夜間でも探知します。"
PROPOSAL_TRL = 6
PDF_NAME = "提案概要.pdf"

# Each evaluator's score on the five criteria (1–5); equal weights, so the weighted score is their mean.
AUTHOR_SCORES = dict(zip(Criterion.values, [4, 5, 3, 4, 4], strict=True))
SECOND_SCORES = dict(zip(Criterion.values, [5, 4, 4, 5, 4], strict=True))


# --- Texts from the catalogue -------------------------------------------------------------------------------


def ja(msgid: str, **params) -> str:
    with translation.override("ja"):
        text = translation.gettext(msgid)
    return text % params if params else text


def ja_context(context: str, msgid: str, **params) -> str:
    with translation.override("ja"):
        text = translation.pgettext(context, msgid)
    return text % params if params else text


def ja_label(model, name: str) -> str:
    """A model form field's label: its verbose name, capitalised, in Japanese."""
    with translation.override("ja"):
        return capfirst(str(model._meta.get_field(name).verbose_name))


def ja_choice(choice) -> str:
    with translation.override("ja"):
        return str(choice.label)


# --- Locators and steps ---------------------------------------------------------------------------------------


def expect_language(page: Page, code: str = "ja") -> None:
    expect(page.locator("html")).to_have_attribute("lang", code)


def field(scope: Locator | Page, label: str) -> Locator:
    """The control whose <label> reads `label`, optionally followed by the required-field asterisk."""
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}(\s*\*)?$"))


def group(scope: Locator | Page, legend: str) -> Locator:
    """A fieldset (checkboxes, radio buttons, date and time) by its legend, asterisk or not."""
    return scope.get_by_role("group", name=re.compile(rf"^{re.escape(legend)}(\s*\*)?$"))


def navigation(page: Page) -> Locator:
    return page.get_by_role("navigation", name=ja("Main navigation"))


def expect_message(page: Page, text: str) -> None:
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def expect_heading(page: Page, text: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_contain_text(text)
    expect_language(page)


def status_tag(page: Page) -> Locator:
    return page.locator("main p.lead [data-status]")


def sign_in(page: Page, live_url: str, user) -> None:
    header = page.locator("header.site-header")
    page.goto(live_url + "/")
    expect_language(page)
    header.get_by_role("link", name=ja("Sign in"), exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(live_url + reverse("accounts:login"))))
    form = page.locator("main form")
    field(form, ja("E-mail address")).fill(user.email)
    field(form, ja("Password")).fill(TEST_PASSWORD)
    form.get_by_role("button", name=ja("Sign in"), exact=True).click()
    expect(header.get_by_role("button", name=ja("Sign out"), exact=True)).to_be_visible()
    expect_language(page)


def open_need_from_board(page: Page, need: Need) -> None:
    navigation(page).get_by_role("link", name=ja("Needs"), exact=True).click()
    expect_heading(page, ja("Defense needs"))
    search = page.get_by_role("search", name=ja("Search and filter needs"))
    field(search, ja("Search")).fill("小型無人機")
    search.get_by_role("button", name=ja("Search"), exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]q="))
    rows = page.get_by_role("table").locator("tbody").get_by_role("row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(need.ref)
    rows.first.get_by_role("link", name=NEED_TITLE, exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(reverse("needs:need_detail", args=[need.pk])) + r"(#.*)?$"))
    expect_heading(page, NEED_TITLE)


def open_need_link(page: Page, label: str) -> None:
    """One of the owning unit's links in the "Proposals" block of the need's page."""
    block = page.get_by_role("region", name=ja("Proposals"))
    block.get_by_role("link", name=ja_context("need page link", label), exact=True).click()


def evaluate(page: Page, proposal: Proposal, scores: dict[str, int]) -> None:
    """From the proposal's page: open the evaluation form, tick a score in each criterion's group, save."""
    page.get_by_role("link", name=ja("Evaluate"), exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(reverse("needs:evaluation_form", args=[proposal.pk])) + "$"))
    expect_heading(page, ja("Evaluate %(title)s", title=PROPOSAL_TITLE))
    save = page.get_by_role("button", name=ja("Save my evaluation"), exact=True)
    form = page.locator("main form").filter(has=save)
    for criterion in Criterion:
        group(form, ja_choice(criterion)).get_by_role("radio", name=str(scores[criterion]), exact=True).check()
    save.click()
    expect(page).to_have_url(re.compile(re.escape(reverse("needs:proposal_detail", args=[proposal.pk])) + "$"))
    expect_message(page, ja("Your evaluation was saved."))
    expect_language(page)


def minimal_pdf() -> bytes:
    """A one-page PDF with a correct cross-reference table and trailer."""
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, xref)
    return bytes(out)


@pytest.fixture
def new_page(browser: Browser):
    """Pages in fresh browser contexts (own cookies: one person each), closed after the test."""
    with contextlib.ExitStack() as stack:

        def make() -> Page:
            context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo")
            stack.callback(context.close)
            context.set_default_timeout(DEFAULT_TIMEOUT_MS)
            return context.new_page()

        yield make


# --- The journey ---------------------------------------------------------------------------------------------


def test_need_is_posted_published_answered_proposed_evaluated_and_selected(
    page: Page, new_page, live_url, settings, tmp_path
):
    settings.SITE_URL = live_url
    settings.MEDIA_ROOT = tmp_path / "media"
    pdf = tmp_path / PDF_NAME
    pdf.write_bytes(minimal_pdf())

    # --- 1. The people, set up directly in the database.
    for position, (code, name_ja, name_en) in enumerate(TECH_FIELDS):
        TechField.objects.update_or_create(
            code=code, defaults={"name_ja": name_ja, "name_en": name_en, "position": position}
        )
    gsdf = OrganisationFactory(
        name="陸上幕僚監部",
        name_en="GSDF Staff Office",
        kind=OrganisationKind.MOD_UNIT,
        unit_code=UnitCode.GSDF,
        corporate_number="",
    )
    bureau = OrganisationFactory(
        name="防衛省内部部局",
        name_en="MOD Internal Bureau",
        kind=OrganisationKind.MOD_UNIT,
        unit_code=UnitCode.INTERNAL_BUREAU,
        corporate_number="",
    )
    company = OrganisationFactory(
        name=COMPANY, kind=OrganisationKind.STARTUP, corporate_number=make_corporate_number(9101)
    )
    author = UserFactory(
        organisation=gsdf, roles=[RoleCode.NEED_AUTHOR], full_name="陸野 一郎", email="rikuno@gsdf.example.jp"
    )
    second = UserFactory(
        organisation=gsdf, roles=[RoleCode.NEED_AUTHOR], full_name="陸野 次郎", email="jiro@gsdf.example.jp"
    )
    reviewer = UserFactory(
        organisation=bureau, roles=[RoleCode.NEED_REVIEWER], full_name="内局 花子", email="hanako@mod.example.jp"
    )
    member = UserFactory(
        organisation=company, roles=[RoleCode.STARTUP_MEMBER], full_name="天津 風太", email="futa@amatsukaze.example.jp"
    )
    startup = StartupFactory(
        name=COMPANY,
        name_en="Amatsukaze Sensing Inc.",
        corporate_number=company.corporate_number,
        organisation=company,
        description="音響センサーと受動電波センサーで小型無人機を探知します。",
        technologies=["マイクロフォンアレイ", "受動電波探知"],
        trl=5,
        tech_fields=["sensing"],
    )
    Designation.objects.create(startup=startup, program="jstartup", cohort="2023")

    # --- 2. The unit author posts the need and submits it for review.
    sign_in(page, live_url, author)
    navigation(page).get_by_role("link", name=ja("New need"), exact=True).click()
    expect(page).to_have_url(live_url + reverse("needs:need_create"))
    expect_heading(page, ja("Post a need"))
    form = page.locator("main form")
    field(form, ja_label(Need, "title")).fill(NEED_TITLE)
    field(form, ja_label(Need, "description")).fill(NEED_PROBLEM)
    field(form, ja_label(Need, "desired_capabilities")).fill(NEED_CAPABILITIES)
    tech_fields = group(form, ja_label(Need, "tech_fields"))
    for _code, name_ja, _name_en in TECH_FIELDS:
        tech_fields.get_by_label(name_ja, exact=True).check()
    field(form, ja_label(Need, "min_trl")).select_option(str(NEED_MIN_TRL))
    field(form, ja_label(Need, "pathway")).select_option(label=ja_choice(Pathway.TECH_PROPOSAL))
    field(form, ja_label(Need, "visibility")).select_option(label=ja_choice(Visibility.PUBLIC))
    deadline_day = datetime.datetime.now(TOKYO).date() + datetime.timedelta(days=30)
    deadline = group(form, ja_label(Need, "proposal_deadline"))
    deadline.get_by_label(ja("Date"), exact=True).fill(deadline_day.isoformat())
    deadline.get_by_label(ja("Time (JST)"), exact=True).fill("17:00")
    form.get_by_role("button", name=ja("Submit for review"), exact=True).click()

    expect_message(page, ja("The need was submitted for review."))
    expect_heading(page, NEED_TITLE)
    need = Need.objects.get(title=NEED_TITLE)
    expect(page).to_have_url(live_url + reverse("needs:need_detail", args=[need.pk]))
    expect(page.locator("main [data-status]").first).to_have_text(ja_context("need status", "Under review"))
    assert need.status == NeedStatus.SUBMITTED
    assert need.owner_unit == gsdf
    assert need.min_trl == NEED_MIN_TRL
    assert need.pathway == Pathway.TECH_PROPOSAL
    assert need.visibility == Visibility.PUBLIC
    assert sorted(need.tech_fields.values_list("code", flat=True)) == sorted(code for code, *_ in TECH_FIELDS)
    assert need.proposal_deadline == datetime.datetime.combine(deadline_day, datetime.time(17, 0), tzinfo=TOKYO)

    # --- 3. The reviewer publishes it from the review queue.
    reviewer_page = new_page()
    sign_in(reviewer_page, live_url, reviewer)
    navigation(reviewer_page).get_by_role("link", name=ja("Review"), exact=True).click()
    expect(reviewer_page).to_have_url(live_url + reverse("needs:review_queue"))
    expect_heading(reviewer_page, ja("Need review"))
    queue = reviewer_page.get_by_role("table").locator("tbody").get_by_role("row")
    expect(queue.filter(has_text=need.ref)).to_have_count(1)
    queue.filter(has_text=need.ref).get_by_role("link", name=NEED_TITLE, exact=True).click()
    expect_heading(reviewer_page, NEED_TITLE)
    transitions = reviewer_page.get_by_test_id("transitions")
    transitions.get_by_role("button", name=ja_context("need action", "Publish"), exact=True).click()
    expect_message(reviewer_page, ja("The need was published."))
    expect(reviewer_page.locator("main [data-status]").first).to_have_text(ja_context("need status", "Published"))
    expect_language(reviewer_page)

    # --- 4. The startup finds the need on the board and asks a question; the unit answers it.
    startup_page = new_page()
    sign_in(startup_page, live_url, member)
    open_need_from_board(startup_page, need)
    questions = startup_page.get_by_role("region", name=ja("Questions and answers"))
    expect(questions).to_contain_text(ja("No questions have been answered yet."))
    ask = questions.get_by_role("form", name=ja("Ask a question"))
    field(ask, ja_label(NeedQuestion, "question")).fill(QUESTION)
    ask.get_by_role("button", name=ja("Send the question"), exact=True).click()
    expect_message(startup_page, ja("Your question was sent to the unit. Its answer will appear on this page."))
    expect_language(startup_page)
    expect(startup_page.get_by_text(QUESTION)).to_have_count(0)  # not shown until it is answered

    page.reload()
    expect_heading(page, NEED_TITLE)
    unit_questions = page.get_by_role("region", name=ja("Questions and answers"))
    item = unit_questions.get_by_role("listitem").filter(has_text=QUESTION)
    expect(item).to_contain_text(ja("Not answered yet."))
    field(item, ja_label(NeedQuestion, "answer")).fill(ANSWER)
    item.get_by_role("button", name=ja("Publish the answer"), exact=True).click()
    expect_message(page, ja("The answer is published on the need."))
    expect_language(page)

    startup_page.reload()
    expect_heading(startup_page, NEED_TITLE)
    answered = questions.get_by_role("listitem").filter(has_text=QUESTION)
    expect(answered).to_contain_text(ANSWER)
    expect(answered).not_to_contain_text(member.full_name)  # the asker is never named

    # --- 5. The startup proposes, with a PDF attached.
    startup_page.get_by_role("link", name=ja("Propose a solution"), exact=True).click()
    expect(startup_page).to_have_url(live_url + reverse("needs:proposal_create", args=[need.pk]))
    expect_heading(startup_page, ja("New proposal"))
    proposal_form = startup_page.locator("main form").filter(
        has=startup_page.get_by_role("button", name=ja("Save draft"), exact=True)
    )
    field(proposal_form, ja_label(Proposal, "title")).fill(PROPOSAL_TITLE)
    summary = field(proposal_form, ja_label(Proposal, "summary"))
    expect(summary).to_have_value(startup.description)  # pre-filled from the company profile
    summary.fill(PROPOSAL_SUMMARY)
    field(proposal_form, ja("Current TRL")).select_option(str(PROPOSAL_TRL))
    field(proposal_form, ja_label(Proposal, "schedule")).fill("契約後6か月で試作、12か月で駐屯地での実証。")
    field(proposal_form, ja_label(Proposal, "cost_min_yen")).fill("5000000")
    field(proposal_form, ja_label(Proposal, "cost_max_yen")).fill("12000000")
    field(proposal_form, ja("Attachments")).set_input_files(pdf)
    proposal_form.get_by_role("button", name=ja("Submit"), exact=True).click()

    expect_message(startup_page, ja("The proposal was submitted. The unit has been told."))
    expect_heading(startup_page, PROPOSAL_TITLE)
    proposal = Proposal.objects.get(title=PROPOSAL_TITLE)
    expect(startup_page).to_have_url(live_url + reverse("needs:proposal_detail", args=[proposal.pk]))
    expect(status_tag(startup_page)).to_have_text(ja_context("proposal status", "Submitted"))
    expect(startup_page.get_by_test_id("attachment")).to_have_text(PDF_NAME)
    assert proposal.status == ProposalStatus.SUBMITTED
    assert proposal.startup == startup
    assert proposal.current_trl == PROPOSAL_TRL
    assert [(a.original_name, a.content_type) for a in proposal.attachments.all()] == [(PDF_NAME, "application/pdf")]
    assert author.email in {address for message in mail.outbox for address in message.to}  # the unit was told

    # --- 6. The unit starts the review and picks the evaluators; both score; the reviewer selects.
    page.reload()
    open_need_link(page, "Proposals")
    expect(page).to_have_url(live_url + reverse("needs:need_proposals", args=[need.pk]))
    expect_heading(page, ja("Proposals to %(ref)s", ref=need.ref))
    listed = page.get_by_test_id("proposal-row").filter(has_text=PROPOSAL_TITLE)
    expect(listed).to_contain_text(COMPANY)
    listed.get_by_role("link", name=PROPOSAL_TITLE, exact=True).click()
    expect_heading(page, PROPOSAL_TITLE)
    moves = page.get_by_role("form", name=ja("Change the status"))
    moves.get_by_role("button", name=ja_context("proposal action", "Start the review"), exact=True).click()
    under_review = ja_context("proposal status", "Under review")
    expect_message(page, ja("“%(title)s” is now: %(status)s.", title=PROPOSAL_TITLE, status=under_review))
    expect(status_tag(page)).to_have_text(under_review)
    expect_language(page)

    page.get_by_role("link", name=f"{need.ref} {NEED_TITLE}").first.click()
    expect_heading(page, NEED_TITLE)
    open_need_link(page, "Evaluators")
    expect(page).to_have_url(live_url + reverse("needs:need_evaluators", args=[need.pk]))
    expect_heading(page, ja("Evaluators of %(ref)s", ref=need.ref))
    evaluators = group(page.locator("main form"), ja("Evaluators"))
    for evaluator in (author, second):
        evaluators.get_by_label(f"{evaluator.full_name} ({gsdf.name})", exact=True).check()
    page.get_by_role("button", name=ja("Save the evaluators"), exact=True).click()
    expect(page).to_have_url(live_url + reverse("needs:need_ranking", args=[need.pk]))
    expect_message(page, ja("The evaluators were saved."))
    expect_language(page)
    assert set(need.evaluators.all()) == {author, second}

    page.get_by_test_id("ranking-row").filter(has_text=PROPOSAL_TITLE).get_by_role("link", name=PROPOSAL_TITLE).click()
    expect_heading(page, PROPOSAL_TITLE)
    evaluate(page, proposal, AUTHOR_SCORES)

    second_page = new_page()
    sign_in(second_page, live_url, second)
    open_need_from_board(second_page, need)
    open_need_link(second_page, "Proposals")
    second_page.get_by_test_id("proposal-row").get_by_role("link", name=PROPOSAL_TITLE, exact=True).click()
    expect_heading(second_page, PROPOSAL_TITLE)
    evaluate(second_page, proposal, SECOND_SCORES)
    assert Evaluation.objects.filter(proposal=proposal).count() == 2

    reviewer_page.reload()
    open_need_link(reviewer_page, "Ranking")
    expect(reviewer_page).to_have_url(live_url + reverse("needs:need_ranking", args=[need.pk]))
    expect_heading(reviewer_page, ja("Evaluation ranking of %(ref)s", ref=need.ref))
    row = reviewer_page.get_by_test_id("ranking-row").filter(has_text=PROPOSAL_TITLE)
    expect(row).to_contain_text(COMPANY)
    weighted = mean([mean(AUTHOR_SCORES.values()), mean(SECOND_SCORES.values())])
    total = weighted + settings.NEEDS_DESIGNATION_BONUS["jstartup"]
    expect(row.get_by_test_id("total")).to_have_text(f"{total:.2f}")
    select = ja_context("proposal action", "Select “%(title)s”", title=PROPOSAL_TITLE)
    row.get_by_role("button", name=select, exact=True).click()
    selected = ja_context("proposal status", "Selected")
    expect_message(reviewer_page, ja("“%(title)s” is now: %(status)s.", title=PROPOSAL_TITLE, status=selected))
    expect(reviewer_page).to_have_url(live_url + reverse("needs:need_ranking", args=[need.pk]))
    expect(row.locator("[data-status]")).to_have_text(selected)
    expect_language(reviewer_page)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SELECTED

    # --- 7. The startup sees the decision; the public results page lists it.
    navigation(startup_page).get_by_role("link", name=ja("My proposals"), exact=True).click()
    expect(startup_page).to_have_url(live_url + reverse("needs:my_proposals"))
    expect_heading(startup_page, ja("My proposals"))
    mine = startup_page.get_by_test_id("proposal-row").filter(has_text=PROPOSAL_TITLE)
    expect(mine.locator("[data-status]")).to_have_text(selected)
    mine.get_by_role("link", name=PROPOSAL_TITLE, exact=True).click()
    expect_heading(startup_page, PROPOSAL_TITLE)
    expect(status_tag(startup_page)).to_have_text(selected)
    subject = ja("Proposal “%(title)s”: %(status)s", title=PROPOSAL_TITLE, status=selected)
    assert [message.subject for message in mail.outbox if message.to == [member.email]][-1] == subject

    public_page = new_page()
    public_page.goto(live_url + "/")
    expect_language(public_page)
    navigation(public_page).get_by_role("link", name=ja("Results"), exact=True).click()
    expect(public_page).to_have_url(live_url + reverse("needs:results"))
    expect_heading(public_page, ja("Published results"))
    result = public_page.get_by_test_id("result-row").filter(has_text=PROPOSAL_TITLE)
    expect(result).to_have_count(1)
    expect(result).to_contain_text(COMPANY)
    expect(result).to_contain_text(need.ref)
    expect(result.locator("[data-status]")).to_have_text(selected)
