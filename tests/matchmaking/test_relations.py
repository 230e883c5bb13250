"""A need that describes an operational problem in plain words reaches the technologies that solve it through
the dictionary's relations (concepts.tsv `solved_by`), including companies described only in English, and the
reasons say which problem and which technology ("課題『…』に対応する技術: …")."""

import numpy as np
import pytest
from django.urls import reverse
from django.utils import translation

from matchmaking.scoring import concepts
from matchmaking.scoring.matcher import MatcherIndex, explain, need_doc, need_features, score, startup_doc

DICTIONARY = concepts.load()
PROBLEMS = [c for c in DICTIONARY.concepts if c.solved_by]

STARTUPS = [
    startup_doc(
        "wallsense",
        description="Ultra-wideband impulse radar that images people and movement inside rooms from outside.",
        technologies=["UWB radar"],
    ),
    startup_doc("rainradar", description="屋上に置ける気象レーダーで雨雲を観測します。", technologies=["気象レーダー"]),
    startup_doc("paintco", description="住宅の外壁塗装と屋根の防水工事を手掛けています。", technologies=["外壁塗装"]),
    startup_doc("foodco", description="飲食店の料理を宅配するアプリです。", technologies=["フードデリバリー"]),
]
WALL_NEED = need_doc(
    "N-WALL",
    title="突入前に建物内部の状況を知りたい",
    description="立てこもり事案で、壁の向こうにいる人の位置や動きを外から把握できず、突入の判断が難しい。",
)


def test_a_problem_in_plain_words_ranks_the_technology_that_solves_it_first_with_the_reason():
    index = MatcherIndex(STARTUPS)
    block = score([WALL_NEED], index)
    order = [block.startup_keys[j] for j in np.lexsort((np.arange(len(STARTUPS)), -block.score[0]))]
    assert order[0] == "wallsense"
    assert block.pair("N-WALL", "wallsense")["solves"] > block.pair("N-WALL", "paintco")["solves"]
    reasons = [r for r in explain(WALL_NEED, STARTUPS[0], index) if r.code == "solves"]
    assert reasons, "the pair shows which problem the technology solves"
    problem_id = reasons[0].params["problem"][0]
    assert problem_id == "p_through_wall"
    assert "uwb_radar" in {cid for cid, _ja, _en in reasons[0].params["technologies"]}
    assert "weak_match" not in {r.code for r in explain(WALL_NEED, STARTUPS[0], index)}


@pytest.mark.parametrize("problem", PROBLEMS, ids=[p.id for p in PROBLEMS])
def test_every_problem_named_by_its_label_reaches_its_technologies(problem):
    """Each problem's own label, as a need, finds the problem (no longer form of another problem hides it) and
    yields the technologies of its solved_by as the need's solvers."""
    features = need_features(need_doc("N", title=problem.ja), DICTIONARY, MatcherIndex().params)
    assert set(problem.solved_by) <= set(features.solvers), problem.id


@pytest.mark.django_db
def test_the_matches_page_names_the_problem_and_the_technology_that_answers_it(client, world):
    """The fixture's need says 悪天候 (a problem) without naming a technology; the radar startup's row says
    which of its technologies answers it, in Japanese by default."""
    client.force_login(world.users["owning_author"])
    response = client.get(reverse("matchmaking:need_matches", args=[world.need.pk]))
    row = next(r for r in response.context["rows"] if r.match.startup_id == world.startups["radar"].pk)
    solves = [reason.text for reason in row.reasons if reason.code == "solves"]
    with translation.override("ja"):
        expected = translation.gettext("Technology for the problem “%(problem)s”: %(technologies)s") % {
            "problem": "悪天候 (bad weather)",
            "technologies": "",
        }
    assert solves and solves[0].startswith(expected.strip())
    assert "レーダー (radar)" in solves[0]
    assert solves[0] in response.content.decode()
