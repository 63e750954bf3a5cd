"""The three-way sentence decision and the answer score, from a sentence's evidence features.

A small learned head (multinomial logistic regression over the features of
`AlignedScorer.evidence`, fitted by `benchmarks/faithfulness_calibration.py --fit` on the 21
domains of the broad set's development splits) gives P(supported), P(contradicted), P(not_found);
P(supported) is then calibrated (isotonic, fitted on leave-one-domain-out predictions). A sentence
is `supported` when its calibrated probability reaches the threshold; otherwise it is
`contradicted` when the head prefers that over `not_found` *and* an explicit check found a
disagreement with the aligned evidence, else `not_found`. The answer score is the calibrated
probability that every sentence is supported (the product, or the minimum — the calibration file
says which was chosen by leave-one-domain-out AUROC).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .errors import FaithfulnessError

__all__ = ["CALIBRATION_FILE", "VERDICTS", "Calibration", "load_calibration"]

VERDICTS = ("supported", "contradicted", "not_found")
CALIBRATION_FILE = Path(__file__).with_name("calibration.json")


@dataclass(frozen=True)
class Calibration:
    """The fitted head, the isotonic map, the thresholds and the IDF table (one JSON file)."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray  # [3, n_features], rows in VERDICTS order
    intercept: np.ndarray  # [3]
    iso_x: np.ndarray
    iso_y: np.ndarray
    threshold: float  # on the calibrated sentence probability and on the answer score
    aggregate: str  # "product" or "min"
    idf: dict[int, float]
    idf_default: float
    digest: str  # sha256[:12] of the file's canonical JSON
    raw: dict

    @classmethod
    def from_dict(cls, d: dict) -> Calibration:
        try:
            head = d["head"]
            return cls(
                features=tuple(head["features"]),
                mean=np.array(head["mean"], dtype=np.float64),
                scale=np.array(head["scale"], dtype=np.float64),
                coef=np.array(head["coef"], dtype=np.float64),
                intercept=np.array(head["intercept"], dtype=np.float64),
                iso_x=np.array(d["isotonic"]["x"], dtype=np.float64),
                iso_y=np.array(d["isotonic"]["y"], dtype=np.float64),
                threshold=float(d["threshold"]),
                aggregate=str(d["aggregate"]),
                idf={int(k): float(v) for k, v in d["idf"]["table"].items()},
                idf_default=float(d["idf"]["default"]),
                digest=hashlib.sha256(json.dumps(d, sort_keys=True).encode()).hexdigest()[:12],
                raw=d,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise FaithfulnessError(
                f"the faithfulness calibration is malformed ({exc!r}); rebuild it with "
                "benchmarks/faithfulness_calibration.py --fit"
            ) from exc

    def head(self, feats: Sequence[dict[str, float]]) -> np.ndarray:
        """Head probabilities [n, 3] (VERDICTS order) for feature dicts."""
        if not feats:
            return np.zeros((0, 3))
        x = np.array([[f[k] for k in self.features] for f in feats], dtype=np.float64)
        z = ((x - self.mean) / self.scale) @ self.coef.T + self.intercept
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def calibrate(self, p: np.ndarray) -> np.ndarray:
        """Calibrated P(supported) for raw head probabilities (isotonic, interpolated)."""
        return np.interp(p, self.iso_x, self.iso_y)

    def answer_score(self, probs: Sequence[float]) -> float:
        """P(every sentence supported) from calibrated sentence probabilities."""
        if not probs:
            return 1.0
        return float(np.prod(probs)) if self.aggregate == "product" else float(min(probs))


def decide(p_supported: float, head_row: np.ndarray, found_mismatch: bool, threshold: float) -> str:
    """The sentence verdict (see the module docstring)."""
    if p_supported >= threshold:
        return "supported"
    if found_mismatch and head_row[1] >= head_row[2]:
        return "contradicted"
    return "not_found"


@lru_cache(maxsize=4)
def _load(path: str, mtime_ns: int) -> Calibration:
    try:
        d = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise FaithfulnessError(
            f"cannot read the faithfulness calibration {path!r}: {exc}"
        ) from exc
    return Calibration.from_dict(d)


def load_calibration(source: str | Path | dict | Calibration | None = None) -> Calibration:
    """The committed calibration (default), or one from a path or dict."""
    if isinstance(source, Calibration):
        return source
    if isinstance(source, dict):
        return Calibration.from_dict(source)
    path = Path(source) if source is not None else CALIBRATION_FILE
    if not path.is_file():
        raise FaithfulnessError(
            f"faithfulness calibration {str(path)!r} does not exist; pass a "
            "file written by benchmarks/faithfulness_calibration.py --fit"
        )
    return _load(str(path), path.stat().st_mtime_ns)
