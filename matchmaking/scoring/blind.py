"""The blind protocol of benchmarks/match_quality.py: figures the dictionary could not have been fitted to.

Needs are split into folds. For each fold, every concept with a surface form that occurs in the fold's needs
but nowhere in the rest of the corpus (the other needs and every startup) is removed, with the links to it:
such a form can only have come from reading the held-out needs. Weights are then chosen on the other folds and
the held-out needs are scored with that dictionary. What is left of the dictionary is what the rest of the
corpus alone could have taught; on needs the portal has never seen, the figures cannot be better informed.

A second, finer variant removes only those forms (`Fold.forms_only`): the concept stays with its other forms.
It does not depend on how synonyms are grouped into concepts (one concept of ten forms loses all ten in the
first variant, ten concepts of one form each lose one), so it is the closer simulation of unseen vocabulary.
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
        found |= dictionary.occurring(normalise(text))
    return found


def unseen_forms(dictionary: ConceptDictionary, held_out: Iterable[str], rest: Iterable[str]) -> set[str]:
    """The (normalised) forms that occur in `held_out` texts and in no text of `rest`."""
    return forms_in(dictionary, held_out) - forms_in(dictionary, rest)


def forms_removed(concepts: Sequence[Concept], unseen: set[str]) -> list[Concept]:
    """The concepts without these forms. A label among them can no longer match (it is kept for display, behind
    a character no normalised text contains); a concept left with no form at all goes, with the links to it."""
    kept, gone = [], set()
    for c in concepts:
        forms = tuple(f for f in c.forms if normalise(f) not in unseen)
        ja, en = (_UNMATCHABLE + label if normalise(label) in unseen else label for label in (c.ja, c.en))
        if not forms and ja.startswith(_UNMATCHABLE) and en.startswith(_UNMATCHABLE):
            gone.add(c.id)
        kept.append(replace(c, ja=ja, en=en, forms=forms, ambiguous=c.ambiguous & set(forms)))
    return without(kept, gone)


_UNMATCHABLE = "\u2205"  # ∅: the normal form keeps it, and no text has it


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
    unseen: frozenset[str]  # the forms only the held-out needs have
    forms_only: list[Concept]  # the finer variant: those forms removed, the concepts kept


def blind_folds(
    dictionary: ConceptDictionary, need_texts: Sequence[str], startup_texts: Sequence[str], *, folds: int = 5
) -> Iterator[Fold]:
    """Leave-needs-out folds (need n in fold n % folds), each with the dictionary it may use."""
    for number in range(folds):
        test = [i for i in range(len(need_texts)) if i % folds == number]
        train = [i for i in range(len(need_texts)) if i % folds != number]
        rest = [*(need_texts[i] for i in train), *startup_texts]
        unseen = unseen_forms(dictionary, (need_texts[i] for i in test), rest)
        removed = {cid for form in unseen for cid in dictionary.concepts_of(form)}
        yield Fold(
            number,
            train,
            test,
            frozenset(removed),
            without(dictionary.concepts, removed),
            frozenset(unseen),
            forms_removed(dictionary.concepts, unseen),
        )
