"""What a scorer returns: per-sentence support and the answer-level aggregate."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["ROUND", "FaithfulnessResult", "SentenceSupport", "aggregate"]

ROUND = 6  # scores are rounded to this many decimals


@dataclass(frozen=True)
class SentenceSupport:
    """One answer sentence: its score, whether it reaches the threshold, and the chunk it matched."""

    text: str
    supported: bool
    score: float
    chunk_id: str | None
    unsupported_terms: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "supported": self.supported,
            "score": self.score,
            "chunk_id": self.chunk_id,
            "unsupported_terms": list(self.unsupported_terms),
        }


@dataclass(frozen=True)
class FaithfulnessResult:
    """Per-sentence support and its aggregate: `score` is the fraction of supported sentences."""

    score: float
    min: float
    mean: float
    method: str
    scorer: str
    scorer_version: str
    threshold: float
    sentences: tuple[SentenceSupport, ...] = field(default_factory=tuple)

    @property
    def supported(self) -> bool:
        """True when every sentence is supported (the answer-level label used in calibration)."""
        return all(s.supported for s in self.sentences)

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "min": self.min,
            "mean": self.mean,
            "method": self.method,
            "scorer": self.scorer,
            "scorer_version": self.scorer_version,
            "threshold": self.threshold,
            "sentences": [s.to_dict() for s in self.sentences],
        }


def aggregate(
    sentences: list[SentenceSupport], *, method: str, scorer: str, version: str, threshold: float
) -> FaithfulnessResult:
    """The answer-level result of scored sentences (no sentences: vacuously supported, 1.0)."""
    if not sentences:  # nothing claimed: vacuously supported
        return FaithfulnessResult(1.0, 1.0, 1.0, method, scorer, version, threshold, ())
    scores = [s.score for s in sentences]
    frac = sum(s.supported for s in sentences) / len(sentences)
    return FaithfulnessResult(
        score=round(frac, ROUND),
        min=round(min(scores), ROUND),
        mean=round(sum(scores) / len(scores), ROUND),
        method=method,
        scorer=scorer,
        scorer_version=version,
        threshold=threshold,
        sentences=tuple(sentences),
    )
