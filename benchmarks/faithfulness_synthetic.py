"""FactCC-style synthetic corruptions for training the faithfulness head (issue 8).

Each supported sentence of the labelled broad set (verbatim copies and hand-written paraphrases) is
corrupted programmatically, one edit at a time: a negation inserted or removed, a word swapped for
its opposite (the committed lexicon `checks.ANTONYMS`), a figure changed, a date moved, a name
replaced by a name of another domain (all `contradicted`), or a clause of another domain's sentence
appended (`not_found`, like an unsupported extra claim). Every corruption keeps its domain, so a
leave-one-domain-out fit drops a held-out domain's synthetic sentences with its labelled ones.
Deterministic: `random.Random("synth:<domain>")`.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

__all__ = ["KINDS", "corruptions"]

KINDS = ("negation", "antonym", "number", "date", "entity", "clause")
_MONTHS = (
    "January February March April May June July August September October November December"
).split()
_DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
_UN_NEGATE = {
    "cannot": "can", "can't": "can", "won't": "will", "don't": "do", "doesn't": "does",
    "isn't": "is", "aren't": "are", "never": "always", "no": "some",
}  # fmt: skip
_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")


def _case(old: str, new: str) -> str:
    return new[:1].upper() + new[1:] if old[:1].isupper() else new


def _swap(s: str, m: re.Match, new: str) -> str:
    return s[: m.start()] + new + s[m.end() :]


def negate(s: str, rng: random.Random) -> str | None:
    """Remove a negation ("cannot" -> "can", "not" dropped), else add one ("is" -> "is not",
    "covers" -> "does not cover")."""
    ops = []
    for m in re.finditer(
        r"\b(cannot|can't|won't|don't|doesn't|isn't|aren't|not|never|no)\b", s, re.I
    ):
        w = m.group(0).lower()
        if w == "not":
            ops.append(s[: m.start()].rstrip() + " " + s[m.end() :].lstrip())
        else:
            ops.append(_swap(s, m, _case(m.group(0), _UN_NEGATE[w])))
    if not ops:
        for m in re.finditer(r"\b(is|are|was|were|will|must|should|can|may)\b(?! not)", s):
            ops.append(_swap(s, m, "cannot" if m.group(0) == "can" else m.group(0) + " not"))
        verbs = r"\b(needs?|has to|have to|includes?|covers?|requires?|allows?)\b"
        for m in re.finditer(verbs, s):
            w = m.group(0)
            third = w.endswith("s") and w != "has to"
            base = "have to" if w == "has to" else (w[:-1] if third else w)
            ops.append(_swap(s, m, ("does not " if third else "do not ") + base))
    return rng.choice(ops) if ops else None


def antonym(s: str, rng: random.Random, opposite: dict[str, set[str]]) -> str | None:
    """One word replaced by its opposite from the lexicon."""
    ops = []
    for m in re.finditer(r"[A-Za-z][A-Za-z'-]*", s):
        for o in sorted(opposite.get(m.group(0).lower(), ())):
            if " " not in o:
                ops.append(_swap(s, m, _case(m.group(0), o)))
    return rng.choice(ops) if ops else None


def number(s: str, rng: random.Random) -> str | None:
    """One figure (not a year) changed."""
    ms = [m for m in re.finditer(r"\b\d+(?:[.,]\d+)?\b", s) if not _YEAR.fullmatch(m.group(0))]
    if not ms:
        return None
    m = rng.choice(ms)
    t = m.group(0)
    if "." in t:
        new = f"{float(t) * rng.choice([1.5, 2, 0.5]) + 0.5:.2f}"
    else:
        v = int(t.replace(",", ""))
        new = str(rng.choice([v + 1, v * 2, v + 10, v - 1 if v > 1 else v + 3]))
    return _swap(s, m, new if new != t else str(int(float(t)) + 7))


def date(s: str, rng: random.Random) -> str | None:
    """A year, month or weekday moved."""
    ops = [
        _swap(s, m, str(int(m.group(0)) + rng.choice([-3, -1, 1, 2, 5]))) for m in _YEAR.finditer(s)
    ]
    for names in (_MONTHS, _DAYS):
        for m in re.finditer(r"\b(" + "|".join(names) + r")(s?)\b", s):
            other = rng.choice([n for n in names if n != m.group(1)])
            ops.append(_swap(s, m, other + m.group(2)))
    return rng.choice(ops) if ops else None


def entity(s: str, rng: random.Random, pool: list[str]) -> str | None:
    """A capitalised word (not the first, not a month or day) replaced by a name from `pool`."""
    ms = [
        m
        for m in re.finditer(r"(?<![.!?] )\b[A-Z][a-z]{2,}\b", s)
        if m.start() > 0 and m.group(0) not in _MONTHS and m.group(0) not in _DAYS
    ]
    if not ms or not pool:
        return None
    m = rng.choice(ms)
    return _swap(s, m, rng.choice([p for p in pool if p != m.group(0)] or pool))


def clause(s: str, rng: random.Random, others: list[str]) -> str:
    """`s` extended by another domain's sentence as a clause."""
    o = rng.choice(others).rstrip(".")
    if not o.split()[0].isupper():
        o = o[0].lower() + o[1:]
    return s.rstrip(".") + rng.choice([", and ", ", and ", " and ", ", while ", ", so "]) + o + "."


def corruptions(
    rows: list[dict], opposite: dict[str, set[str]], one_sentence: Callable[[str], bool]
) -> list[dict]:
    """Synthetic sentences of every domain of `rows`: {domain, kind, label, text, source, chunks}
    (the domain's chunks). `one_sentence(text)`: whether the sentence splitter keeps it whole."""
    chunks: dict[str, dict[str, str]] = {}
    sents: dict[str, set[str]] = {}
    for r in rows:
        for c in r["chunks"]:
            chunks.setdefault(c["id"].split("#")[0], {})[c["id"]] = c["text"]
        if r["chunks"]:
            for s in r["sentences"]:
                if s["label"] == "supported":
                    sents.setdefault(r["domain"], set()).add(s["text"])
    names: dict[str, set[str]] = {}
    for d, cs in chunks.items():
        for t in cs.values():
            for m in re.finditer(r"(?<=[a-z,] )[A-Z][a-z]{3,}\b", t):
                if m.group(0) not in _MONTHS and m.group(0) not in _DAYS:
                    names.setdefault(d, set()).add(m.group(0))
    out = []
    for d in sorted(sents):
        rng = random.Random(f"synth:{d}")
        cl = [{"id": k, "text": v} for k, v in sorted(chunks[d].items())]
        pool = sorted(set().union(*(v for o, v in names.items() if o != d)))
        others = sorted(s for o in sents if o != d for s in sents[o])
        for s in sorted(sents[d]):
            made = {
                "negation": negate(s, rng),
                "antonym": antonym(s, rng, opposite),
                "number": number(s, rng),
                "date": date(s, rng),
                "entity": entity(s, rng, pool),
                "clause": clause(s, rng, others),
            }
            seen: set[str] = set()
            for kind, v in made.items():
                if not v or v == s or v in seen or not one_sentence(v):
                    continue
                seen.add(v)
                label = "not_found" if kind == "clause" else "contradicted"
                out.append(
                    {
                        "domain": d,
                        "kind": kind,
                        "label": label,
                        "text": v,
                        "source": s,
                        "chunks": cl,
                    }
                )
    return out
