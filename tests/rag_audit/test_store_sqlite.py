"""The SQLite store: append-only triggers, filters, many processes at once, crash safety."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from audit_helpers import OverlapScorer, make_chunks
from rag_audit import AuditError, Auditor, open_store, verify_log

HERE = Path(__file__).parent
WRITER = str(HERE / "writer_proc.py")


def _env() -> dict:
    root = str(HERE.parent.parent)
    return {**os.environ, "PYTHONPATH": root + os.pathsep + os.environ.get("PYTHONPATH", "")}


def test_update_and_delete_are_refused(tmp_path):
    a = Auditor(tmp_path / "a.db", scorer=None)
    with a.trace("q") as t:
        t.set_answer("a")
    a.close()
    c = sqlite3.connect(tmp_path / "a.db")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        c.execute("UPDATE rag_audit_events SET body = '{}'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        c.execute("DELETE FROM rag_audit_events")
    with pytest.raises(sqlite3.DatabaseError):
        c.execute("UPDATE rag_audit_events SET user_id = 'x'")  # generated from the body
    c.close()
    assert verify_log(tmp_path / "a.db").count == 1


def test_filters_and_get(tmp_path):
    a = Auditor(tmp_path / "a.db", scorer=OverlapScorer(), app="bot", model="m")
    ids = []
    for i in range(12):
        with a.trace(f"q{i}", user_id=f"u{i % 3}") as t:
            t.add_chunks(make_chunks(2, 100))
            # even answers overlap the chunks (score 1.0), odd ones do not (score 0.0)
            t.set_answer("refund policy" if i % 2 == 0 else "bananas everywhere")
            if i % 4 == 0:
                t.set_watermark(True, key_id="k", p_value=1e-9)
        ids.append(t.record_id)
    a.close()
    s = open_store(tmp_path / "a.db")
    assert s.count() == 12 and s.event_count() == 24
    assert [r.query for r in s.records(user_id="u1")] == ["q1", "q4", "q7", "q10"]
    low = list(s.records(faithfulness_below=0.5))
    assert [r.query for r in low] == [f"q{i}" for i in range(1, 12, 2)]
    assert all(r.faithfulness_score == 0.0 for r in low)
    assert s.count(watermark_missing=True) == 9
    assert len(list(s.records(limit=5, batch=2))) == 5
    first = s.get(ids[0])
    assert first.seq == 1 and first.watermark.applied and first.faithfulness["scorer"] == "word-overlap"
    assert first.time_start <= first.time_end
    t_mid = s.get(ids[6]).time_start
    assert [r.query for r in s.records(since=t_mid)][0] == "q6"
    assert len(list(s.records(until=t_mid))) == 6
    assert s.get("no-such-id") is None
    s.close()


def test_bad_location_is_an_audit_error(tmp_path):
    with pytest.raises(AuditError, match="does not exist"):
        Auditor(tmp_path / "missing_dir" / "a.db")
    with pytest.raises(AuditError, match="durability"):
        Auditor(tmp_path / "a.db", durability="sometimes")


def test_four_processes_append_without_loss(tmp_path):
    path = str(tmp_path / "shared.db")
    Auditor(path, scorer=None).close()  # create the schema once
    procs = [subprocess.Popen([sys.executable, WRITER, path, "500", f"p{k}"], env=_env())
             for k in range(4)]
    assert [p.wait(timeout=240) for p in procs] == [0, 0, 0, 0]
    r = verify_log(path)
    assert r.ok and r.count == 2000 and r.records == 2000
    s = open_store(path)
    seqs = [row[0] for row in s._query("SELECT seq FROM rag_audit_events ORDER BY seq")]
    assert seqs == list(range(1, 2001))
    for k in range(4):
        assert s.count(user_id=f"p{k}") == 500
    s.close()


def test_acknowledged_record_survives_sigkill(tmp_path):
    path = str(tmp_path / "crash.db")
    p = subprocess.Popen([sys.executable, WRITER, path, "3", "crash", "--ack"], env=_env(),
                         stdout=subprocess.PIPE, text=True)
    line = p.stdout.readline()
    os.kill(p.pid, signal.SIGKILL)
    p.wait(timeout=30)
    assert line.startswith("acked ")
    record_id = line.split()[1]
    s = open_store(path)
    rec = s.get(record_id)
    assert rec is not None and rec.query == "crash question 2" and rec.seq == 3
    s.close()
    r = verify_log(path)
    assert r.ok and r.count == 3
