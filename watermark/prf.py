"""The keyed hash behind every green list — the scheme lives here and only here.

Green-list membership is a keyed pseudo-random function of (the last ``h`` context tokens,
the candidate token). The same integer arithmetic runs on torch int64 tensors (generation,
any device), NumPy int64 arrays (detection) and numba scalars (the fused CPU kernel in
``fastpath.py``), so the three agree bit for bit. All state is 32-bit and every multiplier is
below 2**31, so no intermediate reaches 2**63 and nothing relies on signed overflow.

Scheme version 1 (``SCHEME_VERSION``), for a key with sub-keys k0, k1, k2 (32-bit words of a
domain-separated SHA-256 of the secret):

* ``token_hash(t) = mix(mix(t ^ k0) ^ k1)`` — a keyed 32-bit value per token id.
* ``lefthash``: seed ``s = k2``, then for each context token ``c`` (oldest first, at most
  ``h`` of them) ``s = mix(s ^ token_hash(c))``.
* ``selfhash``: anchor ``a = min(token_hash(c) for c in context + [candidate])`` (a min-hash,
  order-free, so one edit moves at most the windows that hold it), seed ``s = mix(a ^ k2)``.
* green iff ``mix(s ^ token_hash(candidate)) < round(gamma * 2**32)``.

Changing any of this changes which texts are detected: pinned vectors in the tests guard it.
A new scheme gets a new version number; old versions keep working.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from .errors import WatermarkError

if TYPE_CHECKING:  # torch is imported where generation needs it, never for detection
    import torch

SCHEME_VERSION = 1
SCHEMES = ("lefthash", "selfhash")

MASK32 = 0xFFFFFFFF
NO_ANCHOR = 1 << 32  # larger than any 32-bit hash: the min over an empty window
_M1 = 0x7FEB352D  # odd, < 2**31
_M2 = 0x5BD1E995  # odd, < 2**31
_DOMAIN = b"genai-provenance/prf/v1\x00"


def mix32(x: Any) -> Any:
    """32-bit integer finalizer (xorshift-multiply); works on ints, NumPy/torch int64 and numba."""
    x = x ^ (x >> 16)
    x = (x * _M1) & MASK32
    x = x ^ (x >> 15)
    x = (x * _M2) & MASK32
    x = x ^ (x >> 16)
    return x


def token_hash(ids: Any, k0: int, k1: int) -> Any:
    """Keyed 32-bit hash of token ids (any integer array type, values >= 0)."""
    return mix32(mix32((ids & MASK32) ^ k0) ^ k1)


def green_threshold(gamma: float) -> int:
    """The 32-bit cut: a hash below it is green. Effective gamma is ``threshold / 2**32``."""
    return min(max(int(round(gamma * 2.0**32)), 1), MASK32)


@dataclass(frozen=True)
class PRF:
    """One keyed instance of the scheme: sub-keys, green threshold, context width, scheme.

    Build it with :meth:`from_secret`; it holds derived sub-keys, never prints them.
    """

    k0: int
    k1: int
    k2: int
    threshold: int
    context_width: int
    scheme: str

    def __repr__(self) -> str:  # never show key material
        return f"PRF(scheme={self.scheme!r}, h={self.context_width}, threshold={self.threshold})"

    @classmethod
    def from_secret(
        cls,
        secret: bytes,
        *,
        gamma: float,
        context_width: int,
        scheme: str,
        scheme_version: int = SCHEME_VERSION,
    ) -> PRF:
        if scheme not in SCHEMES:
            raise WatermarkError(f"scheme={scheme!r} is not known; use one of {', '.join(SCHEMES)}")
        if scheme_version != SCHEME_VERSION:
            raise WatermarkError(
                f"scheme_version={scheme_version!r} is not supported by this release "
                f"(it knows version {SCHEME_VERSION}); upgrade genai-provenance"
            )
        if not isinstance(context_width, int) or context_width < 1:
            raise WatermarkError(f"context_width={context_width!r} must be an integer >= 1")
        if not 0.0 < gamma < 1.0:
            raise WatermarkError(f"gamma={gamma!r} must lie strictly between 0 and 1")
        words = _subkeys(bytes(secret))
        return cls(
            *words[:3], threshold=green_threshold(gamma), context_width=context_width, scheme=scheme
        )

    @property
    def gamma(self) -> float:
        """The exact probability that a token is green under the null hypothesis."""
        return self.threshold / 2.0**32

    # ---- shared pieces (array-type generic) -------------------------------------------------
    def token_hash(self, ids: Any) -> Any:
        return token_hash(ids, self.k0, self.k1)

    def green_from_seed(self, seed: Any, tok_hash: Any) -> Any:
        """Green decision for seeds and candidate-token hashes (broadcasting)."""
        return mix32(seed ^ tok_hash) < self.threshold

    # ---- NumPy twin: detection over sequences -------------------------------------------------
    def seeds_numpy(self, ids: np.ndarray, lo: np.ndarray | None = None) -> np.ndarray:
        """Seed of every position of ``ids``; shape [T], int64.

        The context of position i is ``ids[max(lo[i], i-h):i]``; ``lo[i]`` is the first index of
        i's sequence when several sequences lie end to end (default: one sequence, lo = 0). A
        position with fewer than h earlier tokens uses what it has, exactly as the processor
        does for a row shorter than h.
        """
        ids = np.asarray(ids, dtype=np.int64)
        pos = np.arange(ids.size, dtype=np.int64)
        lo = np.zeros_like(pos) if lo is None else np.asarray(lo, dtype=np.int64)
        th = self.token_hash(ids)  # shape [T]
        if self.scheme == "lefthash":
            seed = np.full(pos.shape, self.k2, dtype=np.int64)
            for j in range(self.context_width, 0, -1):  # oldest context slot first
                src = pos - j
                ok = src >= lo
                seed = np.where(ok, mix32(seed ^ th[np.where(ok, src, 0)]), seed)
            return seed
        anchor = th.copy()  # the candidate takes part in its own window
        for j in range(1, self.context_width + 1):
            src = pos - j
            ok = src >= lo
            anchor = np.where(ok, np.minimum(anchor, th[np.where(ok, src, 0)]), anchor)
        return mix32(anchor ^ self.k2)

    def green_numpy(
        self, ids: np.ndarray, lo: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(green bool[T], seed int64[T]) for every position of ``ids`` (see :meth:`seeds_numpy`)."""
        ids = np.asarray(ids, dtype=np.int64)
        seed = self.seeds_numpy(ids, lo)
        return self.green_from_seed(seed, self.token_hash(ids)), seed

    # ---- torch twin: generation over [batch, vocab] -------------------------------------------
    def context_torch(self, input_ids: torch.Tensor, pad_token_id: int | None):
        """Last h ids per row and which of them count (not left padding). Shapes [B, w]."""
        import torch

        h = self.context_width
        L = input_ids.shape[1]
        w = min(h, L)
        ctx = input_ids[:, L - w :]  # shape [B, w]
        if pad_token_id is None or w == 0:
            valid = torch.ones_like(ctx, dtype=torch.bool)
        else:
            nonpad = input_ids != pad_token_id  # shape [B, L]
            # leading padding = everything before the first non-pad token of the row
            first = torch.where(
                nonpad.any(dim=1),
                nonpad.int().argmax(dim=1),
                torch.full_like(nonpad[:, 0], L, dtype=torch.long),
            )  # shape [B]
            pos = torch.arange(L - w, L, device=input_ids.device)
            valid = pos[None, :] >= first[:, None]
        return ctx, valid

    def row_seeds_torch(self, input_ids, pad_token_id: int | None = None):
        """Per-row seed (lefthash) or context anchor (selfhash), shape [B], int64."""
        import torch

        ctx, valid = self.context_torch(input_ids, pad_token_id)
        th = self.token_hash(ctx.long())  # shape [B, w]
        B, w = ctx.shape
        if self.scheme == "lefthash":
            seed = torch.full((B,), self.k2, dtype=torch.long, device=ctx.device)
            for j in range(w):  # oldest first; loop over the (small) context width only
                seed = torch.where(valid[:, j], mix32(seed ^ th[:, j]), seed)
            return seed
        big = torch.full_like(th, NO_ANCHOR)
        return (
            torch.where(valid, th, big).amin(dim=1)
            if w
            else torch.full((B,), NO_ANCHOR, dtype=torch.long, device=ctx.device)
        )

    def vocab_tables_torch(self, vocab_size: int, device) -> tuple[Any, Any]:
        """(token_hash of every id [V], self-anchored green [V]); cache the result per device."""
        import torch

        th = self.token_hash(torch.arange(vocab_size, dtype=torch.long, device=device))
        self_green = self.green_from_seed(mix32(th ^ self.k2), th)
        return th, self_green

    def green_mask_torch(
        self, input_ids, vocab_size: int, pad_token_id: int | None = None, tables=None
    ):
        """Green mask for every (row, candidate) pair: bool tensor of shape [B, V].

        ``tables`` is the cached result of :meth:`vocab_tables_torch` for this vocab and device.
        Integer ops only, on the ids' device; no host sync, no Python loop over rows or vocab.
        """
        import torch

        th, self_green = (
            tables if tables is not None else self.vocab_tables_torch(vocab_size, input_ids.device)
        )
        row = self.row_seeds_torch(input_ids, pad_token_id)  # shape [B]
        if self.scheme == "lefthash":
            return self.green_from_seed(row[:, None], th[None, :])  # shape [B, V]
        # selfhash: min(anchor_ctx, th[v]) is either the row's anchor or the candidate itself.
        seed = mix32(row ^ self.k2)  # shape [B]
        by_ctx = self.green_from_seed(seed[:, None], th[None, :])  # shape [B, V]
        return torch.where(th[None, :] < row[:, None], self_green[None, :], by_ctx)


@lru_cache(maxsize=64)
def _subkeys(secret: bytes) -> tuple[int, ...]:
    digest = hashlib.sha256(_DOMAIN + secret).digest()
    return tuple(int.from_bytes(digest[i : i + 4], "little") for i in range(0, 32, 4))
