"""Verify an audit log from its stored rows: chain, positions, Merkle roots, signatures.

Verification hashes the stored body bytes (no re-canonicalisation: the body *is* the canonical
JSON and every queried column is generated from it), checks each event links to its
predecessor at the right position, recomputes the Merkle root at every checkpoint and checks
the checkpoints' Ed25519 signatures. On the first inconsistency it looks at the neighbouring
rows to name what happened: ``modified``, ``deleted``, ``inserted``, ``reordered``,
``truncated`` (fewer events than a checkpoint vouches for) or ``bad_signature``.

Limit: events after the newest checkpoint are protected by the chain only; someone able to
write the file can append forged events there or drop them. Checkpoints are written every N
events / T seconds and on close; keep a copy of the latest one outside the log.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping, Optional, Union

from .chain import GENESIS, Checkpoint, MerkleFrontier, event_hash
from .errors import AuditError
from .signing import PublicKeyLike, load_public_key
from .store.base import Store, StoredEvent, open_store

REASONS = ("modified", "deleted", "inserted", "reordered", "truncated", "bad_signature")
Progress = Callable[[int, int], None]


@dataclass
class VerifyResult:
    """Outcome of verify_log. ``first_bad`` is the sequence number of the first bad event
    (``record_id`` its record, when the row exists) and ``reason`` one of REASONS."""

    ok: bool
    count: int
    records: int = 0
    first_bad: Optional[int] = None
    record_id: Optional[str] = None
    reason: Optional[str] = None
    message: str = ""
    checkpoints: int = 0
    signed_size: int = 0
    signatures_checked: bool = False
    last_hash: Optional[str] = None
    warnings: list = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.ok

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def verify_log(target: Union[str, Store], public_key: Optional[PublicKeyLike] = None, *,
               checkpoint: Union[Checkpoint, str, Mapping, None] = None,
               progress: Optional[Progress] = None, progress_every: int = 10000) -> VerifyResult:
    """Recompute the chain and Merkle roots of a log (SQLite path, postgresql:// URL or Store)
    and check every stored checkpoint, plus ``checkpoint`` kept elsewhere, against
    ``public_key``. Reports the first bad event and why. ``progress(done, total)`` is called
    every ``progress_every`` events."""
    own = not isinstance(target, Store)
    store = open_store(target, readonly=True) if own else target
    try:
        return _verify(store, public_key, checkpoint, progress, progress_every)
    finally:
        if own:
            store.close()


def _verify(store: Store, public_key, external, progress, every) -> VerifyResult:
    cps = store.checkpoints()
    if external is not None:
        ext = external if isinstance(external, Checkpoint) else Checkpoint.from_json(external)
        if ext not in cps:
            cps.append(ext)
    cps.sort(key=lambda c: c.tree_size)
    pub = load_public_key(public_key) if public_key is not None else None
    warnings = []
    if pub is None and cps:
        warnings.append("no public key given: checkpoint signatures were not checked")
    for cp in cps:
        if pub is not None and not cp.verify_signature(pub):
            return VerifyResult(False, 0, first_bad=cp.tree_size, reason="bad_signature",
                                message=f"the checkpoint over {cp.tree_size} events (key "
                                f"{cp.key_id}) does not verify with the given public key: "
                                "wrong key, or a forged/edited checkpoint",
                                checkpoints=len(cps), warnings=warnings)
    by_size: dict[int, list[Checkpoint]] = {}
    for cp in cps:
        by_size.setdefault(cp.tree_size, []).append(cp)

    total = store.event_count() if progress else 0
    sha, tag = hashlib.sha256, b"rag_audit/event/v1\x00"
    frontier, prev, expected, good_size = MerkleFrontier(), GENESIS, 1, 0
    stack = frontier._stack  # the Merkle frontier, updated inline: this loop is the hot path
    for seq, prev_hash, h, body in store.iter_events():
        if (seq != expected or prev_hash != prev or
                sha(tag + seq.to_bytes(8, "big") + prev + sha(body).digest()).digest() != h):
            return _diagnose(store, expected, cps, warnings)
        node, height = sha(b"\x00" + h).digest(), 0
        while stack and stack[-1][0] == height:
            node = sha(b"\x01" + stack.pop()[1] + node).digest()
            height += 1
        stack.append((height, node))
        frontier.size = seq
        prev = h
        if seq in by_size:
            root = frontier.root()
            for cp in by_size[seq]:
                if cp.root != root.hex() or cp.last_hash != h.hex():
                    return _bad(store, "modified", good_size + 1, cps, warnings,
                                f"events {good_size + 1}..{seq} do not match the signed checkpoint "
                                f"over {seq} events (Merkle root differs): history was rewritten")
            good_size = seq
        if progress and seq % every == 0:
            progress(seq, total)
        expected += 1
    n = expected - 1
    if progress:
        progress(n, max(total, n))
    if cps and cps[-1].tree_size > n:
        return _bad(store, "truncated", n + 1, cps, warnings,
                    f"the log holds {n} events but a checkpoint vouches for "
                    f"{cps[-1].tree_size}: events {n + 1}..{cps[-1].tree_size} were removed")
    if n > good_size and cps:
        warnings.append(f"events {good_size + 1}..{n} are not yet covered by a checkpoint")
    return VerifyResult(True, n, records=store.count(), checkpoints=len(cps), signed_size=good_size,
                        signatures_checked=pub is not None, last_hash=prev.hex() if n else None,
                        message=f"{n} events verified" + (f", {len(cps)} checkpoints" if cps else ""),
                        warnings=warnings)


def _bad(store: Store, reason: str, seq: int, cps, warnings, message: str) -> VerifyResult:
    record_id = None
    for ev in store.iter_events(start_seq=seq, batch=1):
        if ev.seq == seq:
            try:
                record_id = json.loads(ev.body).get("record.id")
            except (ValueError, AttributeError):
                pass
        break
    return VerifyResult(False, seq - 1, first_bad=seq, record_id=record_id, reason=reason,
                        message=message, checkpoints=len(cps), warnings=warnings)


def _diagnose(store: Store, p: int, cps, warnings) -> VerifyResult:
    """Name what went wrong at position p, the first position that does not check out."""
    rows = [(e.seq, bytes(e.prev_hash), bytes(e.hash)) for e in _iter_meta(store)]
    idx = p - 1  # rows[:idx] are seq 1..p-1 and verified
    if idx >= len(rows):  # pragma: no cover - the loop only stops on an existing row
        return _bad(store, "truncated", p, cps, warnings, f"event {p} is missing")
    seq, prev, h = rows[idx]
    bad = lambda reason, at, msg: _bad(store, reason, at, cps, warnings, msg)  # noqa: E731
    if seq != p:
        return bad("deleted", p, f"events {p}..{seq - 1} are missing (sequence jumps to {seq})")
    body = next(iter(store.iter_events(start_seq=p, batch=1))).body
    expected_prev = rows[idx - 1][2] if idx else GENESIS
    if prev == expected_prev:
        return bad("modified", p, f"event {p} was modified: its content does not match its hash")
    if idx and prev == rows[idx - 1][1]:
        return bad("inserted", p - 1, f"event {p - 1} was inserted: event {p} links to the "
                   "event before it")
    where = {hh: i for i, (_, _, hh) in enumerate(rows)}
    q = where.get(prev)
    if (q is not None and q != idx - 1) or (prev == GENESIS and p != 1):
        return bad("reordered", p, f"event {p} was moved: it links to the event now at "
                   f"position {rows[q][0] if q is not None else 0}, not {p - 1}")
    if idx + 1 < len(rows) and rows[idx + 1][1] == expected_prev:
        return bad("inserted", p, f"event {p} was inserted: event {p + 1} links past it")
    if event_hash(seq, prev, body) == h:
        return bad("modified", p - 1, f"event {p - 1} was modified and re-hashed: event {p} "
                   "still links to its original hash")
    for d in range(1, min(len(rows), 10000) + 1):
        if event_hash(p + d, prev, body) == h:
            return bad("deleted", p, f"{d} event(s) before this one were deleted and the rest "
                       "renumbered")
    return bad("modified", p, f"event {p} was modified: it neither matches its hash nor links "
               "to its predecessor")


def _iter_meta(store: Store) -> Iterable[StoredEvent]:
    return store.iter_events()
