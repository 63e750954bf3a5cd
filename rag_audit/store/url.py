"""Database URLs in messages: the one place that hides their passwords.

``mask_url`` replaces the password of ``scheme://user:password@host/db`` and the value of any
``password=`` query or keyword parameter with ``***``. It parses with ``urllib.parse`` rather than
a regular expression, so a password holding ``/``, ``@`` or ``:`` is masked whole. Every error
message, report header and export manifest that names a log goes through ``display_target``.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote, urlencode

MASK = "***"
_SECRET_PARAMS = {"password", "pass", "passwd", "pwd", "sslpassword", "secret", "token"}
_KEYWORD_PASSWORD = re.compile(
    r"(\b(?:password|passwd|pwd|sslpassword)\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", re.IGNORECASE
)


def is_url(target: object) -> bool:
    """True for a ``postgresql://`` (or ``postgres://``) URL."""
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def mask_url(url: str) -> str:
    """The URL with its password (``user:pw@`` and ``?password=``) replaced by ``***``.

    Fails closed: the user-info part runs from ``://`` to the *last* ``@`` before any ``?``, so
    an unencoded ``/``, ``:`` or ``@`` inside a password cannot leave part of it visible."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return _KEYWORD_PASSWORD.sub(lambda m: m.group(1) + MASK, url)
    head, qmark, query = rest.partition("?")
    if "@" in head:
        userinfo, host = head.rsplit("@", 1)
        if ":" in userinfo:
            userinfo = userinfo.split(":", 1)[0] + ":" + MASK
        head = f"{userinfo}@{host}"
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode(
            [(k, MASK if k.lower() in _SECRET_PARAMS else v) for k, v in pairs], safe="*/"
        )
    masked = f"{scheme}://{head}" + (f"?{query}" if qmark else "")
    return _KEYWORD_PASSWORD.sub(lambda m: m.group(1) + MASK, masked)


def secrets_in(url: str) -> list[str]:
    """The passwords a URL carries (as written and percent-decoded), longest first: for
    scrubbing a driver's message that might echo one back."""
    scheme, sep, rest = url.partition("://")
    head, _, query = rest.partition("?")
    found = []
    if sep and "@" in head:
        userinfo = head.rsplit("@", 1)[0]
        if ":" in userinfo:
            found.append(userinfo.split(":", 1)[1])
    for key, value in parse_qsl(query, keep_blank_values=True):
        if key.lower() in _SECRET_PARAMS:
            found += [value, query.split(f"{key}=", 1)[-1].split("&", 1)[0]]
    found += [m.group(2).strip("'") for m in _KEYWORD_PASSWORD.finditer(url)]
    found += [unquote(f) for f in found]
    return sorted({f for f in found if f}, key=len, reverse=True)


def scrub(error: object, url: str) -> str:
    """A database driver's error message on one line, with any password of ``url`` masked
    (the primary message only, for psycopg errors: no SQL context lines)."""
    diag = getattr(error, "diag", None)
    text = " ".join(str((diag and diag.message_primary) or error).split())
    for secret in secrets_in(url):
        text = text.replace(secret, MASK)
    return text


def display_target(target: object) -> str:
    """How to name a log in messages: URLs masked, paths as given."""
    text = str(target)
    return mask_url(text) if is_url(text) else text
