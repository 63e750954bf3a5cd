"""Shared benchmark plumbing: machine/version facts and writing results/<name>.json."""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from importlib import metadata
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def machine() -> dict:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for pkg in ("torch", "transformers", "numpy", "numba", "scipy", "sentence-transformers"):
        try:
            versions[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            pass
    return {"cpu": cpu, "cores": os.cpu_count(), "python": sys.version.split()[0],
            "platform": platform.platform(), "versions": versions,
            "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


def write(name: str, settings: dict, results: dict, results_dir: Path | str | None = None) -> Path:
    out_dir = RESULTS if results_dir is None else Path(results_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{name}.json"
    path.write_text(json.dumps({"name": name, "settings": settings, "machine": machine(),
                                "results": results}, indent=2, default=float) + "\n")
    return path


def pyplot():
    """matplotlib.pyplot on the file-only Agg backend (the scripts write PNGs, never open windows)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def median_time(fn, *, repeat: int, warmup: int = 3) -> float:
    """Median wall time of fn() in seconds."""
    for _ in range(warmup):
        fn()
    ts = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t)
    return statistics.median(ts)
