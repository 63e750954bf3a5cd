"""Fuzz verify_log: a few thousand seeded random attacks on a signed, witnessed SQLite log.

Each case copies a pristine log and applies one to three mutations: byte flips in bodies,
hashes, predecessor hashes or checkpoints, row swaps, truncations (with or without the
checkpoints that cover them), forged appended events, checkpoint deletions, table drops. The
oracle: if the events differ from the pristine ones, or a checkpoint says something else (a
flip that only respells it -- JSON whitespace, hex case -- may go either way), or a table is
gone, verify must say so with a reason in REASONS (a dropped table or an unparsable checkpoint
may instead raise AuditError); if checkpoints were only deleted, the witness still covers the
whole log and it must pass. No
other exception is allowed. Verification runs with ``max_unsigned_tail=0`` because the pristine
log is fully signed, so an appended event counts as an attack too.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3

import pytest

from rag_audit import REASONS, AuditError, Auditor, verify_log
from rag_audit.chain import event_hash

CASES = int(os.environ.get("FUZZ_CASES", 3000))  # more for a longer local run
EVENTS = 60
TRIGGERS = (
    "rag_audit_events_no_update",
    "rag_audit_events_no_delete",
    "rag_audit_checkpoints_no_update",
    "rag_audit_checkpoints_no_delete",
)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory, keypair):
    d = tmp_path_factory.mktemp("fuzz")
    with Auditor(
        d / "audit.db",
        signing_key=keypair[0],
        scorer=None,
        witnesses=[d / "witness.jsonl"],
        checkpoint_every=10**6,
    ) as a:
        for i in range(EVENTS):
            with a.trace(f"question {i} about refunds", user_id=f"u{i % 4}") as t:
                t.set_answer(f"answer {i}: returns within thirty days")
            if i + 1 in (20, 40):
                a.checkpoint()
    c = sqlite3.connect(d / "audit.db")
    c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    c.execute("PRAGMA journal_mode = DELETE")  # one self-contained file to copy
    events = c.execute("SELECT seq, prev_hash, hash, body FROM rag_audit_events").fetchall()
    c.close()
    return d, events


def _flip(data: bytes, rng: random.Random) -> bytes:
    i = rng.randrange(len(data))
    return data[:i] + bytes([data[i] ^ rng.randrange(1, 256)]) + data[i + 1 :]


def _mutate(c: sqlite3.Connection, rng: random.Random) -> str:
    """Apply one random attack; return its name (kept for the failure message)."""
    n = c.execute("SELECT COUNT(*) FROM rag_audit_events").fetchone()[0]
    kind = rng.choice(
        [
            "body",
            "hash",
            "prev",
            "swap",
            "truncate",
            "rollback",
            "append",
            "delete_checkpoints",
            "checkpoint_flip",
            "drop",
        ]
    )
    if kind in ("body", "hash", "prev") and n:
        col = {"body": "body", "hash": "hash", "prev": "prev_hash"}[kind]
        seq = rng.randint(1, n)
        (val,) = c.execute(
            f"SELECT CAST({col} AS BLOB) FROM rag_audit_events WHERE seq = ?", (seq,)
        ).fetchone()
        new = _flip(bytes(val), rng)
        if col == "body":
            try:
                new = new.decode("utf-8")  # mostly stored as text, like the real rows
            except UnicodeDecodeError:
                pass
        c.execute(f"UPDATE rag_audit_events SET {col} = ? WHERE seq = ?", (new, seq))
    elif kind == "swap" and n > 1:
        a, b = rng.sample(range(1, n + 1), 2)
        get = "SELECT prev_hash, hash, body FROM rag_audit_events WHERE seq = ?"
        ra, rb = c.execute(get, (a,)).fetchone(), c.execute(get, (b,)).fetchone()
        for seq, row in ((a, rb), (b, ra)):
            c.execute(
                "UPDATE rag_audit_events SET prev_hash=?, hash=?, body=? WHERE seq=?", (*row, seq)
            )
    elif kind in ("truncate", "rollback") and n:
        keep = rng.randrange(n)
        c.execute("DELETE FROM rag_audit_events WHERE seq > ?", (keep,))
        if kind == "rollback":
            c.execute("DELETE FROM rag_audit_checkpoints WHERE tree_size > ?", (keep,))
    elif kind == "append":
        row = c.execute(
            "SELECT seq, hash FROM rag_audit_events ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        seq, prev = row if row else (0, bytes(32))
        for _ in range(rng.randint(1, 3)):
            seq += 1
            body = f'{{"event.kind":"request","record.id":"forged-{seq}"}}'
            h = event_hash(seq, bytes(prev), body.encode())
            c.execute(
                "INSERT INTO rag_audit_events (seq, prev_hash, hash, body) VALUES (?, ?, ?, ?)",
                (seq, prev, h, body),
            )
            prev = h
    elif kind == "delete_checkpoints":
        sizes = [r[0] for r in c.execute("SELECT tree_size FROM rag_audit_checkpoints")]
        for s in rng.sample(sizes, rng.randint(0, len(sizes))):
            c.execute("DELETE FROM rag_audit_checkpoints WHERE tree_size = ?", (s,))
    elif kind == "checkpoint_flip":
        sizes = [r[0] for r in c.execute("SELECT tree_size FROM rag_audit_checkpoints")]
        if sizes:
            s = rng.choice(sizes)
            (body,) = c.execute(
                "SELECT body FROM rag_audit_checkpoints WHERE tree_size = ?", (s,)
            ).fetchone()
            new = _flip(body.encode(), rng).decode("utf-8", "replace")
            c.execute("UPDATE rag_audit_checkpoints SET body = ? WHERE tree_size = ?", (new, s))
    elif kind == "drop":
        c.execute(f"DROP TABLE {rng.choice(['rag_audit_events', 'rag_audit_checkpoints'])}")
    return kind


def _meaning(body):
    """What a checkpoint row says, whatever its spelling (JSON whitespace, hex case)."""
    try:
        d = json.loads(body)
        return {k: v.lower() if isinstance(v, str) else v for k, v in d.items()}
    except (ValueError, AttributeError):
        return None


def _checkpoints(c):
    try:
        return c.execute("SELECT tree_size, body FROM rag_audit_checkpoints").fetchall()
    except sqlite3.OperationalError:
        return None


@pytest.mark.slow
def test_fuzz_every_attack_is_caught_with_a_reason(pristine, keypair, tmp_path):
    src, events = pristine
    good_cps = dict(_checkpoints(sqlite3.connect(src / "audit.db")))
    path, witness = tmp_path / "audit.db", src / "witness.jsonl"
    caught = {r: 0 for r in REASONS}
    caught["AuditError"] = 0
    for case in range(CASES):
        rng = random.Random(case)
        shutil.copy(src / "audit.db", path)
        c = sqlite3.connect(path, isolation_level=None)
        c.execute("PRAGMA synchronous = OFF")  # an attacker's edits need no fsync; keeps it fast
        c.execute("PRAGMA journal_mode = MEMORY")
        for t in TRIGGERS:
            c.execute(f"DROP TRIGGER IF EXISTS {t}")
        kinds = []
        for _ in range(rng.randint(1, 3)):
            try:
                kinds.append(_mutate(c, rng))
            except sqlite3.OperationalError as e:  # malformed JSON refused by the indexed
                kinds.append(f"refused: {e}")  # columns, or a table dropped before
        try:
            now = c.execute("SELECT seq, prev_hash, hash, body FROM rag_audit_events").fetchall()
        except sqlite3.OperationalError:
            now = None
        cps = _checkpoints(c)
        c.close()
        tampered = (
            now != events
            or cps is None
            or any(_meaning(good_cps.get(s)) != _meaning(b) or _meaning(b) is None for s, b in cps)
        )
        respelled = not tampered and any(good_cps[s] != b for s, b in cps)
        try:
            r = verify_log(path, public_key=keypair[1], witness=witness, max_unsigned_tail=0)
        except AuditError:
            assert tampered or respelled, (case, kinds)
            caught["AuditError"] += 1
            continue
        if respelled:  # same checkpoint, other spelling: either verdict is fine, no crash
            continue
        if tampered:
            assert not r.ok and r.reason in REASONS, (case, kinds, r)
            caught[r.reason] += 1
        else:
            assert r.ok, (case, kinds, r)  # only redundant checkpoints were removed
    print("caught:", caught)  # shown with -s
    # the attacks exercised the verifier's whole vocabulary
    assert all(
        caught[r]
        for r in ("modified", "truncated", "unsigned", "rollback", "bad_signature", "AuditError")
    ), caught
