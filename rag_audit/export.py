"""Export an audit log to Hive-partitioned Parquet, and the human-oversight labels for retraining.

``export_parquet`` writes ``out_dir/year=YYYY/month=MM/day=DD/part-<run>-<n>.parquet`` (one row
per record, flat columns plus ``chunks``/``sentences`` as list<struct>) and an ``_export.json``
manifest beside the data: what was exported, from which log, the verification status of the log
at export time and its latest signed checkpoint. The partition keys live in the directory names
only (read them back with ``hive_partitioning``). Records are streamed: at most ``rows_per_file``
rows per day are held in memory.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from .errors import AuditError
from .record import AuditRecord, utc_now
from .signing import PublicKeyLike
from .store.base import Store, open_store
from .store.url import display_target
from .verify import verify_log

Progress = Callable[[int, int], None]
MANIFEST = "_export.json"
EXPORT_VERSION = 1

_CHUNK = pa.struct(
    [
        ("id", pa.string()),
        ("source", pa.string()),
        ("score", pa.float64()),
        ("sha256", pa.string()),
        ("text", pa.string()),
    ]
)
_SENTENCE = pa.struct(
    [
        ("text", pa.string()),
        ("supported", pa.bool_()),
        ("score", pa.float64()),
        ("chunk_id", pa.string()),
    ]
)
_TS = pa.timestamp("us", tz="UTC")

#: One row per record. Partition columns (year, month, day) are in the directory names.
SCHEMA = pa.schema(
    [
        ("record_id", pa.string()),
        ("seq", pa.int64()),
        ("time", _TS),
        ("time_end", _TS),
        ("user_id", pa.string()),
        ("app", pa.string()),
        ("model", pa.string()),
        ("model_version", pa.string()),
        ("query", pa.string()),
        ("answer", pa.string()),
        ("faithfulness_score", pa.float64()),
        ("faithfulness_min", pa.float64()),
        ("faithfulness_mean", pa.float64()),
        ("sentence_count", pa.int32()),
        ("unsupported_sentence_count", pa.int32()),
        ("scorer", pa.string()),
        ("watermark_applied", pa.bool_()),
        ("watermark_key_id", pa.string()),
        ("watermark_p_value", pa.float64()),
        ("error_type", pa.string()),
        ("error_message", pa.string()),
        ("latency_total_ms", pa.float64()),
        ("input_tokens", pa.int64()),
        ("output_tokens", pa.int64()),
        ("override_count", pa.int32()),
        ("last_override_decision", pa.string()),
        ("chunk_ids", pa.list_(pa.string())),
        ("hash", pa.string()),
        ("prev_hash", pa.string()),
        ("chunks", pa.list_(_CHUNK)),
        ("sentences", pa.list_(_SENTENCE)),
    ]
)


@dataclass
class ExportSummary:
    """What ``export_parquet`` wrote: record count, files, partitions and the log's verification
    status at export time (``verified`` False means the log failed verification: see
    ``verification``)."""

    out_dir: str
    records: int
    files: list = field(default_factory=list)
    partitions: dict = field(default_factory=dict)
    verified: bool = False
    verification: dict = field(default_factory=dict)
    checkpoint: dict | None = None
    manifest: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


def _ts(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)
    except ValueError:
        return None


def _float(v: Any) -> float | None:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def record_row(rec: AuditRecord) -> dict:
    """The flat export row of one record (the columns of ``SCHEMA``)."""
    f = rec.faithfulness or {}
    sentences = [s for s in (f.get("sentences") or []) if isinstance(s, dict)]
    wm = rec.watermark
    err = rec.error or {}
    last = rec.overrides[-1] if rec.overrides else {}
    return {
        "record_id": rec.record_id,
        "seq": rec.seq,
        "time": _ts(rec.time_start),
        "time_end": _ts(rec.time_end),
        "user_id": rec.user_id,
        "app": rec.app,
        "model": rec.model,
        "model_version": rec.model_version,
        "query": rec.query,
        "answer": rec.answer,
        "faithfulness_score": _float(f.get("score")),
        "faithfulness_min": _float(f.get("min")),
        "faithfulness_mean": _float(f.get("mean")),
        "sentence_count": len(sentences) if rec.faithfulness else None,
        "unsupported_sentence_count": (
            sum(not s.get("supported") for s in sentences) if rec.faithfulness else None
        ),
        "scorer": f.get("scorer"),
        "watermark_applied": wm.applied if wm else None,
        "watermark_key_id": wm.key_id if wm else None,
        "watermark_p_value": _float(wm.p_value) if wm else None,
        "error_type": err.get("type"),
        "error_message": err.get("message"),
        "latency_total_ms": _float((rec.latency_ms or {}).get("total")),
        "input_tokens": rec.tokens.get("input"),
        "output_tokens": rec.tokens.get("output"),
        "override_count": len(rec.overrides),
        "last_override_decision": last.get("decision"),
        "chunk_ids": [c.id for c in rec.chunks],
        "hash": rec.hash,
        "prev_hash": rec.prev_hash,
        "chunks": [
            {
                "id": c.id,
                "source": c.source,
                "score": _float(c.score),
                "sha256": c.sha256,
                "text": c.text,
            }
            for c in rec.chunks
        ],
        "sentences": [
            {
                "text": s.get("text"),
                "supported": bool(s.get("supported")),
                "score": _float(s.get("score")),
                "chunk_id": None if s.get("chunk_id") is None else str(s["chunk_id"]),
            }
            for s in sentences
        ],
    }


def _partition(row: dict) -> str:
    t = row["time"]
    if t is None:
        return "/".join(f"{k}=__HIVE_DEFAULT_PARTITION__" for k in ("year", "month", "day"))
    return f"year={t.year:04d}/month={t.month:02d}/day={t.day:02d}"


def describe_target(target: Any) -> str:
    """The log's name for manifests and reports: a path, or a URL with its password masked
    (``rag_audit.store.url.display_target``); an open store by its path or URL."""
    if isinstance(target, Store):
        target = (
            getattr(target, "path", None) or getattr(target, "url", None) or type(target).__name__
        )
    return display_target(target)


def _prepare(out_dir: Path, overwrite: bool) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise AuditError(
            f"{str(out_dir)!r} exists and is not a directory; choose another --parquet DIR"
        )
    if out_dir.exists() and any(out_dir.iterdir()):
        if not overwrite:
            raise AuditError(
                f"{str(out_dir)!r} is not empty; choose an empty directory or pass "
                "overwrite=True (--overwrite) to replace a previous export"
            )
        if not (out_dir / MANIFEST).exists():
            raise AuditError(
                f"{str(out_dir)!r} is not empty and holds no {MANIFEST}: refusing to "
                "delete files that a previous export did not write"
            )
        for p in out_dir.glob("year=*"):
            shutil.rmtree(p)
        (out_dir / MANIFEST).unlink()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise AuditError(
            f"cannot create the export directory {str(out_dir)!r}: {e.strerror}"
        ) from None


def export_parquet(
    target: str | os.PathLike | Store,
    out_dir: str | os.PathLike,
    *,
    since: str | None = None,
    until: str | None = None,
    public_key: PublicKeyLike | None = None,
    require_valid: bool = False,
    overwrite: bool = False,
    rows_per_file: int = 50_000,
    progress: Progress | None = None,
) -> ExportSummary:
    """Write the records of a log (start time in [since, until), ISO 8601 UTC text) as
    Hive-partitioned Parquet under ``out_dir`` plus an ``_export.json`` manifest.

    The log is verified first (signatures too when ``public_key`` is given); the result goes in
    the manifest. ``require_valid=True`` refuses to export a log that fails verification.
    ``progress(done, total)`` is called as records are written."""
    out = Path(out_dir)
    store = open_store(target, readonly=True)
    try:
        result = verify_log(store, public_key)
        if require_valid and not result.ok:
            raise AuditError(
                f"the log failed verification ({result.reason} at event "
                f"{result.first_bad}: {result.message}); nothing exported"
            )
        cps = store.checkpoints()
        checkpoint = cps[-1].to_dict() if cps else None
        _prepare(out, overwrite)
        total = store.count(since=since, until=until)
        run = uuid.uuid4().hex[:12]
        buffers: dict[str, list] = defaultdict(list)
        files: list[str] = []
        partitions: dict[str, int] = defaultdict(int)
        done = 0

        def flush(part: str) -> None:
            rows = buffers.pop(part)
            d = out / part
            d.mkdir(parents=True, exist_ok=True)
            path = d / f"part-{run}-{len(files):05d}.parquet"
            pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMA), path, compression="zstd")
            files.append(str(path.relative_to(out)))

        for rec in store.records(since=since, until=until):
            row = record_row(rec)
            part = _partition(row)
            buffers[part].append(row)
            partitions[part] += 1
            if len(buffers[part]) >= rows_per_file:
                flush(part)
            done += 1
            if progress and (done % 500 == 0 or done == total):
                progress(done, total)
        for part in list(buffers):
            flush(part)
        if progress:
            progress(done, max(done, total))
    except OSError as e:
        raise AuditError(f"cannot write the export under {str(out)!r}: {e}") from None
    finally:
        store.close()
    verification = {
        k: result.to_dict()[k]
        for k in (
            "ok",
            "count",
            "records",
            "first_bad",
            "record_id",
            "reason",
            "message",
            "checkpoints",
            "signed_size",
            "signatures_checked",
            "warnings",
        )
    }
    summary = ExportSummary(
        out_dir=str(out),
        records=done,
        files=sorted(files),
        partitions=dict(sorted(partitions.items())),
        verified=result.ok,
        verification=verification,
        checkpoint=checkpoint,
        manifest=str(out / MANIFEST),
    )
    manifest = {
        "rag_audit.export": EXPORT_VERSION,
        "exported_at": utc_now(),
        "source": describe_target(target),
        "since": since,
        "until": until,
        "records": done,
        "partitioning": ["year", "month", "day"],
        "columns": SCHEMA.names,
        "files": summary.files,
        "partitions": summary.partitions,
        "verification": verification,
        "last_checkpoint": checkpoint,
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return summary


def export_labelled_overrides(target: str | os.PathLike | Store, path: str | os.PathLike) -> int:
    """Write every human override joined to its record (query, answer, chunks, faithfulness,
    decision, reviewer, reason, correction) for retraining; ``.jsonl`` or ``.parquet`` by the
    file's suffix. Returns the number of labels written."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".jsonl", ".parquet"):
        raise AuditError(f"cannot tell the format of {str(path)!r}: name it *.jsonl or *.parquet")
    store = open_store(target, readonly=True)
    try:
        labels = store.labelled_overrides()
    finally:
        store.close()
    try:
        if suffix == ".jsonl":
            with open(path, "w", encoding="utf-8") as f:
                for d in labels:
                    f.write(json.dumps(d, ensure_ascii=False, sort_keys=True) + "\n")
        else:
            schema = pa.schema(
                [
                    ("record_id", pa.string()),
                    ("query", pa.string()),
                    ("answer", pa.string()),
                    (
                        "chunks",
                        pa.list_(
                            pa.struct(
                                [
                                    ("id", pa.string()),
                                    ("source", pa.string()),
                                    ("text", pa.string()),
                                ]
                            )
                        ),
                    ),
                    ("faithfulness", pa.float64()),
                    ("user_id", pa.string()),
                    ("model", pa.string()),
                    ("model_version", pa.string()),
                    ("decision", pa.string()),
                    ("reviewer", pa.string()),
                    ("reason", pa.string()),
                    ("correction", pa.string()),
                    ("override_time", _TS),
                    ("override_seq", pa.int64()),
                ]
            )
            rows = [
                dict(
                    d, override_time=_ts(d["override_time"]), faithfulness=_float(d["faithfulness"])
                )
                for d in labels
            ]
            pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)
    except OSError as e:
        raise AuditError(f"cannot write {str(path)!r}: {e.strerror or e}") from None
    return len(labels)
