"""Ed25519 key pairs for signing checkpoints: generate, save/load as PEM, fingerprint.

The private key signs checkpoints (the writer holds it); the public key is all an auditor needs.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Union

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

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


def save_private_key(key: Ed25519PrivateKey, path: str | os.PathLike) -> Path:
    """Write the private key as unencrypted PKCS#8 PEM, readable by the owner only (0600)."""
    path = Path(path)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    os.chmod(path, 0o600)
    return path


def save_public_key(key: Ed25519PublicKey | Ed25519PrivateKey, path: str | os.PathLike) -> Path:
    """Write the public key as SubjectPublicKeyInfo PEM."""
    if isinstance(key, Ed25519PrivateKey):
        key = key.public_key()
    path = Path(path)
    path.write_bytes(key.public_bytes(serialization.Encoding.PEM,
                                      serialization.PublicFormat.SubjectPublicKeyInfo))
    return path


def _read(source: bytes | str | os.PathLike, what: str) -> bytes:
    if isinstance(source, bytes):
        return source
    if isinstance(source, str) and source.lstrip().startswith("-----BEGIN"):
        return source.encode()
    path = Path(source)
    if not path.exists():
        raise AuditError(f"{what} file {str(path)!r} does not exist; "
                         "create one with rag_audit.generate_keypair() / `rag_audit keygen`")
    return path.read_bytes()


def load_private_key(source: PrivateKeyLike) -> Ed25519PrivateKey:
    """An Ed25519 private key from a key object, PEM bytes/text, or a PEM file path."""
    if isinstance(source, Ed25519PrivateKey):
        return source
    data = _read(source, "private key")
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as e:
        raise AuditError(f"cannot read the private key ({e}); pass an unencrypted Ed25519 PEM "
                         "file as written by rag_audit.save_private_key") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise AuditError(f"the private key is {type(key).__name__}, not Ed25519; "
                         "generate one with rag_audit.generate_keypair()")
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
            raise AuditError("cannot read the public key; pass an Ed25519 PEM file as written "
                             "by rag_audit.save_public_key") from None
    if not isinstance(key, Ed25519PublicKey):
        raise AuditError(f"the public key is {type(key).__name__}, not Ed25519")
    return key
