"""Filtered, sorted, keyset-paginated pages of records (the review console's record list).

One page is one query that returns the request rows' sequence numbers; the records are then
read by ``Store._records_for``. Keyset pagination: a page is asked for *after* the sort key of
the last row of the previous page, so page 1,000 costs what page 1 costs (no OFFSET).

Two query shapes, each led by an index so a page stops after ``limit`` rows:

* ``newest`` / ``oldest`` walk the request rows by ``(kind, ts)`` (the index holds ``seq``);
* ``faithfulness`` (least faithful first) walks the evaluation rows by ``(kind, faithfulness)``
  and keeps each record's newest evaluation (a rescore supersedes the older score); records
  without an evaluation are not in that order.

Every filter is read from generated columns or from the stored body through the back end's
``_json`` expression, never from anything but the hashed bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from ..errors import AuditError
from ..record import AuditRecord
from .base import EVENTS, Store

SORTS = ("newest", "oldest", "faithfulness")
WATERMARK = ("", "missing", "not_detected", "detected")
MAX_PAGE = 500
CONTRADICTED = ("rag_audit.faithfulness", "verdicts", "contradicted")  # path in an evaluation


@dataclass(frozen=True)
class RecordQuery:
    """What to list. Empty strings / None mean "no filter". ``since``/``until`` are ISO 8601
    UTC text (``until`` exclusive); ``text`` matches the query or the answer (case-insensitive
    substring); ``watermark``: missing (not applied or not recorded), not_detected (p-value
    absent or at/above ``detect_threshold``), detected; ``reviewed``: True only records with an
    override, False only those without."""

    faithfulness_below: float | None = None
    contradicted: bool = False
    watermark: str = ""
    user_id: str = ""
    app: str = ""
    model: str = ""
    since: str = ""
    until: str = ""
    reviewed: bool | None = None
    text: str = ""
    sort: str = "newest"
    detect_threshold: float = 0.01

    def __post_init__(self) -> None:
        if self.sort not in SORTS:
            raise AuditError(f"sort={self.sort!r} is not one of {', '.join(SORTS)}")
        if self.watermark not in WATERMARK:
            raise AuditError(
                f"watermark={self.watermark!r} is not one of missing, not_detected, detected"
            )

    def to_params(self) -> dict[str, str]:
        """The non-default fields as text (for links that keep the filter)."""
        out = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if v == f.default or f.name == "detect_threshold":
                continue
            out[f.name] = ("1" if v else "0") if isinstance(v, bool) else str(v)
        return out


def _like(text: str) -> str:
    esc = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{esc}%"


# SQLite indexes (store/sqlite.py) that cover each part of the page queries
_BY_TIME = f"{EVENTS}_kind_ts_record"
_PER_RECORD = f"{EVENTS}_record_kind_faith"
_CONTRADICTED = f"{EVENTS}_contradicted"


def _newest_eval(store: Store, alias: str) -> str:
    """SQL: ``alias`` is the newest evaluation event of its record."""
    return (
        f"NOT EXISTS (SELECT 1 FROM {EVENTS} n {store._hint(_PER_RECORD)} "
        f"WHERE n.record_id = {alias}.record_id AND n.kind = 'evaluation' AND n.seq > {alias}.seq)"
    )


def _where(store: Store, q: RecordQuery, driven_by_eval: bool) -> tuple[list[str], list[Any]]:
    """Conditions on ``r`` (the request row). With ``driven_by_eval`` the query walks ``e`` (the
    record's newest evaluation) and the evaluation filters apply to it directly; otherwise they
    go in an EXISTS subquery per request row (the walk stops after a page of matches)."""
    j = store._json
    where: list[str] = ["r.kind = 'request'"]
    params: list[Any] = []
    if q.since:
        where.append("r.ts >= ?")
        params.append(q.since)
    if q.until:
        where.append("r.ts < ?")
        params.append(q.until)
    if q.user_id:
        from ..erasure import user_filter_value

        where.append("r.user_id = ?")
        params.append(user_filter_value(q.user_id, store.keystore))
    if q.app:
        where.append(f"{j('r', 'service.name')} = ?")
        params.append(q.app)
    if q.model:
        where.append(f"{j('r', 'gen_ai.request.model')} = ?")
        params.append(q.model)
    if q.watermark == "missing":
        where.append("r.watermark_applied IS NOT TRUE")
    elif q.watermark in ("not_detected", "detected"):
        p = j("r", "rag_audit.watermark", "p_value", number=True)
        where.append(f"{p} < ?" if q.watermark == "detected" else f"({p} IS NULL OR {p} >= ?)")
        params.append(q.detect_threshold)
    if q.reviewed is not None:
        where.append(
            ("" if q.reviewed else "NOT ")
            + f"EXISTS (SELECT 1 FROM {EVENTS} o {store._hint(_PER_RECORD)} "
            "WHERE o.record_id = r.record_id "
            "AND o.kind = 'override')"
        )
    if q.text:
        where.append(
            f"(LOWER({j('r', 'input.value')}) LIKE ? ESCAPE '\\' "
            f"OR LOWER({j('r', 'output.value')}) LIKE ? ESCAPE '\\')"
        )
        params += [_like(q.text), _like(q.text)]
    ev: list[str] = []
    if q.faithfulness_below is not None:
        # unary +: keeps SQLite from walking the faithfulness index of every record here
        ev.append("+e.faithfulness < ?")
        params.append(float(q.faithfulness_below))
    if q.contradicted:
        ev.append(f"{j('e', *CONTRADICTED, number=True)} > 0")  # see the SQLite partial index
    if driven_by_eval:
        where += ev
    elif ev:
        hint = store._hint(_CONTRADICTED if q.contradicted else _PER_RECORD)
        where.append(
            f"EXISTS (SELECT 1 FROM {EVENTS} e {hint} WHERE e.record_id = r.record_id AND "
            f"e.kind = 'evaluation' AND {' AND '.join(ev)} AND {_newest_eval(store, 'e')})"
        )
    return where, params


def record_page(
    store: Store, q: RecordQuery, after: tuple | None = None, limit: int = 50
) -> tuple[list[AuditRecord], tuple | None]:
    """One page of records matching ``q`` in its sort order, after the key ``after`` (from the
    previous page). Returns the records and the key of the next page (None on the last)."""
    if not 1 <= limit <= MAX_PAGE:
        raise AuditError(f"limit={limit!r} must be between 1 and {MAX_PAGE}")
    if q.sort == "faithfulness":
        where, params = _where(store, q, driven_by_eval=True)
        where += ["e.kind = 'evaluation'", "e.faithfulness IS NOT NULL", _newest_eval(store, "e")]
        if after is not None:
            where.append("(e.faithfulness > ? OR (e.faithfulness = ? AND e.seq > ?))")
            params += [after[0], after[0], after[1]]
        sql = (
            f"SELECT r.seq, e.faithfulness, e.seq FROM {EVENTS} e JOIN {EVENTS} r "
            f"ON r.record_id = e.record_id WHERE {' AND '.join(where)} "
            "ORDER BY e.faithfulness, e.seq LIMIT ?"
        )
    else:
        where, params = _where(store, q, driven_by_eval=False)
        desc = q.sort == "newest"
        if after is not None:
            op = "<" if desc else ">"
            where.append(f"(r.ts {op} ? OR (r.ts = ? AND r.seq {op} ?))")
            params += [after[0], after[0], after[1]]
        order = "DESC" if desc else "ASC"
        sql = (
            f"SELECT r.seq, r.ts, r.seq FROM {EVENTS} r {store._hint(_BY_TIME)} "
            f"WHERE {' AND '.join(where)} "
            f"ORDER BY r.ts {order}, r.seq {order} LIMIT ?"
        )
    rows = store._query(sql, (*params, limit + 1))
    more = len(rows) > limit
    rows = rows[:limit]
    if not rows:
        return [], None
    by_seq = {r.seq: r for r in store._records_for([row[0] for row in rows])}
    recs = [by_seq[row[0]] for row in rows if row[0] in by_seq]
    return recs, ((rows[-1][1], rows[-1][2]) if more else None)


def iter_matching(store: Store, q: RecordQuery, batch: int = 200):
    """Every record matching ``q``, in its sort order (for downloads)."""
    after = None
    while True:
        recs, after = record_page(store, q, after, batch)
        yield from recs
        if after is None:
            return
