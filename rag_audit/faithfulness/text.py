"""Text preparation shared by every scorer: answer sentences (pysbd), chunk pieces (a fast regex
splitter plus word windows), chunk normalisation, and `prepare`, the one place where an
(answer, chunks) pair is turned into sentences, pieces and their lexical terms, once."""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .errors import FaithfulnessError
from .evidence import Terms, terms

__all__ = ["MAX_PIECE_WORDS", "ChunkLike", "Prepared", "chunk_pieces", "clause_spans",
           "normalize_chunks", "piece_spans", "prepare", "split_sentences"]  # fmt: skip

ChunkLike = Any  # an object with `.id` and `.text`, or an `(id, text)` tuple
MAX_PIECE_WORDS = 40

_segmenter_lock = threading.Lock()


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def split_sentences(text: str) -> list[str]:
    """Split `text` into sentences with pysbd; whitespace is collapsed, empty pieces dropped."""
    if not isinstance(text, str):
        raise FaithfulnessError(f"answer must be a str, got {type(text).__name__}: {text!r:.80}")
    flat = re.sub(r"\s+", " ", text).strip()
    if not flat:
        return []
    with _segmenter_lock:  # pysbd keeps per-call state on the segmenter
        parts = _segmenter().segment(flat)
    return [p.strip() for p in parts if p.strip()]


# Where a sentence may join a further claim: a comma or semicolon, or a linking word ("and",
# "which", "after", "plus", ...). A clause must have at least `MIN_CLAUSE_WORDS` words, else it
# joins its neighbour ("swimwear, earrings and gift cards" stays one clause).
_CLAUSE_CUT = re.compile(
    r"[,;]\s+|\s+(?=(?:and|but|which|who|whose|where|while|after|before|plus|so|whereas|"
    r"although|though|including|because|since|until|unless|if|when)\b)",
    re.I,
)
MIN_CLAUSE_WORDS = 4


def clause_spans(sentence: str) -> list[tuple[int, int]]:
    """Character spans of the clauses of `sentence` (see `_CLAUSE_CUT`); one span when it has no
    clause boundary."""
    cuts = [m.end() for m in _CLAUSE_CUT.finditer(sentence)]
    spans: list[list[int]] = []
    start = 0
    for c in [*cuts, len(sentence)]:
        if spans and len(sentence[spans[-1][0] : start].split()) < MIN_CLAUSE_WORDS:
            spans[-1][1] = c  # the previous clause is too short: it takes this one in
        else:
            spans.append([start, c])
        start = c
    if len(spans) > 1 and len(sentence[spans[-1][0] : spans[-1][1]].split()) < MIN_CLAUSE_WORDS:
        last = spans.pop()
        spans[-1][1] = last[1]
    return [(a, b) for a, b in spans if sentence[a:b].strip()]


# Chunk pieces use a fast regex splitter (chunks are long and many; pysbd costs ~10 ms per KB).
_PIECE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(\[*“])|\n\s*\n")


def chunk_pieces(text: str) -> list[str]:
    """Sentences of a chunk, long ones cut into windows of at most `MAX_PIECE_WORDS` words."""
    pieces: list[str] = []
    for raw in _PIECE_SPLIT.split(text):
        words = raw.split()
        if not words:
            continue
        step = MAX_PIECE_WORDS
        for start in range(0, len(words), step):
            pieces.append(" ".join(words[start : start + step]))
    return pieces


_WORD = re.compile(r"\S+")


def piece_spans(text: str) -> list[tuple[int, int]]:
    """Character spans `(start, end)` in `text` of the same pieces as `chunk_pieces` (sentences by
    the same splitter, long ones cut into windows of at most `MAX_PIECE_WORDS` words), so that an
    evidence piece can be cited by its offsets inside the chunk."""
    spans: list[tuple[int, int]] = []
    at = 0
    for m in list(_PIECE_SPLIT.finditer(text)) + [None]:
        end = m.start() if m is not None else len(text)
        words = [(w.start(), w.end()) for w in _WORD.finditer(text, at, end)]
        for k in range(0, len(words), MAX_PIECE_WORDS):
            win = words[k : k + MAX_PIECE_WORDS]
            spans.append((win[0][0], win[-1][1]))
        if m is not None:
            at = m.end()
    return spans


def normalize_chunks(chunks: Sequence[ChunkLike] | None) -> list[tuple[str, str]]:
    """Accept objects with `.id`/`.text`, `(id, text)` tuples, or `{"id", "text"}` dicts."""
    out: list[tuple[str, str]] = []
    for i, c in enumerate(chunks or ()):
        if hasattr(c, "id") and hasattr(c, "text"):
            cid, text = c.id, c.text
        elif isinstance(c, dict) and "text" in c:
            cid, text = c.get("id", i), c["text"]
        elif isinstance(c, (tuple, list)) and len(c) == 2:
            cid, text = c
        else:
            raise FaithfulnessError(
                f"chunk {i} is {c!r:.80}: pass objects with .id and .text, or (id, text) tuples"
            )
        out.append((str(cid), text if isinstance(text, str) else str(text)))
    return out


@dataclass(frozen=True)
class Prepared:
    """An (answer, chunks) pair ready for scoring: everything text-side is computed here once."""

    sentences: list[str]
    chunks: list[tuple[str, str]]  # (id, text), in the caller's order
    pieces: list[str]  # chunk pieces, chunk by chunk
    owner: list[int]  # owner[j] = index into `chunks` of piece j
    sentence_terms: list[Terms]
    piece_terms: list[Terms]
    chunk_numbers: set[str]  # every number of every piece
    chunk_stems: set[str]  # every content stem of every piece

    def chunk_id_of_piece(self, j: int) -> str:
        """The id of the chunk piece `j` came from."""
        return self.chunks[self.owner[j]][0]


def prepare(answer: str, chunks: Sequence[ChunkLike] | None) -> Prepared:
    """Split the answer into sentences and the chunks into pieces; compute their terms."""
    sents = split_sentences(answer)
    norm = normalize_chunks(chunks)
    pieces: list[str] = []
    owner: list[int] = []
    for ci, (_, text) in enumerate(norm):
        for p in chunk_pieces(text):
            pieces.append(p)
            owner.append(ci)
    piece_terms = [terms(p) for p in pieces]
    chunk_numbers: set[str] = set()
    chunk_stems: set[str] = set()
    for pt in piece_terms:
        chunk_numbers.update(pt.numbers)
        chunk_stems.update(pt.content)
    return Prepared(
        sentences=sents,
        chunks=norm,
        pieces=pieces,
        owner=owner,
        sentence_terms=[terms(s) for s in sents],
        piece_terms=piece_terms,
        chunk_numbers=chunk_numbers,
        chunk_stems=chunk_stems,
    )
