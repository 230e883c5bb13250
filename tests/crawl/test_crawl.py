"""The "no 500, nothing leaked" crawl (issue 13): every URL pattern of the URLconf, as every role, with valid ids,
absent ids and hostile values in each path parameter and each query key the view reads; an empty and a hostile
POST to each pattern (every form key the view read, all at once) as a visitor and as each role with forms.

Asserts that nothing answers 5xx (every failing request listed in one message) and that no response shows a
need, proposal or score (its canary text, tests/crawl/world.py) that the project's rules hide from that role.
The GET crawl runs once; its two tests read the same visits.
"""

from collections import Counter
from urllib.parse import unquote

import pytest
from django.urls import Resolver404, resolve

from matchmaking.models import Invitation, MeetingRequest, MeetingUnit
from needs.models import Need, Proposal
from seeds.models import Startup
from tests.crawl.crawler import Crawler, Visit
from tests.crawl.patterns import Pattern, all_patterns
from tests.crawl.recording import recording
from tests.crawl.world import ROLES, World, build_world

HOSTILE = ("²", "١٢", "１２", str(10**30), "\x00", "", "9" * 5000, "9999-12-31")
HOSTILE_BODY = (*HOSTILE, "9999-12-31 23:00-23:59")
ARRAY = ["1", "2"]  # key=1&key=2
HOSTILE_ROLES = ("anonymous", "member_x", "admin", "superuser")
# Each role that reaches forms of its own (the second unit and startup would only repeat the first's).
POST_ROLES = ("anonymous", "member_x", "admin", "curator", "author_a", "reviewer", "superuser")
# Every object of the kinds the canaries hang on (a role may see one and not another); the first of the others.
EACH_OBJECT = (Need, Proposal, Startup, Invitation, MeetingRequest, MeetingUnit)
ABSENT_ID = "987654321"

_crawls: dict[str, tuple[dict[str, set[str]], list[Visit]]] = {}  # each crawl runs once per session


def values_of(kind) -> list[str]:
    if kind.model is not None:
        found = kind.model.objects.order_by("pk").values_list(kind.field, flat=True)
        return [str(value) for value in (found if kind.model in EACH_OBJECT else found[:1])]
    return list(kind.values() if callable(kind.values) else kind.values)


def valid_rows(pattern: Pattern) -> list[dict[str, str]]:
    """Path values naming existing objects: the i-th object of each parameter's kind together."""
    values = {name: values_of(kind) for name, kind in pattern.kinds().items()}
    count = max((len(found) for found in values.values()), default=1)
    return [{name: found[i % len(found)] for name, found in values.items()} for i in range(count)]


def odd_urls(pattern: Pattern, valid: dict[str, str]) -> list[tuple[str, str]]:
    """One parameter at a time: an absent id, then each hostile value; (value, URL) pairs."""
    values = (ABSENT_ID, *HOSTILE)
    return [(value, pattern.url({**valid, name: value})) for name in pattern.parameters for value in values]


def reaches_a_view(url: str) -> bool:
    try:
        resolve(unquote(url))
    except Resolver404:
        return False
    return True


def hostile_readers(urls: dict[str, str]) -> list[str]:
    """The hostile roles that read a key (the superuser only where the admin did not), else its first reader."""
    roles = [role for role in HOSTILE_ROLES if role in urls and not (role == "superuser" and "admin" in urls)]
    return roles or [next(iter(urls))]


def crawl_get(world: World) -> list[Visit]:
    crawler = Crawler(world)
    unmatched, probed = set(), set()
    for pattern in all_patterns():
        readers: dict[str, dict[str, str]] = {}  # query key → the first URL each role read it on
        for role in ROLES:
            for row in valid_rows(pattern):
                url = pattern.url(row)
                for key in crawler.visit(role, "GET", url)[1]:
                    readers.setdefault(key, {}).setdefault(role, url)
        for role in HOSTILE_ROLES:
            for value, url in odd_urls(pattern, valid_rows(pattern)[0]):
                # A URL no pattern matches gets the 404 page whatever the pattern: once per role and value.
                if not reaches_a_view(url):
                    if (role, value) in unmatched:
                        continue
                    unmatched.add((role, value))
                crawler.visit(role, "GET", url)
        # Hostile values for each key a view read, as the hostile roles that reached it (else the first role
        # that did); once per view, not again for its other patterns (the API's format suffixes).
        for key, urls in readers.items():
            for role in hostile_readers(urls):
                if (pattern.callback, role, key) not in probed:
                    probed.add((pattern.callback, role, key))
                    for value in (*HOSTILE, ARRAY):
                        crawler.visit(role, "GET", urls[role], {key: value})
    return crawler.visits


def crawl_post(world: World) -> list[Visit]:
    crawler = Crawler(world)
    for pattern in all_patterns():
        url = pattern.url(valid_rows(pattern)[0])
        for role in POST_ROLES:
            keys = crawler.visit(role, "POST", url)[1]
            for value in (*HOSTILE_BODY, ARRAY) if keys else ():
                crawler.visit(role, "POST", url, dict.fromkeys(sorted(keys), value))
    return crawler.visits


@pytest.fixture
def crawled(db, settings, tmp_path):
    """`crawled("get" | "post")`: the canaries each role may see, and the visits of that crawl (run by the first
    test that asks; the data set is gone after it, so what the rules allow is worked out while it exists)."""
    settings.MEDIA_ROOT = str(tmp_path)

    def run(which: str) -> tuple[dict[str, set[str]], list[Visit]]:
        if which not in _crawls:
            world = build_world()
            allowed = {role: {c.text for c in world.canaries if c.allowed(world.user(role))} for role in ROLES}
            with recording(settings):
                _crawls[which] = allowed, {"get": crawl_get, "post": crawl_post}[which](world)
        return _crawls[which]

    return run


def server_errors(visits: list[Visit]) -> str:
    failing = [str(visit) for visit in visits if visit.status >= 500]
    return f"{len(failing)} of {len(visits)} requests answered 5xx:\n" + "\n".join(failing)


def test_every_pattern_parameter_has_values(db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    build_world()
    missing = [
        f"{pattern.name or pattern.route} <{name}>"
        for pattern in all_patterns()
        for name, kind in pattern.kinds().items()
        if kind is None or not values_of(kind)
    ]
    assert not missing, "path parameters with no kind or no object (tests/crawl/patterns.py):\n" + "\n".join(missing)


def test_get_crawl_answers_no_server_error(crawled):
    _allowed, visits = crawled("get")
    print(f"{len(visits)} requests:", sorted(Counter(visit.status for visit in visits).items()))
    assert all(visit.status < 500 for visit in visits), server_errors(visits)


def test_get_crawl_shows_each_role_only_what_its_rules_allow(crawled):
    allowed, visits = crawled("get")
    leaks = Counter(f"{v.role}: {v.url} shows {text}" for v in visits for text in v.shown - allowed[v.role])
    unread = sorted({visit.unread for visit in visits if visit.unread})
    print("bodies not searched for canaries:", unread or "none")
    lines = [f"{leak} (with {count - 1} odd query values too)" if count > 1 else leak for leak, count in leaks.items()]
    assert not leaks, f"{len(leaks)} pages show what the role may not see:\n" + "\n".join(sorted(lines))


def test_post_crawl_answers_no_server_error(crawled):
    _allowed, visits = crawled("post")
    print(f"{len(visits)} requests:", sorted(Counter(visit.status for visit in visits).items()))
    assert all(visit.status < 500 for visit in visits), server_errors(visits)
