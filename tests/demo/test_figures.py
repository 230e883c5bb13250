"""After `load_demo` the funnel and the matching overview show figures, and they are the demo's own: counted here
straight from the demo's data and scores, not through the selectors that draw the pages."""

from collections import Counter
from html.parser import HTMLParser

from django.contrib.auth import get_user_model
from django.urls import reverse

from demo import meetings, people
from demo.needs_data import NEEDS, PROPOSALS
from demo.pipeline import PATHS
from demo.registry import company
from matchmaking.models import Appointment, MatchScore
from matchmaking.selectors import GOOD_SCORE, TOP_OF_NEED
from needs.enums import NeedStatus
from needs.enums import ProposalStatus as S
from needs.models import Need


class _Table(HTMLParser):
    """The body rows (cell texts) of the element carrying `data-testid=<testid>` and of elements inside it."""

    def __init__(self, testid: str) -> None:
        super().__init__()
        self.testid, self.depth, self.rows, self.cell = testid, 0, [], None

    def handle_starttag(self, tag, attrs):
        if self.depth or dict(attrs).get("data-testid") == self.testid:
            self.depth += 1
            if tag == "tr":
                self.rows.append([])
            elif tag in ("td", "th") and self.rows:
                self.cell = ""

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1
            if tag in ("td", "th") and self.cell is not None:
                self.rows[-1].append(self.cell.strip())
                self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def table(html: str, testid: str) -> list[list[str]]:
    parser = _Table(testid)
    parser.feed(html)
    return [row for row in parser.rows[1:] if row]  # without the header row


def page(client, email: str, url_name: str) -> str:
    client.force_login(get_user_model().objects.get(email=email))
    return client.get(reverse(url_name)).content.decode()


def reached(stage: str) -> int:
    """Submitted demo proposals whose path passes `stage`."""
    return sum(stage in PATHS[proposal.status] for proposal in PROPOSALS)


def test_the_funnel_counts_the_demo_needs_and_proposals_at_every_stage(demo, client):
    rows = table(page(client, people.REVIEWER, "programs:funnel"), "chart-table-stages")
    published = sum(need.status in (NeedStatus.PUBLISHED, NeedStatus.CLOSED) for need in NEEDS)
    stages = [S.SUBMITTED, S.SHORTLISTED, S.PITCH, S.SELECTED, S.CONTRACTED]
    assert [int(row[1]) for row in rows] == [published, *(reached(stage) for stage in stages)]
    assert all(int(row[1]) > 0 for row in rows)


def test_the_funnel_lists_the_meeting_held_with_the_proposals_that_followed_it(demo, client):
    held = next(meeting for meeting in meetings.MEETINGS if meeting.held)
    units = {need.key: need.unit for need in NEEDS}
    met = set(
        Appointment.objects.filter(meeting__number=held.number).values_list(
            "invitation__startup__corporate_number", "unit__unit_code"
        )
    )
    later = [
        proposal
        for proposal in PROPOSALS
        if proposal.status != S.DRAFT and (company(proposal.startup).corporate_number, units[proposal.need]) in met
    ]
    rows = table(page(client, people.ADMIN, "programs:funnel"), "chart-table-meetings")
    expected = [
        len(held.invitees),
        len(met),
        len({unit for _startup, unit in met}),
        len(later),
        *(sum(stage in PATHS[p.status] for p in later) for stage in (S.SHORTLISTED, S.SELECTED, S.CONTRACTED)),
    ]
    assert len(rows) == 2  # the meeting held, and the overall row
    assert [int(value) for value in rows[0][1:]] == expected
    assert all(expected)


def test_the_matching_overview_shows_the_good_matches_of_the_scores(demo, client):
    html = page(client, people.CURATOR, "matchmaking:overview")
    published = set(Need.objects.filter(status=NeedStatus.PUBLISHED).values_list("pk", flat=True))
    by_need = {}
    for need_id, startup_id, score in MatchScore.objects.values_list("need_id", "startup_id", "score"):
        by_need.setdefault(need_id, []).append((-score, startup_id))
    in_tops = Counter(
        startup_id
        for need_id, ranked in by_need.items()
        if need_id in published
        for minus_score, startup_id in sorted(ranked)[:TOP_OF_NEED]
        if -minus_score >= GOOD_SCORE
    )
    good = {
        need_id: sum(-minus_score >= GOOD_SCORE for minus_score, _s in by_need.get(need_id, []))
        for need_id in published
    }
    many = table(html, "startups-matching-many")
    few = table(html, "needs-with-few-matches")
    assert many and [int(row[2]) for row in many] == sorted(in_tops.values(), reverse=True)[: len(many)]
    assert sorted(int(row[3]) for row in few) == sorted(n for n in good.values() if n < 3)
    assert any(int(row[3]) for row in few) and len(few) < len(published)  # some needs are well served, some not
