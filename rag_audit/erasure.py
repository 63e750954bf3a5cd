"""Erasure by crypto-shredding: per-subject, per-month data keys kept apart from the log.

The audit log is append-only and hash-chained (EU AI Act Art. 12 logging), yet a data subject may
ask for erasure (GDPR Art. 17). With ``Auditor(..., keystore=KS)`` every personal field of every
event (the fields ``rag_audit.redact`` does not allow-list: query, answer, chunk ids, texts,
sources and metadata, metadata, error message, evaluation sentences and chunk ids, override
reviewer, reason and correction) is encrypted with AES-256-GCM before the event is hashed; the
stored body holds ``"[encrypted]"`` in those fields (and in each chunk's ``sha256``, which would
confirm a guessed text) and an envelope ``rag_audit.sealed`` =
``{alg, subject, month, nonce, ciphertext}``. The chain hashes the ciphertext, so destroying a key
changes no stored byte: ``verify`` still passes, and readers print ``"[erased]"``.

Keys: one random 256-bit data key per (subject, month of the request's start time), so
``erase`` destroys one user's keys and ``prune`` one month's keys. Evaluations and overrides use
the key of the request they refer to. Records without a user id belong to the subject
``anonymous`` (erased only by ``prune``).

The user id never appears in clear in the log: ``user.id`` holds the subject's *random* pseudonym
``subj-<32 hex>``. The key store maps HMAC-SHA256(pseudonym key, user id) to that pseudonym, so
``list --user U`` (given the key store) finds the subject's records, and the key store does not
hold user ids in clear either. Erasing a subject deletes that mapping and the data keys (a
tombstone row remembers that the pseudonym's keys were destroyed, so readers can say
"[erased]"); afterwards nobody, not even the key-store holder, can link the pseudonym to the user.

Reading: a store given a key store (``Store.keystore``, or process-wide ``set_reader_keystore``,
which the CLI's ``rag_audit --keystore KS`` sets) decrypts; a destroyed key gives ``"[erased]"``;
without a key store the fields read ``"[encrypted]"``.

The key store (``SqliteKeyStore``) is one SQLite file created with mode 0600 (refused if group or
others can read it), meant for another volume than the log. Deleted keys are overwritten in the
file (``secure_delete``, rollback journal rather than WAL); copies the file system, backups or
snapshots kept are out of its reach — keep the key store out of log backups. ``KeyStore`` is the
interface a PostgreSQL-backed store would implement (a few small queries, see the class).

Retention: ``prune_keys(before=...)`` refuses to shred months that end inside the retention
period (``DEFAULT_RETENTION_MONTHS`` = 6: the EU AI Act Art. 19 asks for logs to be kept at least
six months).
"""

from __future__ import annotations

import abc
import base64
import copy
import hashlib
import hmac
import json
import os
import secrets
import sqlite3
import stat
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .errors import AuditError
from .record import to_json_safe
from .redact import free_form_dicts, personal_leaves, set_path

ENCRYPTED = "[encrypted]"
ERASED = "[erased]"
UNREADABLE = "[undecryptable]"
ANONYMOUS = "anonymous"
DEFAULT_RETENTION_MONTHS = 6
SEALED = "rag_audit.sealed"
ALG = "AES-256-GCM"


def _utc(now: datetime | None) -> datetime:
    now = now or datetime.now(timezone.utc)
    return now.replace(tzinfo=timezone.utc) if now.tzinfo is None else now.astimezone(timezone.utc)


# -- key stores ------------------------------------------------------------------------------------
class KeyStore(abc.ABC):
    """Where data keys live, apart from the log. A back end provides these few operations."""

    @abc.abstractmethod
    def pseudonym_key(self) -> bytes:
        """The secret that maps user ids to lookup keys (created on first use)."""

    @abc.abstractmethod
    def find_subject(self, lookup: bytes) -> str | None:
        """The pseudonym stored under this lookup key, or None."""

    @abc.abstractmethod
    def add_subject(self, lookup: bytes, pseudonym: str) -> str:
        """Store a new lookup -> pseudonym (the existing one wins a race); the pseudonym."""

    @abc.abstractmethod
    def key(self, pseudonym: str, month: str, *, create: bool) -> tuple[str, bytes | None]:
        """(state, key) for a subject's month: state is 'present', 'destroyed' or 'unknown';
        with ``create`` an unknown key is made (a destroyed one never comes back)."""

    @abc.abstractmethod
    def destroy_subject(self, lookup: bytes, now: datetime) -> tuple[str | None, int]:
        """Forget the lookup and destroy every key of its subject: (pseudonym, keys destroyed)."""

    @abc.abstractmethod
    def destroy_months_before(self, month: str, now: datetime) -> list[str]:
        """Destroy every key of a month earlier than ``month`` (YYYY-MM); the months touched."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release the store."""

    # -- shared logic --------------------------------------------------------------------------
    def lookup(self, user_id: str) -> bytes:
        return hmac.new(self.pseudonym_key(), user_id.encode("utf-8"), hashlib.sha256).digest()

    def subject(self, user_id: str | None, *, create: bool = False) -> str | None:
        """The pseudonym of a user id (``anonymous`` for None); None if unknown and not create."""
        if user_id is None:
            return ANONYMOUS
        lookup = self.lookup(str(user_id))
        found = self.find_subject(lookup)
        if found is None and create:
            found = self.add_subject(lookup, "subj-" + secrets.token_hex(16))
        return found

    def __enter__(self) -> KeyStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_KS_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS subjects (lookup BLOB PRIMARY KEY, pseudonym TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS data_keys (
    pseudonym TEXT NOT NULL, month TEXT NOT NULL, key BLOB, created TEXT NOT NULL,
    destroyed TEXT, PRIMARY KEY (pseudonym, month));
"""


def _key_state(row: tuple | None) -> tuple[str, bytes | None]:
    if row is None:
        return "unknown", None
    return ("present", bytes(row[0])) if row[0] is not None else ("destroyed", None)


class SqliteKeyStore(KeyStore):
    """Key store in one SQLite file, mode 0600; deleted keys are overwritten in the file."""

    def __init__(self, path: str | os.PathLike, *, create: bool = True) -> None:
        self.path = Path(path)
        if not self.path.exists():
            if not create:
                raise AuditError(f"key store {str(self.path)!r} does not exist; check the path")
            if not self.path.parent.is_dir():
                raise AuditError(
                    f"directory {str(self.path.parent)!r} does not exist; create it "
                    "first (ideally on another volume than the log)"
                )
            try:
                os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            except FileExistsError:
                pass
        mode = stat.S_IMODE(self.path.stat().st_mode)
        if mode & 0o077:
            raise AuditError(
                f"key store {str(self.path)!r} has mode {mode:04o}; others may read "
                f"the keys: run `chmod 600 {self.path}` and check who copied it"
            )
        self._lock = threading.Lock()
        try:
            self._db = sqlite3.connect(
                str(self.path), isolation_level=None, check_same_thread=False, timeout=60
            )
            self._db.execute("PRAGMA secure_delete = ON")
            self._db.execute("PRAGMA journal_mode = DELETE")
            self._db.executescript(_KS_SCHEMA)
        except sqlite3.DatabaseError as e:
            raise AuditError(f"{str(self.path)!r} is not a rag_audit key store ({e})") from None
        self._pkey: bytes | None = None

    def _tx(self, fn):
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                out = fn(self._db)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
            return out

    def pseudonym_key(self) -> bytes:
        if self._pkey is None:

            def get(db):
                row = db.execute("SELECT value FROM meta WHERE name = 'pseudonym_key'").fetchone()
                if row is None:
                    db.execute(
                        "INSERT INTO meta VALUES ('pseudonym_key', ?)", (secrets.token_bytes(32),)
                    )
                    row = db.execute(
                        "SELECT value FROM meta WHERE name = 'pseudonym_key'"
                    ).fetchone()
                return bytes(row[0])

            self._pkey = self._tx(get)
        return self._pkey

    def find_subject(self, lookup: bytes) -> str | None:
        with self._lock:
            row = self._db.execute(
                "SELECT pseudonym FROM subjects WHERE lookup = ?", (lookup,)
            ).fetchone()
        return row[0] if row else None

    def add_subject(self, lookup: bytes, pseudonym: str) -> str:
        def add(db):
            db.execute("INSERT OR IGNORE INTO subjects VALUES (?, ?)", (lookup, pseudonym))
            return db.execute(
                "SELECT pseudonym FROM subjects WHERE lookup = ?", (lookup,)
            ).fetchone()[0]

        return self._tx(add)

    _KEY_SQL = "SELECT key FROM data_keys WHERE pseudonym = ? AND month = ?"

    def key(self, pseudonym: str, month: str, *, create: bool) -> tuple[str, bytes | None]:
        with self._lock:  # a plain read first: most calls find the key
            state = _key_state(self._db.execute(self._KEY_SQL, (pseudonym, month)).fetchone())
        if state[0] != "unknown" or not create:
            return state

        def make(db):
            db.execute(
                "INSERT OR IGNORE INTO data_keys (pseudonym, month, key, created) "
                "VALUES (?, ?, ?, ?)",
                (pseudonym, month, secrets.token_bytes(32), _utc(None).isoformat()),
            )
            return _key_state(db.execute(self._KEY_SQL, (pseudonym, month)).fetchone())

        return self._tx(make)

    def destroy_subject(self, lookup: bytes, now: datetime) -> tuple[str | None, int]:
        def destroy(db):
            row = db.execute(
                "SELECT pseudonym FROM subjects WHERE lookup = ?", (lookup,)
            ).fetchone()
            if row is None:
                return None, 0
            n = db.execute(
                "UPDATE data_keys SET key = NULL, destroyed = ? WHERE pseudonym = ? "
                "AND key IS NOT NULL",
                (now.isoformat(), row[0]),
            ).rowcount
            db.execute("DELETE FROM subjects WHERE lookup = ?", (lookup,))
            return row[0], n

        return self._tx(destroy)

    def destroy_months_before(self, month: str, now: datetime) -> list[str]:
        def destroy(db):
            months = [
                r[0]
                for r in db.execute(
                    "SELECT DISTINCT month FROM data_keys WHERE month < ? AND key IS NOT NULL "
                    "ORDER BY month",
                    (month,),
                )
            ]
            db.execute(
                "UPDATE data_keys SET key = NULL, destroyed = ? WHERE month < ? "
                "AND key IS NOT NULL",
                (now.isoformat(), month),
            )
            return months

        return self._tx(destroy)

    def close(self) -> None:
        with self._lock:
            self._db.close()


def open_keystore(target: str | os.PathLike | KeyStore, *, create: bool = True) -> KeyStore:
    """A KeyStore for a file path (a KeyStore passes through)."""
    if isinstance(target, KeyStore):
        return target
    if str(target).startswith(("postgresql://", "postgres://")):
        raise AuditError(
            "a PostgreSQL key store is not implemented yet; use a key store file "
            "on another volume (e.g. /secure/rag_audit.keys)"
        )
    return SqliteKeyStore(target, create=create)


# -- sealing (writer side) -----------------------------------------------------------------------
def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode("ascii")


def _aad(body: dict, subject: str, month: str) -> bytes:
    return f"{SEALED}|{body.get('event.id')}|{subject}|{month}".encode()


class Sealer:
    """Encrypts the personal fields of event bodies with the subject's monthly data key."""

    def __init__(self, keystore: KeyStore | str | os.PathLike) -> None:
        self._owned = not isinstance(keystore, KeyStore)
        self.keystore = open_keystore(keystore)
        self._refs: OrderedDict[str, tuple[str, str]] = OrderedDict()
        self._lock = threading.Lock()

    def seal_request(self, body: dict, user_id: str | None) -> dict:
        """Replace the user id by the subject pseudonym and encrypt the personal fields."""
        subject = self.keystore.subject(user_id, create=True)
        body["user.id"] = None if user_id is None else subject
        month = str(body.get("time.start") or _utc(None).isoformat())[:7]
        with self._lock:
            self._refs[body["record.id"]] = (subject, month)
            while len(self._refs) > 10000:
                self._refs.popitem(last=False)
        return self._seal(body, subject, month)

    def seal_linked(self, body: dict, store: Any) -> dict:
        """Encrypt an evaluation or override with the key of the request it refers to."""
        rid = body["record.id"]
        with self._lock:
            ref = (
                self._refs.pop(rid, None)
                if body.get("event.kind") == "evaluation"
                else self._refs.get(rid)
            )
        if ref is None:
            rec = store.get(rid)
            if rec is None:
                raise AuditError(f"no record with id {rid!r} to attach this event to")
            subject = (
                rec.user_id
                if str(rec.user_id).startswith("subj-")
                else self.keystore.subject(rec.user_id, create=True)
            )  # a request written in clear
            ref = (subject, str(rec.time_start or "")[:7])
        return self._seal(body, *ref)

    def _seal(self, body: dict, subject: str, month: str) -> dict:
        # free-form dicts are sealed whole (their keys are app data too), then the other leaves
        dicts = free_form_dicts(body)
        leaves = [
            (p, v)
            for p, v in personal_leaves(body)
            if p != ("user.id",) and not any(p[: len(fp)] == fp for fp, _ in dicts)
        ]
        leaves += [(fp, copy.deepcopy(d)) for fp, d in dicts]
        if not leaves:
            return body
        _, key = self.keystore.key(subject, month, create=True)  # a destroyed key stays gone
        mark = ENCRYPTED if key is not None else ERASED
        for path, value in leaves:
            if isinstance(value, dict):  # keep the shape readers expect; a chunk's sha256 is
                value = {k: mark for k in ("source", "sha256") if value.get(k) is not None} | (
                    {mark: mark} if set(value) - {"source", "sha256"} else {}
                )  # sealed too
            else:
                value = mark
            set_path(body, path, value)
        if key is None:  # the subject was erased meanwhile: write nothing personal
            return body
        nonce = secrets.token_bytes(12)
        plain = json.dumps(
            to_json_safe([[list(p), v] for p, v in leaves]),
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode("utf-8")
        ct = AESGCM(key).encrypt(nonce, plain, _aad(body, subject, month))
        body[SEALED] = {
            "alg": ALG,
            "subject": subject,
            "month": month,
            "nonce": _b64(nonce),
            "ciphertext": _b64(ct),
        }
        return body

    def close(self) -> None:
        if self._owned:
            self.keystore.close()


_READER: KeyStore | None = None  # process-wide key store for readers (set_reader_keystore)


def sealer_for(keystore: KeyStore | str | os.PathLike | None) -> Sealer | None:
    """The Sealer an Auditor uses: for the given key store, else for the process-wide reader key
    store (``set_reader_keystore``, the CLI's ``--keystore``), else None (no encryption)."""
    if keystore is not None:
        return Sealer(keystore)
    return Sealer(_READER) if _READER is not None else None


# -- reading ---------------------------------------------------------------------------------------


def set_reader_keystore(keystore: KeyStore | str | os.PathLike | None) -> KeyStore | None:
    """Process-wide key store used by stores that have none of their own (the CLI's
    ``--keystore``); None switches it off. Auditors opened afterwards without ``keystore=`` also
    encrypt with it, so ``rag_audit --keystore KS override ...`` seals the override."""
    global _READER
    _READER = None if keystore is None else open_keystore(keystore, create=False)
    return _READER


def _relabel(body: Any, label: str) -> None:
    """Replace every ``[encrypted]`` placeholder (value or dict key) in a body by ``label``."""
    items = (
        list(body.items())
        if isinstance(body, dict)
        else list(enumerate(body))
        if isinstance(body, list)
        else []
    )
    for k, v in items:
        if isinstance(v, (dict, list)):
            _relabel(v, label)
        elif v == ENCRYPTED:
            body[k] = label
        if isinstance(body, dict) and k == ENCRYPTED:
            body[label] = body.pop(k)


def reveal(body: dict, keystore: KeyStore | None = None) -> dict:
    """Decrypt a stored event body in place where the key exists; fields of a destroyed key read
    ``[erased]``; without a key store (or an unknown key) they stay ``[encrypted]``."""
    env = body.get(SEALED)
    ks = keystore if keystore is not None else _READER
    if not isinstance(env, dict) or ks is None:
        return body
    subject, month = str(env.get("subject")), str(env.get("month"))
    state, key = ks.key(subject, month, create=False)
    if key is None:
        if state == "destroyed":
            _relabel(body, ERASED)
        return body
    try:
        plain = AESGCM(key).decrypt(
            base64.b64decode(env["nonce"]),
            base64.b64decode(env["ciphertext"]),
            _aad(body, subject, month),
        )
        pairs = json.loads(plain)
    except (InvalidTag, KeyError, ValueError, TypeError):
        _relabel(body, UNREADABLE)
        return body
    for path, value in pairs:
        set_path(body, tuple(path), value)
    return body


def user_filter_value(user_id: str, keystore: KeyStore | None = None) -> str:
    """What ``user.id`` holds in the log for this user: the subject pseudonym when the key store
    knows the user, else the id itself (logs written without encryption)."""
    ks = keystore if keystore is not None else _READER
    found = ks.subject(user_id) if ks is not None else None
    return found if found is not None else user_id


def check_unsealed_target(record: Any, sealer: Sealer | None) -> None:
    """Refuse to write a clear-text override about an encrypted record (fail closed)."""
    if sealer is None and record is not None and record.query in (ENCRYPTED, ERASED):
        raise AuditError(
            f"record {record.record_id} is encrypted per subject; open the Auditor "
            "with keystore=... (CLI: --keystore) so the override is encrypted too"
        )


# -- erase and prune -------------------------------------------------------------------------------
@dataclass(frozen=True)
class ErasureReport:
    """What ``erase_user`` destroyed: the subject pseudonym and how many monthly keys."""

    subject: str
    keys_destroyed: int


def erase_user(
    keystore: KeyStore | str | os.PathLike, user_id: str, *, now: datetime | None = None
) -> ErasureReport:
    """Destroy every data key of a user and forget the user -> pseudonym link (GDPR Art. 17)."""
    ks = open_keystore(keystore, create=False)
    try:
        subject, n = ks.destroy_subject(ks.lookup(str(user_id)), _utc(now))
    finally:
        if ks is not keystore:
            ks.close()
    if subject is None:
        raise AuditError(
            f"the key store knows no user {user_id!r} (never logged with this key "
            "store, or already erased); nothing was changed"
        )
    return ErasureReport(subject, n)


def _months_back(d: datetime, months: int) -> date:
    y, m = divmod(d.year * 12 + d.month - 1 - months, 12)
    m += 1
    last = [
        31,
        29 if y % 4 == 0 and (y % 100 or y % 400 == 0) else 28,
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ][m - 1]
    return date(y, m, min(d.day, last))


@dataclass(frozen=True)
class PruneReport:
    """What ``prune_keys`` shredded: every month strictly before ``before_month``."""

    before_month: str
    months: tuple
    earliest_allowed: str


def prune_keys(
    keystore: KeyStore | str | os.PathLike,
    before: date | datetime | str,
    *,
    retention_months: int = DEFAULT_RETENTION_MONTHS,
    now: datetime | None = None,
) -> PruneReport:
    """Crypto-shred the data keys of every month that ends on or before ``before``, refusing
    when that reaches into the retention period (default six months, EU AI Act Art. 19)."""
    if retention_months < 0:
        raise AuditError(f"retention_months={retention_months!r} must be 0 or more")
    if isinstance(before, str):
        try:
            before = datetime.fromisoformat(before.replace("Z", "+00:00"))
        except ValueError:
            raise AuditError(f"--before {before!r} is not a date (e.g. 2025-01-01)") from None
    b = before if isinstance(before, datetime) else datetime(before.year, before.month, before.day)
    now = _utc(now)
    limit = _months_back(now, retention_months)
    b = b.astimezone(timezone.utc).replace(tzinfo=None) if b.tzinfo else b
    if b > datetime(limit.year, limit.month, limit.day):
        raise AuditError(
            f"refused: --before {b.date().isoformat()} reaches into the retention "
            f"period ({retention_months} months; the EU AI Act Art. 19 asks for logs "
            f"to be kept at least six months); the latest allowed is "
            f"{limit.isoformat()}, or lower --retention-months if your obligations "
            "allow it"
        )
    month = f"{b.year:04d}-{b.month:02d}"
    ks = open_keystore(keystore, create=False)
    try:
        months = ks.destroy_months_before(month, now)
    finally:
        if ks is not keystore:
            ks.close()
    return PruneReport(month, tuple(months), limit.isoformat())
