"""RFC 6962 / RFC 9162 inclusion and consistency proofs over the log's Merkle tree.

The tree is the one ``chain.py`` defines (leaf input = event hash, ``leaf_hash``/``node_hash``
from there). Proof *generation* follows RFC 6962 §2.1.1 (PATH) and §2.1.2 (SUBPROOF); proof
*verification* follows RFC 9162 §2.1.3.2 and §2.1.4.2, so a proof written here can be checked
by any RFC 9162 verifier that is given the leaf hash.

A proof file (JSON) carries everything needed to check it with the public key alone:

* ``inclusion``: the signed checkpoint, the event's position, its predecessor hash and the
  SHA-256 of its body (so a holder of the record's canonical body can check it is that event),
  the event hash, and the audit path.
* ``consistency``: two signed checkpoints and the consistency path between them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .chain import EMPTY_ROOT, Checkpoint, event_hash_from_digest, leaf_hash, merkle_root, node_hash
from .errors import AuditError
from .signing import PublicKeyLike, load_public_key
from .store.base import Store, open_store

PROOF_FORMAT = "rag_audit.proof/v1"


# -- RFC 6962 generation ------------------------------------------------------------------------
def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def inclusion_path(index: int, leaves: Sequence[bytes]) -> list[bytes]:
    """Audit path for leaf ``index`` (0-based) in the tree over ``leaves`` (RFC 6962 PATH)."""
    n = len(leaves)
    if not 0 <= index < n:
        raise AuditError(f"leaf index {index} is outside a tree of {n} leaves")
    path: list[bytes] = []
    lo, hi = 0, n
    while hi - lo > 1:
        k = _split(hi - lo)
        if index - lo < k:
            path.append(merkle_root(leaves[lo + k : hi]))
            hi = lo + k
        else:
            path.append(merkle_root(leaves[lo : lo + k]))
            lo += k
    return path[::-1]  # leaf to root


def consistency_path(m: int, leaves: Sequence[bytes]) -> list[bytes]:
    """Consistency proof between the first ``m`` leaves and all of ``leaves`` (RFC 6962 PROOF)."""
    n = len(leaves)
    if not 0 <= m <= n:
        raise AuditError(f"cannot prove size {m} consistent with size {n}")
    if m in (0, n):
        return []
    path: list[bytes] = []
    lo, hi, complete = 0, n, True
    while hi - lo != m:
        k = _split(hi - lo)
        if m <= k:
            path.append(merkle_root(leaves[lo + k : hi]))
            hi = lo + k
        else:
            path.append(merkle_root(leaves[lo : lo + k]))
            lo, m, complete = lo + k, m - k, False
    if not complete:
        path.append(merkle_root(leaves[lo:hi]))
    return path[::-1]


# -- RFC 9162 verification ----------------------------------------------------------------------
def root_from_inclusion(index: int, size: int, leaf_input: bytes, path: Sequence[bytes]) -> bytes:
    """The root implied by an inclusion proof (RFC 9162 §2.1.3.2); AuditError if malformed."""
    if not 0 <= index < size:
        raise AuditError(f"leaf index {index} is outside a tree of {size} leaves")
    fn, sn, r = index, size - 1, leaf_hash(leaf_input)
    for p in path:
        if sn == 0:
            raise AuditError("the inclusion proof is longer than the tree is deep")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise AuditError("the inclusion proof is shorter than the tree is deep")
    return r


def verify_inclusion(
    index: int, size: int, leaf_input: bytes, path: Sequence[bytes], root: bytes
) -> bool:
    """True when ``path`` proves leaf ``index`` of a ``size``-leaf tree with this root."""
    try:
        return root_from_inclusion(index, size, leaf_input, path) == root
    except AuditError:
        return False


def verify_consistency(
    size1: int, size2: int, root1: bytes, root2: bytes, path: Sequence[bytes]
) -> bool:
    """True when ``path`` proves the tree (size1, root1) is a prefix of (size2, root2)
    (RFC 9162 §2.1.4.2)."""
    if not 0 <= size1 <= size2:
        return False
    if size1 == size2:
        return not path and root1 == root2
    if size1 == 0:
        return not path and root1 == EMPTY_ROOT
    if not path:
        return False
    path = list(path)
    if size1 & (size1 - 1) == 0:  # a power of two: the old root is a node of the new tree
        path.insert(0, root1)
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == root1 and sr == root2


# -- proof files ---------------------------------------------------------------------------------
@dataclass
class ProofCheck:
    """Outcome of check_proof: ``ok`` and a one-line ``message`` saying what was proven or why
    not."""

    ok: bool
    kind: str
    message: str

    def __bool__(self) -> bool:
        return self.ok


def _newest_checkpoint(store: Store, min_size: int) -> Checkpoint:
    cps = [c for c in store.checkpoints() if c.tree_size >= min_size]
    if not cps:
        raise AuditError(
            f"no signed checkpoint covers event {min_size} yet; close the Auditor "
            "(or call Auditor.checkpoint()) and try again"
        )
    return max(cps, key=lambda c: c.tree_size)


def prove_record(target: str | Store, record_id: str, checkpoint: Checkpoint | None = None) -> dict:
    """Inclusion proof (a JSON-ready dict) of the request event of ``record_id`` against
    ``checkpoint`` (default: the newest stored checkpoint that covers it)."""
    own = not isinstance(target, Store)
    store = open_store(target, readonly=True) if own else target
    try:
        rec = store.get(record_id)
        if rec is None:
            raise AuditError(
                f"no record with id {record_id!r} in this log; find ids with `rag_audit list`"
            )
        seq = rec.seq
        cp = checkpoint or _newest_checkpoint(store, seq)
        if cp.tree_size < seq:
            raise AuditError(
                f"the checkpoint covers {cp.tree_size} events; record {record_id} is event {seq}"
            )
        ev = next(iter(store.iter_events(start_seq=seq, batch=1)))
        leaves = store.hashes(1, cp.tree_size)
    finally:
        if own:
            store.close()
    if len(leaves) != cp.tree_size or merkle_root(leaves) != bytes.fromhex(cp.root):
        raise AuditError("the log does not match its own checkpoint; run `rag_audit verify`")
    body_digest = hashlib.sha256(ev.body).digest()
    if event_hash_from_digest(seq, bytes(ev.prev_hash), body_digest) != bytes(ev.hash):
        raise AuditError(f"event {seq} does not match its hash; run `rag_audit verify`")
    return {
        "format": PROOF_FORMAT,
        "kind": "inclusion",
        "checkpoint": cp.to_dict(),
        "record_id": record_id,
        "seq": seq,
        "leaf_index": seq - 1,
        "prev_hash": bytes(ev.prev_hash).hex(),
        "body_sha256": body_digest.hex(),
        "event_hash": bytes(ev.hash).hex(),
        "path": [h.hex() for h in inclusion_path(seq - 1, leaves)],
    }


def prove_consistency(target: str | Store, old: Checkpoint, new: Checkpoint) -> dict:
    """Consistency proof (a JSON-ready dict) that checkpoint ``old`` is a prefix of ``new``,
    built from the log's event hashes."""
    if old.tree_size > new.tree_size:
        raise AuditError(
            f"the old checkpoint ({old.tree_size} events) is larger than the new "
            f"one ({new.tree_size}); pass them as OLD NEW"
        )
    own = not isinstance(target, Store)
    store = open_store(target, readonly=True) if own else target
    try:
        leaves = store.hashes(1, new.tree_size)
    finally:
        if own:
            store.close()
    if len(leaves) != new.tree_size or merkle_root(leaves) != bytes.fromhex(new.root):
        raise AuditError(
            f"the log's first {new.tree_size} events do not match the new "
            "checkpoint; run `rag_audit verify`"
        )
    if merkle_root(leaves[: old.tree_size]) != bytes.fromhex(old.root):
        raise AuditError(
            f"the log's first {old.tree_size} events do not match the old "
            "checkpoint: the log was rewritten since it was signed"
        )
    return {
        "format": PROOF_FORMAT,
        "kind": "consistency",
        "old": old.to_dict(),
        "new": new.to_dict(),
        "path": [h.hex() for h in consistency_path(old.tree_size, leaves)],
    }


def _hex(value, what: str) -> bytes:
    try:
        return bytes.fromhex(str(value))
    except ValueError:
        raise AuditError(f"the proof's {what} is not hex") from None


def check_proof(proof: Mapping, public_key: PublicKeyLike, body: bytes | None = None) -> ProofCheck:
    """Check an inclusion or consistency proof with the public key alone (no log).

    ``body``: the record's canonical body bytes, if the caller holds them, for an inclusion
    proof. Malformed input raises AuditError; a proof that does not hold returns ok=False."""
    pub = load_public_key(public_key)
    if not isinstance(proof, Mapping) or proof.get("format") != PROOF_FORMAT:
        raise AuditError(
            f"not a rag_audit proof (expected format {PROOF_FORMAT!r}); pass a "
            "file written by `rag_audit prove` or `rag_audit prove-consistency`"
        )
    kind = proof.get("kind")
    try:
        if kind == "inclusion":
            return _check_inclusion(proof, pub, body)
        if kind == "consistency":
            return _check_consistency(proof, pub)
    except (KeyError, TypeError, ValueError) as e:
        raise AuditError(f"the proof is incomplete or malformed ({e!r})") from None
    raise AuditError(f"unknown proof kind {kind!r}; expected 'inclusion' or 'consistency'")


def _signed(cp: Checkpoint, pub, what: str) -> ProofCheck | None:
    if not cp.verify_signature(pub):
        return ProofCheck(
            False,
            what,
            f"the {what} checkpoint over {cp.tree_size} events is not signed by this public key",
        )
    return None


def _check_inclusion(proof: Mapping, pub, body: bytes | None) -> ProofCheck:
    cp = Checkpoint.from_json(proof["checkpoint"])
    bad = _signed(cp, pub, "inclusion")
    if bad is not None:
        return bad
    seq, digest = int(proof["seq"]), _hex(proof["body_sha256"], "body_sha256")
    if int(proof["leaf_index"]) != seq - 1:
        return ProofCheck(False, "inclusion", "leaf_index and seq disagree")
    if body is not None and hashlib.sha256(body).digest() != digest:
        return ProofCheck(False, "inclusion", "the given record body is not the proven event")
    leaf = event_hash_from_digest(seq, _hex(proof["prev_hash"], "prev_hash"), digest)
    if leaf != _hex(proof["event_hash"], "event_hash"):
        return ProofCheck(
            False,
            "inclusion",
            "the event hash does not match its position, predecessor and body hash",
        )
    path = [_hex(h, "path") for h in proof["path"]]
    if not verify_inclusion(seq - 1, cp.tree_size, leaf, path, _hex(cp.root, "root")):
        return ProofCheck(
            False, "inclusion", f"event {seq} is not in the signed tree of {cp.tree_size} events"
        )
    return ProofCheck(
        True,
        "inclusion",
        f"record {proof.get('record_id')} is event {seq} of the "
        f"log signed by key {cp.key_id} at {cp.time} ({cp.tree_size} events)"
        + ("; body matches" if body is not None else ""),
    )


def _check_consistency(proof: Mapping, pub) -> ProofCheck:
    old, new = Checkpoint.from_json(proof["old"]), Checkpoint.from_json(proof["new"])
    for cp, what in ((old, "old"), (new, "new")):
        bad = _signed(cp, pub, what)
        if bad is not None:
            return ProofCheck(False, "consistency", bad.message)
    path = [_hex(h, "path") for h in proof["path"]]
    if not verify_consistency(
        old.tree_size, new.tree_size, _hex(old.root, "root"), _hex(new.root, "root"), path
    ):
        return ProofCheck(
            False,
            "consistency",
            f"the log of {new.tree_size} events does not "
            f"extend the one of {old.tree_size} events: history was rewritten",
        )
    return ProofCheck(
        True,
        "consistency",
        f"the log of {new.tree_size} events ({new.time}) "
        f"extends the one of {old.tree_size} events ({old.time}), key {new.key_id}",
    )
