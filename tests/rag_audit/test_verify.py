"""Tampering with a real SQLite log is detected, with the right event and reason.

Each test plays an attacker with write access to the file: plain sqlite3, triggers dropped."""

from __future__ import annotations

import json
import sqlite3

import pytest
from audit_helpers import make_chunks

from rag_audit import AuditError, Auditor, event_hash, generate_keypair, open_store, verify_log
from rag_audit.chain import GENESIS
from rag_audit.record import canonical_bytes

N = 30


@pytest.fixture
def log(tmp_path, keypair):
    """A log of N request events with a signed checkpoint after 20 and one on close (at N)."""
    priv, _ = keypair
    path = tmp_path / "audit.db"
    a = Auditor(path, signing_key=priv, app="bot", model="m", scorer=None)
    for i in range(N):
        with a.trace(f"question {i}", user_id=f"u{i % 3}") as t:
            t.add_chunks(make_chunks(2, 200, tag=str(i)))
            t.set_answer(f"answer {i}")
        if i == 19:
            a.checkpoint()
    a.close()
    return path


def attack(path, *sql, params=()):
    c = sqlite3.connect(path, isolation_level=None)
    for name in (
        "rag_audit_events_no_update",
        "rag_audit_events_no_delete",
        "rag_audit_checkpoints_no_update",
        "rag_audit_checkpoints_no_delete",
    ):
        c.execute(f"DROP TRIGGER IF EXISTS {name}")
    for s in sql:
        c.execute(s, params) if "?" in s else c.execute(s)
    c.close()


def row(path, seq):
    c = sqlite3.connect(path)
    r = c.execute(
        "SELECT seq, prev_hash, hash, body, record_id FROM rag_audit_events WHERE seq=?", (seq,)
    ).fetchone()
    c.close()
    return r


def test_untouched_log_verifies(log, keypair):
    r = verify_log(log, public_key=keypair[1])
    assert r.ok and r.count == N and r.records == N
    assert r.checkpoints == 2 and r.signed_size == N and r.signatures_checked
    assert r.reason is None and r.first_bad is None


def test_one_changed_byte_is_modified(log, keypair):
    rid = row(log, 7)[4]
    attack(
        log,
        "UPDATE rag_audit_events SET body = replace(body, 'question 6', 'question X') "
        "WHERE seq = 7",
    )
    r = verify_log(log, public_key=keypair[1])
    assert not r.ok
    assert (r.first_bad, r.reason, r.record_id) == (7, "modified", rid)


def test_modified_and_rehashed_is_modified(log, keypair):
    seq, prev, _, body, _ = row(log, 5)
    new_body = body.replace("answer 4", "answer Z")
    new_hash = event_hash(5, prev, new_body.encode())
    attack(
        log,
        "UPDATE rag_audit_events SET body = ?, hash = ? WHERE seq = 5",
        params=(new_body, new_hash),
    )
    r = verify_log(log, public_key=keypair[1])
    assert (r.ok, r.first_bad, r.reason) == (False, 5, "modified")


def test_deleted_row(log, keypair):
    attack(log, "DELETE FROM rag_audit_events WHERE seq = 12")
    r = verify_log(log, public_key=keypair[1])
    assert (r.ok, r.first_bad, r.reason) == (False, 12, "deleted")


def test_deleted_row_with_renumbering(log, keypair):
    attack(
        log,
        "DELETE FROM rag_audit_events WHERE seq = 12",
        *[f"UPDATE rag_audit_events SET seq = {s - 1} WHERE seq = {s}" for s in range(13, N + 1)],
    )
    r = verify_log(log, public_key=keypair[1])
    assert (r.ok, r.first_bad, r.reason) == (False, 12, "deleted")


def test_inserted_forged_row(log, keypair):
    _, _, prev, _, _ = row(log, 9)  # hash of event 9: the forged event 10 links to it
    forged = canonical_bytes(
        {
            "event.kind": "request",
            "record.id": "forged",
            "input.value": "x",
            "time.start": "2020-01-01T00:00:00.000000Z",
        }
    )
    shift = [f"UPDATE rag_audit_events SET seq = {s + 1} WHERE seq = {s}" for s in range(N, 9, -1)]
    attack(
        log,
        *shift,
        "INSERT INTO rag_audit_events (seq, prev_hash, hash, body) VALUES (?, ?, ?, ?)",
        params=(10, prev, event_hash(10, prev, forged), forged.decode()),
    )
    r = verify_log(log, public_key=keypair[1])
    assert (r.ok, r.first_bad, r.reason, r.record_id) == (False, 10, "inserted", "forged")


def test_swapped_rows(log, keypair):
    attack(
        log,
        "UPDATE rag_audit_events SET seq = -1 WHERE seq = 8",
        "UPDATE rag_audit_events SET seq = 8 WHERE seq = 15",
        "UPDATE rag_audit_events SET seq = 15 WHERE seq = -1",
    )
    r = verify_log(log, public_key=keypair[1])
    assert (r.ok, r.first_bad, r.reason) == (False, 8, "reordered")


def test_swapped_adjacent_rows(log, keypair):
    attack(
        log,
        "UPDATE rag_audit_events SET seq = -1 WHERE seq = 3",
        "UPDATE rag_audit_events SET seq = 3 WHERE seq = 4",
        "UPDATE rag_audit_events SET seq = 4 WHERE seq = -1",
    )
    r = verify_log(log, public_key=keypair[1])
    assert (r.ok, r.first_bad, r.reason) == (False, 3, "reordered")


def test_truncated_tail_after_checkpoint(log, keypair):
    attack(log, "DELETE FROM rag_audit_events WHERE seq > 15")
    r = verify_log(log, public_key=keypair[1])
    assert (r.ok, r.first_bad, r.reason) == (False, 16, "truncated")
    assert r.count == 15


def test_truncation_found_by_external_checkpoint(log, keypair):
    kept = open_store(log).checkpoints()[-1].to_json()  # kept elsewhere
    # The attacker also removes every stored checkpoint that would betray the cut.
    attack(log, "DELETE FROM rag_audit_events WHERE seq > 25", "DELETE FROM rag_audit_checkpoints")
    r = verify_log(log, public_key=keypair[1])  # fails closed: nothing signed is left
    assert (r.ok, r.reason, r.first_bad) == (False, "unsigned", 1)
    r = verify_log(log, public_key=keypair[1], checkpoint=kept)
    assert (r.ok, r.first_bad, r.reason) == (False, 26, "truncated")


def test_rewritten_history_is_caught_by_checkpoint(log, keypair):
    """Modify event 22 and recompute every later hash: the chain is consistent again, but the
    signed checkpoint over N events no longer matches."""
    c = sqlite3.connect(log)
    rows = c.execute(
        "SELECT seq, prev_hash, hash, body FROM rag_audit_events ORDER BY seq"
    ).fetchall()
    c.close()
    new, prev = [], rows[20][2]
    for seq, _, _, body in rows[21:]:
        if seq == 22:
            body = body.replace("answer 21", "answer Q")
        h = event_hash(seq, prev, body.encode())
        new.append((seq, prev, h, body))
        prev = h
    attack(log, "DELETE FROM rag_audit_events WHERE seq >= 22")
    c = sqlite3.connect(log)
    c.executemany("INSERT INTO rag_audit_events (seq, prev_hash, hash, body) VALUES (?,?,?,?)", new)
    c.commit()
    c.close()
    r = verify_log(log, public_key=keypair[1])
    assert (r.ok, r.first_bad, r.reason) == (
        False,
        21,
        "modified",
    )  # after the good checkpoint at 20
    assert "rewritten" in r.message


def test_replaced_checkpoint_signature(log, keypair):
    c = sqlite3.connect(log)
    body = c.execute("SELECT body FROM rag_audit_checkpoints WHERE tree_size = 20").fetchone()[0]
    c.close()
    d = json.loads(body)
    other, _ = generate_keypair()
    d["signature"] = other.sign(b"something else").hex()
    attack(
        log,
        "UPDATE rag_audit_checkpoints SET body = ? WHERE tree_size = 20",
        params=(json.dumps(d),),
    )
    r = verify_log(log, public_key=keypair[1])
    assert (r.ok, r.reason, r.first_bad) == (False, "bad_signature", 20)


def test_wrong_public_key(log):
    _, wrong = generate_keypair()
    r = verify_log(log, public_key=wrong)
    assert (r.ok, r.reason) == (False, "bad_signature")
    assert "public key" in r.message


def test_without_public_key_warns(log):
    r = verify_log(log)
    assert r.ok and not r.signatures_checked
    assert any("not checked" in w for w in r.warnings)


def test_progress_callback(log, keypair):
    seen = []
    r = verify_log(
        log,
        public_key=keypair[1],
        progress=lambda done, total: seen.append((done, total)),
        progress_every=10,
    )
    assert r.ok
    assert seen[:3] == [(10, N), (20, N), (30, N)] and seen[-1] == (N, N)


def test_empty_log_verifies(tmp_path):
    a = Auditor(tmp_path / "e.db", scorer=None)
    a.close()
    r = verify_log(tmp_path / "e.db")
    assert r.ok and r.count == 0 and r.last_hash is None


def test_missing_file_is_an_audit_error(tmp_path):
    from rag_audit import AuditError

    with pytest.raises(AuditError, match="does not exist"):
        verify_log(tmp_path / "nope.db")


def test_first_event_links_to_genesis(log):
    assert bytes(row(log, 1)[1]) == GENESIS


def test_not_a_log_is_an_audit_error(tmp_path):
    from rag_audit import AuditError

    (tmp_path / "other.db").write_bytes(b"")
    sqlite3.connect(tmp_path / "other.db").execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(AuditError, match="not a rag_audit log"):
        verify_log(tmp_path / "other.db")
    (tmp_path / "junk.db").write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(AuditError):
        verify_log(tmp_path / "junk.db")


# -- the attack table of issue 9, played on SQLite -----------------------------------------------
def _forge_log(path, n, *, tag="forged"):
    """What an attacker without the key can build: a fresh, well-chained, unsigned log."""
    s = open_store(path)
    s.append(
        [
            canonical_bytes(
                {"event.kind": "request", "record.id": f"{tag}-{i}", "input.value": f"forged {i}"}
            )
            for i in range(n)
        ]
    )
    s.close()


def _rechain(path):
    """Rewrite every body and recompute the whole chain, as an attacker would."""
    attack(path)  # drops the triggers
    c = sqlite3.connect(path, isolation_level=None)
    rows = c.execute("SELECT seq, body FROM rag_audit_events ORDER BY seq").fetchall()
    c.execute("DELETE FROM rag_audit_events")
    prev = GENESIS
    for seq, body in rows:
        body = body.replace("answer", "ANSWER")
        h = event_hash(seq, prev, body.encode())
        c.execute(
            "INSERT INTO rag_audit_events (seq, prev_hash, hash, body) VALUES (?,?,?,?)",
            (seq, prev, h, body),
        )
        prev = h
    c.close()


def test_deleted_checkpoints_fail_closed(log, keypair):
    attack(log, "DELETE FROM rag_audit_checkpoints")
    r = verify_log(log, public_key=keypair[1])
    assert (r.ok, r.reason, r.first_bad) == (False, "unsigned", 1)
    assert "replaced the whole log" in r.message
    _rechain(log)  # ... and the history rewritten with a recomputed chain
    r = verify_log(log, public_key=keypair[1])
    assert (r.ok, r.reason) == (False, "unsigned")
    assert verify_log(log).ok  # the chain alone cannot tell, hence the chain-only verdict


def test_brand_new_unsigned_log_in_place_fails_closed(tmp_path, keypair):
    _forge_log(tmp_path / "audit.db", 5)
    r = verify_log(tmp_path / "audit.db", public_key=keypair[1])
    assert (r.ok, r.reason) == (False, "unsigned")
    assert "chain only" in verify_log(tmp_path / "audit.db").message


def test_real_writer_refuses_a_forged_log(tmp_path, keypair):
    _forge_log(tmp_path / "audit.db", 5)
    with pytest.raises(AuditError, match="no checkpoint signed by key"):
        Auditor(tmp_path / "audit.db", signing_key=keypair[0], scorer=None)
    assert open_store(tmp_path / "audit.db").checkpoints() == []  # it signed nothing


def test_real_writer_refuses_when_checkpoints_were_deleted(log, keypair):
    attack(log, "DELETE FROM rag_audit_checkpoints")
    with pytest.raises(AuditError, match="adopt_unsigned"):
        Auditor(log, signing_key=keypair[0], scorer=None)
    a = Auditor(log, signing_key=keypair[0], scorer=None, adopt_unsigned=True)  # explicit
    a.close()
    assert verify_log(log, public_key=keypair[1]).ok


def test_real_writer_refuses_a_rewritten_chain(log, keypair):
    _rechain(log)  # the stored checkpoints stay, the events no longer match them
    with pytest.raises(AuditError, match="rewritten or replaced"):
        Auditor(log, signing_key=keypair[0], scorer=None, adopt_unsigned=True)


def test_real_writer_refuses_a_tampered_tail(log, keypair):
    a = Auditor(log, signing_key=keypair[0], scorer=None)
    with a.trace("after the last checkpoint") as t:
        t.set_answer("x")
    attack(
        log,
        f"UPDATE rag_audit_events SET body = replace(body, 'after', 'AFTER') WHERE seq = {N + 1}",
    )
    with pytest.raises(AuditError, match="does not extend the chain"):
        a.checkpoint()
    with pytest.raises(AuditError, match="does not extend the chain"):
        a.close()
    assert max(c.tree_size for c in open_store(log).checkpoints()) == N


def test_rollback_is_caught_only_by_the_witness(tmp_path, keypair):
    path, wit = tmp_path / "audit.db", tmp_path / "witness.jsonl"
    a = Auditor(path, signing_key=keypair[0], scorer=None, witnesses=[wit])
    for i in range(N):
        with a.trace(f"q{i}") as t:
            t.set_answer("a")
        if i == 4:
            a.checkpoint()
    a.close()
    # Roll back: drop the last events and every checkpoint that covers them.
    attack(
        path,
        "DELETE FROM rag_audit_events WHERE seq > 5",
        "DELETE FROM rag_audit_checkpoints WHERE tree_size > 5",
    )
    assert verify_log(path, public_key=keypair[1]).ok  # without the witness it looks intact
    r = verify_log(path, public_key=keypair[1], witness=wit)
    assert (r.ok, r.reason, r.first_bad) == (False, "rollback", 6)
    with pytest.raises(AuditError, match="rollback"):
        Auditor(path, signing_key=keypair[0], scorer=None, witnesses=[wit])


def test_replaced_log_is_caught_by_the_witness(tmp_path, keypair):
    path, wit = tmp_path / "audit.db", tmp_path / "witness.jsonl"
    with Auditor(path, signing_key=keypair[0], scorer=None, witnesses=[wit]) as a:
        for i in range(4):
            with a.trace(f"q{i}") as t:
                t.set_answer("a")
    path.unlink()
    _forge_log(path, 6)
    r = verify_log(path, public_key=keypair[1], witness=wit)
    assert (r.ok, r.reason) == (False, "replaced")
    path.unlink()
    _forge_log(path, 2)
    r = verify_log(path, public_key=keypair[1], witness=str(wit))
    assert (r.ok, r.reason) == (False, "rollback")


def test_auditor_without_key_fails_closed_and_warns_once(tmp_path, keypair, caplog):
    path = tmp_path / "audit.db"
    with caplog.at_level("WARNING", logger="rag_audit"):
        with Auditor(path, scorer=None) as a:
            for i in range(3):
                with a.trace(f"q{i}") as t:
                    t.set_answer("a")
    warnings = [r for r in caplog.records if "no signing_key" in r.getMessage()]
    assert len(warnings) == 1 and "cannot be detected" in warnings[0].getMessage()
    r = verify_log(path, public_key=keypair[1])
    assert (r.ok, r.reason) == (False, "unsigned")


def test_unsigned_tail_limit(log, keypair):
    with Auditor(log, signing_key=None, scorer=None) as a:  # a writer without the key appends
        for i in range(5):
            with a.trace(f"late {i}") as t:
                t.set_answer("a")
    r = verify_log(log, public_key=keypair[1], max_unsigned_tail=5)
    assert r.ok and any("not yet covered" in w for w in r.warnings)
    r = verify_log(log, public_key=keypair[1], max_unsigned_tail=4)
    assert (r.ok, r.reason, r.first_bad) == (False, "unsigned", N + 1)
    assert "allowed unsigned tail of 4" in r.message


def test_dropped_checkpoint_table_is_one_clean_error(log, keypair):
    attack(log, "DROP TABLE rag_audit_checkpoints")
    with pytest.raises(AuditError, match="no such table"):
        verify_log(log, public_key=keypair[1])


# -- the same rows on the real PostgreSQL server -------------------------------------------------
@pytest.mark.postgres
def test_postgres_attack_rows(pg_url, keypair):
    import psycopg

    with Auditor(pg_url, signing_key=keypair[0], scorer=None) as a:
        for i in range(5):
            with a.trace(f"q{i}") as t:
                t.set_answer("a")
    assert verify_log(pg_url, public_key=keypair[1]).ok
    with psycopg.connect(pg_url, autocommit=True) as c:  # checkpoints gone, events kept
        c.execute("ALTER TABLE rag_audit_checkpoints DISABLE TRIGGER USER")
        c.execute("DELETE FROM rag_audit_checkpoints")
    r = verify_log(pg_url, public_key=keypair[1])
    assert (r.ok, r.reason) == (False, "unsigned")
    with pytest.raises(AuditError, match="adopt_unsigned"):  # the writer will not sign it
        Auditor(pg_url, signing_key=keypair[0], scorer=None)
    with psycopg.connect(pg_url, autocommit=True) as c:
        c.execute("DROP TABLE rag_audit_checkpoints")
    with pytest.raises(AuditError, match="cannot read the audit log"):
        verify_log(pg_url, public_key=keypair[1])
