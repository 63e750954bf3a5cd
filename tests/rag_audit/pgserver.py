"""Start and stop a throw-away PostgreSQL 15 server (used by conftest.py and the benchmark).

initdb/postgres refuse to run as root, so as root the commands run via ``runuser -u postgres``.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile

BIN_DIRS = ["/usr/lib/postgresql/15/bin"] + sorted(
    glob.glob("/usr/lib/postgresql/*/bin"), reverse=True
)


def find_bin() -> str | None:
    """The directory holding initdb and pg_ctl, or None."""
    for d in BIN_DIRS:
        if os.path.exists(os.path.join(d, "initdb")) and os.path.exists(os.path.join(d, "pg_ctl")):
            return d
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    """A running temporary server: ``dsn``; ``stop()`` shuts it down and removes its files."""

    def __init__(self, bin_dir: str) -> None:
        self.bin_dir = bin_dir
        self.dir = tempfile.mkdtemp(prefix="rag_audit_pg_")
        self.data = os.path.join(self.dir, "data")
        self.port = _free_port()
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run("initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "--no-sync")
        self._run(
            "pg_ctl",
            "-D",
            self.data,
            "-l",
            os.path.join(self.dir, "log"),
            "-o",
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} -c fsync=off "
            "-c max_connections=50",
            "-w",
            "start",
        )
        self.dsn = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, tool: str, *args: str) -> None:
        cmd = [os.path.join(self.bin_dir, tool), *args]
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", self.data, "stop", "-m", "fast")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


def start() -> PgServer | None:
    """Start a server if the binaries exist, else None."""
    bin_dir = find_bin()
    return PgServer(bin_dir) if bin_dir else None
