"""Make untrusted text safe to print on a terminal.

Stored queries, answers, chunk texts and file names may hold ANSI/OSC escape sequences or other
control characters that would recolour, retitle or rewrite the reader's terminal. ``safe_text``
replaces each C0/C1 control character except newline and tab by a visible escape (``\\x1b``), so
what a reviewer sees is what is stored.
"""

from __future__ import annotations

import re

# C0 controls but \t and \n, DEL, C1 controls, and the Unicode line/paragraph separators and
# bidi overrides that can make text read differently from what it is.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(m: re.Match[str]) -> str:
    c = ord(m.group())
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def safe_text(value: object, *, keep_newlines: bool = True) -> str:
    """``str(value)`` with control characters shown as escapes (newlines kept unless told not)."""
    text = _CONTROL.sub(_escape, "" if value is None else str(value))
    if not keep_newlines:
        text = text.replace("\n", "\\n").replace("\t", "\\t")
    return text
