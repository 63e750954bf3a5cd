"""The Auditor: tracing, wrapping, errors, the bounded background worker, overrides."""

from __future__ import annotations

import threading
import time

import pytest
from audit_helpers import OverlapScorer, make_chunks

from rag_audit import AuditError, Auditor, Chunk, labelled_overrides, verify_log


def test_trace_records_everything(tmp_path, scorer):
    a = Auditor(
        tmp_path / "a.db",
        scorer=scorer,
        app="support-bot",
        model="smollm2-135m",
        model_version="2024-11",
    )
    with a.trace("what is the refund policy?", user_id="u-17", metadata={"ticket": 4}) as t:
        t.add_chunks(make_chunks(3, 200))
        for piece in ("the refund ", "policy allows returns"):
            t.append_answer(piece)
        t.set_watermark(applied=True, key_id="key-1", p_value=1e-9)
        t.set_tokens(input=12, output=5)
    a.close()
    rec = open_rec(tmp_path / "a.db", t.record_id)
    assert rec.answer == "the refund policy allows returns"
    assert rec.user_id == "u-17" and rec.app == "support-bot" and rec.model_version == "2024-11"
    assert [c.id for c in rec.chunks] == ["doc0#", "doc1#", "doc2#"]
    assert rec.watermark.p_value == 1e-9 and rec.tokens == {"input": 12, "output": 5}
    assert set(rec.latency_ms) == {"retrieval", "generation", "total"}
    assert rec.latency_ms["total"] >= rec.latency_ms["retrieval"]
    assert rec.faithfulness["score"] == 1.0 and rec.metadata == {"ticket": 4}
    d = rec.to_dict()
    assert d["output.value"] == rec.answer and d["seq"] == 1 and d["rag_audit.faithfulness"]
    assert verify_log(tmp_path / "a.db").ok


def open_rec(path, record_id):
    from rag_audit import open_store

    s = open_store(path)
    try:
        return s.get(record_id)
    finally:
        s.close()


def test_exception_is_recorded_and_reraised(tmp_path, scorer):
    a = Auditor(tmp_path / "a.db", scorer=scorer)
    with pytest.raises(ZeroDivisionError):
        with a.trace("q", user_id="u") as t:
            t.add_chunks(make_chunks(1, 50))
            1 / 0  # noqa: B018 - the error the trace must record
    a.close()
    rec = open_rec(tmp_path / "a.db", t.record_id)
    assert rec.error == {"type": "ZeroDivisionError", "message": "division by zero"}
    assert rec.faithfulness is None and scorer.calls == 0  # nothing to score


def test_wrap_and_decorator(tmp_path, scorer):
    a = Auditor(tmp_path / "a.db", scorer=scorer)

    def rag(query):
        return f"answer to {query}", [Chunk(id="c", text=f"answer to {query}")]

    wrapped = a.wrap(rag, user_id="default-user")
    assert wrapped("one")[0] == "answer to one"
    wrapped("two", user_id="other")

    @a.audited(user_id="deco")
    def failing(query):
        raise RuntimeError("retriever down")

    with pytest.raises(RuntimeError):
        failing("three")
    a.close()
    recs = list(open_store_records(tmp_path / "a.db"))
    assert [(r.query, r.user_id) for r in recs] == [
        ("one", "default-user"),
        ("two", "other"),
        ("three", "deco"),
    ]
    assert recs[0].faithfulness["score"] == 1.0 and recs[2].error["type"] == "RuntimeError"


def open_store_records(path):
    from rag_audit import open_store

    s = open_store(path)
    yield from s.records()
    s.close()


def test_full_queue_blocks_instead_of_dropping(tmp_path):
    slow = OverlapScorer(delay_s=0.05)
    a = Auditor(tmp_path / "a.db", scorer=slow, queue_size=1)
    t0 = time.perf_counter()
    for i in range(8):
        with a.trace(f"q{i}") as t:
            t.add_chunks(make_chunks(1, 50))
            t.set_answer("refund policy")
    blocked_for = time.perf_counter() - t0
    a.close()  # drains
    # with room for one item, producing 8 needs at least ~6 scorer delays: the producer waited
    assert blocked_for >= 5 * slow.delay_s
    assert slow.calls == 8
    recs = list(open_store_records(tmp_path / "a.db"))
    assert len(recs) == 8 and all(r.faithfulness is not None for r in recs)


def test_flush_waits_for_evaluations(tmp_path):
    slow = OverlapScorer(delay_s=0.02)
    a = Auditor(tmp_path / "a.db", scorer=slow)
    for i in range(5):
        with a.trace(f"q{i}") as t:
            t.add_chunks(make_chunks(1, 50))
            t.set_answer("refund")
    a.flush()
    assert a.store.event_count() == 10
    a.close()


def test_scorer_failure_is_recorded_not_fatal(tmp_path):
    class Broken:
        name, version = "broken", "0"

        def score(self, answer, chunks):
            raise ValueError("model exploded")

    a = Auditor(tmp_path / "a.db", scorer=Broken())
    with a.trace("q") as t:
        t.add_chunks(make_chunks(1, 50))
        t.set_answer("a")
    a.close()
    rec = open_rec(tmp_path / "a.db", t.record_id)
    assert rec.faithfulness["score"] is None and "model exploded" in rec.faithfulness["error"]


def test_overrides_are_linked_and_exported(tmp_path, keypair, scorer):
    a = Auditor(tmp_path / "a.db", scorer=scorer, signing_key=keypair[0], model="m")
    ids = []
    for q in ("q1", "q2"):
        with a.trace(q, user_id="u") as t:
            t.add_chunks(make_chunks(1, 50))
            t.set_answer("bananas")
        ids.append(t.record_id)
    a.flush()
    ev = a.record_override(
        ids[1],
        reviewer="ana",
        decision="reject",
        reason="unsupported",
        correction="the refund policy allows returns",
    )
    a.record_override(ids[1], reviewer="bo", decision="accept")
    with pytest.raises(AuditError, match="no record"):
        a.record_override("nope", reviewer="ana", decision="reject")
    a.close()
    rec = open_rec(tmp_path / "a.db", ids[1])
    assert [o["decision"] for o in rec.overrides] == ["reject", "accept"]
    assert rec.overrides[0]["event_id"] == ev and rec.overrides[0]["seq"] > rec.seq
    labels = labelled_overrides(tmp_path / "a.db")
    assert len(labels) == 2
    first = labels[0]
    assert first["record_id"] == ids[1] and first["query"] == "q2" and first["answer"] == "bananas"
    assert first["decision"] == "reject" and first["reviewer"] == "ana"
    assert first["correction"] == "the refund policy allows returns"
    assert first["faithfulness"] == 0.0 and first["chunks"][0]["id"] == "doc0#"
    assert verify_log(tmp_path / "a.db", public_key=keypair[1]).ok


def test_checkpoints_every_n_events(tmp_path, keypair):
    a = Auditor(tmp_path / "a.db", scorer=None, signing_key=keypair[0], checkpoint_every=5)

    def write_and_wait(n, checkpoints):
        for i in range(n):
            with a.trace(f"q{i}") as t:
                t.set_answer("a")
        deadline = time.time() + 10
        while len(a.store.checkpoints()) < checkpoints and time.time() < deadline:
            time.sleep(0.05)
        return [c.tree_size for c in a.store.checkpoints()]

    assert write_and_wait(5, 1) == [5]  # the worker checkpoints once 5 events are due
    assert write_and_wait(3, 1) == [5]  # 3 more: not due yet
    sizes = write_and_wait(3, 2)  # due at the 10th event; the 11th may land before it runs
    assert sizes[0] == 5 and sizes[1] in (10, 11)
    a.close()  # final checkpoint on close
    r = verify_log(tmp_path / "a.db", public_key=keypair[1])
    assert r.ok and r.signed_size == 11 and r.checkpoints == len(set(sizes) | {11})


def test_closed_auditor_refuses(tmp_path):
    a = Auditor(tmp_path / "a.db", scorer=None)
    a.close()
    a.close()  # idempotent
    with pytest.raises(AuditError, match="closed"):
        a.trace("q")


def test_concurrent_threads(tmp_path, scorer):
    a = Auditor(tmp_path / "a.db", scorer=scorer, queue_size=4)

    def work(k):
        for i in range(25):
            with a.trace(f"t{k}-{i}", user_id=f"t{k}") as t:
                t.add_chunks(make_chunks(2, 100))
                t.set_answer("refund")

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    a.close()
    r = verify_log(tmp_path / "a.db")
    assert r.ok and r.records == 100 and r.count == 200


@pytest.mark.slow
def test_real_default_scorer(tmp_path):
    """The real default scorer (bundled MiniLM, in the worker) scores a supported answer clearly
    above the same answer ending in an unsupported sentence, and flags that sentence only."""
    policy = Chunk(
        id="policy#1",
        text="Items can be returned within 30 days of purchase for a "
        "full refund. Refunds are paid to the original card within five business days.",
        source="kb/policy.md",
    )
    supported = (
        "You can return items within 30 days of purchase for a full refund. "
        "The refund is paid to your original card within five business days."
    )
    cheese = supported + " The moon is made of cheese."
    a = Auditor(tmp_path / "a.db")  # default scorer, loaded lazily in the worker
    ids = []
    for answer in (supported, cheese):
        with a.trace("How long do I have to return an item?") as t:
            t.add_chunks([policy])
            t.set_answer(answer)
        ids.append(t.record_id)
    a.close()
    assert not a.worker_errors
    good, bad = (open_rec(tmp_path / "a.db", i).faithfulness for i in ids)
    for f in (good, bad):
        assert f is not None and f.get("error") is None, f
    assert [s["supported"] for s in good["sentences"]] == [True, True], good
    assert [s["supported"] for s in bad["sentences"]] == [True, True, False], bad
    assert bad["sentences"][2]["text"] == "The moon is made of cheese."
    assert bad["sentences"][2]["score"] < min(s["score"] for s in bad["sentences"][:2])
    assert good["score"] - bad["score"] >= 0.3, (good["score"], bad["score"])
    assert all(s["chunk_id"] == "policy#1" for s in bad["sentences"][:2])


def test_writer_signs_its_own_frontier_not_a_stored_one(tmp_path, keypair):
    """A checkpoint row planted by the database operator (forged frontier, other key) cannot
    make the writer sign a wrong root: it signs from the frontier it verified itself."""
    import sqlite3

    from rag_audit import generate_keypair, merkle_root
    from rag_audit.chain import MerkleFrontier, sign_checkpoint

    a = Auditor(tmp_path / "a.db", scorer=None, signing_key=keypair[0], checkpoint_every=10**6)
    for i in range(5):
        with a.trace(f"q{i}") as t:
            t.set_answer("a")
        if i == 2:
            a.checkpoint()
    forged = MerkleFrontier(4, [b"\x07" * 32])
    cp = sign_checkpoint(generate_keypair()[0], 4, forged.root(), b"\x07" * 32)
    c = sqlite3.connect(tmp_path / "a.db")
    c.execute(
        "INSERT INTO rag_audit_checkpoints VALUES (?, ?, ?)", (4, cp.to_json(), forged.to_json())
    )
    c.commit()
    c.close()
    mine = a.checkpoint()
    a.close()
    assert mine.tree_size == 5 and mine.root == merkle_root(_hashes(tmp_path / "a.db")).hex()
    r = verify_log(tmp_path / "a.db", public_key=keypair[1])
    assert (r.ok, r.reason, r.first_bad) == (False, "bad_signature", 4)  # the plant shows


def _hashes(path):
    from rag_audit import open_store

    with open_store(path, readonly=True) as s:
        return s.hashes(1, s.head()[0])


def test_reopening_writer_recomputes_a_tampered_stored_frontier(tmp_path, keypair):
    import sqlite3

    from rag_audit import merkle_root

    with Auditor(tmp_path / "a.db", scorer=None, signing_key=keypair[0]) as a:
        for i in range(6):
            with a.trace(f"q{i}") as t:
                t.set_answer("a")
    c = sqlite3.connect(tmp_path / "a.db", isolation_level=None)
    c.execute("DROP TRIGGER rag_audit_checkpoints_no_update")
    c.execute(
        "UPDATE rag_audit_checkpoints SET frontier = ? WHERE tree_size = 6",
        ('{"size": 6, "nodes": ["' + "11" * 32 + '", "' + "22" * 32 + '"]}',),
    )
    c.close()
    with Auditor(tmp_path / "a.db", scorer=None, signing_key=keypair[0]) as a:
        with a.trace("q6") as t:
            t.set_answer("a")
        cp = a.checkpoint()
    assert cp.tree_size == 7 and cp.root == merkle_root(_hashes(tmp_path / "a.db")).hex()
    assert verify_log(tmp_path / "a.db", public_key=keypair[1]).ok


def test_adopting_an_unsigned_log_checks_its_whole_chain_first(tmp_path, keypair):
    import sqlite3

    with Auditor(tmp_path / "a.db", scorer=None) as a:
        for i in range(4):
            with a.trace(f"q{i}") as t:
                t.set_answer("a")
    c = sqlite3.connect(tmp_path / "a.db", isolation_level=None)
    c.execute("DROP TRIGGER rag_audit_events_no_update")
    c.execute("UPDATE rag_audit_events SET body = replace(body, 'q2', 'Q2') WHERE seq = 3")
    c.close()
    with pytest.raises(AuditError, match="event 3 of the log does not extend"):
        Auditor(tmp_path / "a.db", scorer=None, signing_key=keypair[0], adopt_unsigned=True)
