"""Verify an audit log from its stored rows: chain, positions, Merkle roots, signatures.

Verification hashes the stored body bytes (no re-canonicalisation: the body *is* the canonical
JSON and every queried column is generated from it), checks each event links to its
predecessor at the right position, recomputes the Merkle root at every checkpoint and checks
the checkpoints' Ed25519 signatures. On the first inconsistency it looks at the neighbouring
rows to name what happened (see REASONS).

It fails closed. Whoever runs the database can rewrite it at will; only a signature they cannot
make and a copy they cannot reach show it. So, with a public key:

* no checkpoint signed by that key, or more than ``max_unsigned_tail`` events after the newest
  one, is ``unsigned`` (the unsigned part could have been rewritten or cut, or the whole log
  replaced);
* with a ``witness`` the log must extend the newest checkpoint the witness holds: fewer events
  is ``rollback``, other events under the same size is ``replaced``.

Without a public key only the chain is checked, and the result says so
(``CHAIN_ONLY``): truncation and rewrites cannot be detected that way.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .chain import EMPTY_ROOT, GENESIS, MAX_UNSIGNED_TAIL, Checkpoint, MerkleFrontier, event_hash
from .errors import AuditError
from .signing import PublicKeyLike, key_id, load_public_key
from .store.base import Store, StoredEvent, open_store
from .store.url import mask_url
from .witness import Witness, WitnessLike, open_witness

REASONS = (
    "modified",
    "deleted",
    "inserted",
    "reordered",
    "truncated",
    "bad_signature",
    "unsigned",
    "rollback",
    "replaced",
)
CHAIN_ONLY = "chain only: truncation and rewrites cannot be detected"
Progress = Callable[[int, int], None]
_BATCH = 4096  # event hashes handed to the Merkle frontier at once


@dataclass
class VerifyResult:
    """Outcome of verify_log. ``first_bad`` is the sequence number of the first bad event
    (``record_id`` its record, when the row exists) and ``reason`` one of REASONS.
    ``signatures_checked`` is False for a chain-only check (no public key): then ``ok`` means
    only that the chain is consistent, see CHAIN_ONLY."""

    ok: bool
    count: int
    records: int = 0
    first_bad: int | None = None
    record_id: str | None = None
    reason: str | None = None
    message: str = ""
    checkpoints: int = 0
    signed_size: int = 0
    signatures_checked: bool = False
    witnessed_size: int | None = None
    last_hash: str | None = None
    warnings: list = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.ok

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def verify_log(
    target: str | Store,
    public_key: PublicKeyLike | None = None,
    *,
    checkpoint: Checkpoint | str | Mapping | None = None,
    witness: WitnessLike | Sequence[WitnessLike] | None = None,
    max_unsigned_tail: int = MAX_UNSIGNED_TAIL,
    progress: Progress | None = None,
    progress_every: int = 10000,
) -> VerifyResult:
    """Recompute the chain and Merkle roots of a log (SQLite path, postgresql:// URL or Store)
    and check every stored checkpoint, plus ``checkpoint`` kept elsewhere, against
    ``public_key``; with ``witness`` (file path, URL, Witness, or a list), require the log to
    extend the newest witnessed checkpoint. Reports the first bad event and why.
    ``progress(done, total)`` is called every ``progress_every`` events. A log that cannot be
    read (missing table, not a log) raises AuditError."""
    if max_unsigned_tail < 0:
        raise AuditError(f"max_unsigned_tail={max_unsigned_tail!r} must be >= 0")
    witnesses = _witnesses(witness)
    if witnesses and public_key is None:
        raise AuditError("a witness check needs the public key: pass public_key= / --public-key")
    own = not isinstance(target, Store)
    try:
        store = open_store(target, readonly=True) if own else target
        try:
            pub = load_public_key(public_key) if public_key is not None else None
            witnessed = _newest_witnessed(witnesses, pub) if witnesses else None
            return _verify(
                store, pub, checkpoint, witnessed, max_unsigned_tail, progress, progress_every
            )
        finally:
            if own:
                store.close()
    except _db_errors() as e:
        first_line = mask_url(str(e).strip().splitlines()[0] if str(e).strip() else repr(e))
        raise AuditError(
            f"cannot read the audit log: {first_line}; a "
            "table is missing or damaged (the log was tampered with or is not a "
            "rag_audit log)"
        ) from None
    finally:
        for w in witnesses:
            w.close()


def _db_errors() -> tuple:
    errors: list = [sqlite3.DatabaseError]
    psycopg = sys.modules.get("psycopg")
    if psycopg is not None:
        errors.append(psycopg.Error)
    return tuple(errors)


def _witnesses(witness) -> list[Witness]:
    if witness is None:
        return []
    if isinstance(witness, (list, tuple)):
        return [open_witness(w) for w in witness]
    return [open_witness(witness)]


def _newest_witnessed(witnesses: list[Witness], pub) -> Checkpoint | VerifyResult | None:
    """The largest checkpoint any witness holds for this key; a VerifyResult if a witnessed
    checkpoint carries this key's id but not its signature."""
    kid, best = key_id(pub), None
    for w in witnesses:
        for cp in w.checkpoints(kid):
            if not cp.verify_signature(pub):
                return VerifyResult(
                    False,
                    0,
                    first_bad=cp.tree_size,
                    reason="bad_signature",
                    message=f"the {w.name} holds a checkpoint over "
                    f"{cp.tree_size} events that does not verify with the "
                    "public key: the witness was written to by someone else",
                )
            if best is None or cp.tree_size > best.tree_size:
                best = cp
    return best


def _verify(store: Store, pub, external, witnessed, max_tail, progress, every) -> VerifyResult:
    if isinstance(witnessed, VerifyResult):
        return witnessed
    cps = store.checkpoints()
    if external is not None:
        ext = external if isinstance(external, Checkpoint) else Checkpoint.from_json(external)
        if ext not in cps:
            cps.append(ext)
    cps.sort(key=lambda c: c.tree_size)
    warnings = []
    for cp in cps:
        if pub is not None and not cp.verify_signature(pub):
            return VerifyResult(
                False,
                0,
                first_bad=cp.tree_size,
                reason="bad_signature",
                message=f"the checkpoint over {cp.tree_size} events (key "
                f"{cp.key_id}) does not verify with the given public key: "
                "wrong key, or a forged/edited checkpoint",
                checkpoints=len(cps),
                warnings=warnings,
            )
    by_size: dict[int, list[Checkpoint]] = {}
    for cp in cps:
        by_size.setdefault(cp.tree_size, []).append(cp)
    wsize = witnessed.tree_size if witnessed is not None else None

    total = store.event_count() if progress else 0
    frontier, prev, expected, good_size = MerkleFrontier(), GENESIS, 1, 0
    for cp in by_size.get(0, ()):
        if cp.root != EMPTY_ROOT.hex() or cp.last_hash != GENESIS.hex():
            return _bad(
                store,
                "modified",
                1,
                cps,
                warnings,
                "the checkpoint over 0 events is not the empty tree: it was forged",
            )
    if wsize == 0 and witnessed.root != EMPTY_ROOT.hex():
        return _bad(
            store,
            "replaced",
            1,
            cps,
            warnings,
            "the witnessed checkpoint over 0 events is not the empty tree",
        )
    pending: list[bytes] = []
    for seq, prev_hash, h, body in store.iter_events():
        if seq != expected or prev_hash != prev or event_hash(seq, prev, body) != h:
            return _diagnose(store, expected, cps, warnings)
        pending.append(h)
        prev = h
        expected += 1
        if seq in by_size or seq == wsize or len(pending) >= _BATCH:
            frontier.extend(pending)
            pending.clear()
            root = frontier.root().hex()
            for cp in by_size.get(seq, ()):
                if cp.root != root or cp.last_hash != h.hex():
                    return _bad(
                        store,
                        "modified",
                        good_size + 1,
                        cps,
                        warnings,
                        f"events {good_size + 1}..{seq} do not match the signed "
                        f"checkpoint over {seq} events (Merkle root differs): history "
                        "was rewritten",
                    )
            if seq in by_size:
                good_size = seq
            if seq == wsize:
                if witnessed.root != root or witnessed.last_hash != h.hex():
                    return _bad(
                        store,
                        "replaced",
                        1,
                        cps,
                        warnings,
                        f"the log's first {seq} events are not the ones the witness "
                        f"saw signed at {witnessed.time}: the log was replaced or "
                        "rewritten",
                    )
                good_size = max(good_size, seq)  # a witnessed checkpoint covers them too
        if progress and seq % every == 0:
            progress(seq, total)
    n = expected - 1
    if progress:
        progress(n, max(total, n))
    if cps and cps[-1].tree_size > n:
        return _bad(
            store,
            "truncated",
            n + 1,
            cps,
            warnings,
            f"the log holds {n} events but a checkpoint vouches for "
            f"{cps[-1].tree_size}: events {n + 1}..{cps[-1].tree_size} were removed",
        )
    if wsize is not None and wsize > n:
        return _bad(
            store,
            "rollback",
            n + 1,
            cps,
            warnings,
            f"the log holds {n} events but the witness holds a checkpoint over {wsize} "
            f"events signed at {witnessed.time}: events {n + 1}..{wsize} were removed "
            "together with their checkpoints (rollback), or the log was replaced",
        )
    result = VerifyResult(
        True,
        n,
        records=store.count(),
        checkpoints=len(cps),
        signed_size=good_size,
        signatures_checked=pub is not None,
        witnessed_size=wsize,
        last_hash=prev.hex() if n else None,
        warnings=warnings,
    )
    if pub is None:
        result.message = f"{n} events verified ({CHAIN_ONLY})"
        warnings.append(
            "no public key given: checkpoint signatures were not checked; " + CHAIN_ONLY
        )
        return result
    if n and not good_size:
        return _unsigned(
            store,
            result,
            1,
            f"no checkpoint signed by key {key_id(pub)} covers "
            "any event: anyone with write access could have written, rewritten, "
            "cut or replaced the whole log",
        )
    tail = n - good_size
    if tail > max_tail:
        return _unsigned(
            store,
            result,
            good_size + 1,
            f"events {good_size + 1}..{n} ({tail} events, more than the allowed "
            f"unsigned tail of {max_tail}) are not covered by a signed checkpoint: "
            "they could have been rewritten, cut short or appended by anyone with "
            "write access",
        )
    if tail:
        warnings.append(f"events {good_size + 1}..{n} are not yet covered by a checkpoint")
    result.message = f"{n} events verified, {len(cps)} checkpoints" + (
        f", extends the witnessed checkpoint over {wsize} events" if wsize is not None else ""
    )
    return result


def _unsigned(store: Store, ok: VerifyResult, seq: int, message: str) -> VerifyResult:
    """The chain checked out but too much of it is unsigned: fail closed."""
    return VerifyResult(
        False,
        ok.count,
        records=ok.records,
        first_bad=seq,
        record_id=_record_id_at(store, seq),
        reason="unsigned",
        message=message,
        checkpoints=ok.checkpoints,
        signed_size=ok.signed_size,
        signatures_checked=True,
        witnessed_size=ok.witnessed_size,
        last_hash=ok.last_hash,
        warnings=ok.warnings,
    )


def _record_id_at(store: Store, seq: int) -> str | None:
    for ev in store.iter_events(start_seq=seq, batch=1):
        if ev.seq == seq:
            try:
                return json.loads(ev.body).get("record.id")
            except (ValueError, AttributeError):
                return None
        break
    return None


def _bad(store: Store, reason: str, seq: int, cps, warnings, message: str) -> VerifyResult:
    return VerifyResult(
        False,
        seq - 1,
        first_bad=seq,
        record_id=_record_id_at(store, seq),
        reason=reason,
        message=message,
        checkpoints=len(cps),
        warnings=warnings,
    )


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
        return bad(
            "inserted", p - 1, f"event {p - 1} was inserted: event {p} links to the event before it"
        )
    where = {hh: i for i, (_, _, hh) in enumerate(rows)}
    q = where.get(prev)
    if (q is not None and q != idx - 1) or (prev == GENESIS and p != 1):
        return bad(
            "reordered",
            p,
            f"event {p} was moved: it links to the event now at "
            f"position {rows[q][0] if q is not None else 0}, not {p - 1}",
        )
    if idx + 1 < len(rows) and rows[idx + 1][1] == expected_prev:
        return bad("inserted", p, f"event {p} was inserted: event {p + 1} links past it")
    if event_hash(seq, prev, body) == h:
        return bad(
            "modified",
            p - 1,
            f"event {p - 1} was modified and re-hashed: event {p} still links to its original hash",
        )
    for d in range(1, min(len(rows), 10000) + 1):
        if event_hash(p + d, prev, body) == h:
            return bad(
                "deleted", p, f"{d} event(s) before this one were deleted and the rest renumbered"
            )
    return bad(
        "modified",
        p,
        f"event {p} was modified: it neither matches its hash nor links to its predecessor",
    )


def _iter_meta(store: Store) -> Iterable[StoredEvent]:
    return store.iter_events()
