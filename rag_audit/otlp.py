"""Send audit records to an observability backend as OpenTelemetry GenAI spans over OTLP/HTTP.

The signed log stays the record of truth; this is a copy for the tools teams already run
(Arize Phoenix, Langfuse, Jaeger, any OTLP collector). Each record becomes one trace:

* a root span ``invoke_workflow <app>`` (``gen_ai.operation.name=invoke_workflow``) carrying our
  own attributes: ``rag_audit.record.id``, ``rag_audit.event.seq``, ``rag_audit.event.hash``,
  the newest checkpoint covering the record (``rag_audit.checkpoint.*``, export only, and only
  when the log verified), watermark status and overrides;
* a child ``retrieval <data source>`` span (``gen_ai.operation.name=retrieval``,
  ``gen_ai.data_source.id``, ``gen_ai.retrieval.documents`` = JSON ``[{"id", "score"}]``);
* a child ``chat <model>`` span (``gen_ai.request.model``, ``gen_ai.usage.*_tokens``) with the
  faithfulness result as a ``gen_ai.evaluation.result`` span event (``gen_ai.evaluation.name``,
  ``.score.value``, ``.score.label``, ``.explanation`` = the counts of sentence verdicts).

Attribute names are those of the OpenTelemetry GenAI semantic conventions as shipped in
``opentelemetry-semantic-conventions`` (:data:`SEMCONV_VERSION`); ``openinference.span.kind`` is
added so Phoenix shows the span kinds. Span times come from the record's start/end times and
stage latencies. The trace id is the record id's UUID (128 bits; SHA-256 of the id otherwise) and
span ids are derived from it, so exporting a record twice sends the same ids (a backend that
deduplicates by id keeps one copy).

Content (query, answer, chunk text, user id) is NOT sent unless ``content=True``
(``--otlp-content``); then it first goes through :class:`rag_audit.redact.Redactor`. Headers
(``--otlp-header KEY=VALUE``, merged over ``OTEL_EXPORTER_OTLP_HEADERS``) are never printed.

Needs the ``otel`` extra: ``pip install 'genai-provenance[otel]'``.
"""

from __future__ import annotations

import contextvars
import copy
import hashlib
import json
import logging
import os
import random
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from .chain import Checkpoint
from .errors import AuditError
from .record import AuditRecord
from .redact import Redactor
from .signing import PublicKeyLike
from .store.base import Store, open_store
from .store.url import mask_url

log = logging.getLogger("rag_audit.otlp")
Progress = Callable[[int, int], None]

TRACES_PATH = "/v1/traces"
DEFAULT_TIMEOUT_S = 10.0
DEFAULT_BATCH = 512
EVALUATION_EVENT = "gen_ai.evaluation.result"
OVERRIDE_EVENT = "rag_audit.override"
_INSTALL_HINT = "install the otel extra: pip install 'genai-provenance[otel]'"


def _otel():
    """The OpenTelemetry modules, or AuditError saying how to install them."""
    try:
        from opentelemetry import trace
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import (
            BatchSpanProcessor,
            SpanExportResult,
        )
        from opentelemetry.sdk.trace.sampling import ALWAYS_ON
    except ImportError as e:
        raise AuditError(
            f"OTLP export needs OpenTelemetry ({e.name} is missing): {_INSTALL_HINT}"
        ) from None
    return _Otel(
        trace, OTLPSpanExporter, Resource, TracerProvider, BatchSpanProcessor,
        SpanExportResult, ALWAYS_ON,
    )  # fmt: skip


@dataclass(frozen=True)
class _Otel:
    trace: Any
    OTLPSpanExporter: Any
    Resource: Any
    TracerProvider: Any
    BatchSpanProcessor: Any
    SpanExportResult: Any
    ALWAYS_ON: Any


def semconv_version() -> str | None:
    """Version of the installed opentelemetry-semantic-conventions (None when absent)."""
    try:
        from opentelemetry.semconv.version import __version__
    except ImportError:
        return None
    return __version__


# -- endpoint and headers ---------------------------------------------------------------------
def traces_endpoint(url: str) -> str:
    """The OTLP/HTTP traces endpoint for ``url``: ``http(s)://HOST:PORT[/base]`` gets
    ``/v1/traces`` appended unless it already ends with it."""
    try:
        parts = urlsplit(str(url))
        parts.port  # noqa: B018 (raises ValueError on a bad port)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise AuditError(
            f"{mask_url(str(url))!r} is not an OTLP/HTTP URL; pass e.g. http://127.0.0.1:4318 "
            "(a collector) or http://127.0.0.1:6006 (Phoenix)"
        )
    base = str(url).split("?", 1)[0].split("#", 1)[0].rstrip("/")
    return base if base.endswith(TRACES_PATH) else base + TRACES_PATH


def parse_headers(items: Sequence[str]) -> dict[str, str]:
    """``["KEY=VALUE", ...]`` as a dict (header names lower-cased). Errors give the header's
    position only: a malformed one may be a secret pasted whole."""
    out: dict[str, str] = {}
    for i, item in enumerate(items, 1):
        key, sep, value = str(item).partition("=")
        key = key.strip()
        if not sep or not key or any(c.isspace() or c in ':()<>@,;\\"/[]?={}' for c in key):
            raise AuditError(
                f"bad --otlp-header (number {i}, not shown): write KEY=VALUE, e.g. "
                "--otlp-header authorization='Bearer ...'"
            )
        out[key.lower()] = value.strip()
    return out


# -- deterministic ids ------------------------------------------------------------------------
def trace_id_for(record_id: str) -> int:
    """The trace id of a record: its UUID as a 128-bit integer (SHA-256 of the id otherwise)."""
    try:
        n = uuid.UUID(str(record_id)).int
    except ValueError:
        n = 0
    if n:
        return n
    return int.from_bytes(hashlib.sha256(f"rag_audit:{record_id}".encode()).digest()[:16], "big")


def span_id_for(record_id: str, n: int) -> int:
    """The id of the ``n``-th span of a record's trace (64 bits, never 0)."""
    digest = hashlib.sha256(f"rag_audit:{record_id}:{n}".encode()).digest()
    return int.from_bytes(digest[:8], "big") or 1


class _RecordIdGenerator:
    """Ids from the record being emitted (``with ids.record(rid)``); random ids otherwise."""

    def __init__(self) -> None:
        self._current: contextvars.ContextVar[list | None] = contextvars.ContextVar(
            "rag_audit_otlp_record", default=None
        )

    @contextmanager
    def record(self, record_id: str) -> Iterator[None]:
        token = self._current.set([record_id, 0])
        try:
            yield
        finally:
            self._current.reset(token)

    def generate_trace_id(self) -> int:
        state = self._current.get()
        return trace_id_for(state[0]) if state else random.getrandbits(128) or 1

    def is_trace_id_random(self) -> bool:
        return False  # derived from the record id (W3C random-trace-id flag stays unset)

    def generate_span_id(self) -> int:
        state = self._current.get()
        if not state:
            return random.getrandbits(64) or 1
        state[1] += 1
        return span_id_for(state[0], state[1])


# -- one record as spans ----------------------------------------------------------------------
def _ns(text: str | None) -> int | None:
    """ISO 8601 UTC text as nanoseconds since the epoch (None when missing or unreadable)."""
    if not text:
        return None
    try:
        t = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None
    return int(t.timestamp()) * 1_000_000_000 + t.microsecond * 1000


def _ms(value: Any) -> int | None:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0
    return int(value * 1_000_000) if ok else None


def _num(value: Any) -> float | None:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    return float(value) if ok else None


def data_source_id(rec: AuditRecord) -> str | None:
    """``gen_ai.data_source.id``: the record's ``metadata["data_source"]`` when the app set one,
    else the distinct chunk sources in order, comma-separated (None without either)."""
    given = (rec.metadata or {}).get("data_source")
    if given:
        return str(given)
    sources = list(dict.fromkeys(c.source for c in rec.chunks if c.source))
    return ",".join(sources) or None


def verdict_counts(faithfulness: Mapping[str, Any]) -> dict[str, int]:
    """Sentences per verdict (supported / contradicted / not_found) of a stored result."""
    out = {"supported": 0, "contradicted": 0, "not_found": 0}
    given = faithfulness.get("verdicts")
    if isinstance(given, Mapping):
        out.update({str(k): v for k, v in given.items() if isinstance(v, int)})
        return out
    for s in faithfulness.get("sentences") or []:
        if isinstance(s, Mapping):
            v = s.get("verdict") or ("supported" if s.get("supported") else "not_found")
            out[str(v)] = out.get(str(v), 0) + 1
    return out


def evaluation_attributes(faithfulness: Mapping[str, Any]) -> dict[str, Any]:
    """Attributes of the ``gen_ai.evaluation.result`` event for a stored faithfulness result."""
    f = faithfulness
    score = _num(f.get("score"))
    attrs: dict[str, Any] = {"gen_ai.evaluation.name": "faithfulness"}
    if score is not None:
        attrs["gen_ai.evaluation.score.value"] = score
        supported = f.get("supported")
        if not isinstance(supported, bool):
            threshold = _num(f.get("threshold"))
            sentences = [s for s in f.get("sentences") or [] if isinstance(s, Mapping)]
            supported = (
                score >= threshold if threshold is not None and f.get("calibration") else None
            )
            if supported is None and sentences:
                supported = all(bool(s.get("supported")) for s in sentences)
        if supported is not None:
            attrs["gen_ai.evaluation.score.label"] = "supported" if supported else "not_supported"
    counts = verdict_counts(f)
    attrs["gen_ai.evaluation.explanation"] = ", ".join(f"{k}={v}" for k, v in counts.items())
    for key in ("scorer", "scorer_version", "threshold", "calibration"):
        value = f.get(key)
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            attrs[f"rag_audit.evaluation.{key}"] = value
    if f.get("error"):
        attrs["error.type"] = str(f["error"]).split(":", 1)[0]
    return attrs


def _clean(attrs: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in attrs.items() if v is not None}


class _Emitter:
    """Turns records into ended spans, handed to one span processor; a TracerProvider per
    ``service.name`` (the record's app)."""

    def __init__(
        self,
        otel: _Otel,
        processor: Any,
        *,
        content: bool = False,
        redactor: Redactor | None = None,
        operation: str = "chat",
        resource: Mapping[str, Any] | None = None,
    ) -> None:
        self.otel, self.processor = otel, processor
        self.content = content
        self.redactor = redactor if redactor is not None else (Redactor() if content else None)
        self.operation = operation
        self.resource = dict(resource or {})
        self.ids = _RecordIdGenerator()
        self._providers: dict[str, Any] = {}
        self._lock = threading.Lock()

    def _tracer(self, app: str | None) -> Any:
        name = app or "rag_audit"
        with self._lock:
            provider = self._providers.get(name)
            if provider is None:
                o = self.otel
                resource = o.Resource.create({**self.resource, "service.name": name})
                provider = o.TracerProvider(
                    sampler=o.ALWAYS_ON,  # every record, whatever OTEL_TRACES_SAMPLER says
                    resource=resource,
                    id_generator=self.ids,
                    shutdown_on_exit=False,
                )
                provider.add_span_processor(self.processor)
                self._providers[name] = provider
        return provider.get_tracer("rag_audit", semconv_version() or "")

    def emit(self, rec: AuditRecord, checkpoint: Checkpoint | None = None) -> int:
        """Emit the spans of one record; the number of spans."""
        if self.content and self.redactor is not None:
            rec = self.redactor.redact_record(copy.deepcopy(rec))
        trace = self.otel.trace
        tracer = self._tracer(rec.app)
        lat = rec.latency_ms or {}
        t0 = _ns(rec.time_start)
        t_end = _ns(rec.time_end) or t0
        if t0 is None:
            return 0  # not a usable record (no start time): nothing to place on a timeline
        t_end = max(t_end, t0)
        ret_end = min(t0 + (_ms(lat.get("retrieval")) or 0), t_end)
        gen_ms = _ms(lat.get("generation"))
        gen_end = t_end if gen_ms is None else min(ret_end + gen_ms, t_end)
        model = rec.model or "unknown"
        with self.ids.record(rec.record_id):
            root = tracer.start_span(
                f"invoke_workflow {rec.app}" if rec.app else "invoke_workflow",
                start_time=t0,
                kind=trace.SpanKind.INTERNAL,
                attributes=_clean(self._root_attributes(rec, checkpoint)),
            )
            for o in rec.overrides:
                root.add_event(
                    OVERRIDE_EVENT,
                    _clean({"rag_audit.override.decision": o.get("decision"),
                            "rag_audit.event.seq": o.get("seq")}),
                    timestamp=_ns(o.get("time")) or t_end,
                )  # fmt: skip
            ctx = trace.set_span_in_context(root)
            source = data_source_id(rec)
            ret = tracer.start_span(
                f"retrieval {source}" if source else "retrieval",
                context=ctx,
                kind=trace.SpanKind.CLIENT,
                start_time=t0,
                attributes=_clean(self._retrieval_attributes(rec, source)),
            )
            ret.end(end_time=ret_end)
            gen = tracer.start_span(
                f"{self.operation} {model}",
                context=ctx,
                kind=trace.SpanKind.CLIENT,
                start_time=ret_end,
                attributes=_clean(self._generation_attributes(rec)),
            )
            if rec.faithfulness:
                gen.add_event(
                    EVALUATION_EVENT, evaluation_attributes(rec.faithfulness), timestamp=t_end
                )
            if rec.error:
                status = trace.Status(trace.StatusCode.ERROR, str(rec.error.get("type") or ""))
                root.set_status(status)
            gen.end(end_time=gen_end)
            root.end(end_time=t_end)
        return 3

    def _root_attributes(self, rec: AuditRecord, cp: Checkpoint | None) -> dict[str, Any]:
        wm = rec.watermark
        attrs: dict[str, Any] = {
            "gen_ai.operation.name": "invoke_workflow",
            "gen_ai.workflow.name": rec.app,
            "openinference.span.kind": "CHAIN",
            "rag_audit.record.id": rec.record_id,
            "rag_audit.event.seq": rec.seq,
            "rag_audit.event.hash": rec.hash,
            "rag_audit.model.version": rec.model_version,
            "rag_audit.watermark.applied": None if wm is None else bool(wm.applied),
            "rag_audit.watermark.key_id": None if wm is None else wm.key_id,
            "rag_audit.watermark.p_value": None if wm is None else _num(wm.p_value),
            "rag_audit.override.count": len(rec.overrides) or None,
            "error.type": (rec.error or {}).get("type"),
        }
        if cp is not None and rec.seq is not None and rec.seq <= cp.tree_size:
            attrs.update(
                {
                    "rag_audit.checkpoint.tree_size": cp.tree_size,
                    "rag_audit.checkpoint.root": cp.root,
                    "rag_audit.checkpoint.key_id": cp.key_id,
                    "rag_audit.checkpoint.time": cp.time,
                }
            )
        if self.content:
            attrs.update(
                {"input.value": rec.query, "output.value": rec.answer, "user.id": rec.user_id}
            )
        return attrs

    def _retrieval_attributes(self, rec: AuditRecord, source: str | None) -> dict[str, Any]:
        docs = []
        for c in rec.chunks:
            d: dict[str, Any] = {"id": c.id, "score": _num(c.score)}
            if self.content:
                d["content"] = c.text
            docs.append(d)
        attrs = {
            "gen_ai.operation.name": "retrieval",
            "gen_ai.data_source.id": source,
            "gen_ai.retrieval.documents": json.dumps(docs, ensure_ascii=False),
            "openinference.span.kind": "RETRIEVER",
            "rag_audit.record.id": rec.record_id,
        }
        if self.content:
            attrs["gen_ai.retrieval.query.text"] = rec.query
        return attrs

    def _generation_attributes(self, rec: AuditRecord) -> dict[str, Any]:
        attrs = {
            "gen_ai.operation.name": self.operation,
            "gen_ai.request.model": rec.model,
            "gen_ai.usage.input_tokens": rec.tokens.get("input"),
            "gen_ai.usage.output_tokens": rec.tokens.get("output"),
            "openinference.span.kind": "LLM",
            "rag_audit.record.id": rec.record_id,
        }
        if self.content:
            text = [{"type": "text", "content": rec.query}]
            attrs["gen_ai.input.messages"] = json.dumps([{"role": "user", "parts": text}])
            if rec.answer is not None:
                out = [{"type": "text", "content": rec.answer}]
                attrs["gen_ai.output.messages"] = json.dumps(
                    [{"role": "assistant", "parts": out, "finish_reason": "stop"}]
                )
        return attrs

    def close(self) -> None:
        self.processor.shutdown()


# -- exporters --------------------------------------------------------------------------------
def _exporter(otel: _Otel, url: str, headers: Mapping[str, str] | None, timeout: float) -> Any:
    return otel.OTLPSpanExporter(
        endpoint=traces_endpoint(url), headers=dict(headers or {}) or None, timeout=timeout
    )


class _Collect:
    """A span processor that keeps ended spans for the caller to export in batches."""

    def __init__(self) -> None:
        self.spans: list = []

    def on_start(self, span: Any, parent_context: Any = None) -> None:
        pass

    def on_end(self, span: Any) -> None:
        self.spans.append(span)

    def _on_ending(self, span: Any) -> None:
        pass

    def shutdown(self) -> None:
        pass

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return True


@dataclass
class OTLPSummary:
    """What ``export_otlp`` did: records read (of ``total``), spans sent and failed, where to
    (masked), and the log's verification status (checkpoint attributes are only attached when
    it verified)."""

    endpoint: str
    records: int = 0  # read and turned into spans
    total: int = 0  # matching the filters
    spans_sent: int = 0
    spans_failed: int = 0
    verified: bool = False
    signatures_checked: bool = False
    verify_reason: str | None = None
    semconv: str | None = None
    stopped_early: bool = False  # gave up after ``max_failures`` failed requests in a row

    @property
    def ok(self) -> bool:
        return self.spans_failed == 0

    def to_dict(self) -> dict:
        return asdict(self)


def export_otlp(
    target: str | os.PathLike | Store,
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    content: bool = False,
    since: str | None = None,
    until: str | None = None,
    public_key: PublicKeyLike | None = None,
    require_valid: bool = False,
    timeout: float = DEFAULT_TIMEOUT_S,
    batch_size: int = DEFAULT_BATCH,
    redactor: Redactor | None = None,
    operation: str = "chat",
    max_failures: int = 3,
    progress: Progress | None = None,
) -> OTLPSummary:
    """Send the records of a log (start time in [since, until)) to an OTLP/HTTP endpoint as
    GenAI spans, ``batch_size`` spans per request; see the module docstring for the mapping.

    The log is verified first (signatures too with ``public_key``); ``require_valid=True``
    refuses to send a log that fails. A failed request is counted in ``spans_failed`` (the
    exporter retries transient errors for up to ``timeout`` seconds) and the export goes on,
    until ``max_failures`` requests in a row have failed (then ``stopped_early``; the records
    not read are in neither count).
    ``headers`` are added to ``OTEL_EXPORTER_OTLP_HEADERS``. ``content=True`` also sends the
    query, answer, chunk texts and user id, after ``redactor`` (default ``Redactor()``)."""
    from .verify import verify_log

    if batch_size < 1 or max_failures < 1:
        raise AuditError(
            f"batch_size={batch_size!r} and max_failures={max_failures!r} must be >= 1"
        )
    otel = _otel()
    endpoint = traces_endpoint(url)
    summary = OTLPSummary(endpoint=mask_url(endpoint), semconv=semconv_version())
    store = open_store(target, readonly=True)
    try:
        result = verify_log(store, public_key)
        if require_valid and not result.ok:
            raise AuditError(
                f"the log failed verification ({result.reason} at event "
                f"{result.first_bad}: {result.message}); nothing sent"
            )
        summary.verified, summary.verify_reason = result.ok, result.reason
        summary.signatures_checked = result.signatures_checked
        cps = store.checkpoints() if result.ok else []
        newest = cps[-1] if cps else None
        exporter = _exporter(otel, url, headers, timeout)
        collect = _Collect()
        emitter = _Emitter(
            otel,
            collect,
            content=content,
            redactor=redactor,
            operation=operation,
            resource={
                "rag_audit.log.verified": result.ok,
                "rag_audit.log.signatures_checked": result.signatures_checked,
            },
        )
        total = summary.total = store.count(since=since, until=until)

        failures = 0

        def send() -> None:
            nonlocal failures
            batch, collect.spans = collect.spans, []
            if not batch:
                return
            if exporter.export(batch) == otel.SpanExportResult.SUCCESS:
                summary.spans_sent += len(batch)
                failures = 0
            else:
                summary.spans_failed += len(batch)
                failures += 1
                summary.stopped_early = failures >= max_failures

        try:
            for rec in store.records(since=since, until=until):
                emitter.emit(rec, newest)
                summary.records += 1
                if len(collect.spans) >= batch_size:
                    send()
                    if progress:
                        progress(summary.records, total)
                    if summary.stopped_early:
                        break
            send()
            if progress:
                progress(summary.records, max(total, summary.records))
        finally:
            exporter.shutdown()
    finally:
        store.close()
    return summary


class _CountingExporter:
    """Wraps the OTLP exporter for the live sink: counts spans sent and failed, logs failures."""

    def __init__(self, inner: Any, otel: _Otel, where: str) -> None:
        self.inner, self.otel, self.where = inner, otel, where
        self.sent = self.failed = 0

    def export(self, spans: Sequence[Any]) -> Any:
        try:
            result = self.inner.export(spans)
        except Exception as e:  # never let the exporter thread die
            log.error("rag_audit: OTLP export to %s raised %s", self.where, type(e).__name__)
            result = self.otel.SpanExportResult.FAILURE
        if result == self.otel.SpanExportResult.SUCCESS:
            self.sent += len(spans)
        else:
            self.failed += len(spans)
            log.warning(
                "rag_audit: %d spans NOT delivered to %s (the audit log keeps the records; "
                "re-send them with `rag_audit export LOG --otlp URL`)",
                len(spans),
                self.where,
            )
        return result

    def shutdown(self) -> None:
        self.inner.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return True


class OTLPSink:
    """A live sink for ``Auditor(..., sinks=[OTLPSink(url)])``: each record, once durably
    appended (with its faithfulness when the Auditor scores), is queued as spans and sent by
    OpenTelemetry's batch processor on its own thread. A dead or slow endpoint never blocks or
    breaks the audit write: a full queue drops spans, failed sends are logged and counted in
    ``failed`` (``sent`` counts delivered spans). ``close()`` (called by ``Auditor.close``)
    sends what is queued, waiting at most about ``timeout`` seconds per batch."""

    def __init__(
        self,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        content: bool = False,
        redactor: Redactor | None = None,
        timeout: float = DEFAULT_TIMEOUT_S,
        operation: str = "chat",
        max_queue_size: int = 2048,
        schedule_delay_ms: int = 1000,
    ) -> None:
        otel = _otel()
        self.endpoint = mask_url(traces_endpoint(url))
        self._exporter = _CountingExporter(
            _exporter(otel, url, headers, timeout), otel, self.endpoint
        )
        processor = otel.BatchSpanProcessor(
            self._exporter,
            max_queue_size=max_queue_size,
            schedule_delay_millis=schedule_delay_ms,
            export_timeout_millis=int(timeout * 1000),
        )
        self._emitter = _Emitter(
            otel, processor, content=content, redactor=redactor, operation=operation
        )
        self._closed = False

    @property
    def sent(self) -> int:
        return self._exporter.sent

    @property
    def failed(self) -> int:
        return self._exporter.failed

    def __call__(self, rec: AuditRecord) -> None:
        if not self._closed:
            self._emitter.emit(rec)

    def flush(self, timeout_s: float = 30.0) -> bool:
        """Send what is queued now; False if that did not finish within ``timeout_s``."""
        return self._emitter.processor.force_flush(int(timeout_s * 1000))

    def close(self) -> None:
        """Send what is queued and stop the sending thread. Idempotent."""
        if not self._closed:
            self._closed = True
            self._emitter.close()

    def __repr__(self) -> str:
        return f"OTLPSink({self.endpoint})"
