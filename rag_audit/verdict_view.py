"""How a record's faithfulness verdicts are presented: the one home used by ``rag_audit show``, the
HTML report and the console.

`sentence_views(record)` reads the record's newest evaluation (``AuditRecord.faithfulness``, the
scorer's ``FaithfulnessResult.to_dict()``) and gives one `SentenceView` per answer sentence: its
three-way verdict, calibrated score, cited chunk, the evidence span and its text, and for a
contradicted sentence the disagreements. Evaluations by older two-way scorers (no ``verdict`` key)
still render: their verdict is derived from ``supported`` (``supported`` / ``not_found``) and the
view is marked ``legacy``. `evaluation_view(record)` says which scorer, version and calibration made
that evaluation and how many evaluations the record has (``rag_audit rescore`` appends).
`chunk_segments(chunk_text, spans)` cuts a chunk into plain and highlighted pieces.

The log is untrusted (its operator may be the attacker), so every value is checked and the views
fail closed: a verdict that is not one of the three, or a ``supported`` verdict the ``supported``
flag does not confirm, reads ``not_found``; an evidence span whose offsets are not integers, out of
range or reversed, or whose chunk id is missing, ambiguous or differs from the sentence's, is
dropped and the view says ``evidence unavailable``. Nothing here raises on malformed data.
Strings are returned as stored: escaping is the caller's job (``safe_text`` on a terminal,
autoescaping in HTML).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "EVIDENCE_UNAVAILABLE",
    "MAX_SPANS",
    "NO_EVIDENCE",
    "VERDICTS",
    "EvaluationView",
    "Segment",
    "SentenceView",
    "chunk_segments",
    "evaluation_view",
    "evidence_snippet",
    "mismatch_text",
    "record_chunk_spans",
    "sentence_views",
]

VERDICTS = ("supported", "contradicted", "not_found")
EVIDENCE_UNAVAILABLE = "evidence unavailable"
NO_EVIDENCE = "no evidence span recorded"
MAX_SPANS = 512  # spans per chunk that chunk_segments considers (beyond: dropped, in order)
_MAX_MISMATCHES = 16
# Texts the erasure module stores in place of sealed or erased content (see rag_audit.erasure):
# offsets into them mean nothing.
_PLACEHOLDERS = frozenset({"[encrypted]", "[erased]", "[undecryptable]"})
# Where spans overlap, the segment shows the first of these (a disagreement matters most; a
# not_found sentence's span is only the closest piece, not evidence).
_PRIORITY = {"contradicted": 0, "supported": 1, "not_found": 2}


@dataclass(frozen=True)
class SentenceView:
    """One answer sentence as readers see it.

    ``verdict`` is one of `VERDICTS`; ``score`` the (calibrated) sentence score or None;
    ``chunk_id`` the cited chunk; ``span`` the evidence's character offsets inside that chunk and
    ``evidence`` its text (both None when unavailable; ``note`` then says why); ``chunk_index``
    the cited chunk's position in ``record.chunks``; ``mismatches`` the disagreements
    ``{kind, sentence, evidence}``; ``legacy`` True when an older two-way scorer made it (verdict
    derived from ``supported``). For ``not_found`` the span is the closest piece, not support."""

    index: int
    text: str
    verdict: str
    score: float | None
    chunk_id: str | None
    span: tuple[int, int] | None
    evidence: str | None
    mismatches: tuple[dict[str, str], ...]
    legacy: bool
    chunk_index: int | None = None
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (``show --json``, the console)."""
        return {
            "index": self.index,
            "text": self.text,
            "verdict": self.verdict,
            "score": self.score,
            "chunk_id": self.chunk_id,
            "chunk_index": self.chunk_index,
            "span": list(self.span) if self.span is not None else None,
            "evidence": self.evidence,
            "mismatches": [dict(m) for m in self.mismatches],
            "legacy": self.legacy,
            "note": self.note,
        }


@dataclass(frozen=True)
class EvaluationView:
    """Which scorer made a record's newest evaluation, and its answer-level figures.

    ``evaluations`` is how many evaluation events the record has (None when unknown);
    ``calibration`` is the calibration hash (None for older scorers, then ``legacy`` is True);
    ``error`` the scoring error when the scorer failed (then ``score`` is None); ``verdicts`` the count per verdict of the
    sentence views."""

    scorer: str | None
    scorer_version: str | None
    calibration: str | None
    score: float | None
    threshold: float | None
    supported_share: float | None
    aggregate: str | None
    evaluations: int | None
    seq: int | None
    legacy: bool
    error: str | None
    verdicts: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        return {
            "scorer": self.scorer,
            "scorer_version": self.scorer_version,
            "calibration": self.calibration,
            "score": self.score,
            "threshold": self.threshold,
            "supported_share": self.supported_share,
            "aggregate": self.aggregate,
            "evaluations": self.evaluations,
            "seq": self.seq,
            "legacy": self.legacy,
            "error": self.error,
            "verdicts": dict(self.verdicts),
        }


@dataclass(frozen=True)
class Segment:
    """A piece of a chunk: plain (``verdict`` None) or highlighted as the evidence of sentence
    ``sentence_index`` with its verdict. ``sentence_indices`` lists every sentence whose span
    covers the piece (overlaps: the shown one is chosen by `chunk_segments`)."""

    text: str
    verdict: str | None
    sentence_index: int | None
    sentence_indices: tuple[int, ...] = ()


# -- checks on untrusted values ----------------------------------------------------------------


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _prob(value: Any) -> float | None:
    """A finite number in [0, 1], else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    v = float(value)
    return v if math.isfinite(v) and 0.0 <= v <= 1.0 else None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


@dataclass(frozen=True)
class _Chunk:
    id: Any
    text: Any


def _get(record: Any, attr: str, key: str) -> Any:
    """A field of an AuditRecord, or of its ``to_dict()`` form (canonical keys)."""
    if isinstance(record, Mapping):
        return record.get(key)
    return getattr(record, attr, None)


def _faithfulness(record: Any) -> Mapping[str, Any] | None:
    f = _get(record, "faithfulness", "rag_audit.faithfulness")
    return f if isinstance(f, Mapping) else None


def _chunks(record: Any) -> list[Any]:
    chunks = _get(record, "chunks", "retrieval.documents")
    if not isinstance(chunks, (list, tuple)):
        return []
    if isinstance(record, Mapping):
        return [
            _Chunk(c.get("document.id"), c.get("document.content"))
            if isinstance(c, Mapping)
            else _Chunk(None, None)
            for c in chunks
        ]
    return list(chunks)


def _chunk_id(value: Any) -> str | None:
    """A chunk id as the scorer wrote it (``str(id)``): str or int ids only."""
    if isinstance(value, str):
        return value
    return str(value) if _int(value) is not None else None


_ChunkIndex = dict[str, list[tuple[int, Any]]]


def _chunk_index(chunks: Sequence[Any]) -> _ChunkIndex:
    """Chunk id -> [(position, text)] of the chunks with that id (built once per record)."""
    out: _ChunkIndex = {}
    for i, c in enumerate(chunks):
        cid = _chunk_id(getattr(c, "id", None))
        if cid is not None:
            out.setdefault(cid, []).append((i, getattr(c, "text", None)))
    return out


def _find_chunk(chunks: _ChunkIndex, chunk_id: str) -> tuple[int | None, str | None, str]:
    """(index, text, problem) of the one chunk with this id; problem '' when found. Several chunks
    with the id and different texts: ambiguous (fail closed)."""
    found = chunks.get(chunk_id, [])
    if not found:
        return None, None, "its chunk is not among the record's chunks"
    if len({t if isinstance(t, str) else repr(t) for _, t in found}) > 1:
        return None, None, "several chunks share its id"
    i, text = found[0]
    if not isinstance(text, str) or text in _PLACEHOLDERS:
        return i, None, "its chunk's text is not readable"
    return i, text, ""


def _mismatches(value: Any) -> tuple[dict[str, str], ...]:
    if not isinstance(value, (list, tuple)):
        return ()
    out = []
    for m in value:
        if not isinstance(m, Mapping):
            continue
        d = {k: m.get(k) for k in ("kind", "sentence", "evidence")}
        if all(isinstance(v, str) for v in d.values()):
            out.append(d)
        if len(out) >= _MAX_MISMATCHES:
            break
    return tuple(out)


def _view(index: int, s: Any, chunks: _ChunkIndex) -> SentenceView:
    if not isinstance(s, Mapping):
        return SentenceView(
            index, "", "not_found", None, None, None, None, (), False, None,
            f"{EVIDENCE_UNAVAILABLE}: malformed sentence entry",
        )  # fmt: skip
    text = s.get("text")
    text = text if isinstance(text, str) else ("" if text is None else str(text))
    score = _prob(s.get("score"))
    chunk_id = _chunk_id(s.get("chunk_id"))
    supported = s.get("supported") is True
    legacy = "verdict" not in s
    note = None
    if legacy:
        verdict = "supported" if supported else "not_found"
    else:
        verdict = s.get("verdict")
        if verdict not in VERDICTS:
            verdict, note = "not_found", f"{EVIDENCE_UNAVAILABLE}: unknown verdict"
        elif verdict == "supported" and not supported:
            verdict, note = "not_found", f"{EVIDENCE_UNAVAILABLE}: verdict and flag disagree"
    mismatches = _mismatches(s.get("mismatches")) if not legacy else ()
    chunk_index = None
    if chunk_id is not None:
        chunk_index = _find_chunk(chunks, chunk_id)[0]
    ev = s.get("evidence")
    span = evidence = None
    if note is not None:
        pass
    elif legacy or ev is None:
        note = NO_EVIDENCE
    else:
        span, evidence, chunk_index, problem = _span(ev, chunk_id, chunks)
        if problem:
            note = f"{EVIDENCE_UNAVAILABLE}: {problem}"
    return SentenceView(
        index, text, verdict, score, chunk_id, span, evidence, mismatches, legacy, chunk_index,
        note,
    )  # fmt: skip


def _span(
    ev: Any, chunk_id: str | None, chunks: _ChunkIndex
) -> tuple[tuple[int, int] | None, str | None, int | None, str]:
    """(span, evidence text, chunk index, problem) of an evidence entry; problem '' when valid."""
    if not isinstance(ev, Mapping):
        return None, None, None, "malformed evidence entry"
    cid = _chunk_id(ev.get("chunk_id"))
    if cid is None:
        return None, None, None, "no chunk id"
    if chunk_id is not None and cid != chunk_id:
        return None, None, None, "the evidence names another chunk than the sentence"
    start, end = _int(ev.get("start")), _int(ev.get("end"))
    if start is None or end is None:
        return None, None, None, "offsets are not integers"
    index, text, problem = _find_chunk(chunks, cid)
    if problem or text is None:
        return None, None, index, problem or "its chunk's text is not readable"
    if not 0 <= start < end <= len(text):
        return None, None, index, f"offsets {start}..{end} outside the chunk (length {len(text)})"
    return (start, end), text[start:end], index, ""


# -- public functions ----------------------------------------------------------------------------


def sentence_views(record: Any) -> list[SentenceView]:
    """One view per sentence of the record's newest evaluation (empty when not evaluated, when
    scoring failed, or when the answer has no sentences). `record` is an ``AuditRecord`` or its
    ``to_dict()`` form (e.g. parsed from ``show --json``). Never raises on malformed logs."""
    f = _faithfulness(record)
    if f is None:
        return []
    sents = f.get("sentences")
    if not isinstance(sents, (list, tuple)):
        return []
    chunks = _chunk_index(_chunks(record))
    return [_view(i, s, chunks) for i, s in enumerate(sents)]


def evaluation_view(
    record: Any, views: Sequence[SentenceView] | None = None
) -> EvaluationView | None:
    """Which scorer, version and calibration made the record's newest evaluation, its answer
    score and how many evaluations the record has; None when it was never evaluated."""
    f = _faithfulness(record)
    if f is None:
        return None
    views = sentence_views(record) if views is None else views
    counts = {v: 0 for v in VERDICTS}
    for sv in views:
        counts[sv.verdict] += 1
    n = _int(_get(record, "evaluations", "evaluation.count"))
    calibration = _str(f.get("calibration"))
    err = f.get("error")
    return EvaluationView(
        scorer=_str(f.get("scorer")),
        scorer_version=_str(f.get("scorer_version")),
        calibration=calibration,
        score=_prob(f.get("score")),
        threshold=_prob(f.get("threshold")),
        supported_share=_prob(f.get("supported_share")),
        aggregate=_str(f.get("aggregate")),
        evaluations=n if n is not None and n > 0 else None,
        seq=_int(_get(record, "evaluation_seq", "evaluation.seq")),
        legacy=any(v.legacy for v in views) or (calibration is None and err is None),
        error=None if err is None else str(err),
        verdicts=counts,
    )


def record_chunk_spans(
    views: Sequence[SentenceView], *, verdicts: Sequence[str] = VERDICTS
) -> dict[int, list[tuple[int, int, str, int]]]:
    """The valid evidence spans of `views` grouped by chunk index, as `chunk_segments` takes
    them: ``{chunk_index: [(start, end, verdict, sentence_index), ...]}`` (only the given
    verdicts; views without a span are left out)."""
    out: dict[int, list[tuple[int, int, str, int]]] = {}
    for v in views:
        if v.span is not None and v.chunk_index is not None and v.verdict in verdicts:
            out.setdefault(v.chunk_index, []).append((v.span[0], v.span[1], v.verdict, v.index))
    return out


def chunk_segments(
    chunk_text: str, spans: Sequence[tuple[int, int, str, int | None]]
) -> list[Segment]:
    """`chunk_text` cut into plain and highlighted segments, in order; their texts join back to
    `chunk_text`. Each span is ``(start, end, verdict, sentence_index)``; invalid spans (offsets
    not integers, out of range, start >= end, unknown verdict, bad index) are dropped, as are
    spans beyond the first `MAX_SPANS`. Where spans overlap the segment shows, deterministically,
    the contradicted one first, then supported, then not_found, the lowest sentence index among
    equals; ``sentence_indices`` keeps every covering sentence."""
    if not isinstance(chunk_text, str):
        return []
    n = len(chunk_text)
    valid: list[tuple[int, int, str, int | None]] = []
    for sp in list(spans or ())[:MAX_SPANS]:
        if not isinstance(sp, (tuple, list)) or len(sp) != 4:
            continue
        start, end, verdict, idx = _int(sp[0]), _int(sp[1]), sp[2], sp[3]
        if start is None or end is None or not 0 <= start < end <= n:
            continue
        if verdict not in VERDICTS:
            continue
        if idx is not None and (_int(idx) is None or idx < 0):
            continue
        valid.append((start, end, verdict, idx))
    if not n:
        return []
    if not valid:
        return [Segment(chunk_text, None, None)]
    cuts = sorted({0, n} | {s[0] for s in valid} | {s[1] for s in valid})
    out: list[Segment] = []
    for a, b in zip(cuts, cuts[1:]):
        cover = [s for s in valid if s[0] <= a and b <= s[1]]
        if cover:
            best = min(cover, key=lambda s: (_PRIORITY[s[2]], -1 if s[3] is None else s[3]))
            idxs = tuple(sorted({s[3] for s in cover if s[3] is not None}))
            seg = Segment(chunk_text[a:b], best[2], best[3], idxs)
        else:
            seg = Segment(chunk_text[a:b], None, None)
        prev = out[-1] if out else None
        if prev is not None and (prev.verdict, prev.sentence_index, prev.sentence_indices) == (
            seg.verdict,
            seg.sentence_index,
            seg.sentence_indices,
        ):
            out[-1] = Segment(
                prev.text + seg.text, seg.verdict, seg.sentence_index, seg.sentence_indices
            )
        else:
            out.append(seg)
    return out


def evidence_snippet(view: SentenceView, chunk_text: str | None = None, width: int = 80) -> str:
    """The evidence text for one line: cut in the middle with … when longer than `width`, and with
    … before / after when the span does not start / end the chunk (pass `chunk_text` to know)."""
    if view.evidence is None or view.span is None:
        return ""
    text = " ".join(view.evidence.split())
    if len(text) > width:  # keep the head and the tail, cut at spaces where there are some
        half = max(1, (width - 1) // 2)
        head, tail = text[:half], text[-half:]
        if " " in head[1:]:
            head = head.rsplit(" ", 1)[0]
        if " " in tail[:-1]:
            tail = tail.split(" ", 1)[1]
        text = head.rstrip() + " … " + tail.lstrip()
    start, end = view.span
    before = "…" if start > 0 else ""
    after = "…" if chunk_text is None or end < len(chunk_text) else ""
    return f"{before}{text}{after}"


def mismatch_text(m: Mapping[str, str]) -> str:
    """One disagreement in words: ``number: 30 days vs 60 days`` (the sentence's value first;
    ``negation: sentence not negated, evidence negated``)."""
    kind, said, ev = m.get("kind", ""), m.get("sentence", ""), m.get("evidence", "")
    if kind == "negation":
        return f"negation: sentence {said}, evidence {ev}"
    return f"{kind}: {said} vs {ev}" if ev else f"{kind}: {said} (not in the evidence)"
