"""The bilingual concept dictionary: defence and deep-tech vocabulary, Japanese and English surface forms.

The data lives in `concepts.tsv` beside this file (UTF-8, tab-separated, `#` comments), one concept a line,
sorted by id (`dump()` writes that form; tests/matchmaking/test_dictionary.py validates it):

    id  fields  ja_label  en_label  forms  parents  related  solved_by  area

- `fields`: tech-field codes (tech-fields.json) the concept hints at, `,`-separated; empty for everyday or
  civilian vocabulary (food delivery, tourism …), which is kept so that such texts are recognised as such;
- `forms`: surface forms in either language, `|`-separated; both labels are forms too. Forms are normalised
  like the text (text.normalise), so width, case, long vowels and hyphens need not be listed twice;
- `parents`: broader concepts (`,`); a mention of a concept is also a weaker mention of its ancestors
  (小型SAR衛星 → SAR, satellite; マルチコプター → UAV);
- `related`: concepts a need about this one usually also wants (counter-UAS → RF detection, radar …);
- `solved_by`: for a problem (an operational need in plain words: 壁の向こうを探知したい, GNSS-denied
  navigation …), the technologies that solve it (radar imaging, terahertz imaging …);
- `area`: the technology area the concept was written from (AREAS: the tech-field codes, plus `c2`, `cbrn`,
  `general` for operational vocabulary and `civil` for everyday civilian business).

A surface form belongs to one concept; a form that names several on purpose (レーダ in a product name …) is
declared ambiguous with a leading `~` in each concept that lists it.
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from matchmaking.scoring.text import ConceptMatcher, normalise

DEFAULT_PATH = Path(__file__).with_name("concepts.tsv")
TECH_FIELDS = (
    "unmanned",
    "ai",
    "comms",
    "space",
    "cyber",
    "dx",
    "directed_energy",
    "info_warfare",
    "standoff",
    "maritime",
    "electronic_warfare",
    "sensing",
    "robotics",
    "quantum",
    "materials",
    "energy",
    "medical",
    "disaster",
    "simulation",
    "logistics",
)  # fmt: skip  (the codes of tech-fields.json)
AREAS = (*TECH_FIELDS, "c2", "cbrn", "general", "civil")
COLUMNS = ("id", "fields", "ja_label", "en_label", "forms", "parents", "related", "solved_by", "area")
AMBIGUOUS = "~"


@dataclass(frozen=True)
class Concept:
    id: str
    fields: tuple[str, ...]
    ja: str
    en: str
    forms: tuple[str, ...]
    parents: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    solved_by: tuple[str, ...] = ()
    area: str = ""
    ambiguous: frozenset[str] = frozenset()  # forms declared shared with other concepts

    def surface_forms(self) -> tuple[str, ...]:
        """Every form, labels included, as written (not normalised), each once."""
        return tuple(dict.fromkeys((self.ja, self.en, *self.forms)))

    def links(self) -> tuple[str, ...]:
        return (*self.parents, *self.related, *self.solved_by)


class ConceptDictionary:
    def __init__(self, concepts: list[Concept]) -> None:
        self.concepts = concepts
        self.by_id = {concept.id: concept for concept in concepts}
        if len(self.by_id) != len(concepts):
            duplicates = [cid for cid, n in Counter(c.id for c in concepts).items() if n > 1]
            raise ValueError(f"duplicate concept ids: {duplicates}")
        self.index = {concept.id: i for i, concept in enumerate(concepts)}
        for concept in concepts:
            for ref in concept.links():
                if ref not in self.by_id:
                    raise ValueError(f"concept {concept.id!r} refers to unknown concept {ref!r}")
        # Problems are looked up apart: a problem's phrase (ドローンが飛来) must not hide the technology inside it.
        self.matchers = [
            ConceptMatcher(
                (normalise(form), concept.id)
                for concept in concepts
                if bool(concept.solved_by) == problems
                for form in concept.surface_forms()
            )
            for problems in (False, True)
        ]
        self.matcher = self.matchers[0]
        self._ancestors = {concept.id: self._walk_ancestors(concept.id) for concept in concepts}

    def __len__(self) -> int:
        return len(self.concepts)

    def _walk_ancestors(self, concept_id: str) -> dict[str, int]:
        """Ancestor id → distance (1 = parent), nearest distance kept; cycles are cut."""
        found: dict[str, int] = {}
        frontier, depth = [concept_id], 0
        while frontier:
            depth += 1
            nxt = []
            for cid in frontier:
                for parent in self.by_id[cid].parents:
                    if parent != concept_id and parent not in found:
                        found[parent] = depth
                        nxt.append(parent)
            frontier = nxt
        return found

    def ancestors(self, concept_id: str) -> dict[str, int]:
        return self._ancestors[concept_id]

    def find(self, normalised_text: str) -> list[tuple[str, int, int]]:
        """(concept id, start, end) of every mention in text that is already normalised (text.normalise)."""
        return [found for matcher in self.matchers for found in matcher.find(normalised_text)]

    def mentions(self, normalised_text: str) -> Counter[str]:
        """Concept id → number of mentions in text that is already normalised (text.normalise)."""
        return Counter(concept_id for concept_id, _start, _end in self.find(normalised_text))

    def occurring(self, normalised_text: str) -> set[str]:
        """Every (normalised) form that occurs anywhere in the text (text.ConceptMatcher.occurring)."""
        return set().union(*(matcher.occurring(normalised_text) for matcher in self.matchers))

    def concepts_of(self, form: str) -> list[str]:
        return [cid for matcher in self.matchers for cid in matcher.concepts_of(form)]

    def solvers(self, mentions: Counter[str]) -> dict[str, float]:
        """The technologies that solve the problems among `mentions` (solved_by), 1.0 each."""
        return {tech: 1.0 for cid in mentions for tech in self.by_id[cid].solved_by}

    def expand(self, mentions: Counter[str], *, parent_weight: float, related_weight: float) -> dict[str, float]:
        """Concept weights of a text: each mention counts 1 for its concept, parent_weight**distance for each
        ancestor and related_weight for each related concept (the largest contribution per concept wins
        for the expansions, so that a broad concept does not pile up from many narrow ones)."""
        weights: dict[str, float] = {cid: float(n) for cid, n in mentions.items()}
        extra: dict[str, float] = {}
        for cid in mentions:
            if parent_weight > 0:
                for ancestor, distance in self._ancestors[cid].items():
                    extra[ancestor] = max(extra.get(ancestor, 0.0), parent_weight**distance)
            if related_weight > 0:
                for rel in self.by_id[cid].related:
                    extra[rel] = max(extra.get(rel, 0.0), related_weight)
        for cid, w in extra.items():
            weights[cid] = weights.get(cid, 0.0) + w
        return weights


def _split(value: str, sep: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(sep) if part.strip())


def parse(text: str) -> list[Concept]:
    concepts = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = [col.strip() for col in line.split("\t")]
        if len(cols) < 5:
            raise ValueError(f"concepts line {number}: expected at least 5 tab-separated columns")
        cols += [""] * (len(COLUMNS) - len(cols))
        cid, fields, ja, en, forms, parents, related, solved_by, area = cols[: len(COLUMNS)]
        written = _split(forms, "|")
        concepts.append(
            Concept(
                cid,
                _split(fields, ","),
                ja,
                en,
                tuple(form.removeprefix(AMBIGUOUS) for form in written),
                _split(parents, ","),
                _split(related, ","),
                _split(solved_by, ","),
                area,
                frozenset(form[1:] for form in written if form.startswith(AMBIGUOUS)),
            )
        )
    return concepts


def dump(concepts: list[Concept], header: str = "") -> str:
    """The file form of `concepts`, sorted by id: parse(dump(c)) == sorted(c)."""
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    lines.append("# " + "\t".join(COLUMNS))
    for c in sorted(concepts, key=lambda concept: concept.id):
        forms = "|".join(AMBIGUOUS + form if form in c.ambiguous else form for form in c.forms)
        cols = (c.id, ",".join(c.fields), c.ja, c.en, forms, ",".join(c.parents), ",".join(c.related),
                ",".join(c.solved_by), c.area)  # fmt: skip
        lines.append("\t".join(cols))
    return "\n".join(lines) + "\n"


@functools.cache
def load(path: str | None = None) -> ConceptDictionary:
    """The dictionary at `path` (default: concepts.tsv beside this module), parsed once per process."""
    return ConceptDictionary(parse(Path(path or DEFAULT_PATH).read_text(encoding="utf-8")))
