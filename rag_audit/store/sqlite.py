"""SQLite back end: one file in WAL mode, append-only by trigger, safe for many processes.

Appends run in ``BEGIN IMMEDIATE`` transactions (one writer at a time across processes, the
others wait up to ``busy_timeout``), read the head inside the transaction and chain after it,
so sequence numbers stay gap-free and the chain valid whoever writes. A commit returns once
the transaction is in the WAL file: it survives a crash of the process (``kill -9``). With
``durability="full"`` (``synchronous=FULL``) it also survives power loss, at the cost of an
fsync per append.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ..chain import GENESIS, Checkpoint, MerkleFrontier
from ..errors import AuditError
from .base import CHECKPOINTS, EVENTS, Store, StoredEvent, chain_rows, reject_unknown, store_error

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {EVENTS} (
    seq INTEGER PRIMARY KEY,
    prev_hash BLOB NOT NULL,
    hash BLOB NOT NULL,
    body TEXT NOT NULL,
    kind TEXT GENERATED ALWAYS AS (json_extract(body, '$."event.kind"')) VIRTUAL,
    record_id TEXT GENERATED ALWAYS AS (json_extract(body, '$."record.id"')) VIRTUAL,
    ts TEXT GENERATED ALWAYS AS (json_extract(body, '$."time.start"')) VIRTUAL,
    user_id TEXT GENERATED ALWAYS AS (json_extract(body, '$."user.id"')) VIRTUAL,
    faithfulness REAL GENERATED ALWAYS AS
        (json_extract(body, '$."rag_audit.faithfulness".score')) VIRTUAL,
    watermark_applied INTEGER GENERATED ALWAYS AS
        (json_extract(body, '$."rag_audit.watermark".applied')) VIRTUAL
);
CREATE INDEX IF NOT EXISTS {EVENTS}_record ON {EVENTS}(record_id);
CREATE INDEX IF NOT EXISTS {EVENTS}_kind_ts ON {EVENTS}(kind, ts);
CREATE INDEX IF NOT EXISTS {EVENTS}_user ON {EVENTS}(user_id);
CREATE INDEX IF NOT EXISTS {EVENTS}_kind_faith ON {EVENTS}(kind, faithfulness);
CREATE INDEX IF NOT EXISTS {EVENTS}_kind_ts_record ON {EVENTS}(kind, ts, record_id);
CREATE INDEX IF NOT EXISTS {EVENTS}_record_kind_faith ON {EVENTS}(record_id, kind, faithfulness);
CREATE INDEX IF NOT EXISTS {EVENTS}_contradicted ON {EVENTS}(record_id) WHERE kind = 'evaluation'
    AND json_extract(body, '$."rag_audit.faithfulness"."verdicts"."contradicted"') > 0;
CREATE TABLE IF NOT EXISTS {CHECKPOINTS} (
    tree_size INTEGER PRIMARY KEY,
    body TEXT NOT NULL,
    frontier TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS {EVENTS}_no_update BEFORE UPDATE ON {EVENTS}
BEGIN SELECT RAISE(ABORT, 'rag_audit events are append-only: UPDATE refused'); END;
CREATE TRIGGER IF NOT EXISTS {EVENTS}_no_delete BEFORE DELETE ON {EVENTS}
BEGIN SELECT RAISE(ABORT, 'rag_audit events are append-only: DELETE refused'); END;
CREATE TRIGGER IF NOT EXISTS {CHECKPOINTS}_no_update BEFORE UPDATE ON {CHECKPOINTS}
BEGIN SELECT RAISE(ABORT, 'rag_audit checkpoints are append-only: UPDATE refused'); END;
CREATE TRIGGER IF NOT EXISTS {CHECKPOINTS}_no_delete BEFORE DELETE ON {CHECKPOINTS}
BEGIN SELECT RAISE(ABORT, 'rag_audit checkpoints are append-only: DELETE refused'); END;
"""

_DURABILITY = {"normal": "NORMAL", "full": "FULL"}
_OPTIONS = ("durability", "busy_timeout_s", "readonly")


def _kind(e: sqlite3.Error) -> str:
    """How store_error should explain a sqlite3 error."""
    text = str(e).lower()
    if "no such table" in text:
        return "missing"
    if isinstance(e, sqlite3.IntegrityError):
        return "integrity"
    if isinstance(e, sqlite3.OperationalError):
        return "unavailable"  # locked, read-only file, disk I/O, disk full
    return "other"


class SqliteStore(Store):
    """The default store: one SQLite file. Thread-safe (one connection behind a lock)."""

    def __init__(
        self,
        path: str | os.PathLike,
        *,
        durability: str = "normal",
        busy_timeout_s: float = 60.0,
        readonly: bool = False,
        **options: Any,
    ) -> None:
        reject_unknown("SQLite", options, _OPTIONS)
        if durability not in _DURABILITY:
            raise AuditError(f"durability={durability!r} is not one of {sorted(_DURABILITY)}")
        self.path = Path(path)
        if readonly and not self.path.exists():
            raise AuditError(f"audit log {str(self.path)!r} does not exist; check the path")
        if not readonly and not self.path.parent.exists():
            raise AuditError(f"directory {str(self.path.parent)!r} does not exist; create it first")
        self._lock = threading.Lock()
        try:
            self._conn = sqlite3.connect(
                str(self.path),
                timeout=busy_timeout_s,
                isolation_level=None,
                check_same_thread=False,
            )
            self._conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
            if not readonly:
                self._conn.execute("PRAGMA page_size = 16384")  # bodies of ~6 KB fit one page
                if self._conn.execute("PRAGMA journal_mode = WAL").fetchone()[0] != "wal":
                    raise AuditError(
                        f"cannot switch {str(self.path)!r} to WAL mode; use a local file system"
                    )
                self._conn.execute(f"PRAGMA synchronous = {_DURABILITY[durability]}")
                self._with_write(self._create_schema)
            elif (
                self._conn.execute(
                    "SELECT 1 FROM sqlite_master WHERE name = ?", (EVENTS,)
                ).fetchone()
                is None
            ):
                raise AuditError(
                    f"{str(self.path)!r} is not a rag_audit log (no {EVENTS} table); check the path"
                )
        except sqlite3.DatabaseError as e:
            raise AuditError(f"cannot open SQLite audit log {str(self.path)!r}: {e}") from None

    def _with_write(self, fn):
        with self._lock:
            return fn(self._conn)

    def _create_schema(self, c: sqlite3.Connection) -> None:
        """Create the tables of a new log (and re-add dropped triggers); refuse a log that lost
        one of its tables rather than recreate it empty and hide what happened."""
        have = {
            r[0]
            for r in c.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN (?, ?)",
                (EVENTS, CHECKPOINTS),
            )
        }
        if len(have) == 1:
            missing = ({EVENTS, CHECKPOINTS} - have).pop()
            raise store_error("open", repr(str(self.path)), f"no table {missing}", "missing")
        c.executescript("BEGIN IMMEDIATE;" + _SCHEMA + "COMMIT;")  # IF NOT EXISTS: idempotent

    def _error(self, action: str, e: sqlite3.Error) -> AuditError:
        return store_error(action, repr(str(self.path)), e, _kind(e))

    def append(self, bodies: Sequence[bytes]) -> list[tuple[int, bytes]]:
        if not bodies:
            return []
        with self._lock:
            c = self._conn
            try:
                c.execute("BEGIN IMMEDIATE")
                row = c.execute(
                    f"SELECT seq, hash FROM {EVENTS} ORDER BY seq DESC LIMIT 1"
                ).fetchone()
                rows = chain_rows(bodies, row[0] if row else 0, row[1] if row else GENESIS)
                c.executemany(
                    f"INSERT INTO {EVENTS} (seq, prev_hash, hash, body) VALUES (?, ?, ?, ?)", rows
                )
                c.execute("COMMIT")
            except BaseException as e:
                if c.in_transaction:
                    c.execute("ROLLBACK")
                if isinstance(e, sqlite3.Error):
                    raise self._error("append to", e) from None
                raise
        return [(r[0], r[2]) for r in rows]

    def check_can_append(self) -> None:
        """Raise AuditError unless this connection may write (takes and releases the write
        lock; nothing is written)."""
        with self._lock:
            c = self._conn
            try:
                c.execute("BEGIN IMMEDIATE")
                c.execute("ROLLBACK")
            except sqlite3.Error as e:
                if c.in_transaction:
                    c.execute("ROLLBACK")
                raise self._error("append to", e) from None

    def _hint(self, index: str) -> str:
        """``INDEXED BY index`` when the log has that index (``store.pages``: without
        statistics SQLite may pick a shorter index that does not cover the query)."""
        if getattr(self, "_indexes", None) is None:
            rows = self._query("SELECT name FROM sqlite_master WHERE type = 'index'")
            self._indexes = {r[0] for r in rows}
        return f"INDEXED BY {index}" if index in self._indexes else ""

    @staticmethod
    def _json(alias: str, *keys: str, number: bool = False) -> str:
        """SQL for a value inside ``alias``'s stored body (``store.pages``' filters)."""
        path = "$" + "".join(f'."{k}"' for k in keys)
        return f"json_extract({alias}.body, '{path}')"

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        with self._lock:
            try:
                return self._conn.execute(sql, params).fetchall()
            except sqlite3.Error as e:
                raise self._error("read", e) from None

    def iter_events(self, start_seq: int = 1, batch: int = 5000) -> Iterator[StoredEvent]:
        # A separate connection: one consistent snapshot, no lock held while the caller works.
        try:
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        except sqlite3.Error as e:
            raise self._error("read", e) from None
        try:
            yield from self._iter_rows(conn, start_seq, batch)
        except sqlite3.Error as e:
            raise self._error("read", e) from None
        finally:
            conn.close()

    @staticmethod
    def _iter_rows(conn: sqlite3.Connection, start_seq: int, batch: int) -> Iterator[StoredEvent]:
        conn.text_factory = bytes  # the hashed bytes exactly as stored, no decoding
        conn.execute("PRAGMA mmap_size = 1073741824")  # reads without a syscall per page
        cur = conn.execute("BEGIN")
        cur = conn.execute(
            f"SELECT seq, prev_hash, hash, body FROM {EVENTS} WHERE seq >= ? ORDER BY seq",
            (start_seq,),
        )
        while True:
            rows = cur.fetchmany(batch)
            if not rows:
                break
            for seq, prev, h, body in rows:
                yield StoredEvent(seq, prev, h, body)

    def _insert_checkpoint(self, cp: Checkpoint, frontier: MerkleFrontier) -> None:
        with self._lock:
            try:
                self._conn.execute(
                    f"INSERT OR IGNORE INTO {CHECKPOINTS} (tree_size, body, "
                    "frontier) VALUES (?, ?, ?)",
                    (cp.tree_size, cp.to_json(), frontier.to_json()),
                )
            except sqlite3.Error as e:
                raise self._error("append a checkpoint to", e) from None

    def close(self) -> None:
        with self._lock:
            try:
                self._conn.close()
            except sqlite3.Error:  # pragma: no cover
                pass
