"""The Store interface: an append-only, hash-chained event table plus signed checkpoints.

Rows are ``(seq, prev_hash, hash, body)``: ``body`` is the canonical JSON text of the event and
every other indexed column (kind, record id, time, user id, faithfulness score, watermark flag)
is a *generated* column computed by the database from ``body``, so an attacker cannot change a
filterable value without changing the hashed bytes. Both back ends run the same SQL, written
with ``?`` placeholders; this class holds everything that does not depend on the database.
"""

from __future__ import annotations

import abc
import json
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

from ..chain import GENESIS, Checkpoint, MerkleFrontier, event_hash
from ..errors import AuditError
from ..record import AuditRecord

EVENTS = "rag_audit_events"
CHECKPOINTS = "rag_audit_checkpoints"

# What a database error means for the user and what to do about it, by kind (see store_error).
_ADVICE = {
    "missing": "a table of the log is missing (dropped or renamed); restore it from a backup - "
    "until then the log can be neither written, read nor verified",
    "privilege": "this database role lacks the right: append as the writer role and read as the "
    "reader role that `rag_audit pg-setup` creates",
    "integrity": "rows were added behind the store's back; nothing was written - run "
    "`rag_audit verify` on the log",
    "unavailable": "check that the database is reachable and writable, then retry",
    "other": "check the log with `rag_audit verify`",
}


def store_error(action: str, where: str, detail: object, kind: str) -> AuditError:
    """A one-line AuditError for a database error while doing ``action`` (e.g. "append to") on
    the log named ``where`` (already masked): the driver's text, then what to do about it."""
    text = " ".join(str(detail).split()) or type(detail).__name__
    return AuditError(f"cannot {action} the audit log {where}: {text}; {_ADVICE[kind]}")


def reject_unknown(backend: str, options: dict, known: Sequence[str]) -> None:
    """Raise AuditError naming the first option a store does not take (a typo, usually)."""
    if options:
        name = sorted(options)[0]
        raise AuditError(
            f"unknown {backend} store option {name!r}; the options are "
            f"{', '.join(known)} - check the spelling"
        )


class StoredEvent(NamedTuple):
    """One row of the chain: position, predecessor hash, own hash (raw bytes) and body bytes."""

    seq: int
    prev_hash: bytes
    hash: bytes
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body)


def chain_rows(bodies: Sequence[bytes], head_seq: int, head_hash: bytes) -> list[tuple]:
    """Rows (seq, prev_hash, hash, body text) that continue the chain after the given head."""
    rows, seq, prev = [], head_seq, head_hash
    for body in bodies:
        seq += 1
        h = event_hash(seq, prev, body)
        rows.append((seq, prev, h, body.decode("utf-8")))
        prev = h
    return rows


class Store(abc.ABC):
    """Append events atomically with chaining; read them back in order, filtered or by id."""

    keystore: Any = None  # a rag_audit.erasure.KeyStore: readers decrypt per-subject fields

    # -- what a back end provides ------------------------------------------------------------
    @abc.abstractmethod
    def append(self, bodies: Sequence[bytes]) -> list[tuple[int, bytes]]:
        """Append canonical event bodies in one transaction, chained after the current head.
        Returns ``(seq, hash)`` per body. When it returns, the events are committed."""

    @abc.abstractmethod
    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        """Run a read query written with ``?`` placeholders; all rows."""

    @abc.abstractmethod
    def iter_events(self, start_seq: int = 1, batch: int = 5000) -> Iterator[StoredEvent]:
        """Every event from ``start_seq`` on, in sequence order (used by verification)."""

    @abc.abstractmethod
    def _insert_checkpoint(self, cp: Checkpoint, frontier: MerkleFrontier) -> None:
        """Store a checkpoint (ignored if one of the same tree size exists)."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release connections. Everything appended is already durable."""

    # -- shared logic ------------------------------------------------------------------------
    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def head(self) -> tuple[int, bytes]:
        """``(seq, hash)`` of the last event, ``(0, GENESIS)`` when empty."""
        rows = self._query(f"SELECT seq, hash FROM {EVENTS} ORDER BY seq DESC LIMIT 1")
        return (rows[0][0], bytes(rows[0][1])) if rows else (0, GENESIS)

    def event_count(self) -> int:
        """Number of events of any kind."""
        return self._query(f"SELECT COUNT(*) FROM {EVENTS}")[0][0]

    def hashes(self, start_seq: int, end_seq: int) -> list[bytes]:
        """Event hashes for seq in [start_seq, end_seq], in order."""
        rows = self._query(
            f"SELECT hash FROM {EVENTS} WHERE seq >= ? AND seq <= ? ORDER BY seq",
            (start_seq, end_seq),
        )
        return [bytes(r[0]) for r in rows]

    def checkpoints(self) -> list[Checkpoint]:
        """All stored checkpoints, smallest tree first."""
        rows = self._query(f"SELECT body FROM {CHECKPOINTS} ORDER BY tree_size")
        return [Checkpoint.from_json(r[0]) for r in rows]

    def latest_frontier(self) -> MerkleFrontier:
        """Merkle frontier saved with the largest checkpoint (empty if none)."""
        rows = self._query(f"SELECT frontier FROM {CHECKPOINTS} ORDER BY tree_size DESC LIMIT 1")
        return MerkleFrontier.from_json(rows[0][0]) if rows else MerkleFrontier()

    def make_checkpoint(self, private_key: Any) -> Checkpoint | None:
        """Sign a checkpoint over every event so far and store it; None if nothing new."""
        from ..chain import sign_checkpoint

        frontier = self.latest_frontier()
        head_seq, head_hash = self.head()
        if head_seq == frontier.size:
            return None
        for h in self.hashes(frontier.size + 1, head_seq):
            frontier.add(h)
        if frontier.size != head_seq:
            raise AuditError(f"the event table has gaps below seq {head_seq}; run verify_log")
        cp = sign_checkpoint(private_key, frontier.size, frontier.root(), head_hash)
        self._insert_checkpoint(cp, frontier)
        return cp

    # -- records -----------------------------------------------------------------------------
    def get(self, record_id: str) -> AuditRecord | None:
        """The record with this id, merged with its evaluation and overrides; None if absent."""
        rows = self._query(
            f"SELECT seq, prev_hash, hash, body FROM {EVENTS} WHERE record_id = ? ORDER BY seq",
            (record_id,),
        )
        return next(iter(self._merge(rows)), None)

    def records(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        user_id: str | None = None,
        faithfulness_below: float | None = None,
        watermark_missing: bool = False,
        limit: int | None = None,
        batch: int = 500,
    ) -> Iterator[AuditRecord]:
        """Records in sequence order, filtered: start time in [since, until) (ISO 8601 UTC text),
        user id, faithfulness score below a value (records with an evaluation only), watermark
        not applied or not recorded. Each is merged with its evaluation and overrides."""
        where, params = self._filters(since, until, user_id, faithfulness_below, watermark_missing)
        after, left = 0, limit
        while left is None or left > 0:
            n = batch if left is None else min(batch, left)
            rows = self._query(
                f"SELECT seq FROM {EVENTS} r WHERE {where} AND r.seq > ? ORDER BY r.seq LIMIT ?",
                (*params, after, n),
            )
            if not rows:
                return
            seqs = [r[0] for r in rows]
            yield from self._records_for(seqs)
            after = seqs[-1]
            if left is not None:
                left -= len(seqs)
            if len(seqs) < n:
                return

    def count(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        user_id: str | None = None,
        faithfulness_below: float | None = None,
        watermark_missing: bool = False,
    ) -> int:
        """Number of records (request events) matching the same filters as ``records``."""
        where, params = self._filters(since, until, user_id, faithfulness_below, watermark_missing)
        return self._query(f"SELECT COUNT(*) FROM {EVENTS} r WHERE {where}", params)[0][0]

    def check_can_append(self) -> None:
        """Raise AuditError unless this store can append events; checked before an
        irreversible step that must be logged (``rag_audit erase`` / ``prune``)."""
        raise NotImplementedError

    def erasures(self) -> list[dict]:
        """Every erasure event (``rag_audit erase`` / ``prune``) in chain order, as
        ``record.erasure_view`` dicts: when, what, which pseudonym, how many keys, who, why."""
        from ..record import erasure_view

        rows = self._query(f"SELECT seq, body FROM {EVENTS} WHERE kind = 'erasure' ORDER BY seq")
        return [erasure_view(json.loads(body), seq) for seq, body in rows]

    def labelled_overrides(self) -> list[dict]:
        """Every override joined to the record it judges, as flat dicts for retraining:
        record_id, query, answer, chunks [{id, source, text}], faithfulness, user_id, model,
        model_version, decision, reviewer, reason, correction, override_time, override_seq."""
        rows = self._query(f"SELECT DISTINCT record_id FROM {EVENTS} WHERE kind = 'override'")
        out = []
        for rec in sorted((self.get(r[0]) for r in rows), key=lambda r: r.seq if r else 0):
            if rec is None:
                continue
            for ov in rec.overrides:
                out.append(
                    {
                        "record_id": rec.record_id,
                        "query": rec.query,
                        "answer": rec.answer,
                        "chunks": [
                            {"id": c.id, "source": c.source, "text": c.text} for c in rec.chunks
                        ],
                        "faithfulness": rec.faithfulness_score,
                        "user_id": rec.user_id,
                        "model": rec.model,
                        "model_version": rec.model_version,
                        "decision": ov["decision"],
                        "reviewer": ov["reviewer"],
                        "reason": ov["reason"],
                        "correction": ov["correction"],
                        "override_time": ov["time"],
                        "override_seq": ov["seq"],
                    }
                )
        return sorted(out, key=lambda d: d["override_seq"])

    # -- helpers -----------------------------------------------------------------------------
    def _filters(self, since, until, user_id, faithfulness_below, watermark_missing):
        where, params = ["r.kind = 'request'"], []
        if since is not None:
            where.append("r.ts >= ?")
            params.append(since)
        if until is not None:
            where.append("r.ts < ?")
            params.append(until)
        if user_id is not None:
            where.append("r.user_id = ?")
            from ..erasure import user_filter_value

            params.append(user_filter_value(user_id, self.keystore))
        if faithfulness_below is not None:
            where.append(
                f"EXISTS (SELECT 1 FROM {EVENTS} e WHERE e.record_id = r.record_id "
                "AND e.kind = 'evaluation' AND e.faithfulness < ? AND e.seq = "
                f"(SELECT MAX(n.seq) FROM {EVENTS} n WHERE n.record_id = r.record_id "
                "AND n.kind = 'evaluation'))"
            )  # the newest evaluation (rescore)
            params.append(float(faithfulness_below))
        if watermark_missing:
            where.append("r.watermark_applied IS NOT TRUE")
        return " AND ".join(where), params

    def _records_for(self, seqs: list[int]) -> list[AuditRecord]:
        marks = ",".join("?" * len(seqs))
        rows = self._query(
            f"SELECT seq, prev_hash, hash, body FROM {EVENTS} WHERE record_id IN "
            f"(SELECT record_id FROM {EVENTS} WHERE seq IN ({marks})) ORDER BY seq",
            seqs,
        )
        return self._merge(rows)

    def _merge(self, rows: list[tuple]) -> list[AuditRecord]:
        from ..erasure import reveal

        recs: dict[str, AuditRecord] = {}
        for seq, prev, h, body in rows:
            d = reveal(json.loads(body), self.keystore)
            rid = d.get("record.id")
            if d.get("event.kind") == "request":
                recs[rid] = AuditRecord.from_body(
                    d, seq=seq, prev_hash=bytes(prev).hex(), hash=bytes(h).hex()
                )
            elif rid in recs:
                recs[rid].merge(d, seq)
        return list(recs.values())


def open_store(target: str | Store | Any, **options: Any) -> Store:
    """A Store for a SQLite path or a ``postgresql://`` URL (a Store passes through)."""
    if isinstance(target, Store):
        return target
    text = str(target)
    if text.startswith(("postgresql://", "postgres://")):
        from .postgres import PostgresStore

        return PostgresStore(text, **options)
    from .sqlite import SqliteStore

    return SqliteStore(text, **options)


# -- added for the audit-trail trust work (issue 9): a writer that computed and signed a
# checkpoint itself (from a frontier it verified, not from the stored one) stores it here.
def store_checkpoint(store: Store, cp: Checkpoint, frontier: MerkleFrontier) -> None:
    """Store a checkpoint the caller signed over ``frontier`` (ignored if that size exists)."""
    store._insert_checkpoint(cp, frontier)
