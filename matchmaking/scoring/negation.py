"""Negation and exclusion in a text: "非X", "X以外", "Xを使わず", "Xに依存しない", "Xが使えない環境", "without X",
"X-denied", "X-free" … name X as something *not* wanted (or not used), so X must not count as a mention of X.

Works on normalised text (text.normalise: casefolded, separators as spaces, long vowels dropped). Cue phrases are
found first and blanked; the dictionary then looks for concepts in the blanked text, so that a concept written
together with its cue as one surface form (GPSが使えない, a form of GNSS-denied navigation) still yields the X
inside it (GPS). A mention is negated when a cue touches it (a prefix cue just before it, a suffix cue just
after it, Japanese fillers such as など allowed), and so are the mentions coordinated with it (XやYを使わず,
without X or Y).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

# Cues that exclude X outright (use something else), and cues that say X is unavailable where the need is: there
# X still counts against a startup, but half as much (a way to make X work anyway, such as an anti-jam GNSS
# antenna for a GNSS-denied area, may well be an answer).
_JA_EXCLUDE = [
    r"以外",
    r"を?(?:一切|全く|まったく)?(?:使わ(?:ず|ない)|使用せず|使用しない|用い(?:ず|ない)|利用せず|利用しない)",
    r"を?(?:搭載せず|搭載しない|必要とせず|必要としない|伴わ(?:ず|ない)|含ま(?:ず|ない))",
    r"に(?:頼ら(?:ず|ない)|頼れない|依存せず|依存しない|よら(?:ず|ない))",
    r"(?:なし|無し|抜き)(?:で|に|の)?",
    r"が?不要|非依存|レス|フリ(?![\u30a1-\u30fa])",  # フリー: the normal form drops the long vowel
    r"の代わりに|に代わる|に代えて|を代替",
]
_JA_UNAVAILABLE = [
    r"が(?:使えな(?:い|く)|使えず|使用できない|利用できない|届かない|機能しない|途絶|遮断|無効)",
    r"を(?:利用できない|使用できない|使えない)",
    r"が?(?:ない|無い)(?:環境|状況|場所|地域|状態|場合)",
    r"拒否環境|妨害下|途絶下|使用不可",
]
UNAVAILABLE_STRENGTH = 0.5
_JA_SUFFIX = [*_JA_EXCLUDE, *_JA_UNAVAILABLE]
_JA_PREFIX = [r"非", r"脱"]
_EN_PREFIX = [
    r"without(?: (?:using|relying on|the need for|needing|any|a|an|the))?",
    r"no|non|(?:does |do )?not rely(?:ing)? on|not dependent on|not based on|not using|never using|independent of",
    r"instead of|(?:does|do) not (?:need|require)|no need for|no longer",
    r"other than|alternatives? to|free of|rather than|except(?: for)?|excluding|avoid(?:ing)?",
    r"(?:do|does|can|could) ?not use|don t use|can t use|cannot (?:use|rely on)",
]
_EN_EXCLUDE = [r"free|less|independent"]
_EN_UNAVAILABLE = [
    r"denied|unavailable|denial|outage|jammed",
    r"(?:is|are|becomes?|may be) (?:not available|unavailable|denied|jammed|down|lost|degraded)",
    r"not available",
]
_FILLER = r"(?:など|等|のような|といった|類|系)?"


def _suffix(ja: list[str], en: list[str]) -> re.Pattern:
    return re.compile(rf"^\s?{_FILLER}\s?(?:{'|'.join(ja)})|^ (?:{'|'.join(en)})(?![a-z0-9])")


_SUFFIX_EXCLUDE = _suffix(_JA_EXCLUDE, _EN_EXCLUDE)
_SUFFIX_UNAVAILABLE = _suffix(_JA_UNAVAILABLE, _EN_UNAVAILABLE)
_PREFIX_JA = re.compile(rf"(?:{'|'.join(_JA_PREFIX)})$")
_PREFIX_EN = re.compile(rf"(?:^|[^a-z0-9])(?:{'|'.join(_EN_PREFIX)}) $")
_CUES = re.compile("|".join(f"(?:{p})" for p in (*_JA_SUFFIX, *_JA_PREFIX)))
_EN_CUE_WORDS = re.compile(r"(?<![a-z0-9])(?:without|non|denied|free|less|independent|unavailable)(?![a-z0-9])")
_ANY_CUE = re.compile(
    rf"{_CUES.pattern}|(?<![a-z0-9])(?:without|no|non|not|never|independent|instead|other than|alternatives?"
    r"|free|rather|except|excluding|avoid|avoiding|don t|can t|cannot|denied|less|unavailable|denial|outage"
    r"|jammed)(?![a-z0-9])"
)
_AND = re.compile(r"^\s?(?:や|と|および|及び|または|又は|か|,|or|and|nor|and or)?\s?$")

Finder = Callable[[str], list[tuple[str, int, int]]]


@dataclass(frozen=True)
class Negated:
    concept: str
    start: int
    end: int
    strength: float = 1.0  # 1 for an outright exclusion, UNAVAILABLE_STRENGTH for "X is unavailable there"


def blanked(text: str) -> str:
    """The text with every cue phrase replaced by spaces (same length: positions stay)."""

    def spaces(match: re.Match) -> str:
        return " " * len(match.group())

    return _EN_CUE_WORDS.sub(spaces, _CUES.sub(spaces, text))


def _negated_directly(text: str, start: int, end: int) -> float:
    """How strongly a cue touching text[start:end] negates it: 1, UNAVAILABLE_STRENGTH, or 0 (no cue)."""
    before, after = text[max(0, start - 40) : start], text[end : end + 24]
    if _SUFFIX_EXCLUDE.match(after) or _PREFIX_JA.search(before) or _PREFIX_EN.search(before):
        return 1.0
    return UNAVAILABLE_STRENGTH if _SUFFIX_UNAVAILABLE.match(after) else 0.0


def negated_mentions(text: str, find: Finder) -> list[Negated]:
    """The concept mentions of normalised `text` that a negation cue touches, coordinated ones included.
    `find` is the dictionary's look-up: (concept id, start, end) for each mention of a text."""
    if not _ANY_CUE.search(text):
        return []  # most texts: one regex search, no second look-up
    mentions = sorted(find(blanked(text)), key=lambda m: (m[1], m[2]))
    hit = [_negated_directly(text, start, end) for _cid, start, end in mentions]
    # Coordination spreads a negation: XやYを使わず (backwards), without X or Y (forwards); two steps at most.
    for _round in range(2):
        for i in range(len(mentions) - 1):
            gap = text[mentions[i][2] : mentions[i + 1][1]]
            if bool(hit[i]) != bool(hit[i + 1]) and _AND.match(gap):
                hit[i] = hit[i + 1] = max(hit[i], hit[i + 1])
    return [
        Negated(cid, start, end, strength)
        for (cid, start, end), strength in zip(mentions, hit, strict=True)
        if strength
    ]


def without_negated(mentions: Iterable[tuple[str, int, int]], negated: list[Negated]) -> list[tuple[str, int, int]]:
    """The mentions that are not negated ones (same concept, overlapping span)."""
    return [
        (cid, start, end)
        for cid, start, end in mentions
        if not any(n.concept == cid and n.start < end and start < n.end for n in negated)
    ]


def blank_spans(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """The text with these spans replaced by spaces: what is negated gives no lexical features either."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)
