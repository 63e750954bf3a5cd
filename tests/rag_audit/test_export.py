"""export_parquet / export_labelled_overrides on a real SQLite log, read back with DuckDB."""

from __future__ import annotations

import json
import sqlite3

import duckdb
import pyarrow.parquet as pq
import pytest
from audit_helpers import OverlapScorer, make_chunks

from rag_audit import AuditError, Auditor, AuditRecord, Chunk, open_store
from rag_audit.export import SCHEMA, export_labelled_overrides, export_parquet
from rag_audit.record import canonical_bytes, evaluation_body

DAYS = ["2025-01-30", "2025-01-31", "2025-02-01"]


def _sentences(i):
    return [
        {"text": f"claim {i}.", "supported": True, "score": 0.9, "chunk_id": f"c{i}a"},
        {"text": f"wild claim {i}.", "supported": i % 2 == 0, "score": 0.2, "chunk_id": None},
    ]


@pytest.fixture
def dated_log(tmp_path, keypair):
    """9 records over three days (3 a day) written with explicit times, each evaluated."""
    path = tmp_path / "audit.db"
    store = open_store(path)
    for i in range(9):
        t = f"{DAYS[i // 3]}T{10 + i}:00:00.000000Z"
        rec = AuditRecord(
            record_id=f"rec-{i}",
            query=f"q{i}",
            answer=f"claim {i}. wild claim {i}.",
            chunks=[
                Chunk(id=f"c{i}a", text="alpha", source="kb/a.md", score=0.5),
                Chunk(id=f"c{i}b", text="beta"),
            ],
            user_id=f"u{i % 2}",
            app="bot",
            model="m",
            time_start=t,
            time_end=t,
            tokens={"input": 10, "output": 5},
        )
        store.append([canonical_bytes(rec.to_body())])
        f = {
            "score": 1.0 if i % 2 == 0 else 0.5,
            "min": 0.2,
            "mean": 0.55,
            "scorer": "test",
            "sentences": _sentences(i),
        }
        store.append([canonical_bytes(evaluation_body(rec.record_id, f))])
    store.make_checkpoint(keypair[0])
    store.close()
    return path


def test_export_round_trips_through_duckdb(dated_log, tmp_path, keypair):
    out = tmp_path / "pq"
    s = export_parquet(dated_log, out, public_key=keypair[1])
    assert s.records == 9 and s.verified and len(s.files) == 3
    assert set(s.partitions) == {
        "year=2025/month=01/day=30",
        "year=2025/month=01/day=31",
        "year=2025/month=02/day=01",
    }
    glob = f"{out}/**/*.parquet"
    con = duckdb.connect()
    n, users, unsupported, score_sum = con.execute(
        f"SELECT count(*), count(DISTINCT user_id), sum(unsupported_sentence_count), "
        f"sum(faithfulness_score) FROM read_parquet('{glob}', hive_partitioning=true)"
    ).fetchone()
    assert (n, users, unsupported, score_sum) == (9, 2, 4, 7.0)
    by_day = con.execute(
        f"SELECT year, month, day, count(*) FROM read_parquet('{glob}', hive_partitioning=true) "
        "GROUP BY ALL ORDER BY ALL"
    ).fetchall()
    assert [(int(y), int(m), int(d), c) for y, m, d, c in by_day] == [
        (2025, 1, 30, 3),
        (2025, 1, 31, 3),
        (2025, 2, 1, 3),
    ]
    row = con.execute(
        f"SELECT record_id, seq, chunk_ids, chunks[1].source, sentences[2].supported, "
        f"sentences[2].text, input_tokens, hash, prev_hash, strftime(time, '%H') "
        f"FROM read_parquet('{glob}', hive_partitioning=true) WHERE record_id = 'rec-1'"
    ).fetchone()
    rec = open_store(dated_log, readonly=True).get("rec-1")
    assert row == (
        "rec-1",
        rec.seq,
        ["c1a", "c1b"],
        "kb/a.md",
        False,
        "wild claim 1.",
        10,
        rec.hash,
        rec.prev_hash,
        "11",
    )
    # the partition keys live in the paths only; each file has the documented schema
    assert pq.read_schema(out / s.files[0]).names == SCHEMA.names


def test_manifest_records_verification_and_checkpoint(dated_log, tmp_path, keypair):
    out = tmp_path / "pq"
    export_parquet(dated_log, out, public_key=keypair[1])
    m = json.loads((out / "_export.json").read_text())
    assert m["records"] == 9 and m["verification"]["ok"] is True
    assert m["verification"]["signatures_checked"] is True
    assert m["last_checkpoint"]["tree_size"] == 18
    assert sorted(m["files"]) == sorted(str(p.relative_to(out)) for p in out.rglob("*.parquet"))


def test_since_until_filter(dated_log, tmp_path):
    s = export_parquet(
        dated_log,
        tmp_path / "pq",
        since="2025-01-31T00:00:00.000000Z",
        until="2025-02-01T00:00:00.000000Z",
    )
    assert s.records == 3 and list(s.partitions) == ["year=2025/month=01/day=31"]


def test_tampered_log_is_flagged_or_refused(dated_log, tmp_path):
    c = sqlite3.connect(dated_log, isolation_level=None)
    c.execute("DROP TRIGGER rag_audit_events_no_update")
    c.execute("UPDATE rag_audit_events SET body = replace(body, '\"q4\"', '\"q4!\"') WHERE seq = 9")
    c.close()
    s = export_parquet(dated_log, tmp_path / "a")
    assert not s.verified and s.verification["reason"] == "modified"
    manifest = json.loads((tmp_path / "a" / "_export.json").read_text())
    assert manifest["verification"]["first_bad"] == 9
    with pytest.raises(AuditError, match="failed verification"):
        export_parquet(dated_log, tmp_path / "b", require_valid=True)
    assert not (tmp_path / "b").exists()


def test_refuses_non_empty_dir_unless_overwrite(dated_log, tmp_path):
    out = tmp_path / "pq"
    export_parquet(dated_log, out)
    with pytest.raises(AuditError, match="not empty"):
        export_parquet(dated_log, out)
    s = export_parquet(dated_log, out, overwrite=True)
    assert len(list(out.rglob("*.parquet"))) == len(s.files) == 3  # old parts were replaced
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "precious.txt").write_text("x")
    with pytest.raises(AuditError, match="no _export.json"):
        export_parquet(dated_log, tmp_path / "mine", overwrite=True)
    assert (tmp_path / "mine" / "precious.txt").exists()


def test_progress_reaches_total(dated_log, tmp_path):
    seen = []
    export_parquet(dated_log, tmp_path / "pq", progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (9, 9)


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_labelled_overrides(tmp_path, suffix):
    path = tmp_path / "audit.db"
    with Auditor(path, scorer=OverlapScorer(), model="m") as a:
        ids = []
        for i in range(3):
            with a.trace(f"q{i}", user_id="u") as t:
                t.add_chunks(make_chunks(1, 100, tag=str(i)))
                t.set_answer("the refund policy")
            ids.append(t.record_id)
        a.flush()
        a.record_override(ids[2], reviewer="ann", decision="reject", reason="wrong")
        a.record_override(
            ids[0], reviewer="bob", decision="correct", reason="typo", correction="fixed"
        )
    out = tmp_path / f"labels{suffix}"
    assert export_labelled_overrides(path, out) == 2
    if suffix == ".jsonl":
        rows = [json.loads(line) for line in out.read_text().splitlines()]
    else:
        rows = pq.read_table(out).to_pylist()
    assert [(r["record_id"], r["decision"], r["correction"]) for r in rows] == [
        (ids[2], "reject", None),
        (ids[0], "correct", "fixed"),
    ]
    assert rows[0]["faithfulness"] == 1.0 and rows[0]["chunks"][0]["id"] == "doc0#2"


def test_labelled_overrides_bad_suffix(dated_log, tmp_path):
    with pytest.raises(AuditError, match=r"\*\.jsonl or \*\.parquet"):
        export_labelled_overrides(dated_log, tmp_path / "labels.csv")


def test_manifest_never_holds_a_password():
    from rag_audit.export import describe_target

    url = "postgresql://bob:s3cret@db:5432/audit"
    assert describe_target(url) == "postgresql://bob:***@db:5432/audit"
    assert describe_target("/var/log/audit.db") == "/var/log/audit.db"
    # the forms the old regex missed: a '/' in the password, and ?password=
    assert "pa/ss" not in describe_target("postgresql://bob:pa/ss@db/x")
    assert "s3cret" not in describe_target("postgresql://bob@db/x?password=s3cret")
    assert describe_target("postgresql://bob@db/x?password=s3cret").startswith(
        "postgresql://bob@db"
    )
