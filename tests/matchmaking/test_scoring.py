"""The matcher's scoring core (matchmaking.scoring): pure Python, no database, fixtures written here."""

import pickle
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from matchmaking.scoring import concepts, metrics
from matchmaking.scoring.matcher import (
    COMPONENTS,
    MatcherIndex,
    NeedDoc,
    Reason,
    StartupDoc,
    explain,
    need_doc,
    pathway_hint,
    prepare_needs,
    score,
    startup_doc,
    top_k,
)
from matchmaking.scoring.text import normalise

TECH_FIELDS = {
    "unmanned", "ai", "comms", "space", "cyber", "dx", "directed_energy", "info_warfare", "standoff", "maritime",
    "electronic_warfare", "sensing", "robotics", "quantum", "materials", "energy", "medical", "disaster",
    "simulation", "logistics",
}  # fmt: skip


def startup(key, description, technologies=(), fields=(), trl=7, designations=()):
    return startup_doc(
        key,
        description=description,
        technologies=technologies,
        tech_fields=fields,
        trl=trl,
        designations=designations,
    )


# An English-only counter-drone radar among Japanese and English distractors that share words but not the
# problem: drones used for other things, radars that look at rain, cameras that film weddings.
STARTUPS = [
    startup(
        "skyguard",
        "SkyGuard builds a compact UAV detection radar that picks up small quadcopters at 4 km and tells them "
        "apart from birds, handing each track to a pan-tilt camera.",
        ["counter-UAS radar", "target classification"],
        ["sensing"],
        trl=7,
        designations=["jstartup:2024"],
    ),
    startup(
        "farmfly",
        "農業用ドローンによる農薬散布を代行し、圃場ごとの飛行ルートを自動で作成するサービスを提供しています。",
        ["農業用ドローン", "自動航行"],
        ["unmanned"],
        trl=9,
    ),
    startup(
        "weddingsky",
        "ドローン空撮で結婚式や観光地のプロモーション映像を制作しています。",
        ["空撮", "映像制作"],
        ["unmanned"],
        trl=9,
    ),
    startup(
        "rainwatch",
        "ビルの屋上に置ける小型の気象レーダーで、急な豪雨の雨雲を1分ごとに観測します。",
        ["気象レーダー", "降水ナウキャスト"],
        ["sensing", "disaster"],
        trl=8,
    ),
    startup(
        "pointcloud",
        "Pointcloud Robotics makes a rugged solid-state LiDAR that maps obstacles in darkness and dust for "
        "off-road autonomous vehicles.",
        ["solid-state LiDAR", "obstacle detection"],
        ["sensing", "robotics"],
        trl=6,
    ),
    startup(
        "orbitsar",
        "OrbitSAR operates a constellation of small SAR satellites that image the sea surface through cloud and "
        "at night, and detects ships automatically in the imagery.",
        ["synthetic aperture radar", "ship detection"],
        ["space", "sensing"],
        trl=7,
    ),
    startup(
        "greensat",
        "光学衛星の画像から田畑の生育状況を解析し、肥料の量を地図で示すサービスです。",
        ["衛星画像解析", "営農支援"],
        ["space", "ai"],
        trl=9,
    ),
    startup(
        "quietwheel",
        "配送ロボットが歩道を自律走行し、商品を玄関まで届けます。",
        ["配送ロボット", "自律走行"],
        ["robotics", "logistics"],
        trl=8,
    ),
]

COUNTER_DRONE = need_doc(
    "N-UAS",
    title="駐屯地周辺の小型無人機の探知",
    description="夜間に駐屯地の上空へ小型無人機が飛来する事案があり、警備員の目視では発見が遅れる。",
    desired_capabilities="数キロ先の小型無人機を探知・識別し、鳥と区別して追尾できること。",
    tech_fields=["sensing", "electronic_warfare"],
    min_trl=6,
)
LIDAR_NEED = need_doc(
    "N-LIDAR",
    title="ライダーによる夜間の障害物検知",
    description="照明のない不整地を走る無人車両のため、暗闇でも障害物を捉えるセンサが必要である。",
    desired_capabilities="ライダーで周囲の障害物を検知できること。",
    tech_fields=["robotics", "sensing"],
    min_trl=5,
)
SAR_NEED = need_doc(
    "N-SAR",
    title="合成開口レーダー衛星による洋上監視",
    description="広い海域を夜間や悪天候でも繰り返し観測し、不審な船舶を見つけたい。",
    desired_capabilities="合成開口レーダーの衛星画像から船舶を自動で検出できること。",
    tech_fields=["space", "maritime"],
    min_trl=6,
)
NEEDS = [COUNTER_DRONE, LIDAR_NEED, SAR_NEED]


@pytest.fixture(scope="module")
def index():
    return MatcherIndex(STARTUPS)


def ranking(block, need_key):
    i = block.need_keys.index(need_key)
    order = np.lexsort((np.arange(len(block.startup_keys)), -block.score[i]))
    return [block.startup_keys[j] for j in order]


# ---- text and dictionary ------------------------------------------------------------------------------------


def test_normalise_folds_width_case_long_vowels_and_separators():
    assert normalise("ＬｉＤＡＲ") == "lidar"
    assert normalise("センサー") == normalise("センサ")
    assert normalise("ソーナー") == normalise("ソーナ")
    assert normalise("ｾﾝｻｰ") == normalise("センサ")
    assert normalise("ウィンドシアー") == normalise("ウインドシア")
    assert normalise("micro-Doppler／EO・IR") == "micro doppler eo ir"


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("小型無人機", "uav"),
        ("ドローン", "uav"),
        ("UAVs", "uav"),
        ("unmanned aircraft systems", "uav"),
        ("ライダー", "lidar"),
        ("LiDAR", "lidar"),
        ("合成開口レーダー", "sar"),
        ("synthetic aperture radar", "sar"),
        ("量子鍵配送", "qkd"),
        ("QKD", "qkd"),
        ("ジャミング", "jamming"),
        ("電波妨害", "jamming"),
        ("炭素繊維", "cfrp"),
        ("CFRP", "cfrp"),
        ("予兆保全", "predictive_maintenance"),
        ("predictive maintenance", "predictive_maintenance"),
        ("耐放射線", "space_environment"),
        ("衛星通信", "satcom"),
        ("SATCOM", "satcom"),
        ("ソナー", "sonar"),
    ],
)
def test_surface_forms_in_both_languages_name_one_concept(text, concept):
    assert concept in concepts.load().mentions(normalise(text))


def test_latin_forms_match_whole_words_only():
    mentions = concepts.load().mentions(normalise("She said the maintenance plan was fine"))
    assert "ai" not in mentions
    assert "radar" not in concepts.load().mentions(normalise("radarsat"))
    assert "ai" in concepts.load().mentions(normalise("AI-based analysis"))


def test_longest_match_wins():
    found = concepts.load().mentions(normalise("マイクロ波加熱で殺菌する"))
    assert "microwave_heating" in found
    assert "hpm" not in found


def test_dictionary_is_bilingual_and_uses_known_fields():
    dictionary = concepts.load()
    assert len(dictionary) >= 400
    for concept in dictionary.concepts:
        assert concept.ja and concept.en, concept.id
        assert set(concept.fields) <= TECH_FIELDS, concept.id
    assert {code for concept in dictionary.concepts for code in concept.fields} == TECH_FIELDS


def test_no_development_data_is_written_into_the_matcher():
    """The judged set stays outside: no need refs, corporate numbers or company names in the package."""
    package = Path(concepts.__file__).parent
    for path in package.iterdir():
        if path.suffix in {".py", ".tsv", ".json"}:
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"\bD-\d{3}\b", text), path
            assert not re.search(r"(?<!\d)\d{13}(?!\d)", text), path
            assert "株式会社" not in text, path


# ---- ranking ------------------------------------------------------------------------------------------------


def test_japanese_drone_need_ranks_english_uav_radar_first(index):
    order = ranking(score(NEEDS, index), "N-UAS")
    assert order[0] == "skyguard"
    assert order.index("skyguard") < min(order.index(k) for k in ("farmfly", "weddingsky", "rainwatch"))


def test_raida_need_finds_lidar_startup(index):
    order = ranking(score(NEEDS, index), "N-LIDAR")
    assert order[0] == "pointcloud"


def test_sar_need_finds_english_sar_satellite_before_optical_and_weather(index):
    order = ranking(score(NEEDS, index), "N-SAR")
    assert order[0] == "orbitsar"
    assert order.index("orbitsar") < order.index("greensat") < len(order)
    assert order.index("orbitsar") < order.index("rainwatch")


def test_scores_and_components_are_in_unit_interval(index):
    block = score(NEEDS, index)
    assert block.score.shape == (len(NEEDS), len(STARTUPS))
    assert set(block.components) == set(COMPONENTS)
    for values in [block.score, *block.components.values()]:
        assert values.dtype == np.float32
        assert values.min() >= 0.0
        assert values.max() <= 1.0


def test_trl_below_minimum_lowers_the_score_and_says_so():
    text = "A compact UAV detection radar that tracks small drones and separates them from birds."
    ready = startup("ready", text, ["counter-UAS radar"], ["sensing"], trl=7)
    early = startup("early", text, ["counter-UAS radar"], ["sensing"], trl=3)
    unknown = startup("unknown", text, ["counter-UAS radar"], ["sensing"], trl=None)
    index = MatcherIndex([ready, early, unknown, *STARTUPS[1:4]])
    block = score([COUNTER_DRONE], index)
    pair = {key: block.pair("N-UAS", key) for key in ("ready", "early", "unknown")}
    assert pair["early"]["score"] < pair["unknown"]["score"] < pair["ready"]["score"]
    assert pair["early"]["maturity"] < 1.0 == pair["ready"]["maturity"]
    assert pair["early"]["concepts"] == pytest.approx(pair["ready"]["concepts"])
    reasons = {r.code: r.params for r in explain(COUNTER_DRONE, early, index)}
    assert reasons["trl_short"] == {"trl": 3, "min": 6, "gap": 3}
    assert "trl_ok" in {r.code for r in explain(COUNTER_DRONE, ready, index)}
    assert "trl_unknown" in {r.code for r in explain(COUNTER_DRONE, unknown, index)}


def test_explain_lists_shared_concepts_with_both_labels(index):
    reasons = explain(COUNTER_DRONE, STARTUPS[0], index)
    assert all(isinstance(r, Reason) for r in reasons)
    shared = next(r for r in reasons if r.code == "shared_concepts").params["concepts"]
    assert ("uav", "無人航空機", "UAV") in shared
    assert {"field_overlap", "trl_ok", "designations"} <= {r.code for r in reasons}


def test_explain_holds_back_an_unrelated_pair(index):
    codes = {r.code for r in explain(SAR_NEED, STARTUPS[2], index)}  # wedding drone films vs SAR satellites
    assert "weak_match" in codes
    assert "no_field_overlap" in codes


def test_pathway_hint_routes_by_maturity():
    need = NeedDoc("N", "", frozenset(), min_trl=6, pathway="early_equipment")
    assert pathway_hint(need, StartupDoc("s", "", trl=7)) == ("early_equipment", "trl_meets_min")
    assert pathway_hint(replace(need, pathway="bridging_research"), StartupDoc("s", "", trl=6)) == (
        "tech_proposal",
        "trl_meets_min",
    )
    assert pathway_hint(need, StartupDoc("s", "", trl=5)) == ("bridging_research", "trl_short_bridging")
    assert pathway_hint(need, StartupDoc("s", "", trl=3)) == ("breakthrough_research", "trl_far_short")
    assert pathway_hint(need, StartupDoc("s", "", trl=None)) == ("tech_proposal", "trl_unknown")
    assert pathway_hint(replace(need, min_trl=None), StartupDoc("s", "", trl=8))[0] == "early_equipment"


# ---- top k --------------------------------------------------------------------------------------------------


def test_top_k_per_need_and_per_startup(index):
    block = score(NEEDS, index)
    per_need = top_k(block, 3)
    for i, key in enumerate(block.need_keys):
        expected = sorted(range(len(STARTUPS)), key=lambda j: (-block.score[i, j], j))[:3]
        assert [k for k, _s in per_need[key]] == [block.startup_keys[j] for j in expected]
        assert [s for _k, s in per_need[key]] == sorted((s for _k, s in per_need[key]), reverse=True)
    per_startup = top_k(block, 2, per="startup")
    assert set(per_startup) == set(block.startup_keys)
    assert per_startup["skyguard"][0][0] == "N-UAS"
    assert all(len(v) == 2 for v in per_startup.values())
    assert len(top_k(block, 100)["N-SAR"]) == len(STARTUPS)


def test_top_k_breaks_ties_by_key_order():
    twin = "Quantum key distribution (QKD) links between sites over existing fibre."
    index = MatcherIndex([startup("b", twin, trl=5), startup("a", twin, trl=5), startup("c", "Food delivery app")])
    block = score([need_doc("N", title="量子鍵配送", min_trl=3)], index)
    assert [k for k, _s in top_k(block, 2)["N"]] == ["b", "a"]  # equal scores: index order


# ---- the index ----------------------------------------------------------------------------------------------


def test_incremental_updates_equal_a_full_rebuild():
    base = STARTUPS[:6]
    changed = startup("farmfly", "Counter-drone jamming and RF detection of small UAVs.", ["jamming"], ["sensing"])
    added = STARTUPS[6]
    index = MatcherIndex(base)
    before = score(NEEDS, index)
    index.upsert(changed)  # replace
    index.upsert(added)  # add
    index.remove("rainwatch")  # remove
    assert index.stale
    index.refresh()
    final = [changed if s.key == "farmfly" else s for s in base if s.key != "rainwatch"] + [added]
    rebuilt = MatcherIndex(final)
    incremental, fresh = score(NEEDS, index), score(NEEDS, rebuilt)
    for i in range(len(NEEDS)):
        for key in rebuilt.keys:
            j_inc, j_new = incremental.startup_keys.index(key), fresh.startup_keys.index(key)
            assert incremental.score[i, j_inc] == pytest.approx(fresh.score[i, j_new], abs=1e-6)
            for name in COMPONENTS:
                assert incremental.components[name][i, j_inc] == pytest.approx(
                    fresh.components[name][i, j_new], abs=1e-6
                )
    assert "rainwatch" not in index
    assert before.score.shape[1] == len(base)


def test_patched_index_scores_the_changed_startup_before_a_refresh():
    index = MatcherIndex(STARTUPS)
    batch = prepare_needs(NEEDS, index)
    score(batch, index)  # builds the matrices and the batch's queries
    index.upsert(startup("greensat", "小型SAR衛星で夜間も船舶を自動検出します。", ["SAR衛星"], ["space"], trl=7))
    column = score(batch, index, startups=["greensat"])
    assert column.startup_keys == ["greensat"]
    assert column.pair("N-SAR", "greensat")["concepts"] > 0.2
    index.refresh()
    exact = score(batch, index, startups=["greensat"])
    assert exact.score[:, 0] == pytest.approx(column.score[:, 0], abs=0.05)


def test_index_survives_pickling(index):
    copy = pickle.loads(pickle.dumps(index))  # noqa: S301 - our own object, just pickled
    assert copy.is_current()
    np.testing.assert_allclose(score(NEEDS, copy).score, score(NEEDS, index).score, atol=1e-6)


def test_empty_inputs():
    empty = MatcherIndex([])
    block = score(NEEDS, empty)
    assert block.score.shape == (3, 0)
    assert top_k(block, 5) == {"N-UAS": [], "N-LIDAR": [], "N-SAR": []}
    assert score([], MatcherIndex(STARTUPS)).score.shape == (0, len(STARTUPS))


# ---- metrics ------------------------------------------------------------------------------------------------


def test_metrics_follow_the_match_dev_definitions():
    judged = {"a": 3, "b": 2, "c": 0}
    assert metrics.ndcg(["a", "b", "x"], judged, 10) == pytest.approx(1.0)
    assert metrics.ndcg(["x", "a"], judged, 10) == pytest.approx((3 / np.log2(3)) / (3 + 2 / np.log2(3)))
    assert metrics.reciprocal_rank(["x", "b", "a"], judged) == pytest.approx(1 / 3)
    assert metrics.distractors(["c", "a"], judged, 10) == pytest.approx(0.1)


def test_concepts_the_registry_mentions_together_carry_meaning_without_a_dictionary_relation():
    """Co-occurrence across startups: a need about magnetometers reaches an underwater-drone startup that never
    names one, because other startups put both together; without the signal it gets no concept score at all."""
    startups = [
        startup("mag_auv", "A fluxgate magnetometer towed behind an AUV maps the seabed."),
        startup("mag_uuv", "Magnetometer payloads for UUVs and underwater drones."),
        startup("uuv_only", "We build rugged UUV hulls and underwater vehicles."),
        startup("food", "Food delivery app for restaurants."),
    ]
    need = need_doc("N", title="磁気センサによる探知")
    plain = score([need], MatcherIndex(startups, params=replace(MatcherIndex().params, cooccurrence_weight=0.0)))
    assert plain.pair("N", "uuv_only")["concepts"] == 0.0
    block = score([need], MatcherIndex(startups))
    assert block.pair("N", "uuv_only")["concepts"] > 0.0 == block.pair("N", "food")["concepts"]
    assert block.pair("N", "mag_auv")["concepts"] > block.pair("N", "uuv_only")["concepts"]
