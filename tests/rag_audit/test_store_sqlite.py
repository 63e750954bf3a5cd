"""The SQLite store: append-only triggers, filters, many processes at once, crash safety."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
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
    assert (
        first.seq == 1
        and first.watermark.applied
        and first.faithfulness["scorer"] == "word-overlap"
    )
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
    procs = [
        subprocess.Popen([sys.executable, WRITER, path, "500", f"p{k}"], env=_env())
        for k in range(4)
    ]
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
    p = subprocess.Popen(
        [sys.executable, WRITER, path, "3", "crash", "--ack"],
        env=_env(),
        stdout=subprocess.PIPE,
        text=True,
    )
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


def test_unknown_option_is_named(tmp_path):
    with pytest.raises(AuditError, match="unknown SQLite store option 'durabilty'"):
        Auditor(tmp_path / "a.db", durabilty="full")
    with pytest.raises(AuditError, match="'readonyl'"):
        open_store(tmp_path / "a.db", readonyl=True)


def _signed_log(path, keypair):
    a = Auditor(path, scorer=None, signing_key=keypair[0])
    for i in range(3):
        with a.trace(f"q{i}") as t:
            t.set_answer("a")
    a.close()


@pytest.mark.parametrize(
    "damage, broken",
    [
        ("DROP TABLE rag_audit_checkpoints", ["checkpoints"]),
        (
            "ALTER TABLE rag_audit_events RENAME TO old_events",
            ["iter_events", "records", "get", "count"],
        ),
    ],
)
def test_missing_table_is_a_one_line_audit_error(tmp_path, keypair, damage, broken):
    from click.testing import CliRunner

    from rag_audit.cli import cli

    path = tmp_path / "a.db"
    _signed_log(path, keypair)
    store = open_store(path, readonly=True)
    with sqlite3.connect(path) as c:
        c.execute(damage)
    readers = {
        "checkpoints": store.checkpoints,
        "iter_events": lambda: list(store.iter_events()),
        "records": lambda: list(store.records()),
        "get": lambda: store.get("x"),
        "count": store.count,
    }
    for name, read in readers.items():
        if name in broken:
            with pytest.raises(AuditError, match="no such table.*restore it") as e:
                read()
            assert "\n" not in str(e.value) and str(path) in str(e.value), name
        else:
            read()
    store.close()
    with pytest.raises(AuditError, match="rag_audit_"):
        verify_log(path, public_key=keypair[1])
    with pytest.raises(AuditError, match="no table rag_audit_"):  # a writer does not recreate it
        Auditor(path, scorer=None)
    out = CliRunner().invoke(cli, ["verify", str(path)])
    assert out.exit_code == 2 and len(out.output.strip().splitlines()) == 1, out.output


def test_append_errors_are_one_line_audit_errors(tmp_path, keypair):
    path = tmp_path / "a.db"
    _signed_log(path, keypair)
    store = open_store(path)
    store.append([b'{"event.kind":"note"}'])  # not covered by a checkpoint yet
    with sqlite3.connect(path) as c:
        c.execute("DROP TABLE rag_audit_checkpoints")
    with pytest.raises(AuditError, match="cannot read .*no such table: rag_audit_checkpoints"):
        store.make_checkpoint(keypair[0])
    with sqlite3.connect(path) as c:
        c.execute(
            "CREATE TABLE rag_audit_checkpoints (tree_size INTEGER PRIMARY KEY, "
            "body TEXT NOT NULL, frontier TEXT NOT NULL)"
        )
        c.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON rag_audit_checkpoints "
            "BEGIN SELECT RAISE(ABORT, 'no new checkpoints'); END"
        )
    with pytest.raises(AuditError, match="cannot append a checkpoint to .*no new checkpoints"):
        store.make_checkpoint(keypair[0])
    with sqlite3.connect(path) as c:
        c.execute("ALTER TABLE rag_audit_events RENAME TO old_events")
    with pytest.raises(AuditError, match="cannot append to .*no such table") as e:
        store.append([b"{}"])
    assert "\n" not in str(e.value)
    store.close()
