"""Event hashes, the hash chain, RFC 6962 Merkle roots and signed checkpoints.

* event hash = SHA-256("rag_audit/event/v1" 0x00 || seq (8 bytes, big endian) || prev_hash ||
  SHA-256(canonical body bytes)); the first event's prev_hash is 32 zero bytes. The hash covers
  the body (so any edit shows), the position (so a move shows) and the predecessor (the chain).
* Merkle tree over all event hashes as in RFC 6962: leaf = H(0x00 || event hash),
  node = H(0x01 || left || right), the left subtree being the largest power of two < n.
* A checkpoint signs (Ed25519) the Merkle root, tree size, last event hash and time. Anyone with
  the checkpoint and the public key can detect rewritten history and truncation.
* The checkpoint policy lives here once: a writer signs every ``CHECKPOINT_EVERY`` events (and
  every ``CHECKPOINT_INTERVAL_S`` seconds, and on close); a verifier with the public key accepts
  at most ``MAX_UNSIGNED_TAIL`` events after the newest signed checkpoint.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .errors import AuditError
from .record import utc_now
from .signing import key_id

GENESIS = bytes(32)
EMPTY_ROOT = hashlib.sha256(b"").digest()  # RFC 6962 hash of the empty tree
_EVENT_TAG = b"rag_audit/event/v1\x00"
_sha256 = hashlib.sha256

CHECKPOINT_EVERY = 1000  # a writer signs a checkpoint after this many events ...
CHECKPOINT_INTERVAL_S = 60.0  # ... or this many seconds, whichever comes first, and on close
# Events a verifier accepts after the newest signed checkpoint: one checkpoint period, plus as
# many again for requests committed while the background thread signs.
MAX_UNSIGNED_TAIL = 2 * CHECKPOINT_EVERY


def event_hash_from_digest(seq: int, prev_hash: bytes, body_digest: bytes) -> bytes:
    """Chain hash of the event at ``seq`` from the SHA-256 of its body (what a proof carries)."""
    return _sha256(_EVENT_TAG + seq.to_bytes(8, "big") + prev_hash + body_digest).digest()


def event_hash(seq: int, prev_hash: bytes, body: bytes) -> bytes:
    """Chain hash of the event at position ``seq`` (1-based) whose predecessor hash is prev_hash."""
    return _sha256(
        _EVENT_TAG + seq.to_bytes(8, "big") + prev_hash + _sha256(body).digest()
    ).digest()


def leaf_hash(h: bytes) -> bytes:
    """RFC 6962 leaf hash: H(0x00 || leaf input); our leaf input is the event hash."""
    return _sha256(b"\x00" + h).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 6962 interior node hash: H(0x01 || left || right)."""
    return _sha256(b"\x01" + left + right).digest()


class MerkleFrontier:
    """Incremental RFC 6962 Merkle tree: keeps only the roots of the perfect subtrees (one per
    set bit of the size), so adding a leaf is O(1) amortised and the root is O(log n)."""

    def __init__(self, size: int = 0, nodes: Sequence[bytes] = ()) -> None:
        if bin(size).count("1") != len(nodes):
            raise AuditError(
                f"a Merkle frontier of size {size} needs {bin(size).count('1')} "
                f"nodes, got {len(nodes)}"
            )
        self.size = size
        heights = [i for i in range(size.bit_length() - 1, -1, -1) if size >> i & 1]
        self._stack = list(zip(heights, nodes))  # (height, subtree root), left to right

    def add(self, event_hash_: bytes) -> None:
        """Add one leaf (an event hash)."""
        self.extend((event_hash_,))

    def extend(self, event_hashes: Iterable[bytes]) -> None:
        """Add many leaves (same as ``add`` in a loop, with the loop's lookups hoisted)."""
        sha, stack = _sha256, self._stack
        for h in event_hashes:
            node, height = sha(b"\x00" + h).digest(), 0
            while stack and stack[-1][0] == height:
                node = sha(b"\x01" + stack.pop()[1] + node).digest()
                height += 1
            stack.append((height, node))
            self.size += 1

    def copy(self) -> MerkleFrontier:
        """An independent frontier of the same tree."""
        return MerkleFrontier(self.size, self.nodes)

    def root(self) -> bytes:
        """RFC 6962 Merkle tree hash of all leaves added so far (SHA-256 of "" when empty)."""
        if not self._stack:
            return EMPTY_ROOT
        acc = self._stack[-1][1]
        for _, node in reversed(self._stack[:-1]):
            acc = node_hash(node, acc)
        return acc

    @property
    def nodes(self) -> list[bytes]:
        return [n for _, n in self._stack]

    def to_json(self) -> str:
        return json.dumps({"size": self.size, "nodes": [n.hex() for n in self.nodes]})

    @classmethod
    def from_json(cls, text: str) -> MerkleFrontier:
        d = json.loads(text)
        return cls(d["size"], [bytes.fromhex(n) for n in d["nodes"]])


def merkle_root(hashes: Iterable[bytes]) -> bytes:
    """Merkle root of a sequence of event hashes (see MerkleFrontier)."""
    f = MerkleFrontier()
    for h in hashes:
        f.add(h)
    return f.root()


@dataclass(frozen=True)
class Checkpoint:
    """A signed statement: "the log's first ``tree_size`` events have Merkle root ``root`` and
    the last of them has hash ``last_hash``". Hashes and signature are hex strings."""

    tree_size: int
    root: str
    last_hash: str
    time: str
    key_id: str
    signature: str = ""

    def payload(self) -> bytes:
        """The exact bytes that are signed (RFC 8785 JSON of every field but the signature)."""
        return rfc8785.dumps(
            {
                "rag_audit.checkpoint": 1,
                "tree_size": self.tree_size,
                "root": self.root,
                "last_hash": self.last_hash,
                "time": self.time,
                "key_id": self.key_id,
            }
        )

    def verify_signature(self, public_key: Ed25519PublicKey) -> bool:
        try:
            public_key.verify(bytes.fromhex(self.signature), self.payload())
            return True
        except (InvalidSignature, ValueError):
            return False

    def to_dict(self) -> dict:
        return asdict(self)

    def to_json(self) -> str:
        """Serialise for keeping outside the log (e.g. in another system, or printed)."""
        return json.dumps(self.to_dict(), sort_keys=True)

    @classmethod
    def from_json(cls, data: str | bytes | Mapping) -> Checkpoint:
        """Parse a checkpoint kept elsewhere (JSON text, bytes, or a dict)."""
        try:
            d = json.loads(data) if isinstance(data, (str, bytes)) else dict(data)
            return cls(
                tree_size=int(d["tree_size"]),
                root=str(d["root"]),
                last_hash=str(d["last_hash"]),
                time=str(d["time"]),
                key_id=str(d["key_id"]),
                signature=str(d.get("signature", "")),
            )
        except (ValueError, KeyError, TypeError) as e:
            raise AuditError(
                f"not a rag_audit checkpoint ({e!r}); pass the JSON written by Checkpoint.to_json()"
            ) from None


def sign_checkpoint(
    private_key: Ed25519PrivateKey,
    tree_size: int,
    root: bytes,
    last_hash: bytes,
    time: str | None = None,
) -> Checkpoint:
    """Make and sign a checkpoint over the given tree."""
    unsigned = Checkpoint(
        tree_size=tree_size,
        root=root.hex(),
        last_hash=last_hash.hex(),
        time=time or utc_now(),
        key_id=key_id(private_key),
    )
    sig = private_key.sign(unsigned.payload())
    return Checkpoint(**{**unsigned.to_dict(), "signature": sig.hex()})
