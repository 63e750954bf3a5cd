"""Lexical evidence: numbers, names, content words and negations of a text, and how a sentence's
terms compare with the chunks' (coverage, missing terms, negation mismatch)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Lexical", "Terms", "lexical", "rank_pieces", "sentence_features", "terms"]

_STOP = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each either else
    etc few for from further had has have having he her here hers him his how however i if in
    into is it its itself just may me might more most much must my myself nor of off on once
    only or other our ours out over own same she should so some such than that the their them
    then there these they this those through thus to too under until up upon us very via was we
    were what when where whether which while who whom why will with would you your e.g i.e
    also therefore hence one ones used use using see section""".split()
)
_NEGATIONS = frozenset("not no never cannot none nothing neither nor without".split())
_NUMBER_WORDS = {
    "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "zero": "0",
}  # fmt: skip
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[A-Za-z_][A-Za-z0-9_]*(?:'t)?")
_SUFFIXES = ("ations", "ation", "ings", "ing", "edly", "ed", "ies", "es", "s", "ly")


def _stem(word: str) -> str:
    w = word.lower()
    for suf in _SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            return w[: -len(suf)]
    return w


def _number(tok: str) -> str | None:
    if tok[0].isdigit():
        return tok.replace(",", "")
    return _NUMBER_WORDS.get(tok.lower())


@dataclass(frozen=True)
class Terms:
    """Lexical evidence of one text: numbers, names, content-word stems, negation count."""

    numbers: dict[str, str]  # normalised -> surface
    names: dict[str, str]  # stem -> surface
    content: dict[str, str]  # stem -> surface (names included)
    negations: int


@lru_cache(maxsize=16384)  # chunk pieces recur across calls; Terms is never mutated
def terms(text: str) -> Terms:
    """Numbers (digits or number words), names (capitalised after the first token, identifiers),
    content-word stems and the negation count of `text`."""
    numbers: dict[str, str] = {}
    names: dict[str, str] = {}
    content: dict[str, str] = {}
    neg = len(re.findall(r"n't\b", text, flags=re.I))
    for i, m in enumerate(_TOKEN.finditer(text)):
        tok = m.group(0)
        low = tok.lower()
        if low in _NEGATIONS:
            neg += 1
            continue
        num = _number(tok)
        if num is not None:
            numbers.setdefault(num, tok)
            continue
        if low.endswith("'t") or low in _STOP or len(low) < 3:
            continue
        stem = _stem(low)
        content.setdefault(stem, tok)
        is_name = (i > 0 and tok[0].isupper()) or ("_" in tok.strip("_")) or tok.startswith("__")
        if is_name:
            names.setdefault(stem, tok)
    return Terms(numbers, names, content, neg)


@dataclass(frozen=True)
class Lexical:
    """Lexical features of one sentence against the whole chunk set."""

    coverage: float  # fraction of the sentence's content stems found in some chunk
    numbers_missing: tuple[str, ...]
    names_missing: tuple[str, ...]
    content_missing: tuple[str, ...]

    @property
    def unsupported_terms(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for t in (*self.numbers_missing, *self.names_missing, *self.content_missing):
            seen.setdefault(t, None)
        return tuple(seen)


def lexical(sent: Terms, numbers: set[str], stems: set[str]) -> Lexical:
    """Which of the sentence's numbers, names and content stems appear in no chunk."""
    nmiss = tuple(s for n, s in sent.numbers.items() if n not in numbers)
    names_missing = tuple(s for k, s in sent.names.items() if k not in stems)
    cmiss = tuple(s for k, s in sent.content.items() if k not in stems and k not in sent.names)
    total = len(sent.content) + len(sent.numbers)
    found = total - len(nmiss) - len(names_missing) - len(cmiss)
    coverage = found / total if total else 1.0
    return Lexical(coverage, nmiss, names_missing, cmiss)


def rank_pieces(sent: Terms, piece_terms: list[Terms], k: int) -> list[int]:
    """Indices of the `k` pieces sharing the most content stems/numbers with the sentence."""
    want = set(sent.content) | set(sent.numbers)
    scored = []
    for j, pt in enumerate(piece_terms):
        shared = len(want & (set(pt.content) | set(pt.numbers)))
        scored.append((-shared, j))
    scored.sort()
    return [j for _, j in scored[:k]]


def sentence_features(sim: float, lex: Lexical, sent: Terms, best_piece: Terms) -> dict[str, float]:
    """The features the calibrated rule combines: best cosine `sim`, `coverage`, `name_missing`,
    `negation_mismatch` (negation on one side only of sentence vs best piece), `number_missing`."""
    return {
        "sim": float(sim),
        "coverage": lex.coverage,
        "name_missing": 1.0 if lex.names_missing else 0.0,
        "negation_mismatch": float((sent.negations > 0) != (best_piece.negations > 0)),
        "number_missing": 1.0 if lex.numbers_missing else 0.0,
    }
