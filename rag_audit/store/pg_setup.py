"""Least-privilege PostgreSQL roles for an audit log: an owner, a writer and a reader.

``setup_roles(url, ...)`` runs once, as a superuser, in one transaction:

* the **owner** role (``NOLOGIN``) owns both tables, their indexes and the trigger function; no
  one logs in as it, so nobody connecting can ALTER, DISABLE TRIGGER, DROP or TRUNCATE;
* the **writer** role (``LOGIN``), for the app: SELECT and INSERT on both tables, nothing else
  (appends need no sequence; the advisory lock functions are open to every role);
* the **reader** role (``LOGIN``), for auditors and consoles: SELECT only.

It creates the tables when missing (an existing log is adopted: ownership moves to the owner),
(re)installs the append-only triggers on both tables (row triggers refuse UPDATE/DELETE,
statement triggers refuse TRUNCATE) and revokes everything else from PUBLIC, writer and reader.
Passwords, when given, are hashed on the client (SCRAM-SHA-256, via libpq) so the plain text
never reaches the server or its logs; this module never prints them. Running it again is safe.

A superuser can still do anything; that is what signed checkpoints and witnesses are for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from ..errors import AuditError
from .base import CHECKPOINTS, EVENTS
from .url import mask_url, scrub

DEFAULT_OWNER = "rag_audit_owner"
DEFAULT_WRITER = "rag_audit_writer"
DEFAULT_READER = "rag_audit_reader"
_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_TABLES = (EVENTS, CHECKPOINTS)


@dataclass
class SetupResult:
    """What ``setup_roles`` did: role names, which roles it created, whose password it set,
    whether it created the tables, and the URL each role should use (no password in it)."""

    owner: str
    writer: str
    reader: str
    created_roles: list = field(default_factory=list)
    passwords_set: list = field(default_factory=list)
    created_tables: bool = False
    writer_url: str = ""
    reader_url: str = ""
    other_grantees: list = field(default_factory=list)


def role_url(url: str, role: str) -> str:
    """The same server and database as ``url``, as ``role`` and without any password (libpq
    then reads it from ``PGPASSWORD`` or ``~/.pgpass``)."""
    scheme, _, rest = url.partition("://")
    head, qmark, query = rest.partition("?")
    host = head.rsplit("@", 1)[-1]
    keep = [
        (k, v)
        for k, v in parse_qsl(query, keep_blank_values=True)
        if k.lower() not in {"user", "password", "passfile", "sslpassword"}
    ]
    return f"{scheme}://{role}@{host}" + (f"?{urlencode(keep)}" if keep else "")


def setup_roles(
    url: str,
    *,
    owner: str = DEFAULT_OWNER,
    writer: str = DEFAULT_WRITER,
    reader: str = DEFAULT_READER,
    writer_password: str | None = None,
    reader_password: str | None = None,
) -> SetupResult:
    """Create (or bring up to date) the owner, writer and reader roles of the log at ``url``,
    connecting as a superuser. Roles that exist are kept (their passwords are changed only
    when one is given); the owner is made NOLOGIN, writer and reader LOGIN. Raises AuditError on a bad role name, a
    role that is a superuser or a member of the owner, or a database error."""
    import psycopg
    from psycopg import sql

    from .postgres import _LOCK_KEY, SCHEMA, TRIGGERS

    names = {"owner": owner, "writer": writer, "reader": reader}
    for what, name in names.items():
        if not isinstance(name, str) or not _ROLE_NAME.match(name):
            raise AuditError(
                f"{what} role name {name!r} is not a plain lower-case identifier "
                "(letters, digits, _; at most 63); choose another"
            )
    if len(set(names.values())) != 3:
        raise AuditError("the owner, writer and reader roles must be three different roles")
    for what, pw in (("writer", writer_password), ("reader", reader_password)):
        if pw is not None and not pw:
            raise AuditError(f"the {what} password is empty; give a non-empty one")
    where = repr(mask_url(url))
    result = SetupResult(
        owner, writer, reader, writer_url=role_url(url, writer), reader_url=role_url(url, reader)
    )
    try:
        conn = psycopg.connect(url, autocommit=True)
    except psycopg.Error as e:
        raise AuditError(
            f"cannot connect to PostgreSQL at {where} ({scrub(e, url)}); check "
            "the URL and that the server runs"
        ) from None
    try:
        with conn.transaction():
            _check_superuser(conn, owner, where)
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
            for what, name in names.items():
                if _role(conn, name) is None:
                    login = sql.SQL("NOLOGIN" if what == "owner" else "LOGIN")
                    conn.execute(sql.SQL("CREATE ROLE {} {}").format(sql.Identifier(name), login))
                    result.created_roles.append(name)
            conn.execute(sql.SQL("ALTER ROLE {} NOLOGIN").format(sql.Identifier(owner)))
            for name in (writer, reader):
                conn.execute(sql.SQL("ALTER ROLE {} LOGIN").format(sql.Identifier(name)))
            for name in (writer, reader):
                _check_not_powerful(conn, name, owner)
            for name, pw in ((writer, writer_password), (reader, reader_password)):
                if pw is not None:
                    verifier = conn.pgconn.encrypt_password(
                        pw.encode(), name.encode(), b"scram-sha-256"
                    ).decode()
                    conn.execute(
                        sql.SQL("ALTER ROLE {} LOGIN PASSWORD {}").format(
                            sql.Identifier(name), sql.Literal(verifier)
                        )
                    )
                    result.passwords_set.append(name)
            have = conn.execute("SELECT to_regclass(%s), to_regclass(%s)", _TABLES).fetchone()
            if None in have and have != (None, None):
                missing = EVENTS if have[0] is None else CHECKPOINTS
                raise AuditError(
                    f"the log at {where} has lost table {missing} (the other table "
                    "exists); restore it from a backup before running pg-setup"
                )
            if have == (None, None):
                conn.execute(SCHEMA)
                result.created_tables = True
            conn.execute(TRIGGERS)
            _grant(conn, sql, owner, writer, reader)
            result.other_grantees = _other_grantees(conn, (owner, writer, reader))
    except psycopg.Error as e:
        raise AuditError(
            f"pg-setup on {where} failed ({scrub(e, url)}); connect as a "
            "superuser (e.g. postgres) and run it again - nothing was changed"
        ) from None
    finally:
        conn.close()
    return result


def _role(conn, name: str) -> tuple | None:
    """(rolsuper, rolcanlogin) of a role, or None when it does not exist."""
    return conn.execute(
        "SELECT rolsuper, rolcanlogin FROM pg_roles WHERE rolname = %s", (name,)
    ).fetchone()


def _check_superuser(conn, owner: str, where: str) -> None:
    me, superuser = conn.execute(
        "SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user"
    ).fetchone()
    if not superuser:
        raise AuditError(
            f"pg-setup must connect to {where} as a superuser (it creates roles "
            f"and hands the tables to the owner role); {me!r} is not one"
        )
    if owner == me or (_role(conn, owner) or (False,))[0]:
        raise AuditError(
            f"the owner role {owner!r} is a superuser; name a dedicated role "
            "(default rag_audit_owner) that nobody logs in as"
        )


def _check_not_powerful(conn, name: str, owner: str) -> None:
    row = conn.execute(
        "SELECT rolsuper, pg_has_role(%s, %s, 'MEMBER') FROM pg_roles WHERE rolname = %s",
        (name, owner, name),
    ).fetchone()
    if row[0] or row[1]:
        raise AuditError(
            f"role {name!r} is {'a superuser' if row[0] else 'a member of ' + owner}"
            " and could alter or drop the log; name a role without those rights"
        )


def _grant(conn, sql, owner: str, writer: str, reader: str) -> None:
    """Ownership to the owner; SELECT, INSERT to the writer; SELECT to the reader; no more."""
    o, w, r = (sql.Identifier(n) for n in (owner, writer, reader))
    schema = sql.Identifier(conn.execute("SELECT current_schema()").fetchone()[0])
    database = sql.Identifier(conn.execute("SELECT current_database()").fetchone()[0])
    for t in map(sql.Identifier, _TABLES):
        conn.execute(sql.SQL("ALTER TABLE {} OWNER TO {}").format(t, o))
        conn.execute(sql.SQL("REVOKE ALL ON {} FROM PUBLIC, {}, {}").format(t, w, r))
        conn.execute(sql.SQL("GRANT SELECT, INSERT ON {} TO {}").format(t, w))
        conn.execute(sql.SQL("GRANT SELECT ON {} TO {}").format(t, r))
    conn.execute(sql.SQL("ALTER FUNCTION rag_audit_refuse() OWNER TO {}").format(o))
    conn.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}, {}").format(schema, w, r))
    conn.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}, {}").format(database, w, r))


def _other_grantees(conn, ours: tuple) -> list:
    """Roles other than ours (and superusers) that still hold privileges on the tables, e.g.
    the app role used before pg-setup: revoke those by hand once the app uses the writer."""
    rows = conn.execute(
        "SELECT DISTINCT a.grantee::regrole::text FROM pg_class c, aclexplode(c.relacl) a "
        "JOIN pg_roles r ON r.oid = a.grantee "
        "WHERE c.oid IN (to_regclass(%s), to_regclass(%s)) AND NOT r.rolsuper",
        _TABLES,
    ).fetchall()
    return sorted(r[0] for r in rows if r[0] not in ours)
