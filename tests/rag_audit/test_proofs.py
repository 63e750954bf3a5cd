"""RFC 6962 / RFC 9162 proofs: published test vectors, properties on random trees, proof files
checked with the public key alone."""

from __future__ import annotations

import json

import pytest
from audit_helpers import make_chunks
from hypothesis import given, settings
from hypothesis import strategies as st

from rag_audit import Auditor, generate_keypair
from rag_audit.chain import EMPTY_ROOT, Checkpoint, merkle_root
from rag_audit.errors import AuditError
from rag_audit.proofs import (
    check_proof,
    consistency_path,
    inclusion_path,
    prove_consistency,
    prove_record,
    root_from_inclusion,
    verify_consistency,
    verify_inclusion,
)
from rag_audit.store import open_store

# Test vectors: transparency-dev/merkle, testonly/constants.go (LeafInputs, RootHashes) and
# proof/verify_test.go (inclusionProofs, consistencyProofs); values only. Leaf numbers there are
# 1-based.
LEAVES = [
    bytes.fromhex(h)
    for h in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]
ROOTS = [
    bytes.fromhex(h)
    for h in (
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    )
]
H = {
    k: bytes.fromhex(v)
    for k, v in {
        "96a2": "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f08": "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47": "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        "bc1a": "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca85": "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37e": "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "fac5": "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "6e34": "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "0ebc": "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "b086": "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
    }.items()
}
INCLUSION = [
    (1, 1, []),
    (1, 8, ["96a2", "5f08", "6b47"]),
    (6, 8, ["bc1a", "ca85", "d37e"]),
    (3, 3, ["fac5"]),
    (2, 5, ["6e34", "5f08", "bc1a"]),
]
CONSISTENCY = [
    (1, 1, []),
    (1, 8, ["96a2", "5f08", "6b47"]),
    (6, 8, ["0ebc", "ca85", "d37e"]),
    (2, 5, ["5f08", "bc1a"]),
    (6, 7, ["0ebc", "b086", "d37e"]),
]


@pytest.mark.parametrize("n", range(9))
def test_roots_match_the_reference_vectors(n):
    assert merkle_root(LEAVES[:n]) == ROOTS[n]


@pytest.mark.parametrize("leaf, size, path", INCLUSION)
def test_inclusion_vectors_generate_and_verify(leaf, size, path):
    expected = [H[p] for p in path]
    assert inclusion_path(leaf - 1, LEAVES[:size]) == expected
    assert verify_inclusion(leaf - 1, size, LEAVES[leaf - 1], expected, ROOTS[size])
    for i in range(len(expected)):  # any flipped bit breaks it
        bad = list(expected)
        bad[i] = bytes([bad[i][0] ^ 8]) + bad[i][1:]
        assert not verify_inclusion(leaf - 1, size, LEAVES[leaf - 1], bad, ROOTS[size])
    assert not verify_inclusion(leaf - 1, size, b"WrongLeaf", expected, ROOTS[size])
    assert not verify_inclusion(
        leaf - 1, size, LEAVES[leaf - 1], expected + [ROOTS[size]], ROOTS[size]
    )
    if size > 1:
        assert not verify_inclusion(leaf % size, size, LEAVES[leaf - 1], expected, ROOTS[size])


@pytest.mark.parametrize("size1, size2, path", CONSISTENCY)
def test_consistency_vectors_generate_and_verify(size1, size2, path):
    expected = [H[p] for p in path]
    assert consistency_path(size1, LEAVES[:size2]) == expected
    assert verify_consistency(size1, size2, ROOTS[size1], ROOTS[size2], expected)
    if expected:
        assert not verify_consistency(size1, size2, ROOTS[size2], ROOTS[size1], expected)
        assert not verify_consistency(size1, size2, ROOTS[size1], ROOTS[size2], expected[:-1])
        assert not verify_consistency(size1 + 1, size2, ROOTS[size1], ROOTS[size2], expected)


def test_consistency_edge_cases():
    assert verify_consistency(0, 5, EMPTY_ROOT, ROOTS[5], [])
    assert not verify_consistency(2, 1, ROOTS[2], ROOTS[1], [])  # time travel to the past
    assert not verify_consistency(1, 2, ROOTS[1], ROOTS[2], [])  # empty proof
    assert not verify_consistency(1, 1, ROOTS[1], ROOTS[2], [])  # same size, other root


def _leaves(n, salt=0):
    return [bytes([salt]) + i.to_bytes(4, "big") for i in range(n)]


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 300), st.data())
def test_property_every_inclusion_proof_verifies_and_a_flipped_bit_fails(n, data):
    leaves = _leaves(n)
    root = merkle_root(leaves)
    i = data.draw(st.integers(0, n - 1))
    path = inclusion_path(i, leaves)
    assert root_from_inclusion(i, n, leaves[i], path) == root
    assert verify_inclusion(i, n, leaves[i], path, root)
    if path:
        k = data.draw(st.integers(0, len(path) - 1))
        bit = data.draw(st.integers(0, 255))
        bad = list(path)
        bad[k] = bytes(b ^ (1 << (bit % 8)) if j == bit // 8 else b for j, b in enumerate(bad[k]))
        assert not verify_inclusion(i, n, leaves[i], bad, root)
    assert not verify_inclusion(i, n, leaves[i] + b"x", path, root)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 70))
def test_property_consistency_for_every_prefix(n):
    leaves = _leaves(n)
    roots = [merkle_root(leaves[:m]) for m in range(n + 1)]
    for m in range(n + 1):
        path = consistency_path(m, leaves)
        assert verify_consistency(m, n, roots[m], roots[n], path)
        if path and m:
            forged = merkle_root(_leaves(m, salt=1))  # a different history of the same size
            assert not verify_consistency(m, n, forged, roots[n], path)


# -- proofs over a real log, checked without it ----------------------------------------------
@pytest.fixture
def signed_log(tmp_path, keypair):
    """A signed SQLite log of 23 records with checkpoints at 7 and 23; the record ids."""
    path, ids = tmp_path / "audit.db", []
    with Auditor(path, signing_key=keypair[0], scorer=None) as a:
        for i in range(23):
            with a.trace(f"question {i}", user_id="u") as t:
                t.add_chunks(make_chunks(1, 50, tag=str(i)))
                t.set_answer(f"answer {i}")
            ids.append(t.record_id)
            if i == 6:
                a.checkpoint()
    return path, ids


def test_inclusion_proof_checks_with_the_public_key_alone(signed_log, keypair):
    path, ids = signed_log
    for rid in (ids[0], ids[11], ids[-1]):
        proof = json.loads(json.dumps(prove_record(path, rid)))  # through JSON, as on disk
        assert proof["checkpoint"]["tree_size"] == 23
        body = next(iter(open_store(path).iter_events(start_seq=proof["seq"], batch=1))).body
        r = check_proof(proof, keypair[1], body=body)
        assert r.ok, r.message
        assert not check_proof(proof, keypair[1], body=body.replace(b"question", b"QUESTION"))
    assert not check_proof(proof, generate_keypair()[1])  # another key
    for field, value in (
        ("seq", proof["seq"] - 1),
        ("leaf_index", 0),
        ("body_sha256", "00" * 32),
        ("prev_hash", "11" * 32),
    ):
        assert not check_proof({**proof, field: value}, keypair[1]), field
    bad = {**proof, "path": [("%064x" % (int(proof["path"][0], 16) ^ 1))] + proof["path"][1:]}
    assert not check_proof(bad, keypair[1])
    bad_cp = {**proof, "checkpoint": {**proof["checkpoint"], "tree_size": 24}}
    assert not check_proof(bad_cp, keypair[1])  # the signature no longer covers it


def test_consistency_proof_between_stored_checkpoints(signed_log, keypair):
    path, _ = signed_log
    old, new = open_store(path).checkpoints()
    proof = prove_consistency(path, old, new)
    assert check_proof(proof, keypair[1]).ok
    forged_old = Checkpoint.from_json({**old.to_dict(), "root": "ab" * 32})
    assert not check_proof({**proof, "old": forged_old.to_dict()}, keypair[1])
    with pytest.raises(AuditError, match="pass them as OLD NEW"):
        prove_consistency(path, new, old)


def test_malformed_proofs_are_input_errors(keypair):
    with pytest.raises(AuditError, match="not a rag_audit proof"):
        check_proof({"kind": "inclusion"}, keypair[1])
    with pytest.raises(AuditError, match="malformed"):
        check_proof({"format": "rag_audit.proof/v1", "kind": "inclusion"}, keypair[1])
    with pytest.raises(AuditError, match="unknown proof kind"):
        check_proof({"format": "rag_audit.proof/v1", "kind": "exclusion"}, keypair[1])


def test_prove_an_unknown_record_or_uncovered_record(signed_log, keypair, tmp_path):
    path, _ = signed_log
    with pytest.raises(AuditError, match="no record with id"):
        prove_record(path, "nope")
    with Auditor(
        path,
        signing_key=keypair[0],
        scorer=None,
        checkpoint_every=10**6,
        checkpoint_interval_s=3600,
    ) as a:
        with a.trace("late") as t:
            t.set_answer("x")
        with pytest.raises(AuditError, match="no signed checkpoint covers"):
            prove_record(path, t.record_id)


def test_cli_prove_and_check_without_the_log(signed_log, keypair, tmp_path):
    import subprocess
    import sys

    from rag_audit import save_public_key

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "rag_audit.cli", *map(str, args)],
            capture_output=True,
            text=True,
            timeout=120,
        )

    path, ids = signed_log
    save_public_key(keypair[1], tmp_path / "k.pub")
    assert run("prove", path, ids[3], "-o", tmp_path / "p.json").returncode == 0
    old, new = open_store(path).checkpoints()
    (tmp_path / "old.json").write_text(old.to_json())
    (tmp_path / "new.json").write_text(new.to_json())
    r = run("prove-consistency", path, tmp_path / "old.json", tmp_path / "new.json")
    assert r.returncode == 0
    (tmp_path / "c.json").write_text(r.stdout)
    path.unlink()  # the auditor holds only the proofs and the public key
    r = run("check-proof", tmp_path / "p.json", "--public-key", tmp_path / "k.pub")
    assert (r.returncode, r.stdout.split(":")[0]) == (0, "VALID") and ids[3] in r.stdout
    r = run("check-proof", tmp_path / "c.json", "--public-key", tmp_path / "k.pub")
    assert r.returncode == 0 and "extends the one of 7 events" in r.stdout
    proof = json.loads((tmp_path / "p.json").read_text())
    proof["path"][0] = "00" * 32
    (tmp_path / "bad.json").write_text(json.dumps(proof))
    r = run("check-proof", tmp_path / "bad.json", "--public-key", tmp_path / "k.pub")
    assert r.returncode == 1 and r.stdout.startswith("INVALID")
    (tmp_path / "junk.json").write_text("not json")
    r = run("check-proof", tmp_path / "junk.json", "--public-key", tmp_path / "k.pub")
    assert r.returncode == 2 and r.stderr.startswith("Error:") and "Traceback" not in r.stderr
