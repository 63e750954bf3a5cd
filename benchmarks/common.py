"""Shared benchmark plumbing: the one results-file format, machine/version facts, timing helpers.

Every script writes ``results/<name>.json`` through :func:`write`, in one format::

    {"name": ..., "settings": {... what was run, sizes, targets ...},
     "machine": {"cpu", "cores", "python", "platform", "date", "versions": {package: version}},
     "results": {... the raw numbers ...}}

and ``results_table.py`` reads only that format (:func:`read`). Importing this module keeps the
Hugging Face libraries offline (``genai_provenance.offline``).
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from genai_provenance.offline import ensure_offline  # noqa: E402

ensure_offline()

RESULTS = Path(__file__).resolve().parent / "results"
FORMAT_KEYS = ("name", "settings", "machine", "results")
PACKAGES = ("torch", "transformers", "numpy", "numba", "scipy", "sentence-transformers")


def machine(packages: Iterable[str] = (), **extra) -> dict:
    """CPU, core count, Python, platform, date and the versions of ``PACKAGES`` + ``packages``;
    ``extra`` items are added as they are (e.g. ``load_average_at_start``)."""
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for pkg in (*PACKAGES, *packages):
        try:
            versions[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "versions": versions,
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        **extra,
    }


def write(
    name: str,
    settings: dict,
    results: dict,
    results_dir: Path | str | None = None,
    *,
    machine_info: dict | None = None,
) -> Path:
    """Write ``results_dir/<name>.json`` (default ``benchmarks/results``) in the one format.
    ``machine_info`` replaces ``machine()`` (e.g. ``machine(packages=[...])``)."""
    out_dir = RESULTS if results_dir is None else Path(results_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{name}.json"
    doc = {
        "name": name,
        "settings": settings,
        "machine": machine() if machine_info is None else machine_info,
        "results": results,
    }
    path.write_text(json.dumps(doc, indent=2, default=float) + "\n")
    return path


def read(path: Path | str) -> dict:
    """A results file; ValueError when it is not in the one format."""
    doc = json.loads(Path(path).read_text())
    missing = [k for k in FORMAT_KEYS if not isinstance(doc, dict) or k not in doc]
    if missing:
        raise ValueError(
            f"{Path(path).name} is not a benchmark results file (missing {', '.join(missing)})"
        )
    return doc


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
