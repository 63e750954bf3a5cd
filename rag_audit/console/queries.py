"""What the console reads from a log: the verify banner and overview figures (cached per log
head), filters parsed from a request, pages, a record's evaluation history, and downloads.

Nothing here decides whether the log is intact: the banner is ``rag_audit.verify.verify_log``'s
result, the figures are ``rag_audit.report.collect``'s, and pages come from
``rag_audit.store.pages``.
"""

from __future__ import annotations

import csv
import io
import json
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from watermark.detector import DEFAULT_THRESHOLD

from ..chain import Checkpoint
from ..errors import AuditError
from ..record import AuditRecord
from ..report import ReportData, charts, collect
from ..store.base import EVENTS, Store
from ..store.pages import SORTS, WATERMARK, RecordQuery
from ..verify import VerifyResult, verify_log


@dataclass
class Overview:
    """The verify result, newest checkpoint and report figures of a log."""

    head: tuple[int, bytes]
    verify: VerifyResult
    checkpoint: Checkpoint | None
    data: ReportData
    charts: dict

    @property
    def state(self) -> str:
        """signed (verified with the public key), unsigned (chain only) or failed."""
        if not self.verify.ok:
            return "failed"
        return "signed" if self.verify.signatures_checked else "unsigned"


class OverviewCache:
    """The overview of a log. ``verify_log`` runs on every call: a rewrite of an old row does
    not move the head, so a cached verdict could hide it. The report figures (one pass over the
    records) are kept until the head moves."""

    def __init__(self, public_key: Any = None, witness: Sequence[str] = ()) -> None:
        self.public_key, self.witness = public_key, list(witness)
        self._lock = threading.Lock()
        self._figures: tuple | None = None  # (head, ReportData, charts)

    def get(self, store: Store) -> Overview:
        with self._lock:
            result = verify_log(store, self.public_key, witness=self.witness or None)
            cps = store.checkpoints()
            head = store.head()
            if self._figures is None or self._figures[0] != head:
                data = collect(store)
                self._figures = (head, data, charts(data.scores, data.daily))
            _, data, drawn = self._figures
            return Overview(head, result, cps[-1] if cps else None, data, drawn)


def _day(value: str, name: str) -> str:
    try:
        t = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise AuditError(f"{name}={value!r} is not a date (YYYY-MM-DD) or ISO 8601 time") from None
    t = t.replace(tzinfo=timezone.utc) if t.tzinfo is None else t.astimezone(timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_query(params: Mapping[str, str]) -> RecordQuery:
    """A RecordQuery from request parameters (form field names = RecordQuery fields);
    AuditError on a bad value."""
    g = {k: str(v).strip() for k, v in params.items()}
    below = None
    if g.get("faithfulness_below"):
        try:
            below = float(g["faithfulness_below"])
        except ValueError:
            below = -1.0
        if not 0.0 <= below <= 1.0:
            raise AuditError("faithfulness_below must be a number between 0 and 1")
    sort = g.get("sort") or "newest"
    if sort not in SORTS:
        raise AuditError(f"sort must be one of {', '.join(SORTS)}")
    wm = g.get("watermark", "")
    if wm not in WATERMARK:
        raise AuditError("watermark must be missing, not_detected or detected")
    reviewed = {"": None, "1": True, "0": False}.get(g.get("reviewed", ""), "bad")
    if reviewed == "bad":
        raise AuditError("reviewed must be 1 (with an override) or 0 (without)")
    return RecordQuery(
        faithfulness_below=below,
        contradicted=g.get("contradicted") in ("1", "on", "true"),
        watermark=wm,
        user_id=g.get("user_id", ""),
        app=g.get("app", ""),
        model=g.get("model", ""),
        since=_day(g["since"], "since") if g.get("since") else "",
        until=_day(g["until"], "until") if g.get("until") else "",
        reviewed=reviewed,
        text=g.get("text", "")[:200],
        sort=sort,
        detect_threshold=DEFAULT_THRESHOLD,
    )


def encode_key(key: tuple | None) -> str:
    """The next-page key as URL text: ``value|seq``."""
    return "" if key is None else f"{key[0]}|{key[1]}"


def decode_key(text: str, sort: str) -> tuple | None:
    """The key from ``encode_key`` (None for the first page); AuditError when malformed."""
    if not text:
        return None
    value, sep, seq = text.rpartition("|")
    try:
        if not sep:
            raise ValueError
        return (float(value) if sort == "faithfulness" else value, int(seq))
    except ValueError:
        raise AuditError("the page link is malformed; start again from the first page") from None


def evaluation_history(store: Store, record_id: str) -> list[dict]:
    """Every evaluation of a record, oldest first: seq, time, score, scorer, scorer_version,
    calibration (a rescore appends; the newest counts)."""
    from ..erasure import reveal

    rows = store._query(
        f"SELECT seq, body FROM {EVENTS} WHERE record_id = ? AND kind = 'evaluation' ORDER BY seq",
        (record_id,),
    )
    out = []
    for seq, body in rows:
        d = reveal(json.loads(body), store.keystore)
        f = d.get("rag_audit.faithfulness") or {}
        f = f if isinstance(f, dict) else {}
        out.append(
            {
                "seq": seq,
                "time": d.get("time.start"),
                "score": f.get("score"),
                "scorer": f.get("scorer"),
                "scorer_version": f.get("scorer_version"),
                "calibration": f.get("calibration"),
            }
        )
    return out


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(v: Any) -> Any:
    """A CSV cell: nested values as JSON; text that a spreadsheet would run as a formula is
    prefixed with ' (CSV injection)."""
    if isinstance(v, (list, dict)):
        v = json.dumps(v, ensure_ascii=False, default=str)
    elif isinstance(v, datetime):
        v = v.isoformat()
    if isinstance(v, str) and v.startswith(_FORMULA):
        return "'" + v
    return v


def rows_csv(rows: Iterable[dict]) -> Iterable[str]:
    """CSV text (header first) of export rows, streamed."""
    from ..export import SCHEMA

    names = SCHEMA.names
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(names)
    for row in rows:
        w.writerow([_cell(row.get(n)) for n in names])
        if buf.tell() > 65536:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def rows_parquet(rows: Iterable[dict]) -> bytes:
    """One Parquet file (export.SCHEMA, without the partition columns) of export rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from ..export import SCHEMA

    table = pa.Table.from_pylist(list(rows), schema=SCHEMA)
    out = io.BytesIO()
    pq.write_table(table, out)
    return out.getvalue()


def export_rows(records: Iterable[AuditRecord]) -> Iterable[dict]:
    """export.record_row of each record (one home of the export columns)."""
    from ..export import record_row

    for rec in records:
        yield record_row(rec)
