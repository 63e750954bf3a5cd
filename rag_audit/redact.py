"""PII redaction applied to every event before it is hashed and stored.

What is found in text (each match becomes a typed placeholder such as ``[EMAIL]``):

==============  =================================================================================
label           what, and how it is validated
==============  =================================================================================
EMAIL           addresses (dotted/plus local parts, sub-domains)
CREDENTIALS     the ``user:password`` part of a URL (``postgresql://[CREDENTIALS]@db/x``)
API_KEY         strictly shaped secrets: AWS ``AKIA…``/``ASIA…``, GitHub ``ghp_…``, Slack
                ``xox?-…``, Stripe ``sk_live_…``, OpenAI-style ``sk-…``
IBAN            ISO 13616, any case, grouped or not; the country's length and mod-97 checked
CARD            13-19 digits, spaces/dashes allowed; issuer prefix + length and Luhn checked
                (not a bare run right after "SKU", "EAN", "GTIN", "UPC", "ISBN")
SSN             US ``123-45-6789`` / ``123 45 6789`` (invalid areas 000/666/9xx refused), or 9
                bare digits right after "SSN"
NATIONAL_ID     UK National Insurance numbers (``AB 12 34 56 C``; invalid prefixes refused)
IP              IPv4 (octets <= 255) and IPv6 (full, compressed, IPv4-mapped; parsed by
                ``ipaddress``)
PHONE           ``+``/``00`` international (8-15 digits), NANP (10 digits, area and exchange
                2-9, optional leading 1), national trunk-0 numbers (10-12 digits: UK, DE, FR, …)
==============  =================================================================================

Look-alikes are claimed first and left intact: dates and timestamps (``2024-01-15 10:30``),
clock times, versions written with a marker (``v1.2.3.4``, ``version 10.0.1.2``) and ISBNs. A
bare dotted quad such as ``1.2.3.4`` *is* redacted as ``[IP]``: it cannot be told from an
address, and we err on the side of privacy. A bare digit run is not taken for a phone number
right after words such as "order", "invoice", "ticket", "ISBN", "tracking" or "#".

Which fields are redacted (every event kind): every string in the event body is treated as
personal unless its path is on the documented ``ALLOW_LIST`` below — ids we generate, times,
scores, model/app names, token counts, latencies, the watermark verdict, the exception *type*,
the chunk's sha256 and score, the evaluation's numbers and the override's decision. Unknown
fields are therefore redacted (fail closed). Numbers inside the free-form ``metadata`` dicts are
checked as text too (a phone stored as an int is replaced by the string ``[PHONE]``), and so are
their dict keys (an e-mail used as a key becomes ``[EMAIL]``); the event's own keys are schema.

Identifiers (``IDENTIFIER_PATHS``: ``user.id`` and ``override.reviewer``) must stay joinable, so
they are not run through the text rules: with ``Redactor(pseudonym_key=...)`` each becomes a
keyed pseudonym ``pid-`` + 24 hex digits of HMAC-SHA256(key, value) — the same user gives the
same pseudonym, and only the key holder can test a guess. Without a key the user id becomes the
typed placeholder ``[USER_ID]`` (fail closed), while the reviewer — the operator's own staff,
kept for human-oversight accountability — only has its PII formats replaced. Chunk ids are
redacted with the same deterministic rules wherever they occur (documents and the evaluation's
``chunk_id``), so they still match. With per-subject encryption on (``rag_audit.erasure``), the
user id becomes the key store's random subject pseudonym instead.

The record lists what was redacted (type, field, count), never the value. Any Presidio-like
analyzer (an object with ``.analyze(text=..., language=...)`` returning results with
``entity_type``, ``start``, ``end``) can be plugged in with ``Redactor(analyzer=...)``; it runs
after the built-in rules.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from .record import AuditRecord

LABELS = ("EMAIL", "CREDENTIALS", "API_KEY", "IBAN", "CARD", "SSN", "NATIONAL_ID", "IP", "PHONE")

# Paths (tuples of keys; "*" is any list index) whose values are left as they are.
ALLOW_LIST: frozenset = frozenset(
    {
        ("rag_audit.schema",),
        ("event.kind",),
        ("event.id",),
        ("record.id",),
        ("time.start",),
        ("time.end",),
        ("service.name",),
        ("gen_ai.request.model",),
        ("rag_audit.model.version",),
        ("gen_ai.usage.input_tokens",),
        ("gen_ai.usage.output_tokens",),
        ("rag_audit.latency_ms", "*"),
        ("rag_audit.watermark", "*"),
        ("error.type",),
        ("rag_audit.redactions", "*", "*"),
        ("retrieval.documents", "*", "document.score"),
        ("retrieval.documents", "*", "document.metadata", "sha256"),
        *(
            ("rag_audit.faithfulness", k)
            for k in ("score", "min", "mean", "method", "scorer", "scorer_version", "threshold")
        ),
        ("rag_audit.faithfulness", "sentences", "*", "supported"),
        ("rag_audit.faithfulness", "sentences", "*", "score"),
        ("override.decision",),
        ("rag_audit.sealed", "*"),  # the encryption envelope of rag_audit.erasure
    }
)
IDENTIFIER_PATHS = frozenset({("user.id",), ("override.reviewer",)})
FREE_FORM = (("metadata",), ("retrieval.documents", "*", "document.metadata"))


def _matches(path: tuple, pattern: tuple, prefix: bool = False) -> bool:
    """Path equals the pattern ("*" matches any key or index), or starts with it if prefix."""
    if len(path) < len(pattern) or (not prefix and len(path) != len(pattern)):
        return False
    return all(p == "*" or p == k for k, p in zip(path, pattern))


def is_allowed(path: tuple) -> bool:
    """True if the value at this body path is on the allow-list (left as it is)."""
    return any(_matches(path, p) for p in ALLOW_LIST)


def personal_leaves(body: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """(path, value) of every non-null leaf of an event body that is not on the allow-list:
    the values redaction rewrites and ``rag_audit.erasure`` encrypts."""
    if isinstance(body, dict):
        for k, v in body.items():
            yield from personal_leaves(v, path + (k,))
    elif isinstance(body, list):
        for i, v in enumerate(body):
            yield from personal_leaves(v, path + (i,))
    elif body is not None and not isinstance(body, bool) and not is_allowed(path):
        yield path, body


def free_form_dicts(body: dict) -> list[tuple[tuple, dict]]:
    """(path, dict) of the app's free-form dicts in a body: ``metadata`` and each chunk's
    ``document.metadata``."""
    out = [(("metadata",), body.get("metadata"))]
    out += [
        (("retrieval.documents", i, "document.metadata"), d.get("document.metadata"))
        for i, d in enumerate(body.get("retrieval.documents") or [])
        if isinstance(d, dict)
    ]
    return [(p, d) for p, d in out if isinstance(d, dict) and d]


def set_path(body: Any, path: tuple, value: Any) -> None:
    """Set the value at a path of nested dicts/lists in place."""
    for k in path[:-1]:
        body = body[k]
    body[path[-1]] = value


def field_name(path: tuple) -> str:
    """A readable name for a body path: ``retrieval.documents[0].document.content``."""
    out = ""
    for k in path:
        out += f"[{k}]" if isinstance(k, int) else (f".{k}" if out else str(k))
    return out


# -- checksums ---------------------------------------------------------------------------------
def luhn_ok(digits: str) -> bool:
    """True if the digit string passes the Luhn checksum (payment card numbers)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


# IBAN lengths per country (SWIFT IBAN registry); other countries are not recognised.
IBAN_LENGTHS = {
    "AD": 24,
    "AE": 23,
    "AL": 28,
    "AT": 20,
    "AZ": 28,
    "BA": 20,
    "BE": 16,
    "BG": 22,
    "BH": 22,
    "BR": 29,
    "CH": 21,
    "CR": 22,
    "CY": 28,
    "CZ": 24,
    "DE": 22,
    "DK": 18,
    "DO": 28,
    "EE": 20,
    "EG": 29,
    "ES": 24,
    "FI": 18,
    "FO": 18,
    "FR": 27,
    "GB": 22,
    "GE": 22,
    "GI": 23,
    "GL": 18,
    "GR": 27,
    "GT": 28,
    "HR": 21,
    "HU": 28,
    "IE": 22,
    "IL": 23,
    "IS": 26,
    "IT": 27,
    "JO": 30,
    "KW": 30,
    "KZ": 20,
    "LB": 28,
    "LI": 21,
    "LT": 20,
    "LU": 20,
    "LV": 21,
    "MC": 27,
    "MD": 24,
    "ME": 22,
    "MK": 19,
    "MR": 27,
    "MT": 31,
    "MU": 30,
    "NL": 18,
    "NO": 15,
    "PK": 24,
    "PL": 28,
    "PS": 29,
    "PT": 25,
    "QA": 29,
    "RO": 24,
    "RS": 22,
    "SA": 24,
    "SE": 24,
    "SI": 19,
    "SK": 24,
    "SM": 27,
    "TN": 24,
    "TR": 26,
    "UA": 29,
    "VG": 24,
    "XK": 20,
}


def iban_ok(text: str) -> bool:
    """True if the text is a well-formed IBAN (ISO 13616: moved prefix, letters→numbers, mod 97)."""
    s = text.replace(" ", "").upper()
    if not 15 <= len(s) <= 34 or not s[:2].isalpha() or not s[2:4].isdigit() or not s.isalnum():
        return False
    if s[:2] in IBAN_LENGTHS and len(s) != IBAN_LENGTHS[s[:2]]:
        return False
    return int("".join(str(int(c, 36)) for c in s[4:] + s[:4])) % 97 == 1


def _digits(s: str) -> str:
    return "".join(c for c in s if c.isdigit())


# -- finders: text -> (start, end) spans --------------------------------------------------------
Finder = Callable[[str], Iterable[tuple[int, int]]]


def _regex(
    pattern: str,
    valid: Callable[[re.Match, str], bool] | None = None,
    group: int = 0,
    flags: int = 0,
) -> Finder:
    rx = re.compile(pattern, flags)

    def find(text: str) -> Iterator[tuple[int, int]]:
        for m in rx.finditer(text):
            if valid is None or valid(m, text):
                yield m.start(group), m.end(group)

    return find


_IBAN_START = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{2})(\d{2})")


def _find_iban(text: str) -> Iterator[tuple[int, int]]:
    for m in _IBAN_START.finditer(text):
        need = IBAN_LENGTHS.get(m.group(1).upper())
        if need is None:
            continue
        got, i, chars = 4, m.end(), []
        while got < need and i < len(text):
            single_space = text[i - 1] != " " and i + 1 < len(text) and text[i + 1].isalnum()
            if text[i] == " " and single_space:
                i += 1
                continue
            if not (text[i].isascii() and text[i].isalnum()):
                break
            chars.append(text[i])
            got, i = got + 1, i + 1
        if got == need and not (i < len(text) and text[i].isalnum()):
            if iban_ok(m.group(1) + m.group(2) + "".join(chars)):
                yield m.start(), i


def _card(m: re.Match, text: str) -> bool:
    d = _digits(m.group())
    if d == m.group() and _NOT_CARD_BEFORE.search(text[max(0, m.start() - 20) : m.start()]):
        return False  # a bare run right after "SKU"/"EAN"/"GTIN"/"ISBN": a product code
    n, p2, p3, p4 = len(d), int(d[:2]), int(d[:3]), int(d[:4])
    issuer = (
        (d[0] == "4" and n in (16, 19))  # Visa (13: no longer issued)
        or ((51 <= p2 <= 55 or 2221 <= p4 <= 2720) and n == 16)  # Mastercard
        or (p2 in (34, 37) and n == 15)  # Amex
        or ((p4 == 6011 or 644 <= p3 <= 649 or p2 == 65) and 16 <= n <= 19)  # Discover
        or ((300 <= p3 <= 305 or p2 in (36, 38, 39)) and 14 <= n <= 19)  # Diners
        or (3528 <= p4 <= 3589 and 16 <= n <= 19)  # JCB
        or (p2 == 62 and 16 <= n <= 19)  # UnionPay
        or ((p2 == 50 or 56 <= p2 <= 69) and 12 <= n <= 19)
    )  # Maestro
    return issuer and luhn_ok(d)


_NOT_CARD_BEFORE = re.compile(
    r"(?i)\b(?:sku|ean(?:-13)?|gtin|upc|isbn(?:-13)?|barcode)\s*[:#]?\s*$"
)


def _ssn(m: re.Match, _text: str) -> bool:
    d = _digits(m.group())
    return d[:3] not in ("000", "666") and d[0] != "9" and d[3:5] != "00" and d[5:] != "0000"


def _ni(m: re.Match, _text: str) -> bool:
    letters = m.group(1) + m.group()[-1]  # one case throughout: "at 410742c" is not a number
    return (letters.isupper() or letters.islower()) and m.group(1).upper() not in (
        "BG",
        "GB",
        "NK",
        "KN",
        "TN",
        "NT",
        "ZZ",
    )


def _ipv4(m: re.Match, _text: str) -> bool:
    return all(int(p) <= 255 for p in m.group().split("."))


def _ipv6(m: re.Match, _text: str) -> bool:
    s = m.group()
    if "::" not in s and s.count(":") != 7 and not (s.count(":") == 6 and "." in s):
        return False
    try:
        ipaddress.IPv6Address(s)
    except ValueError:
        return False
    return sum(c not in ":." for c in s) >= 2


_NOT_PHONE_BEFORE = re.compile(
    r"(?i)(?:\b(?:order|invoice|inv|ticket|ref|reference|tracking|isbn(?:-1[03])?|sku|serial|"
    r"part|case|id|transaction|txn|po|batch|lot|build|item)\.?"
    r"(?:\s*(?:no\.?|nr\.?|number|num\.?))?|#)\s*[:#]?\s*$"
)


def _phone(m: re.Match, text: str) -> bool:
    s = m.group()
    groups = re.split(r"[ ./()-]+", s.strip("+()"))
    groups = [g for g in groups if g]
    if len(groups[-1]) < 2:  # ISBN-like trailing check digit
        return False
    d = _digits(s)
    n = len(d)
    before = text[max(0, m.start() - 30) : m.start()]
    if not s.startswith("+") and _NOT_PHONE_BEFORE.search(before):
        return False
    if s.startswith("+") or s.startswith("00"):
        d = d[2:] if s.startswith("00") else d
        if d.startswith("1"):
            return len(d) == 11 and d[1] in "23456789" and d[4] in "23456789"
        return 8 <= len(d) <= 15
    if n == 10 and d[0] in "23456789" and d[3] in "23456789":  # NANP
        return len(groups) == 1 or [len(g) for g in groups] in ([3, 3, 4], [3, 7], [6, 4])
    if n == 11 and d[0] == "1" and d[1] in "23456789" and d[4] in "23456789":
        return [len(g) for g in groups] in ([1, 3, 3, 4], [11])
    if d[0] == "0" and d[1] != "0" and 10 <= n <= 12:  # national trunk prefix 0
        return True
    return False


_PHONE = (
    r"(?:(?<=tel:)|(?<![\w+.:/#-]))"
    r"(?:(?:\+|\b00)\d{1,3}[ .-]?(?:\(0?\d{0,4}\)[ .-]?)?\d{1,12}(?:[ .-]\d{1,8}){0,5}"
    r"|\(\d{2,5}\)[ .-]?\d{2,5}(?:[ .-]\d{1,8}){0,4}"
    r"|\d{1,12}(?:[ ./-]\d{1,8}){0,5})"
    r"(?![\w:]|[./-]\d)"
)


@dataclass(frozen=True)
class Rule:
    """One detector: ``label`` None means a look-alike claimed and left intact."""

    label: str | None
    find: Finder


# In priority order: a span overlapping an earlier accepted span is dropped.
RULES: tuple[Rule, ...] = (
    Rule("CREDENTIALS", _regex(r"\b[A-Za-z][A-Za-z0-9+.-]*://([^\s/:@]*:[^\s/@]+)@", group=1)),
    Rule(
        "EMAIL",
        _regex(
            r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@"
            r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}"
            r"(?![\w-])"
        ),
    ),
    Rule(
        "API_KEY",
        _regex(
            r"\b(?:(?:AKIA|ASIA)[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36}|"
            r"xox[abprs]-[A-Za-z0-9-]{10,}|sk_(?:live|test)_[A-Za-z0-9]{16,}|"
            r"sk-(?:proj-)?[A-Za-z0-9_-]{20,})(?![\w-])"
        ),
    ),
    Rule("IBAN", _find_iban),
    Rule("CARD", _regex(r"(?<![\w.-])\d(?:[ -]?\d){11,18}(?![\w-]|\.\d)", _card)),
    Rule("SSN", _regex(r"(?<![\w-])\d{3}([- ])\d{2}\1\d{4}(?![\w-])", _ssn)),
    Rule(
        "SSN",
        _regex(
            r"(?i)\b(?:SSN|social security(?: number| no\.?)?)\s*(?:#|no\.?)?\s*:?\s*"
            r"(\d{9})\b",
            group=1,
        ),
    ),
    Rule(
        "NATIONAL_ID",
        _regex(
            r"(?i)(?<![A-Za-z0-9])([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z])( ?)"
            r"\d{2}\2\d{2}\2\d{2}\2[A-D](?![A-Za-z0-9])",
            _ni,
        ),
    ),
    Rule(
        None,
        _regex(
            r"(?i)(?:\bv|\bversion\s*|\bver\.?\s*|\bbuild\s*|\brelease\s*|\brel\.?\s*)"
            r"\d+(?:\.\d+){1,4}"
        ),
    ),
    Rule(None, _regex(r"(?i)\bISBN(?:-1[03])?:?\s*[\d-]{9,16}[\dX]\b")),
    Rule(
        "IP",
        _regex(
            r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}"
            r"(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{0,4})(?![\w:]|\.\d)",
            _ipv6,
        ),
    ),
    Rule("IP", _regex(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)", _ipv4)),
    Rule(
        None,
        _regex(
            r"\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?"
            r"(?:Z|[+-]\d{2}:?\d{2})?"
        ),
    ),
    Rule(
        None,
        _regex(
            r"(?<![\d.])(?:\d{4}[./-]\d{1,2}[./-]\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4})"
            r"(?![./-]?\d)"
        ),
    ),
    Rule(None, _regex(r"(?<!\d)\d{1,2}:\d{2}(?::\d{2})?(?!\d)")),
    Rule("PHONE", _regex(_PHONE, _phone)),
)


def pseudonym(key: bytes, value: str) -> str:
    """Keyed pseudonym of an identifier: ``pid-`` + 24 hex digits of HMAC-SHA256(key, value)."""
    return "pid-" + hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()[:24]


class Redactor:
    """Replace PII with ``[TYPE]`` placeholders in every non-allow-listed field of an event.

    ``types`` limits the built-in labels (default all of ``LABELS``); ``analyzer`` is an
    optional Presidio ``AnalyzerEngine``-like object, ``entities`` limits its types;
    ``pseudonym_key`` turns identifiers into keyed pseudonyms (see the module docstring)."""

    def __init__(
        self,
        types: Sequence[str] | None = None,
        *,
        analyzer: Any = None,
        language: str = "en",
        entities: Sequence[str] | None = None,
        pseudonym_key: bytes | None = None,
    ) -> None:
        wanted = set(types) if types is not None else None
        self.rules = [r for r in RULES if r.label is None or wanted is None or r.label in wanted]
        self.analyzer, self.language, self.entities = analyzer, language, entities
        self.pseudonym_key = pseudonym_key

    # -- text ----------------------------------------------------------------------------------
    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, label) of the PII found by the built-in rules, left to right."""
        taken: list[tuple[int, int, str | None]] = []
        for rule in self.rules:
            for s, e in rule.find(text):
                if s < e and all(e <= a or s >= b for a, b, _ in taken):
                    taken.append((s, e, rule.label))
        return sorted((s, e, label) for s, e, label in taken if label is not None)

    def redact_text(self, text: str) -> tuple[str, Counter]:
        """The text with PII replaced, and a Counter of replacements per type."""
        counts: Counter = Counter()
        if not text:
            return text, counts
        for s, e, label in reversed(self.spans(text)):
            text = text[:s] + f"[{label}]" + text[e:]
            counts[label] += 1
        if self.analyzer is not None:
            text = self._analyze(text, counts)
        return text, counts

    def _analyze(self, text: str, counts: Counter) -> str:
        kwargs = {"text": text, "language": self.language}
        if self.entities is not None:
            kwargs["entities"] = list(self.entities)
        spans = sorted(
            ((r.start, r.end, r.entity_type) for r in self.analyzer.analyze(**kwargs)), reverse=True
        )
        last_start = len(text) + 1
        for start, end, etype in spans:  # right to left so offsets stay valid; skip overlaps
            if end > last_start:
                continue
            counts[etype] += 1
            text = text[:start] + f"[{etype}]" + text[end:]
            last_start = start
        return text

    # -- event bodies --------------------------------------------------------------------------
    def identifier(self, path: tuple, value: str) -> str:
        """What an identifier (user id, reviewer) becomes: pseudonym, placeholder or redacted."""
        if self.pseudonym_key is not None:
            return pseudonym(self.pseudonym_key, value)
        return "[USER_ID]" if path == ("user.id",) else self.redact_text(value)[0]

    def redact_body(self, body: dict) -> list[dict]:
        """Redact every personal leaf of an event body in place (see ``ALLOW_LIST``); return the
        redactions as [{type, field, count}]."""
        found: Counter = Counter()
        for path, d in free_form_dicts(body):  # keys first: field names below must not leak them
            self._redact_keys(d, field_name(path), found)
        for path, value in list(personal_leaves(body)):
            name = field_name(path)
            if path in IDENTIFIER_PATHS and isinstance(value, str):
                new = self.identifier(path, value)
                if new != value:
                    found[("USER_ID" if path == ("user.id",) else "REVIEWER", name)] += 1
            elif isinstance(value, str):
                new, counts = self.redact_text(value)
                found.update({(t, name): n for t, n in counts.items()})
            elif any(_matches(path, p, prefix=True) for p in FREE_FORM):
                new, counts = self.redact_text(str(value))
                found.update({(t, name): n for t, n in counts.items()})
                new = value if not counts else new
            else:
                continue
            if new != value:
                set_path(body, path, new)
        return [{"type": t, "field": f, "count": n} for (t, f), n in sorted(found.items())]

    def _redact_keys(self, d: Any, name: str, found: Counter) -> None:
        """Dict keys inside free-form metadata are app data too: redact them (suffix on clash)."""
        if isinstance(d, list):
            for v in d:
                self._redact_keys(v, name, found)
        if not isinstance(d, dict):
            return
        for k in list(d):
            self._redact_keys(d[k], name, found)
            new, counts = self.redact_text(k)
            if counts:
                found.update({(t, name + " (key)"): n for t, n in counts.items()})
                value, i = d.pop(k), 2
                key = new
                while key in d:
                    key, i = f"{new}#{i}", i + 1
                d[key] = value

    def redact_record(self, rec: AuditRecord) -> AuditRecord:
        """Redact a request record in place (query, answer, chunks, user id, metadata, error);
        list what was done in ``rec.redactions`` as {type, field, count}."""
        body = rec.to_body()
        found = self.redact_body(body)
        new = AuditRecord.from_body(body)
        for name in ("query", "answer", "chunks", "user_id", "metadata", "error"):
            setattr(rec, name, getattr(new, name))
        rec.redactions = list(rec.redactions) + found
        return rec

    def redact_evaluation(self, body: dict) -> dict:
        """Redact an evaluation event body in place (sentence texts, chunk ids, terms, errors)."""
        self.redact_body(body)
        return body

    def redact_override(self, body: dict) -> dict:
        """Redact an override event body in place (reviewer, reason, correction)."""
        self.redact_body(body)
        return body
