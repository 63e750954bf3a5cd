"""PostgreSQL back end (psycopg 3): the same chain, for many processes and hosts at once.

Each append takes a transaction-scoped advisory lock, reads the head, inserts the chained rows
and commits: writers are serialised, so sequence numbers stay gap-free and the chain valid.
Queryable columns are ``GENERATED ALWAYS ... STORED`` from the body (they cannot be written
directly) and triggers refuse UPDATE and DELETE. COMMIT returning is the acknowledgement.
"""

from __future__ import annotations

import threading
from typing import Any, Iterator, Sequence

from ..chain import GENESIS, Checkpoint, MerkleFrontier
from ..errors import AuditError
from .base import CHECKPOINTS, EVENTS, Store, StoredEvent, chain_rows

_LOCK_KEY = 0x72616761  # "raga": the advisory lock that serialises appends

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {EVENTS} (
    seq BIGINT PRIMARY KEY,
    prev_hash BYTEA NOT NULL,
    hash BYTEA NOT NULL,
    body TEXT NOT NULL,
    kind TEXT GENERATED ALWAYS AS (body::jsonb ->> 'event.kind') STORED,
    record_id TEXT GENERATED ALWAYS AS (body::jsonb ->> 'record.id') STORED,
    ts TEXT GENERATED ALWAYS AS (body::jsonb ->> 'time.start') STORED,
    user_id TEXT GENERATED ALWAYS AS (body::jsonb ->> 'user.id') STORED,
    faithfulness DOUBLE PRECISION GENERATED ALWAYS AS
        ((body::jsonb -> 'rag_audit.faithfulness' ->> 'score')::double precision) STORED,
    watermark_applied BOOLEAN GENERATED ALWAYS AS
        ((body::jsonb -> 'rag_audit.watermark' ->> 'applied')::boolean) STORED
);
CREATE INDEX IF NOT EXISTS {EVENTS}_record ON {EVENTS}(record_id);
CREATE INDEX IF NOT EXISTS {EVENTS}_kind_ts ON {EVENTS}(kind, ts);
CREATE INDEX IF NOT EXISTS {EVENTS}_user ON {EVENTS}(user_id);
CREATE TABLE IF NOT EXISTS {CHECKPOINTS} (
    tree_size BIGINT PRIMARY KEY,
    body TEXT NOT NULL,
    frontier TEXT NOT NULL
);
CREATE OR REPLACE FUNCTION rag_audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'rag_audit tables are append-only: % refused on %', TG_OP, TG_TABLE_NAME; END $$;
DROP TRIGGER IF EXISTS {EVENTS}_append_only ON {EVENTS};
CREATE TRIGGER {EVENTS}_append_only BEFORE UPDATE OR DELETE ON {EVENTS}
    FOR EACH ROW EXECUTE FUNCTION rag_audit_refuse();
DROP TRIGGER IF EXISTS {EVENTS}_no_truncate ON {EVENTS};
CREATE TRIGGER {EVENTS}_no_truncate BEFORE TRUNCATE ON {EVENTS}
    FOR EACH STATEMENT EXECUTE FUNCTION rag_audit_refuse();
DROP TRIGGER IF EXISTS {CHECKPOINTS}_append_only ON {CHECKPOINTS};
CREATE TRIGGER {CHECKPOINTS}_append_only BEFORE UPDATE OR DELETE ON {CHECKPOINTS}
    FOR EACH ROW EXECUTE FUNCTION rag_audit_refuse();
"""


class PostgresStore(Store):
    """The audit chain in PostgreSQL tables ``rag_audit_events`` / ``rag_audit_checkpoints``."""

    def __init__(self, url: str, *, readonly: bool = False, **_: Any) -> None:
        import psycopg

        self._psycopg = psycopg
        self._lock = threading.Lock()
        self.url = url
        try:
            self._conn = psycopg.connect(url, autocommit=True)
        except psycopg.Error as e:
            raise AuditError(f"cannot connect to PostgreSQL ({str(e).strip()}); check the URL "
                             "postgresql://user@host:port/db and that the server runs") from None
        if not readonly:
            with self._lock, self._conn.transaction():
                self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
                self._conn.execute(_SCHEMA)
        else:
            exists = self._conn.execute("SELECT to_regclass(%s)", (EVENTS,)).fetchone()[0]
            if exists is None:
                raise AuditError(f"no rag_audit log in {_masked(url)!r} (table {EVENTS} does not exist)")

    def append(self, bodies: Sequence[bytes]) -> list[tuple[int, bytes]]:
        if not bodies:
            return []
        with self._lock:
            c = self._conn
            try:
                with c.transaction():
                    c.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
                    row = c.execute(f"SELECT seq, hash FROM {EVENTS} ORDER BY seq DESC LIMIT 1").fetchone()
                    rows = chain_rows(bodies, row[0] if row else 0, bytes(row[1]) if row else GENESIS)
                    with c.cursor() as cur:
                        cur.executemany(f"INSERT INTO {EVENTS} (seq, prev_hash, hash, body) "
                                        "VALUES (%s, %s, %s, %s)", rows)
            except self._psycopg.OperationalError as e:
                raise AuditError(f"PostgreSQL append failed ({str(e).strip()}); the events were "
                                 "not written") from None
        return [(r[0], r[2]) for r in rows]

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        with self._lock:
            return self._conn.execute(sql.replace("?", "%s"), tuple(params)).fetchall()

    def iter_events(self, start_seq: int = 1, batch: int = 5000) -> Iterator[StoredEvent]:
        conn = self._psycopg.connect(self.url)
        try:
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")  # one snapshot
            with conn.cursor(name="rag_audit_verify") as cur:
                cur.itersize = batch
                cur.execute(f"SELECT seq, prev_hash, hash, convert_to(body, 'UTF8') FROM {EVENTS} "
                            "WHERE seq >= %s ORDER BY seq", (start_seq,))
                for seq, prev, h, body in cur:
                    yield StoredEvent(seq, bytes(prev), bytes(h), bytes(body))
        finally:
            conn.close()

    def _insert_checkpoint(self, cp: Checkpoint, frontier: MerkleFrontier) -> None:
        with self._lock:
            self._conn.execute(f"INSERT INTO {CHECKPOINTS} (tree_size, body, frontier) "
                               "VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                               (cp.tree_size, cp.to_json(), frontier.to_json()))

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def _masked(url: str) -> str:
    """The URL with any password replaced by ***, for messages."""
    import re

    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)
