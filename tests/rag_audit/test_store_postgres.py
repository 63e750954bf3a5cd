"""The PostgreSQL store against a real server: same chain, triggers, concurrency, tampering."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from audit_helpers import OverlapScorer, make_chunks
from rag_audit import Auditor, open_store, verify_log

pytestmark = pytest.mark.postgres
HERE = Path(__file__).parent


def test_round_trip_filters_and_verify(pg_url, keypair):
    a = Auditor(pg_url, scorer=OverlapScorer(), signing_key=keypair[0], model="m")
    for i in range(6):
        with a.trace(f"q{i}", user_id=f"u{i % 2}") as t:
            t.add_chunks(make_chunks(2, 100))
            t.set_answer("refund policy" if i % 2 == 0 else "bananas")
    a.flush()
    a.record_override(t.record_id, reviewer="ana", decision="reject", reason="wrong")
    a.close()
    s = open_store(pg_url)
    assert s.count() == 6 and s.count(user_id="u1") == 3
    assert [r.query for r in s.records(faithfulness_below=0.5)] == ["q1", "q3", "q5"]
    assert s.count(watermark_missing=True) == 6
    assert s.get(t.record_id).overrides[0]["decision"] == "reject"
    assert s.labelled_overrides()[0]["query"] == "q5"
    s.close()
    r = verify_log(pg_url, public_key=keypair[1])
    assert r.ok and r.count == 13 and r.checkpoints == 1 and r.signed_size == 13


def test_triggers_refuse_and_tampering_is_found(pg_url, keypair):
    import psycopg

    a = Auditor(pg_url, scorer=None, signing_key=keypair[0])
    for i in range(10):
        with a.trace(f"q{i}") as t:
            t.set_answer(f"a{i}")
    a.close()
    with psycopg.connect(pg_url, autocommit=True) as c:
        for sql in ("UPDATE rag_audit_events SET body = body", "DELETE FROM rag_audit_events",
                    "TRUNCATE rag_audit_events"):
            with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
                c.execute(sql)
        with pytest.raises(psycopg.Error):
            c.execute("UPDATE rag_audit_events SET user_id = 'x'")  # generated column
        # an attacker with owner rights disables the triggers and edits a body
        c.execute("ALTER TABLE rag_audit_events DISABLE TRIGGER USER")
        c.execute("UPDATE rag_audit_events SET body = replace(body, '\"a3\"', '\"a!\"') WHERE seq = 4")
    r = verify_log(pg_url, public_key=keypair[1])
    assert (r.ok, r.first_bad, r.reason) == (False, 4, "modified")


@pytest.mark.slow
def test_four_processes_append_without_loss(pg_url):
    Auditor(pg_url, scorer=None).close()
    env = {**os.environ, "PYTHONPATH": str(HERE.parent.parent)}
    procs = [subprocess.Popen([sys.executable, str(HERE / "writer_proc.py"), pg_url, "500", f"p{k}"],
                              env=env) for k in range(4)]
    assert [p.wait(timeout=300) for p in procs] == [0, 0, 0, 0]
    r = verify_log(pg_url)
    assert r.ok and r.count == 2000 and r.records == 2000
    s = open_store(pg_url)
    seqs = [row[0] for row in s._query("SELECT seq FROM rag_audit_events ORDER BY seq")]
    assert seqs == list(range(1, 2001))
    assert all(s.count(user_id=f"p{k}") == 500 for k in range(4))
    s.close()
