"""A fused CPU kernel for the processor: hash, compare and bias in one pass over [batch, vocab].

Eager torch runs each integer op as its own pass over the [B, V] tensor (~0.3 ms each at
B=16, V=49k on a 2-core CPU); this numba kernel does the whole chain per element in registers,
in uint32 lanes (8 per AVX2 register). It evaluates exactly the arithmetic of
:mod:`watermark.prf` — the same constants; uint32 wrap-around equals the reference's
``& MASK32`` — and the tests check it bit for bit against the torch-mask path, which stays the
reference and the path used on every other device and dtype.
"""

from __future__ import annotations

import threading

import numpy as np

from .prf import _M1, _M2, MASK32, NO_ANCHOR, PRF, mix32

try:  # numba is a pinned dependency; without it the torch path is used.
    import numba

    AVAILABLE = True
except Exception:  # noqa: BLE001 - any import problem means: use the torch path
    numba = None
    AVAILABLE = False

PARALLEL_MIN_ROWS = 4  # below this, thread start-up costs more than it saves
# numba's default (workqueue) threading layer aborts the process on concurrent parallel launches
# from two Python threads; one parallel launch at a time, the others run the serial kernel.
_PARALLEL_LOCK = threading.Lock()

if AVAILABLE:
    _mix64 = numba.njit(inline="always")(mix32)
    _U1, _U2 = np.uint32(_M1), np.uint32(_M2)
    _S15, _S16 = np.uint32(15), np.uint32(16)

    @numba.njit(inline="always")
    def _mix_u32(x):
        """prf.mix32 in uint32 lanes (wrap-around multiply == multiply then mask)."""
        x = x ^ (x >> _S16)
        x = np.uint32(x * _U1)
        x = x ^ (x >> _S15)
        x = np.uint32(x * _U2)
        x = x ^ (x >> _S16)
        return x

    @numba.njit(cache=True, nogil=True)
    def _row_seeds(ids, pad, has_pad, h, selfhash, k0, k1, k2):
        """Per-row seed (lefthash) or context anchor (selfhash); mirrors PRF.row_seeds_torch."""
        B, L = ids.shape
        out = np.empty(B, dtype=np.int64)
        w = min(h, L)
        for b in range(B):
            first = 0
            if has_pad:
                first = L
                for i in range(L):
                    if ids[b, i] != pad:
                        first = i
                        break
            s = NO_ANCHOR if selfhash else k2
            for i in range(L - w, L):
                if i >= first:
                    t = _mix64(_mix64((ids[b, i] & MASK32) ^ k0) ^ k1)
                    s = min(s, t) if selfhash else _mix64(s ^ t)
            out[b] = s
        return out

    @numba.njit(inline="always")
    def _rows_u32(ids, pad, has_pad, h, selfhash, k0, k1, k2):
        # An empty selfhash context has anchor 2**32; clamping to 2**32-1 is exact, since where
        # th[v] == 2**32-1 both branches hash the same anchor.
        return np.minimum(_row_seeds(ids, pad, has_pad, h, selfhash, k0, k1, k2), MASK32).astype(
            np.uint32
        )

    def _left(ids, pad, has_pad, h, k0, k1, k2, scores, out, th, thr, add_green, add_red):
        """lefthash: out[b, v] = scores[b, v] + (add_green if green else add_red)."""
        B, V = scores.shape
        rows = _rows_u32(ids, pad, has_pad, h, False, k0, k1, k2)
        for b in numba.prange(B):
            seed = rows[b]
            for v in range(V):
                out[b, v] = scores[b, v] + (add_green if _mix_u32(seed ^ th[v]) < thr else add_red)
        return out

    def _self(
        ids, pad, has_pad, h, k0, k1, k2, scores, out, th, self_hash, thr, add_green, add_red
    ):
        """selfhash: where th[v] < the row's anchor the candidate itself is the anchor."""
        B, V = scores.shape
        rows = _rows_u32(ids, pad, has_pad, h, True, k0, k1, k2)
        k2u = np.uint32(k2)
        for b in numba.prange(B):
            r = rows[b]
            seed = _mix_u32(r ^ k2u)
            for v in range(V):
                t = th[v]
                h_ctx = _mix_u32(seed ^ t)  # computed for every v so the loop stays branch-free
                h_self = self_hash[v]
                hv = h_self if t < r else h_ctx
                out[b, v] = scores[b, v] + (add_green if hv < thr else add_red)
        return out

    def _variant(fn, suffix: str):
        """A copy of ``fn`` under its own name: numba's on-disk cache is keyed by the function's
        qualified name, not by ``parallel=``, so two variants of one function would load each
        other's machine code (the parallel kernel silently ran serially)."""
        import types

        f = types.FunctionType(
            fn.__code__, fn.__globals__, fn.__name__ + suffix, fn.__defaults__, fn.__closure__
        )
        f.__qualname__ = fn.__qualname__ + suffix
        return f

    _KERNELS = {
        (scheme, par): numba.njit(cache=True, nogil=True, parallel=par)(
            _variant(fn, "_par" if par else "_serial")
        )
        for scheme, fn in (("lefthash", _left), ("selfhash", _self))
        for par in (False, True)
    }


class FusedBias:
    """The kernel bound to one PRF and one vocab size (hash tables built once)."""

    def __init__(self, prf: PRF, vocab_size: int):
        self.prf = prf
        th = prf.token_hash(np.arange(vocab_size, dtype=np.int64))  # shape [V], int64 < 2**32
        self.th = th.astype(np.uint32)
        # the green hash of each candidate when it is its own anchor, shape [V]
        self.self_hash = mix32(mix32(th ^ prf.k2) ^ th).astype(np.uint32)
        self.thr = np.uint32(prf.threshold)

    def __call__(
        self,
        ids: np.ndarray,
        scores: np.ndarray,
        out: np.ndarray,
        *,
        delta: float,
        hard: bool,
        pad_token_id: int | None,
    ) -> np.ndarray:
        p = self.prf
        selfhash = p.scheme == "selfhash"
        head = (
            ids,
            -1 if pad_token_id is None else int(pad_token_id),
            pad_token_id is not None,
            p.context_width,
            p.k0,
            p.k1,
            p.k2,
            scores,
            out,
        )
        t = scores.dtype.type
        add_green, add_red = (t(0), t(-np.inf)) if hard else (t(delta), t(0))
        tail = (self.th, self.self_hash) if selfhash else (self.th,)
        tail += (self.thr, add_green, add_red)
        if scores.shape[0] >= PARALLEL_MIN_ROWS and _PARALLEL_LOCK.acquire(blocking=False):
            try:
                return _KERNELS[(p.scheme, True)](*head, *tail)
            finally:
                _PARALLEL_LOCK.release()
        return _KERNELS[(p.scheme, False)](*head, *tail)
