"""The calibrated rule of the default scorer: its weights, threshold and number cap, and how a
sentence's features become a score.

Calibrated by `benchmarks/faithfulness_calibration.py --calibrate` on the calibration half of
rag_audit/data/faithfulness_labelled.jsonl; see benchmarks/results/faithfulness.json.
Sentence score = sigmoid(bias + sum(weight * feature)); the features are described in
`evidence.sentence_features`.
"""

from __future__ import annotations

import math

from .errors import FaithfulnessError

__all__ = ["DEFAULT_THRESHOLD", "DEFAULT_WEIGHTS", "NUMBER_CAP", "check_threshold",
           "check_weights", "combine", "sigmoid"]  # fmt: skip

DEFAULT_WEIGHTS: dict[str, float] = {
    "bias": -2.438,
    "sim": 0.511,
    "coverage": 3.078,
    "name_missing": -2.44,
    "negation_mismatch": -1.388,
}
DEFAULT_THRESHOLD = 0.674
# A number in the sentence that appears in no chunk caps the sentence score here (below any
# sensible threshold): the rule is fixed, not learned.
NUMBER_CAP = 0.05


def sigmoid(z: float) -> float:
    """The logistic function, computed without overflow for large |z|."""
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def check_threshold(threshold: float) -> float:
    """`threshold` as a float, or FaithfulnessError when it is outside [0, 1]."""
    if not 0.0 <= threshold <= 1.0:
        raise FaithfulnessError(f"threshold={threshold!r} must lie in [0, 1]")
    return float(threshold)


def check_weights(weights: dict[str, float] | None) -> dict[str, float]:
    """A copy of `weights` (default: DEFAULT_WEIGHTS), or FaithfulnessError when a key is missing."""
    out = dict(DEFAULT_WEIGHTS if weights is None else weights)
    missing = set(DEFAULT_WEIGHTS) - set(out)
    if missing:
        raise FaithfulnessError(
            f"weights lack {sorted(missing)}: pass all of {sorted(DEFAULT_WEIGHTS)}"
        )
    return out


def combine(weights: dict[str, float], feat: dict[str, float]) -> float:
    """Sentence score in [0, 1] from its features (logistic rule + the number cap), unrounded."""
    z = weights["bias"] + sum(weights[k] * feat[k] for k in weights if k != "bias")
    p = sigmoid(z)
    if feat.get("number_missing"):
        p = min(p, NUMBER_CAP)
    return p
