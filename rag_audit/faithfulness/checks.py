"""Explicit checks of an answer sentence against its aligned evidence: numbers and units, dates,
named entities, and negation or antonyms. Each check returns the first disagreement it finds (what
the sentence says, what the evidence says), or None."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .evidence import _NEGATIONS, _STOP, _stem

__all__ = [
    "Mismatch",
    "Facts",
    "Polarity",
    "double_negation",
    "facts",
    "mismatches",
    "flip_mismatch",
    "polarity",
    "polarity_flips",
    "substitutions",
]

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
    "thousand": "1000", "million": "1000000", "twice": "2x", "thrice": "3x",
    "half": "0.5", "quarter": "0.25", "single": "1", "double": "2x", "triple": "3x", "dozen": "12",
    "thirteen": "13", "fourteen": "14", "sixteen": "16", "seventeen": "17", "eighteen": "18",
    "nineteen": "19", "sixty": "60", "seventy": "70", "eighty": "80", "ninety": "90",
    "second": "2nd", "third": "3rd", "fourth": "4th", "fifth": "5th", "sixth": "6th",
    "seventh": "7th", "eighth": "8th", "ninth": "9th", "tenth": "10th", "dozens": "12+",
    "hundreds": "100+", "thousands": "1000+", "billion": "1000000000",
}  # fmt: skip
_SCALE = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9}
# Pairs of opposite words (either order): a sentence that says one where its evidence says the
# other contradicts it.
ANTONYMS = [
    ("can", "cannot"), ("include", "exclude"), ("includes", "excludes"), ("included", "excluded"),
    ("covers", "excludes"), ("covered", "excluded"), ("cover", "exclude"), ("left", "right"),
    ("kept", "cut"), ("keep", "cut"), ("before", "after"), ("allowed", "forbidden"),
    ("allowed", "prohibited"), ("permitted", "prohibited"), ("permitted", "forbidden"),
    ("increase", "decrease"), ("increased", "decreased"), ("increases", "decreases"),
    ("rise", "fall"), ("rose", "fell"), ("more", "less"), ("more", "fewer"), ("above", "below"),
    ("higher", "lower"), ("open", "closed"), ("always", "never"),
    ("minimum", "maximum"), ("earliest", "latest"), ("first", "last"), ("larger", "smaller"),
    ("longer", "shorter"), ("faster", "slower"), ("strongly", "weakly"), ("strong", "weak"),
    ("free", "charged"), ("free", "paid"), ("accepted", "rejected"), ("accept", "reject"),
    ("required", "optional"), ("mandatory", "optional"), ("inside", "outside"), ("north", "south"),
    ("east", "west"), ("hot", "cold"), ("warm", "cold"), ("start", "end"),
    ("starts", "ends"), ("begin", "end"), ("lowest", "highest"), ("short", "long"),
    ("full", "empty"), ("add", "remove"), ("added", "removed"), ("win", "lose"), ("won", "lost"),
    ("entitled", "not entitled"), ("eligible", "ineligible"), ("valid", "invalid"),
    ("refundable", "non-refundable"), ("day", "night"), ("monthly", "weekly"), ("daily", "weekly"),
    ("annual", "monthly"), ("public", "private"), ("same", "different"), ("new", "old"),
    ("enabled", "disabled"), ("enable", "disable"), ("safe", "unsafe"), ("wet", "dry"),
    ("light", "heavy"), ("young", "old"), ("older", "younger"),
    ("eastern", "western"), ("northern", "southern"), ("free", "extra"), ("open", "close"),
    ("opens", "closes"), ("allow", "forbid"), ("allows", "forbids"), ("permit", "forbid"),
    ("increasing", "decreasing"), ("raise", "lower"), ("raised", "lowered"), ("lowest", "tallest"),
    ("tallest", "shortest"), ("biggest", "smallest"), ("largest", "smallest"), ("most", "least"),
    ("higher", "less"), ("earlier", "later"), ("early", "late"), ("inbound", "outbound"),
    ("import", "export"), ("buy", "sell"), ("bought", "sold"), ("lend", "borrow"),
    ("gain", "loss"), ("profit", "loss"), ("success", "failure"), ("true", "false"),
    ("pass", "fail"), ("passed", "failed"), ("present", "absent"), ("always", "sometimes"),
    ("alive", "dead"), ("died", "survived"), ("killed", "survived"), ("wider", "narrower"),
    ("wide", "narrow"), ("thick", "thin"), ("deep", "shallow"), ("fast", "slow"),
    ("finer", "coarser"), ("fine", "coarse"), ("lawful", "unlawful"), ("legal", "illegal"),
    ("unlimited", "limited"), ("temporary", "permanent"), ("partial", "full"),
    ("internal", "external"), ("upper", "lower"), ("top", "bottom"), ("front", "back"),
    ("minimum", "max"), ("least", "most"),
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
    units: dict[str, frozenset[str]]  # normalised number -> the units written after it
    dates: dict[str, str]  # month / weekday / year -> surface
    entities: dict[str, str]  # stem of a capitalised non-initial word -> surface
    words: frozenset[str]  # every lower-cased word
    stems: frozenset[str]  # every content stem
    negations: int


def _num(tok: str) -> str | None:
    if tok[0].isdigit():
        return tok.rstrip("%").replace(",", "")
    low = tok.lower()
    if "-" in low:  # "twenty-five", "one-third" is left alone
        parts = [_NUMBER_WORDS.get(p) for p in low.split("-")]
        if all(p is not None and p.isdigit() for p in parts):
            return str(sum(int(p) for p in parts))
    return _NUMBER_WORDS.get(low)


# Units a figure can carry (singular roots; a unit within two words after the figure counts:
# "5 business days", "22 nautical miles").
_UNITS = {
    u.rstrip("s"): u.rstrip("s")
    for u in """second minute hour day week month year decade century millimetre centimetre metre
    kilometre mile foot feet inch gram kilogram tonne ton pound ounce litre millilitre gallon euro
    dollar cent penny pence percent degree watt kilowatt volt amp calorie byte kilobyte megabyte
    gigabyte terabyte mm cm km kg mg ml kwh mph""".split()
}
_UNITS.update({"meter": "metre", "kilometer": "kilometre", "liter": "litre", "feet": "foot",
               "hrs": "hour", "hr": "hour", "mins": "minute", "min": "minute", "secs": "second",
               "pence": "penny", "%": "percent"})  # fmt: skip


def _unit(after: list[str]) -> str | None:
    for a in after[:2]:
        low = a.lower()
        u = _UNITS.get(low) or _UNITS.get(low.rstrip("s"))
        if u:
            return u
        if not low.isalpha():
            return None
    return None


def _un_negated(low: str) -> bool:
    return (
        low.startswith("un")
        and len(low) >= 6
        and not low.startswith(("uni", "und", "unt", "unless"))
        and low not in _NEGATING
    )


def _aliases(n: str, tok: str, after: list[str]) -> list[str]:
    """Other spellings of the same quantity: 50 percent = 0.5 (= "half"), 2 times = "2x"."""
    nxt = [a.lower() for a in after]
    out = []
    try:
        value = float(n)
    except ValueError:
        return out
    if tok.endswith("%") or nxt[:1] == ["percent"] or nxt[:2] == ["per", "cent"]:
        out.append(f"{value / 100:g}")
    if nxt[:1] == ["times"]:
        out.append(f"{value:g}x")
    return out


@lru_cache(maxsize=1024)
def known_roots(text: str) -> frozenset[str]:
    """The roots of every word of `text` (what the chunks state somewhere)."""
    return frozenset(_root(m.group(0)) for m in _TOKEN.finditer(text) if m.group(0)[0].isalpha())


@lru_cache(maxsize=4096)  # chunk texts recur across calls; Facts is never mutated
def facts(text: str) -> Facts:
    """Numbers, dates, entities, words, stems and the negation count of `text`."""
    numbers: dict[str, str] = {}
    dates: dict[str, str] = {}
    entities: dict[str, str] = {}
    words: set[str] = set()
    stems: set[str] = set()
    units: dict[str, set[str]] = {}
    neg = len(re.findall(r"n't\b", text, flags=re.I))
    first = True
    toks = [m.group(0) for m in _TOKEN.finditer(text)]
    for i, tok in enumerate(toks):
        low = tok.lower()
        words.add(low)
        if _un_negated(low):  # "unworn", "unused": negated like "not worn" (and still a word)
            neg += 1
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
                u = "percent" if tok.endswith("%") else _unit(toks[i + 1 : i + 3])
                if u:
                    units.setdefault(n, set()).add(u)
                for alias in _aliases(n, tok, toks[i + 1 : i + 3]):
                    numbers.setdefault(alias, tok)
            elif low not in _STOP and len(low) >= 3:
                stems.add(_stem(low))
                if tok[0].isupper() and not first:
                    entities.setdefault(_stem(low), tok)
        first = False
    return Facts(
        numbers,
        {n: frozenset(u) for n, u in units.items()},
        dates,
        entities,
        frozenset(words),
        frozenset(stems),
        neg,
    )


def mismatches(sent: Facts, evid: Facts, everywhere: Facts) -> list[Mismatch]:
    """Disagreements of the sentence with its aligned evidence (`evid`). A number, date or entity
    of the sentence counts as contradicted when the evidence states one of the same kind that the
    sentence lacks, and the sentence's value is absent from the evidence (`everywhere`: all chunks,
    for entities that merely come from another chunk)."""
    out: list[Mismatch] = []
    # (dict.fromkeys: an alias such as 50 percent = 0.5 shares its surface with the figure)
    miss = list(dict.fromkeys(s for n, s in sent.numbers.items() if n not in evid.numbers))
    other = list(dict.fromkeys(s for n, s in evid.numbers.items() if n not in sent.numbers))
    if miss and (other or not all(n in everywhere.numbers for n in sent.numbers)):
        out.append(Mismatch("number", ", ".join(miss), ", ".join(other)))
    else:  # the same figure with another unit: "48 hours" where the evidence says "48 days"
        for n, su in sent.units.items():
            eu = evid.units.get(n)
            if eu and not (su & eu):
                s_unit, e_unit = sorted(su)[0], sorted(eu)[0]
                out.append(
                    Mismatch("number", f"{sent.numbers[n]} {s_unit}", f"{evid.numbers[n]} {e_unit}")
                )
                break
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
    for w in sorted(sent.words - evid.words):
        opp = sorted(o for o in _OPPOSITE.get(w, ()) if o in evid.words and o not in sent.words)
        if opp:
            out.append(Mismatch("antonym", w, opp[0]))
            break
    return out


def double_negation(found: list[Mismatch]) -> bool:
    """A negation on one side and an antonym pair that is not itself a negation ("No smoking is
    allowed" / "Smoking is prohibited"; "not covered" / "excluded"): the two flips cancel, and the
    sentence agrees with its evidence. A pair such as "valid" / "invalid" or "can" / "cannot" is
    the negation itself, so it cancels nothing."""
    neg = any(m.kind == "negation" for m in found)
    for m in found:
        if neg and m.kind == "antonym":
            a, b = m.sentence.lower(), m.evidence.lower()
            if a in b or b in a or facts(a).negations or facts(b).negations:
                return False
            return True
    return False


# ------------------------------------------------------------------ negation at aligned positions

# A negation cue negates the words after it up to this many tokens, or to a clause boundary.
NEG_SCOPE = 4
_CUES = frozenset("""not no never cannot none nothing neither nor without nobody nowhere""".split())
_BOUNDARY = frozenset(
    """but and or while because so yet although though whereas which who that if when unless
    since""".split()
)
_NEG_PREFIXES = ("non-", "non", "un", "in", "im", "il", "ir", "dis")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*|\d+(?:[.,:]\d+)*%?|[,;:.!?()]")


def _root(word: str) -> str:
    """A crude shared root of inflected forms ("removed", "remove", "removing" -> "remov")."""
    return _stem(word.lower()).rstrip("e")


@dataclass(frozen=True)
class Polarity:
    """Content-word roots of a text that sit inside a negation's scope (`negated`), the first
    content root after each cue (`heads`), those outside any scope (`plain`), and every root."""

    negated: frozenset[str]
    heads: frozenset[str]
    plain: frozenset[str]
    roots: frozenset[str]
    surface: dict[str, str]  # root -> the word as written (first occurrence)


@lru_cache(maxsize=4096)
def polarity(text: str) -> Polarity:
    """Which content words of `text` are negated: a cue (not, no, never, cannot, n't, without,
    except, nobody, ...) negates the next `NEG_SCOPE` tokens up to a clause boundary."""
    negated: set[str] = set()
    heads: set[str] = set()
    plain: set[str] = set()
    surface: dict[str, str] = {}
    left, head_open = 0, False
    for m in _WORD.finditer(text):
        tok = m.group(0)
        low = tok.lower()
        if low in _CUES or low.endswith("n't"):
            left, head_open = NEG_SCOPE, True
            continue
        if not tok[0].isalnum() or low in _BOUNDARY:
            left, head_open = 0, False
            continue
        content = low not in _STOP and len(low) >= 3 and not low[0].isdigit()
        if content:
            surface.setdefault(_root(low), tok)
        if left > 0:
            left -= 1
            if content:
                negated.add(_root(low))
                if head_open:
                    heads.add(_root(low))
                    head_open = False
        elif content:
            plain.add(_root(low))
    return Polarity(
        frozenset(negated), frozenset(heads), frozenset(plain), frozenset(negated | plain), surface
    )


def _prefix_flip(a: Polarity, b: Polarity) -> str | None:
    """A plain root of `a` that is a plain root of `b` with a negating prefix ("paid" /
    "unpaid"; "not worn" / "unworn" is no flip)."""
    for w in sorted(b.plain):
        for p in _NEG_PREFIXES:
            if w.startswith(p) and len(w) - len(p) >= 4 and w[len(p) :].lstrip("-") in a.plain:
                return w
    return None


def flip_mismatch(sentence: str, evidence: str, root: str, kind: str) -> Mismatch:
    """The `Mismatch` of a flip found by `polarity_flips` (`kind` "head", "scope" or "prefix"),
    naming the word as written on each side."""
    s, e = polarity(sentence), polarity(evidence)
    if kind == "prefix":
        neg_s = root in s.roots
        other = next((w for w in e.roots if root.endswith(w) and w != root), root)
        if not neg_s:
            other = root
            root = next((w for w in s.roots if root.endswith(w) and w != root), root)
    else:
        neg_s, other = root in s.negated, root
    said = s.surface.get(root, root)
    shown = e.surface.get(other, other)
    return Mismatch(
        "negation",
        f"negated: {said}" if neg_s else f"not negated: {said}",
        f"not negated: {shown}" if neg_s else f"negated: {shown}",
    )


def polarity_flips(sentence: str, evidence: str) -> dict[str, str]:
    """Negation disagreements at aligned positions: the same content word negated on one side
    only (`head`: the word right after the cue; `scope`: any word in the cue's scope), and a
    negating prefix on one side only (`prefix`: "paid" vs "unpaid"). Values name the word."""
    s, e = polarity(sentence), polarity(evidence)
    out: dict[str, str] = {}
    for kind, sn, en in (("head", s.heads, e.heads), ("scope", s.negated, e.negated)):
        one = sorted((sn & e.plain) - e.negated) + sorted((en & s.plain) - s.negated)
        if one:
            out[kind] = one[0]
    w = _prefix_flip(s, e) or _prefix_flip(e, s)
    if w:
        out["prefix"] = w
    return out


# ------------------------------------------------------------------ substitutions at aligned positions


def _word_spans(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(text)]


def _word_at(spans: list[tuple[int, int, str]], pos: int) -> str | None:
    for a, b, w in spans:
        if a <= pos < b:
            return w
    return None


def substitutions(
    sentence: str,
    s_offsets,
    evidence: str,
    e_offsets,
    match,
    best,
    known: frozenset[str],
    known_numbers: dict[str, str],
) -> dict[str, tuple[str, str, float]]:
    """Words of the sentence that the token alignment maps onto a *different* word of the
    evidence while the sentence's word is stated nowhere in the chunks: `number` (a figure aligned
    to another figure), `entity` (a capitalised name aligned to another capitalised word) and
    `noun` (a lower-case content word aligned to another content word). Each value is (sentence
    word, evidence word, token cosine) of the most confident substitution; `antonym`: a word
    aligned to its opposite ("more" onto "less"); `entity_known`: a name stated elsewhere in the
    chunks but not in this evidence, aligned to another name of it (two people's roles swapped)."""
    s_spans, e_spans = _word_spans(sentence), _word_spans(evidence)
    s_low = {w.lower() for _, _, w in s_spans}
    s_roots = {_root(w) for w in s_low}
    e_roots = {_root(w) for _, _, w in e_spans}
    e_low = {w.lower() for _, _, w in e_spans}
    out: dict[str, tuple[str, str, float]] = {}
    seen: set[int] = set()
    for t, (a, _) in enumerate(s_offsets):
        k = next((i for i, (x, y, _) in enumerate(s_spans) if x <= a < y), None)
        if k is None or k in seen:
            continue
        seen.add(k)
        sw = s_spans[k][2]
        ew = _word_at(e_spans, int(e_offsets[int(match[t])][0]))
        if ew is None:
            continue
        cos = float(best[t])
        # an opposite counts even where the sentence uses it elsewhere ("less violet than blue,
        # and eyes are more sensitive" aligned to "... and eyes are less sensitive")
        if ew.lower() in _OPPOSITE.get(sw.lower(), ()) and sw.lower() not in e_low:
            out.setdefault("antonym", (sw, ew, cos))
            continue
        if ew.lower() in s_low:
            continue
        sn, en = _num(sw), _num(ew)
        if sn is not None:
            if en is not None and sn != en and sn not in known_numbers:
                kind = "number"
            else:
                continue
        elif en is not None or sw.lower() in _STOP or ew.lower() in _STOP:
            continue
        elif len(sw) < 3 or len(ew) < 3 or _root(ew) in s_roots:
            continue
        elif _root(sw) in known:  # a name the chunks state elsewhere, put in this one's place
            if (
                k > 0
                and sw[0].isupper()
                and ew[0].isupper()
                and _root(sw) not in e_roots
                and sw.lower() not in _DATE_WORDS
                and ew.lower() not in _DATE_WORDS
            ):
                kind = "entity_known"
            else:
                continue
        elif sw.lower().endswith(_root(ew)) or ew.lower().endswith(_root(sw)):
            continue  # "paid" / "unpaid": a prefix flip, not another thing
        elif sw[0].isupper() and k > 0 and ew[0].isupper():
            kind = "entity"
        elif sw.islower() and ew.islower():
            kind = "noun"
        else:
            continue
        if kind not in out or cos > out[kind][2]:
            out[kind] = (sw, ew, cos)
    return out
