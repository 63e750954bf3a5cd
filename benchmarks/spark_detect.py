"""Batch detection throughput: Spark (local[1], local[2]) vs one process, on the same Parquet file.

One Parquet file of human text windows (Python's own documentation, 10-200 words, a few nulls and
empty strings; row groups of 1,000 rows so Spark can split it across cores) is scored by:

* the single-process detector: pyarrow reads the file, ``WatermarkDetector.detect_batch`` scores
  it in chunks, pyarrow writes the verdicts (tokenizer load not counted);
* the single-process CLI: ``detect_watermark texts.jsonl --json`` on the same non-empty texts, as a
  subprocess, start-up included (it cannot read Parquet);
* ``watermark.spark.detect_parquet`` (what ``detect_watermark --spark`` runs) on local[1] and
  local[2]: a cold run (the first job of a fresh session: Python workers start, import torch and
  load the tokenizer) and the median of warm runs (workers reused). Session start-up is reported
  separately and not counted.

rows/s counts every row; tokens/s counts the tokens of the scored texts (the same for all).

    python benchmarks/spark_detect.py [--quick] [--rows N] [--warm K] [--results-dir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from benchmarks.common import RESULTS, pyplot, write  # noqa: E402

KEY_HEX = "5eed" * 16  # a public benchmark key: it marks nothing
MASTERS = ("local[1]", "local[2]")


def parse_args(argv=None):
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    ap.add_argument(
        "--rows", type=int, default=None, help="rows in the file (default 100,000; quick 5,000)"
    )
    ap.add_argument(
        "--warm", type=int, default=None, help="warm Spark runs per master (default 3; quick 1)"
    )
    ap.add_argument(
        "--results-dir", type=Path, default=RESULTS, help="where spark_detect.json and .png go"
    )
    a = ap.parse_args(argv)
    a.rows = a.rows or (5_000 if a.quick else 100_000)
    a.warm = a.warm or (1 if a.quick else 3)
    if a.rows < 100:
        ap.error("--rows must be at least 100")
    return a


def make_texts(n: int) -> list:
    """``n`` texts: windows of 10-200 words over the paragraphs of pydoc_data.topics (human text),
    every 500th row null and every 500th (offset 250) empty. Deterministic."""
    from pydoc_data.topics import topics

    words = []
    for name in sorted(topics):
        for para in re.split(r"\n\s*\n", topics[name]):
            words += para.split()
    lengths = (10, 40, 80, 120, 200)
    out: list = []
    s = 0
    while len(out) < n:
        i = len(out)
        if i % 500 == 0:
            out.append(None)
        elif i % 500 == 250:
            out.append("")
        else:
            L = lengths[i % len(lengths)]
            s = (s + 37) % (len(words) - L)
            out.append(" ".join(words[s : s + L]))
    return out


def single_process(path: Path, out: Path, tok, config, key) -> dict:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from watermark import WatermarkDetector

    det = WatermarkDetector(tok, config, key)
    t0 = time.perf_counter()
    table = pq.read_table(path)
    texts = table.column("text").to_pylist()
    idx = [i for i, t in enumerate(texts) if t is not None and t.strip()]
    res = []
    for s in range(0, len(idx), 512):
        res += det.detect_batch([texts[i] for i in idx[s : s + 512]])
    cols = {"verdict": [None] * len(texts), "p_value": [None] * len(texts)}
    for i, r in zip(idx, res):
        cols["verdict"][i], cols["p_value"][i] = r.verdict, r.p_value
    pq.write_table(
        table.append_column("verdict", pa.array(cols["verdict"], pa.string())).append_column(
            "p_value", pa.array(cols["p_value"], pa.float64())
        ),
        out,
    )
    wall = time.perf_counter() - t0
    return {"wall_s": wall, "tokens": int(sum(r.num_tokens for r in res)), "scored_rows": len(res)}


def cli(jsonl: Path, key_file: Path, config_file: Path) -> float:
    exe = Path(sys.executable).parent / "detect_watermark"
    cmd = (
        [str(exe)]
        if exe.exists()
        else [sys.executable, "-c", "from watermark.cli import detect_main; detect_main()"]
    )
    t0 = time.perf_counter()
    p = subprocess.run(
        cmd + [str(jsonl), "--json", "--key", str(key_file), "--config", str(config_file)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    wall = time.perf_counter() - t0
    if p.returncode not in (0, 1, 3):
        raise RuntimeError(f"detect_watermark failed ({p.returncode}): {p.stderr[-2000:]}")
    return wall


def spark_runs(
    master: str, path: Path, work: Path, key_file: Path, config_file: Path, warm: int
) -> dict:
    from watermark.spark import detect_parquet, spark_session

    t0 = time.perf_counter()
    spark = spark_session(
        master, app_name=f"spark_detect {master}", conf={"spark.ui.enabled": "false"}
    )
    startup = time.perf_counter() - t0
    walls, counts = [], None
    try:
        for run in range(1 + warm):
            out = work / f"out-{master.removeprefix('local[').removesuffix(']')}-{run}"
            t0 = time.perf_counter()
            counts = detect_parquet(
                [str(path)],
                str(out),
                column="text",
                config=str(config_file),
                key_ref=str(key_file),
                master=master,
            )
            walls.append(time.perf_counter() - t0)
            shutil.rmtree(out)
            print(
                f"  {master} run {run} ({'cold' if run == 0 else 'warm'}): {walls[-1]:.1f}s",
                flush=True,
            )
    finally:
        spark.stop()
    return {
        "startup_s": startup,
        "cold_s": walls[0],
        "warm_s": statistics.median(walls[1:]),
        "warm_runs_s": walls[1:],
        "counts": {k: v for k, v in counts.items() if k != "out"},
    }


def main(argv=None) -> dict:
    a = parse_args(argv)
    t_start = time.time()
    load_before = os.getloadavg()
    import pyarrow as pa
    import pyarrow.parquet as pq

    from watermark import WatermarkConfig, WatermarkKey, load_tokenizer

    tok = load_tokenizer()
    key = WatermarkKey.from_hex(KEY_HEX)
    config = WatermarkConfig().bind(key=key, tokenizer=tok)
    texts = make_texts(a.rows)
    work = Path(tempfile.mkdtemp(prefix="spark-detect-"))
    try:
        key.save(work / "bench.key")
        config.save(work / "bench.json")
        path = work / "texts.parquet"
        pq.write_table(
            pa.table({"id": list(range(len(texts))), "text": texts}), path, row_group_size=1000
        )
        jsonl = work / "texts.jsonl"
        jsonl.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts if t))

        print(f"{a.rows:,} rows; single process (detector)...", flush=True)
        sp = single_process(path, work / "single.parquet", tok, config, key)
        tokens = sp["tokens"]
        print(f"  {sp['wall_s']:.1f}s; CLI on JSONL...", flush=True)
        cli_s = cli(jsonl, work / "bench.key", work / "bench.json")
        print(f"  {cli_s:.1f}s", flush=True)
        spark = {
            m: spark_runs(m, path, work, work / "bench.key", work / "bench.json", a.warm)
            for m in MASTERS
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)

    def rates(wall: float) -> dict:
        return {"wall_s": wall, "rows_per_s": a.rows / wall, "tokens_per_s": tokens / wall}

    rows = [
        {"engine": "single-process detector", **rates(sp["wall_s"])},
        {
            "engine": "single-process CLI (detect_watermark, JSONL)",
            **rates(cli_s),
            "rows": sp["scored_rows"],
            "note": "non-empty rows only; process start-up included",
        },
    ]
    for m, r in spark.items():
        rows.append(
            {"engine": f"spark {m} cold", **rates(r["cold_s"]), "session_startup_s": r["startup_s"]}
        )
        rows.append(
            {"engine": f"spark {m} warm", **rates(r["warm_s"]), "warm_runs_s": r["warm_runs_s"]}
        )
    for r in rows:
        r["vs_single_process"] = r["rows_per_s"] / rows[0]["rows_per_s"]
        print(
            f"{r['engine']:48s} {r['rows_per_s']:10,.0f} rows/s {r['tokens_per_s']:12,.0f} tokens/s "
            f"({r['vs_single_process']:.2f}x)",
            flush=True,
        )
    load_after = os.getloadavg()
    settings = {
        "quick": a.quick,
        "rows": a.rows,
        "tokens": tokens,
        "warm_runs": a.warm,
        "texts": "windows of 10-200 words of pydoc_data.topics; every 500th row null, every 500th empty",
        "parquet_row_group_rows": 1000,
        "masters": list(MASTERS),
        "pyspark": _version("pyspark"),
        "pandas": _version("pandas"),
        "java": _java(),
        "load_average_1m_before_after": [load_before[0], load_after[0]],
        "note": (
            "Measured on a shared 2-core machine, loaded by other work "
            f"(1-minute load average {load_before[0]:.1f} before, {load_after[0]:.1f} after): "
            "compare the ratios within this run, not the absolute rates, with other machines."
        )
        if max(load_before[0], load_after[0]) > 1.5
        else "Measured with the machine otherwise idle.",
        "wall_s": time.time() - t_start,
    }
    results = {
        "rows": rows,  # and flat per-engine figures, for the generic README table
        "rows_per_s": {r["engine"]: r["rows_per_s"] for r in rows},
        "tokens_per_s": {r["engine"]: r["tokens_per_s"] for r in rows},
        "spark_counts": spark["local[2]"]["counts"],
    }
    out = write("spark_detect", settings, results, results_dir=a.results_dir)
    plot(rows, out.with_suffix(".png"))
    print(f"wrote {out} in {time.time() - t_start:.0f}s")
    return results


def _version(pkg: str) -> str | None:
    try:
        return metadata.version(pkg)
    except metadata.PackageNotFoundError:
        return None


def _java() -> str | None:
    try:
        p = subprocess.run(["java", "-version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    return (p.stderr.strip().splitlines() or [None])[0]


def plot(rows, path: Path) -> None:
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(8, 3.6))
    names = [r["engine"].replace(" (detect_watermark, JSONL)", "\n(CLI, JSONL)") for r in rows]
    ax.barh(range(len(rows)), [r["rows_per_s"] for r in rows], color="tab:blue")
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels(names, fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel("rows/s (same Parquet file)")
    ax.set_title("Batch detection throughput: Spark local[n] vs one process")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


if __name__ == "__main__":
    main()
