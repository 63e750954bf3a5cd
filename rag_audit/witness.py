"""Witnesses: places outside the log where each signed checkpoint is also published.

Whoever runs the log's database can delete its tail together with the checkpoints that cover it
(rollback), or swap in another database. A witness keeps copies of the checkpoints out of their
reach, and ``verify_log(..., witness=...)`` then requires the log to extend the newest witnessed
checkpoint. Three kinds:

* ``FileWitness(path)``: an append-only JSON Lines file, one checkpoint per line, fsynced;
  put it on another volume or machine (or ship it elsewhere).
* ``PostgresWitness(url)``: a table in a separate PostgreSQL database, ideally owned by a role
  the log's operator does not hold.
* ``CallableWitness(fn)`` (or any callable passed to the Auditor): ``fn(checkpoint)`` publishes
  it anywhere (a transparency log, an HTTP endpoint, a message queue); it cannot be read back.

Failure policy (see ``Auditor``): a witness that fails never loses audit records -- the
checkpoint is already in the log -- but the failure is loud: logged as an error, added to
``Auditor.worker_errors``, retried with the next checkpoint, and ``Auditor.close()`` raises
AuditError if the final checkpoint did not reach every witness.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Union

from .chain import Checkpoint
from .errors import AuditError
from .store.url import is_url, mask_url


class Witness:
    """Where signed checkpoints go. ``publish`` must not return before the checkpoint is
    durable; ``checkpoints`` reads back every checkpoint it holds for a key id."""

    name = "witness"

    def publish(self, cp: Checkpoint) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def checkpoints(self, key_id: str | None = None) -> list[Checkpoint]:
        raise AuditError(
            f"the {self.name} cannot be read back; verify against a file or PostgreSQL witness"
        )

    def latest(self, key_id: str | None = None) -> Checkpoint | None:
        """The largest checkpoint held for ``key_id`` (any key when None); None if none."""
        cps = self.checkpoints(key_id)
        return max(cps, key=lambda c: c.tree_size) if cps else None

    def close(self) -> None:
        """Release connections (nothing to do for most witnesses)."""


class FileWitness(Witness):
    """An append-only JSON Lines file of checkpoints (one ``Checkpoint.to_json()`` per line)."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path).expanduser()
        self.name = f"witness file {str(self.path)!r}"

    def publish(self, cp: Checkpoint) -> None:
        line = (cp.to_json() + "\n").encode()
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)

    def checkpoints(self, key_id: str | None = None) -> list[Checkpoint]:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            raise AuditError(
                f"the {self.name} does not exist; pass the file the Auditor publishes to"
            ) from None
        except OSError as e:
            raise AuditError(f"cannot read the {self.name}: {e.strerror}") from None
        lines = data.split(b"\n")
        if lines and lines[-1] and not data.endswith(b"\n"):
            lines = lines[:-1]  # a line torn by a crash mid-write: never acknowledged
        out = []
        for no, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                cp = Checkpoint.from_json(line)
            except AuditError:
                raise AuditError(
                    f"line {no} of the {self.name} is not a checkpoint; the file "
                    "was damaged or edited"
                ) from None
            if key_id is None or cp.key_id == key_id:
                out.append(cp)
        return out


_WITNESS_SCHEMA = """
CREATE TABLE IF NOT EXISTS {table} (
    id BIGSERIAL PRIMARY KEY,
    key_id TEXT NOT NULL,
    tree_size BIGINT NOT NULL,
    body TEXT NOT NULL,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now()
)"""


class PostgresWitness(Witness):
    """A table (default ``rag_audit_witness``) in a separate PostgreSQL database. Give the
    Auditor a role that can only INSERT and SELECT there, and keep the database's owner apart
    from the log's operator. The table is created on first use if the role may."""

    def __init__(self, url: str, *, table: str = "rag_audit_witness") -> None:
        if not table.replace("_", "").replace(".", "").isalnum():
            raise AuditError(f"table={table!r} is not a plain SQL name")
        self.url, self.table = url, table
        self.name = f"witness {mask_url(url)}"
        self._conn: Any = None

    def _connect(self):
        if self._conn is None or self._conn.closed:
            import psycopg

            try:
                self._conn = psycopg.connect(self.url, autocommit=True)
                exists = self._conn.execute("SELECT to_regclass(%s)", (self.table,)).fetchone()[0]
                if exists is None:
                    self._conn.execute(_WITNESS_SCHEMA.format(table=self.table))
            except psycopg.Error as e:
                self._conn = None
                raise AuditError(
                    f"cannot open the {self.name}: {mask_url(str(e).strip().splitlines()[0])}"
                ) from None
        return self._conn

    def publish(self, cp: Checkpoint) -> None:
        import psycopg

        try:
            self._connect().execute(
                f"INSERT INTO {self.table} (key_id, tree_size, body) VALUES (%s, %s, %s)",
                (cp.key_id, cp.tree_size, cp.to_json()),
            )
        except psycopg.Error as e:
            self.close()
            raise AuditError(
                f"cannot publish to the {self.name}: {mask_url(str(e).strip().splitlines()[0])}"
            ) from None

    def checkpoints(self, key_id: str | None = None) -> list[Checkpoint]:
        import psycopg

        sql = f"SELECT body FROM {self.table}" + (" WHERE key_id = %s" if key_id else "")
        try:
            rows = self._connect().execute(sql, (key_id,) if key_id else ()).fetchall()
        except psycopg.Error as e:
            self.close()
            raise AuditError(
                f"cannot read the {self.name}: {mask_url(str(e).strip().splitlines()[0])}"
            ) from None
        return [Checkpoint.from_json(r[0]) for r in rows]

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None


class CallableWitness(Witness):
    """Publishes by calling ``fn(checkpoint)``; cannot be read back by verify."""

    def __init__(self, fn: Callable[[Checkpoint], Any]) -> None:
        self.fn = fn
        self.name = f"witness {getattr(fn, '__name__', type(fn).__name__)}"

    def publish(self, cp: Checkpoint) -> None:
        self.fn(cp)


WitnessLike = Union[Witness, str, os.PathLike, Callable[[Checkpoint], Any]]


def open_witness(spec: WitnessLike) -> Witness:
    """A Witness from a Witness, a ``postgresql://`` URL, a file path, or a callable."""
    if isinstance(spec, Witness):
        return spec
    if isinstance(spec, (str, os.PathLike)):
        return PostgresWitness(str(spec)) if is_url(str(spec)) else FileWitness(spec)
    if callable(spec):
        return CallableWitness(spec)
    raise AuditError(f"witness {spec!r} is not a file path, postgresql:// URL, Witness or callable")
