"""watermark.spark: batch detection on a real local Spark (local[2]) against the single-process
detector, row by row, and the key kept out of the plan, the shipped function, the logs and the
event log (what the UI shows).

The corpus: a few real watermarked generations of the bundled model cut into many token windows,
human paragraphs of Python's own documentation cut into word windows, mixes of both, short texts,
empty strings, whitespace and nulls -- over 20,000 rows in four Parquet files.
"""

from __future__ import annotations

import glob
import os
import random
import subprocess
import sys
from contextlib import redirect_stdout
from io import StringIO
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from watermark import WatermarkConfig, WatermarkDetector, WatermarkError, WatermarkKey
from watermark.detector import NOT_WATERMARKED, TOO_SHORT, WATERMARKED

pytestmark = pytest.mark.slow

PROMPTS = [
    "Write a short story about a lighthouse keeper who finds a message in a bottle.",
    "Give practical advice for learning to cook.",
    "Describe a delayed train journey in vivid detail.",
]
ENV_KEY = "GENAI_TEST_SPARK_KEY"
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def wm(tmp_path_factory, model_and_tokenizer):
    """A key (in a 0600 file), its bound config (in a file) and three real watermarked generations."""
    import torch

    from watermark.generate import generate_watermarked

    model, tok = model_and_tokenizer
    d = tmp_path_factory.mktemp("spark-wm")
    key = WatermarkKey(bytes(range(7, 39)))
    key.save(d / "wm.key")
    config = WatermarkConfig(delta=3.0).bind(key=key, tokenizer=tok)
    config.save(d / "wm.json")
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # several times faster than 2 threads when other work shares the CPUs
    try:  # three rows: below the processor's parallel-kernel size, which a loaded machine slows down
        texts = generate_watermarked(model, tok, PROMPTS, config, key, max_new_tokens=120, seed=3)
    finally:
        torch.set_num_threads(threads)
    return {
        "dir": d,
        "key": key,
        "key_file": str(d / "wm.key"),
        "config": config,
        "config_file": str(d / "wm.json"),
        "tok": tok,
        "generated": texts,
    }


@pytest.fixture(scope="module")
def corpus(wm, human_paragraphs):
    """>= 20,000 shuffled rows (id, kind, text) in four Parquet files; returns (dir, rows)."""
    tok, gens = wm["tok"], wm["generated"]
    rows: list[tuple[str, str | None]] = []
    for g in gens:  # token windows of real watermarked output, decoded back to text
        ids = tok(g, add_special_tokens=False)["input_ids"]
        for length in (12, 20, 32, 48, 64, 100):
            for s in range(0, len(ids) - length + 1):
                rows.append(("watermarked", tok.decode(ids[s : s + length])))
        rows.append(("watermarked", g))
    for p in human_paragraphs:  # word windows of human-written paragraphs
        words = p.split()
        for length, stride in ((8, 5), (25, 7), (60, 9), (150, 15)):
            for s in range(0, max(1, len(words) - length + 1), stride):
                rows.append(("human", " ".join(words[s : s + length])))
    rng = random.Random(5)
    for i in range(400):  # human text with a watermarked stretch inside
        rows.append(
            (
                "mixed",
                f"{rng.choice(human_paragraphs)}\n\n{gens[i % len(gens)]}\n\n"
                f"{rng.choice(human_paragraphs)}",
            )
        )
    rows += [("empty", "")] * 250 + [
        ("empty", rng.choice([" ", "\n\t ", "   \n"])) for _ in range(100)
    ]
    rows += [("null", None)] * 300
    for i in range(max(1000, 21_000 - len(rows))):  # one to four words
        rows.append(("short", " ".join(rng.choice(human_paragraphs).split()[: 1 + i % 4])))
    rng.shuffle(rows)
    assert len(rows) >= 20_000
    d = wm["dir"] / "corpus"
    d.mkdir()
    q = (len(rows) + 3) // 4
    for f in range(4):
        part = rows[f * q : (f + 1) * q]
        pq.write_table(
            pa.table(
                {
                    "id": pa.array(range(f * q, f * q + len(part)), pa.int64()),
                    "kind": [k for k, _ in part],
                    "text": [t for _, t in part],
                }
            ),
            d / f"part-{f}.parquet",
        )
    return d, rows


def _expected_status(text):
    return "null" if text is None else "empty" if not text.strip() else "ok"


def test_spark_matches_the_single_process_detector_row_by_row(spark, wm, corpus):
    from watermark.spark import detect

    path, rows = corpus
    texts = [t for _, t in rows]
    out = detect(spark.read.parquet(str(path)), "text", wm["config_file"], wm["key_file"]).toArrow()
    out = out.sort_by("id").to_pydict()
    # every input row comes back once, with its columns untouched
    assert out["id"] == list(range(len(rows)))
    assert out["text"] == texts and out["kind"] == [k for k, _ in rows]
    assert out["status"] == [_expected_status(t) for t in texts]

    single = WatermarkDetector(wm["tok"], wm["config"], wm["key"])
    idx = [i for i, t in enumerate(texts) if t is not None and t.strip()]
    ref = single.detect_batch([texts[i] for i in idx])
    for col in ("verdict", "p_value", "z_score", "num_scored", "num_green", "key_id"):
        got = [out[col][i] for i in idx]
        want = [getattr(r, col) for r in ref]
        bad = [i for i, g, w in zip(idx, got, want) if g != w]
        assert not bad, f"{col}: {len(bad)} rows differ, the first is row {bad[:1]}"
    for i, t in enumerate(texts):
        if t is None or not t.strip():
            assert (
                out["verdict"][i] is None and out["p_value"][i] is None and out["key_id"][i] is None
            )
    # the corpus really is mixed: every verdict occurs often
    verdicts = [r.verdict for r in ref]
    assert verdicts.count(WATERMARKED) >= 300
    assert verdicts.count(NOT_WATERMARKED) >= 5000 and verdicts.count(TOO_SHORT) >= 1000


def test_windowed_spans_match_detect_spans(spark, wm, corpus):
    from watermark.spark import detect

    _, rows = corpus
    picked = [r for r in rows if r[0] == "mixed"] + [r for r in rows if r[0] in ("null", "empty")][
        :100
    ]
    picked += [r for r in rows if r[0] in ("watermarked", "human", "short")][:300]
    df = spark.createDataFrame([(i, t) for i, (_, t) in enumerate(picked)], "id long, text string")
    out = (
        detect(df, "text", wm["config"], wm["key_file"], windowed=True)
        .toArrow()
        .sort_by("id")
        .to_pylist()
    )
    single = WatermarkDetector(wm["tok"], wm["config"], wm["key"])
    with_spans = 0
    for row, (_, text) in zip(out, picked):
        assert row["status"] == _expected_status(text)
        if row["status"] != "ok":
            assert row["spans"] is None and row["verdict"] is None
            continue
        r = single.detect_spans(text)
        assert (
            row["verdict"],
            row["p_value"],
            row["z_score"],
            row["num_scored"],
            row["num_green"],
            row["key_id"],
        ) == (r.verdict, r.p_value, r.z_score, r.num_scored, r.num_green, r.key_id)
        assert row["spans"] == [s.to_dict() for s in r.spans]
        with_spans += bool(r.spans)
    assert with_spans >= 100  # the mixed texts hold a located watermarked stretch


def test_a_bad_row_gets_an_error_status_and_the_job_completes(spark, wm, human_paragraphs):
    from watermark.spark import detect

    # Spark strings may hold bytes that are not UTF-8 (binary data cast to string)
    df = spark.sql(
        "SELECT 1 AS id, CAST(unhex('C328') AS STRING) AS text UNION ALL "
        "SELECT 2, CAST(NULL AS STRING) UNION ALL SELECT 3, ' '"
    ).union(spark.createDataFrame([(4, human_paragraphs[0])], "id int, text string"))
    rows = {r["id"]: r for r in detect(df, "text", wm["config"], wm["key_file"]).collect()}
    assert rows[1]["status"] == "error: the text is not valid UTF-8 (invalid byte at offset 0)"
    assert rows[1]["verdict"] is None
    assert (rows[2]["status"], rows[3]["status"], rows[4]["status"]) == ("null", "empty", "ok")
    assert rows[4]["verdict"] == NOT_WATERMARKED


def test_the_key_is_in_neither_the_plan_nor_the_shipped_function(spark, wm, monkeypatch):
    from watermark.spark import detect

    key, secret_hex = wm["key"], wm["key"].secret.hex()
    monkeypatch.setenv(ENV_KEY, secret_hex)  # read on the driver by the early check
    df = spark.createDataFrame([("some text to score",)], "text string")
    for ref in (wm["key_file"], f"env:{ENV_KEY}"):
        out = detect(df, "text", wm["config"], ref)
        buf = StringIO()
        with redirect_stdout(buf):
            out.explain(extended=True)
        qe = out._jdf.queryExecution()
        plan = buf.getvalue() + qe.toString()
        assert "MapInArrow" in plan
        # the pickled command Spark ships to every Python worker, as stored in the plan
        command = bytes(qe.analyzed().functionExpr().func().command().unsafeArray())
        assert ref.encode() in command  # the reference travels (this is the shipped function)...
        for text in (plan.encode(), command):  # ...the key does not, in any form
            assert secret_hex.encode() not in text and secret_hex.upper().encode() not in text
            assert key.secret not in text
        assert len(command) < 20_000  # no tokenizer or detector pickled into it


def test_key_material_is_refused_and_setup_errors_fail_before_any_job(spark, wm):
    from watermark.spark import detect

    df = spark.createDataFrame([(1, "text")], "id int, text string")
    for material in (wm["key"], wm["key"].secret):
        with pytest.raises(WatermarkError, match="reference"):
            detect(df, "text", wm["config"], material)
    with pytest.raises(WatermarkError, match="no column 'body'"):
        detect(df, "body", wm["config"], wm["key_file"])
    with pytest.raises(WatermarkError, match="'id' holds int, not strings"):
        detect(df, "id", wm["config"], wm["key_file"])
    with pytest.raises(WatermarkError, match="already has column"):
        detect(df.withColumnRenamed("id", "verdict"), "text", wm["config"], wm["key_file"])
    other = WatermarkKey(b"another key, not the one in the config")
    other.save(wm["dir"] / "other.key")
    with pytest.raises(WatermarkError, match="no key given matches"):
        detect(df, "text", wm["config"], str(wm["dir"] / "other.key"))
    with pytest.raises(WatermarkError, match="does not exist"):
        detect(df, "text", wm["config"], str(wm["dir"] / "missing.key"))


# ---- the CLI, in its own process and JVM, logging at INFO with an event log -----------------------

# Spark's INFO log, to a file: a shell's console appender drops everything below WARN
LOG4J_INFO = """\
rootLogger.level = info
rootLogger.appenderRef.file.ref = file
appender.file.type = File
appender.file.name = file
appender.file.fileName = {path}
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = %d{{HH:mm:ss}} %p %c{{1}}: %m%n%ex
"""


def _run_cli(*args, env=None, timeout=600):
    p = subprocess.run(
        [str(BIN / "detect_watermark"), *map(str, args)],
        capture_output=True,
        env=env,
        timeout=timeout,
    )
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def test_cli_spark_writes_parquet_and_leaks_no_key(
    spark_available, wm, corpus, tmp_path, human_paragraphs
):
    second = WatermarkKey(b"the second key of the ring, from env")
    docs = [t for k, t in corpus[1] if k == "mixed"][:5] + wm["generated"] + human_paragraphs[:20]
    docs += [None, "", "short"]
    pq.write_table(
        pa.table({"doc_id": list(range(len(docs))), "body": docs}), tmp_path / "in.parquet"
    )
    events = tmp_path / "events"
    events.mkdir()
    (tmp_path / "log4j2.properties").write_text(LOG4J_INFO.format(path=tmp_path / "spark.log"))
    env = dict(
        os.environ,
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        TOKENIZERS_PARALLELISM="false",
        PYSPARK_SUBMIT_ARGS=(
            f"--driver-java-options -Dlog4j.configurationFile=file:{tmp_path}"
            "/log4j2.properties --conf spark.eventLog.enabled=true "
            "--conf spark.eventLog.compress=false "
            f"--conf spark.eventLog.dir=file://{events} pyspark-shell"
        ),
        **{ENV_KEY: second.secret.hex()},
    )
    env.pop("PYSPARK_PYTHON", None)  # the CLI picks this interpreter for a local master itself
    out = tmp_path / "out.parquet"
    rc, stdout, stderr = _run_cli(
        "--spark",
        tmp_path / "in.parquet",
        "--column",
        "body",
        "--out",
        out,
        "--key",
        wm["key_file"],
        "--key",
        f"env:{ENV_KEY}",
        "--config",
        wm["config_file"],
        "--master",
        "local[2]",
        env=env,
    )
    assert rc == 0, stderr[-3000:]
    single = WatermarkDetector(wm["tok"], wm["config"], [wm["key"], second])
    ref = single.detect_batch([t for t in docs if t])
    n = {v: sum(r.verdict == v for r in ref) for v in (WATERMARKED, NOT_WATERMARKED, TOO_SHORT)}
    assert n[WATERMARKED] and n[NOT_WATERMARKED] and n[TOO_SHORT]
    assert stdout.splitlines() == [
        f"wrote {len(docs)} rows to {out}: {n[WATERMARKED]} watermarked, "
        f"{n[NOT_WATERMARKED]} not watermarked, {n[TOO_SHORT]} too short to "
        "decide, 1 null, 1 empty, 0 error"
    ]
    table = pq.read_table(out).sort_by("doc_id").to_pydict()
    got = [
        (v, p, k)
        for v, p, k, t in zip(table["verdict"], table["p_value"], table["key_id"], docs)
        if t
    ]
    assert got == [(r.verdict, r.p_value, r.key_id) for r in ref]
    assert table["status"][-3:] == ["null", "empty", "ok"]
    # stdout, stderr (Python workers' too), Spark's INFO log and the event log (what the UI and
    # the history server show) hold no key
    events_text = [
        Path(f).read_text(errors="replace")
        for f in glob.glob(str(events / "**"), recursive=True)
        if Path(f).is_file()
    ]
    spark_log = (tmp_path / "spark.log").read_text(errors="replace")
    assert spark_log.count(" INFO ") > 50 and "INFO DAGScheduler: Job 0 finished" in spark_log
    assert any("MapInArrow" in t and "SparkListenerSQLExecutionStart" in t for t in events_text)
    logged = [stdout, stderr, spark_log] + events_text
    for k in (wm["key"], second):
        assert not any(k.secret.hex() in t or k.secret.hex().upper() in t for t in logged)


def test_cli_spark_input_errors_exit_2_without_traceback(wm, tmp_path):
    cases = [
        (
            ["--spark", tmp_path / "nothing.parquet", "--out", tmp_path / "o"],
            "does not exist",
            True,
        ),
        (["--spark", tmp_path, "--out", tmp_path], "exists; choose a new output path", True),
        (["--spark", tmp_path, "--json", "--out", tmp_path / "o"], "do not apply", False),
        (["--spark", tmp_path], "--out", False),
    ]
    for args, msg, one_line in cases:
        rc, stdout, stderr = _run_cli(*args, "--key", wm["key_file"], "--config", wm["config_file"])
        assert rc == 2 and msg in stderr and "Traceback" not in stderr and stdout == "", stderr
        if one_line:
            assert stderr.splitlines() == [stderr.strip()] and stderr.startswith("Error: ")
