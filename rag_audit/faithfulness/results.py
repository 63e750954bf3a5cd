"""What a scorer returns: per-sentence support and the answer-level aggregate."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["ROUND", "FaithfulnessResult", "SentenceSupport", "aggregate"]

ROUND = 6  # scores are rounded to this many decimals


@dataclass(frozen=True)
class SentenceSupport:
    """One answer sentence: its score, whether it reaches the threshold, the chunk it matched."""

    text: str
    supported: bool
    score: float
    chunk_id: str | None
    unsupported_terms: tuple[str, ...] = ()
    # Three-way scorers (AlignedScorer) also give: the verdict ("supported" / "contradicted" /
    # "not_found"; `supported` == (verdict == "supported")), the evidence span {chunk_id, start,
    # end} (character offsets inside that chunk's text: the aligned piece, for not_found the
    # closest one) and, for contradicted sentences, the disagreements {kind, sentence, evidence}.
    verdict: str | None = None
    evidence: dict[str, Any] | None = None
    mismatches: tuple[dict[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "text": self.text,
            "supported": self.supported,
            "score": self.score,
            "chunk_id": self.chunk_id,
            "unsupported_terms": list(self.unsupported_terms),
        }
        if self.verdict is not None:
            d["verdict"] = self.verdict
            d["evidence"] = dict(self.evidence) if self.evidence else None
            d["mismatches"] = [dict(m) for m in self.mismatches]
        return d


@dataclass(frozen=True)
class FaithfulnessResult:
    """Per-sentence support and its aggregate. Older scorers: `score` is the fraction of supported
    sentences. AlignedScorer: `score` is the calibrated probability that every sentence is
    supported, `supported_share` the fraction of supported sentences, `calibration` the hash of
    the calibration used and `aggregate` how sentence probabilities were combined."""

    score: float
    min: float
    mean: float
    method: str
    scorer: str
    scorer_version: str
    threshold: float
    sentences: tuple[SentenceSupport, ...] = field(default_factory=tuple)
    supported_share: float | None = None
    calibration: str | None = None
    aggregate: str | None = None

    @property
    def supported(self) -> bool:
        """Calibrated scorers: the answer score reaches the threshold (which implies every sentence
        is supported). Older scorers: every sentence is supported."""
        if self.calibration is not None:
            return self.score >= self.threshold
        return all(s.supported for s in self.sentences)

    def verdict_counts(self) -> dict[str, int]:
        """How many sentences got each verdict (three-way scorers)."""
        out = {"supported": 0, "contradicted": 0, "not_found": 0}
        for s in self.sentences:
            v = s.verdict or ("supported" if s.supported else "not_found")
            out[v] = out.get(v, 0) + 1
        return out

    def to_dict(self) -> dict[str, Any]:
        d = {
            "score": self.score,
            "min": self.min,
            "mean": self.mean,
            "method": self.method,
            "scorer": self.scorer,
            "scorer_version": self.scorer_version,
            "threshold": self.threshold,
            "sentences": [s.to_dict() for s in self.sentences],
        }
        if self.calibration is not None:
            d.update(
                {
                    "supported_share": self.supported_share,
                    "calibration": self.calibration,
                    "aggregate": self.aggregate,
                    "supported": self.supported,
                    "verdicts": self.verdict_counts(),
                }
            )
        return d


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
