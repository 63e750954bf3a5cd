"""The app wrapper: ``Auditor.trace`` / ``wrap`` / ``audited`` record each RAG request.

Acknowledged means: when a ``trace`` block exits (or a wrapped function returns), its request
event has been redacted, canonicalised, hashed, chained and *committed* to the store. If that
fails, the block raises ``AuditError`` instead, so the caller knows. The faithfulness score is
computed afterwards by one background thread and appended as a linked ``evaluation`` event; its
queue is bounded and a full queue blocks the request path (back-pressure) rather than drop work.
The same thread writes a signed checkpoint every ``checkpoint_every`` events or
``checkpoint_interval_s`` seconds. ``flush()`` waits for the queue to drain; ``close()`` flushes,
writes a final checkpoint and closes the store. A process that dies before an evaluation is
written leaves its request event intact (``faithfulness`` stays None).

A writer never signs what it has not checked:

* opening a non-empty log with a signing key first finds the newest checkpoint signed by that
  key (in the log or, larger, at a readable witness) and requires the stored event at its size
  to carry its last hash and the stored (or else recomputed) Merkle frontier to give its root;
  then it re-hashes every event after it. A non-empty log with no such checkpoint is refused
  unless ``adopt_unsigned=True`` (then its whole chain is checked first);
* each new checkpoint is signed over a Merkle frontier the Auditor keeps in memory, extended
  only with events whose hashes and links it recomputed: a rewritten tail is refused.

Each signed checkpoint then goes to every witness (see ``witness.py`` for the failure policy).
"""

from __future__ import annotations

import functools
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from .chain import (
    CHECKPOINT_EVERY,
    CHECKPOINT_INTERVAL_S,
    GENESIS,
    Checkpoint,
    MerkleFrontier,
    event_hash,
    sign_checkpoint,
)
from .erasure import Sealer, check_unsealed_target, sealer_for
from .errors import AuditError
from .record import (
    AuditRecord,
    Chunk,
    Watermark,
    canonical_bytes,
    erasure_body,
    evaluation_body,
    new_id,
    override_body,
    utc_now,
)
from .redact import Redactor
from .signing import PrivateKeyLike, key_id, load_private_key
from .store.base import Store, open_store, store_checkpoint
from .store.url import display_target
from .witness import FileWitness, Witness, WitnessLike, open_witness

log = logging.getLogger("rag_audit")
_DEFAULT = object()
_STOP = object()


class Trace:
    """One request in flight. Collect chunks, the answer, watermark and token counts; the
    record is written when the ``with`` block exits."""

    def __init__(
        self, auditor: Auditor, query: str, user_id: str | None, metadata: dict | None
    ) -> None:
        self._auditor = auditor
        self.record_id = new_id()
        self.query = query
        self.user_id = user_id
        self.metadata = dict(metadata or {})
        self.chunks: list[Chunk] = []
        self._answer: list[str] = []
        self.watermark: Watermark | None = None
        self.tokens: dict = {}
        self.latency_ms: dict = {}
        self._t0 = 0.0
        self._t_chunks: float | None = None
        self._t_answer: float | None = None

    # -- collecting --------------------------------------------------------------------------
    def add_chunks(self, chunks: Iterable[Chunk]) -> None:
        """Record retrieved chunks (the first call ends the retrieval stage)."""
        for c in chunks:
            if not isinstance(c, Chunk):
                raise AuditError(
                    f"add_chunks expects rag_audit.Chunk objects, got {type(c).__name__}; "
                    "wrap each as Chunk(id=..., text=..., source=..., score=...)"
                )
            self.chunks.append(c)
        if self._t_chunks is None:
            self._t_chunks = time.perf_counter()

    def set_answer(self, answer: str) -> None:
        """Record the full answer (ends the generation stage)."""
        self._answer = [str(answer)]
        self._t_answer = time.perf_counter()

    def append_answer(self, piece: str) -> None:
        """Record one streamed piece of the answer."""
        self._answer.append(str(piece))
        self._t_answer = time.perf_counter()

    @property
    def answer(self) -> str | None:
        return "".join(self._answer) if self._answer else None

    def set_watermark(
        self, applied: bool, key_id: str | None = None, p_value: float | None = None
    ) -> None:
        """Record whether the answer was watermarked, the key id and the detector's p-value."""
        self.watermark = Watermark(
            bool(applied), key_id, None if p_value is None else float(p_value)
        )

    def set_tokens(self, input: int | None = None, output: int | None = None) -> None:
        """Record token counts where the app knows them."""
        if input is not None:
            self.tokens["input"] = int(input)
        if output is not None:
            self.tokens["output"] = int(output)

    def set_latency(self, stage: str, ms: float) -> None:
        """Override a stage latency (``retrieval`` / ``generation``) measured by the app."""
        self.latency_ms[stage] = float(ms)

    # -- context manager ---------------------------------------------------------------------
    def __enter__(self) -> Trace:
        self._t0 = time.perf_counter()
        self._start = utc_now()
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        t_end = time.perf_counter()
        error = None if exc is None else {"type": exc_type.__name__, "message": str(exc)}
        lat = {"total": (t_end - self._t0) * 1000.0}
        if self._t_chunks is not None:
            lat["retrieval"] = (self._t_chunks - self._t0) * 1000.0
            if self._t_answer is not None:
                lat["generation"] = (self._t_answer - self._t_chunks) * 1000.0
        lat.update(self.latency_ms)
        rec = AuditRecord(
            record_id=self.record_id,
            query=self.query,
            answer=self.answer,
            chunks=list(self.chunks),
            user_id=self.user_id,
            time_start=self._start,
            time_end=utc_now(),
            latency_ms=lat,
            tokens=dict(self.tokens),
            watermark=self.watermark,
            error=error,
            metadata=self.metadata,
        )
        self._auditor._commit(rec)
        return False  # an exception in the block is re-raised after it is recorded


class Auditor:
    """Writes audit records for a RAG app into a store (SQLite path or ``postgresql://`` URL).

    ``signing_key`` (Ed25519 key or PEM path) enables signed checkpoints; ``scorer`` is a
    faithfulness scorer (default: ``rag_audit.faithfulness.get_default_scorer()``, loaded lazily
    in the background thread; ``None`` disables scoring); ``redact`` is True/False or a
    ``Redactor``; ``keystore`` (a ``rag_audit.erasure.KeyStore`` or key-store file path; default
    the process-wide one of ``erasure.set_reader_keystore``, if any) encrypts personal fields per
    user and month so they can be erased; ``queue_size`` bounds the background queue.
    ``witnesses``: where each signed
    checkpoint is also published (file paths, ``postgresql://`` URLs, Witness objects or
    callables). ``adopt_unsigned=True`` lets a signing Auditor take over a non-empty log that
    holds no checkpoint signed by its key (after checking its chain); without it that is
    refused, because such a log may be a forgery. Without a signing key nothing is signed and
    one warning is logged: truncation and rewrites of the log cannot be detected then.
    ``sinks``: callables (e.g. ``rag_audit.otlp.OTLPSink``) given each record after it is durably
    appended (after its evaluation when scored; ``close()`` is called on those that have it). A
    sink that raises is logged and counted in ``sink_errors``; it never fails the audit write."""

    def __init__(
        self,
        target: Any,
        *,
        signing_key: PrivateKeyLike | None = None,
        app: str | None = None,
        model: str | None = None,
        model_version: str | None = None,
        scorer: Any = _DEFAULT,
        redact: bool | Redactor = False,
        keystore: Any = None,
        queue_size: int = 1024,
        checkpoint_every: int = CHECKPOINT_EVERY,
        checkpoint_interval_s: float = CHECKPOINT_INTERVAL_S,
        witnesses: Sequence[WitnessLike] = (),
        adopt_unsigned: bool = False,
        sinks: Sequence[Callable[[AuditRecord], Any]] = (),
        **store_options: Any,
    ) -> None:
        if queue_size < 1:
            raise AuditError(f"queue_size={queue_size!r} must be at least 1")
        self.sealer: Sealer | None = sealer_for(keystore)
        self._key = load_private_key(signing_key) if signing_key is not None else None
        self.witnesses: list[Witness] = [open_witness(w) for w in witnesses]
        if self.witnesses and self._key is None:
            raise AuditError("witnesses need signed checkpoints: pass signing_key= as well")
        self.store: Store = open_store(target, **store_options)
        self._sign_lock = threading.Lock()
        self._last_cp: Checkpoint | None = None
        self._unwitnessed: list[Witness] = []
        self._unsigned_warning: str | None = None
        if self._key is None:
            self._unsigned_warning = (
                f"rag_audit: the Auditor for {display_target(target)} has no signing_key, so no "
                "checkpoint is signed: truncation and rewrites of this log cannot be detected "
                "and `rag_audit verify --public-key` will fail (unsigned). Create a key with "
                "`rag_audit init`."
            )
        else:
            try:
                self._open_signed(adopt_unsigned)
            except BaseException:
                self.store.close()
                raise
        self.app, self.model, self.model_version = app, model, model_version
        self._scorer = scorer
        self._scorer_loaded = scorer is not _DEFAULT
        self.redactor: Redactor | None = (
            redact if isinstance(redact, Redactor) else Redactor() if redact else None
        )
        if self.sealer is not None:
            self.store.keystore = self.sealer.keystore
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=queue_size)
        self._checkpoint_every = max(1, int(checkpoint_every))
        self._checkpoint_interval = float(checkpoint_interval_s)
        self._since_checkpoint = 0
        self._count_lock = threading.Lock()
        self._checkpoint_due = threading.Event()
        self._closed = False
        self.worker_errors: list[str] = []
        self.sinks = list(sinks)
        self.sink_errors: list[str] = []
        self._sink_pending: dict[str, AuditRecord] = {}  # records waiting for their evaluation
        self._worker = threading.Thread(target=self._work, name="rag_audit-worker", daemon=True)
        self._worker.start()

    # -- request path ------------------------------------------------------------------------
    def trace(
        self, query: str, *, user_id: str | None = None, metadata: dict | None = None
    ) -> Trace:
        """Start recording one request: ``with auditor.trace(q, user_id=...) as t: ...``."""
        self._check_open()
        return Trace(self, query, user_id, metadata)

    def wrap(self, fn: Callable[..., tuple], *, user_id: str | None = None) -> Callable[..., tuple]:
        """Wrap ``fn(query, ...) -> (answer, chunks)`` so each call is recorded. A ``user_id``
        keyword in the call overrides the default and is not passed on to ``fn``."""

        @functools.wraps(fn)
        def wrapper(query: str, *args: Any, **kwargs: Any) -> tuple:
            uid = kwargs.pop("user_id", user_id)
            with self.trace(query, user_id=uid) as t:
                answer, chunks = fn(query, *args, **kwargs)
                t.add_chunks(chunks)
                t.set_answer(answer)
            return answer, chunks

        return wrapper

    def audited(self, *, user_id: str | None = None) -> Callable:
        """Decorator form of ``wrap``: ``@auditor.audited(user_id="u-1")``."""
        return lambda fn: self.wrap(fn, user_id=user_id)

    def _commit(self, rec: AuditRecord) -> None:
        self._check_open()
        rec.app, rec.model, rec.model_version = self.app, self.model, self.model_version
        user_id = rec.user_id
        if self.redactor is not None:
            self.redactor.redact_record(rec)
        body = rec.to_body()
        if self.sealer is not None:
            self.sealer.seal_request(body, user_id)
        try:
            written = self.store.append([canonical_bytes(body)])
        except AuditError:
            raise
        except Exception as e:
            raise AuditError(
                f"the audit record {rec.record_id} was NOT written ({e}); "
                "check the store is reachable and writable"
            ) from e
        self._count(1)
        scored = self._scorer is not None and rec.error is None and rec.answer and rec.chunks
        if self.sinks:
            if written:
                rec.seq, rec.hash = written[0][0], bytes(written[0][1]).hex()
            if scored:
                self._sink_pending[rec.record_id] = rec  # sent with its evaluation
            else:
                self._to_sinks(rec)
        if scored:
            self._queue.put((rec.record_id, rec.answer, rec.chunks))  # blocks when full

    def record_override(
        self,
        record_id: str,
        *,
        reviewer: str,
        decision: str,
        reason: str = "",
        correction: str | None = None,
    ) -> str:
        """Append a human reviewer's decision about a record as a linked event; its event id."""
        self._check_open()
        if not reviewer or not decision:
            raise AuditError(
                "record_override needs a non-empty reviewer and decision (e.g. decision='reject')"
            )
        target = self.store.get(record_id)
        check_unsealed_target(target, self.sealer)
        if target is None:
            raise AuditError(
                f"no record with id {record_id!r} in this log; "
                "list records with Auditor.records() / `rag_audit list`"
            )
        body = override_body(
            record_id, reviewer=reviewer, decision=decision, reason=reason, correction=correction
        )
        if self.redactor is not None:
            self.redactor.redact_override(body)
        if self.sealer is not None:
            self.sealer.seal_linked(body, self.store)
        self.store.append([canonical_bytes(body)])
        self._count(1)
        return body["event.id"]

    def record_erasure(self, action: str, *, operator: str, reason: str = "", **what: Any) -> str:
        """Append an ``erasure`` event (data keys destroyed: ``record.erasure_body``'s fields);
        its event id. Linked to no record; never sealed (it holds no personal field: the
        subject's pseudonym only, whose link to the user is destroyed)."""
        self._check_open()
        body = erasure_body(action, operator=operator, reason=reason, **what)
        self.store.append([canonical_bytes(body)])
        self._count(1)
        return body["event.id"]

    # -- readers -----------------------------------------------------------------------------
    def get(self, record_id: str) -> AuditRecord | None:
        """The record merged with its evaluation and overrides (None if absent)."""
        return self.store.get(record_id)

    def records(self, **filters: Any):
        """Records in order; see ``Store.records`` for the filters."""
        return self.store.records(**filters)

    def labelled_overrides(self) -> list[dict]:
        """Overrides joined to their records as labelled data (see Store.labelled_overrides)."""
        return self.store.labelled_overrides()

    # -- background work ---------------------------------------------------------------------
    def _count(self, n: int) -> None:
        if self._unsigned_warning is not None:  # once, with the first event written
            log.warning(self._unsigned_warning)
            self._unsigned_warning = None
        with self._count_lock:
            self._since_checkpoint += n
            due = self._since_checkpoint >= self._checkpoint_every
        if due and self._key is not None:
            self._checkpoint_due.set()

    def _get_scorer(self) -> Any:
        if not self._scorer_loaded:
            from .faithfulness import get_default_scorer

            self._scorer = get_default_scorer()
            self._scorer_loaded = True
        return self._scorer

    def _work(self) -> None:
        last_cp = time.monotonic()
        while True:
            try:
                item = self._queue.get(timeout=0.2)
            except queue.Empty:
                item = None
            try:
                if item is _STOP:
                    return
                if isinstance(item, threading.Event):  # a flush marker
                    item.set()
                elif item is not None:
                    self._evaluate(*item)
                if self._key is not None and (
                    self._checkpoint_due.is_set()
                    or time.monotonic() - last_cp >= self._checkpoint_interval
                ):
                    self.checkpoint()
                    last_cp = time.monotonic()
            except Exception as e:  # keep the worker alive; the request event is already safe
                log.exception("rag_audit background worker")
                self.worker_errors.append(f"{type(e).__name__}: {e}")
            finally:
                if item is not None:
                    self._queue.task_done()

    def _evaluate(self, record_id: str, answer: str, chunks: Sequence[Chunk]) -> None:
        pending = self._sink_pending.pop(record_id, None)
        try:
            self._write_evaluation(record_id, answer, chunks, pending)
        finally:
            if pending is not None:  # the request is durable even if its evaluation is not
                self._to_sinks(pending)

    def _write_evaluation(
        self, record_id: str, answer: str, chunks: Sequence[Chunk], pending: AuditRecord | None
    ) -> None:
        try:
            scorer = self._get_scorer()
            result = scorer.score(answer, chunks).to_dict()
        except Exception as e:
            log.exception("faithfulness scoring failed for %s", record_id)
            result = {
                "score": None,
                "error": f"{type(e).__name__}: {e}",
                "scorer": getattr(self._scorer, "name", None),
            }
        body = evaluation_body(record_id, result)
        if self.redactor is not None:
            self.redactor.redact_evaluation(body)
        if self.sealer is not None:
            self.sealer.seal_linked(body, self.store)
        self.store.append([canonical_bytes(body)])
        if pending is not None:
            pending.faithfulness = body["rag_audit.faithfulness"]
        self._count(1)

    def _to_sinks(self, rec: AuditRecord) -> None:
        """Give a durably written record to each sink; a failure is logged and counted."""
        for sink in self.sinks:
            try:
                sink(rec)
            except Exception as e:
                msg = f"sink {sink!r} failed on record {rec.record_id}: {type(e).__name__}: {e}"
                log.error("rag_audit: %s (the audit log has the record)", msg)
                self.sink_errors.append(msg)

    def checkpoint(self) -> Checkpoint | None:
        """Sign and store a checkpoint over every event so far (needs ``signing_key``) and
        publish it to the witnesses; None when there is nothing new to sign."""
        if self._key is None:
            raise AuditError(
                "no signing_key: pass Auditor(..., signing_key=...) to write checkpoints"
            )
        with self._count_lock:
            self._since_checkpoint = 0
            self._checkpoint_due.clear()
        with self._sign_lock:
            self._extend_frontier()
            f = self._frontier
            if self._last_cp is not None and self._last_cp.tree_size == f.size:
                cp = None
            else:
                cp = sign_checkpoint(self._key, f.size, f.root(), self._last_hash)
                store_checkpoint(self.store, cp, f.copy())
                self._last_cp = cp
                self._unwitnessed = list(self.witnesses)
            self._publish()
        return cp

    # -- the writer's own view of the signed log ---------------------------------------------
    def _open_signed(self, adopt_unsigned: bool) -> None:
        """Find the newest checkpoint signed by our key and check the log still extends it."""
        kid, pub = key_id(self._key), self._key.public_key()
        mine = [c for c in self.store.checkpoints() if c.key_id == kid and c.verify_signature(pub)]
        witnessed: dict[int, int] = {}  # index of a readable witness -> its largest tree size
        for i, w in enumerate(self.witnesses):
            if type(w).checkpoints is Witness.checkpoints:
                continue  # write-only (a callable)
            held = (
                []
                if isinstance(w, FileWitness) and not w.path.exists()  # a new file
                else [c for c in w.checkpoints(kid) if c.verify_signature(pub)]
            )
            witnessed[i] = max((c.tree_size for c in held), default=-1)
            mine += held
        newest = max(mine, key=lambda c: c.tree_size) if mine else None
        head, _ = self.store.head()
        where = display_target(getattr(self.store, "url", None) or getattr(self.store, "path", ""))
        self._frontier, self._last_hash = MerkleFrontier(), GENESIS
        if newest is None:
            if head and not adopt_unsigned:
                raise AuditError(
                    f"the log {where} holds {head} events but no checkpoint signed by key {kid}: "
                    "it may be a forged or replaced log, so this writer refuses to sign over it. "
                    "Check it (`rag_audit verify LOG --public-key ...`) and, if you trust it, "
                    "pass adopt_unsigned=True"
                )
        else:
            if newest.tree_size > head:
                raise AuditError(
                    f"the log {where} holds {head} events but key {kid} signed a checkpoint over "
                    f"{newest.tree_size} at {newest.time}: its tail was removed (rollback) or "
                    "the log replaced; refusing to sign. Run `rag_audit verify`"
                )
            n = newest.tree_size
            last = (self.store.hashes(n, n) or [b""])[0] if n else GENESIS
            self._frontier = self._signed_frontier(newest)
            if self._frontier is None or last.hex() != newest.last_hash:
                raise AuditError(
                    f"the first {n} events of the log {where} are not the ones key {kid} signed "
                    f"at {newest.time}: the log was rewritten or replaced; refusing to sign. "
                    "Run `rag_audit verify`"
                )
            self._last_hash, self._last_cp = last, newest
            self._unwitnessed = [
                self.witnesses[i] for i, size in witnessed.items() if size < n
            ]  # sent with the next checkpoint
        self._extend_frontier()  # checks every event after the checkpoint (all, when adopting)

    def _signed_frontier(self, cp: Checkpoint) -> MerkleFrontier | None:
        """The Merkle frontier of the tree ``cp`` signs: the stored one when its root is the
        signed root (a forged frontier with that root would need a SHA-256 second preimage),
        else recomputed from the stored event hashes; None when those do not give the root."""
        stored = self.store.latest_frontier()
        if stored.size == cp.tree_size and stored.root().hex() == cp.root:
            return stored
        f = MerkleFrontier()
        f.extend(self.store.hashes(1, cp.tree_size))
        return f if f.size == cp.tree_size and f.root().hex() == cp.root else None

    def _extend_frontier(self) -> None:
        """Add the events appended since the frontier, recomputing their hashes and links."""
        f, prev, expected = self._frontier, self._last_hash, self._frontier.size + 1
        pending: list[bytes] = []
        for seq, prev_hash, h, body in self.store.iter_events(start_seq=expected):
            prev_hash, h = bytes(prev_hash), bytes(h)
            if seq != expected or prev_hash != prev or event_hash(seq, prev, body) != h:
                raise AuditError(
                    f"event {expected} of the log does not extend the chain this "
                    "writer signed (edited, inserted or deleted rows); refusing to "
                    "sign. Run `rag_audit verify`"
                )
            pending.append(h)
            prev, expected = h, expected + 1
        f.extend(pending)
        self._last_hash = prev

    def _publish(self) -> None:
        """Send the newest checkpoint to each witness that does not have it yet. A failure is
        logged and kept in worker_errors; the witness is tried again with the next checkpoint."""
        failed = []
        for w in self._unwitnessed:
            try:
                w.publish(self._last_cp)
            except Exception as e:
                msg = (
                    f"checkpoint over {self._last_cp.tree_size} events NOT published to "
                    f"{w.name}: {type(e).__name__}: {e}"
                )
                log.error("rag_audit: %s (the log keeps it; will retry)", msg)
                self.worker_errors.append(msg)
                failed.append(w)
        self._unwitnessed = failed

    def flush(self, timeout: float | None = None) -> None:
        """Wait until every queued evaluation is written."""
        if self._closed:
            return
        done = threading.Event()
        self._queue.put(done)
        if not done.wait(timeout):
            raise AuditError(f"flush timed out after {timeout}s with evaluations still queued")

    def close(self) -> None:
        """Drain the queue, write a final checkpoint, close the store. Idempotent."""
        if self._closed:
            return
        self._queue.put(_STOP)
        self._worker.join()
        self._closed = True
        try:
            if self._key is not None:
                self.checkpoint()
        finally:
            self.store.close()
            if self.sealer is not None:
                self.sealer.close()
            for w in self.witnesses:
                w.close()
            self._close_sinks()
        if self._unwitnessed:
            missing = ", ".join(w.name for w in self._unwitnessed)
            raise AuditError(
                f"the final checkpoint did not reach {missing}; the log is intact "
                "but not witnessed: once the witness is back, open an Auditor "
                "with the same key and witnesses and close it (it sends the "
                "newest checkpoint to a witness that lacks it)"
            )

    def _close_sinks(self) -> None:
        for sink in self.sinks:
            try:
                close = getattr(sink, "close", None)
                if close is not None:
                    close()
            except Exception as e:
                log.error("rag_audit: closing sink %r failed: %s", sink, type(e).__name__)
                self.sink_errors.append(f"close {sink!r}: {type(e).__name__}: {e}")

    def _check_open(self) -> None:
        if self._closed:
            raise AuditError("this Auditor is closed; create a new one to record more")

    def __enter__(self) -> Auditor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
