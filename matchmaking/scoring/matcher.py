"""The matcher's scoring core: need × startup → score in [0, 1] with its components, reasons and a pathway hint.

Pure Python + numpy/scipy, no Django. The Django layer turns model rows into `NeedDoc` / `StartupDoc`
(`need_doc()` and `startup_doc()` build them from plain fields), keeps a `MatcherIndex` of the startups and
calls `score()`; `explain()` and `pathway_hint()` give language-neutral reasons that the templates translate.

Components (each in [0, 1], dense arrays of shape (needs, startups)):

- `text`: cosine of TF-IDF vectors (sublinear tf, smoothed idf over the startups) of lexical features:
  CJK character bigrams and stemmed English words (text.features);
- `concepts`: cosine of TF-IDF vectors over the concept dictionary (concepts.tsv), each mention also
  counting (weaker) for its broader concepts, so that a Japanese problem statement meets an English
  technology description (小型無人機 ↔ UAV, 合成開口レーダー ↔ SAR); a need's concepts also count a little
  for the concepts the registry mentions with them (co-occurrence across startups, cooccurrence_weight) and
  can count for the dictionary's related concepts (related_weight, off: cross-validation did not want it);
- `fields`: the share of the need's tech fields that the startup covers, declared (1.0) or inferred from
  its concepts (soft, so that an empty or noisy field list still counts for something);
- `maturity`: 1 when the startup's TRL meets the need's minimum, less per level short, a middle value
  when the TRL is unknown;
- `solves`: cosine of the technologies that solve the problems the need names (concepts.tsv `solved_by`:
  "壁の向こうを見たい" → through-wall radar, terahertz imaging …) against the startup's concept vector;
- `exclusion`: how much of the startup's concept vector is on concepts the need excludes ("非X", "X以外",
  "Xを使わず", "without X", "X-denied" …: negation.py); a reason against, not for.

score = maturity × (1 − w_exclusion·exclusion) × (w_text·text + w_concepts·concepts + w_solves·solves
        + w_fields·fields) / Σw                                                            (combine())

Life of an index: MatcherIndex(docs) featurises the startups; the first score() computes corpus statistics
(idf) and matrices; upsert()/remove() then patch one row in milliseconds using those statistics (`stale`
becomes True) and refresh() — or a new index, or unpickling — recomputes them exactly. For one changed
startup: index.upsert(doc); score(batch, index, startups=[doc.key]) with a NeedBatch from prepare_needs()
kept for the open needs (its query matrices are cached per statistics version).

Reasons (`Reason(code, params)`), params language-neutral:

    shared_concepts   {"concepts": [(id, ja, en), …]}      strongest shared concepts first
    excluded          {"concepts": [(id, ja, en), …]}      excluded by the need, present in the startup
    solves            {"problem": (id, ja, en), "technologies": [(id, ja, en), …]}
    field_overlap     {"fields": [code, …]}                 declared fields in common
    field_inferred    {"fields": [code, …]}                 need fields the startup's text covers
    no_field_overlap  {"need_fields": [code, …]}
    trl_ok            {"trl": 6, "min": 5}
    trl_short         {"trl": 3, "min": 6, "gap": 3}
    trl_unknown       {"min": 5}
    no_min_trl        {"trl": 6 | None}
    designations      {"programs": ["jstartup", …]}
    weak_match        {"concepts": 0.04}                    concept cosine < 0.1: little in common, held back
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import scipy.sparse as sp

from matchmaking.scoring import concepts as concept_data
from matchmaking.scoring import negation
from matchmaking.scoring.text import Tokenizer, features, normalise

MODEL_VERSION = "match-2026.1"

COMPONENTS = ("text", "concepts", "solves", "fields", "maturity", "exclusion")
RELEVANCE = ("text", "concepts", "solves", "fields")  # weighted (Params.w_*); maturity and exclusion multiply


@dataclass(frozen=True)
class Params:
    """Weights and feature settings, chosen with benchmarks/match_quality.py --blind: the setting that ranks best
    over every dev need scored with its own fold's blind dictionary (the concepts only its fold's needs contain
    removed), i.e. the one most robust to vocabulary the dictionary lacks; its nested figure (each fold's setting
    chosen on the other folds) is the one reported. The dictionary-heavy setting of the previous version (text
    0.2, concepts 0.55, fields 0.25) scored 0.02 higher in-sample and 0.02–0.04 lower blind."""

    w_text: float = 0.2
    w_concepts: float = 0.3
    w_solves: float = 0.2  # technologies that solve the need's problems (solved_by)
    w_fields: float = 0.3
    w_exclusion: float = 0.6  # share of the score an excluded technology can take away
    exclusion_gain: float = 2.0  # exclusion = gain × the startup's (normalised) weight on excluded concepts
    trl_unknown: float = 0.9  # maturity factor when the startup's TRL is unknown
    trl_step: float = 0.1  # maturity lost per TRL level short of the need's minimum
    trl_floor: float = 0.2  # the least maturity factor
    parent_weight: float = 0.7  # a mention's weight for its parent (squared for the grandparent …)
    related_weight: float = 0.0  # a need mention's weight for the related concepts (CV chose 0)
    cooccurrence_weight: float = 0.1  # a need's concepts also count for those the registry mentions with them
    inferred_fields: float = 0.75  # weight of fields inferred from concepts, against 1.0 for declared ones
    keyword_boost: float = 2.0  # startup technologies / need title count this many times
    capability_boost: float = 1.5  # a need's desired capabilities count this many times
    tokenizer: str = ""  # "" = CJK character bigrams + English words; "sudachi" = SudachiPy words (optional)


DEFAULT_PARAMS = Params()


@dataclass(frozen=True)
class NeedDoc:
    key: str
    text: str
    tech_fields: frozenset[str] = frozenset()
    min_trl: int | None = None
    title: str = ""  # part of `text`, counted keyword_boost times in all
    capabilities: str = ""  # part of `text`, counted capability_boost times in all
    pathway: str = ""  # the need's own pathway code, if any
    weights: tuple[float, ...] = ()  # relevance weights (RELEVANCE order) tuned for the need's unit; () = Params'


@dataclass(frozen=True)
class StartupDoc:
    key: str
    text: str
    tech_fields: frozenset[str] = frozenset()
    trl: int | None = None
    designations: frozenset[str] = frozenset()  # programme codes (jstartup, …)
    keywords: tuple[str, ...] = ()  # technologies: counted keyword_boost times on top of `text`


def need_doc(
    key: str,
    *,
    title: str,
    description: str = "",
    desired_capabilities: str = "",
    tech_fields: Iterable[str] = (),
    min_trl: int | None = None,
    pathway: str = "",
) -> NeedDoc:
    body = "\n".join(part for part in (title, description, desired_capabilities) if part)
    return NeedDoc(
        key, body, frozenset(tech_fields), min_trl, title=title, capabilities=desired_capabilities, pathway=pathway
    )


def startup_doc(
    key: str,
    *,
    name: str = "",
    name_en: str = "",
    description: str = "",
    technologies: Iterable[str] = (),
    products: Iterable[str] = (),
    tech_fields: Iterable[str] = (),
    trl: int | None = None,
    designations: Iterable[str] = (),
) -> StartupDoc:
    """Names are left out of the text on purpose: invented company names match nothing but each other."""
    technologies = tuple(t for t in technologies if t)
    body = "\n".join(part for part in (description, *technologies, *products) if part)
    programs = frozenset(d.split(":", 1)[0] for d in designations if d)
    return StartupDoc(key, body, frozenset(tech_fields), trl, programs, keywords=technologies)


@dataclass(frozen=True)
class Reason:
    code: str
    params: dict = field(default_factory=dict)


@dataclass
class ScoreBlock:
    need_keys: list[str]
    startup_keys: list[str]
    score: np.ndarray  # float32 (needs, startups)
    components: dict[str, np.ndarray]  # name → float32 (needs, startups)

    def pair(self, need_key: str, startup_key: str) -> dict[str, float]:
        i, j = self.need_keys.index(need_key), self.startup_keys.index(startup_key)
        return {"score": float(self.score[i, j]), **{k: float(v[i, j]) for k, v in self.components.items()}}


@dataclass
class _Features:
    lexical: Counter  # feature → count
    mentions: Counter  # concept id → mentions (keywords boosted)
    negated: dict[str, float] = field(default_factory=dict)  # concept id → how strongly the text negates it


@functools.cache
def _tokenizer(name: str):
    if name == "sudachi":
        return Tokenizer()
    raise ValueError(f"unknown tokenizer {name!r}")


def _lexical(text: str, norm: str, tokenizer: str) -> Iterator[str]:
    if not tokenizer:
        return features(norm)
    return ("t:" + word for word in _tokenizer(tokenizer).words(text) if word.strip())


def _read(part: str, dictionary, tokenizer: str) -> _Features:
    """One part of a text: lexical features, concept mentions and negated mentions. What a cue negates is no
    mention of its concept, and its words give no lexical features."""
    norm = normalise(part)
    found = dictionary.find(norm)
    negated = negation.negated_mentions(norm, dictionary.find)
    if negated:
        found = negation.without_negated(found, negated)
        norm = negation.blank_spans(norm, ((n.start, n.end) for n in negated))
    strength: dict[str, float] = {}
    for n in negated:
        strength[n.concept] = max(strength.get(n.concept, 0.0), n.strength)
    return _Features(Counter(_lexical(part, norm, tokenizer)), Counter(cid for cid, _start, _end in found), strength)


def _featurise(text: str, emphasis: Sequence[tuple[str, float]], dictionary, tokenizer: str = "") -> _Features:
    """Lexical features and concept mentions of `text`; each (part, boost) of `emphasis` is a part of the text
    that counts `boost` times in all (parts with the same boost are read together, one scan)."""
    feats = _read(text, dictionary, tokenizer)
    joined: dict[float, list[str]] = {}
    for part, boost in emphasis:
        if part and boost != 1:
            joined.setdefault(boost, []).append(part)
    for boost, parts in joined.items():
        extra = _read("\n".join(parts), dictionary, tokenizer)
        for name in ("lexical", "mentions"):
            mine = getattr(feats, name)
            for key, n in getattr(extra, name).items():
                mine[key] += n * (boost - 1)
        for cid, strength in extra.negated.items():
            feats.negated[cid] = max(feats.negated.get(cid, 0.0), strength)
    return feats


@functools.lru_cache(maxsize=4096)
def _featurise_for_reasons(text: str, emphasis: tuple, dictionary, tokenizer: str) -> _Features:
    """_featurise() kept per process for explain(): a matches page explains its 25 rows on every view, and the
    texts rarely change between views (featurising them was most of the page's time). Read-only results."""
    return _featurise(text, emphasis, dictionary, tokenizer)


def _emphasis(doc: NeedDoc | StartupDoc, params: Params) -> list[tuple[str, float]]:
    if isinstance(doc, NeedDoc):
        return [(doc.title, params.keyword_boost), (doc.capabilities, params.capability_boost)]
    return [(keyword, params.keyword_boost) for keyword in doc.keywords]


def _sublinear(x: np.ndarray) -> np.ndarray:
    return np.log1p(x) / math.log(2)  # 1 → 1, 2 → 1.58, 0.5 → 0.58


def _l2_rows(matrix: sp.csr_matrix, extra_mass: np.ndarray | None = None) -> sp.csr_matrix:
    squares = np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel()
    norms = np.sqrt(squares if extra_mass is None else squares + extra_mass)
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ matrix)


@dataclass(frozen=True)
class NeedFeatures:
    """What scoring reads of one need (prepare_needs)."""

    terms: dict[str, float]  # lexical feature → count
    concepts: dict[str, float]  # concept id → weight (expanded; excluded concepts left out)
    solvers: dict[str, float]  # technologies that solve the problems the need names (concept id → weight)
    excluded: dict[str, float]  # concepts the need excludes (非X, X以外, without X …) → strength (negation.py)


@dataclass
class NeedBatch:
    """Needs featurised once (that part does not depend on the startups). Their query matrices against an
    index are cached per statistics version of that index, so a changed startup's column is scored against
    2,000 needs without reading them again."""

    needs: list[NeedDoc]
    params: Params
    features: list[NeedFeatures]
    _queries: dict = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.needs)


def need_features(need: NeedDoc, dictionary, params: Params) -> NeedFeatures:
    feats = _featurise(need.text, _emphasis(need, params), dictionary, params.tokenizer)
    return _need_features(feats, dictionary, params)


def _need_features(feats: _Features, dictionary, params: Params) -> NeedFeatures:
    excluded = {cid: strength for cid, strength in feats.negated.items() if cid not in feats.mentions}
    weights = dictionary.expand(
        feats.mentions, parent_weight=params.parent_weight, related_weight=params.related_weight
    )
    concepts = {cid: w for cid, w in weights.items() if cid not in excluded}
    solvers = {cid: w for cid, w in dictionary.solvers(feats.mentions).items() if cid not in excluded}
    return NeedFeatures(dict(feats.lexical), concepts, solvers, excluded)


def prepare_needs(needs: Iterable[NeedDoc], index: MatcherIndex) -> NeedBatch:
    needs = list(needs)
    return NeedBatch(needs, index.params, [need_features(need, index.dictionary, index.params) for need in needs])


def _startup_features(doc: StartupDoc, params: Params, dictionary) -> tuple[Counter, dict[str, float]]:
    feats = _featurise(doc.text, _emphasis(doc, params), dictionary, params.tokenizer)
    return feats.lexical, dictionary.expand(feats.mentions, parent_weight=params.parent_weight, related_weight=0.0)


def _featurise_chunk(docs: list[StartupDoc], params: Params, dictionary_path) -> list:
    dictionary = concept_data.load(dictionary_path)
    return [_startup_features(doc, params, dictionary) for doc in docs]


def _empty_row() -> tuple[np.ndarray, np.ndarray]:
    return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float64)


def _replace_row(matrix: sp.csr_matrix, row: int | None, new: sp.csr_matrix | None, n_cols: int) -> sp.csr_matrix:
    """`matrix` with row `row` replaced by `new` (row None: appended; new None: deleted), n_cols columns."""
    matrix = sp.csr_matrix((matrix.data, matrix.indices, matrix.indptr), shape=(matrix.shape[0], n_cols))
    parts = []
    stop = matrix.shape[0] if row is None else row
    if stop:
        parts.append(matrix[:stop])
    if new is not None:
        parts.append(sp.csr_matrix((new.data, new.indices, new.indptr), shape=(1, n_cols)))
    if row is not None and row + 1 < matrix.shape[0]:
        parts.append(matrix[row + 1 :])
    return sp.csr_matrix(sp.vstack(parts, format="csr")) if parts else sp.csr_matrix((0, n_cols))


class MatcherIndex:
    """The startups, featurised, one row of sparse features each.

    Corpus statistics (document frequencies, idf) and the row-normalised matrices are computed from the rows
    at the first use and cached. After that, upsert() and remove() patch one row of the cached matrices
    (milliseconds), weighting the changed row with the statistics of the last build: `stale` is then True,
    and refresh() recomputes the statistics exactly (what a nightly full recompute does; after it, scores
    equal those of an index built from scratch). Pickling keeps rows and vocabulary, drops the caches and
    the dictionary (reloaded from its path)."""

    def __init__(
        self,
        docs: Iterable[StartupDoc] = (),
        *,
        params: Params = DEFAULT_PARAMS,
        dictionary_path=None,
        workers: int = 1,
    ):
        """`workers` > 1 featurises in that many processes (not inside a daemonic Celery worker process)."""
        self.params = params
        self.model_version = MODEL_VERSION
        self.dictionary_path = dictionary_path
        self.dictionary = concept_data.load(dictionary_path)
        self.keys: list[str] = []
        self._row: dict[str, int] = {}
        self._lexical: list[tuple[np.ndarray, np.ndarray]] = []
        self._concepts: list[tuple[np.ndarray, np.ndarray]] = []
        self._fields: list[frozenset[str]] = []
        self._trl: list[int | None] = []
        self._designations: list[frozenset[str]] = []
        self.vocabulary: dict[str, int] = {}
        self._cache: dict = {}
        self.stats_version = 0
        self.stale = False
        docs = list(docs)
        if workers > 1 and len(docs) >= 1000:
            from concurrent.futures import ProcessPoolExecutor

            size = -(-len(docs) // (workers * 4))
            chunks = [docs[i : i + size] for i in range(0, len(docs), size)]
            with ProcessPoolExecutor(workers) as pool:
                featurised = pool.map(_featurise_chunk, chunks, [params] * len(chunks), [dictionary_path] * len(chunks))
                for chunk, rows in zip(chunks, featurised, strict=True):
                    for doc, row in zip(chunk, rows, strict=True):
                        self._put(doc, *self._encode(*row))
        else:
            for doc in docs:
                self._put(doc, *self._encode(*_startup_features(doc, params, self.dictionary)))

    # ---- changes -------------------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.keys)

    def __contains__(self, key: str) -> bool:
        return key in self._row

    def row_of(self, key: str) -> int:
        return self._row[key]

    def meta(self, key: str) -> StartupDoc:
        """The startup's fields, TRL and designations as indexed (text left empty), e.g. for pathway_hint()."""
        row = self._row[key]
        return StartupDoc(key, "", self._fields[row], self._trl[row], self._designations[row])

    def upsert(self, doc: StartupDoc) -> None:
        """Add a startup, or replace the one with the same key."""
        row = self._row.get(doc.key)
        self._put(doc, *self._encode(*_startup_features(doc, self.params, self.dictionary)))
        if self._cache:
            self._patch(row, self._row[doc.key])

    def remove(self, key: str) -> None:
        row = self._row.pop(key, None)
        if row is None:
            return
        for column in (self.keys, self._lexical, self._concepts, self._fields, self._trl, self._designations):
            del column[row]
        self._row = {k: i for i, k in enumerate(self.keys)}
        if self._cache:
            self._patch(row, None)

    def refresh(self) -> None:
        """Recompute the corpus statistics and matrices exactly (after patches)."""
        self._cache = {}
        self.stale = False
        self.matrices()

    def _put(self, doc: StartupDoc, lexical, concepts) -> None:
        row = self._row.get(doc.key)
        if row is None:
            row = len(self.keys)
            self._row[doc.key] = row
            self.keys.append(doc.key)
            for column in (self._lexical, self._concepts, self._fields, self._trl, self._designations):
                column.append(None)
        self._lexical[row], self._concepts[row] = lexical, concepts
        self._fields[row], self._trl[row], self._designations[row] = doc.tech_fields, doc.trl, doc.designations

    def _encode(self, terms: Counter, weights: dict[str, float]):
        """Feature strings → column arrays (the vocabulary grows), concept ids → dictionary indices."""
        vocabulary = self.vocabulary
        cols = np.fromiter(
            (vocabulary.setdefault(term, len(vocabulary)) for term in terms), dtype=np.int32, count=len(terms)
        )
        lexical = (cols, np.fromiter(terms.values(), dtype=np.float64, count=len(cols)))
        index = self.dictionary.index
        concepts = (
            np.fromiter((index[cid] for cid in weights), dtype=np.int32, count=len(weights)),
            np.fromiter(weights.values(), dtype=np.float64, count=len(weights)),
        )
        return lexical, concepts

    def _patch(self, old_row: int | None, new_row: int | None) -> None:
        """Replace (old_row and new_row), append (old_row None) or delete (new_row None) one row of the cached
        matrices, weighted with the cached statistics."""
        cache = self._cache
        if new_row is not None and any(code not in cache["field_column"] for code in self._fields[new_row]):
            self._cache = {}  # a field code never seen: rebuild at the next use
            return
        n_vocab = len(self.vocabulary)
        lex_idf = cache["lex_idf"]
        if len(lex_idf) < n_vocab:  # new terms: the idf of a term no startup had
            lex_idf = np.concatenate([lex_idf, np.full(n_vocab - len(lex_idf), cache["unseen_idf"])])
            cache["lex_idf"] = lex_idf
            cache["lex_df"] = np.concatenate([cache["lex_df"], np.zeros(n_vocab - len(cache["lex_df"]))])
        new_lex = new_con = None
        if new_row is not None:
            new_lex = self._weighted_rows([self._lexical[new_row]], n_vocab, lex_idf)
            new_con = self._weighted_rows([self._concepts[new_row]], len(self.dictionary), cache["con_idf"])
        cache["lexical"] = _replace_row(cache["lexical"], old_row, new_lex, n_vocab)
        cache["concepts"] = _replace_row(cache["concepts"], old_row, new_con, len(self.dictionary))
        fields = cache["fields"]
        trl = cache["trl"]
        if new_row is None:
            cache["fields"] = np.delete(fields, old_row, axis=0)
            cache["trl"] = np.delete(trl, old_row)
        else:
            field_row = self._field_rows(new_con, [self._fields[new_row]])
            value = np.nan if self._trl[new_row] is None else float(self._trl[new_row])
            if old_row is None:
                cache["fields"] = np.vstack([fields, field_row])
                cache["trl"] = np.append(trl, value)
            else:
                fields[old_row] = field_row[0]
                trl[old_row] = value
        self.stale = True

    # ---- matrices ------------------------------------------------------------------------------------------

    @staticmethod
    def _stack(rows: Sequence[tuple[np.ndarray, np.ndarray]], n_cols: int) -> sp.csr_matrix:
        rows = list(rows) or [_empty_row()]
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        indptr[1:] = np.cumsum([len(cols) for cols, _values in rows])
        indices = np.concatenate([cols for cols, _values in rows])
        data = np.concatenate([values for _cols, values in rows])
        return sp.csr_matrix((data, indices, indptr), shape=(len(rows), n_cols))

    def _weighted_rows(self, rows, n_cols: int, idf: np.ndarray) -> sp.csr_matrix:
        """Row-normalised sublinear TF-IDF of the rows."""
        matrix = self._stack(rows, n_cols)[: len(rows)]
        matrix.data = _sublinear(matrix.data) * idf[matrix.indices]
        return _l2_rows(matrix)

    def matrices(self) -> dict:
        """Cached: df and idf vectors, row-normalised TF-IDF matrices (startups × features, CSR), the field
        matrix (startups × fields, dense) and the TRL array (NaN = unknown)."""
        cache = self._cache
        if not cache:
            n_docs = len(self.keys)
            raw_lex = self._stack(self._lexical, len(self.vocabulary))[:n_docs]
            raw_con = self._stack(self._concepts, len(self.dictionary))[:n_docs]
            lex_df = np.bincount(raw_lex.indices, minlength=raw_lex.shape[1]).astype(np.float64)
            con_df = np.bincount(raw_con.indices, minlength=raw_con.shape[1]).astype(np.float64)
            unseen_idf = math.log(max(n_docs, 1) + 1) + 1.0
            lex_idf = np.log((max(n_docs, 1) + 1) / (lex_df + 1)) + 1.0
            con_idf = np.log((max(n_docs, 1) + 1) / (con_df + 1)) + 1.0
            concepts = self._weighted_rows(self._concepts, len(self.dictionary), con_idf)
            codes = self.field_codes()
            cache.update(
                lex_df=lex_df,
                lex_idf=lex_idf,
                con_df=con_df,
                con_idf=con_idf,
                unseen_idf=unseen_idf,
                lexical=self._weighted_rows(self._lexical, len(self.vocabulary), lex_idf),
                concepts=concepts,
                field_codes=codes,
                field_column={code: i for i, code in enumerate(codes)},
                trl=np.array([np.nan if t is None else t for t in self._trl], dtype=np.float64),
            )
            cache["cooccurrence"] = _cooccurrence(concepts)
            cache["concept_fields"] = self._concept_field_matrix()
            cache["fields"] = self._field_rows(concepts, self._fields)
            self.stats_version += 1
            self.stale = False
        elif "fields" not in cache:
            cache["fields"] = self._field_rows(cache["concepts"], self._fields)
        return cache

    def field_codes(self) -> list[str]:
        codes = self._cache.get("field_codes")
        if codes is None:
            found = {code for concept in self.dictionary.concepts for code in concept.fields}
            found.update(code for fields in self._fields for code in fields)
            codes = sorted(found)
        return codes

    def _concept_field_matrix(self) -> sp.csr_matrix:
        column = self._cache["field_column"]
        pairs = [(i, column[code]) for i, concept in enumerate(self.dictionary.concepts) for code in concept.fields]
        return sp.csr_matrix(
            (np.ones(len(pairs)), ([r for r, _ in pairs], [c for _, c in pairs])),
            shape=(len(self.dictionary), len(column)),
        )

    def _field_rows(self, concept_rows: sp.csr_matrix, declared: Sequence[frozenset[str]]) -> np.ndarray:
        """Startup × field: 1.0 for a declared field, else inferred_fields × (the field's share of the
        startup's concept mass, scaled so that its strongest field is 1)."""
        column = self._cache["field_column"]
        inferred = (concept_rows @ self._cache["concept_fields"]).toarray()
        peak = inferred.max(axis=1, keepdims=True) if inferred.shape[0] else np.ones((0, 1))
        peak[peak == 0] = 1.0
        matrix = self.params.inferred_fields * inferred / peak
        for row, fields in enumerate(declared):
            for code in fields:
                matrix[row, column[code]] = 1.0
        return matrix

    # ---- pickling ------------------------------------------------------------------------------------------

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state["_cache"] = {}
        state["dictionary"] = None
        state["stale"] = False
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self.dictionary = concept_data.load(self.dictionary_path)

    def is_current(self) -> bool:
        """False when the index was built by another model version: rebuild it then."""
        return self.model_version == MODEL_VERSION

    # ---- needs ---------------------------------------------------------------------------------------------

    def query(self, batch: NeedBatch, start: int = 0, stop: int | None = None) -> Query:
        """Query matrices of needs[start:stop] against this index (cached in the batch per statistics version).

        A need's term that no startup has still counts in the need's norm, so that cosine stays "the share of
        the need that is covered" and an index that once held the term scores like one that never did."""
        m = self.matrices()
        stop = len(batch.needs) if stop is None else stop
        key = (id(self), self.stats_version, start, stop)
        cached = batch._queries.get(key)
        if cached is None:
            cached = batch._queries[key] = self._build_query(batch, start, stop, m)
        n_vocab = m["lexical"].shape[1]
        if cached.lexical.shape[1] < n_vocab:  # the vocabulary grew by patches since: the new columns are empty
            q = cached.lexical
            return replace(cached, lexical=sp.csr_matrix((q.data, q.indices, q.indptr), shape=(q.shape[0], n_vocab)))
        return cached

    def _build_query(self, batch: NeedBatch, start: int, stop: int, m: dict) -> Query:
        lex_df, lex_idf, con_idf = m["lex_df"], m["lex_idf"], m["con_idf"]
        vocabulary = self.vocabulary
        n_vocab = m["lexical"].shape[1]
        features = batch.features[start:stop]
        n = stop - start
        # Terms no startup has (not in the vocabulary, or df 0) go to column n_vocab, summed into `unmatched`.
        known = np.append(lex_df > 0, False)
        lengths = [len(f.terms) for f in features]
        cols = np.fromiter(
            (vocabulary.get(term, n_vocab) for f in features for term in f.terms), dtype=np.int64, count=sum(lengths)
        )
        cols[cols > n_vocab] = n_vocab  # terms added by patches after these statistics
        counts = np.fromiter((count for f in features for count in f.terms.values()), dtype=np.float64, count=len(cols))
        rows = np.repeat(np.arange(n), lengths)
        matched = known[cols]
        unmatched = np.bincount(
            rows[~matched], weights=(_sublinear(counts[~matched]) * m["unseen_idf"]) ** 2, minlength=n
        )
        q_lex = sp.csr_matrix((counts[matched], (rows[matched], cols[matched])), shape=(n, n_vocab))
        q_lex.data = _sublinear(q_lex.data) * lex_idf[q_lex.indices]
        column = m["field_column"]
        q_fields = np.zeros((n, len(column)))
        for i, need in enumerate(batch.needs[start:stop]):
            known_fields = [column[c] for c in need.tech_fields if c in column]
            for col in known_fields:
                q_fields[i, col] = 1.0 / len(known_fields)
        q_con = _l2_rows(self._concept_rows([f.concepts for f in features], con_idf))
        if self.params.cooccurrence_weight:
            q_con = _l2_rows(q_con + self.params.cooccurrence_weight * (q_con @ m["cooccurrence"]))
        return Query(
            _l2_rows(q_lex, unmatched),
            q_con,
            q_fields,
            _l2_rows(self._concept_rows([f.solvers for f in features], con_idf)),
            self._concept_rows([f.excluded for f in features]),
        )

    def _concept_rows(self, rows: list[dict[str, float]], idf: np.ndarray | None = None) -> sp.csr_matrix:
        """Concept weights as a (rows × concepts) matrix: sublinear TF-IDF with `idf`, else the weights as they are."""
        index = self.dictionary.index
        pairs = [(i, index[cid], w) for i, weights in enumerate(rows) for cid, w in weights.items()]
        i, j, w = (list(column) for column in zip(*pairs, strict=True)) if pairs else ([], [], [])
        matrix = sp.csr_matrix((np.array(w, dtype=np.float64), (i, j)), shape=(len(rows), len(index)))
        if idf is not None:
            matrix.data = _sublinear(matrix.data) * idf[matrix.indices]
        return matrix


@dataclass(frozen=True)
class Query:
    """Needs as query matrices: row-normalised lexical and concept TF-IDF, field shares, row-normalised solvers
    (technologies that solve the needs' problems) and the excluded concepts (each with its strength)."""

    lexical: sp.csr_matrix
    concepts: sp.csr_matrix
    fields: np.ndarray
    solvers: sp.csr_matrix
    excluded: sp.csr_matrix


def _cooccurrence(concepts: sp.csr_matrix, floor: float = 0.02) -> sp.csr_matrix:
    """Concept × concept association learned from the registry, no dictionary relation needed: the cosine of two
    concepts' startup columns (how often startups mention both), diagonal 0, values under `floor` dropped.
    benchmarks/match_quality.py measured it on held-out folds: +0.02 MRR blind, in-sample +0.01."""
    mentioned = concepts.copy()
    mentioned.data[:] = 1.0
    counts = (mentioned.T @ mentioned).tocsr()
    df = counts.diagonal()
    scale = sp.diags(1.0 / np.sqrt(np.where(df > 0, df, 1.0)))
    association = sp.csr_matrix(scale @ counts @ scale)
    association.setdiag(0.0)
    association.data[association.data < floor] = 0.0
    association.eliminate_zeros()
    return association


def maturity(trl: np.ndarray, min_trl: np.ndarray, params: Params = DEFAULT_PARAMS) -> np.ndarray:
    """Maturity factor for every (need, startup): trl (startups, NaN = unknown), min_trl (needs, NaN = none)."""
    gap = min_trl[:, None] - trl[None, :]
    factor = np.clip(1.0 - params.trl_step * np.maximum(gap, 0.0), params.trl_floor, 1.0)
    factor = np.where(np.isnan(trl)[None, :], params.trl_unknown, factor)
    return np.where(np.isnan(min_trl)[:, None], 1.0, factor)


def score(
    needs: Sequence[NeedDoc] | NeedBatch,
    index: MatcherIndex,
    *,
    startups: Sequence[str] | None = None,
    chunk_size: int = 256,
) -> ScoreBlock:
    """Needs against the startups of the index (all, or the keys in `startups`, e.g. the one that changed).

    Dense float32 arrays (needs × startups). Needs go through in chunks of `chunk_size`, each a few sparse
    products, so a full 2,000 × 10,000 recompute needs ~ 5 × 4 bytes × 20 M of result and no per-pair loop."""
    blocks = list(iter_scores(needs, index, startups=startups, chunk_size=chunk_size))
    keys = list(index.keys) if startups is None else list(startups)
    if not blocks:
        empty = np.zeros((0, len(keys)), dtype=np.float32)
        return ScoreBlock([], keys, empty, dict.fromkeys(COMPONENTS, empty))
    return ScoreBlock(
        [key for block in blocks for key in block.need_keys],
        keys,
        np.vstack([block.score for block in blocks]),
        {name: np.vstack([block.components[name] for block in blocks]) for name in COMPONENTS},
    )


def iter_scores(
    needs: Sequence[NeedDoc] | NeedBatch,
    index: MatcherIndex,
    *,
    startups: Sequence[str] | None = None,
    chunk_size: int = 256,
) -> Iterator[ScoreBlock]:
    """score(), one chunk of needs at a time: for a full recompute that writes (or keeps the top K) as it goes."""
    batch = needs if isinstance(needs, NeedBatch) else prepare_needs(needs, index)
    p = index.params
    m = index.matrices()
    lexical, concepts, fields_m, trl = m["lexical"], m["concepts"], m["fields"], m["trl"]
    keys = list(index.keys)
    if startups is not None:
        rows = np.array([index.row_of(key) for key in startups], dtype=np.int64)
        lexical, concepts, fields_m, trl = lexical[rows], concepts[rows], fields_m[rows], trl[rows]
        keys = list(startups)
    lexical_t, concepts_t, fields_t = lexical.T.tocsc(), concepts.T.tocsc(), fields_m.T
    for start in range(0, len(batch.needs), chunk_size):
        stop = min(start + chunk_size, len(batch.needs))
        chunk = batch.needs[start:stop]
        q = index.query(batch, start, stop)
        min_trl = np.array([np.nan if n.min_trl is None else n.min_trl for n in chunk], dtype=np.float64)
        shape = (len(chunk), len(keys))
        components = {
            "text": _dense(q.lexical, lexical_t, shape),
            "concepts": _dense(q.concepts, concepts_t, shape),
            "solves": _dense(q.solvers, concepts_t, shape),
            "fields": np.clip(q.fields @ fields_t, 0.0, 1.0).astype(np.float32),
            "maturity": maturity(trl, min_trl, p).astype(np.float32),
            "exclusion": _dense(q.excluded, concepts_t, shape, gain=p.exclusion_gain),
        }
        tuned = [n.weights for n in chunk]
        yield ScoreBlock(
            [n.key for n in chunk],
            keys,
            combine(components, p, row_weights=tuned if any(tuned) else None).astype(np.float32, copy=False),
            {name: components[name] for name in COMPONENTS},
        )


def _dense(query: sp.csr_matrix, startups_t, shape: tuple[int, int], *, gain: float = 1.0) -> np.ndarray:
    """query @ startups as a dense float32 (needs × startups) array clipped to [0, 1]; a query with no entries
    (no need of the chunk excludes anything, say) costs no product. float32 at once: a full recompute's chunk
    of 256 × 10,000 pairs holds six of these."""
    if not query.nnz:
        return np.zeros(shape, dtype=np.float32)
    values = (query @ startups_t).toarray().astype(np.float32)
    if gain != 1.0:
        values *= gain
    return np.clip(values, 0.0, 1.0, out=values)


def combine(
    components: dict[str, np.ndarray], params: Params, *, row_weights: Sequence[Sequence[float]] | None = None
) -> np.ndarray:
    """The score from its components: maturity × (1 − w_exclusion × exclusion) × the weighted mean of the
    relevance components (RELEVANCE), in [0, 1]. `row_weights`: per need (row), RELEVANCE-ordered weights, or an
    empty sequence for the Params' ones (a unit's tuned profile, feedback.py)."""
    shipped = [getattr(params, f"w_{name}") for name in RELEVANCE]
    if row_weights is None:
        total = sum(shipped) or 1.0
        relevance = sum(w * components[name] for name, w in zip(RELEVANCE, shipped, strict=True) if w) / total
    else:
        w = np.array([list(row) or shipped for row in row_weights], dtype=np.float32)
        w = w / np.where(w.sum(axis=1, keepdims=True) > 0, w.sum(axis=1, keepdims=True), 1.0)
        relevance = sum(w[:, [c]] * components[name] for c, name in enumerate(RELEVANCE))
    factor = components["maturity"] * (1.0 - params.w_exclusion * components["exclusion"])
    return np.clip(relevance * factor, 0.0, 1.0)


def top_k(block: ScoreBlock, k: int = 50, *, per: str = "need") -> dict[str, list[tuple[str, float]]]:
    """The k best pairs per need (startup keys) or per startup (need keys), best first; ties by key order."""
    if per not in {"need", "startup"}:
        raise ValueError("per must be 'need' or 'startup'")
    scores = block.score if per == "need" else block.score.T
    owners, others = (block.need_keys, block.startup_keys) if per == "need" else (block.startup_keys, block.need_keys)
    result: dict[str, list[tuple[str, float]]] = {}
    if scores.shape[1] == 0:
        return {owner: [] for owner in owners}
    k = min(k, scores.shape[1])
    part = (
        np.argpartition(-scores, k - 1, axis=1)[:, :k]
        if k < scores.shape[1]
        else np.tile(np.arange(scores.shape[1]), (scores.shape[0], 1))
    )
    for i, owner in enumerate(owners):
        cols = part[i]
        order = cols[np.lexsort((cols, -scores[i, cols]))]
        result[owner] = [(others[j], float(scores[i, j])) for j in order]
    return result


def explain(need: NeedDoc, startup: StartupDoc, index: MatcherIndex, *, max_concepts: int = 6) -> list[Reason]:
    """Why this pair scores as it does: structured reasons, translated into sentences by the Django layer.

    Shared concepts are listed by their contribution to the concept cosine, strongest first, leaving out
    the very common ones (in more than a quarter of 50+ startups) unless nothing else is shared."""
    p = index.params
    d = index.dictionary
    m = index.matrices()
    reasons: list[Reason] = []

    need_feats = _featurise_for_reasons(need.text, tuple(_emphasis(need, p)), d, p.tokenizer)
    wanted = _need_features(need_feats, d, p)
    need_w = wanted.concepts
    start_feats = _featurise_for_reasons(startup.text, tuple(_emphasis(startup, p)), d, p.tokenizer)
    start_w = d.expand(start_feats.mentions, parent_weight=p.parent_weight, related_weight=0.0)
    idf, df = m["con_idf"], m["con_df"]

    def label(cid: str) -> tuple[str, str, str]:
        return cid, d.by_id[cid].ja, d.by_id[cid].en

    def vector(weights):
        return {cid: float(_sublinear(np.array(w)) * idf[d.index[cid]]) for cid, w in weights.items()}

    need_v, start_v = vector(need_w), vector(start_w)
    norm = math.sqrt(sum(v * v for v in need_v.values()) * sum(v * v for v in start_v.values())) or 1.0
    shared = sorted(
        ((need_v[cid] * start_v[cid] / norm, cid) for cid in set(need_v) & set(start_v)), key=lambda x: (-x[0], x[1])
    )
    cosine = sum(w for w, _cid in shared)
    common = len(index) * 0.25 if len(index) >= 50 else math.inf  # "common" means little in a small registry
    specific = [(w, cid) for w, cid in shared if df[d.index[cid]] <= common] or shared
    if specific:
        reasons.append(Reason("shared_concepts", {"concepts": [label(cid) for _w, cid in specific[:max_concepts]]}))
    excluded = sorted(cid for cid in wanted.excluded if start_w.get(cid))
    if excluded:
        reasons.append(Reason("excluded", {"concepts": [label(cid) for cid in excluded]}))
    for problem in sorted(cid for cid in need_feats.mentions if d.by_id[cid].solved_by)[:3]:
        techs = [cid for cid in d.by_id[problem].solved_by if start_w.get(cid) and cid not in wanted.excluded]
        if techs:
            reasons.append(Reason("solves", {"problem": label(problem), "technologies": [label(t) for t in techs]}))
    declared = sorted(need.tech_fields & startup.tech_fields)
    if declared:
        reasons.append(Reason("field_overlap", {"fields": declared}))
    inferred = sorted(
        code
        for code in need.tech_fields - startup.tech_fields
        if any(code in d.by_id[cid].fields for cid in start_feats.mentions)
    )
    if inferred:
        reasons.append(Reason("field_inferred", {"fields": inferred}))
    if need.tech_fields and not declared and not inferred:
        reasons.append(Reason("no_field_overlap", {"need_fields": sorted(need.tech_fields)}))
    if need.min_trl is None:
        reasons.append(Reason("no_min_trl", {"trl": startup.trl}))
    elif startup.trl is None:
        reasons.append(Reason("trl_unknown", {"min": need.min_trl}))
    elif startup.trl >= need.min_trl:
        reasons.append(Reason("trl_ok", {"trl": startup.trl, "min": need.min_trl}))
    else:
        gap = need.min_trl - startup.trl
        reasons.append(Reason("trl_short", {"trl": startup.trl, "min": need.min_trl, "gap": gap}))
    if startup.designations:
        reasons.append(Reason("designations", {"programs": sorted(startup.designations)}))
    if cosine < WEAK_CONCEPT_MATCH and not any(r.code == "solves" for r in reasons):
        reasons.append(Reason("weak_match", {"concepts": round(cosine, 3)}))
    return reasons


WEAK_CONCEPT_MATCH = 0.1  # concept cosine below which a pair is "held back": little specific in common


PROCUREMENT_PATHWAYS = ("early_equipment", "tech_proposal")
RESEARCH_PATHWAYS = ("bridging_research", "breakthrough_research")


def pathway_hint(need: NeedDoc, startup: StartupDoc) -> tuple[str, str]:
    """A route for the pair, with the reason code:

    - TRL meets the minimum: a procurement route — the need's own one if it is a procurement pathway, else
      early_equipment from TRL 7 (PoC → field trial → equip) and tech_proposal below;
      reason `trl_meets_min` (or `trl_meets_min_no_requirement` when the need sets no minimum);
    - 1–2 levels short: bridging_research (`trl_short_bridging`);
    - 3+ levels short, or TRL ≤ 3 against a need that sets no minimum: breakthrough_research
      (`trl_far_short`);
    - TRL unknown: tech_proposal, where the proposal itself shows the maturity (`trl_unknown`).
    """
    trl, minimum = startup.trl, need.min_trl
    if trl is None:
        return "tech_proposal", "trl_unknown"
    if minimum is None:
        if trl <= 3:
            return "breakthrough_research", "trl_far_short"
        return ("early_equipment" if trl >= 7 else "tech_proposal"), "trl_meets_min_no_requirement"
    gap = minimum - trl
    if gap <= 0:
        if need.pathway in PROCUREMENT_PATHWAYS:
            return need.pathway, "trl_meets_min"
        return ("early_equipment" if trl >= 7 else "tech_proposal"), "trl_meets_min"
    if gap <= 2:
        return "bridging_research", "trl_short_bridging"
    return "breakthrough_research", "trl_far_short"


def with_params(index: MatcherIndex, params: Params) -> MatcherIndex:
    """The same startups under other weights (a shallow copy sharing rows and matrices); settings that change
    the startups' features (parent_weight, keyword_boost, tokenizer) need a new index instead."""
    if any(getattr(index.params, f) != getattr(params, f) for f in ("parent_weight", "keyword_boost", "tokenizer")):
        raise ValueError("feature settings changed: build a new index with MatcherIndex(docs, params=params)")
    cache = dict(index.matrices())
    if params.inferred_fields != index.params.inferred_fields:
        cache.pop("fields")
    clone = MatcherIndex.__new__(MatcherIndex)
    clone.__dict__.update(index.__dict__)
    clone.params = params
    clone._cache = cache
    return clone


__all__ = [
    "COMPONENTS",
    "DEFAULT_PARAMS",
    "MODEL_VERSION",
    "RELEVANCE",
    "MatcherIndex",
    "NeedBatch",
    "NeedDoc",
    "NeedFeatures",
    "Params",
    "Reason",
    "ScoreBlock",
    "StartupDoc",
    "combine",
    "explain",
    "iter_scores",
    "maturity",
    "need_doc",
    "pathway_hint",
    "prepare_needs",
    "score",
    "startup_doc",
    "top_k",
]
