"""Re-score a log with the current faithfulness scorer, appending (never editing) evaluations.

A record whose newest evaluation was made by another scorer version (or that has none, or whose
scoring failed) gets a new ``evaluation`` event, written with the same helpers as the Auditor's
background thread (``record.evaluation_body`` + ``canonical_bytes``, sealed per subject when a
key store is in use). Readers merge linked events in sequence order, so the newest evaluation is
the one ``show``, ``list`` and the report read; its ``scorer`` / ``scorer_version`` fields say which
scorer made it. Nothing already in the log changes, so the hash chain and earlier checkpoints keep
verifying.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from .erasure import ENCRYPTED, ERASED, UNREADABLE, sealer_for
from .errors import AuditError
from .record import AuditRecord, canonical_bytes, evaluation_body
from .signing import PrivateKeyLike, load_private_key
from .store.base import Store, open_store

__all__ = ["RescoreReport", "needs_rescore", "rescore"]

_HIDDEN = (ENCRYPTED, ERASED, UNREADABLE)


@dataclass(frozen=True)
class RescoreReport:
    """What a rescore did: records scanned, evaluations appended, and why others were left."""

    scanned: int
    rescored: int
    current: int  # newest evaluation already by this scorer version
    unscorable: int  # no answer, no chunks or an error: the Auditor does not score these either
    hidden: int  # encrypted without the key, erased or unreadable: cannot (must not) be rescored
    failed: int  # the scorer raised; an evaluation carrying the error was appended
    scorer: str
    scorer_version: str

    def to_dict(self) -> dict:
        return asdict(self)


def needs_rescore(rec: AuditRecord, version: str) -> bool:
    """True when the record's newest evaluation is missing, failed, or by another version."""
    f = rec.faithfulness or {}
    return f.get("score") is None or f.get("scorer_version") != version


def _hidden(rec: AuditRecord) -> bool:
    return rec.answer in _HIDDEN or any(c.text in _HIDDEN for c in rec.chunks)


def rescore(
    log: Any,
    scorer: Any = None,
    *,
    progress: Callable[[int, int], None] | None = None,
    keystore: Any = None,
    signing_key: PrivateKeyLike | None = None,
) -> RescoreReport:
    """Append a new evaluation for every record of `log` (SQLite path, ``postgresql://`` URL or
    Store) scored by an older scorer version. `scorer` defaults to the default scorer;
    `progress(done, total)` is called after each record; `keystore` decrypts sealed records and
    seals their new evaluations (default: the process-wide reader key store, if any);
    `signing_key` writes a signed checkpoint at the end."""
    if scorer is None:
        from .faithfulness import get_default_scorer

        scorer = get_default_scorer()
    version = getattr(scorer, "version", None)
    if not version or not callable(getattr(scorer, "score", None)):
        raise AuditError("rescore needs a scorer with .score(answer, chunks) and a .version")
    key = load_private_key(signing_key) if signing_key is not None else None
    sealer = sealer_for(keystore)
    owned = not isinstance(log, Store)
    if owned:
        open_store(log, readonly=True).close()  # an existing log only: never create one here
    store = open_store(log)
    counts = dict(scanned=0, rescored=0, current=0, unscorable=0, hidden=0, failed=0)
    try:
        if sealer is not None:
            store.keystore = sealer.keystore
        total = store.count()
        todo: list[str] = []
        for rec in store.records():  # read everything first; append afterwards
            counts["scanned"] += 1
            if rec.error is not None or not rec.answer or not rec.chunks:
                counts["unscorable"] += 1
            elif not needs_rescore(rec, version):
                counts["current"] += 1
            elif _hidden(rec):
                counts["hidden"] += 1
            else:
                todo.append(rec.record_id)
                continue
            if progress is not None:
                progress(counts["scanned"] - len(todo), total)
        done = total - len(todo)
        for rid in todo:
            rec = store.get(rid)
            assert rec is not None and rec.answer is not None
            try:
                result = scorer.score(rec.answer, rec.chunks).to_dict()
            except AuditError:
                raise
            except Exception as exc:  # recorded like the Auditor does, so the failure is visible
                counts["failed"] += 1
                result = {
                    "score": None,
                    "error": f"{type(exc).__name__}: {exc}",
                    "scorer": getattr(scorer, "name", None),
                    "scorer_version": version,
                }
            body = evaluation_body(rid, result)
            if sealer is not None:
                sealer.seal_linked(body, store)
            store.append([canonical_bytes(body)])
            counts["rescored"] += 1
            done += 1
            if progress is not None:
                progress(done, total)
        if key is not None and counts["rescored"]:
            store.make_checkpoint(key)
    finally:
        if owned:
            store.close()
    return RescoreReport(**counts, scorer=str(getattr(scorer, "name", "")), scorer_version=version)
