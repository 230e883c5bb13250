"""A need that asks for a way *without* a technology (非X, X以外, Xを使わず, Xに依存しない, Xが使えない環境,
without X, X-denied, X-free) turns X from a reason for a match into a reason against it: the companies built on
X drop below those that do the job another way, and the reasons say "excluded" instead of "shared"."""

import numpy as np
import pytest

from matchmaking.scoring import concepts
from matchmaking.scoring.matcher import MatcherIndex, explain, need_doc, need_features, score, startup_doc
from matchmaking.scoring.negation import negated_mentions
from matchmaking.scoring.text import normalise


def startup(key: str, description: str, technology: str):
    return startup_doc(key, description=description, technologies=[technology])


OBSTACLE_STARTUPS = [
    startup("lidar_co", "LiDARで周囲の障害物を検知するセンサを開発しています。", "LiDAR"),
    startup("radar_co", "ミリ波レーダーで周囲の障害物を検知するセンサを開発しています。", "ミリ波レーダー"),
    startup("food_co", "飲食店の料理を自宅に届ける宅配アプリです。", "フードデリバリー"),
]
NAVIGATION_STARTUPS = [
    startup("gnss_co", "RTK GNSS receivers for centimetre-level positioning of drones.", "GNSS"),
    startup("vio_co", "Visual-inertial odometry that keeps drones on course from camera images.", "VIO"),
    startup("hr_co", "Recruitment software for small companies.", "HR SaaS"),
]

JAPANESE = [
    ("非X", "非LiDAR方式のセンサで周囲の障害物を検知したい。"),
    ("X以外", "LiDAR以外のセンサで周囲の障害物を検知したい。"),
    ("Xを使わず", "LiDARを使わずに周囲の障害物を検知したい。"),
    ("Xに依存しない", "LiDARに依存しない方法で周囲の障害物を検知したい。"),
    ("Xが使えない環境", "LiDARが使えない環境でも周囲の障害物を検知したい。"),
]
ENGLISH = [
    ("without X", "Keep small drones on course without GNSS."),
    ("X-denied", "Navigation for small drones in GNSS-denied areas."),
    ("X-free", "GNSS-free navigation for small drones."),
]
CASES = [(label, text, OBSTACLE_STARTUPS, "lidar_co", "radar_co", "lidar") for label, text in JAPANESE] + [
    (label, text, NAVIGATION_STARTUPS, "gnss_co", "vio_co", "gnss") for label, text in ENGLISH
]
POSITIVE = {"lidar_co": "LiDARで周囲の障害物を検知したい。", "gnss_co": "Keep small drones on course with GNSS."}


def ranking(text: str, startups) -> tuple[list[str], MatcherIndex]:
    index = MatcherIndex(startups)
    block = score([need_doc("N", title=text)], index)
    order = np.lexsort((np.arange(len(block.startup_keys)), -block.score[0]))
    return [block.startup_keys[j] for j in order], index


@pytest.mark.parametrize(
    ("label", "text", "startups", "built_on_x", "other_way", "x"), CASES, ids=[c[0] for c in CASES]
)
def test_a_negated_technology_turns_from_a_reason_for_into_a_reason_against(
    label, text, startups, built_on_x, other_way, x
):
    positive, _index = ranking(POSITIVE[built_on_x], startups)
    assert positive[0] == built_on_x  # without the cue, X is what the texts share

    order, index = ranking(text, startups)
    assert order.index(other_way) < order.index(built_on_x), label
    need = need_doc("N", title=text)
    features = need_features(need, index.dictionary, index.params)
    assert x in features.excluded and x not in features.concepts
    startup = next(s for s in startups if s.key == built_on_x)
    reasons = {r.code: r.params for r in explain(need, startup, index)}
    assert (x, index.dictionary.by_id[x].ja, index.dictionary.by_id[x].en) in reasons["excluded"]["concepts"]
    assert x not in {cid for cid, _ja, _en in reasons.get("shared_concepts", {}).get("concepts", [])}
    block = score([need], index)
    assert block.pair("N", built_on_x)["exclusion"] > 0 == block.pair("N", other_way)["exclusion"]


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        ("レーダやカメラを使わずに監視したい", {"radar", "camera"}),  # coordinated, backwards
        ("without radar or cameras", {"radar", "camera"}),  # coordinated, forwards
        ("ドローンを探知し、GPSを使わずに位置を特定する", {"gnss"}),  # the drone is still wanted
    ],
)
def test_negation_reaches_coordinated_mentions_and_no_further(text, negated):
    dictionary = concepts.load()
    found = {n.concept for n in negated_mentions(normalise(text), dictionary.find)}
    assert found == negated


LOOK_ALIKES = ["非常用電源を備えた車両", "非破壊検査の装置", "ワイヤレス給電", "無線LAN以外にも対応"]


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_words_that_only_look_like_cues_negate_nothing_they_should_not(text):
    dictionary = concepts.load()
    found = {n.concept for n in negated_mentions(normalise(text), dictionary.find)}
    assert found <= {"short_range_wireless", "wifi"}  # 無線LAN以外 does exclude wireless LAN


def test_a_startup_that_works_without_x_is_not_held_against_a_need_that_excludes_x():
    startups = [
        *NAVIGATION_STARTUPS,
        startup_doc("free_co", description="Drone navigation that does not rely on GNSS, from camera images."),
    ]
    index = MatcherIndex(startups)
    block = score([need_doc("N", title="Navigation for small drones without GNSS.")], index)
    assert block.pair("N", "free_co")["exclusion"] == 0
    assert block.pair("N", "gnss_co")["exclusion"] > 0
