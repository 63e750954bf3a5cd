"""The Parquet export read by Spark: ``spark.read.parquet`` discovers the year=/month=/day=
partitions, and the record count, the per-day counts and the mean faithfulness match the log."""

from __future__ import annotations

import statistics

import pytest
from audit_helpers import make_chunks

from rag_audit import Auditor, AuditRecord, Chunk, open_store
from rag_audit.export import SCHEMA, export_parquet
from rag_audit.record import canonical_bytes, evaluation_body

pytestmark = pytest.mark.slow

DAYS = ["2024-12-31", "2025-01-01", "2025-02-28"]


@pytest.fixture
def log(tmp_path, keypair, scorer):
    """A signed SQLite log: 9 records on three past days and 7 traced now, each scored by the
    test scorer, plus one failed request (no evaluation, so no faithfulness)."""
    path = tmp_path / "audit.db"
    store = open_store(path)
    for i in range(9):
        t = f"{DAYS[i // 3]}T{8 + i:02d}:30:00.000000Z"
        chunks = [
            Chunk(id=f"c{i}", text="refunds are allowed within thirty days", source="kb/r.md")
        ]
        answer = "refunds are allowed within thirty days" if i % 3 else f"no idea about case {i}"
        rec = AuditRecord(
            record_id=f"old-{i}",
            query=f"q{i}",
            answer=answer,
            chunks=chunks,
            user_id=f"u{i % 2}",
            app="bot",
            model="m",
            time_start=t,
            time_end=t,
        )
        store.append([canonical_bytes(rec.to_body())])
        store.append(
            [
                canonical_bytes(
                    evaluation_body(rec.record_id, scorer.score(answer, chunks).to_dict())
                )
            ]
        )
    store.close()
    # the past days' events were written straight to the store: the writer adopts them (checked)
    a = Auditor(
        path, scorer=scorer, signing_key=keypair[0], app="bot", model="m", adopt_unsigned=True
    )
    for i in range(7):
        with a.trace(f"what is the refund policy? ({i})", user_id=f"u{i % 3}") as t:
            t.add_chunks(make_chunks(2, 200, tag=str(i)))
            t.set_answer(
                "the refund policy allows returns"
                + " within thirty days" * (i % 2)
                + " unless it rains on mars" * (i % 3)
            )
    with pytest.raises(RuntimeError):
        with a.trace("this request fails", user_id="u9") as t:
            raise RuntimeError("retriever down")
    a.close()
    return path


def test_spark_reads_the_export_with_partition_discovery(spark, log, tmp_path, keypair):
    from pyspark.sql import functions as F

    out = tmp_path / "export"
    summary = export_parquet(log, out, public_key=keypair[1], require_valid=True)
    store = open_store(log, readonly=True)
    try:
        records = list(store.records())
    finally:
        store.close()
    scores = [r.faithfulness["score"] for r in records if r.faithfulness]
    assert len(records) == 17 and len(scores) == 16 and len(set(scores)) > 2  # the fixture's shape

    df = spark.read.parquet(str(out))  # _export.json beside the data is skipped, as Spark does
    assert df.count() == summary.records == len(records)
    assert set(df.columns) == set(SCHEMA.names) | {"year", "month", "day"}
    assert {
        f.name: f.dataType.simpleString()
        for f in df.schema.fields
        if f.name in ("year", "month", "day")
    } == {"year": "int", "month": "int", "day": "int"}
    row = df.agg(
        F.avg("faithfulness_score").alias("mean"),
        F.count("faithfulness_score").alias("n"),
        F.sum(F.col("faithfulness_score").isNull().cast("int")).alias("missing"),
    ).first()
    assert row["n"] == len(scores) and row["missing"] == len(records) - len(scores)
    assert row["mean"] == pytest.approx(statistics.fmean(scores), rel=1e-12)
    by_day = {
        (r["year"], r["month"], r["day"]): r["count"]
        for r in df.groupBy("year", "month", "day").count().collect()
    }
    want: dict = {}
    for r in records:
        y, m, d = (int(x) for x in r.time_start[:10].split("-"))
        want[(y, m, d)] = want.get((y, m, d), 0) + 1
    assert by_day == want and len(want) >= 4
    # a filter on the partition columns reads only that day's directory
    one_day = df.where("year = 2025 AND month = 2 AND day = 28")
    assert sorted(r["record_id"] for r in one_day.select("record_id").collect()) == [
        "old-6",
        "old-7",
        "old-8",
    ]
    assert (
        "PartitionFilters: [isnotnull(year"
        in one_day._jdf.queryExecution().executedPlan().toString()
    )
    assert {r["record_id"] for r in df.select("record_id").collect()} == {
        r.record_id for r in records
    }
