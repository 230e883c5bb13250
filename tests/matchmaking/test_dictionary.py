"""The concept dictionary (matchmaking/scoring/concepts.tsv) stays reviewable and consistent: one concept a line,
sorted, each with Japanese and English labels and a source area; a surface form names one concept unless every
concept that lists it declares it ambiguous; problems name the technologies that solve them."""

from collections import Counter, defaultdict

import pytest

from matchmaking.scoring import concepts
from matchmaking.scoring.text import normalise

FILE = concepts.DEFAULT_PATH.read_text(encoding="utf-8")
DICTIONARY = concepts.parse(FILE)


def test_the_file_is_in_its_canonical_form_one_concept_a_line_sorted_by_id():
    lines = [line for line in FILE.splitlines() if line and not line.startswith("#")]
    assert len(lines) == len(DICTIONARY)
    assert [c.id for c in DICTIONARY] == sorted(c.id for c in DICTIONARY)
    body = [line for line in concepts.dump(DICTIONARY).splitlines() if not line.startswith("#")]
    assert body == lines, "rewrite the file with concepts.dump() (tabs, column order, `~` marks)"


def test_every_concept_has_japanese_and_english_labels_an_area_and_known_fields():
    for concept in DICTIONARY:
        assert concept.ja.strip() and concept.en.strip(), concept.id
        assert concept.area in concepts.AREAS, concept.id
        assert set(concept.fields) <= set(concepts.TECH_FIELDS), concept.id


def test_no_surface_form_names_two_concepts_unless_each_declares_it_ambiguous():
    owners: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for concept in DICTIONARY:
        declared = {normalise(form) for form in concept.ambiguous}
        for form in {normalise(form) for form in concept.surface_forms()}:
            owners[form].append((concept.id, form in declared))
    clashes = {form: ids for form, ids in owners.items() if len(ids) > 1 and not all(flag for _id, flag in ids)}
    assert not clashes, f"{len(clashes)} forms name several concepts: {dict(list(clashes.items())[:10])}"
    stray = [(c.id, form) for c in DICTIONARY for form in c.ambiguous if len(owners[normalise(form)]) < 2]
    assert not stray, f"declared ambiguous but named by one concept only: {stray[:10]}"


def test_links_are_known_and_problems_name_their_technologies():
    dictionary = concepts.ConceptDictionary(DICTIONARY)  # raises on an unknown parent, related or solved_by id
    problems = [c for c in DICTIONARY if c.id.startswith("p_")]
    assert len(problems) >= 100
    for problem in problems:
        assert problem.solved_by, problem.id
        assert not any(dictionary.by_id[cid].id.startswith("p_") for cid in problem.solved_by), problem.id
    assert not [c.id for c in DICTIONARY if c.solved_by and not c.id.startswith("p_")]


def test_the_dictionary_covers_every_area_with_thousands_of_concepts():
    assert len(DICTIONARY) >= 2000
    per_area = Counter(c.area for c in DICTIONARY)
    assert set(per_area) == set(concepts.AREAS)
    thin = {area: n for area, n in per_area.items() if n < 30}
    assert not thin, thin
    assert {code for c in DICTIONARY for code in c.fields} == set(concepts.TECH_FIELDS)


@pytest.mark.parametrize("form", ["ai", "ew", "c2", "isr"])
def test_short_latin_forms_are_whole_words(form):
    """Two- and three-letter forms are only safe as whole words (text.ConceptMatcher): 'ai' not in 'said'."""
    dictionary = concepts.load()
    assert not dictionary.mentions(normalise(f"x{form}y"))
