"""The audit record, its parts, and the canonical JSON every event is hashed over.

Four kinds of event share one chain: ``request`` (one RAG call), ``evaluation`` (the
faithfulness score for a request, computed later in the background), ``override`` (a human
reviewer's decision about a request) and ``erasure`` (data keys destroyed: a user erased or
months pruned; linked to no record, so an auditor can tell a lawful ``[erased]`` from damage). Each event body is a flat JSON object serialised with
RFC 8785 (JSON Canonicalization Scheme), so the same content always gives the same bytes.

Canonical keys (OpenTelemetry GenAI / OpenInference names where one exists):

=================================  ==========================================================
canonical key                      AuditRecord attribute
=================================  ==========================================================
``rag_audit.schema``               (format version, always 1)
``event.kind``                     kind of event: request / evaluation / override / erasure
``event.id``                       uuid of this event (for a request: the record id)
``record.id``                      ``record_id`` (evaluation/override: the record it refers to)
``time.start`` / ``time.end``      ``time_start`` / ``time_end`` (UTC ISO 8601, microseconds, Z)
``user.id``                        ``user_id`` (OpenInference)
``service.name``                   ``app`` (OpenTelemetry resource attribute)
``gen_ai.request.model``           ``model`` (OTel GenAI)
``rag_audit.model.version``        ``model_version`` (no standard name exists)
``input.value``                    ``query`` (OpenInference)
``retrieval.documents``            ``chunks``: list of {``document.id``, ``document.content``,
                                   ``document.score``, ``document.metadata``: {``source``,
                                   ``sha256``, ...}} (OpenInference)
``output.value``                   ``answer`` (OpenInference)
``gen_ai.usage.input_tokens``      ``tokens["input"]`` (OTel GenAI)
``gen_ai.usage.output_tokens``     ``tokens["output"]`` (OTel GenAI)
``rag_audit.latency_ms``           ``latency_ms``: {retrieval, generation, total} (ms, or null)
``rag_audit.watermark``            ``watermark``: {applied, key_id, p_value} or null
``error.type``/``exception.message``  ``error``: {type, message} (OTel semantic conventions)
``metadata``                       ``metadata`` (free form)
``rag_audit.redactions``           ``redactions``: list of {type, field, count}, never values
``rag_audit.sealed``               (with a key store) the encrypted personal fields: {alg,
                                   subject, month, nonce, ciphertext}; see ``rag_audit.erasure``
``rag_audit.faithfulness``         (evaluation) the scorer's ``to_dict()`` → ``faithfulness``
``override.*``                     (override) reviewer, decision, reason, correction
``erasure.*``                      (erasure) action (erase_user / prune), subject pseudonym,
                                   keys destroyed, months, before, retention, operator, reason
=================================  ==========================================================

``chunks[i].sha256`` is the SHA-256 of the chunk text as the app retrieved it (before
redaction), so an auditor can match it against the knowledge base.
"""

from __future__ import annotations

import hashlib
import json
import math
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import rfc8785

from .errors import AuditError

SCHEMA = 1
KINDS = ("request", "evaluation", "override", "erasure")
ERASURE_ACTIONS = ("erase_user", "prune")


def utc_now() -> str:
    """Current UTC time as ISO 8601 with microseconds and a Z (sorts as text)."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def new_id() -> str:
    """A fresh record/event id (uuid4, hex with dashes)."""
    return str(uuid.uuid4())


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Chunk:
    """One retrieved chunk: id, text, where it came from, retrieval score; sha256 of the text."""

    id: str
    text: str
    source: str | None = None
    score: float | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)
    sha256: str = ""

    def __post_init__(self) -> None:
        if not self.sha256:
            object.__setattr__(self, "sha256", sha256_hex(self.text))

    def to_canonical(self) -> dict:
        meta = dict(self.metadata)
        meta["source"] = self.source
        meta["sha256"] = self.sha256
        return {
            "document.id": self.id,
            "document.content": self.text,
            "document.score": self.score,
            "document.metadata": meta,
        }

    @classmethod
    def from_canonical(cls, d: Mapping[str, Any]) -> Chunk:
        meta = dict(d.get("document.metadata") or {})
        source = meta.pop("source", None)
        digest = meta.pop("sha256", "")
        return cls(
            id=d["document.id"],
            text=d.get("document.content", ""),
            source=source,
            score=d.get("document.score"),
            metadata=meta,
            sha256=digest,
        )


@dataclass(frozen=True)
class Watermark:
    """Whether the answer was watermarked, with which key, and the detector's p-value."""

    applied: bool
    key_id: str | None = None
    p_value: float | None = None

    def to_dict(self) -> dict:
        return {"applied": bool(self.applied), "key_id": self.key_id, "p_value": self.p_value}


@dataclass
class AuditRecord:
    """A request as readers see it: the request event merged with its evaluation and overrides."""

    record_id: str
    query: str
    answer: str | None = None
    chunks: list[Chunk] = field(default_factory=list)
    user_id: str | None = None
    app: str | None = None
    model: str | None = None
    model_version: str | None = None
    time_start: str | None = None
    time_end: str | None = None
    latency_ms: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)
    watermark: Watermark | None = None
    error: dict | None = None
    metadata: dict = field(default_factory=dict)
    redactions: list = field(default_factory=list)
    # filled in by the store / merged from linked events
    seq: int | None = None
    prev_hash: str | None = None
    hash: str | None = None
    faithfulness: dict | None = None
    evaluation_seq: int | None = None
    evaluations: int = 0  # how many evaluation events were merged (rescore appends; newest wins)
    overrides: list = field(default_factory=list)

    # -- canonical form --------------------------------------------------------------------
    def to_body(self) -> dict:
        """The request event body (canonical keys), before serialisation."""
        wm = self.watermark.to_dict() if self.watermark is not None else None
        return {
            "rag_audit.schema": SCHEMA,
            "event.kind": "request",
            "event.id": self.record_id,
            "record.id": self.record_id,
            "time.start": self.time_start,
            "time.end": self.time_end,
            "user.id": self.user_id,
            "service.name": self.app,
            "gen_ai.request.model": self.model,
            "rag_audit.model.version": self.model_version,
            "input.value": self.query,
            "retrieval.documents": [c.to_canonical() for c in self.chunks],
            "output.value": self.answer,
            "gen_ai.usage.input_tokens": self.tokens.get("input"),
            "gen_ai.usage.output_tokens": self.tokens.get("output"),
            "rag_audit.latency_ms": {
                k: self.latency_ms.get(k) for k in ("retrieval", "generation", "total")
            },
            "rag_audit.watermark": wm,
            "error.type": (self.error or {}).get("type"),
            "exception.message": (self.error or {}).get("message"),
            "metadata": self.metadata,
            "rag_audit.redactions": self.redactions,
        }

    @classmethod
    def from_body(
        cls,
        body: Mapping[str, Any],
        *,
        seq: int | None = None,
        prev_hash: str | None = None,
        hash: str | None = None,
    ) -> AuditRecord:
        """Rebuild a record from a stored request event body."""
        wm = body.get("rag_audit.watermark")
        err = None
        if body.get("error.type") is not None or body.get("exception.message") is not None:
            err = {"type": body.get("error.type"), "message": body.get("exception.message")}
        tokens = {
            k: v
            for k, v in (
                ("input", body.get("gen_ai.usage.input_tokens")),
                ("output", body.get("gen_ai.usage.output_tokens")),
            )
            if v is not None
        }
        return cls(
            record_id=body["record.id"],
            query=body.get("input.value", ""),
            answer=body.get("output.value"),
            chunks=[Chunk.from_canonical(c) for c in body.get("retrieval.documents") or []],
            user_id=body.get("user.id"),
            app=body.get("service.name"),
            model=body.get("gen_ai.request.model"),
            model_version=body.get("rag_audit.model.version"),
            time_start=body.get("time.start"),
            time_end=body.get("time.end"),
            latency_ms=dict(body.get("rag_audit.latency_ms") or {}),
            tokens=tokens,
            watermark=Watermark(**wm) if wm else None,
            error=err,
            metadata=dict(body.get("metadata") or {}),
            redactions=list(body.get("rag_audit.redactions") or []),
            seq=seq,
            prev_hash=prev_hash,
            hash=hash,
        )

    def merge(self, event: Mapping[str, Any], seq: int) -> None:
        """Fold a linked evaluation or override event body into this record."""
        kind = event.get("event.kind")
        if kind == "evaluation":
            self.faithfulness = event.get("rag_audit.faithfulness")
            self.evaluation_seq = seq
            self.evaluations += 1
        elif kind == "override":
            self.overrides.append(override_view(event, seq))

    def to_dict(self) -> dict:
        """Reader view: the canonical request body plus chain position and linked events.

        Keys: every canonical key above, plus ``seq``, ``prev_hash``, ``hash`` (hex),
        ``rag_audit.faithfulness`` (dict or None), ``evaluation.seq``, ``evaluation.count`` (how
        many evaluations were merged; the newest is shown) and ``overrides``.
        """
        d = self.to_body()
        d.update(
            {
                "seq": self.seq,
                "prev_hash": self.prev_hash,
                "hash": self.hash,
                "rag_audit.faithfulness": self.faithfulness,
                "evaluation.seq": self.evaluation_seq,
                "evaluation.count": self.evaluations,
                "overrides": list(self.overrides),
            }
        )
        return d

    @property
    def faithfulness_score(self) -> float | None:
        return None if not self.faithfulness else self.faithfulness.get("score")


def override_view(event: Mapping[str, Any], seq: int) -> dict:
    """An override event as a small dict: seq, id, time, reviewer, decision, reason, correction."""
    return {
        "seq": seq,
        "event_id": event.get("event.id"),
        "time": event.get("time.start"),
        "reviewer": event.get("override.reviewer"),
        "decision": event.get("override.decision"),
        "reason": event.get("override.reason"),
        "correction": event.get("override.correction"),
    }


def evaluation_body(record_id: str, faithfulness: Mapping[str, Any]) -> dict:
    """Body of the event that attaches a faithfulness result to a request."""
    return {
        "rag_audit.schema": SCHEMA,
        "event.kind": "evaluation",
        "event.id": new_id(),
        "record.id": record_id,
        "time.start": utc_now(),
        "rag_audit.faithfulness": dict(faithfulness),
    }


def override_body(
    record_id: str, *, reviewer: str, decision: str, reason: str = "", correction: str | None = None
) -> dict:
    """Body of a human override of a request (Art. 14 oversight), linked by record id."""
    return {
        "rag_audit.schema": SCHEMA,
        "event.kind": "override",
        "event.id": new_id(),
        "record.id": record_id,
        "time.start": utc_now(),
        "override.reviewer": reviewer,
        "override.decision": decision,
        "override.reason": reason,
        "override.correction": correction,
    }


def erasure_body(
    action: str,
    *,
    operator: str,
    reason: str = "",
    subject: str | None = None,
    keys_destroyed: int | None = None,
    months: list[str] | tuple[str, ...] = (),
    before: str | None = None,
    retention_months: int | None = None,
) -> dict:
    """Body of the event that records destroyed data keys (``rag_audit erase`` / ``prune``).

    It names the subject's pseudonym, never the user id (the link to it was just destroyed), and
    refers to no record (``record.id`` null): readers merge it into none."""
    if action not in ERASURE_ACTIONS:
        raise AuditError(f"erasure action must be one of {ERASURE_ACTIONS}, not {action!r}")
    if not operator:
        raise AuditError("an erasure event needs the operator who made it (e.g. --operator NAME)")
    return {
        "rag_audit.schema": SCHEMA,
        "event.kind": "erasure",
        "event.id": new_id(),
        "record.id": None,
        "time.start": utc_now(),
        "erasure.action": action,
        "erasure.subject": subject,
        "erasure.keys_destroyed": keys_destroyed,
        "erasure.months": list(months),
        "erasure.before": before,
        "erasure.retention_months": retention_months,
        "erasure.operator": operator,
        "erasure.reason": reason,
    }


def erasure_view(event: Mapping[str, Any], seq: int) -> dict:
    """An erasure event as a small dict for readers (report, console)."""
    return {
        "seq": seq,
        "event_id": event.get("event.id"),
        "time": event.get("time.start"),
        "action": event.get("erasure.action"),
        "subject": event.get("erasure.subject"),
        "keys_destroyed": event.get("erasure.keys_destroyed"),
        "months": list(event.get("erasure.months") or []),
        "before": event.get("erasure.before"),
        "retention_months": event.get("erasure.retention_months"),
        "operator": event.get("erasure.operator"),
        "reason": event.get("erasure.reason"),
    }


_INT_LIMIT = 2**53 - 1


def to_json_safe(value: Any) -> Any:
    """Make free-form values canonicalisable: NaN/inf → None, tuples → lists, big ints and
    unknown objects → str, non-string keys → str."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value if -_INT_LIMIT <= value <= _INT_LIMIT else str(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {str(k): to_json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_json_safe(v) for v in value]
    if hasattr(value, "item") and callable(value.item):  # numpy / torch scalars
        try:
            return to_json_safe(value.item())
        except (TypeError, ValueError):
            pass
    return str(value)


class _NeedsSlowPath(Exception):
    pass


def _fast_form(value: Any) -> Any:
    """Like to_json_safe, but shaped so that ``json.dumps(sort_keys=True)`` prints exactly the
    RFC 8785 bytes: integral floats become ints (ES6 prints 2.0 as "2"). Raises _NeedsSlowPath
    where the two serialisers could differ (exponent-form floats, non-ASCII keys, which sort by
    UTF-16 units in RFC 8785)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value if -_INT_LIMIT <= value <= _INT_LIMIT else str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        if value.is_integer():
            if abs(value) <= _INT_LIMIT:
                return int(value)
            raise _NeedsSlowPath  # beyond 2**53 ES6 prints shortest digits, not the exact integer
        if 1e-4 <= abs(value) < 1e16:  # Python repr and ES6 agree: plain shortest digits
            return value
        raise _NeedsSlowPath
    if isinstance(value, Mapping):
        out = {}
        for k, v in value.items():
            k = str(k)
            if not k.isascii():
                raise _NeedsSlowPath
            out[k] = _fast_form(v)
        return out
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_fast_form(v) for v in value]
    return to_json_safe(value)


def canonical_bytes(body: Mapping[str, Any]) -> bytes:
    """RFC 8785 canonical JSON of an event body (values made JSON-safe first).

    Uses the C ``json`` encoder when the content is known to serialise identically (checked
    against ``rfc8785`` by a property test) and ``rfc8785.dumps`` otherwise."""
    try:
        return json.dumps(
            _fast_form(body),
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
            allow_nan=False,
        ).encode("utf-8")
    except (_NeedsSlowPath, UnicodeEncodeError):
        pass
    try:
        return rfc8785.dumps(to_json_safe(body))
    except rfc8785.CanonicalizationError as e:
        raise AuditError(
            f"cannot canonicalise the record ({e}); pass plain JSON values "
            "(str, int, float, bool, None, lists, dicts) and valid Unicode text"
        ) from None
