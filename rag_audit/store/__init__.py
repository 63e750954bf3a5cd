"""Storage back ends for the audit chain: SQLite (default, one file) and PostgreSQL."""

from .base import Store, StoredEvent, open_store

__all__ = ["Store", "StoredEvent", "open_store"]
