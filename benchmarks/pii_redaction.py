"""Recall and false-positive rate of the built-in PII rules (rag_audit.redact) per kind.

Reads benchmarks/data/pii_cases.jsonl (written by make_pii_cases.py; dev and test halves made
from disjoint sentence templates and seeds). For each positive sentence the expected span counts
as found when one redaction with the expected label covers it; ``any_label`` also counts a
redaction of another label. ``extra`` counts redactions outside the expected span (false
positives inside positive sentences). For each PII-free look-alike sentence, any redaction at all
is a false positive. Every rate comes with its 95% Wilson interval. The rules were tuned on the
dev half only; the test half is the figure to quote.

    python benchmarks/pii_redaction.py [--results-dir DIR]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from common import write  # noqa: E402

from rag_audit.redact import Redactor  # noqa: E402

CASES = Path(__file__).resolve().parent / "data" / "pii_cases.jsonl"
TARGET_RECALL = 0.95  # per structured kind (all kinds in this set are structured)
TARGET_FPR = 0.02


def wilson(k: int, n: int, z: float = 1.959964) -> list[float]:
    """95% Wilson score interval of a proportion k/n ([0, 1] when n is 0)."""
    if n == 0:
        return [0.0, 1.0]
    p = k / n
    den = 1 + z * z / n
    mid = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return [round(max(0.0, mid - half), 4), round(min(1.0, mid + half), 4)]


def load(path: Path = CASES) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def evaluate(cases: list[dict], redactor: Redactor | None = None) -> dict:
    """Per split: per-kind recall (positives) and false-positive rate (look-alikes), totals."""
    redactor = redactor or Redactor()
    acc: dict = defaultdict(
        lambda: defaultdict(lambda: {"n": 0, "hit": 0, "any": 0, "extra": 0, "fp": 0, "misses": []})
    )
    for c in cases:
        found = redactor.spans(c["text"])
        a = acc[c["split"]][c["kind"]]
        a["n"] += 1
        a["label"] = c["label"]
        if c["label"] is None:
            if found:
                a["fp"] += 1
                if len(a["misses"]) < 5:
                    a["misses"].append(c["text"])
            continue
        s, e, label = c["spans"][0]
        cover = [f for f in found if f[0] <= s and f[1] >= e]
        a["hit"] += any(f[2] == label for f in cover)
        a["any"] += bool(cover)
        a["extra"] += sum(1 for f in found if f[1] <= s or f[0] >= e)
        if not any(f[2] == label for f in cover) and len(a["misses"]) < 5:
            a["misses"].append(c["text"])
    out = {}
    for split, kinds in sorted(acc.items()):
        pos, neg = {}, {}
        for kind, a in sorted(kinds.items()):
            if a["label"] is None:
                neg[kind] = {
                    "n": a["n"],
                    "false_positives": a["fp"],
                    "fpr": round(a["fp"] / a["n"], 4),
                    "fpr_ci95": wilson(a["fp"], a["n"]),
                    "examples": a["misses"],
                }
            else:
                pos[kind] = {
                    "label": a["label"],
                    "n": a["n"],
                    "found": a["hit"],
                    "recall": round(a["hit"] / a["n"], 4),
                    "recall_ci95": wilson(a["hit"], a["n"]),
                    "recall_any_label": round(a["any"] / a["n"], 4),
                    "extra_spans": a["extra"],
                    "missed_examples": a["misses"],
                }
        n_pos = sum(p["n"] for p in pos.values())
        k_pos = sum(p["found"] for p in pos.values())
        n_neg = sum(p["n"] for p in neg.values())
        k_neg = sum(p["false_positives"] for p in neg.values())
        extra = sum(p["extra_spans"] for p in pos.values())
        out[split] = {
            "positives": pos,
            "lookalikes": neg,
            "total": {
                "positives": n_pos,
                "recall": round(k_pos / n_pos, 4),
                "recall_ci95": wilson(k_pos, n_pos),
                "lookalikes": n_neg,
                "fpr": round(k_neg / n_neg, 4),
                "fpr_ci95": wilson(k_neg, n_neg),
                "extra_spans_in_positives": extra,
            },
            "kinds_below_recall_target": [k for k, p in pos.items() if p["recall"] < TARGET_RECALL],
            "families_above_fpr_target": [k for k, p in neg.items() if p["fpr"] > TARGET_FPR],
        }
    return out


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--results-dir", default=None, help="where to write pii_redaction.json")
    a = ap.parse_args(argv)
    cases = load()
    results = evaluate(cases)
    path = write(
        "pii_redaction",
        {
            "cases": str(CASES.relative_to(CASES.parents[2])),
            "n_cases": len(cases),
            "target_recall": TARGET_RECALL,
            "target_fpr": TARGET_FPR,
            "tuned_on": "dev",
            "match": "a redaction with the expected label covers the span",
        },
        results,
        a.results_dir,
    )
    for split in ("dev", "test"):
        r = results[split]
        t = r["total"]
        print(
            f"{split}: recall {t['recall']:.3f} {t['recall_ci95']} over {t['positives']}, "
            f"FPR {t['fpr']:.3f} {t['fpr_ci95']} over {t['lookalikes']}; "
            f"below recall target: {r['kinds_below_recall_target']}; "
            f"above FPR target: {r['families_above_fpr_target']}"
        )
    print(f"wrote {path}")
    return results


if __name__ == "__main__":
    main()
