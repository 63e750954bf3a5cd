"""Ed25519 key pairs for signing checkpoints: generate, save/load as PEM, fingerprint.

The private key signs checkpoints (the writer holds it); the public key is all an auditor needs.
``init_log`` starts a signed log: a fresh key pair (the private key 0600, by default in the
user's config directory, away from the log) and a signed checkpoint over the empty log.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Union

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from genai_provenance.secret_files import write_secret

from .errors import AuditError

PublicKeyLike = Union[Ed25519PublicKey, Ed25519PrivateKey, bytes, str, os.PathLike]
PrivateKeyLike = Union[Ed25519PrivateKey, bytes, str, os.PathLike]


def generate_keypair() -> tuple[Ed25519PrivateKey, Ed25519PublicKey]:
    """A fresh Ed25519 key pair."""
    priv = Ed25519PrivateKey.generate()
    return priv, priv.public_key()


def key_id(key: Ed25519PublicKey | Ed25519PrivateKey) -> str:
    """Short fingerprint (first 16 hex digits of SHA-256 of the raw public key) naming a key."""
    if isinstance(key, Ed25519PrivateKey):
        key = key.public_key()
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def save_private_key(
    key: Ed25519PrivateKey, path: str | os.PathLike, *, overwrite: bool = True
) -> Path:
    """Write the private key as unencrypted PKCS#8 PEM, readable by the owner only (0600 from
    the first byte; an existing file is replaced, never rewritten in place)."""
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    try:
        return write_secret(path, pem, overwrite=overwrite)
    except FileExistsError:
        raise AuditError(
            f"{str(path)!r} already exists; refusing to overwrite a private key"
        ) from None
    except OSError as e:
        raise AuditError(f"cannot write the private key {str(path)!r}: {e.strerror}") from None


def save_public_key(key: Ed25519PublicKey | Ed25519PrivateKey, path: str | os.PathLike) -> Path:
    """Write the public key as SubjectPublicKeyInfo PEM."""
    if isinstance(key, Ed25519PrivateKey):
        key = key.public_key()
    path = Path(path)
    path.write_bytes(
        key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return path


def _read(source: bytes | str | os.PathLike, what: str) -> bytes:
    if isinstance(source, bytes):
        return source
    if isinstance(source, str) and source.lstrip().startswith("-----BEGIN"):
        return source.encode()
    path = Path(source).expanduser()
    if not path.exists():
        raise AuditError(
            f"{what} file {str(path)!r} does not exist; "
            "create one with rag_audit.generate_keypair() / `rag_audit keygen`"
        )
    return path.read_bytes()


def load_private_key(source: PrivateKeyLike) -> Ed25519PrivateKey:
    """An Ed25519 private key from a key object, PEM bytes/text, or a PEM file path."""
    if isinstance(source, Ed25519PrivateKey):
        return source
    data = _read(source, "private key")
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as e:
        raise AuditError(
            f"cannot read the private key ({e}); pass an unencrypted Ed25519 PEM "
            "file as written by rag_audit.save_private_key"
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise AuditError(
            f"the private key is {type(key).__name__}, not Ed25519; "
            "generate one with rag_audit.generate_keypair()"
        )
    return key


def load_public_key(source: PublicKeyLike) -> Ed25519PublicKey:
    """An Ed25519 public key from a key object (a private key gives its public half), PEM, or path."""
    if isinstance(source, Ed25519PublicKey):
        return source
    if isinstance(source, Ed25519PrivateKey):
        return source.public_key()
    data = _read(source, "public key")
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError:
        try:  # a private key PEM also carries the public key
            return load_private_key(data).public_key()
        except AuditError:
            raise AuditError(
                "cannot read the public key; pass an Ed25519 PEM file as written "
                "by rag_audit.save_public_key"
            ) from None
    if not isinstance(key, Ed25519PublicKey):
        raise AuditError(f"the public key is {type(key).__name__}, not Ed25519")
    return key


def default_key_dir() -> Path:
    """Where ``init_log`` keeps private keys by default: the user's config directory
    (e.g. ``~/.config/genai-provenance/keys``), not next to the log."""
    import platformdirs

    return Path(platformdirs.user_config_dir("genai-provenance")) / "keys"


@dataclass
class InitResult:
    """What ``init_log`` made: the key id and where the two key files are."""

    key_id: str
    private_key: Path
    public_key: Path


def init_log(
    log: str | os.PathLike,
    *,
    key_out: str | os.PathLike | None = None,
    public_key_out: str | os.PathLike | None = None,
) -> InitResult:
    """Create an empty signed log: a new Ed25519 key pair and a checkpoint over the empty tree.

    The private key goes to ``key_out`` (default ``default_key_dir()/<key id>.key``, mode
    0600), the public key to ``public_key_out`` (default ``LOG.pub``; required for a
    ``postgresql://`` log). A log that already holds events or checkpoints is refused."""
    from .chain import GENESIS, MerkleFrontier, sign_checkpoint
    from .store.base import open_store, store_checkpoint
    from .store.url import is_url

    if public_key_out is None:
        if is_url(str(log)):
            raise AuditError(
                "a postgresql:// log has no directory for the public key; pass "
                "public_key_out= / --public-key-out"
            )
        public_key_out = f"{log}.pub"
    priv, pub = generate_keypair()
    kid = key_id(pub)
    key_path = Path(key_out) if key_out is not None else default_key_dir() / f"{kid}.key"
    pub_path = Path(public_key_out)
    if pub_path.exists():
        raise AuditError(f"{str(pub_path)!r} already exists; pick another --public-key-out")
    if key_out is None:
        key_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    elif not key_path.parent.is_dir():
        raise AuditError(f"directory {str(key_path.parent)!r} does not exist; create it first")
    store = open_store(log)
    try:
        if store.head()[0] or store.checkpoints():
            raise AuditError(f"{str(log)!r} already holds an audit log; init only starts a new one")
        save_private_key(priv, key_path, overwrite=False)
        save_public_key(pub, pub_path)
        frontier = MerkleFrontier()
        store_checkpoint(store, sign_checkpoint(priv, 0, frontier.root(), GENESIS), frontier)
    finally:
        store.close()
    return InitResult(kid, key_path, pub_path)
