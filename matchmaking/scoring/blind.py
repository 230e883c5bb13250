"""The blind protocol of benchmarks/match_quality.py: figures the dictionary could not have been fitted to.

Needs are split into folds. For each fold, every concept with a surface form that occurs in the fold's needs
but nowhere in the rest of the corpus (the other needs and every startup) is removed, with the links to it:
such a form can only have come from reading the held-out needs. Weights are then chosen on the other folds and
the held-out needs are scored with that dictionary. What is left of the dictionary is what the rest of the
corpus alone could have taught; on needs the portal has never seen, the figures cannot be better informed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from matchmaking.scoring.concepts import Concept, ConceptDictionary
from matchmaking.scoring.text import normalise


def forms_in(dictionary: ConceptDictionary, texts: Iterable[str]) -> set[str]:
    """The dictionary's (normalised) forms that occur anywhere in these texts."""
    found: set[str] = set()
    for text in texts:
        found |= dictionary.matcher.occurring(normalise(text))
    return found


def unseen_concepts(dictionary: ConceptDictionary, held_out: Iterable[str], rest: Iterable[str]) -> set[str]:
    """Ids of the concepts with a form in `held_out` texts that no text of `rest` has."""
    unseen = forms_in(dictionary, held_out) - forms_in(dictionary, rest)
    return {cid for form in unseen for cid in dictionary.matcher.concepts_of(form)}


def without(concepts: Sequence[Concept], removed: set[str]) -> list[Concept]:
    """The concepts minus `removed`, and every link (parent, related, solved_by) to them cut."""

    def keep(ids: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(cid for cid in ids if cid not in removed)

    return [
        replace(c, parents=keep(c.parents), related=keep(c.related), solved_by=keep(c.solved_by))
        for c in concepts
        if c.id not in removed
    ]


@dataclass(frozen=True)
class Fold:
    number: int
    train: list[int]  # positions in the needs
    test: list[int]
    removed: frozenset[str]  # concept ids
    concepts: list[Concept]  # the fold's dictionary


def blind_folds(
    dictionary: ConceptDictionary, need_texts: Sequence[str], startup_texts: Sequence[str], *, folds: int = 5
) -> Iterator[Fold]:
    """Leave-needs-out folds (need n in fold n % folds), each with the dictionary it may use."""
    for number in range(folds):
        test = [i for i in range(len(need_texts)) if i % folds == number]
        train = [i for i in range(len(need_texts)) if i % folds != number]
        rest = [*(need_texts[i] for i in train), *startup_texts]
        removed = unseen_concepts(dictionary, (need_texts[i] for i in test), rest)
        yield Fold(number, train, test, frozenset(removed), without(dictionary.concepts, removed))
