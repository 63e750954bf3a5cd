"""Write secret files (private keys, watermark keys): owner-only from the first byte.

``write_secret`` writes to a temporary file created with mode 0600 in the target's directory and
renames it over the target, so the secret is never readable by others even for a moment and an
existing file (whatever its mode) is replaced by a 0600 one, not rewritten in place.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

SECRET_MODE = 0o600


def write_secret(path: str | os.PathLike, data: bytes, *, overwrite: bool = False) -> Path:
    """Write ``data`` to ``path`` with mode 0600. Raises FileExistsError when the file exists and
    ``overwrite`` is false, OSError when the directory cannot be written."""
    path = Path(path)
    if path.exists() and not overwrite:
        raise FileExistsError(f"{str(path)!r} exists")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        os.fchmod(fd, SECRET_MODE)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return path
