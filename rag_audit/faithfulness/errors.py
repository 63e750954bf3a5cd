"""The faithfulness package's one user-facing error."""

from __future__ import annotations

try:  # the package's one user-facing error, when the module is there
    from rag_audit.errors import AuditError as _BaseError
except ImportError:  # pragma: no cover - errors.py is part of the package
    _BaseError = Exception

__all__ = ["FaithfulnessError"]


class FaithfulnessError(_BaseError, ValueError):
    """A faithfulness scorer cannot be built or used as asked (bad model dir, bad argument)."""
