"""`rag_audit` end to end in a subprocess, on real SQLite logs written by the real Auditor."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys

import click
import duckdb
import pytest
from audit_helpers import OverlapScorer, make_chunks
from shop_passages import CONTRADICTED, NOT_FOUND, SHOP, SUPPORTED

from genai_provenance.offline import offline_env
from rag_audit import (
    Auditor,
    generate_keypair,
    key_id,
    load_public_key,
    save_private_key,
    save_public_key,
)
from rag_audit.cli import cli

N = 10
ENV = dict(offline_env(), PYTHONIOENCODING="utf-8")


def run(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "rag_audit.cli", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=ENV,
        timeout=120,
    )


@pytest.fixture(scope="module")
def master(tmp_path_factory):
    """A signed log of N records (odd ones supported, even ones not), keys on disk."""
    d = tmp_path_factory.mktemp("cli")
    priv, pub = generate_keypair()
    save_private_key(priv, d / "k.key")
    save_public_key(pub, d / "k.pub")
    ids = []
    with Auditor(
        d / "audit.db",
        signing_key=priv,
        app="bot",
        model="m",
        scorer=OverlapScorer(),
        checkpoint_every=10**6,
    ) as a:
        for i in range(N):
            q = "<script>alert(1)</script> evil" if i == 4 else f"question {i}"
            with a.trace(q, user_id=f"u{i % 3}") as t:
                t.add_chunks(make_chunks(2, 200, tag=str(i)))
                t.set_answer(
                    "the refund policy allows returns"
                    if i % 2
                    else "bananas are purple on tuesdays"
                )
                t.set_watermark(i < 6, "wm-key", 1e-6 if i < 6 else None)
            ids.append(t.record_id)
        a.flush()
    return d, ids


@pytest.fixture
def log(master, tmp_path):
    """A private copy of the master log and keys (tests may tamper with it)."""
    d, ids = master
    for name in ("audit.db", "k.key", "k.pub"):
        shutil.copy(d / name, tmp_path / name)
    return tmp_path, ids


def tamper(path, sql):
    c = sqlite3.connect(path, isolation_level=None)
    c.execute("DROP TRIGGER IF EXISTS rag_audit_events_no_update")
    c.execute("DROP TRIGGER IF EXISTS rag_audit_events_no_delete")
    c.execute(sql)
    c.close()


def assert_one_line_error(r):
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr and r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), r.stderr
    return lines[0]


# -- help ---------------------------------------------------------------------------------------
def test_every_command_and_option_has_help():
    assert cli.help
    for name, cmd in cli.commands.items():
        assert cmd.help, f"command {name} lacks help text"
        for p in cmd.params:
            if isinstance(p, click.Option):
                assert p.help, f"option {p.name} of {name} lacks help text"
    r = run("--help")
    assert r.returncode == 0
    for name in ("keygen", "verify", "show", "list", "export", "report", "override"):
        assert name in r.stdout


def test_short_help_flag_on_every_command():
    for name in ("verify", "show", "list", "export", "report", "override"):
        r = run(name, "-h")
        assert r.returncode == 0 and r.stdout.startswith("Usage: "), (name, r.stderr)
    assert "show [OPTIONS] LOG RECORD_ID" in run("show", "-h").stdout


def test_closed_pipe_ends_quietly(tmp_path):
    """`rag_audit list --json LOG | head -1`: no BrokenPipeError traceback when head exits."""
    path = tmp_path / "big.db"
    with Auditor(path, scorer=None) as a:
        for i in range(300):
            with a.trace(f"question {i}", user_id="u") as t:
                t.add_chunks(make_chunks(1, 1000, tag=str(i)))
                t.set_answer("the refund policy allows returns")
    cmd = f"{sys.executable} -m rag_audit.cli list --json {path} | head -c 100"
    r = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {cmd}"],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=120,
    )
    assert len(r.stdout) == 100
    assert "Traceback" not in r.stderr and "BrokenPipe" not in r.stderr, r.stderr
    assert r.returncode in (1, 2)  # click's own EPIPE exit, or genai_provenance.cli.run's


# -- keygen -------------------------------------------------------------------------------------
def test_keygen(tmp_path):
    r = run("keygen", "-o", tmp_path / "ci")
    assert r.returncode == 0, r.stderr
    priv, pub = tmp_path / "ci.key", tmp_path / "ci.pub"
    assert stat.S_IMODE(priv.stat().st_mode) == 0o600
    assert r.stdout.strip() == key_id(load_public_key(pub)) == key_id(load_public_key(priv))
    before = pub.read_bytes()
    line = assert_one_line_error(run("keygen", "-o", tmp_path / "ci"))
    assert "--force" in line and pub.read_bytes() == before
    r = run("keygen", "-o", tmp_path / "ci", "--force")
    assert r.returncode == 0 and pub.read_bytes() != before


# -- verify -------------------------------------------------------------------------------------
def test_verify_good_log(log):
    d, _ = log
    r = run("verify", d / "audit.db", "--public-key", d / "k.pub")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("OK:") and "signatures checked" in r.stdout
    r = run("verify", d / "audit.db", "--json")
    res = json.loads(r.stdout)
    assert r.returncode == 1 and res["ok"] and not res["signatures_checked"]  # chain only
    assert "no public key" in r.stderr  # the warning goes to stderr, never into the JSON
    r = run("verify", d / "audit.db")
    assert r.returncode == 1 and r.stdout.startswith("NOT VERIFIED:") and "chain only" in r.stdout
    r = run("verify", d / "audit.db", "--json", "--allow-unsigned")
    assert r.returncode == 0 and json.loads(r.stdout)["records"] == N


def test_verify_modified(log):
    d, ids = log
    tamper(
        d / "audit.db",
        "UPDATE rag_audit_events SET body = replace(body, 'question 2', "
        "'question Z') WHERE seq = (SELECT seq FROM rag_audit_events WHERE "
        f"record_id = '{ids[2]}' AND kind = 'request')",
    )
    r = run("verify", d / "audit.db", "--public-key", d / "k.pub")
    assert r.returncode == 1
    assert r.stdout.startswith("FAILED:") and "modified" in r.stdout and ids[2] in r.stdout
    r = run("verify", d / "audit.db", "--json")
    res = json.loads(r.stdout)
    assert r.returncode == 1 and res["reason"] == "modified" and res["record_id"] == ids[2]


def test_verify_deleted(log):
    d, ids = log
    tamper(
        d / "audit.db",
        f"DELETE FROM rag_audit_events WHERE record_id = '{ids[5]}' AND kind = 'request'",
    )
    r = run("verify", d / "audit.db", "--json")
    assert r.returncode == 1 and json.loads(r.stdout)["reason"] == "deleted"


def test_verify_truncated_against_kept_checkpoint(log):
    d, _ = log
    c = sqlite3.connect(d / "audit.db")
    cp = c.execute("SELECT body FROM rag_audit_checkpoints ORDER BY tree_size DESC").fetchone()[0]
    c.close()
    (d / "cp.json").write_text(cp)
    assert (
        run("verify", d / "audit.db", "--checkpoint", d / "cp.json", "--allow-unsigned").returncode
        == 0
    )
    tamper(d / "audit.db", "DELETE FROM rag_audit_events WHERE seq > 15")
    c = sqlite3.connect(d / "audit.db", isolation_level=None)
    c.execute("DROP TRIGGER rag_audit_checkpoints_no_delete")
    c.execute("DELETE FROM rag_audit_checkpoints")  # the attacker also drops the checkpoints...
    c.close()
    r = run("verify", d / "audit.db", "--checkpoint", d / "cp.json", "--public-key", d / "k.pub")
    assert r.returncode == 1 and "truncated" in r.stdout  # ...but the kept copy catches it


def test_verify_wrong_key_is_bad_signature(log, tmp_path):
    d, _ = log
    save_public_key(generate_keypair()[1], tmp_path / "other.pub")
    r = run("verify", d / "audit.db", "--public-key", tmp_path / "other.pub")
    assert r.returncode == 1 and "bad_signature" in r.stdout


def test_verify_progress_only_on_stderr(log):
    d, _ = log
    r = run("verify", d / "audit.db", "--progress", "--json", "--allow-unsigned")
    assert r.returncode == 0 and json.loads(r.stdout)["ok"]
    assert "verify" in r.stderr and "rec" in r.stderr  # the tqdm bar
    r = run("verify", d / "audit.db")  # not a TTY: no bar
    assert "rec/s" not in r.stderr and "verify:" not in r.stderr


# -- show / list --------------------------------------------------------------------------------
def test_show(log):
    d, ids = log
    r = run("show", d / "audit.db", ids[0])
    assert r.returncode == 0, r.stderr
    assert "deprecated" not in r.stderr
    # a two-way (legacy) evaluation: an unsupported sentence reads "not found", never ✓
    assert "bananas are purple on tuesdays" in r.stdout and "? not found" in r.stdout
    assert "doc0#0" in r.stdout and "wm-key" in r.stdout and "kb/doc1.md" in r.stdout
    assert "✓" in run("show", d / "audit.db", ids[1]).stdout
    rec = json.loads(run("show", d / "audit.db", ids[0], "--json").stdout)
    assert rec["record.id"] == ids[0] and rec["rag_audit.faithfulness"]["score"] == 0.0
    assert rec["rag_audit.faithfulness"]["sentences"][0]["chunk_id"] == "doc0#0"


def test_show_old_argument_order_works_with_a_deprecation_warning(log):
    d, ids = log
    new = run("show", d / "audit.db", ids[0], "--json")
    old = run("show", ids[0], d / "audit.db", "--json")
    assert new.returncode == old.returncode == 0, old.stderr
    assert json.loads(old.stdout) == json.loads(new.stdout)
    assert "deprecated" in old.stderr and "rag_audit show LOG RECORD_ID" in old.stderr
    assert "deprecated" not in new.stderr


ESCAPES = "\x1b]0;pwned\x07\x1b[31m"


@pytest.fixture
def evil_log(tmp_path):
    """A log whose stored strings hold an OSC title sequence, BEL and an ANSI colour."""
    path = tmp_path / "evil.db"
    with Auditor(path, scorer=OverlapScorer()) as a:
        with a.trace(f"question {ESCAPES} end", user_id=f"eve{ESCAPES}") as t:
            t.add_chunks(make_chunks(1, 100, tag="x"))
            t.set_answer(f"answer {ESCAPES} end")
    rid = json.loads(run("list", path, "--json").stdout)["record.id"]
    return path, rid


@pytest.mark.parametrize("command", ["show", "list"])
def test_escape_sequences_never_reach_the_terminal(evil_log, command):
    path, rid = evil_log
    r = run(*(("show", path, rid) if command == "show" else ("list", path)))
    assert r.returncode == 0, r.stderr
    for raw in ("\x1b", "\x07", "\x9b"):
        assert raw not in r.stdout and raw not in r.stderr
    assert "\\x1b]0;pwned\\x07\\x1b[31m" in r.stdout  # shown, made visible
    js = run(*(("show", path, rid, "--json") if command == "show" else ("list", path, "--json")))
    assert "\x1b" not in js.stdout and "\x07" not in js.stdout
    assert ESCAPES in json.loads(js.stdout.splitlines()[0])["input.value"]  # JSON keeps it exact


def test_list_filters(log):
    d, ids = log

    def listed(*args):
        r = run("list", d / "audit.db", "--json", *args)
        assert r.returncode == 0, r.stderr
        return [json.loads(line)["record.id"] for line in r.stdout.splitlines()]

    assert listed() == ids
    assert listed("--user", "u1") == [ids[1], ids[4], ids[7]]
    assert listed("--faithfulness-below", "0.5") == ids[0::2]
    assert listed("--watermark-missing") == ids[6:]
    assert listed("--limit", "3") == ids[:3]
    assert listed("--since", "2000-01-01", "--until", "2000-01-02") == []
    assert listed("--since", "2000-01-01T00:00:00+02:00") == ids
    r = run("list", d / "audit.db", "--user", "u2")
    assert r.returncode == 0 and ids[2] in r.stdout and ids[5] in r.stdout
    assert ids[0] not in r.stdout


# -- export / report / override -----------------------------------------------------------------
def test_export(log, tmp_path):
    d, ids = log
    out = tmp_path / "pq"
    r = run("export", d / "audit.db", "--parquet", out, "--public-key", d / "k.pub", "--progress")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(f"Exported {N} records") and "export" in r.stderr
    n, recs, low = (
        duckdb.connect()
        .execute(
            f"SELECT count(*), count(DISTINCT record_id), count(*) FILTER (faithfulness_score < 0.5) "
            f"FROM read_parquet('{out}/**/*.parquet', hive_partitioning=true) "
            "WHERE year IS NOT NULL AND month IS NOT NULL AND day IS NOT NULL"
        )
        .fetchone()
    )
    assert (n, recs, low) == (N, N, N // 2)
    assert json.loads((out / "_export.json").read_text())["verification"]["ok"] is True
    assert_one_line_error(run("export", d / "audit.db", "--parquet", out))  # not empty


def test_export_labelled_overrides(log, tmp_path):
    d, ids = log
    assert (
        run(
            "override",
            d / "audit.db",
            ids[3],
            "--reviewer",
            "ann",
            "--decision",
            "reject",
            "--reason",
            "wrong",
        ).returncode
        == 0
    )
    r = run("export-labelled-overrides", d / "audit.db", tmp_path / "labels.jsonl")
    assert r.returncode == 0 and "Wrote 1 " in r.stdout
    row = json.loads((tmp_path / "labels.jsonl").read_text())
    assert (row["record_id"], row["decision"], row["reviewer"]) == (ids[3], "reject", "ann")


def test_report_and_gate(log, tmp_path):
    d, _ = log
    html = tmp_path / "r.html"
    r = run("report", d / "audit.db", "--html", html, "--fail-under", "0.9")  # mean is 0.5
    assert r.returncode == 1 and "FAILED" in r.stdout and "0.500" in r.stdout
    text = html.read_text()
    assert 'id="n-records">10<' in text and "bananas are purple on tuesdays" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; evil" in text
    assert "<script>" not in text and "data:image/png;base64," in text
    assert "No public key was given" in text
    r = run(
        "report", d / "audit.db", "--html", html, "--fail-under", "0.4", "--public-key", d / "k.pub"
    )
    assert r.returncode == 0 and "OK:" in r.stdout
    assert "No public key was given" not in html.read_text()
    assert run("report", d / "audit.db", "--html", html).returncode == 0


def test_report_on_tampered_log_exits_1(log, tmp_path):
    d, ids = log
    tamper(d / "audit.db", f"DELETE FROM rag_audit_events WHERE record_id = '{ids[3]}'")
    r = run("report", d / "audit.db", "--html", tmp_path / "r.html")
    assert r.returncode == 1 and "failed verification (deleted" in r.stdout
    assert "Verification FAILED" in (tmp_path / "r.html").read_text()


@pytest.mark.postgres
def test_postgres_log(pg_url, tmp_path):
    with Auditor(pg_url, scorer=OverlapScorer()) as a:
        for i in range(3):
            with a.trace(f"q{i}", user_id=f"pg{i}") as t:
                t.add_chunks(make_chunks(1, 100, tag=str(i)))
                t.set_answer("the refund policy")
    r = run("verify", pg_url, "--allow-unsigned")
    assert r.returncode == 0 and r.stdout.startswith("OK: 6 events verified")
    r = run("list", pg_url, "--json", "--user", "pg1")
    assert r.returncode == 0
    assert [json.loads(x)["input.value"] for x in r.stdout.splitlines()] == ["q1"]
    r = run("export", pg_url, "--parquet", tmp_path / "pq")
    assert r.returncode == 0 and r.stdout.startswith("Exported 3 records")


SECRET = "pw-S3cret"


@pytest.mark.parametrize(
    "args",
    [
        ("show", "MISSING", "postgresql://app:pw@127.0.0.1:1/db"),  # the old order, as in issue 9
        ("show", "postgresql://app:pw@127.0.0.1:1/db", "MISSING"),
        ("show", f"postgresql://app:{SECRET}@127.0.0.1:1/db", "MISSING"),
        ("show", f"postgresql://app@127.0.0.1:1/db?password={SECRET}", "MISSING"),
        ("verify", f"postgresql://app:{SECRET}@127.0.0.1:1/db?sslpassword={SECRET}"),
        ("report", f"postgresql://app:{SECRET}@127.0.0.1:1/db", "--html", "r.html"),
        ("export", f"postgresql://app@127.0.0.1:1/db?password={SECRET}", "--parquet", "pq"),
    ],
)
def test_unreachable_url_errors_never_print_the_password(args, tmp_path):
    r = run(*args, cwd=tmp_path)
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert r.stderr.strip().splitlines()[-1].startswith("Error: ")
    out = r.stdout + r.stderr
    assert SECRET not in out and ":pw@" not in out


@pytest.fixture
def pg_password_url(pg_url):
    """A log on the real server with 2 records, and URLs for a role that has a password (both
    the user:password@ and the ?password= forms)."""
    import psycopg

    with Auditor(pg_url, scorer=OverlapScorer()) as a:
        for i in range(2):
            with a.trace(f"q{i}", user_id=f"pg{i}") as t:
                t.add_chunks(make_chunks(1, 100, tag=str(i)))
                t.set_answer("the refund policy")
    with psycopg.connect(pg_url, autocommit=True) as c:
        c.execute("DROP ROLE IF EXISTS repo_health_reader")
        c.execute(f"CREATE ROLE repo_health_reader LOGIN PASSWORD '{SECRET}'")
        c.execute("GRANT SELECT ON rag_audit_events, rag_audit_checkpoints TO repo_health_reader")
    host = pg_url.split("@", 1)[1]
    return [
        f"postgresql://repo_health_reader:{SECRET}@{host}",
        f"postgresql://repo_health_reader@{host}?password={SECRET}",
    ]


@pytest.mark.postgres
def test_password_never_printed_nor_written_for_a_real_postgres_log(pg_password_url, tmp_path):
    for i, url in enumerate(pg_password_url):
        listed = run("list", url, "--json")
        assert listed.returncode == 0, listed.stderr
        assert len(listed.stdout.splitlines()) == 2
        miss = run("show", url, "MISSING")
        assert miss.returncode == 2 and "no record with id 'MISSING'" in miss.stderr
        assert "repo_health_reader" in miss.stderr and "***" in miss.stderr
        html = tmp_path / f"r{i}.html"
        rep = run("report", url, "--html", html)
        assert rep.returncode == 0, rep.stderr
        exp = run("export", url, "--parquet", tmp_path / f"pq{i}")
        assert exp.returncode == 0, exp.stderr
        source = json.loads((tmp_path / f"pq{i}" / "_export.json").read_text())["source"]
        assert source.startswith("postgresql://repo_health_reader") and "***" in source
        assert "***" in html.read_text()
        for text in (
            miss.stdout,
            miss.stderr,
            rep.stdout,
            rep.stderr,
            exp.stdout,
            exp.stderr,
            html.read_text(),
            (tmp_path / f"pq{i}" / "_export.json").read_text(),
        ):
            assert SECRET not in text


def test_override(log):
    d, ids = log
    r = run(
        "override",
        d / "audit.db",
        ids[0],
        "--reviewer",
        "ann",
        "--decision",
        "correct",
        "--reason",
        "made up",
        "--correction",
        "Returns within 30 days.",
        "--signing-key",
        d / "k.key",
    )
    assert r.returncode == 0, r.stderr
    rec = json.loads(run("show", d / "audit.db", ids[0], "--json").stdout)
    assert [(o["reviewer"], o["decision"], o["correction"]) for o in rec["overrides"]] == [
        ("ann", "correct", "Returns within 30 days.")
    ]
    res = json.loads(run("verify", d / "audit.db", "--public-key", d / "k.pub", "--json").stdout)
    assert res["ok"] and res["signed_size"] == res["count"]  # a checkpoint covers the override
    r = run(
        "override",
        d / "audit.db",
        ids[0],
        "--reviewer",
        "ann",
        "--decision",
        "maybe",
        "--reason",
        "x",
    )
    assert r.returncode == 2 and "Traceback" not in r.stderr and "'maybe'" in r.stderr


# -- bad input ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "args, expect",
    [
        (("verify", "{tmp}/missing.db"), "does not exist"),
        (("list", "{tmp}/missing.db"), "does not exist"),
        (("show", "{tmp}/missing.db", "x"), "does not exist"),
        (("report", "{tmp}/missing.db", "--html", "{tmp}/r.html"), "does not exist"),
        (("export", "{tmp}/missing.db", "--parquet", "{tmp}/pq"), "does not exist"),
        (
            (
                "override",
                "{tmp}/missing.db",
                "x",
                "--reviewer",
                "a",
                "--decision",
                "accept",
                "--reason",
                "r",
            ),
            "does not exist",
        ),
        (("verify", "{tmp}/random.bin"), "not a database"),
        (("list", "{tmp}/k.pub"), "not a database"),
        (("verify", "{tmp}/other.sqlite"), "not a rag_audit log"),
        (
            (
                "override",
                "{tmp}/other.sqlite",
                "x",
                "--reviewer",
                "a",
                "--decision",
                "accept",
                "--reason",
                "r",
            ),
            "not a rag_audit log",
        ),
        (
            ("verify", "{tmp}/audit.db", "--public-key", "{tmp}/random.bin"),
            "cannot read the public key",
        ),
        (("verify", "{tmp}/audit.db", "--public-key", "{tmp}/nokey.pub"), "does not exist"),
        (("verify", "{tmp}/audit.db", "--checkpoint", "{tmp}/nocp.json"), "checkpoint file"),
        (("verify", "{tmp}/audit.db", "--checkpoint", "{tmp}/random.bin"), "is not text"),
        (("verify", "{tmp}/audit.db", "--checkpoint", "{tmp}/k.pub"), "not a rag_audit checkpoint"),
        (
            (
                "override",
                "{tmp}/audit.db",
                "{id}",
                "--reviewer",
                "a",
                "--decision",
                "accept",
                "--reason",
                "r",
                "--signing-key",
                "{tmp}/k.pub",
            ),
            "private key",
        ),
        (("show", "{tmp}/audit.db", "no-such-id"), "no record with id 'no-such-id'"),
        (
            (
                "override",
                "{tmp}/audit.db",
                "no-such-id",
                "--reviewer",
                "a",
                "--decision",
                "accept",
                "--reason",
                "r",
            ),
            "no record with id 'no-such-id'",
        ),
        (
            ("export-labelled-overrides", "{tmp}/audit.db", "{tmp}/labels.csv"),
            "*.jsonl or *.parquet",
        ),
        (("report", "{tmp}/audit.db", "--html", "{tmp}/nodir/r.html"), "does not exist"),
    ],
)
def test_bad_input_is_one_error_line(log, args, expect):
    d, ids = log
    (d / "random.bin").write_bytes(os.urandom(4096))
    c = sqlite3.connect(d / "other.sqlite")
    c.execute("CREATE TABLE t (x)")
    c.close()
    before = (d / "other.sqlite").read_bytes()
    line = assert_one_line_error(run(*(a.format(tmp=d, id=ids[0]) for a in args)))
    assert expect in line
    assert not (d / "missing.db").exists()  # reading never creates an empty log
    assert (d / "other.sqlite").read_bytes() == before  # nor adds tables to a foreign database


# -- show: three-way verdicts with evidence (real AlignedScorer, real MiniLM) ------------------
THREE_WAY = " ".join([SUPPORTED, CONTRADICTED, NOT_FOUND])
PAID = SUPPORTED


@pytest.fixture(scope="module")
def verdict_log(tmp_path_factory):
    """A log scored by the default AlignedScorer: a three-way answer and a supported one."""
    from rag_audit.faithfulness import get_default_scorer

    path = tmp_path_factory.mktemp("vv") / "audit.db"
    ids = []
    with Auditor(path, scorer=get_default_scorer()) as a:
        for answer in (THREE_WAY, PAID):
            with a.trace("refunds?", user_id="u1") as t:
                t.add_chunks(SHOP)
                t.set_answer(answer)
            ids.append(t.record_id)
        a.flush()
    return path, ids


def test_show_prints_three_way_verdicts_evidence_offsets_and_mismatch(verdict_log):
    from rag_audit.faithfulness import get_default_scorer

    path, ids = verdict_log
    r = run("show", path, ids[0])
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "✓ supported" in out and "✗ contradicted" in out and "? not found" in out
    assert "entity: Manchester vs Leeds" in out
    js = json.loads(run("show", path, ids[0], "--json").stdout)
    views = js["sentence_views"]
    assert [v["verdict"] for v in views] == ["supported", "contradicted", "not_found"]
    for v in views:  # each span's offsets and the start of its text are printed
        assert f"[{v['span'][0]}:{v['span'][1]}]" in out
        assert v["evidence"] == {c.id: c.text for c in SHOP}[v["chunk_id"]][slice(*v["span"])]
        assert v["evidence"].split()[1] in out
    assert "closest:" in out  # the not-found sentence's span is only the closest piece
    scorer = get_default_scorer()
    assert scorer.version in out and f"calibration {scorer.calibration_hash}" in out
    assert "calibrated P(every sentence supported)" in out
    assert "1 supported, 1 contradicted, 1 not found" in out
    ev = js["evaluation"]
    assert ev["evaluations"] == 1 and ev["calibration"] == scorer.calibration_hash
    assert not ev["legacy"] and "older two-way scorer" not in out


def test_show_colours_verdicts_on_a_colour_terminal(verdict_log):
    path, ids = verdict_log
    r = subprocess.run(
        [sys.executable, "-m", "rag_audit.cli", "show", str(path), ids[0]],
        capture_output=True,
        text=True,
        env=dict(ENV, FORCE_COLOR="1", TERM="xterm-256color"),
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    assert "\x1b[32m✓ supported" in r.stdout  # green
    assert "\x1b[31m✗ contradicted" in r.stdout  # red
    assert "\x1b[33m? not found" in r.stdout  # yellow


def test_show_older_two_way_evaluation_still_renders_as_legacy(log):
    d, ids = log  # scored by a two-way stand-in scorer: no verdict key, no evidence span
    r = run("show", d / "audit.db", ids[0])
    assert r.returncode == 0, r.stderr
    assert "older two-way scorer" in r.stdout and "(legacy)" in r.stdout
    assert "? not found" in r.stdout and "no evidence span recorded" in r.stdout
    assert "✓ supported" in run("show", d / "audit.db", ids[1]).stdout
    js = json.loads(run("show", d / "audit.db", ids[0], "--json").stdout)
    assert js["evaluation"]["legacy"] and js["sentence_views"][0]["legacy"]


def test_show_after_rescore_names_the_new_scorer_and_counts_evaluations(tmp_path):
    from rag_audit.faithfulness import EmbeddingScorer, get_default_scorer

    path = tmp_path / "old.db"
    with Auditor(path, scorer=EmbeddingScorer()) as a:
        with a.trace("refunds?") as t:
            t.add_chunks(SHOP)
            t.set_answer(PAID)
        a.flush()
    assert "evaluations   1" in run("show", path, t.record_id).stdout
    r = run("rescore", path)
    assert r.returncode == 0, r.stderr
    out = run("show", path, t.record_id).stdout
    assert "evaluations   2 (the newest, event 3, is shown" in out
    assert get_default_scorer().version in out and "older two-way scorer" not in out


def test_show_hostile_evaluation_fails_closed_without_escapes_or_traceback(verdict_log, tmp_path):
    from rag_audit import open_store
    from rag_audit.record import canonical_bytes, evaluation_body

    src, ids = verdict_log
    path = tmp_path / "hostile.db"
    shutil.copy(src, path)
    js = json.loads(run("show", path, ids[0], "--json").stdout)
    f = js["rag_audit.faithfulness"]
    f["sentences"][0]["evidence"]["end"] = 10**6  # out of range
    f["sentences"][1]["evidence"]["chunk_id"] = "nowhere"
    f["sentences"][1]["chunk_id"] = "nowhere"
    f["sentences"][1]["mismatches"][0]["sentence"] = f"Manchester{ESCAPES}"
    f["sentences"][2]["verdict"] = "approved[/red][bold]"
    f["sentences"][2]["text"] = f"text {ESCAPES} [red]markup[/red]"
    with open_store(path) as s:
        s.append([canonical_bytes(evaluation_body(ids[0], f))])
    r = run("show", path, ids[0])
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    for raw in ("\x1b", "\x07"):
        assert raw not in r.stdout
    assert r.stdout.count("evidence unavailable") == 3
    assert "outside the chunk" in r.stdout and "not among the record's chunks" in r.stdout
    assert "unknown verdict" in r.stdout
    assert "\\x1b]0;pwned" in r.stdout and "[red]markup[/red]" in r.stdout
    assert "evaluations   2" in r.stdout
    js = json.loads(run("show", path, ids[0], "--json").stdout)
    assert [v["span"] for v in js["sentence_views"]] == [None, None, None]
    assert [v["verdict"] for v in js["sentence_views"]] == [
        "supported",
        "contradicted",
        "not_found",
    ]


def test_list_faithfulness_below_uses_the_calibrated_answer_score(verdict_log):
    path, ids = verdict_log
    f = json.loads(run("show", path, ids[0], "--json").stdout)["rag_audit.faithfulness"]
    # one of three sentences supported: the share is 1/3, the calibrated P(all supported) lower
    assert f["calibration"] and f["supported_share"] == pytest.approx(1 / 3)
    assert f["score"] < 0.2 < f["supported_share"]
    good = json.loads(run("show", path, ids[1], "--json").stdout)["rag_audit.faithfulness"]
    assert good["score"] >= good["threshold"]

    def listed(below):
        r = run("list", path, "--json", "--faithfulness-below", str(below))
        assert r.returncode == 0, r.stderr
        return [json.loads(line)["record.id"] for line in r.stdout.splitlines()]

    assert listed(0.2) == [ids[0]]  # by its share (0.33) it would not be listed
    assert listed(f["score"]) == []  # strictly below
    assert listed(1.0) == (ids if good["score"] < 1.0 else [ids[0]])


def test_show_failed_scoring_says_so(verdict_log, tmp_path):
    from rag_audit import open_store
    from rag_audit.record import canonical_bytes, evaluation_body

    src, ids = verdict_log
    path = tmp_path / "failed.db"
    shutil.copy(src, path)
    failed = {"score": None, "error": "RuntimeError: boom", "scorer": "minilm-aligned"}
    with open_store(path) as s:
        s.append([canonical_bytes(evaluation_body(ids[1], failed))])
    r = run("show", path, ids[1])
    assert r.returncode == 0, r.stderr
    assert "not scored (RuntimeError: boom)" in r.stdout and "older two-way" not in r.stdout
    assert "evaluations   2" in r.stdout and "✓ supported" not in r.stdout
