"""Key material: generate, load from a file or an env var, fingerprint, and key rings.

There is no public default key: a missing key is an error that says how to make one.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

from genai_provenance.secret_files import write_secret

from .errors import WatermarkError

ENV_VAR = "GENAI_WATERMARK_KEY"
MIN_BYTES = 16
_ID_DOMAIN = b"genai-provenance/key-id\x00"


@dataclass(frozen=True)
class WatermarkKey:
    """A secret watermark key (>= 16 bytes). ``key_id`` identifies it without revealing it."""

    secret: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.secret, (bytes, bytearray)):
            raise WatermarkError(f"a watermark key must be bytes, got {type(self.secret).__name__}")
        if len(self.secret) < MIN_BYTES:
            raise WatermarkError(
                f"watermark key is {len(self.secret)} bytes; it needs at least {MIN_BYTES} "
                "(make one with `watermark keygen`)"
            )

    def __repr__(self) -> str:
        return f"WatermarkKey(key_id={self.key_id!r})"

    @property
    def key_id(self) -> str:
        """16 hex chars of a domain-separated SHA-256: safe to publish, log and store."""
        return hashlib.sha256(_ID_DOMAIN + bytes(self.secret)).hexdigest()[:16]

    @classmethod
    def generate(cls) -> WatermarkKey:
        """A fresh random 32-byte key from the OS's CSPRNG."""
        return cls(secrets.token_bytes(32))

    @classmethod
    def from_hex(cls, text: str, *, source: str = "key") -> WatermarkKey:
        lines = [
            ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")
        ]
        if len(lines) != 1:
            raise WatermarkError(f"{source} must hold one line of hex (from `watermark keygen`)")
        try:
            return cls(bytes.fromhex(lines[0]))
        except ValueError:
            raise WatermarkError(
                f"{source} is not hex; make a key with `watermark keygen`"
            ) from None

    @classmethod
    def from_file(cls, path: str | os.PathLike) -> WatermarkKey:
        """Read a key file written by :meth:`save` / `watermark keygen`."""
        p = Path(path)
        if not p.is_file():
            raise WatermarkError(
                f"key file {str(p)!r} does not exist; make one with `watermark keygen -o {p}`"
            )
        try:
            text = p.read_text(encoding="ascii")
        except (UnicodeDecodeError, OSError) as exc:
            raise WatermarkError(
                f"key file {str(p)!r} cannot be read as a hex key ({exc.__class__.__name__})"
            ) from None
        return cls.from_hex(text, source=f"key file {str(p)!r}")

    @classmethod
    def from_env(cls, var: str = ENV_VAR) -> WatermarkKey:
        """Read a hex key from an environment variable (default ``GENAI_WATERMARK_KEY``)."""
        value = os.environ.get(var)
        if not value:
            raise WatermarkError(
                f"environment variable {var} is not set; export a key made by `watermark keygen`"
            )
        return cls.from_hex(value, source=f"environment variable {var}")

    def save(self, path: str | os.PathLike, *, overwrite: bool = False) -> Path:
        """Write the key as hex, mode 0600 from the first byte (atomically; an existing file of
        any mode is replaced by a 0600 one); refuses to overwrite unless ``overwrite``."""
        p = Path(path)
        data = (
            f"# genai-provenance watermark key, key_id {self.key_id}; keep secret\n"
            f"{self.secret.hex()}\n"
        ).encode("ascii")
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
            return write_secret(p, data, overwrite=overwrite)
        except FileExistsError:
            raise WatermarkError(
                f"{str(p)!r} exists; refusing to overwrite a key (use --force)"
            ) from None
        except OSError as exc:
            raise WatermarkError(
                f"cannot write key file {str(p)!r}: {exc.strerror or exc}"
            ) from None


KeyLike = Union[WatermarkKey, bytes, str, os.PathLike]


def load_key(spec: KeyLike | None) -> WatermarkKey:
    """A key from a ``WatermarkKey``, raw bytes, a key file path, or ``env:VAR``; None reads the env var."""
    if isinstance(spec, WatermarkKey):
        return spec
    if isinstance(spec, (bytes, bytearray)):
        return WatermarkKey(bytes(spec))
    if spec is None:
        if os.environ.get(ENV_VAR):
            return WatermarkKey.from_env()
        raise WatermarkError(
            f"no watermark key given: pass --key FILE or set {ENV_VAR} (make a key with `watermark keygen`)"
        )
    s = str(spec)
    if s.startswith("env:"):
        return WatermarkKey.from_env(s[4:])
    return WatermarkKey.from_file(s)


@dataclass(frozen=True)
class KeyRing:
    """Several keys tried in turn (rotation); detection reports which key id matched."""

    keys: tuple[WatermarkKey, ...]

    def __post_init__(self) -> None:
        if not self.keys:
            raise WatermarkError("a key ring needs at least one key")
        ids = [k.key_id for k in self.keys]
        if len(set(ids)) != len(ids):
            raise WatermarkError("the key ring holds the same key twice")

    @classmethod
    def of(cls, key_or_keys: KeyLike | Iterable[KeyLike] | KeyRing | None) -> KeyRing:
        if isinstance(key_or_keys, KeyRing):
            return key_or_keys
        if key_or_keys is None or isinstance(
            key_or_keys, (WatermarkKey, bytes, bytearray, str, os.PathLike)
        ):
            return cls((load_key(key_or_keys),))
        return cls(tuple(load_key(k) for k in key_or_keys))

    def __len__(self) -> int:
        return len(self.keys)

    def __iter__(self):
        return iter(self.keys)

    def find(self, key_id: str) -> WatermarkKey:
        for k in self.keys:
            if k.key_id == key_id:
                return k
        raise WatermarkError(f"no key with key_id {key_id!r} in the key ring")
