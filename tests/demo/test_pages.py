"""After `load_demo`, every list a role reaches shows rows: a visitor of the demo never meets an empty portal."""

from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.enums import UnitCode
from demo import people, pipeline, registry
from matchmaking.models import JointMeeting, MeetingUnit

ANONYMOUS = None
STARTUP, CURATOR, AUTHOR, REVIEWER, ADMIN = (
    people.STARTUP_MEMBER,
    people.CURATOR,
    people.AUTHORS[UnitCode.GSDF],
    people.REVIEWER,
    people.ADMIN,
)


def meeting(number: int) -> int:
    return JointMeeting.objects.get(number=number).pk


def gsdf_at(number: int) -> list[int]:
    unit = MeetingUnit.objects.get(meeting__number=number, unit__unit_code=UnitCode.GSDF)
    return [unit.meeting_id, unit.pk]


# (who, page: URL name and a function of no argument giving its arguments)
PAGES = [
    (ANONYMOUS, "needs:need_list", None),
    (ANONYMOUS, "needs:results", None),
    (ANONYMOUS, "programs:program_list", None),
    (STARTUP, "needs:need_list", None),
    (STARTUP, "needs:my_proposals", None),
    (STARTUP, "matchmaking:my_recommendations", None),
    (STARTUP, "meetings:list", None),
    (STARTUP, "meetings:my_invitations", None),
    (STARTUP, "needs:results", None),
    (CURATOR, "seeds:startup_list", None),
    (CURATOR, "seeds:claim_list", None),
    (CURATOR, "needs:need_list", None),
    (CURATOR, "matchmaking:overview", None),
    (CURATOR, "programs:funnel", None),
    (CURATOR, "needs:consultation_list", None),
    (AUTHOR, "needs:need_list", None),
    (AUTHOR, "needs:my_evaluations", None),
    (AUTHOR, "needs:need_proposals", lambda: [pipeline.need("disaster-link").pk]),
    (AUTHOR, "needs:need_ranking", lambda: [pipeline.need("robot-haul").pk]),
    (AUTHOR, "matchmaking:need_matches", lambda: [pipeline.need("robot-haul").pk]),
    (AUTHOR, "matchmaking:startup_matches", lambda: [registry.company("soramichi").pk]),
    (AUTHOR, "meetings:list", None),
    (AUTHOR, "meetings:unit_requests", lambda: gsdf_at(2)),
    (AUTHOR, "seeds:startup_list", None),
    (REVIEWER, "needs:review_queue", None),
    (REVIEWER, "needs:my_evaluations", None),
    (REVIEWER, "programs:funnel", None),
    (REVIEWER, "meetings:list", None),
    (ADMIN, "accounts:organisation_list", None),
    (ADMIN, "accounts:user_list", None),
    (ADMIN, "accounts:audit_list", None),
    (ADMIN, "meetings:list", None),
    (ADMIN, "meetings:invitations", lambda: [meeting(2)]),
    (ADMIN, "meetings:requests", lambda: [meeting(2)]),
    (ADMIN, "meetings:timetable", lambda: [meeting(2)]),
    (ADMIN, "needs:consultation_list", None),
    (ADMIN, "matchmaking:overview", None),
]


class _Rows(HTMLParser):
    """Counts what a page lists: the rows of its table bodies and the items of its plain lists."""

    def __init__(self) -> None:
        super().__init__()
        self.open, self.rows = [], 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in ("tbody", "ul"):
            self.open.append(tag == "tbody" or "plain-list" in (dict(attrs).get("class") or ""))
        self.rows += tag in ("tr", "li") and bool(self.open) and self.open[-1]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("tbody", "ul") and self.open:
            self.open.pop()


def listed_rows(html: str) -> int:
    parser = _Rows()
    parser.feed(html)
    return parser.rows


@pytest.mark.parametrize(
    ("who", "url_name", "args"), PAGES, ids=[f"{who or 'anonymous'}-{name}" for who, name, _a in PAGES]
)
def test_every_list_of_every_role_shows_rows(demo, client, who, url_name, args):
    if who is not None:
        client.force_login(get_user_model().objects.get(email=who))
    response = client.get(reverse(url_name, args=args() if args else None), follow=True)
    assert response.status_code == 200
    assert listed_rows(response.content.decode()) > 0, f"{url_name} shows no rows to {who or 'a visitor'}"


@pytest.mark.parametrize("tab", ["submitted", "published", "draft"])
def test_each_tab_of_the_review_queue_shows_needs(demo, client, tab):
    client.force_login(get_user_model().objects.get(email=REVIEWER))
    assert listed_rows(client.get(reverse("needs:review_queue"), {"tab": tab}).content.decode()) > 0
