"""Merkle roots match RFC 6962's recursive definition; checkpoints sign and round-trip."""

from __future__ import annotations

import hashlib

from hypothesis import given, settings
from hypothesis import strategies as st

from rag_audit import Checkpoint, MerkleFrontier, generate_keypair, merkle_root
from rag_audit.chain import GENESIS, event_hash, sign_checkpoint


def rfc6962_root(leaves: list[bytes]) -> bytes:
    """MTH from RFC 6962 section 2.1, written recursively as in the RFC."""
    n = len(leaves)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = 1
    while k * 2 < n:
        k *= 2
    return hashlib.sha256(b"\x01" + rfc6962_root(leaves[:k]) + rfc6962_root(leaves[k:])).digest()


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=70))
def test_merkle_root_matches_rfc6962(n):
    leaves = [hashlib.sha256(str(i).encode()).digest() for i in range(n)]
    assert merkle_root(leaves) == rfc6962_root(leaves)


def test_known_rfc6962_shape_for_three_leaves():
    a, b, c = (bytes([i]) * 32 for i in range(3))
    L = lambda x: hashlib.sha256(b"\x00" + x).digest()  # noqa: E731
    N = lambda x, y: hashlib.sha256(b"\x01" + x + y).digest()  # noqa: E731
    assert merkle_root([a, b, c]) == N(N(L(a), L(b)), L(c))


def test_frontier_round_trips_and_continues():
    leaves = [bytes([i]) * 32 for i in range(13)]
    f = MerkleFrontier()
    for h in leaves[:9]:
        f.add(h)
    g = MerkleFrontier.from_json(f.to_json())
    for h in leaves[9:]:
        g.add(h)
    assert g.size == 13 and g.root() == merkle_root(leaves)


def test_event_hash_binds_position_predecessor_and_body():
    h = event_hash(1, GENESIS, b"{}")
    assert h != event_hash(2, GENESIS, b"{}")
    assert h != event_hash(1, bytes([1]) * 32, b"{}")
    assert h != event_hash(1, GENESIS, b"{ }")
    assert len(h) == 32


def test_checkpoint_signature_and_json_round_trip():
    priv, pub = generate_keypair()
    cp = sign_checkpoint(priv, 5, bytes(32), bytes([7]) * 32)
    back = Checkpoint.from_json(cp.to_json())
    assert back == cp and back.verify_signature(pub)
    forged = Checkpoint.from_json({**cp.to_dict(), "tree_size": 6})
    assert not forged.verify_signature(pub)
    assert not cp.verify_signature(generate_keypair()[1])


def test_extend_equals_add_one_by_one_and_copy_is_independent():
    hs = [bytes([i]) * 32 for i in range(37)]
    a, b = MerkleFrontier(), MerkleFrontier()
    for h in hs:
        a.add(h)
    b.extend(hs)
    assert (a.size, a.root(), a.nodes) == (b.size, b.root(), b.nodes)
    assert b.root() == merkle_root(hs) and b.size == 37
    c = b.copy()
    c.add(b"x" * 32)
    assert b.size == 37 and c.size == 38 and b.root() != c.root()


def test_event_hash_from_digest_is_event_hash():
    from rag_audit.chain import event_hash_from_digest

    body = b'{"a":1}'
    assert event_hash_from_digest(3, b"p" * 32, hashlib.sha256(body).digest()) == event_hash(
        3, b"p" * 32, body
    )


def test_verifier_tail_allowance_follows_the_writer_policy():
    import inspect

    from rag_audit import Auditor, verify_log
    from rag_audit.chain import CHECKPOINT_EVERY, MAX_UNSIGNED_TAIL

    assert inspect.signature(Auditor).parameters["checkpoint_every"].default == CHECKPOINT_EVERY
    assert (
        inspect.signature(verify_log).parameters["max_unsigned_tail"].default
        == MAX_UNSIGNED_TAIL
        >= CHECKPOINT_EVERY
    )
