"""rescore: new evaluations are appended (never edited) for records scored by an older scorer
version; readers use the newest evaluation; the log keeps verifying. Real SQLite, real MiniLM."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from rag_audit import AuditError, Auditor, Chunk, open_store, verify_log  # noqa: E402
from rag_audit.cli import cli  # noqa: E402
from rag_audit.faithfulness import EmbeddingScorer, get_default_scorer  # noqa: E402
from rag_audit.record import canonical_bytes, evaluation_body  # noqa: E402
from rag_audit.rescore import rescore  # noqa: E402
from rag_audit.signing import generate_keypair, save_public_key  # noqa: E402

CHUNKS = [
    Chunk(
        id="leave#0",
        text="Employees may carry up to 5 unused holiday days into the next year. "
        "Unused days that are not taken by 31 March are lost.",
    ),
    Chunk(
        id="leave#1",
        text="Parental leave is paid for the first 14 weeks. It has to begin "
        "within 12 months of the birth or adoption.",
    ),
]


@pytest.fixture(scope="module")
def legacy() -> EmbeddingScorer:
    return EmbeddingScorer()


def make_log(path, scorer, key=None):
    a = Auditor(path, scorer=scorer, signing_key=key)
    ids = []
    for answer in (
        "Parental leave is paid for the first 14 weeks.",
        "Up to 9 unused holiday days can be carried into the next year.",
    ):
        with a.trace("leave?", user_id="u-1") as t:
            t.add_chunks(CHUNKS)
            t.set_answer(answer)
        ids.append(t.record_id)
    with a.trace("no retrieval") as t:  # nothing to score: no chunks
        t.set_answer("Hello.")
    ids.append(t.record_id)
    a.flush()
    a.close()
    return ids


def events(path):
    with open_store(path) as s:
        return [(e.seq, bytes(e.hash)) for e in s.iter_events()]


def test_rescore_appends_newest_wins_and_log_verifies(tmp_path, legacy):
    priv, _ = generate_keypair()
    pub = save_public_key(priv, tmp_path / "k.pub")
    log = tmp_path / "a.db"
    ids = make_log(log, legacy, priv)
    before = events(log)
    with open_store(log) as s:
        old = s.get(ids[1]).faithfulness
    assert old["scorer_version"] == legacy.version and "verdict" not in old["sentences"][0]

    seen = []
    r = rescore(log, progress=lambda done, total: seen.append((done, total)), signing_key=priv)
    new = get_default_scorer()
    assert (r.scanned, r.rescored, r.unscorable, r.current) == (3, 2, 1, 0)
    assert seen[-1] == (3, 3)
    after = events(log)
    assert after[: len(before)] == before and len(after) == len(before) + 2  # appended only
    assert verify_log(log, pub).ok
    with open_store(log) as s:
        rec = s.get(ids[1])
    f = rec.faithfulness
    assert f["scorer"] == new.name and f["scorer_version"] == new.version
    assert f["calibration"] == new.calibration_hash
    assert f["sentences"][0]["verdict"] == "contradicted"  # 9 days where the chunk says 5
    assert rec.evaluation_seq > max(seq for seq, _ in before)

    again = rescore(log)  # nothing older left: nothing appended
    assert (again.rescored, again.current) == (0, 2) and events(log) == after


def test_newest_evaluation_wins_when_reading(tmp_path):
    log = tmp_path / "b.db"
    a = Auditor(log, scorer=None)
    with a.trace("q") as t:
        t.add_chunks(CHUNKS)
        t.set_answer("a")
    a.close()
    with open_store(log) as s:
        for score, version in ((0.2, "old"), (0.9, "new")):
            s.append(
                [
                    canonical_bytes(
                        evaluation_body(t.record_id, {"score": score, "scorer_version": version})
                    )
                ]
            )
        rec = s.get(t.record_id)
        listed = next(iter(s.records()))
    assert rec.faithfulness == {"score": 0.9, "scorer_version": "new"}
    assert listed.faithfulness["scorer_version"] == "new"


def test_rescore_cli_prints_one_line_and_refuses_a_missing_log(tmp_path, legacy):
    log = tmp_path / "c.db"
    make_log(log, legacy)
    res = CliRunner().invoke(cli, ["rescore", str(log)])
    assert res.exit_code == 0, res.output
    assert "Rescored 2 of 3 records with minilm-aligned" in res.output
    assert verify_log(log).ok
    res = CliRunner().invoke(cli, ["rescore", str(tmp_path / "missing.db")])
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert len(res.output.strip().splitlines()) == 1


def test_rescore_rejects_a_scorer_without_version(tmp_path, legacy):
    log = tmp_path / "d.db"
    make_log(log, legacy)
    with pytest.raises(AuditError, match="version"):
        rescore(log, scorer=object())


def test_faithfulness_below_filters_on_the_newest_evaluation(tmp_path):
    log = tmp_path / "e.db"
    a = Auditor(log, scorer=None)
    with a.trace("q") as t:
        t.add_chunks(CHUNKS)
        t.set_answer("a")
    a.close()
    with open_store(log) as s:
        s.append([canonical_bytes(evaluation_body(t.record_id, {"score": 0.1}))])
        assert [r.record_id for r in s.records(faithfulness_below=0.5)] == [t.record_id]
        s.append([canonical_bytes(evaluation_body(t.record_id, {"score": 0.9}))])  # rescored
        assert list(s.records(faithfulness_below=0.5)) == []
        assert s.count(faithfulness_below=0.95) == 1


def test_rescore_of_an_encrypted_log_seals_the_new_evaluation_and_skips_erased(tmp_path, legacy):
    from rag_audit.erasure import erase_user, open_keystore

    log, ks = tmp_path / "s.db", tmp_path / "keys.db"
    secret = "Parental leave is paid for the first 14 weeks."
    ids = {}
    with Auditor(log, scorer=legacy, keystore=ks) as a:
        for user in ("alice", "bob"):
            with a.trace("leave?", user_id=user) as t:
                t.add_chunks(CHUNKS)
                t.set_answer(secret)
            ids[user] = t.record_id
        a.flush()
    erase_user(ks, "bob")
    without_key = rescore(log)  # no key store: the records read [encrypted]
    assert (without_key.rescored, without_key.hidden) == (0, 2)
    r = rescore(log, keystore=ks)
    assert (r.rescored, r.hidden) == (1, 1)  # bob's fields read [erased]: never rescored
    with open_store(log) as s:
        raw = [e.body for e in s.iter_events()]
        s.keystore = open_keystore(ks)
        rec = s.get(ids["alice"])
    assert rec.faithfulness["scorer_version"] == get_default_scorer().version
    assert rec.faithfulness["sentences"][0]["text"] == secret
    assert not any(secret.encode() in b for b in raw)  # the new evaluation is sealed too
    assert verify_log(log).ok
