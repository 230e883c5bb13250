"""The startup registry API: who reads and writes what (DESIGN.md §3), filters, validation and query counts."""

import pytest
from django.conf import settings
from django.test import RequestFactory
from rest_framework.test import APIClient

from accounts.enums import RoleCode
from seeds import services
from seeds.api import CONTACT_FIELDS, StartupSerializer
from seeds.models import Startup
from tests.factories import OrganisationFactory, StartupFactory, UserFactory, make_corporate_number

ROLES_AND_ANONYMOUS = [*RoleCode, None]
GOVERNMENT_ROLES = {RoleCode.CURATOR, RoleCode.NEED_AUTHOR, RoleCode.NEED_REVIEWER}
SEES_ALL = {*GOVERNMENT_ROLES, RoleCode.PORTAL_ADMIN}
LIST_URL = "/api/v1/startups/"


def detail_url(startup) -> str:
    return f"{LIST_URL}{startup.pk}/"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def as_role(api, user_with_role):
    """An API client authenticated as a fresh user of `role` (None: anonymous); the user is `api.user`."""

    def make(role):
        api.user = None
        if role is not None:
            api.user = user_with_role(role)
            api.force_authenticate(api.user)
        return api

    return make


@pytest.fixture
def registry(db):
    """Two startups: `own` is claimed by the organisation the test startup member belongs to."""
    organisation = OrganisationFactory()  # the startup organisation `user_with_role` puts its member in
    own = StartupFactory(
        organisation=organisation,
        name="株式会社ソラフネ",
        name_en="Sorafune Inc.",
        description="小型無人機の群制御を開発しています。",
        technologies=["Swarm control"],
        trl=6,
        prefecture="東京都",
        contact_name="空船 太郎",
        contact_email="taro@sorafune.example.jp",
        tech_fields=["unmanned", "ai"],
    )
    other = StartupFactory(
        name="合同会社ミズハ",
        name_en="Mizuha LLC",
        description="Underwater acoustic sensing for harbours.",
        technologies=["水中音響"],
        trl=3,
        prefecture="長崎県",
        contact_name="水羽 花子",
        tech_fields=["maritime", "sensing"],
    )
    services.designation_add(startup=other, program="jstartup", cohort="2023", source_note="J-Startup 2023", actor=None)
    return {"own": own, "other": other}


def new_startup_payload(**extra) -> dict:
    return {
        "corporate_number": make_corporate_number(99_000_000_000),
        "name": "株式会社アタラシ",
        "name_en": "Atarashi Inc.",
        "technologies": ["LiDAR", "SLAM"],
        "tech_fields": ["robotics", "sensing"],
        "trl": 4,
        "prefecture": "大阪府",
        **extra,
    }


# --- Technology fields ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_tech_fields_are_readable_by_everyone(as_role, role):
    api = as_role(role)
    body = api.get("/api/v1/tech-fields/").json()
    assert body["count"] == 20
    assert body["results"][0] == {"code": "unmanned", "name_ja": "無人アセット", "name_en": "Unmanned systems"}
    assert api.get("/api/v1/tech-fields/quantum/").json()["name_en"] == "Quantum technology"


# --- Reading -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_startup_list_is_what_the_role_may_see(as_role, registry, role):
    response = as_role(role).get(LIST_URL)
    if role is None:
        assert response.status_code in (401, 403)
        return
    assert response.status_code == 200
    numbers = {item["corporate_number"] for item in response.json()["results"]}
    if role in SEES_ALL:
        assert numbers == {registry["own"].corporate_number, registry["other"].corporate_number}
    else:
        assert numbers == {registry["own"].corporate_number}


@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_startup_detail_follows_the_same_rule_as_the_list(as_role, registry, role):
    api = as_role(role)
    own, other = api.get(detail_url(registry["own"])), api.get(detail_url(registry["other"]))
    if role is None:
        assert {own.status_code, other.status_code} <= {401, 403}
    elif role in SEES_ALL:
        assert (own.status_code, other.status_code) == (200, 200)
    else:
        assert (own.status_code, other.status_code) == (200, 404)


@pytest.mark.parametrize("role", list(RoleCode))
def test_contact_details_only_for_government_users_and_the_startups_own(as_role, registry, role):
    item = as_role(role).get(detail_url(registry["own"])).json()
    if role in GOVERNMENT_ROLES or role == RoleCode.STARTUP_MEMBER:
        assert item["contact_name"] == "空船 太郎"
        assert set(CONTACT_FIELDS) <= set(item)
    else:  # the portal administration office is not a government organisation
        assert not set(CONTACT_FIELDS) & set(item)


def test_contact_details_are_hidden_from_another_startups_member(registry, user_with_role):
    outsider = UserFactory(roles=[RoleCode.STARTUP_MEMBER])  # in an organisation of its own
    request = RequestFactory().get("/")
    request.user = outsider
    data = StartupSerializer(registry["other"], context={"request": request}).data
    assert not set(CONTACT_FIELDS) & set(data)


def test_startup_item_carries_its_natural_key_and_lists(as_role, registry):
    item = as_role(RoleCode.NEED_AUTHOR).get(detail_url(registry["other"])).json()
    assert item["corporate_number"] == registry["other"].corporate_number
    assert item["tech_fields"] == ["maritime", "sensing"]
    assert item["technologies"] == ["水中音響"]
    assert item["designations"] == [{"program": "jstartup", "cohort": "2023", "source_note": "J-Startup 2023"}]
    assert {"id", "name", "name_en", "description", "trl", "stage", "prefecture", "founded_year"} <= set(item)
    assert {"employees", "website", "updated_at"} <= set(item)


# --- Filters and search --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "群制御"}, {"own"}),  # a Japanese word in the description
        ({"q": "HARBOURS"}, {"other"}),  # an English word, case-blind
        ({"q": "ｓｗａｒｍ"}, {"own"}),  # full-width letters fold to ASCII
        ({"q": "水中音響"}, {"other"}),  # a technology
        ({"q": "群制御 harbours"}, set()),  # every word must occur
        ({"tech_field": "maritime"}, {"other"}),
        ({"tech_field": "ai"}, {"own"}),
        ({"trl_min": 5}, {"own"}),
        ({"trl_max": 5}, {"other"}),
        ({"trl_min": 3, "trl_max": 6}, {"own", "other"}),
        ({"program": "jstartup"}, {"other"}),
        ({"program": "jva"}, set()),
        ({"prefecture": "長崎県"}, {"other"}),
    ],
)
def test_startup_list_filters_and_search(as_role, registry, params, expected):
    body = as_role(RoleCode.NEED_AUTHOR).get(LIST_URL, params).json()
    numbers = {item["corporate_number"] for item in body["results"]}
    assert numbers == {registry[key].corporate_number for key in expected}


# By name without the legal form: (株式会社)ソラフネ before (合同会社)ミズハ.
@pytest.mark.parametrize(("ordering", "first"), [("trl", "other"), ("-trl", "own"), ("name", "own")])
def test_startup_list_orders_like_the_list_page(as_role, registry, ordering, first):
    body = as_role(RoleCode.NEED_AUTHOR).get(LIST_URL, {"ordering": ordering}).json()
    assert body["results"][0]["corporate_number"] == registry[first].corporate_number


@pytest.mark.parametrize("params", [{"tech_field": "nonsense"}, {"trl_min": "high"}, {"ordering": "secret"}])
def test_bad_filter_values_are_refused(as_role, registry, params):
    assert as_role(RoleCode.NEED_AUTHOR).get(LIST_URL, params).status_code == 400


@pytest.mark.parametrize("count", [2, 50])
def test_startup_list_runs_a_constant_number_of_queries(as_role, db, django_assert_num_queries, count):
    for startup in StartupFactory.create_batch(count, tech_fields=["ai", "space"]):
        services.designation_add(startup=startup, program="jva", cohort="2022", source_note="JVA", actor=None)
    api = as_role(RoleCode.NEED_AUTHOR)
    api.get(LIST_URL)  # the user's roles and organisation are read once per user, then cached on it
    # count, page, technology fields, designations
    with django_assert_num_queries(4):
        body = api.get(LIST_URL, {"page_size": 100}).json()
    assert len(body["results"]) == count
    assert all(item["tech_fields"] == ["ai", "space"] for item in body["results"])


# --- Writing -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_only_curators_create_startups(as_role, db, role):
    response = as_role(role).post(LIST_URL, new_startup_payload(), format="json")
    if role == RoleCode.CURATOR:
        assert response.status_code == 201, response.content
        startup = Startup.objects.get(corporate_number=response.json()["corporate_number"])
        assert sorted(startup.tech_fields.values_list("code", flat=True)) == ["robotics", "sensing"]
        assert "lidar" in startup.search_text  # written through the service, which keeps the search text
        assert response.json()["tech_fields"] == ["sensing", "robotics"]  # in the taxonomy's order
    else:
        assert response.status_code in (401, 403)
        assert not Startup.objects.exists()


@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_only_curators_replace_a_startup(as_role, registry, role):
    payload = {"name": "株式会社ソラフネ改", "trl": 7, "tech_fields": ["space"]}
    response = as_role(role).put(detail_url(registry["own"]), payload, format="json")
    registry["own"].refresh_from_db()
    if role == RoleCode.CURATOR:
        assert response.status_code == 200, response.content
        assert (registry["own"].name, registry["own"].trl) == ("株式会社ソラフネ改", 7)
        assert response.json()["tech_fields"] == ["space"]
    else:
        assert response.status_code in (401, 403)
        assert registry["own"].name == "株式会社ソラフネ"


@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_profile_patch_by_curators_and_the_startups_own_members(as_role, registry, role):
    response = as_role(role).patch(detail_url(registry["own"]), {"description": "新しい説明"}, format="json")
    registry["own"].refresh_from_db()
    if role in (RoleCode.CURATOR, RoleCode.STARTUP_MEMBER):
        assert response.status_code == 200, response.content
        assert registry["own"].description == "新しい説明"
        assert "新しい説明" in registry["own"].search_text
    else:
        assert response.status_code in (401, 403)
        assert registry["own"].description != "新しい説明"


def test_a_member_cannot_patch_another_startup(as_role, registry):
    response = as_role(RoleCode.STARTUP_MEMBER).patch(detail_url(registry["other"]), {"description": "x"})
    assert response.status_code == 404


def test_curator_only_fields_in_a_members_patch_are_refused(as_role, registry):
    api = as_role(RoleCode.STARTUP_MEMBER)
    payload = {"description": "新しい説明", "trl": 9, "tech_fields": ["quantum"]}
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = api.patch(detail_url(registry["own"]), payload, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "tech_fields": ["Only a curator can change this field."],
        "trl": ["Only a curator can change this field."],
    }
    registry["own"].refresh_from_db()
    assert (registry["own"].trl, registry["own"].description) == (6, "小型無人機の群制御を開発しています。")


def test_the_corporate_number_cannot_be_changed_by_an_update(as_role, registry):
    url = detail_url(registry["other"])
    response = as_role(RoleCode.CURATOR).patch(url, {"corporate_number": make_corporate_number(5)})
    assert response.status_code == 400
    assert "corporate_number" in response.json()
    same = as_role(RoleCode.CURATOR).patch(url, {"corporate_number": registry["other"].corporate_number})
    assert same.status_code == 200


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("ja", "法人番号のチェックデジットが正しくありません。入力に誤りがないかご確認ください。"),
        ("en", "This corporate number's check digit is wrong: please check it for a typing error."),
    ],
)
def test_a_bad_corporate_number_is_refused_and_nothing_is_written(as_role, db, language, message):
    good = make_corporate_number(99_000_000_000)
    bad = f"{(int(good[0]) + 1) % 10}{good[1:]}"
    api = as_role(RoleCode.CURATOR)
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = language  # the language switch's cookie
    response = api.post(LIST_URL, new_startup_payload(corporate_number=bad), format="json")
    assert response.status_code == 400
    assert response.json() == {"corporate_number": [message]}
    assert not Startup.objects.exists()


def test_an_unknown_tech_field_or_a_taken_corporate_number_is_refused(as_role, registry):
    api = as_role(RoleCode.CURATOR)
    unknown = api.post(LIST_URL, new_startup_payload(tech_fields=["ai", "telepathy"]), format="json")
    assert unknown.status_code == 400
    assert "tech_fields" in unknown.json()
    taken = api.post(LIST_URL, new_startup_payload(corporate_number=registry["other"].corporate_number), format="json")
    assert taken.status_code == 400
    assert "corporate_number" in taken.json()
    assert Startup.objects.count() == 2


def test_startups_cannot_be_deleted_through_the_api(as_role, registry):
    assert as_role(RoleCode.CURATOR).delete(detail_url(registry["other"])).status_code == 405
    assert Startup.objects.count() == 2
