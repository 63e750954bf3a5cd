"""Witnesses: signed checkpoints published outside the log, read back by verify and by a writer
that reopens the log; a failing witness is loud but loses nothing. Real files, the real
PostgreSQL server (a separate database owned by another role)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import pytest

from rag_audit import AuditError, Auditor, open_store, verify_log
from rag_audit.chain import Checkpoint
from rag_audit.witness import CallableWitness, FileWitness, PostgresWitness, open_witness

ENV = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")


def run(*args, **env):
    return subprocess.run(
        [sys.executable, "-m", "rag_audit.cli", *map(str, args)],
        capture_output=True,
        text=True,
        env={**ENV, **env},
        timeout=120,
    )


def write(auditor, n, tag="q"):
    for i in range(n):
        with auditor.trace(f"{tag} {i}") as t:
            t.set_answer("a")


def drop_tail(path, keep):
    """The rollback attack: drop the tail and every checkpoint that covers it."""
    c = sqlite3.connect(path, isolation_level=None)
    for t in ("rag_audit_events_no_delete", "rag_audit_checkpoints_no_delete"):
        c.execute(f"DROP TRIGGER {t}")
    c.execute(f"DELETE FROM rag_audit_events WHERE seq > {keep}")
    c.execute(f"DELETE FROM rag_audit_checkpoints WHERE tree_size > {keep}")
    c.close()


def test_every_checkpoint_reaches_every_witness(tmp_path, keypair):
    got = []
    wit = FileWitness(tmp_path / "w.jsonl")
    with Auditor(
        tmp_path / "a.db", signing_key=keypair[0], scorer=None, witnesses=[wit, got.append]
    ) as a:
        write(a, 3)
        a.checkpoint()
        write(a, 2)
    stored = open_store(tmp_path / "a.db").checkpoints()
    assert [c.tree_size for c in stored] == [3, 5]
    assert wit.checkpoints() == stored == got
    assert wit.latest(stored[0].key_id).tree_size == 5 and wit.latest("other") is None
    lines = (tmp_path / "w.jsonl").read_text().splitlines()
    assert [Checkpoint.from_json(x) for x in lines] == stored


def test_file_witness_ignores_a_torn_last_line_and_refuses_an_edited_one(tmp_path, keypair):
    path = tmp_path / "w.jsonl"
    with Auditor(tmp_path / "a.db", signing_key=keypair[0], scorer=None, witnesses=[path]) as a:
        write(a, 2)
    with open(path, "ab") as f:
        f.write(b'{"tree_size": 99, "ro')  # a crash mid-write: never acknowledged
    assert [c.tree_size for c in FileWitness(path).checkpoints()] == [2]
    path.write_text(path.read_text().replace('"tree_size": 2', '"tree_size": "x"') + "\n")
    with pytest.raises(AuditError, match="line 1 of the witness file"):
        FileWitness(path).checkpoints()
    with pytest.raises(AuditError, match="does not exist"):
        verify_log(tmp_path / "a.db", public_key=keypair[1], witness=tmp_path / "none.jsonl")


def test_failing_witness_is_loud_but_loses_nothing(tmp_path, keypair, caplog):
    calls = []

    def flaky(cp):
        calls.append(cp.tree_size)
        if len(calls) == 1:
            raise OSError("witness volume unreachable")

    a = Auditor(tmp_path / "a.db", signing_key=keypair[0], scorer=None, witnesses=[flaky])
    write(a, 2)
    with caplog.at_level("ERROR", logger="rag_audit"):
        assert a.checkpoint().tree_size == 2  # stored in the log even so
    assert any("NOT published" in r.getMessage() for r in caplog.records)
    assert any("witness volume unreachable" in e for e in a.worker_errors)
    write(a, 1)
    a.close()  # the retry with the next checkpoint succeeds: close is quiet
    assert calls == [2, 3]
    assert verify_log(tmp_path / "a.db", public_key=keypair[1]).count == 3

    b = Auditor(
        tmp_path / "b.db",
        signing_key=keypair[0],
        scorer=None,
        witnesses=[CallableWitness(lambda cp: 1 / 0)],
    )
    write(b, 1)
    with pytest.raises(AuditError, match="did not reach"):
        b.close()
    assert verify_log(tmp_path / "b.db", public_key=keypair[1]).ok  # the records are there


def test_witness_needs_a_signing_key_and_a_public_key(tmp_path, keypair):
    with pytest.raises(AuditError, match="signing_key"):
        Auditor(tmp_path / "a.db", scorer=None, witnesses=[tmp_path / "w.jsonl"])
    with Auditor(tmp_path / "a.db", signing_key=keypair[0], scorer=None) as a:
        write(a, 1)
    with pytest.raises(AuditError, match="needs the public key"):
        verify_log(tmp_path / "a.db", witness=tmp_path / "w.jsonl")
    with pytest.raises(AuditError, match="cannot be read back"):
        verify_log(tmp_path / "a.db", public_key=keypair[1], witness=CallableWitness(print))


def test_forged_witness_entry_is_bad_signature(tmp_path, keypair):
    path = tmp_path / "w.jsonl"
    with Auditor(tmp_path / "a.db", signing_key=keypair[0], scorer=None, witnesses=[path]) as a:
        write(a, 2)
    d = json.loads(path.read_text())
    d["tree_size"] = 1000
    with open(path, "a") as f:
        f.write(json.dumps(d) + "\n")
    r = verify_log(tmp_path / "a.db", public_key=keypair[1], witness=path)
    assert (r.ok, r.reason) == (False, "bad_signature") and "witness" in r.message


def test_cli_init_witness_and_rollback(tmp_path):
    """The README path: init, a signed and witnessed Auditor, verify; then a rollback."""
    env_home = tmp_path / "home"
    r = run("init", tmp_path / "audit.db", XDG_CONFIG_HOME=str(env_home))
    assert r.returncode == 0, r.stderr
    kid = r.stdout.strip()
    key = env_home / "genai-provenance" / "keys" / f"{kid}.key"
    assert oct(key.stat().st_mode & 0o777) == "0o600" and key.parent != tmp_path
    pub = tmp_path / "audit.db.pub"
    r = run("verify", tmp_path / "audit.db", "--public-key", pub)
    assert r.returncode == 0 and "0 events verified" in r.stdout  # the signed empty tree
    assert run("init", tmp_path / "audit.db").returncode == 2  # never over an existing log

    wit = tmp_path / "other-volume.jsonl"
    with Auditor(tmp_path / "audit.db", signing_key=key, scorer=None, witnesses=[wit]) as a:
        write(a, 6)
        a.checkpoint()
        write(a, 4)
    r = run("verify", tmp_path / "audit.db", "--public-key", pub, "--witness", wit)
    assert r.returncode == 0 and "extends the witnessed checkpoint over 10" in r.stdout
    drop_tail(tmp_path / "audit.db", 6)
    assert run("verify", tmp_path / "audit.db", "--public-key", pub).returncode == 0
    r = run("verify", tmp_path / "audit.db", "--public-key", pub, "--witness", wit, "--json")
    res = json.loads(r.stdout)
    assert r.returncode == 1 and (res["reason"], res["first_bad"]) == ("rollback", 7)


def test_cli_dropped_table_is_one_line(tmp_path, keypair):
    with Auditor(tmp_path / "a.db", signing_key=keypair[0], scorer=None) as a:
        write(a, 2)
    c = sqlite3.connect(tmp_path / "a.db")
    c.execute("DROP TABLE rag_audit_checkpoints")
    c.close()
    r = run("verify", tmp_path / "a.db")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.strip().count("\n") == 0 and "no such table" in r.stderr


def test_open_witness_kinds(tmp_path):
    assert isinstance(open_witness(tmp_path / "w.jsonl"), FileWitness)
    assert isinstance(open_witness("postgresql://u:secret@h/db"), PostgresWitness)
    assert "secret" not in open_witness("postgresql://u:secret@h/db").name
    assert isinstance(open_witness(print), CallableWitness)
    with pytest.raises(AuditError, match="not a file path"):
        open_witness(42)


@pytest.fixture
def pg_witness_url(pg_dsn):
    """A separate database ``witness`` owned by role ``witness_owner``; the Auditor publishes as
    ``witness_writer``, which may only INSERT and SELECT there."""
    import psycopg

    base = pg_dsn.rsplit("/", 1)[0]
    with psycopg.connect(pg_dsn, autocommit=True) as c:
        c.execute("DROP DATABASE IF EXISTS witness")
        for role in ("witness_writer", "witness_owner"):
            c.execute(f"DROP ROLE IF EXISTS {role}")
        c.execute("CREATE ROLE witness_owner LOGIN")
        c.execute("CREATE ROLE witness_writer LOGIN")
        c.execute("CREATE DATABASE witness OWNER witness_owner")
    with psycopg.connect(
        base.replace("postgres@", "witness_owner@") + "/witness", autocommit=True
    ) as c:
        c.execute(
            "CREATE TABLE rag_audit_witness (id BIGSERIAL PRIMARY KEY, key_id TEXT NOT "
            "NULL, tree_size BIGINT NOT NULL, body TEXT NOT NULL, received_at TIMESTAMPTZ "
            "NOT NULL DEFAULT now())"
        )
        c.execute("REVOKE ALL ON rag_audit_witness FROM PUBLIC")
        c.execute("GRANT SELECT, INSERT ON rag_audit_witness TO witness_writer")
        c.execute("GRANT USAGE ON SEQUENCE rag_audit_witness_id_seq TO witness_writer")
    yield base.replace("postgres@", "witness_writer@") + "/witness"
    with psycopg.connect(pg_dsn, autocommit=True) as c:
        c.execute("DROP DATABASE IF EXISTS witness WITH (FORCE)")
        c.execute("DROP ROLE IF EXISTS witness_writer")
        c.execute("DROP ROLE IF EXISTS witness_owner")


@pytest.mark.postgres
def test_postgres_witness_catches_rollback(tmp_path, keypair, pg_witness_url):
    import psycopg

    path = tmp_path / "a.db"
    with Auditor(path, signing_key=keypair[0], scorer=None, witnesses=[pg_witness_url]) as a:
        write(a, 3)
        a.checkpoint()
        write(a, 3)
    w = PostgresWitness(pg_witness_url)
    assert [c.tree_size for c in w.checkpoints()] == [3, 6]
    w.close()
    with psycopg.connect(pg_witness_url, autocommit=True) as c:  # the writer cannot erase it
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute("DELETE FROM rag_audit_witness")
    assert verify_log(path, public_key=keypair[1], witness=pg_witness_url).ok
    drop_tail(path, 3)
    r = verify_log(path, public_key=keypair[1], witness=pg_witness_url)
    assert (r.ok, r.reason) == (False, "rollback")
    with pytest.raises(AuditError, match="rollback"):
        Auditor(path, signing_key=keypair[0], scorer=None, witnesses=[pg_witness_url])


@pytest.mark.postgres
def test_postgres_log_rollback_caught_by_file_witness(pg_url, tmp_path, keypair):
    import psycopg

    wit = tmp_path / "w.jsonl"
    with Auditor(pg_url, signing_key=keypair[0], scorer=None, witnesses=[wit]) as a:
        write(a, 4)
        a.checkpoint()
        write(a, 4)
    with psycopg.connect(pg_url, autocommit=True) as c:  # the database operator rolls back
        c.execute("ALTER TABLE rag_audit_events DISABLE TRIGGER USER")
        c.execute("ALTER TABLE rag_audit_checkpoints DISABLE TRIGGER USER")
        c.execute("DELETE FROM rag_audit_events WHERE seq > 4")
        c.execute("DELETE FROM rag_audit_checkpoints WHERE tree_size > 4")
    assert verify_log(pg_url, public_key=keypair[1]).ok
    r = verify_log(pg_url, public_key=keypair[1], witness=wit)
    assert (r.ok, r.reason, r.first_bad) == (False, "rollback", 5)
    with psycopg.connect(pg_url, autocommit=True) as c:
        c.execute("DELETE FROM rag_audit_checkpoints")
    r = verify_log(pg_url, public_key=keypair[1])
    assert (r.ok, r.reason) == (False, "unsigned")


def test_reopening_sends_the_newest_checkpoint_to_a_witness_that_lacks_it(tmp_path, keypair):
    wit = tmp_path / "offline-volume" / "w.jsonl"  # its directory is not there yet: publish fails
    a = Auditor(tmp_path / "a.db", signing_key=keypair[0], scorer=None, witnesses=[wit])
    write(a, 3)
    with pytest.raises(AuditError, match="did not reach"):
        a.close()
    wit.parent.mkdir()  # the volume is back
    Auditor(tmp_path / "a.db", signing_key=keypair[0], scorer=None, witnesses=[wit]).close()
    assert [c.tree_size for c in FileWitness(wit).checkpoints()] == [3]
    Auditor(tmp_path / "a.db", signing_key=keypair[0], scorer=None, witnesses=[wit]).close()
    assert len(FileWitness(wit).checkpoints()) == 1  # no duplicate once it has it
    assert verify_log(tmp_path / "a.db", public_key=keypair[1], witness=wit).ok
