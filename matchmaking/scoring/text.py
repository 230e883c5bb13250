"""Text normalisation, features and dictionary look-up for the matcher. Pure Python, no Django.

Japanese and English text meet here in one normal form:

- NFKC (full/half width), casefold, katakana long-vowel marks dropped (センサー = センサ, レーダー = レーダ),
  ヴ-row and ウィ/ウェ/ウォ spelling variants folded, dashes, slashes and middle dots read as spaces;
- features: character bigrams of CJK runs (kana-only bigrams, mostly inflection, are skipped) and words of
  Latin runs (light English stemming, stop words dropped);
- concepts: leftmost-longest look-up of dictionary surface forms (ConceptMatcher), with word boundaries
  enforced for forms that begin or end in a Latin letter or digit (so "ai" never matches inside "said")
  and English plurals accepted ("drones", "sensors").
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator

_LONG_VOWEL = re.compile(r"([\u30a1-\u30fa])\u30fc+")
_VU = str.maketrans({"ゔ": "ぶ"})
_KANA_VARIANTS = [
    ("ヴァ", "バ"), ("ヴィ", "ビ"), ("ヴェ", "ベ"), ("ヴォ", "ボ"), ("ヴ", "ブ"),
    ("ウィ", "ウイ"), ("ウェ", "ウエ"), ("ウォ", "ウオ"), ("ヰ", "イ"), ("ヱ", "エ"),
]  # fmt: skip
# Dashes, slashes, middle dots, brackets and punctuation all separate words.
_SEPARATORS = re.compile(
    r"[\s\-‐‑‒–—―−_/・･·,.;:!?()\[\]{}<>\"'`“”‘’「」『』【】〈〉《》（）、。，．：；！？〜~|*+=&^%$#@\\]+"
)
_CJK = r"\u3041-\u3096\u30a1-\u30fa\u30fc\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヶ"
_RUN = re.compile(rf"([{_CJK}]+)|([a-z0-9]+)")
_HIRAGANA = frozenset(chr(c) for c in range(0x3041, 0x3097))
_ASCII_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")

STOP_WORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "been", "by", "can", "for", "from", "has", "have", "in", "into",
    "is", "it", "its", "of", "on", "or", "our", "so", "such", "than", "that", "the", "their", "them", "then",
    "there", "these", "they", "this", "to", "up", "was", "we", "were", "which", "while", "who", "will", "with",
    "within", "without", "you", "your", "us", "also", "any", "all", "each", "more", "most", "much", "other",
    "over", "out", "only", "not", "no", "new", "one", "two", "three", "per", "via", "based", "use", "used", "uses",
    "using", "make", "makes", "made", "can't", "doesn't", "across", "about", "after", "before", "under", "same",
    "both", "many", "very",
})  # fmt: skip


def normalise(text: str) -> str:
    """One normal form for matching: NFKC, casefold, kana variants folded, separators read as single spaces."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    text = text.translate(_VU)
    for variant, folded in _KANA_VARIANTS:
        if variant in text:
            text = text.replace(variant, folded)
    text = _LONG_VOWEL.sub(r"\1", text)
    return _SEPARATORS.sub(" ", text).strip()


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light English stemmer: plural and a few inflections, enough to make 'drones' meet 'drone'."""
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix, replacement in (("ies", "y"), ("sses", "ss"), ("ches", "ch"), ("shes", "sh"), ("xes", "x")):
        if word.endswith(suffix):
            return word[: -len(suffix)] + replacement
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def features(normalised: str) -> Iterator[str]:
    """Lexical features of normalised text: 'c:' CJK character bigrams, 'w:' stemmed English words."""
    hiragana = _HIRAGANA
    for cjk, latin in _RUN.findall(normalised):
        if cjk:
            if len(cjk) == 1:
                yield "c:" + cjk
                continue
            yield from ("c:" + a + b for a, b in itertools.pairwise(cjk) if a not in hiragana or b not in hiragana)
        elif latin not in STOP_WORDS and not latin.isdigit():
            yield "w:" + stem(latin)


def char_ngrams(normalised: str, n: int = 2) -> Iterator[str]:
    """Plain character n-grams of normalised text (spaces kept inside the window), for the baselines."""
    text = normalised
    for i in range(max(len(text) - n + 1, 0)):
        gram = text[i : i + n]
        if gram.strip():
            yield gram


class Tokenizer:
    """Optional Japanese word tokenizer (SudachiPy with its packaged dictionary), used only when asked for.

    The matcher's default lexical features are character bigrams: benchmarks/match_quality.py --tokenizer
    measured this tokenizer against them and it did no better, 5× slower (install the `tokenizer` extra to
    measure again). `words()` yields normalised dictionary forms."""

    def __init__(self) -> None:
        from sudachipy import Dictionary, SplitMode

        self._tokenizer = Dictionary().create()
        self._mode = SplitMode.C

    def words(self, text: str) -> Iterator[str]:
        for morpheme in self._tokenizer.tokenize(text, self._mode):
            pos = morpheme.part_of_speech()[0]
            if pos in {"助詞", "助動詞", "補助記号", "空白", "記号"}:
                continue
            yield normalise(morpheme.normalized_form())


_WORD_CHARS = _ASCII_ALNUM


class ConceptMatcher:
    """Leftmost-longest look-up of surface forms (already normalised) in text (normalised the same way).

    Latin forms are indexed by their first word and tried only where a word starts (the scan then jumps the
    word); other forms by their first two characters (one-character forms apart). Candidates are tried
    longest first, so the scan costs a dict look-up per position and a `startswith` for the few candidates.
    A Latin form must end a word, an English plural -s/-es allowed."""

    def __init__(self, forms: Iterable[tuple[str, str]]) -> None:
        ids: dict[str, list[str]] = {}
        for form, concept_id in forms:
            if form:
                bucket = ids.setdefault(form, [])
                if concept_id not in bucket:
                    bucket.append(concept_id)
        self._ids = ids
        by_word: dict[str, list[str]] = {}
        by_prefix: dict[str, list[str]] = {}
        for form in ids:
            if form[0] in _WORD_CHARS:
                by_word.setdefault(_LATIN_WORD.match(form).group(), []).append(form)
            elif len(form) >= 2:
                by_prefix.setdefault(form[:2], []).append(form)
        self._by_word = {word: sorted(group, key=len, reverse=True) for word, group in by_word.items()}
        self._by_prefix = {prefix: sorted(group, key=len, reverse=True) for prefix, group in by_prefix.items()}
        self._single = {form for form in ids if len(form) == 1 and form not in _WORD_CHARS}
        self._first = frozenset(form[0] for form in ids if form[0] not in _WORD_CHARS)

    def _latin_candidates(self, word: str) -> list[str]:
        by_word = self._by_word
        found = list(by_word.get(word, ()))
        if word.endswith("s"):
            found += by_word.get(word[:-1], ())
            if word.endswith("es"):
                found += by_word.get(word[:-2], ())
        return sorted(found, key=len, reverse=True) if len(found) > 1 else found

    def find(self, text: str) -> list[tuple[str, int, int]]:
        """(concept_id, start, end) for each leftmost-longest match; a form may name several concepts."""
        found: list[tuple[str, int, int]] = []
        by_prefix, single, ids, first = self._by_prefix, self._single, self._ids, self._first
        word_chars, latin_word = _WORD_CHARS, _LATIN_WORD.match
        startswith = text.startswith
        n, i = len(text), 0
        while i < n:
            char = text[i]
            if char in word_chars:
                word_end = latin_word(text, i).end()
                end = None
                for form in self._latin_candidates(text[i:word_end]):
                    if startswith(form, i):
                        end = _form_end(text, i + len(form), form)
                        if end is not None:
                            found.extend((cid, i, end) for cid in ids[form])
                            break
                i = end if end is not None and end > word_end else word_end
                continue
            if char not in first:
                i += 1
                continue
            end = None
            for form in by_prefix.get(text[i : i + 2], ()):
                if startswith(form, i):
                    end = _form_end(text, i + len(form), form)
                    if end is not None:
                        found.extend((cid, i, end) for cid in ids[form])
                        break
            if end is None and char in single:
                end = i + 1
                found.extend((cid, i, end) for cid in ids[char])
            i = end if end is not None else i + 1
        return found

    def occurring(self, text: str) -> set[str]:
        """Every form that occurs in `text` anywhere, overlaps and shorter forms inside longer ones included
        (find() reports only the leftmost-longest): what a text could have taught a dictionary's author."""
        found: set[str] = set()
        word_chars, latin_word, startswith = _WORD_CHARS, _LATIN_WORD.match, text.startswith
        for i, char in enumerate(text):
            if char in word_chars:
                if i and text[i - 1] in word_chars:
                    continue
                candidates = self._latin_candidates(text[i : latin_word(text, i).end()])
            else:
                candidates = self._by_prefix.get(text[i : i + 2], ())
                if char in self._single:
                    found.add(char)
            found.update(
                form for form in candidates if startswith(form, i) and _form_end(text, i + len(form), form) is not None
            )
        return found

    def concepts_of(self, form: str) -> list[str]:
        return self._ids.get(form, [])


_LATIN_WORD = re.compile(r"[a-z0-9]+")


def _form_end(text: str, j: int, form: str) -> int | None:
    """Where a form matched up to text[j] ends: a Latin-ending form must end a word (plural -s/-es allowed)."""
    if form[-1] not in _WORD_CHARS or j == len(text) or text[j] not in _WORD_CHARS:
        return j
    for suffix in ("s", "es"):
        k = j + len(suffix)
        if text.startswith(suffix, j) and (k == len(text) or text[k] not in _WORD_CHARS):
            return k
    return None
