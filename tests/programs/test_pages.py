"""The catalogue pages, curators' editing, a startup's programmes and how a profile change shows at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.enums import RoleCode
from programs.models import SupportProgram
from tests.factories import StartupFactory

ROLES = list(RoleCode)
GOVERNMENT = {RoleCode.CURATOR, RoleCode.NEED_AUTHOR, RoleCode.NEED_REVIEWER}


def codes_on(response) -> list[str]:
    return [row.program.code for row in response.context["rows"]]


def test_catalogue_is_public_and_lists_every_active_programme(client, db, today):
    response = client.get(reverse("programs:program_list"))
    assert response.status_code == 200
    assert len(codes_on(response)) == SupportProgram.objects.filter(is_active=True).count()


@pytest.mark.parametrize(
    ("query", "expected", "excluded"),
    [
        ({"category": "tax"}, {"rd_tax_oi", "innovation_box"}, {"deeptech"}),
        ({"stage": "seed"}, {"fastar", "deeptech_seed"}, {"deeptech_early", "deeptech_mass"}),
        ({"pathway": "bridging_research"}, {"bridging_research", "deeptech_seed"}, {"industry_day"}),
        # 1 October 2024: the consultation window always; Go-Tech's call closed on 19 April.
        ({"open_now": "on"}, {"consultation_window", "early_equipment"}, {"gotech_normal", "entry_exhibition"}),
    ],
)
def test_catalogue_filters(client, db, today, query, expected, excluded):
    shown = set(codes_on(client.get(reverse("programs:program_list"), query)))
    assert expected <= shown
    assert not excluded & shown


def test_programme_page_in_japanese_and_english_shows_the_figures(client, db, today):
    url = reverse("programs:program_detail", args=["deeptech_seed"])
    japanese = client.get(url, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "ディープテック・スタートアップ支援事業（実用化研究開発・シード期）" in japanese
    assert "5億円" in japanese and "3億円" in japanese and "2/3" in japanese
    client.post(reverse("accounts:switch_language"), {"language": "en", "next": url})
    english = client.get(url).content.decode()
    assert "Deep-Tech Startup Support: practical-application R&amp;D, seed tier" in english
    assert "¥500m" in english and "¥300m" in english and "4 years" in english


def test_parent_programme_page_lists_its_tiers(client, db, today):
    body = client.get(reverse("programs:program_detail", args=["deeptech"]), HTTP_ACCEPT_LANGUAGE="ja").content
    body = body.decode()
    assert "30億円" in body and "6年" in body
    for tier in ("deeptech_seed", "deeptech_early", "deeptech_mass"):
        assert reverse("programs:program_detail", args=[tier]) in body


def test_unknown_programme_is_404(client, db):
    assert client.get(reverse("programs:program_detail", args=["nothing"])).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_only_curators_edit_programmes(client_for, role):
    response = client_for(role).get(reverse("programs:program_edit", args=["jstartup"]))
    assert response.status_code == (200 if role == RoleCode.CURATOR else 403)


def test_anonymous_visitor_is_sent_to_sign_in_to_edit(client, db):
    assert client.get(reverse("programs:program_edit", args=["jstartup"])).status_code == 302


def edit_data(program: SupportProgram, **changes) -> dict:
    from programs.forms import ProgramForm

    form = ProgramForm(instance=program)
    data = {}
    for name in form.fields:
        value = form[name].value()
        if name in ("target_stages", "pathways"):
            data[name] = value or []
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value
    data.update(changes)
    return data


def test_curator_changes_a_figure_and_the_page_shows_it(client_for, today):
    client = client_for(RoleCode.CURATOR)
    program = SupportProgram.objects.get(code="deeptech_seed")
    response = client.post(
        reverse("programs:program_edit", args=["deeptech_seed"]), edit_data(program, max_amount_yen="600000000")
    )
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.max_amount_yen == 600_000_000
    assert program.rules == [{"kind": "stage_in", "stages": ["seed"]}, {"kind": "vc_investment"}]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("rules", '[{"kind": "astrology"}]', "Rule 1"),
        ("rules", "not json", "JSON"),
        ("windows", '[{"opens": "2024-05-01", "closes": "2024-04-01"}]', "closes before it opens"),
        ("rate_text", "two thirds", "fraction"),
    ],
)
def test_bad_programme_input_is_refused_with_a_reason_and_nothing_changes(client_for, today, field, value, message):
    client = client_for(RoleCode.CURATOR)
    program = SupportProgram.objects.get(code="deeptech_seed")
    client.post(reverse("accounts:switch_language"), {"language": "en"})
    response = client.post(
        reverse("programs:program_edit", args=["deeptech_seed"]), edit_data(program, **{field: value}, name_en="X")
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    program.refresh_from_db()
    assert program.name_en != "X"


def test_curator_adds_a_programme(client_for, today):
    client = client_for(RoleCode.CURATOR)
    data = edit_data(
        SupportProgram(),
        code="new_window",
        name_ja="新制度",
        name_en="New scheme",
        operator_ja="経産省",
        operator_en="METI",
        category="award",
        position="99",
    )
    response = client.post(reverse("programs:program_create"), data)
    assert response.status_code == 302
    assert SupportProgram.objects.get(code="new_window").updated_by is not None


# --- A startup's programmes ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_startup_programmes_page_is_for_government_users_only_among_outsiders(client_for, role, today):
    startup = StartupFactory(stage="seed")
    response = client_for(role).get(reverse("programs:startup_programs", args=[startup.pk]))
    assert response.status_code == (200 if role in GOVERNMENT else 403)


def test_startup_member_sees_its_own_programmes(client, member_and_startup, today):
    member, startup = member_and_startup
    client.force_login(member)
    response = client.get(reverse("programs:startup_programs", args=[startup.pk]))
    assert response.status_code == 200
    codes = [item.program.code for item in response.context["recommendations"]]
    assert "fastar" in codes and "deeptech_seed" in codes


def test_home_page_shows_a_startup_member_its_programmes_and_a_profile_change_updates_them(
    client, member_and_startup, today
):
    member, startup = member_and_startup
    client.force_login(member)
    client.post(reverse("accounts:switch_language"), {"language": "en"})
    body = client.get(reverse("home")).content.decode()
    assert 'data-program="deeptech_seed" data-status="incomplete"' in body
    assert f"{reverse('seeds:startup_edit', args=[startup.pk])}#id_has_vc_investment" in body
    startup.has_vc_investment = True
    startup.save()
    body = client.get(reverse("home")).content.decode()
    assert 'data-program="deeptech_seed" data-status="eligible"' in body


def test_member_fills_a_missing_field_on_the_profile_form(client, member_and_startup, today):
    member, startup = member_and_startup
    client.force_login(member)
    form = client.get(reverse("seeds:startup_edit", args=[startup.pk])).context["form"]
    assert {"is_sme", "has_vc_investment", "has_business_investment", "has_partnership_memorandum"} <= set(form.fields)
    data = {
        "name_en": startup.name_en,
        "description": startup.description,
        "is_sme": "true",
        "has_vc_investment": "false",
        "has_business_investment": "unknown",
        "has_partnership_memorandum": "unknown",
    }
    assert client.post(reverse("seeds:startup_edit", args=[startup.pk]), data).status_code == 302
    startup.refresh_from_db()
    assert (startup.is_sme, startup.has_vc_investment, startup.has_business_investment) == (True, False, None)
    codes = [
        item.program.code
        for item in client.get(reverse("programs:startup_programs", args=[startup.pk])).context["recommendations"]
    ]
    assert "deeptech_seed" not in codes  # VC investment now "no": the seed tier requires it


def test_profile_page_shows_programmes_to_government_users_but_not_to_portal_admins(client_for, today):
    startup = StartupFactory(stage="seed")
    url = reverse("seeds:startup_detail", args=[startup.pk])
    assert 'data-testid="program-recommendations"' in client_for(RoleCode.CURATOR).get(url).content.decode()
    assert 'data-testid="program-recommendations"' not in client_for(RoleCode.PORTAL_ADMIN).get(url).content.decode()


def test_programme_page_tells_a_member_how_its_company_fares(client, member_and_startup, today):
    member, _startup = member_and_startup
    client.force_login(member)
    response = client.get(reverse("programs:program_detail", args=["entry_exhibition"]))
    assert [item.status for item in response.context["own"]["results"]] == ["eligible"]  # an SME
    tiers = client.get(reverse("programs:program_detail", args=["deeptech"])).context["own"]["results"]
    # A seed-stage company: the seed tier waits for the VC question, the others are for later stages.
    assert [(item.program.code, item.status) for item in tiers] == [
        ("deeptech_seed", "incomplete"),
        ("deeptech_early", "ineligible"),
        ("deeptech_mass", "ineligible"),
    ]


# --- Query counts ------------------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_catalogue_runs_the_same_queries_with_more_programmes(client, db, today):
    url = reverse("programs:program_list")
    before = _queries(client, url)
    template = SupportProgram.objects.get(code="deeptech_seed")
    for number in range(30):
        template.pk, template.code = None, f"copy{number}"
        template.save()
    assert _queries(client, url) == before


def test_startup_programmes_page_runs_the_same_queries_with_more_designations_and_programmes(
    client, member_and_startup, today
):
    member, startup = member_and_startup
    client.force_login(member)
    url = reverse("programs:startup_programs", args=[startup.pk])
    before = _queries(client, url)
    from seeds.models import Designation

    for program in ("jstartup", "jva", "fastar"):
        Designation.objects.create(startup=startup, program=program, cohort="2023")
    template = SupportProgram.objects.get(code="deeptech_seed")
    for number in range(20):
        template.pk, template.code = None, f"copy{number}"
        template.save()
    assert _queries(client, url) == before


def test_match_pathway_hint_links_to_the_matching_programmes(db):
    from django.template.loader import render_to_string

    html = render_to_string(
        "matchmaking/includes/pathway.html",
        {"row": {"pathway": {"code": "bridging_research", "label": "Bridging research", "reason": "TRL short"}}},
    )
    assert f"{reverse('programs:program_list')}?pathway=bridging_research" in html


def test_an_unknown_fact_asks_whoever_can_settle_it(client, client_for, member_and_startup, today):
    member, startup = member_and_startup
    startup.stage = ""
    startup.save()
    url = reverse("programs:startup_programs", args=[startup.pk])
    client.force_login(member)
    client.post(reverse("accounts:switch_language"), {"language": "en"})
    body = client.get(url).content.decode()
    # The member fills the VC question; the stage is the curators' to record.
    assert 'data-testid="fill-has_vc_investment"' in body and 'data-testid="fill-stage"' not in body
    assert "The curators record this: ask them to add it." in body
    curator_body = client_for(RoleCode.CURATOR).get(url).content.decode()
    assert 'data-testid="fill-stage"' in curator_body
    author_body = client_for(RoleCode.NEED_AUTHOR).get(url).content.decode()
    assert "fill-" not in author_body and "ask them" not in author_body


def test_profile_shows_the_facts_programmes_ask_about(client, member_and_startup):
    member, _startup = member_and_startup
    client.force_login(member)
    client.post(reverse("accounts:switch_language"), {"language": "en"})
    body = client.get(reverse("seeds:my_company")).content.decode()
    assert "<dt>SME</dt><dd>Yes" in body and "<dt>VC investment</dt><dd>Unknown" in body


@pytest.mark.parametrize(
    ("code", "changes", "message"),
    [
        ("jva", {"code": "jstartup"}, "already exists"),
        ("deeptech", {"parent": "gotech"}, "A programme that has tiers cannot itself be a tier."),
    ],
)
def test_curator_cannot_break_the_catalogues_structure(client_for, today, code, changes, message):
    client = client_for(RoleCode.CURATOR)
    client.post(reverse("accounts:switch_language"), {"language": "en"})
    program = SupportProgram.objects.get(code=code)
    if "parent" in changes:
        changes = {"parent": SupportProgram.objects.get(code=changes["parent"]).pk}
    response = client.post(reverse("programs:program_edit", args=[code]), edit_data(program, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert SupportProgram.objects.get(pk=program.pk).code == code


def test_a_hidden_programme_leaves_the_catalogue_but_curators_still_open_it(client, client_for, today):
    SupportProgram.objects.filter(code="jva").update(is_active=False)
    assert "jva" not in codes_on(client.get(reverse("programs:program_list")))
    assert client.get(reverse("programs:program_detail", args=["jva"])).status_code == 404
    assert client_for(RoleCode.CURATOR).get(reverse("programs:program_detail", args=["jva"])).status_code == 200


def test_windows_are_labelled_in_the_readers_language(client, db, today):
    url = reverse("programs:program_detail", args=["gotech_normal"])
    assert "令和6年度公募" in client.get(url, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    client.post(reverse("accounts:switch_language"), {"language": "en", "next": url})
    body = client.get(url).content.decode()
    assert "FY2024 call" in body and "2024-02-16" in body and "2024-04-19" in body


def test_an_eligible_card_never_shows_a_failed_mark_for_an_advantage(client, member_and_startup, today):
    """The card said 対象 above "✗ 非該当 (加点)": an advantage not met excludes nothing, it earns no points."""
    member, _startup = member_and_startup  # TRL 4: short of the early-equipment scheme's guidance (TRL 7–9)
    client.force_login(member)
    page = client.get(reverse("programs:program_detail", args=["early_equipment"]), HTTP_ACCEPT_LANGUAGE="ja")
    card = page.content.decode().split('data-testid="own-eligibility"')[1].split("</section>")[0]
    assert 'data-status="eligible"' in card
    with translation.override("ja"):
        not_met = translation.pgettext("eligibility rule", "Not met")
        no_points = translation.pgettext("eligibility rule", "No advantage")
    rule = card.split('data-rule="trl_range"')[1].split("</li>")[0]
    assert "✗" not in rule and not_met not in rule
    assert no_points in rule
