"""The registry pages: who may open what (DESIGN.md §3), what each reader sees, search, filters, export.

Assertions are on language-independent facts (status codes, URLs, data values, database state), so that they
hold whatever the catalogues say.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from accounts.enums import RoleCode
from seeds import services
from seeds.enums import ClaimStatus
from seeds.models import CuratorNote, Designation, Product, Startup, StartupClaim, TechField
from tests.factories import OrganisationFactory, StartupFactory, make_corporate_number

ROLES = list(RoleCode)
GOVERNMENT_ROLES = {RoleCode.CURATOR, RoleCode.NEED_AUTHOR, RoleCode.NEED_REVIEWER}
BROWSERS = GOVERNMENT_ROLES | {RoleCode.PORTAL_ADMIN}
CURATORS = {RoleCode.CURATOR}
CSV_HEADER = (
    "corporate_number,name,name_en,description,technologies,tech_fields,trl,designations,prefecture,"
    "founded_year,employees,website"
)


def csv_file(*rows: str) -> bytes:
    return ("\n".join([CSV_HEADER, *rows]) + "\n").encode()


@pytest.fixture
def world(db, user_with_role):
    """One unclaimed startup with a product, a pending import and a pending claim: something behind every URL."""
    startup = StartupFactory(contact_email="contact@hidden.example.jp")
    product = Product.objects.create(startup=startup, name="Product A")
    curator = user_with_role(RoleCode.CURATOR)
    pending, _report = services.startup_import_preview(
        content=csv_file(f"{make_corporate_number(900)},新会社,,,,,,,,,,"), filename="list.csv", actor=curator
    )
    claimant = OrganisationFactory()
    claim = StartupClaim.objects.create(startup=startup, organisation=claimant)
    return {"startup": startup, "product": product, "import": pending, "claim": claim}


def page_url(name: str, world) -> str:
    startup = world["startup"]
    arguments = {
        "startup_detail": [startup.pk],
        "startup_edit": [startup.pk],
        "note_add": [startup.pk],
        "designation_add": [startup.pk],
        "product_add": [startup.pk],
        "product_remove": [startup.pk, world["product"].pk],
        "import_preview": [world["import"].pk],
        "import_confirm": [world["import"].pk],
        "claim_decide": [world["claim"].pk],
    }
    return reverse(f"seeds:{name}", args=arguments.get(name, []))


# (page, roles that may open it); any other role gets 403, an anonymous visitor the sign-in page.
PAGES = [
    ("startup_list", BROWSERS),
    ("startup_export", CURATORS),
    ("startup_create", CURATORS),
    ("startup_detail", BROWSERS),
    ("startup_edit", CURATORS),  # the startup is unclaimed: no startup member edits it
    ("import_upload", CURATORS),
    ("import_preview", CURATORS),
    ("merge", CURATORS),
    ("claim_list", CURATORS),
    ("my_company", {RoleCode.STARTUP_MEMBER}),
]
# Forms that only take a POST: refused (403) to every role but curators, and changing nothing then.
POST_ONLY = ["note_add", "designation_add", "product_add", "product_remove", "import_confirm", "claim_decide"]


@pytest.mark.parametrize(("name", "allowed"), PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_page_opens_for_its_roles_and_is_refused_to_the_others(client_for, world, role, name, allowed):
    response = client_for(role).get(page_url(name, world))
    assert response.status_code == (200 if role in allowed else 403)


@pytest.mark.parametrize("name", [name for name, _allowed in PAGES] + POST_ONLY)
def test_anonymous_visitor_is_sent_to_sign_in(client, world, name):
    url = page_url(name, world)
    response = client.post(url) if name in POST_ONLY else client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", POST_ONLY)
@pytest.mark.parametrize("role", sorted(set(ROLES) - CURATORS))
def test_curator_actions_are_refused_to_other_roles_and_change_nothing(client_for, world, role, name):
    data = {"note-body": "x", "product-name": "x", "designation-program": "jva", "designation-cohort": "2024"}
    response = client_for(role).post(page_url(name, world), {**data, "decision": "approve"})
    assert response.status_code == 403
    startup = world["startup"]
    assert not CuratorNote.objects.exists()
    assert not startup.designations.exists()
    assert list(startup.products.values_list("name", flat=True)) == ["Product A"]
    world["claim"].refresh_from_db()
    world["import"].refresh_from_db()
    assert (world["claim"].status, world["import"].status) == ("pending", "previewed")


@pytest.mark.parametrize("name", POST_ONLY)
def test_curator_actions_take_no_get(client_for, world, name):
    assert client_for(RoleCode.CURATOR).get(page_url(name, world)).status_code == 405


def test_missing_startup_is_not_found(client_for, db):
    assert client_for(RoleCode.CURATOR).get(reverse("seeds:startup_detail", args=[999999])).status_code == 404


# --- A startup's own members ----------------------------------------------------------------------------


def test_startup_member_opens_their_own_company_but_not_another(client, user_with_role):
    member = user_with_role(RoleCode.STARTUP_MEMBER)
    own = StartupFactory(organisation=member.organisation)
    other = StartupFactory()
    client.force_login(member)
    assert client.get(reverse("seeds:startup_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("seeds:startup_edit", args=[own.pk])).status_code == 200
    assert client.get(reverse("seeds:startup_detail", args=[other.pk])).status_code == 403
    assert client.get(reverse("seeds:startup_edit", args=[other.pk])).status_code == 403
    body = client.get(reverse("seeds:my_company")).content.decode()
    assert own.name in body
    assert reverse("seeds:startup_edit", args=[own.pk]) in body


# --- Who sees contact details and curator notes ---------------------------------------------------------

CONTACT_EMAIL = "kazuko@contact.example.jp"
DEFENSE_RECORD = "DEFENSE-RECORD-7781"
NOTE = "CURATOR-NOTE-4417"


@pytest.fixture
def annotated(db, user_with_role):
    """A startup claimed by the test startup members' organisation, with contact details and a curator note."""
    member = user_with_role(RoleCode.STARTUP_MEMBER)
    startup = StartupFactory(
        organisation=member.organisation,
        contact_name="連絡 和子",
        contact_email=CONTACT_EMAIL,
        defense_record=DEFENSE_RECORD,
    )
    services.startup_note_add(startup=startup, body=NOTE, actor=None)
    return startup


@pytest.mark.parametrize(
    ("role", "sees_contact", "sees_notes"),
    [
        (RoleCode.CURATOR, True, True),
        (RoleCode.NEED_AUTHOR, True, True),
        (RoleCode.NEED_REVIEWER, True, True),
        (RoleCode.PORTAL_ADMIN, False, False),
        (RoleCode.STARTUP_MEMBER, True, False),  # their own company
    ],
)
def test_contact_details_and_curator_notes_only_where_the_rules_allow(
    client_for, annotated, role, sees_contact, sees_notes
):
    body = client_for(role).get(reverse("seeds:startup_detail", args=[annotated.pk])).content.decode()
    assert annotated.name in body
    assert (CONTACT_EMAIL in body) is sees_contact
    assert (DEFENSE_RECORD in body) is sees_contact
    assert (NOTE in body) is sees_notes


def test_startup_member_never_sees_curator_notes_on_their_company_page(client_for, annotated):
    body = client_for(RoleCode.STARTUP_MEMBER).get(reverse("seeds:my_company")).content.decode()
    assert CONTACT_EMAIL in body
    assert NOTE not in body


def test_curator_forms_are_shown_to_curators_only(client_for, annotated):
    url = reverse("seeds:startup_detail", args=[annotated.pk])
    note_action = reverse("seeds:note_add", args=[annotated.pk])
    assert note_action in client_for(RoleCode.CURATOR).get(url).content.decode()
    assert note_action not in client_for(RoleCode.NEED_AUTHOR).get(url).content.decode()


# --- The list: search, filters, sorting, pagination -------------------------------------------------------


def list_names(client, **params) -> list[str]:
    response = client.get(reverse("seeds:startup_list"), params)
    assert response.status_code == 200
    return [startup.name for startup in response.context["page"].object_list]


@pytest.fixture
def curator_client(client_for):
    return client_for(RoleCode.CURATOR)


def test_search_finds_a_japanese_word_in_the_description_and_an_english_word_in_the_english_name(curator_client):
    StartupFactory(name="株式会社カゲロウ", description="量子暗号通信の小型端末を開発しています。")
    StartupFactory(name="株式会社ハヤブサ", name_en="Kestrel Robotics Inc.", description="")
    StartupFactory(name="株式会社ほか", name_en="Other Inc.", description="農業用のセンサー")
    assert list_names(curator_client, q="量子暗号") == ["株式会社カゲロウ"]
    assert list_names(curator_client, q="kestrel") == ["株式会社ハヤブサ"]
    assert list_names(curator_client, q="ＫＥＳＴＲＥＬ robotics") == ["株式会社ハヤブサ"]
    assert list_names(curator_client, q="存在しない語") == []


def test_filters_select_by_field_trl_programme_and_prefecture(curator_client):
    StartupFactory(name="A", trl=3, prefecture="北海道", tech_fields=["ai"])
    b = StartupFactory(name="B", trl=6, prefecture="東京都", tech_fields=["space", "ai"])
    StartupFactory(name="C", trl=9, prefecture="東京都", tech_fields=["space"])
    Designation.objects.create(startup=b, program="jstartup", cohort="2023")
    assert list_names(curator_client, tech_field="ai") == ["A", "B"]
    assert list_names(curator_client, trl_min=4, trl_max=8) == ["B"]
    assert list_names(curator_client, program="jstartup") == ["B"]
    assert list_names(curator_client, prefecture="東京都", sort="-trl") == ["C", "B"]
    assert list_names(curator_client, sort="trl") == ["A", "B", "C"]


def test_bad_filter_values_are_shown_as_errors_and_leave_the_list_unfiltered(curator_client):
    StartupFactory(name="A", trl=3)
    StartupFactory(name="B", trl=7)
    response = curator_client.get(reverse("seeds:startup_list"), {"trl_min": "12", "tech_field": "nope", "trl_max": 5})
    form = response.context["form"]
    assert set(form.errors) == {"trl_min", "tech_field"}
    assert [startup.name for startup in response.context["page"].object_list] == ["A"]  # trl_max still applies
    response = curator_client.get(reverse("seeds:startup_list"), {"trl_min": 5, "trl_max": 2})
    assert "trl_max" in response.context["form"].errors
    assert [startup.name for startup in response.context["page"].object_list] == ["B"]  # trl_min still applies


def test_list_pages_by_25_and_keeps_the_filters_in_the_page_links(curator_client):
    for number in range(30):
        StartupFactory(name=f"社{number:02d}", prefecture="大阪府")
    StartupFactory(name="他県", prefecture="沖縄県")
    response = curator_client.get(reverse("seeds:startup_list"), {"prefecture": "大阪府"})
    assert len(response.context["page"].object_list) == 25
    assert response.context["page"].paginator.count == 30
    body = response.content.decode()
    assert "prefecture=%E5%A4%A7%E9%98%AA%E5%BA%9C&amp;page=2" in body
    second = curator_client.get(reverse("seeds:startup_list"), {"prefecture": "大阪府", "page": 2})
    assert len(second.context["page"].object_list) == 5


def test_empty_list_renders(curator_client):
    response = curator_client.get(reverse("seeds:startup_list"), {"q": "何もない"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0


def test_export_links_are_shown_to_curators_only_and_carry_the_filters(client_for, db):
    StartupFactory(prefecture="京都府")
    url = reverse("seeds:startup_list")
    export = reverse("seeds:startup_export")
    curator_body = client_for(RoleCode.CURATOR).get(url, {"prefecture": "京都府", "page": 1}).content.decode()
    assert f"{export}?prefecture=%E4%BA%AC%E9%83%BD%E5%BA%9C&amp;format=csv" in curator_body
    assert f"{export}?prefecture=%E4%BA%AC%E9%83%BD%E5%BA%9C&amp;format=xlsx" in curator_body
    assert export not in client_for(RoleCode.NEED_AUTHOR).get(url).content.decode()


def add_designations_and_fields(startup, number: int) -> None:
    Designation.objects.create(startup=startup, program="jstartup", cohort=str(2000 + number))
    Designation.objects.create(startup=startup, program="jva", cohort="2024")
    startup.tech_fields.set(TechField.objects.filter(code__in=["ai", "space"]))


def test_list_runs_the_same_number_of_queries_for_2_and_50_startups(curator_client, django_assert_num_queries):
    url = reverse("seeds:startup_list")
    for number in range(2):
        add_designations_and_fields(StartupFactory(), number)
    curator_client.get(url)  # warm up: session, content types
    with CaptureQueriesContext(connection) as two:
        assert curator_client.get(url, {"tech_field": "ai"}).status_code == 200
    for number in range(2, 50):
        add_designations_and_fields(StartupFactory(), number)
    with django_assert_num_queries(len(two.captured_queries)):
        response = curator_client.get(url, {"tech_field": "ai"})
    assert len(response.context["page"].object_list) == 25


# --- Export ---------------------------------------------------------------------------------------------


def test_export_csv_of_the_filtered_list_imports_back_unchanged(curator_client, user_with_role):
    for number in range(30):
        startup = StartupFactory(
            name=f"輸出{number}",
            prefecture="福岡県",
            trl=number % 9 + 1,
            technologies=["レーダー", "signal processing"],
            founded_year=2015,
            employees=12,
            website="https://example.jp/",
        )
        add_designations_and_fields(startup, number)
    StartupFactory(prefecture="沖縄県")
    response = curator_client.get(reverse("seeds:startup_export"), {"format": "csv", "prefecture": "福岡県"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().strftime("%Y%m%d")
    assert response["Content-Disposition"] == f'attachment; filename="startups-{today}.csv"'
    report = services.startup_import_file(
        content=response.content, filename="export.csv", actor=user_with_role(RoleCode.CURATOR), dry_run=True
    )
    assert report.ok
    assert (len(report.created), len(report.updated), len(report.unchanged)) == (0, 0, 30)  # all pages


def test_export_xlsx_is_a_workbook_that_imports_back_unchanged(curator_client, user_with_role):
    add_designations_and_fields(StartupFactory(trl=4, prefecture="愛知県"), 1)
    response = curator_client.get(reverse("seeds:startup_export"), {"format": "xlsx"})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].endswith('.xlsx"')
    report = services.startup_import_file(content=response.content, filename="e.xlsx", actor=None, dry_run=True)
    assert (len(report.unchanged), report.ok) == (1, True)


def test_export_refuses_an_unknown_format(curator_client):
    assert curator_client.get(reverse("seeds:startup_export"), {"format": "pdf"}).status_code == 400


# --- Creating and editing ---------------------------------------------------------------------------------


def test_curator_creates_a_startup_and_a_wrong_check_digit_is_refused(curator_client):
    url = reverse("seeds:startup_create")
    good = make_corporate_number(4242)
    bad = f"{(int(good[0]) + 1) % 10}{good[1:]}"
    response = curator_client.post(url, {"corporate_number": bad, "name": "株式会社新規"})
    assert response.status_code == 200
    assert "corporate_number" in response.context["form"].errors
    assert not Startup.objects.exists()
    data = {
        "corporate_number": f" {good[:5]}-{good[5:]} ",
        "name": "株式会社新規",
        "technologies": "量子センサ; 光格子時計\nLiDAR",
        "tech_fields": ["quantum", "sensing"],
        "trl": 4,
        "prefecture": "茨城県",
        "website": "example.jp",
    }
    response = curator_client.post(url, data)
    startup = Startup.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("seeds:startup_detail", args=[startup.pk])
    assert startup.corporate_number == good
    assert startup.technologies == ["量子センサ", "光格子時計", "LiDAR"]
    assert sorted(startup.tech_fields.values_list("code", flat=True)) == ["quantum", "sensing"]
    assert startup.website == "https://example.jp"
    assert "量子センサ" in startup.search_text


def test_creating_a_known_corporate_number_is_refused(curator_client):
    existing = StartupFactory()
    response = curator_client.post(
        reverse("seeds:startup_create"), {"corporate_number": existing.corporate_number, "name": "重複"}
    )
    assert "corporate_number" in response.context["form"].errors
    assert Startup.objects.count() == 1


def test_curator_edits_every_field_and_sees_errors(curator_client):
    startup = StartupFactory(trl=2)
    url = reverse("seeds:startup_edit", args=[startup.pk])
    response = curator_client.post(url, {"name": "改名", "trl": 12, "founded_year": 1600})
    assert set(response.context["form"].errors) >= {"trl"}
    startup.refresh_from_db()
    assert startup.trl == 2
    response = curator_client.post(url, {"name": "改名", "trl": 7, "tech_fields": ["ai"], "technologies": "a;b"})
    assert response.status_code == 302
    startup.refresh_from_db()
    assert (startup.name, startup.trl, startup.technologies) == ("改名", 7, ["a", "b"])
    assert list(startup.tech_fields.values_list("code", flat=True)) == ["ai"]


def test_an_export_breaking_value_is_refused_by_the_service_and_shown_on_its_field(curator_client):
    startup = StartupFactory()
    response = curator_client.post(
        reverse("seeds:startup_edit", args=[startup.pk]), {"name": startup.name, "founded_year": 1700}
    )
    assert response.status_code == 200
    assert "founded_year" in response.context["form"].errors


# --- Curators' annotations ------------------------------------------------------------------------------------


def test_curator_adds_a_note_a_designation_and_a_product_and_removes_it(curator_client):
    startup = StartupFactory()
    detail = reverse("seeds:startup_detail", args=[startup.pk])
    response = curator_client.post(reverse("seeds:note_add", args=[startup.pk]), {"note-body": "面談済み"})
    assert response["Location"] == detail
    response = curator_client.post(
        reverse("seeds:designation_add", args=[startup.pk]),
        {"designation-program": "fastar", "designation-cohort": "7", "designation-source_note": "FASTAR site"},
    )
    assert response["Location"] == detail
    response = curator_client.post(
        reverse("seeds:product_add", args=[startup.pk]), {"product-name": "観測ドローン", "product-description": ""}
    )
    assert response["Location"] == detail
    designation = startup.designations.get()
    assert (designation.program, designation.cohort, designation.source_note) == ("fastar", "7", "FASTAR site")
    assert designation.added_by is not None
    assert startup.notes.get().body == "面談済み"
    product = startup.products.get()
    startup.refresh_from_db()
    assert "観測ドローン" in startup.search_text
    body = curator_client.get(detail).content.decode()
    assert reverse("seeds:product_remove", args=[startup.pk, product.pk]) in body
    curator_client.post(reverse("seeds:product_remove", args=[startup.pk, product.pk]))
    assert not startup.products.exists()


def test_a_bad_designation_is_shown_on_the_form_and_not_recorded(curator_client):
    startup = StartupFactory()
    response = curator_client.post(
        reverse("seeds:designation_add", args=[startup.pk]),
        {"designation-program": "jva", "designation-cohort": "2024年"},
    )
    assert response.status_code == 200
    assert "cohort" in response.context["designation_form"].errors
    assert not startup.designations.exists()


def test_removing_another_startups_product_is_not_found(curator_client):
    startup, other = StartupFactory(), StartupFactory()
    product = Product.objects.create(startup=other, name="x")
    response = curator_client.post(reverse("seeds:product_remove", args=[startup.pk, product.pk]))
    assert response.status_code == 404
    assert Product.objects.filter(pk=product.pk).exists()


# --- Claims ---------------------------------------------------------------------------------------------------


def test_claim_approved_member_sees_their_company_and_edits_its_profile_but_not_the_trl(client, user_with_role):
    member = user_with_role(RoleCode.STARTUP_MEMBER)
    startup = StartupFactory(trl=3, description="旧")
    client.force_login(member)
    response = client.post(
        reverse("seeds:my_company"), {"corporate_number": startup.corporate_number, "message": "代表です"}
    )
    assert response["Location"] == reverse("seeds:my_company")
    claim = StartupClaim.objects.get()
    assert (claim.startup, claim.organisation, claim.status) == (startup, member.organisation, ClaimStatus.PENDING)
    assert client.get(reverse("seeds:startup_detail", args=[startup.pk])).status_code == 403

    curator = Client()
    curator.force_login(user_with_role(RoleCode.CURATOR))
    assert curator.get(reverse("seeds:claim_list")).context["claims"][0] == claim
    response = curator.post(reverse("seeds:claim_decide", args=[claim.pk]), {"decision": "approve"})
    assert response["Location"] == reverse("seeds:claim_list")
    startup.refresh_from_db()
    assert startup.organisation == member.organisation
    assert list(curator.get(reverse("seeds:claim_list")).context["claims"]) == []

    response = client.get(reverse("seeds:my_company"))
    assert response.context["startup"] == startup
    edit = reverse("seeds:startup_edit", args=[startup.pk])
    response = client.post(edit, {"description": "新しい説明", "trl": 9, "name": "乗っ取り", "employees": 8})
    assert response["Location"] == reverse("seeds:startup_detail", args=[startup.pk])
    startup.refresh_from_db()
    assert (startup.description, startup.employees) == ("新しい説明", 8)
    assert (startup.trl, startup.name) == (3, startup.name)
    assert startup.name != "乗っ取り"


def test_claim_for_an_unknown_number_is_a_form_error(client_for, db):
    client = client_for(RoleCode.STARTUP_MEMBER)
    response = client.post(reverse("seeds:my_company"), {"corporate_number": make_corporate_number(777)})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not StartupClaim.objects.exists()


def test_rejected_claim_is_shown_to_the_member(client, user_with_role):
    member = user_with_role(RoleCode.STARTUP_MEMBER)
    startup = StartupFactory()
    claim = services.startup_claim_request(corporate_number=startup.corporate_number, actor=member)
    curator = Client()
    curator.force_login(user_with_role(RoleCode.CURATOR))
    curator.post(reverse("seeds:claim_decide", args=[claim.pk]), {"decision": "reject"})
    client.force_login(member)
    claims = list(client.get(reverse("seeds:my_company")).context["claims"])
    assert [(c.pk, c.status) for c in claims] == [(claim.pk, ClaimStatus.REJECTED)]
    startup.refresh_from_db()
    assert startup.organisation is None


def test_deciding_a_decided_claim_changes_nothing(curator_client, world):
    claim = world["claim"]
    curator_client.post(reverse("seeds:claim_decide", args=[claim.pk]), {"decision": "reject"})
    curator_client.post(reverse("seeds:claim_decide", args=[claim.pk]), {"decision": "approve"})
    claim.refresh_from_db()
    world["startup"].refresh_from_db()
    assert claim.status == ClaimStatus.REJECTED
    assert world["startup"].organisation is None


def test_english_readers_get_english_prefectures_and_field_names(client, user_with_role):
    StartupFactory(prefecture="東京都", tech_fields=["space"])
    client.force_login(user_with_role(RoleCode.NEED_AUTHOR, preferred_language="en"))
    response = client.get(reverse("seeds:startup_list"))
    body = response.content.decode()
    assert response["Content-Language"] == "en"
    assert 'data-label="Prefecture">Tokyo</td>' in body
    assert '<option value="東京都">Tokyo</option>' in body
    assert TechField.objects.get(code="space").name_en in body


def test_the_name_order_ignores_the_legal_form_before_or_after_the_name(curator_client):
    """Every 合同会社 used to come before every 株式会社: the order is the name's, whatever the legal form."""
    expected = ["株式会社あおば", "合同会社いずみ", "うなばら株式会社", "(株)えにし", "一般社団法人おおぞら"]
    expected.append("㈱かなめ")
    for name in reversed(expected):
        StartupFactory(name=name)
    assert list_names(curator_client) == expected
    assert list_names(curator_client, sort="name") == expected
    api = curator_client.get("/api/v1/startups/").json()["results"]
    assert [row["name"] for row in api] == expected


@pytest.mark.parametrize(
    ("cohort", "ja", "en"), [("7", "第7期", "cohort 7"), ("2023", "2023年", "2023"), ("2023秋", "2023秋", "2023秋")]
)
def test_a_designation_says_which_cohort_or_year(client_for, cohort, ja, en):
    """The registry showed a bare number ("FASTAR修了企業 7"): a cohort reads 第7期, a year 2023年."""
    startup = StartupFactory(name="株式会社ききょう")
    Designation.objects.create(startup=startup, program="fastar", cohort=cohort)
    client = client_for(RoleCode.CURATOR)
    for language, expected in (("ja", ja), ("en", en)):
        client.cookies["django_language"] = language
        with translation.override(language):
            program = str(Designation(program="fastar").get_program_display())
        for url in (reverse("seeds:startup_list"), reverse("seeds:startup_detail", args=[startup.pk])):
            page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
            assert expected in page, (language, url)
        listed = client.get(reverse("seeds:startup_list"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert f'<span class="tag">{program} {expected}</span>' in listed
