"""Fixtures for the rag_audit tests: keys, a fast stand-in scorer, a real PostgreSQL server."""

from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
import pgserver  # noqa: E402
from audit_helpers import OverlapScorer  # noqa: E402

from rag_audit import generate_keypair  # noqa: E402


@pytest.fixture(scope="session")
def keypair():
    return generate_keypair()


@pytest.fixture
def scorer():
    return OverlapScorer()


@pytest.fixture(scope="session")
def pg_dsn():
    """A DSN for a fresh PostgreSQL server for this test session."""
    if pgserver.find_bin() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL binaries not found under /usr/lib/postgresql/*/bin (CI=true)")
        pytest.skip("PostgreSQL binaries not found under /usr/lib/postgresql/*/bin")
    server = pgserver.start()
    try:
        yield server.dsn
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_dsn):
    """A clean database per test: drops the audit tables first."""
    import psycopg

    with psycopg.connect(pg_dsn, autocommit=True) as c:
        c.execute("DROP TABLE IF EXISTS rag_audit_events, rag_audit_checkpoints CASCADE")
    return pg_dsn


@pytest.fixture
def pg_roles(pg_url):
    """`rag_audit.store.pg_setup.setup_roles` run on a clean database: the SetupResult, whose
    ``writer_url``/``reader_url`` log in (trust auth) as the writer and reader roles."""
    from rag_audit.store.pg_setup import setup_roles

    return setup_roles(pg_url)
