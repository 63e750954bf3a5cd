"""Explicit checks of an answer sentence against its aligned evidence: numbers and units, dates,
named entities, and negation or antonyms. Each check returns the first disagreement it finds (what
the sentence says, what the evidence says), or None."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .evidence import _NEGATIONS, _STOP, _stem

__all__ = ["Mismatch", "Facts", "facts", "mismatches"]

_MONTHS = (
    "january february march april may june july august september october november "
    "december jan feb mar apr jun jul aug sep sept oct nov dec"
).split()
_DAYS = "monday tuesday wednesday thursday friday saturday sunday weekday weekend".split()
_DATE_WORDS = frozenset(_MONTHS + [d + "s" for d in _DAYS] + _DAYS)
_NUMBER_WORDS = {
    "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
    "fifteen": "15", "twenty": "20", "thirty": "30", "forty": "40", "fifty": "50", "hundred": "100",
    "thousand": "1000", "million": "1000000", "once": "1x", "twice": "2x", "thrice": "3x",
    "half": "0.5", "quarter": "0.25", "single": "1", "double": "2x", "triple": "3x", "dozen": "12",
}  # fmt: skip
# Pairs of opposite words (either order): a sentence that says one where its evidence says the
# other contradicts it.
ANTONYMS = [
    ("can", "cannot"), ("include", "exclude"), ("includes", "excludes"), ("included", "excluded"),
    ("covers", "excludes"), ("covered", "excluded"), ("cover", "exclude"), ("left", "right"),
    ("kept", "cut"), ("keep", "cut"), ("before", "after"), ("allowed", "forbidden"),
    ("allowed", "prohibited"), ("permitted", "prohibited"), ("permitted", "forbidden"),
    ("increase", "decrease"), ("increased", "decreased"), ("increases", "decreases"),
    ("rise", "fall"), ("rose", "fell"), ("more", "less"), ("more", "fewer"), ("above", "below"),
    ("higher", "lower"), ("open", "closed"), ("on", "off"), ("always", "never"),
    ("minimum", "maximum"), ("earliest", "latest"), ("first", "last"), ("larger", "smaller"),
    ("longer", "shorter"), ("faster", "slower"), ("strongly", "weakly"), ("strong", "weak"),
    ("free", "charged"), ("free", "paid"), ("accepted", "rejected"), ("accept", "reject"),
    ("required", "optional"), ("mandatory", "optional"), ("inside", "outside"), ("north", "south"),
    ("east", "west"), ("hot", "cold"), ("warm", "cold"), ("up", "down"), ("start", "end"),
    ("starts", "ends"), ("begin", "end"), ("lowest", "highest"), ("short", "long"),
    ("full", "empty"), ("add", "remove"), ("added", "removed"), ("win", "lose"), ("won", "lost"),
    ("entitled", "not entitled"), ("eligible", "ineligible"), ("valid", "invalid"),
    ("refundable", "non-refundable"), ("day", "night"), ("monthly", "weekly"), ("daily", "weekly"),
    ("annual", "monthly"), ("public", "private"), ("same", "different"), ("new", "old"),
    ("enabled", "disabled"), ("enable", "disable"), ("safe", "unsafe"), ("wet", "dry"),
    ("must", "may"), ("light", "heavy"), ("young", "old"), ("older", "younger"),
]  # fmt: skip
_OPPOSITE: dict[str, set[str]] = {}
for _a, _b in ANTONYMS:
    _OPPOSITE.setdefault(_a, set()).add(_b)
    _OPPOSITE.setdefault(_b, set()).add(_a)

# Words that negate on their own (beside evidence._NEGATIONS and n't).
_NEGATING = frozenset(
    """nobody nowhere unsafe unlawful unpaid unable unlikely unavailable invalid
    ineligible non-refundable nonrefundable""".split()
)
_TOKEN = re.compile(r"\d+(?:[.,:]\d+)*%?|[A-Za-z][A-Za-z'-]*")


@dataclass(frozen=True)
class Mismatch:
    """One disagreement: its kind (number / date / entity / negation / antonym), the sentence's
    words and the evidence's words."""

    kind: str
    sentence: str
    evidence: str

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "sentence": self.sentence, "evidence": self.evidence}


@dataclass(frozen=True)
class Facts:
    """The checkable facts of one text."""

    numbers: dict[str, str]  # normalised -> surface (years excluded: they are dates)
    dates: dict[str, str]  # month / weekday / year -> surface
    entities: dict[str, str]  # stem of a capitalised non-initial word -> surface
    words: frozenset[str]  # every lower-cased word
    stems: frozenset[str]  # every content stem
    negations: int


def _num(tok: str) -> str | None:
    if tok[0].isdigit():
        return tok.rstrip("%").replace(",", "")
    return _NUMBER_WORDS.get(tok.lower())


@lru_cache(maxsize=4096)  # chunk texts recur across calls; Facts is never mutated
def facts(text: str) -> Facts:
    """Numbers, dates, entities, words, stems and the negation count of `text`."""
    numbers: dict[str, str] = {}
    dates: dict[str, str] = {}
    entities: dict[str, str] = {}
    words: set[str] = set()
    stems: set[str] = set()
    neg = len(re.findall(r"n't\b", text, flags=re.I))
    first = True
    for m in _TOKEN.finditer(text):
        tok = m.group(0)
        low = tok.lower()
        words.add(low)
        if low in _NEGATIONS or low in _NEGATING:
            neg += 1
        elif low in _DATE_WORDS and (tok[0].isupper() or low.rstrip("s") in _DAYS or low in _DAYS):
            dates.setdefault(low.rstrip("s") if low.rstrip("s") in _DAYS else low, tok)
        elif re.fullmatch(r"1[5-9]\d\d|20\d\d", tok):
            dates.setdefault(tok, tok)
        else:
            n = _num(tok)
            if n is not None:
                numbers.setdefault(n, tok)
            elif low not in _STOP and len(low) >= 3:
                stems.add(_stem(low))
                if tok[0].isupper() and not first:
                    entities.setdefault(_stem(low), tok)
        first = False
    return Facts(numbers, dates, entities, frozenset(words), frozenset(stems), neg)


def mismatches(sent: Facts, evid: Facts, everywhere: Facts) -> list[Mismatch]:
    """Disagreements of the sentence with its aligned evidence (`evid`). A number, date or entity
    of the sentence counts as contradicted when the evidence states one of the same kind that the
    sentence lacks, and the sentence's value is absent from the evidence (`everywhere`: all chunks,
    for entities that merely come from another chunk)."""
    out: list[Mismatch] = []
    miss = [s for n, s in sent.numbers.items() if n not in evid.numbers]
    other = [s for n, s in evid.numbers.items() if n not in sent.numbers]
    if miss and (other or not all(n in everywhere.numbers for n in sent.numbers)):
        out.append(Mismatch("number", ", ".join(miss), ", ".join(other)))
    dmiss = [s for d, s in sent.dates.items() if d not in evid.dates]
    dother = [s for d, s in evid.dates.items() if d not in sent.dates]
    if dmiss and (dother or not all(d in everywhere.dates for d in sent.dates)):
        out.append(Mismatch("date", ", ".join(dmiss), ", ".join(dother)))
    emiss = [
        s for e, s in sent.entities.items() if e not in evid.stems and e not in everywhere.stems
    ]
    eother = [s for e, s in evid.entities.items() if e not in sent.stems]
    if emiss:
        out.append(Mismatch("entity", ", ".join(emiss), ", ".join(eother)))
    if (sent.negations > 0) != (evid.negations > 0):
        out.append(
            Mismatch(
                "negation",
                "negated" if sent.negations else "not negated",
                "negated" if evid.negations else "not negated",
            )
        )
    else:
        for w in sorted(sent.words - evid.words):
            opp = sorted(o for o in _OPPOSITE.get(w, ()) if o in evid.words and o not in sent.words)
            if opp:
                out.append(Mismatch("antonym", w, opp[0]))
                break
    return out
