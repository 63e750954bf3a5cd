"""A self-contained HTML report of an audit log, for auditors and as a CI quality gate.

``build_report`` reads every record once and renders ``templates/report.html.j2`` (Jinja2 with
autoescaping, so no user text can inject markup) with PNG charts embedded as base64 data URIs:
counts, the faithfulness distribution and its daily mean, the least-supported answers with each
sentence's verdict (contradicted and not-found sentences coloured differently, each supported or
contradicted sentence linked to its evidence highlighted inside its chunk; see
`rag_audit.verdict_view`), the overrides, watermark coverage and the log's verification.

The gate (``fail_under``) compares the **mean faithfulness score** over evaluated answers
against the threshold. An answer's score is the one its newest evaluation stored: for the
calibrated default scorer, the calibrated probability that every sentence is supported by the
retrieved chunks; for older two-way scorers, the share of supported sentences. A log with no
evaluated answer fails any gate (nothing was measured).

"Detected" in the watermark section means the recorded p-value lies below the detector's own
default threshold (``watermark.detector.DEFAULT_THRESHOLD``, the one home of that number): the
record stores the detector's p-value, not a separate verdict.
"""

from __future__ import annotations

import base64
import heapq
import io
import os
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

import jinja2

from watermark.detector import DEFAULT_THRESHOLD

from .errors import AuditError
from .export import describe_target
from .record import utc_now
from .signing import PublicKeyLike, key_id, load_public_key
from .store.base import Store, open_store
from .verdict_view import (
    VERDICTS,
    SentenceView,
    chunk_segments,
    evaluation_view,
    mismatch_text,
    record_chunk_spans,
    sentence_views,
)
from .verify import verify_log

MAX_OVERRIDES_SHOWN = 200


@dataclass
class ReportSummary:
    """Figures the report shows, and whether the ``fail_under`` gate failed (``failed``)."""

    path: str
    records: int = 0
    users: int = 0
    errors: int = 0
    overrides: int = 0
    erasures: int = 0
    evaluated: int = 0
    mean_faithfulness: float | None = None
    watermarked_share: float | None = None
    detected_share: float | None = None
    verified: bool = False
    verification: dict = field(default_factory=dict)
    fail_under: float | None = None
    failed: bool = False
    gate_message: str = ""
    verdicts: dict = field(default_factory=lambda: dict.fromkeys(VERDICTS, 0))  # sentences

    def to_dict(self) -> dict:
        return asdict(self)


def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def charts(scores: list[float], daily: dict[str, list[float]]) -> dict[str, str | None]:
    """The histogram and the daily-mean chart as PNG data URIs (None without scores)."""
    if not scores:
        return {"histogram": None, "daily": None}
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 3.2))
    ax.hist(scores, bins=20, range=(0.0, 1.0), color="#4c72b0", edgecolor="white")
    ax.set_xlabel("faithfulness score")
    ax.set_ylabel("answers")
    ax.set_xlim(0, 1)
    hist = _png(fig)
    days = sorted(daily)
    means = [sum(daily[d]) / len(daily[d]) for d in days]
    fig, ax = plt.subplots(figsize=(6.4, 3.2))
    ax.plot(range(len(days)), means, marker="o", color="#dd8452")
    ax.set_xticks(range(len(days)), days, rotation=45 if len(days) > 4 else 0, ha="right")
    if len(days) > 15:  # keep the axis readable
        for i, label in enumerate(ax.get_xticklabels()):
            label.set_visible(i % (len(days) // 15 + 1) == 0)
    ax.set_ylim(0, 1.02)
    ax.set_ylabel("mean faithfulness")
    ax.grid(alpha=0.3)
    return {"histogram": hist, "daily": _png(fig)}


def _sentence(v: SentenceView, anchor: str, linked: bool) -> dict:
    """A sentence for the template: verdict, texts, and the anchor of its evidence (if shown)."""
    return {
        "index": v.index,
        "text": v.text,
        "verdict": v.verdict,
        "score": v.score,
        "chunk_id": v.chunk_id,
        "span": v.span,
        "legacy": v.legacy,
        "note": v.note,
        "href": f"#{anchor}-s{v.index}" if linked else None,
        "mismatches": [mismatch_text(m) for m in v.mismatches]
        if v.verdict == "contradicted"
        else [],
    }


def _answer(item: dict) -> dict:
    """One least-supported answer for the template: its sentences with their verdicts and the
    cited chunks cut into segments, the evidence of supported and contradicted sentences
    highlighted. Anchors are built from the event's seq (an integer), never from stored text."""
    rec, views = item.pop("rec"), item.pop("views")
    anchor = f"r{int(item['seq'] or 0)}"
    ev = evaluation_view(rec, views)
    spans = record_chunk_spans(views, verdicts=("supported", "contradicted"))
    chunks = []
    placed: set[int] = set()
    for ci in sorted(spans):
        segments = []
        for seg in chunk_segments(rec.chunks[ci].text, spans[ci]):
            new = [i for i in seg.sentence_indices if i not in placed]
            placed.update(new)
            segments.append(
                {
                    "text": seg.text,
                    "verdict": seg.verdict,
                    "anchors": [f"{anchor}-s{i}" for i in new],
                    "sentences": [i + 1 for i in seg.sentence_indices],
                }
            )
        chunks.append(
            {"id": rec.chunks[ci].id, "source": rec.chunks[ci].source, "segments": segments}
        )
    return dict(
        item,
        anchor=anchor,
        evaluation=ev,
        sentences=[_sentence(v, anchor, v.index in placed) for v in views],
        evidence_chunks=chunks,
        chunk_ids=[c.id for c in rec.chunks],
    )


@dataclass
class ReportData:
    """What one pass over a log's records gives the report (and the review console)."""

    records: int = 0
    users: set = field(default_factory=set)
    errors: int = 0
    scores: list = field(default_factory=list)
    daily: dict = field(default_factory=lambda: defaultdict(list))
    worst: list = field(default_factory=list)  # the least supported items, least first
    overrides: list = field(default_factory=list)  # the newest MAX_OVERRIDES_SHOWN
    n_overrides: int = 0
    answered: int = 0
    marked: int = 0
    detected: int = 0
    verdicts: dict = field(default_factory=lambda: dict.fromkeys(VERDICTS, 0))  # sentences
    erasures: list = field(default_factory=list)  # every erasure event (erase / prune), in order


def collect(store: Store, least_supported: int = 10) -> ReportData:
    """Read every record of ``store`` once: counts, scores by day, sentence verdicts, the
    ``least_supported`` least supported answers (with their record and sentence views),
    overrides and watermark coverage."""
    d = ReportData()
    worst: list[tuple] = []  # heap of (-score, -seq, item): the least supported kept
    for rec in store.records():
        d.records += 1
        if rec.user_id is not None:
            d.users.add(rec.user_id)
        if rec.error:
            d.errors += 1
        if rec.answer:
            d.answered += 1
            wm = rec.watermark
            if wm is not None and wm.applied:
                d.marked += 1
            if wm is not None and wm.p_value is not None and wm.p_value < DEFAULT_THRESHOLD:
                d.detected += 1
        for ov in rec.overrides:
            d.n_overrides += 1
            d.overrides.append(dict(ov, record_id=rec.record_id))
            if len(d.overrides) > MAX_OVERRIDES_SHOWN:
                d.overrides.pop(0)
        score = rec.faithfulness_score
        if isinstance(score, (int, float)):
            d.scores.append(float(score))
            d.daily[(rec.time_start or "unknown")[:10]].append(float(score))
            views = sentence_views(rec)
            for v in views:
                d.verdicts[v.verdict] += 1
            item = {
                "record_id": rec.record_id,
                "seq": rec.seq,
                "time": rec.time_start,
                "user_id": rec.user_id,
                "query": rec.query,
                "score": float(score),
                "rec": rec,
                "views": views,
            }
            heapq.heappush(worst, (-float(score), -(rec.seq or 0), item))
            if len(worst) > least_supported:
                heapq.heappop(worst)
    d.worst = [w[2] for w in sorted(worst, key=lambda w: (-w[0], -w[1]))]
    d.erasures = store.erasures()
    return d


def build_report(
    target: str | os.PathLike | Store,
    out_html: str | os.PathLike,
    *,
    public_key: PublicKeyLike | None = None,
    fail_under: float | None = None,
    title: str = "RAG audit report",
    least_supported: int = 10,
) -> ReportSummary:
    """Write a self-contained HTML report of a log to ``out_html`` and return its figures.

    ``public_key`` lets the report check checkpoint signatures (without it the report says they
    were not checked). ``fail_under``: ``failed`` is True when the mean faithfulness score is
    below it, or when no answer was evaluated."""
    if fail_under is not None and not 0.0 <= fail_under <= 1.0:
        raise AuditError(
            f"fail_under={fail_under!r} must be between 0 and 1 (a faithfulness score)"
        )
    out = Path(out_html)
    if not out.parent.exists():
        raise AuditError(f"directory {str(out.parent)!r} does not exist; create it first")
    pub = load_public_key(public_key) if public_key is not None else None
    store = open_store(target, readonly=True)
    try:
        result = verify_log(store, pub)
        cps = store.checkpoints()
        d = collect(store, least_supported)
    finally:
        store.close()
    n, users, errors, scores, daily = d.records, d.users, d.errors, d.scores, d.daily
    answered, marked, detected, overrides = d.answered, d.marked, d.detected, d.overrides
    n_overrides, verdicts = d.n_overrides, d.verdicts

    mean = sum(scores) / len(scores) if scores else None
    summary = ReportSummary(
        path=str(out),
        records=n,
        users=len(users),
        errors=errors,
        overrides=n_overrides,
        erasures=len(d.erasures),
        evaluated=len(scores),
        mean_faithfulness=mean,
        watermarked_share=marked / answered if answered else None,
        detected_share=detected / answered if answered else None,
        verified=result.ok,
        verification=result.to_dict(),
        fail_under=fail_under,
        verdicts=verdicts,
    )
    if fail_under is not None:
        if mean is None:
            summary.failed = True
            summary.gate_message = (
                f"no answer was evaluated, so mean faithfulness cannot be "
                f"compared with {fail_under:g}"
            )
        else:
            summary.failed = mean < fail_under
            summary.gate_message = (
                f"mean faithfulness {mean:.3f} is "
                f"{'below' if summary.failed else 'at or above'} "
                f"the threshold {fail_under:g}"
            )
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("rag_audit", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    html = env.get_template("report.html.j2").render(
        title=title,
        generated=utc_now(),
        source=describe_target(target),
        s=summary,
        v=result,
        key_id=key_id(pub) if pub is not None else None,
        checkpoint=cps[-1].to_dict() if cps else None,
        charts=charts(scores, daily),
        worst=[_answer(dict(w)) for w in d.worst],
        overrides=overrides[::-1],
        overrides_shown=len(overrides),
        erasures=d.erasures,
        detected_p=DEFAULT_THRESHOLD,
        answered=answered,
        marked=marked,
        detected=detected,
    )
    try:
        out.write_text(html, encoding="utf-8")
    except OSError as e:
        raise AuditError(f"cannot write the report {str(out)!r}: {e.strerror or e}") from None
    return summary
