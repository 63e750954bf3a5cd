"""A bounded, thread-safe LRU cache keyed by content hash: RAG chunks recur across requests, so a
chunk piece's embeddings (sentence vector + token vectors) are computed once per process."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

__all__ = ["DEFAULT_CACHE_SIZE", "LRUCache", "content_key"]

DEFAULT_CACHE_SIZE = 2048  # chunk pieces (~45 KB each with token vectors: at most ~95 MB)


def content_key(text: str) -> str:
    """The cache key of a text: its SHA-256 (hex)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class LRUCache:
    """At most `maxsize` entries; the least recently used one is dropped first. `hits` and
    `misses` count lookups (for benchmarks and tests)."""

    def __init__(self, maxsize: int = DEFAULT_CACHE_SIZE) -> None:
        self.maxsize = max(0, int(maxsize))
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._data)

    def get(self, key: Hashable) -> Any | None:
        """The value for `key` (marked most recently used), or None."""
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                self.hits += 1
                return self._data[key]
            self.misses += 1
            return None

    def put(self, key: Hashable, value: Any) -> None:
        """Store `value`, dropping the least recently used entries beyond `maxsize`."""
        if self.maxsize == 0:
            return
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.maxsize:
                self._data.popitem(last=False)

    def clear(self) -> None:
        """Drop every entry (the counters too)."""
        with self._lock:
            self._data.clear()
            self.hits = self.misses = 0

    def get_many(
        self, keys: list[Hashable], compute: Callable[[list[int]], list[Any]]
    ) -> list[Any]:
        """Values for `keys`; the missing ones are computed in one batch by `compute(indices)`."""
        out = [self.get(k) for k in keys]
        missing = [i for i, v in enumerate(out) if v is None]
        if missing:
            for i, v in zip(missing, compute(missing)):
                out[i] = v
                self.put(keys[i], v)
        return out
