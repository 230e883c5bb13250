"""What the matching pages say: after "shortlist", a fresh addition says it was added (it used to say 登録済み,
"already registered") and a second click that it was already there; the overview's run block counts the scores
that exist."""

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from tests.matchmaking.test_pages import signed_in


def said(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def ja(msgid: str, **values) -> str:
    with translation.override("ja"):
        return translation.gettext(msgid) % values


def test_a_fresh_addition_says_added_and_a_second_says_already(client, world):
    client = signed_in(client, world, "owning_author")
    radar = world.startups["radar"]
    add = reverse("matchmaking:shortlist_add", args=[world.need.pk])
    first = said(client.post(add, {"startup": radar.pk}, HTTP_ACCEPT_LANGUAGE="ja"))
    assert first == [ja("%(startup)s was added to the shortlist.", startup=radar.display_name)]
    assert "登録済み" not in first[0] and "既に" not in first[0]
    again = said(client.post(add, {"startup": radar.pk}, HTTP_ACCEPT_LANGUAGE="ja"))[-1:]  # the newest message
    assert again == [ja("%(startup)s is already on the shortlist.", startup=radar.display_name)]


def test_the_overviews_run_block_counts_the_scores_that_exist(client, world):
    """A full recompute that found nothing to score (0 of 0 chunks) said so for good, while the needs and
    startups rescored since then had their scores: the block names the scores kept now."""
    from matchmaking import services
    from matchmaking.models import MatchRun, MatchScore

    MatchRun.objects.create(status=MatchRun.Status.DONE, model_version="v", total_chunks=0, done_chunks=0)
    services.matches_score_needs(need_ids=[world.need.pk])
    pairs = MatchScore.objects.count()
    assert pairs > 0
    page = signed_in(client, world, "curator").get(reverse("matchmaking:overview"), HTTP_ACCEPT_LANGUAGE="ja")
    block = page.content.decode().split('data-testid="match-run"')[1].split("</section>")[0]
    with translation.override("ja"):
        zero = translation.gettext("%(done)s of %(total)s chunks") % {"done": 0, "total": 0}
    assert zero not in block and "<progress" not in block
    assert f"{pairs}" in block.split('data-testid="scores-now"')[1].split("</p>")[0]
