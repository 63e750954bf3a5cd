"""PostgreSQL back end (psycopg 3): the same chain, for many processes and hosts at once.

Each append takes a transaction-scoped advisory lock, reads the head, inserts the chained rows
and commits: writers are serialised, so sequence numbers stay gap-free and the chain valid.
Queryable columns are ``GENERATED ALWAYS ... STORED`` from the body (they cannot be written
directly), row triggers refuse UPDATE and DELETE and statement triggers refuse TRUNCATE, on
both tables. COMMIT returning is the acknowledgement.

Opening a log never runs DDL when its tables exist (``to_regclass``), so the app can connect as
a writer role holding only SELECT and INSERT (``rag_audit.store.pg_setup``). Only when both
tables are missing does an open create them, as whoever connects (the single-role case). A
writable store opened as a role that could ALTER, TRUNCATE or DROP the tables logs one
warning recommending ``rag_audit pg-setup``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from typing import Any

from ..chain import GENESIS, Checkpoint, MerkleFrontier
from ..errors import AuditError
from .base import CHECKPOINTS, EVENTS, Store, StoredEvent, chain_rows, reject_unknown, store_error
from .url import mask_url, scrub

log = logging.getLogger(__name__)
_LOCK_KEY = 0x72616761  # "raga": the advisory lock that serialises appends and schema creation
_OPTIONS = ("readonly",)
_warned: set = set()  # (masked URL, role) already warned about, once per process

SCHEMA = f"""
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
"""

# The append-only triggers; (re)installing them also re-enables them. Run after _SCHEMA.
TRIGGERS = """
CREATE OR REPLACE FUNCTION rag_audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'rag_audit tables are append-only: % refused on %', TG_OP, TG_TABLE_NAME; END $$;
""" + "".join(
    f"""
DROP TRIGGER IF EXISTS {t}_append_only ON {t};
CREATE TRIGGER {t}_append_only BEFORE UPDATE OR DELETE ON {t}
    FOR EACH ROW EXECUTE FUNCTION rag_audit_refuse();
DROP TRIGGER IF EXISTS {t}_no_truncate ON {t};
CREATE TRIGGER {t}_no_truncate BEFORE TRUNCATE ON {t}
    FOR EACH STATEMENT EXECUTE FUNCTION rag_audit_refuse();
"""
    for t in (EVENTS, CHECKPOINTS)
)


def _kind(e: Exception) -> str:
    """How store_error should explain a psycopg error."""
    from psycopg import errors

    if isinstance(e, errors.UndefinedTable):
        return "missing"
    if isinstance(e, errors.InsufficientPrivilege):
        return "privilege"
    if isinstance(e, errors.IntegrityError):
        return "integrity"
    if isinstance(e, errors.OperationalError):
        return "unavailable"
    return "other"


class PostgresStore(Store):
    """The audit chain in PostgreSQL tables ``rag_audit_events`` / ``rag_audit_checkpoints``.

    ``readonly=True`` opens an existing log for reading only; otherwise a missing log is created
    (both tables), and a log that lost one of its tables is refused."""

    def __init__(self, url: str, *, readonly: bool = False, **options: Any) -> None:
        reject_unknown("PostgreSQL", options, _OPTIONS)
        import psycopg

        self._psycopg = psycopg
        self._lock = threading.Lock()
        self.url = url
        self.where = repr(mask_url(url))
        self._conn = self._connect(autocommit=True)
        try:
            have = self._tables()
            if readonly:
                if EVENTS not in have:
                    raise AuditError(
                        f"no rag_audit log in {self.where} (table {EVENTS} does "
                        "not exist); check the URL and the database name"
                    )
            else:
                if len(have) < 2:
                    self._create_schema()
                self._warn_if_powerful()
        except BaseException:
            self._conn.close()
            raise

    # -- opening -----------------------------------------------------------------------------
    def _connect(self, **kwargs: Any):
        try:
            return self._psycopg.connect(self.url, **kwargs)
        except self._psycopg.Error as e:
            raise AuditError(
                f"cannot connect to PostgreSQL at {self.where} "
                f"({scrub(e, self.url)}); check the URL "
                "postgresql://user@host:port/db and that the server runs"
            ) from None

    def _error(self, action: str, e: Exception) -> AuditError:
        return store_error(action, self.where, scrub(e, self.url), _kind(e))

    def _tables(self) -> set:
        """Which of the two tables exist (resolved on the search path, no DDL)."""
        row = self._query(
            "SELECT to_regclass(?)::text, to_regclass(?)::text", (EVENTS, CHECKPOINTS)
        )
        return {t for t, found in zip((EVENTS, CHECKPOINTS), row[0]) if found is not None}

    def _create_schema(self) -> None:
        """Create both tables and their triggers, as the connecting role, unless another
        process just did; refuse a log that has only one of its two tables."""
        with self._lock:
            try:
                with self._conn.transaction():
                    c = self._conn
                    c.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
                    row = c.execute(
                        "SELECT to_regclass(%s), to_regclass(%s)", (EVENTS, CHECKPOINTS)
                    ).fetchone()
                    if None not in row:
                        return
                    if row != (None, None):
                        missing = EVENTS if row[0] is None else CHECKPOINTS
                        raise store_error(
                            "open",
                            self.where,
                            f"table {missing} does not exist while the other table does",
                            "missing",
                        )
                    c.execute(SCHEMA)
                    c.execute(TRIGGERS)
            except self._psycopg.errors.InsufficientPrivilege as e:
                raise AuditError(
                    f"no rag_audit log in {self.where} and this role may not "
                    f"create one ({scrub(e, self.url)}); create it first with "
                    "`rag_audit pg-setup` as a superuser"
                ) from None
            except self._psycopg.Error as e:
                raise self._error("create", e) from None

    def _warn_if_powerful(self) -> None:
        """One warning per process and role when this role could rewrite or drop the log."""
        row = self._query(
            "SELECT current_user, bool_or(r.rolsuper), "
            "bool_or(pg_has_role(current_user, c.relowner, 'MEMBER')), "
            "bool_or(has_table_privilege(c.oid, 'UPDATE, DELETE, TRUNCATE')) "
            "FROM pg_roles r, pg_class c WHERE r.rolname = current_user "
            "AND c.oid IN (to_regclass(?), to_regclass(?))",
            (EVENTS, CHECKPOINTS),
        )
        role, superuser, owner, more = row[0]
        if not (superuser or owner or more) or (mask_url(self.url), role) in _warned:
            return
        _warned.add((mask_url(self.url), role))
        what = (
            "a superuser"
            if superuser
            else "the tables' owner"
            if owner
            else "allowed to UPDATE, DELETE or TRUNCATE them"
        )
        log.warning(
            "rag_audit: the PostgreSQL role %r writing the audit log %s is %s, so it "
            "could alter or drop the log; run `rag_audit pg-setup` and connect the app "
            "as the writer role (INSERT and SELECT only)",
            role,
            self.where,
            what,
        )

    # -- the Store interface -----------------------------------------------------------------
    def append(self, bodies: Sequence[bytes]) -> list[tuple[int, bytes]]:
        if not bodies:
            return []
        with self._lock:
            c = self._conn
            try:
                with c.transaction():
                    c.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
                    row = c.execute(
                        f"SELECT seq, hash FROM {EVENTS} ORDER BY seq DESC LIMIT 1"
                    ).fetchone()
                    rows = chain_rows(
                        bodies, row[0] if row else 0, bytes(row[1]) if row else GENESIS
                    )
                    with c.cursor() as cur:
                        cur.executemany(
                            f"INSERT INTO {EVENTS} (seq, prev_hash, hash, body) "
                            "VALUES (%s, %s, %s, %s)",
                            rows,
                        )
            except self._psycopg.Error as e:
                raise self._error("append to", e) from None
        return [(r[0], r[2]) for r in rows]

    def check_can_append(self) -> None:
        """Raise AuditError unless this role may insert events (a zero-row INSERT: the
        privilege is checked, nothing is written)."""
        with self._lock:
            c = self._conn
            try:
                with c.transaction():
                    c.execute(
                        f"INSERT INTO {EVENTS} (seq, prev_hash, hash, body) "
                        "SELECT NULL, NULL, NULL, NULL WHERE false"
                    )
            except self._psycopg.Error as e:
                raise self._error("append to", e) from None

    @staticmethod
    def _hint(index: str) -> str:
        """No index hints on PostgreSQL (its planner has statistics)."""
        return ""

    @staticmethod
    def _json(alias: str, *keys: str, number: bool = False) -> str:
        """SQL for a value inside ``alias``'s stored body (``store.pages``' filters)."""
        *path, last = keys
        expr = f"{alias}.body::jsonb" + "".join(f" -> '{k}'" for k in path) + f" ->> '{last}'"
        return f"({expr})::double precision" if number else f"({expr})"

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        with self._lock:
            try:
                return self._conn.execute(sql.replace("?", "%s"), tuple(params)).fetchall()
            except self._psycopg.Error as e:
                raise self._error("read", e) from None

    def iter_events(self, start_seq: int = 1, batch: int = 5000) -> Iterator[StoredEvent]:
        conn = self._connect()
        try:
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")  # one snapshot
            with conn.cursor(name="rag_audit_verify") as cur:
                cur.itersize = batch
                cur.execute(
                    f"SELECT seq, prev_hash, hash, convert_to(body, 'UTF8') FROM {EVENTS} "
                    "WHERE seq >= %s ORDER BY seq",
                    (start_seq,),
                )
                for seq, prev, h, body in cur:
                    yield StoredEvent(seq, bytes(prev), bytes(h), bytes(body))
        except self._psycopg.Error as e:
            raise self._error("read", e) from None
        finally:
            conn.close()

    def _insert_checkpoint(self, cp: Checkpoint, frontier: MerkleFrontier) -> None:
        with self._lock:
            try:
                self._conn.execute(
                    f"INSERT INTO {CHECKPOINTS} (tree_size, body, frontier) "
                    "VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                    (cp.tree_size, cp.to_json(), frontier.to_json()),
                )
            except self._psycopg.Error as e:
                raise self._error("append a checkpoint to", e) from None

    def close(self) -> None:
        with self._lock:
            self._conn.close()
