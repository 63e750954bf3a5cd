"""PII redaction applied to a record before it is hashed and stored.

Built in: e-mail addresses, phone numbers, payment card numbers (Luhn-checked) and IBANs
(ISO 13616 mod-97 checked); each match becomes a typed placeholder such as ``[EMAIL]``. The
record lists what was redacted (type, field, count), never the value. Any Presidio-like
analyzer (an object with ``.analyze(text=..., language=...)`` returning results with
``entity_type``, ``start``, ``end``) can be plugged in with ``Redactor(analyzer=...)``; it runs
after the built-in patterns.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, Callable, Optional, Sequence

from .record import AuditRecord, Chunk

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_CARD = re.compile(r"(?<![\w-])\d(?:[ -]?\d){12,18}(?![\w-])")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b")
_PHONE = re.compile(r"(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]\d{2,4}){1,4}(?![\w-])"
                    r"|(?<![\w+])\+\d{8,15}(?!\w)")


def luhn_ok(digits: str) -> bool:
    """True if the digit string passes the Luhn checksum (payment card numbers)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def iban_ok(text: str) -> bool:
    """True if the text is a well-formed IBAN (ISO 13616: moved prefix, letters→numbers, mod 97)."""
    s = text.replace(" ", "").upper()
    if not 15 <= len(s) <= 34 or not s[:2].isalpha() or not s[2:4].isdigit():
        return False
    return int("".join(str(int(c, 36)) for c in s[4:] + s[:4])) % 97 == 1


def _digits(s: str) -> str:
    return "".join(c for c in s if c.isdigit())


def _card(m: re.Match) -> bool:
    d = _digits(m.group())
    return 13 <= len(d) <= 19 and luhn_ok(d)


_DATE = re.compile(r"\d{4}[./-]\d{1,2}[./-]\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")


def _phone(m: re.Match) -> bool:
    return 8 <= len(_digits(m.group())) <= 15 and not _DATE.fullmatch(m.group())


# (type, pattern, validator) applied in this order; earlier placeholders are not re-matched.
_RULES: list[tuple[str, re.Pattern, Optional[Callable[[re.Match], bool]]]] = [
    ("EMAIL", _EMAIL, None),
    ("IBAN", _IBAN, lambda m: iban_ok(m.group())),
    ("CARD", _CARD, _card),
    ("PHONE", _PHONE, _phone),
]


class Redactor:
    """Replace PII in text with ``[TYPE]`` placeholders and count what was replaced.

    ``types`` limits the built-in rules (default all: EMAIL, IBAN, CARD, PHONE); ``analyzer``
    is an optional Presidio ``AnalyzerEngine``-like object; ``entities`` limits its types."""

    def __init__(self, types: Optional[Sequence[str]] = None, *, analyzer: Any = None,
                 language: str = "en", entities: Optional[Sequence[str]] = None) -> None:
        wanted = set(types) if types is not None else None
        self.rules = [r for r in _RULES if wanted is None or r[0] in wanted]
        self.analyzer, self.language, self.entities = analyzer, language, entities

    def redact_text(self, text: str) -> tuple[str, Counter]:
        """The text with PII replaced, and a Counter of replacements per type."""
        counts: Counter = Counter()
        if not text:
            return text, counts
        for name, pattern, valid in self.rules:
            def sub(m: re.Match, name=name, valid=valid) -> str:
                if valid is not None and not valid(m):
                    return m.group()
                counts[name] += 1
                return f"[{name}]"

            text = pattern.sub(sub, text)
        if self.analyzer is not None:
            text = self._analyze(text, counts)
        return text, counts

    def _analyze(self, text: str, counts: Counter) -> str:
        kwargs = {"text": text, "language": self.language}
        if self.entities is not None:
            kwargs["entities"] = list(self.entities)
        spans = sorted(((r.start, r.end, r.entity_type) for r in self.analyzer.analyze(**kwargs)),
                       reverse=True)
        last_start = len(text) + 1
        for start, end, etype in spans:  # right to left so offsets stay valid; skip overlaps
            if end > last_start:
                continue
            counts[etype] += 1
            text = text[:start] + f"[{etype}]" + text[end:]
            last_start = start
        return text

    def redact_record(self, rec: AuditRecord) -> AuditRecord:
        """Redact query, answer, chunk texts and error message in place; list what was done in
        ``rec.redactions`` as {type, field, count}."""
        found: list[dict] = []

        def do(field: str, value: Optional[str]) -> Optional[str]:
            if not value:
                return value
            new, counts = self.redact_text(value)
            found.extend({"type": t, "field": field, "count": n} for t, n in sorted(counts.items()))
            return new

        rec.query = do("input.value", rec.query)
        rec.answer = do("output.value", rec.answer)
        chunks = []
        for i, c in enumerate(rec.chunks):
            text = do(f"retrieval.documents[{i}].document.content", c.text)
            chunks.append(c if text == c.text else
                          Chunk(id=c.id, text=text, source=c.source, score=c.score,
                                metadata=c.metadata, sha256=c.sha256))
        rec.chunks = chunks
        if rec.error and rec.error.get("message"):
            rec.error = {**rec.error, "message": do("exception.message", rec.error["message"])}
        rec.redactions = list(rec.redactions) + found
        return rec
