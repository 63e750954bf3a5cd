"""Reviewers of the console: a users file of scrypt password hashes, signed session cookies,
CSRF tokens and a login rate limit.

The users file is JSON, mode 0600 (refused when group or others may read it)::

    {"rag_audit.console.users": 1, "users": {"alice": "scrypt$16384$8$1$<salt hex>$<hash hex>"}}

Passwords are hashed with ``hashlib.scrypt`` (standard library, memory-hard). A session is a
cookie signed with a key made at server start (``itsdangerous``; a restart signs everyone out)
that holds the user name and the CSRF token every form carries back.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import stat
import threading
import time
from collections import defaultdict, deque
from pathlib import Path

from genai_provenance.secret_files import write_secret

from ..errors import AuditError

FORMAT_KEY = "rag_audit.console.users"
_N, _R, _P = 2**14, 8, 1
USER_NAME = re.compile(r"^[A-Za-z0-9._@-]{1,64}$")
MIN_PASSWORD = 8


def hash_password(password: str) -> str:
    """A salted scrypt hash of ``password`` as ``scrypt$N$r$p$salt$hash`` (hex)."""
    salt = os.urandom(16)
    h = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${h.hex()}"


def check_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches a hash from ``hash_password`` (constant-time compare)."""
    try:
        alg, n, r, p, salt, want = stored.split("$")
        if alg != "scrypt":
            return False
        got = hashlib.scrypt(
            password.encode("utf-8"),
            salt=bytes.fromhex(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(want) // 2,
            maxmem=2**27,
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got.hex(), want)


_DUMMY = hash_password(secrets.token_hex(16))


def check_user(users: dict[str, str], name: str, password: str) -> bool:
    """Whether ``name`` is a user with this password; an unknown name costs the same scrypt
    work as a known one (no user enumeration by timing)."""
    stored = users.get(name)
    ok = check_password(password, stored if stored is not None else _DUMMY)
    return ok and stored is not None


def load_users(path: str | os.PathLike) -> dict[str, str]:
    """User name -> password hash from a users file; AuditError when it is missing, readable
    by others (mode must be 0600 or stricter) or malformed."""
    p = Path(path)
    try:
        mode = p.stat().st_mode
    except OSError as e:
        raise AuditError(
            f"cannot read the users file {str(p)!r}: {e.strerror}; create it with "
            "`rag_audit console-user add FILE NAME`"
        ) from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise AuditError(
            f"the users file {str(p)!r} is readable by others (mode {stat.S_IMODE(mode):o}); "
            f"run `chmod 600 {p}`"
        )
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
        users = data["users"]
        if data.get(FORMAT_KEY) != 1 or not isinstance(users, dict):
            raise ValueError
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in users.items()):
            raise ValueError
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        raise AuditError(
            f"{str(p)!r} is not a console users file; create one with "
            "`rag_audit console-user add FILE NAME`"
        ) from None
    return dict(users)


def add_user(path: str | os.PathLike, name: str, password: str) -> bool:
    """Add (or replace the password of) ``name`` in the users file, created with mode 0600.
    Returns True when the user is new."""
    if not USER_NAME.match(name):
        raise AuditError(f"user name {name!r} is not allowed; use 1-64 letters, digits or . _ @ -")
    if len(password) < MIN_PASSWORD:
        raise AuditError(f"the password is too short; use at least {MIN_PASSWORD} characters")
    p = Path(path)
    users = load_users(p) if p.exists() else {}
    new = name not in users
    users[name] = hash_password(password)
    body = json.dumps({FORMAT_KEY: 1, "users": users}, indent=2, sort_keys=True) + "\n"
    try:
        write_secret(p, body.encode("utf-8"), overwrite=True)
    except OSError as e:
        raise AuditError(f"cannot write the users file {str(p)!r}: {e.strerror or e}") from None
    return new


def new_csrf_token() -> str:
    """A fresh random CSRF token (kept in the signed session, echoed by every form)."""
    return secrets.token_urlsafe(24)


def same_token(a: str | None, b: str | None) -> bool:
    """Constant-time equality of two tokens; False when either is missing."""
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


class LoginLimiter:
    """At most ``attempts`` failed sign-ins per client address and per user name within
    ``window_s`` seconds; further attempts are refused until the window has passed."""

    def __init__(self, attempts: int = 5, window_s: float = 300.0) -> None:
        self.attempts, self.window_s = attempts, window_s
        self._failures: dict[str, deque] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque:
        q = self._failures[key]
        while q and now - q[0] > self.window_s:
            q.popleft()
        return q

    def blocked(self, *keys: str) -> bool:
        now = time.monotonic()
        with self._lock:
            return any(len(self._recent(k, now)) >= self.attempts for k in keys)

    def failed(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            for k in keys:
                self._recent(k, now).append(now)
