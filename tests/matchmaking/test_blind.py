"""The blind protocol (matchmaking.scoring.blind, benchmarks/match_quality.py --blind) cannot see the needs it
evaluates: a word planted in one held-out need leaves the dictionary of that need's fold, and only of that fold."""

from matchmaking.scoring import concepts
from matchmaking.scoring.blind import blind_folds
from matchmaking.scoring.text import normalise

DICTIONARY = """\
zorg\tsensing\tゾルグ探知機\tzorgscope\tゾルグ探知\t\t\t\tsensing
zorg_mini\tsensing\t小型ゾルグ\tmini zorgscope\t\tzorg\tradar\t\tsensing
radar\tsensing\tレーダ\tradar\t\t\t\t\tsensing
sonar\tmaritime\tソナー\tsonar\t\t\t\t\tmaritime
blind_spot\tsensing\t死角\tblind spot\t死角をなくしたい\t\t\tzorg,radar\tgeneral
harbour_watch\tsensing\t港湾監視\tharbour surveillance\t\t\t\tzorg,radar\tgeneral
"""

NEEDS = [
    "港の死角をなくしたい。ゾルグ探知機のような装置で不審船をレーダと併せて見張る。",  # fold 0: the planted word
    "潜水艇をソナーで捉えたい。",
    "夜間の港湾監視。",
]
STARTUPS = ["Compact radar for harbours.", "沿岸用のレーダを作っています。"]


def folds(dictionary, needs=NEEDS, startups=STARTUPS):
    return {fold.number: fold for fold in blind_folds(dictionary, needs, startups, folds=len(needs))}


def test_a_word_only_a_held_out_need_has_leaves_that_folds_dictionary():
    fold = folds(concepts.ConceptDictionary(concepts.parse(DICTIONARY)))[0]
    assert fold.test == [0] and fold.train == [1, 2]
    assert "zorg" in fold.removed
    kept = {c.id: c for c in fold.concepts}
    assert "zorg" not in kept
    assert kept["zorg_mini"].parents == ()  # links to it are cut, the narrower concept stays
    assert "blind_spot" not in kept  # only the held-out need says 死角: the problem goes too
    assert kept["harbour_watch"].solved_by == ("radar",)  # a training need's problem stays, its link cut
    assert "radar" in kept  # the startups say レーダ / radar: not taught by the held-out need
    assert "sonar" in kept  # in another (training) need


def test_the_folds_dictionary_no_longer_finds_the_planted_word_and_the_others_keep_it(tmp_path):
    by_number = folds(concepts.ConceptDictionary(concepts.parse(DICTIONARY)))
    path = tmp_path / "fold.tsv"
    path.write_text(concepts.dump(by_number[0].concepts), encoding="utf-8")
    mentions = concepts.load(str(path)).mentions(normalise(NEEDS[0]))
    assert "zorg" not in mentions and "radar" in mentions
    for number in (1, 2):  # the planted need is a training need there: the word may be known
        assert "zorg" in {c.id for c in by_number[number].concepts}
    sonar_fold = by_number[1]
    assert "sonar" in sonar_fold.removed  # only need 1 says ソナー


def test_the_shipped_dictionary_loses_a_planted_real_concept_in_the_held_out_fold():
    dictionary = concepts.load()
    needs = ["遠隔地の拠点間を量子鍵配送で結びたい。", "ドローンを探知したい。"]
    startups = ["UAV detection radar.", "ドローンの探知"]
    by_number = folds(dictionary, needs, startups)
    assert "qkd" in by_number[0].removed
    assert "qkd" in {c.id for c in by_number[1].concepts}
    assert "uav" not in by_number[1].removed  # the startups name drones too


def test_dump_and_parse_round_trip():
    parsed = concepts.parse(DICTIONARY)
    assert concepts.parse(concepts.dump(parsed)) == sorted(parsed, key=lambda c: c.id)
