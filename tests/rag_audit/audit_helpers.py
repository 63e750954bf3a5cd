"""Helpers shared by the rag_audit tests and the benchmark: a fast stand-in scorer, chunks."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from rag_audit import Chunk


@dataclass
class OverlapResult:
    score: float
    sentences: list = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "score": self.score,
            "min": self.score,
            "mean": self.score,
            "method": "overlap",
            "scorer": "word-overlap",
            "scorer_version": "test",
            "sentences": self.sentences,
        }


class OverlapScorer:
    """Stands in for the real (slow, model-based) faithfulness scorer so tests stay fast: the
    share of answer words that occur in some chunk. Same protocol as rag_audit.faithfulness."""

    name = "word-overlap"
    version = "test"

    def __init__(self, delay_s: float = 0.0) -> None:
        self.delay_s = delay_s
        self.calls = 0
        self.lock = threading.Lock()

    def score(self, answer: str, chunks) -> OverlapResult:
        if self.delay_s:
            time.sleep(self.delay_s)
        with self.lock:
            self.calls += 1
        words = answer.lower().split()
        vocab = {w for c in chunks for w in c.text.lower().split()}
        s = sum(w in vocab for w in words) / max(1, len(words))
        best = chunks[0].id if chunks else None
        return OverlapResult(
            s, [{"text": answer, "supported": s >= 0.5, "score": s, "chunk_id": best}]
        )


def make_chunks(n: int = 5, size: int = 1000, tag: str = "") -> list[Chunk]:
    base = "the refund policy allows returns within thirty days of purchase "
    text = (base * (size // len(base) + 1))[:size]
    return [
        Chunk(id=f"doc{i}#{tag}", text=text, source=f"kb/doc{i}.md", score=0.9 - i / 10)
        for i in range(n)
    ]
