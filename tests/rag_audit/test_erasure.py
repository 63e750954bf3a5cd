"""Erasure by crypto-shredding: erase one subject, prune whole months, the chain still verifies."""

from __future__ import annotations

import json
import os
import stat
from datetime import datetime, timezone

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from rag_audit import AuditError, Auditor, Chunk, open_store, save_public_key, verify_log
from rag_audit.cli import cli
from rag_audit.erasure import (
    ENCRYPTED,
    ERASED,
    SqliteKeyStore,
    erase_user,
    prune_keys,
    set_reader_keystore,
)
from rag_audit.export import export_parquet
from rag_audit.signing import generate_keypair, save_private_key

ALICE, BOB = "alice@example.com", "bob-7731"
SECRET = {ALICE: "alice-secret-4155552671", BOB: "bob-secret-9876"}


@pytest.fixture(autouse=True)
def _no_reader_keystore():
    """The CLI's --keystore sets a process-wide reader key store; never leak it between tests."""
    yield
    set_reader_keystore(None)


def _raw(*paths) -> bytes:
    out = b""
    for p in paths:
        for f in p.parent.iterdir():
            if f.name.startswith(p.name):
                out += f.read_bytes()
    return out


def _write_two_users(tmp_path, scorer, keypair):
    log, ks = tmp_path / "log.db", tmp_path / "vault" / "keys.db"
    ks.parent.mkdir()
    ids = {}
    with Auditor(log, scorer=scorer, keystore=ks, signing_key=keypair[0]) as a:
        for user in (ALICE, BOB):
            s = SECRET[user]
            with a.trace(
                f"q {s}", user_id=user, metadata={"note": s, s: 1, "when": datetime(2025, 1, 2)}
            ) as t:
                t.add_chunks(
                    [
                        Chunk(
                            id=f"c-{s}", text=f"chunk {s}", source=f"src-{s}", metadata={"owner": s}
                        )
                    ]
                )
                t.set_answer(f"answer {s}")
            ids[user] = t.record_id
        a.flush()
        for user in (ALICE, BOB):
            a.record_override(
                ids[user],
                reviewer=f"rev-{user}",
                decision="correct",
                reason=f"why {SECRET[user]}",
                correction=f"fix {SECRET[user]}",
            )
    return log, ks, ids


def _personal_values(rec) -> list:
    f = rec.faithfulness["sentences"][0]
    o = rec.overrides[0]
    return [
        rec.query,
        rec.answer,
        rec.chunks[0].id,
        rec.chunks[0].text,
        rec.chunks[0].source,
        rec.chunks[0].sha256,
        *rec.chunks[0].metadata.values(),
        *rec.metadata.values(),
        f["text"],
        f["chunk_id"],
        o["reviewer"],
        o["reason"],
        o["correction"],
    ]


def test_erase_one_of_two_users(tmp_path, scorer, keypair):
    log, ks, ids = _write_two_users(tmp_path, scorer, keypair)
    pub = tmp_path / "k.pub"
    save_public_key(keypair[1], pub)
    raw = _raw(log)
    for user in (ALICE, BOB):  # neither the user ids nor any personal text is in the log
        assert user.encode() not in raw and SECRET[user].encode() not in raw
    before = verify_log(log, pub)
    assert before.ok and before.signatures_checked

    r = CliRunner().invoke(cli, ["erase", str(log), "--user", ALICE, "--keystore", str(ks)])
    assert r.exit_code == 0, r.output
    assert "1 records now read [erased]" in r.output

    after = verify_log(log, pub)
    assert after.ok and after.signatures_checked
    store = open_store(log, readonly=True)
    store.keystore = SqliteKeyStore(ks, create=False)
    alice, bob = store.get(ids[ALICE]), store.get(ids[BOB])
    assert set(_personal_values(alice)) == {ERASED}
    assert alice.metadata == {ERASED: ERASED}
    assert bob.query == f"q {SECRET[BOB]}"
    assert bob.metadata == {"note": SECRET[BOB], SECRET[BOB]: 1, "when": "2025-01-02 00:00:00"}
    assert bob.faithfulness["sentences"][0]["chunk_id"] == bob.chunks[0].id == f"c-{SECRET[BOB]}"
    assert bob.overrides[0]["reason"] == f"why {SECRET[BOB]}"
    assert bob.chunks[0].metadata == {"owner": SECRET[BOB]}
    assert [x.record_id for x in store.records(user_id=BOB)] == [ids[BOB]]
    assert list(store.records(user_id=ALICE)) == []  # the link to the pseudonym is gone too
    store.keystore.close()
    store.keystore = None  # without the key store: everything reads [encrypted]
    assert set(_personal_values(store.get(ids[BOB]))) == {ENCRYPTED}
    store.close()
    with pytest.raises(AuditError, match="knows no user"):
        erase_user(ks, ALICE)  # a second erase says so instead of pretending


def test_key_store_file_is_0600_and_refused_when_readable(tmp_path):
    path = tmp_path / "keys.db"
    SqliteKeyStore(path).close()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    os.chmod(path, 0o644)
    with pytest.raises(AuditError, match="chmod 600"):
        SqliteKeyStore(path)


def test_destroyed_key_bytes_leave_the_key_store_file(tmp_path, scorer, keypair):
    log, ks, _ = _write_two_users(tmp_path, scorer, keypair)
    store = SqliteKeyStore(ks)
    subject = store.subject(ALICE)
    key = store.key(subject, datetime.now(timezone.utc).strftime("%Y-%m"), create=False)[1]
    store.close()
    assert key is not None and key in _raw(ks)
    erase_user(ks, ALICE)
    assert key not in _raw(ks) and subject.encode() in _raw(ks)  # tombstone, no key bytes


def test_prune_refused_inside_retention_and_works_outside(tmp_path):
    path = tmp_path / "keys.db"
    with SqliteKeyStore(path) as ks:
        for month in ("2025-01", "2025-02", "2025-03"):
            ks.key("subj-x", month, create=True)
        with pytest.raises(AuditError, match="retention period"):
            prune_keys(ks, "2025-03-01", now=datetime(2025, 8, 31, tzinfo=timezone.utc))
        assert ks.key("subj-x", "2025-01", create=False)[0] == "present"
        r = prune_keys(ks, "2025-03-01", now=datetime(2025, 9, 1, tzinfo=timezone.utc))
        assert r.months == ("2025-01", "2025-02") and r.earliest_allowed == "2025-03-01"
        assert [
            ks.key("subj-x", m, create=False)[0] for m in ("2025-01", "2025-02", "2025-03")
        ] == ["destroyed", "destroyed", "present"]
        assert ks.key("subj-x", "2025-01", create=True)[0] == "destroyed"  # never comes back
        r = prune_keys(
            ks, "2025-04-01", retention_months=0, now=datetime(2025, 4, 1, tzinfo=timezone.utc)
        )
        assert r.months == ("2025-03",)


def test_prune_cli_refuses_recent_dates_and_shreds_old_months(tmp_path, scorer, keypair):
    log, ks, ids = _write_two_users(tmp_path, scorer, keypair)
    today = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    r = CliRunner().invoke(cli, ["prune", str(log), "--before", today, "--keystore", str(ks)])
    assert r.exit_code == 2 and "retention period" in r.output and "Traceback" not in r.output
    r = CliRunner().invoke(
        cli, ["prune", str(log), "--before", "2000-01-01", "--keystore", str(ks)]
    )
    assert r.exit_code == 0 and "0 months" in r.output
    # all of this month's keys, with time injected: past the retention period
    now = datetime.now(timezone.utc)
    nxt = f"{now.year + (now.month == 12):04d}-{now.month % 12 + 1:02d}-01"
    later = now.replace(year=now.year + 1, day=1)
    assert len(prune_keys(ks, nxt, now=later).months) == 1
    assert verify_log(log).ok
    r = CliRunner().invoke(cli, ["--keystore", str(ks), "show", str(log), ids[BOB], "--json"])
    assert r.exit_code == 0, r.output
    shown = json.loads(r.output)
    assert shown["input.value"] == ERASED and shown["overrides"][0]["reason"] == ERASED


def test_show_export_and_list_through_the_key_store(tmp_path, scorer, keypair):
    log, ks, ids = _write_two_users(tmp_path, scorer, keypair)
    runner = CliRunner()
    r = runner.invoke(cli, ["erase", str(log), "--user", ALICE, "--keystore", str(ks)])
    assert r.exit_code == 0
    r = runner.invoke(cli, ["--keystore", str(ks), "list", str(log), "--user", BOB, "--json"])
    assert [json.loads(line)["record.id"] for line in r.output.splitlines()] == [ids[BOB]]
    r = runner.invoke(cli, ["--keystore", str(ks), "show", str(log), ids[ALICE]])
    assert r.exit_code == 0 and ERASED in r.output and SECRET[ALICE] not in r.output
    r = runner.invoke(cli, ["show", str(log), ids[BOB]])  # no key store given
    assert r.exit_code == 0 and ENCRYPTED in r.output and SECRET[BOB] not in r.output
    set_reader_keystore(ks)
    export_parquet(log, tmp_path / "out")
    rows = pq.read_table(tmp_path / "out").to_pylist()
    queries = {row["record_id"]: row["query"] for row in rows}
    assert queries == {ids[ALICE]: ERASED, ids[BOB]: f"q {SECRET[BOB]}"}
    r = runner.invoke(
        cli, ["--keystore", str(ks), "report", str(log), "--html", str(tmp_path / "r.html")]
    )
    html = (tmp_path / "r.html").read_text()
    assert ERASED in html and f"q {SECRET[BOB]}" in html and SECRET[ALICE] not in html


def test_override_without_the_key_store_on_an_encrypted_record_is_refused(
    tmp_path, scorer, keypair
):
    log, ks, ids = _write_two_users(tmp_path, scorer, keypair)
    with Auditor(log, scorer=None) as a, pytest.raises(AuditError, match="keystore"):
        a.record_override(ids[BOB], reviewer="r", decision="reject", reason="in clear")
    r = CliRunner().invoke(
        cli,
        [
            "--keystore",
            str(ks),
            "override",
            str(log),
            ids[BOB],
            "--reviewer",
            "r",
            "--decision",
            "reject",
            "--reason",
            "sealed",
        ],
    )
    assert r.exit_code == 0, r.output
    assert b"sealed" not in _raw(log).replace(b"rag_audit.sealed", b"")


def test_erasure_on_postgresql(pg_url, tmp_path, scorer):
    ks = tmp_path / "keys.db"
    with Auditor(pg_url, scorer=scorer, keystore=ks) as a:
        for user in (ALICE, BOB):
            with a.trace(f"q {SECRET[user]}", user_id=user) as t:
                t.add_chunks([Chunk(id="c", text=f"chunk {SECRET[user]}")])
                t.set_answer("a")
    erase_user(ks, ALICE)
    assert verify_log(pg_url).ok
    with open_store(pg_url, readonly=True) as store:
        store.keystore = SqliteKeyStore(ks, create=False)
        queries = sorted(r.query for r in store.records())
        store.keystore.close()
    assert queries == [ERASED, f"q {SECRET[BOB]}"]


# ---- erasure events: erase / prune leave a signed trace in the log -----------------------------
def _subject_of(log, ks, record_id) -> str:
    """The pseudonym a record's user id was written as (what the erasure event must name)."""
    with open_store(log, readonly=True) as store:
        return store.get(record_id).user_id


def test_erase_appends_a_signed_erasure_event_naming_the_pseudonym_not_the_user(
    tmp_path, scorer, keypair
):
    log, ks, ids = _write_two_users(tmp_path, scorer, keypair)
    save_private_key(keypair[0], tmp_path / "k.pem")
    save_public_key(keypair[1], tmp_path / "k.pub")
    alice_subject = _subject_of(log, ks, ids[ALICE])
    assert alice_subject.startswith("subj-")
    events_before = verify_log(log, tmp_path / "k.pub").count
    r = CliRunner().invoke(
        cli,
        ["erase", str(log), "--user", ALICE, "--keystore", str(ks)]
        + ["--operator", "dpo-office", "--reason", "request DSR-<b>42</b>"]
        + ["--signing-key", str(tmp_path / "k.pem")],
    )
    assert r.exit_code == 0, r.output
    after = verify_log(log, tmp_path / "k.pub")
    # one more event, and a signed checkpoint covers it (the erasure cannot be dropped silently)
    assert after.ok and after.count == events_before + 1 == after.signed_size
    with open_store(log, readonly=True) as store:
        [e] = store.erasures()
    assert e["action"] == "erase_user" and e["subject"] == alice_subject
    assert e["operator"] == "dpo-office" and e["reason"] == "request DSR-<b>42</b>"
    assert e["keys_destroyed"] == 1 and e["seq"] == after.count and e["event_id"] in r.output
    assert ALICE.encode() not in _raw(log)  # the user id itself is never logged
    out = tmp_path / "r.html"
    r = CliRunner().invoke(cli, ["report", str(log), "--html", str(out)])
    html = out.read_text()
    assert alice_subject in html and "dpo-office" in html
    assert "DSR-&lt;b&gt;42&lt;/b&gt;" in html and "<b>42</b>" not in html


def test_erase_with_a_key_that_cannot_sign_the_log_destroys_nothing(tmp_path, scorer, keypair):
    log, ks, ids = _write_two_users(tmp_path, scorer, keypair)
    save_private_key(generate_keypair()[0], tmp_path / "other.pem")
    r = CliRunner().invoke(
        cli,
        ["erase", str(log), "--user", ALICE, "--keystore", str(ks)]
        + ["--signing-key", str(tmp_path / "other.pem")],
    )
    assert r.exit_code == 2 and "Traceback" not in r.output
    # refused before any key was destroyed: Alice's records still open, nothing was logged
    with open_store(log, readonly=True) as store:
        store.keystore = SqliteKeyStore(ks, create=False)
        assert store.get(ids[ALICE]).query == f"q {SECRET[ALICE]}"
        assert store.erasures() == []
        store.keystore.close()


def test_prune_logs_the_months_it_shredded_and_nothing_when_none(tmp_path, scorer, keypair):
    log, ks, _ = _write_two_users(tmp_path, scorer, keypair)
    r = CliRunner().invoke(
        cli, ["prune", str(log), "--before", "2000-01-01", "--keystore", str(ks)]
    )
    assert r.exit_code == 0 and "0 months" in r.output
    with open_store(log, readonly=True) as store:
        assert store.erasures() == []
    with SqliteKeyStore(ks) as store:  # keys of an old month (this month's cannot be shredded)
        store.key("subj-old", "2025-01", create=True)
    r = CliRunner().invoke(
        cli,
        ["prune", str(log), "--before", "2025-03-01", "--keystore", str(ks)]
        + ["--operator", "records-mgr", "--reason", "retention"],
    )
    assert r.exit_code == 0, r.output
    with open_store(log, readonly=True) as store:
        [e] = store.erasures()
    assert e["action"] == "prune" and e["months"] == ["2025-01"] and e["before"] == "2025-03"
    assert e["retention_months"] == 6 and e["operator"] == "records-mgr"
    assert e["subject"] is None and verify_log(log).ok
