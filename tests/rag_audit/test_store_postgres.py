"""The PostgreSQL store against a real server: same chain, triggers, concurrency, tampering."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from audit_helpers import OverlapScorer, make_chunks
from click.testing import CliRunner

from rag_audit import AuditError, Auditor, open_store, verify_log
from rag_audit.cli import cli
from rag_audit.store import postgres
from rag_audit.store.postgres import PostgresStore

pytestmark = pytest.mark.postgres
HERE = Path(__file__).parent


def test_round_trip_filters_and_verify(pg_url, keypair):
    a = Auditor(pg_url, scorer=OverlapScorer(), signing_key=keypair[0], model="m")
    for i in range(6):
        with a.trace(f"q{i}", user_id=f"u{i % 2}") as t:
            t.add_chunks(make_chunks(2, 100))
            t.set_answer("refund policy" if i % 2 == 0 else "bananas")
    a.flush()
    a.record_override(t.record_id, reviewer="ana", decision="reject", reason="wrong")
    a.close()
    s = open_store(pg_url)
    assert s.count() == 6 and s.count(user_id="u1") == 3
    assert [r.query for r in s.records(faithfulness_below=0.5)] == ["q1", "q3", "q5"]
    assert s.count(watermark_missing=True) == 6
    assert s.get(t.record_id).overrides[0]["decision"] == "reject"
    assert s.labelled_overrides()[0]["query"] == "q5"
    s.close()
    r = verify_log(pg_url, public_key=keypair[1])
    assert r.ok and r.count == 13 and r.checkpoints == 1 and r.signed_size == 13


def test_triggers_refuse_and_tampering_is_found(pg_url, keypair):
    import psycopg

    a = Auditor(pg_url, scorer=None, signing_key=keypair[0])
    for i in range(10):
        with a.trace(f"q{i}") as t:
            t.set_answer(f"a{i}")
    a.close()
    with psycopg.connect(pg_url, autocommit=True) as c:
        for sql in (
            "UPDATE rag_audit_events SET body = body",
            "DELETE FROM rag_audit_events",
            "TRUNCATE rag_audit_events",
            "UPDATE rag_audit_checkpoints SET body = body",
            "DELETE FROM rag_audit_checkpoints",
            "TRUNCATE rag_audit_checkpoints",
        ):
            with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
                c.execute(sql)
        with pytest.raises(psycopg.Error):
            c.execute("UPDATE rag_audit_events SET user_id = 'x'")  # generated column
        # an attacker with owner rights disables the triggers and edits a body
        c.execute("ALTER TABLE rag_audit_events DISABLE TRIGGER USER")
        c.execute(
            "UPDATE rag_audit_events SET body = replace(body, '\"a3\"', '\"a!\"') WHERE seq = 4"
        )
    r = verify_log(pg_url, public_key=keypair[1])
    assert (r.ok, r.first_bad, r.reason) == (False, 4, "modified")


@pytest.mark.slow
def test_four_processes_append_without_loss(pg_url):
    Auditor(pg_url, scorer=None).close()
    env = {**os.environ, "PYTHONPATH": str(HERE.parent.parent)}
    procs = [
        subprocess.Popen(
            [sys.executable, str(HERE / "writer_proc.py"), pg_url, "500", f"p{k}"], env=env
        )
        for k in range(4)
    ]
    assert [p.wait(timeout=300) for p in procs] == [0, 0, 0, 0]
    r = verify_log(pg_url)
    assert r.ok and r.count == 2000 and r.records == 2000
    s = open_store(pg_url)
    seqs = [row[0] for row in s._query("SELECT seq FROM rag_audit_events ORDER BY seq")]
    assert seqs == list(range(1, 2001))
    assert all(s.count(user_id=f"p{k}") == 500 for k in range(4))
    s.close()


# -- least privilege: rag_audit pg-setup ------------------------------------------------------
TABLES = ("rag_audit_events", "rag_audit_checkpoints")
TAMPERING = [
    "UPDATE {t} SET body = body",
    "DELETE FROM {t}",
    "TRUNCATE {t}",
    "ALTER TABLE {t} ADD COLUMN x int",
    "ALTER TABLE {t} DISABLE TRIGGER USER",
    "ALTER TABLE {t} DISABLE TRIGGER {t}_append_only",
    "DROP TRIGGER {t}_append_only ON {t}",
    "DROP TRIGGER {t}_no_truncate ON {t}",
    "DROP TABLE {t}",
    "ALTER TABLE {t} RENAME TO gone",
    "ALTER TABLE {t} OWNER TO CURRENT_USER",
]


def _signed_log(url, keypair, scorer, n=4):
    a = Auditor(url, scorer=scorer, signing_key=keypair[0], model="m")
    ids = []
    for i in range(n):
        with a.trace(f"q{i}", user_id="u") as t:
            t.add_chunks(make_chunks(2, 100))
            t.set_answer("refund policy")
        ids.append(t.record_id)
    a.close()
    return ids


def _refuses(url, statement):
    """The psycopg error the statement raises for the role in url (None if it succeeded)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as c:
        try:
            c.execute(statement)
        except psycopg.Error as e:
            return e
    return None


@pytest.fixture
def no_ddl_by_others(pg_url):
    """An event trigger that refuses any DDL run by a non-superuser, to prove that opening a
    log as the writer or reader runs none."""
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as c:
        c.execute("""CREATE OR REPLACE FUNCTION test_no_ddl() RETURNS event_trigger
            LANGUAGE plpgsql AS $$ BEGIN
            IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
            RAISE EXCEPTION 'DDL % by %', tg_tag, current_user; END IF; END $$""")
        c.execute(
            "CREATE EVENT TRIGGER test_no_ddl ON ddl_command_start EXECUTE FUNCTION test_no_ddl()"
        )
    yield
    with psycopg.connect(pg_url, autocommit=True) as c:
        c.execute("DROP EVENT TRIGGER test_no_ddl")


@pytest.mark.parametrize("table", TABLES)
def test_writer_cannot_rewrite_truncate_alter_or_drop(pg_roles, keypair, scorer, table):
    import psycopg

    _signed_log(pg_roles.writer_url, keypair, scorer)
    for template in TAMPERING:
        e = _refuses(pg_roles.writer_url, template.format(t=table))
        assert isinstance(e, psycopg.errors.InsufficientPrivilege), (template, e)
    r = verify_log(pg_roles.reader_url, public_key=keypair[1])
    assert r.ok and r.count == 8 and r.signed_size == 8


@pytest.mark.parametrize("table", TABLES)
def test_reader_cannot_insert(pg_roles, table):
    import psycopg

    columns = "seq, prev_hash, hash, body" if table == TABLES[0] else "tree_size, body, frontier"
    values = "99, '\\x00', '\\x00', '{}'" if table == TABLES[0] else "99, '{}', '{}'"
    e = _refuses(pg_roles.reader_url, f"INSERT INTO {table} ({columns}) VALUES ({values})")
    assert isinstance(e, psycopg.errors.InsufficientPrivilege)
    for template in TAMPERING[:3]:
        assert isinstance(
            _refuses(pg_roles.reader_url, template.format(t=table)),
            psycopg.errors.InsufficientPrivilege,
        )
    assert _refuses(pg_roles.reader_url, f"SELECT count(*) FROM {table}") is None


@pytest.mark.parametrize("table", TABLES)
def test_truncate_trigger_stops_the_owner(pg_roles, pg_url, keypair, scorer, table):
    import psycopg

    _signed_log(pg_roles.writer_url, keypair, scorer)
    with psycopg.connect(pg_url, autocommit=True) as c:
        c.execute("SET ROLE rag_audit_owner")
        assert c.execute("SELECT current_user").fetchone()[0] == "rag_audit_owner"
        with pytest.raises(psycopg.errors.RaiseException, match="append-only: TRUNCATE"):
            c.execute(f"TRUNCATE {table}")
        with pytest.raises(psycopg.errors.RaiseException, match="append-only: DELETE"):
            c.execute(f"DELETE FROM {table}")
    assert verify_log(pg_url, public_key=keypair[1]).count == 8


def test_auditor_override_and_cli_as_writer_and_reader(
    pg_roles, keypair, scorer, tmp_path, no_ddl_by_others, caplog
):
    caplog.set_level("WARNING")
    ids = _signed_log(pg_roles.writer_url, keypair, scorer)
    a = Auditor(pg_roles.writer_url, scorer=None, signing_key=keypair[0])
    a.record_override(ids[0], reviewer="ana", decision="reject", reason="wrong")
    a.close()
    assert not [r for r in caplog.records if "pg-setup" in r.getMessage()]  # no warning
    from rag_audit import save_private_key, save_public_key

    save_private_key(keypair[0], tmp_path / "k.key")
    save_public_key(keypair[1], tmp_path / "k.pub")
    run = CliRunner().invoke
    out = run(
        cli,
        [
            "override",
            pg_roles.writer_url,
            ids[1],
            "--reviewer",
            "bo",
            "--decision",
            "accept",
            "--reason",
            "fine",
            "--signing-key",
            str(tmp_path / "k.key"),
        ],
    )
    assert out.exit_code == 0, out.output
    out = run(cli, ["list", pg_roles.reader_url, "--json"])
    assert out.exit_code == 0, out.output
    assert [json.loads(line)["record.id"] for line in out.output.splitlines()] == ids
    out = run(cli, ["show", ids[0], pg_roles.reader_url, "--json"])
    assert out.exit_code == 0 and '"reject"' in out.output, out.output
    out = run(cli, ["verify", pg_roles.reader_url, "--public-key", str(tmp_path / "k.pub")])
    assert out.exit_code == 0 and "OK" in out.output, out.output
    r = verify_log(pg_roles.reader_url, public_key=keypair[1])
    assert r.ok and r.count == 10 and r.signed_size == 10
    # the reader may read but not write: one line, exit 2, says which role to use
    out = run(
        cli,
        [
            "override",
            pg_roles.reader_url,
            ids[2],
            "--reviewer",
            "x",
            "--decision",
            "accept",
            "--reason",
            "r",
        ],
    )
    assert out.exit_code == 2 and "permission denied" in out.output and "writer role" in out.output
    assert len(out.output.strip().splitlines()) == 1 and "Traceback" not in out.output


def test_appends_as_reader_are_one_line_audit_errors(pg_roles, keypair, scorer):
    _signed_log(pg_roles.writer_url, keypair, scorer)
    with PostgresStore(pg_roles.writer_url) as w:
        w.append([b'{"event.kind":"note"}'])  # one event no checkpoint covers yet
    with PostgresStore(pg_roles.reader_url) as s:  # the tables exist: opening runs no DDL
        for action, append in (
            ("append to", lambda: s.append([b"{}"])),
            ("append a checkpoint to", lambda: s.make_checkpoint(keypair[0])),
        ):
            with pytest.raises(
                AuditError,
                match=rf"cannot {action} .*permission denied .*"
                "writer role",
            ) as e:
                append()
            assert "\n" not in str(e.value)
    assert verify_log(pg_roles.reader_url).count == 9


def test_pg_setup_cli_sets_passwords_without_printing_them(pg_url, monkeypatch):
    import psycopg

    monkeypatch.setenv("W_PW", "writer-Secret-1")
    monkeypatch.setenv("R_PW", "reader-Secret-2")
    out = CliRunner().invoke(
        cli,
        [
            "pg-setup",
            pg_url,
            "--writer",
            "app_w",
            "--reader",
            "app_r",
            "--owner",
            "app_o",
            "--writer-password-env",
            "W_PW",
            "--reader-password-env",
            "R_PW",
        ],
    )
    assert out.exit_code == 0, out.output
    assert "Secret" not in out.output
    assert "postgresql://app_w@127.0.0.1" in out.output and "postgresql://app_r@" in out.output
    with psycopg.connect(pg_url) as c:
        rows = dict(
            c.execute(
                "SELECT rolname, rolpassword FROM pg_authid "
                "WHERE rolname IN ('app_w', 'app_r', 'app_o')"
            ).fetchall()
        )
        login = dict(
            c.execute(
                "SELECT rolname, rolcanlogin FROM pg_roles "
                "WHERE rolname IN ('app_w', 'app_r', 'app_o')"
            ).fetchall()
        )
        owner = c.execute(
            "SELECT tableowner FROM pg_tables WHERE tablename = %s", (TABLES[1],)
        ).fetchone()[0]
    assert rows["app_w"].startswith("SCRAM-SHA-256$") and rows["app_r"].startswith("SCRAM-SHA-256$")
    assert login == {"app_w": True, "app_r": True, "app_o": False} and owner == "app_o"
    monkeypatch.delenv("R_PW")
    out = CliRunner().invoke(cli, ["pg-setup", pg_url, "--reader-password-env", "R_PW"])
    assert out.exit_code == 2 and "R_PW" in out.output and "Traceback" not in out.output


def test_pg_setup_adopts_a_single_role_log_and_refuses_bad_roles(pg_url, keypair, scorer):
    import psycopg

    from rag_audit.store.pg_setup import setup_roles

    _signed_log(pg_url, keypair, scorer)  # made by the superuser, the simple case
    with psycopg.connect(pg_url, autocommit=True) as c:
        c.execute(
            "DROP OWNED BY legacy_app"
            if c.execute("SELECT 1 FROM pg_roles WHERE rolname = 'legacy_app'").fetchone()
            else "SELECT 1"
        )
        c.execute("DROP ROLE IF EXISTS legacy_app")
        c.execute("CREATE ROLE legacy_app LOGIN")
        c.execute("GRANT ALL ON rag_audit_events TO legacy_app")
    r = setup_roles(pg_url)
    assert not r.created_tables and r.other_grantees == ["legacy_app"]
    e = _refuses(r.writer_url, "TRUNCATE rag_audit_checkpoints")
    assert isinstance(e, psycopg.errors.InsufficientPrivilege)
    assert verify_log(r.reader_url, public_key=keypair[1]).ok
    with pytest.raises(AuditError, match="superuser"):
        setup_roles(pg_url, owner="postgres")
    with pytest.raises(AuditError, match="superuser"):
        setup_roles(pg_url, writer="postgres")
    with pytest.raises(AuditError, match="different"):
        setup_roles(pg_url, writer="rag_audit_reader")
    with pytest.raises(AuditError, match="identifier"):
        setup_roles(pg_url, reader='x"; DROP TABLE y; --')
    with pytest.raises(AuditError, match="must connect .* as a superuser"):
        setup_roles(r.writer_url)


def test_writer_without_tables_is_told_to_run_pg_setup(pg_roles, pg_url):
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as c:
        c.execute("DROP TABLE rag_audit_events, rag_audit_checkpoints")
    with pytest.raises(AuditError, match="may not create one .*pg-setup"):
        Auditor(pg_roles.writer_url, scorer=None)


def test_powerful_role_is_warned_once(pg_url, pg_roles, monkeypatch, caplog):
    monkeypatch.setattr(postgres, "_warned", set())
    caplog.set_level("WARNING")
    for _ in range(2):
        PostgresStore(pg_url).close()
    warnings = [r.getMessage() for r in caplog.records if "pg-setup" in r.getMessage()]
    assert len(warnings) == 1 and "superuser" in warnings[0]
    PostgresStore(pg_roles.writer_url).close()
    PostgresStore(pg_url, readonly=True).close()  # readers are not warned
    assert len([r for r in caplog.records if "pg-setup" in r.getMessage()]) == 1
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as c:
        for role in ("app_member", "app_truncate"):
            c.execute(f"DROP ROLE IF EXISTS {role}")
            c.execute(f"CREATE ROLE {role} LOGIN")
        c.execute("GRANT rag_audit_owner TO app_member")
        c.execute("GRANT SELECT, INSERT, TRUNCATE ON rag_audit_checkpoints TO app_truncate")
        c.execute("GRANT SELECT, INSERT ON rag_audit_events TO app_truncate")
    for role, what in (("app_member", "the tables' owner"), ("app_truncate", "TRUNCATE")):
        PostgresStore(pg_roles.writer_url.replace("rag_audit_writer", role)).close()
        assert what in caplog.records[-1].getMessage() and role in caplog.records[-1].getMessage()
    with psycopg.connect(pg_url, autocommit=True) as c:
        c.execute("DROP OWNED BY app_member, app_truncate")
        c.execute("DROP ROLE app_member, app_truncate")


# -- hygiene ----------------------------------------------------------------------------------
def test_unknown_option_is_named(pg_url):
    with pytest.raises(AuditError, match="unknown PostgreSQL store option 'readonyl'"):
        PostgresStore(pg_url, readonyl=True)
    with pytest.raises(AuditError, match="'durability'"):
        Auditor(pg_url, scorer=None, durability="full")


def _readers(store):
    return {
        "checkpoints": store.checkpoints,
        "iter_events": lambda: list(store.iter_events()),
        "records": lambda: list(store.records()),
        "get": lambda: store.get("x"),
        "count": store.count,
    }


@pytest.mark.parametrize(
    "damage, broken",
    [
        ("DROP TABLE rag_audit_checkpoints", ["checkpoints"]),
        (
            "ALTER TABLE rag_audit_events RENAME TO old_events",
            ["iter_events", "records", "get", "count"],
        ),
    ],
)
def test_missing_table_is_a_one_line_audit_error(pg_url, keypair, scorer, damage, broken):
    import psycopg

    _signed_log(pg_url, keypair, scorer)
    store = open_store(pg_url, readonly=True)
    with psycopg.connect(pg_url, autocommit=True) as c:
        c.execute(damage)
    for name, read in _readers(store).items():
        if name in broken:
            with pytest.raises(AuditError, match="does not exist.*restore it") as e:
                read()
            assert "\n" not in str(e.value) and "127.0.0.1" in str(e.value), name
        else:
            read()
    store.close()
    with pytest.raises(AuditError, match="rag_audit_"):
        verify_log(pg_url, public_key=keypair[1])
    with pytest.raises(AuditError, match="does not exist"):  # a writer does not recreate it
        Auditor(pg_url, scorer=None)
    out = CliRunner().invoke(cli, ["verify", pg_url])
    assert out.exit_code == 2 and len(out.output.strip().splitlines()) == 1


def _closed_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_password_never_in_error_text(pg_url):
    import psycopg

    port = pg_url.split(":")[-1].split("/")[0]
    with psycopg.connect(pg_url, autocommit=True) as c:
        if c.execute("SELECT 1 FROM pg_roles WHERE rolname = 'app'").fetchone() is None:
            c.execute("CREATE ROLE app LOGIN")
    gone = _closed_port()
    urls = [
        f"postgresql://app:pw-S3cret@127.0.0.1:{gone}/db",
        f"postgresql://app@127.0.0.1:{gone}/db?password=pw-S3cret",
        f"postgresql://app:pw-S3cret@127.0.0.1:{port}/postgres",  # no log there
        f"postgresql://app@127.0.0.1:{port}/postgres?sslmode=disable&password=pw-S3cret",
    ]
    for url in urls:
        for open_log in (
            lambda url=url: open_store(url, readonly=True),
            lambda url=url: verify_log(url),
            lambda url=url: Auditor(url, scorer=None),
        ):
            with pytest.raises(AuditError) as e:
                open_log()
            assert "S3cret" not in str(e.value) and "***" in str(e.value), str(e.value)
        for args in (
            ["show", "x", url],
            ["list", url],
            ["verify", url],
            ["override", url, "x", "--reviewer", "r", "--decision", "accept", "--reason", "r"],
        ):
            out = CliRunner().invoke(cli, args)
            assert out.exit_code == 2 and "S3cret" not in out.output, out.output
    # a log that lost its table, read through a URL with a password
    Auditor(pg_url, scorer=None).close()
    url = f"postgresql://postgres:pw-S3cret@127.0.0.1:{port}/postgres"
    store = open_store(url, readonly=True)
    with psycopg.connect(pg_url, autocommit=True) as c:
        c.execute("DROP TABLE rag_audit_checkpoints")
    with pytest.raises(AuditError) as e:
        store.checkpoints()
    assert "S3cret" not in str(e.value) and "postgres:***@" in str(e.value)
    store.close()


def test_scrub_masks_a_password_a_driver_echoes_back():
    from rag_audit.store.url import scrub

    url = "postgresql://app:pa%2Fss@h/db?sslmode=require&password=tok%40en"
    text = scrub(Exception("bad password 'pa/ss'\n or pa%2Fss or tok@en"), url)
    assert "pa/ss" not in text and "pa%2Fss" not in text and "tok@en" not in text
    assert text == "bad password '***' or *** or ***"


def test_append_database_errors_are_one_line_audit_errors(pg_url):
    import psycopg

    with PostgresStore(pg_url) as s:
        s.append([b'{"event.kind":"note"}'] * 2)
        with pytest.raises(AuditError, match="cannot append to .*json.*rag_audit verify") as e:
            s.append([b"not json"])  # the generated columns cannot parse it: DataError
        assert "\n" not in str(e.value)
        with psycopg.connect(pg_url, autocommit=True) as c:
            c.execute("ALTER TABLE rag_audit_events ADD CONSTRAINT small CHECK (seq < 3)")
        with pytest.raises(AuditError, match="cannot append to .*small.*behind the store's back"):
            s.append([b"{}"])  # IntegrityError (check violation)
        assert s.head()[0] == 2  # nothing was written


def test_erase_as_the_reader_role_destroys_nothing_and_the_writer_logs_it(
    pg_roles, keypair, scorer, tmp_path
):
    from rag_audit.erasure import SqliteKeyStore

    ks = tmp_path / "vault" / "keys.db"
    ks.parent.mkdir()
    with Auditor(pg_roles.writer_url, scorer=scorer, keystore=ks, signing_key=keypair[0]) as a:
        with a.trace("q about the secret 4155552671", user_id="alice") as t:
            t.set_answer("an answer")
    run = CliRunner().invoke
    out = run(cli, ["erase", pg_roles.reader_url, "--user", "alice", "--keystore", str(ks)])
    # refused before any key was destroyed: the reader role cannot log the erasure
    assert out.exit_code == 2 and "permission denied" in out.output, out.output
    with PostgresStore(pg_roles.reader_url) as s:
        s.keystore = SqliteKeyStore(ks, create=False)
        assert s.get(t.record_id).query == "q about the secret 4155552671"
        assert s.erasures() == []
        s.keystore.close()
    out = run(
        cli,
        ["erase", pg_roles.writer_url, "--user", "alice", "--keystore", str(ks)]
        + ["--operator", "dpo"],
    )
    assert out.exit_code == 0, out.output
    with PostgresStore(pg_roles.reader_url) as s:
        [e] = s.erasures()
        s.keystore = SqliteKeyStore(ks, create=False)
        assert s.get(t.record_id).query == "[erased]"
        s.keystore.close()
    assert (
        e["action"] == "erase_user" and e["operator"] == "dpo" and e["subject"].startswith("subj-")
    )
    assert verify_log(pg_roles.reader_url).ok
