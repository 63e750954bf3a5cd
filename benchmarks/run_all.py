"""Run the detection benchmarks (power -> key variance -> robustness -> quality) and the results table.

    python benchmarks/run_all.py --quick    # smoke sizes into benchmarks/results/quick/ (never the committed files)
    python benchmarks/run_all.py            # full sizes into benchmarks/results/, then --write-readme
    python benchmarks/run_all.py --with-others   # also speed.py, audit_trail.py, faithfulness_calibration.py

The three detection scripts share the generation cache (benchmarks/cache/), so each configuration
is generated once. Extra arguments after ``--`` go to power.py, robustness.py and quality.py alike
(e.g. ``-- --n-prompts 32``).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from genai_provenance.offline import offline_env  # noqa: E402

SCRIPTS = ("power.py", "key_variance.py", "robustness.py", "quality.py")


def run(cmd: list[str]) -> float:
    t = time.time()
    print("$ " + " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, env=offline_env(), cwd=HERE.parent)
    return time.time() - t


def main(argv=None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    extra = argv[argv.index("--") + 1 :] if "--" in argv else []
    argv = argv[: argv.index("--")] if "--" in argv else argv
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--quick", action="store_true")
    ap.add_argument(
        "--results-dir",
        type=Path,
        default=None,
        help="default benchmarks/results (quick: benchmarks/results/quick)",
    )
    ap.add_argument(
        "--with-others",
        action="store_true",
        help="also run speed.py, audit_trail.py and faithfulness_calibration.py (full mode only: "
        "they write to benchmarks/results/ themselves)",
    )
    ap.add_argument(
        "--no-readme", action="store_true", help="do not rewrite the README results section"
    )
    a = ap.parse_args(argv)
    out = a.results_dir or (HERE / "results" / "quick" if a.quick else HERE / "results")
    py = sys.executable
    times = {}
    for s in SCRIPTS:
        times[s] = run(
            [py, str(HERE / s), "--results-dir", str(out)]
            + (["--quick"] if a.quick else [])
            + extra
        )
    if a.with_others and not a.quick:
        times["speed.py"] = run([py, str(HERE / "speed.py")])
        times["audit_trail.py"] = run([py, str(HERE / "audit_trail.py")])
        times["faithfulness_calibration.py"] = run(
            [py, str(HERE / "faithfulness_calibration.py"), "--calibrate"]
        )
    table = [py, str(HERE / "results_table.py"), "--results-dir", str(out)]
    if not a.quick and not a.no_readme and a.results_dir is None:
        table.append("--write-readme")
    times["results_table.py"] = run(table)
    print("timings (s): " + ", ".join(f"{k} {v:.0f}" for k, v in times.items()))


if __name__ == "__main__":
    main()
