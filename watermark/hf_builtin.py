"""Green lists of transformers' built-in ``WatermarkLogitsProcessor``, bit for bit, without torch.

The built-in (``transformers.generation.logits_process.WatermarkLogitsProcessor``, seeding schemes
``lefthash`` and ``selfhash``) draws each green list as the first ``int(vocab_size *
greenlist_ratio)`` entries of ``torch.randperm(vocab_size)`` on a CPU generator re-seeded per
position:

* ``lefthash``: seed ``hashing_key * previous_token`` (only the last token counts, whatever the
  context width);
* ``selfhash``: with ``table = torch.randperm(1_000_003)`` drawn once from ``hashing_key``, the
  window ``w`` = the candidate token and the ``context_width - 1`` tokens before it, seed
  ``min(hashing_key * (table[w] + 1) * (table[candidate] + 1))`` in wrapping int64;

then ``manual_seed(seed % (2**64 - 1))``. torch's CPU generator is a standard MT19937 seeded with
the low 32 bits of that value, and its ``randperm`` (n below 2**32 / 20) is the Fisher-Yates
shuffle ``swap(r[i], r[i + mt() % (n - i)])`` for i = 0, 1, ... Position i never changes after
step i, so whether one token is green needs only the first ``greenlist_size`` steps, following
that one token: :func:`_green_kernel` (numba) does this for every (seed, token) pair of a text at
once. The tests compare it with the real processor's ``_get_greenlist_ids`` on the bundled
model's vocabulary.

Scope: the built-in draws on a generator of the *model's device*. This module reproduces the CPU
generator; text generated with the model on a CUDA device gets its green lists from CUDA's
generator and randperm (other algorithms) and is not covered (not tested here: no GPU).

Detection then runs through our :class:`~watermark.detector.WatermarkDetector` (repeat removal,
exact binomial p-value, windowed search): see :func:`hf_builtin_detector`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .errors import WatermarkError

DEFAULT_HASHING_KEY = 15485863  # transformers' default (the millionth prime)
DEFAULT_GREENLIST_RATIO = 0.25
HF_SCHEMES = ("lefthash", "selfhash")
TABLE_SIZE = 1_000_003  # the built-in's fixed table (selfhash)
_MOD = (1 << 64) - 1  # the built-in reduces every seed modulo 2**64 - 1
_MAX_KEY = 1 << 63  # torch int64 arithmetic: the key must fit a signed 64-bit integer

# The kernels below are plain Python until _kernels() compiles them with numba (a pinned
# dependency, imported on first use so that `import watermark.cli` stays light).
_JITTED = ("_mt_seed", "_mt_twist", "_mt_temper", "_green_kernel", "_randperm_head")


@lru_cache(maxsize=1)
def _kernels():
    """(green_kernel, randperm_head), compiled; the helpers are compiled first (the kernels
    call them by their global names)."""
    try:
        import numba
    except Exception:  # noqa: BLE001 - without numba the same code runs as (slow) Python
        return _green_kernel, _randperm_head
    g = globals()
    for name in _JITTED:
        g[name] = numba.njit(cache=True, nogil=True)(g[name])
    return g["_green_kernel"], g["_randperm_head"]


_M32 = np.uint64(0xFFFFFFFF)  # the generator's words are 32-bit; kept in uint64 lanes


def _mt_seed(state, seed):
    state[0] = np.uint64(seed) & _M32
    for j in range(1, 624):
        prev = state[j - 1]
        state[j] = (np.uint64(1812433253) * (prev ^ (prev >> np.uint64(30))) + np.uint64(j)) & _M32


def _mt_twist(state):
    for i in range(624):
        y = (state[i] & np.uint64(0x80000000)) | (state[(i + 1) % 624] & np.uint64(0x7FFFFFFF))
        v = state[(i + 397) % 624] ^ (y >> np.uint64(1))
        if y & np.uint64(1):
            v ^= np.uint64(0x9908B0DF)
        state[i] = v


def _mt_temper(y):
    y ^= y >> np.uint64(11)
    y ^= (y << np.uint64(7)) & np.uint64(0x9D2C5680)
    y ^= (y << np.uint64(15)) & np.uint64(0xEFC60000)
    y ^= y >> np.uint64(18)
    return np.int64(y)


def _green_kernel(seeds, tokens, n, g):
    """For each pair: is ``tokens[s]`` among the first ``g`` of randperm(n) seeded ``seeds[s]``?"""
    out = np.zeros(seeds.size, dtype=np.bool_)
    state = np.empty(624, dtype=np.uint64)
    for s in range(seeds.size):
        p = tokens[s]  # the token's position in the permutation (it starts at its own index)
        if p < 0 or p >= n:
            continue  # not in the vocabulary the built-in permutes: never green
        _mt_seed(state, seeds[s])
        k = 624
        for i in range(g):
            if k == 624:
                _mt_twist(state)
                k = 0
            r = _mt_temper(state[k])
            k += 1
            j = i + r % np.int64(n - i)
            if p == j:  # swapped into position i < g: green
                out[s] = True
                break
            if p == i:  # swapped out to j > i: still undecided
                p = j
    return out


def _randperm_head(seed, n, g):
    """The first ``g`` entries of torch.randperm(n) on a CPU generator seeded ``seed``."""
    perm = np.arange(n, dtype=np.int64)
    state = np.empty(624, dtype=np.uint64)
    _mt_seed(state, seed)
    k = 624
    for i in range(min(g, n - 1)):
        if k == 624:
            _mt_twist(state)
            k = 0
        r = _mt_temper(state[k])
        k += 1
        j = i + r % np.int64(n - i)
        perm[i], perm[j] = perm[j], perm[i]
    return perm[:g].copy()


@lru_cache(maxsize=4)
def _fixed_table(hashing_key: int) -> np.ndarray:
    """The built-in's ``torch.randperm(1_000_003)`` from a generator seeded with the key."""
    return _kernels()[1](np.uint64(hashing_key & 0xFFFFFFFF), TABLE_SIZE, TABLE_SIZE)


# ---- the scheme ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class HFBuiltinGreenLists:
    """The built-in's green lists for one setting, in the shape our detector scores with.

    vocab_size: the *model's* ``config.vocab_size`` (what ``generate`` gives the processor; it
    can exceed the tokenizer's length); greenlist_ratio, hashing_key, seeding_scheme and
    context_width: the values of the ``WatermarkingConfig`` used when generating.
    """

    vocab_size: int
    greenlist_ratio: float = DEFAULT_GREENLIST_RATIO
    hashing_key: int = DEFAULT_HASHING_KEY
    seeding_scheme: str = "lefthash"
    context_width: int = 1

    def __post_init__(self) -> None:
        if isinstance(self.vocab_size, bool) or not isinstance(self.vocab_size, int):
            raise WatermarkError(f"vocab_size={self.vocab_size!r} must be an integer")
        if self.vocab_size < 2:
            raise WatermarkError(f"vocab_size={self.vocab_size} must be >= 2")
        r = self.greenlist_ratio
        if isinstance(r, bool) or not isinstance(r, (int, float)) or not 0.0 < r < 1.0:
            raise WatermarkError(
                f"greenlist_ratio={r!r} must lie strictly between 0 and 1 (the built-in's default "
                f"is {DEFAULT_GREENLIST_RATIO})"
            )
        k = self.hashing_key
        if isinstance(k, bool) or not isinstance(k, int) or not 0 <= k < _MAX_KEY:
            raise WatermarkError(
                f"hashing_key={k!r} must be an integer from 0 to 2**63 - 1 (the built-in's "
                f"default is {DEFAULT_HASHING_KEY}); pass the one used when generating"
            )
        if self.seeding_scheme not in HF_SCHEMES:
            raise WatermarkError(
                f"seeding_scheme={self.seeding_scheme!r} is not one of the built-in's "
                f"({', '.join(HF_SCHEMES)})"
            )
        h = self.context_width
        if isinstance(h, bool) or not isinstance(h, int) or h < 1:
            raise WatermarkError(f"context_width={h!r} must be an integer >= 1")
        if self.greenlist_size < 1:
            raise WatermarkError(
                f"greenlist_ratio={r} of vocab_size={self.vocab_size} gives an empty green list"
            )

    # what the detector reads -------------------------------------------------------------------
    @property
    def greenlist_size(self) -> int:
        return int(self.vocab_size * self.greenlist_ratio)

    @property
    def gamma(self) -> float:
        """The exact null probability of green: the green list's share of the vocabulary."""
        return self.greenlist_size / self.vocab_size

    @property
    def min_context(self) -> int:
        """Tokens that must precede a scored one (the built-in does not watermark before them)."""
        return self.context_width if self.seeding_scheme == "lefthash" else self.context_width - 1

    @property
    def key_id(self) -> str:
        """A name for results: no secret here, the built-in's key is a plain setting."""
        return f"hf-builtin:{self.seeding_scheme}:h{self.context_width}"

    def __repr__(self) -> str:  # the hashing key is the watermark's secret when not the default
        return (
            f"HFBuiltinGreenLists(seeding_scheme={self.seeding_scheme!r}, "
            f"context_width={self.context_width}, greenlist_ratio={self.greenlist_ratio}, "
            f"vocab_size={self.vocab_size})"
        )

    # seeds ---------------------------------------------------------------------------------------
    def seeds_numpy(self, ids: np.ndarray, lo: np.ndarray | None = None) -> np.ndarray:
        """The generator seed (uint32, as int64) for every position of ``ids``; positions with
        fewer than :attr:`min_context` earlier tokens in their sequence get -1.

        ``lo[i]`` is the first index of position i's sequence (several laid end to end).
        """
        ids = np.asarray(ids, dtype=np.int64)
        T = ids.size
        pos = np.arange(T, dtype=np.int64)
        lo = np.zeros_like(pos) if lo is None else np.asarray(lo, dtype=np.int64)
        ok = (pos - lo) >= self.min_context
        seed = np.full(T, -1, dtype=np.int64)
        if not ok.any():
            return seed
        if self.seeding_scheme == "lefthash":
            prev = ids[np.maximum(pos - 1, 0)]
            u, inv = np.unique(prev[ok], return_inverse=True)
            # exact Python-int arithmetic, once per distinct previous token
            s = [((self.hashing_key * int(t)) % _MOD) & 0xFFFFFFFF for t in u]
            seed[ok] = np.asarray(s, dtype=np.int64)[inv]
            return seed
        table = _fixed_table(self.hashing_key)
        with np.errstate(over="ignore"):
            b = table[ids % TABLE_SIZE] + 1  # the candidate's factor, shape [T]
            key = np.int64(self.hashing_key)
            best = key * b * b  # the window always holds the candidate itself
            for j in range(1, self.context_width):
                src = np.maximum(pos - j, 0)
                a = table[ids[src] % TABLE_SIZE] + 1
                best = np.where((pos - j) >= lo, np.minimum(best, key * a * b), best)
        # Python's `seed % (2**64 - 1)` on the signed minimum, then MT19937's low 32 bits
        u64 = best.view(np.uint64) - (best < 0).astype(np.uint64)
        seed[ok] = (u64 & np.uint64(0xFFFFFFFF)).astype(np.int64)[ok]
        return seed

    def green_numpy(
        self, ids: np.ndarray, lo: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(green bool[T], seed int64[T]) for every position of ``ids`` (see :meth:`seeds_numpy`;
        positions without enough context are red with seed -1: the detector does not score them).

        Each distinct (seed, token) pair is decided once, in one compiled pass.
        """
        ids = np.asarray(ids, dtype=np.int64)
        seed = self.seeds_numpy(ids, lo)
        green = np.zeros(ids.size, dtype=bool)
        ok = seed >= 0
        if ok.any():
            pairs = (seed[ok].astype(np.uint64) << np.uint64(32)) | ids[ok].astype(np.uint64)
            u, inv = np.unique(pairs, return_inverse=True)
            g = _kernels()[0](
                u >> np.uint64(32),
                (u & np.uint64(0xFFFFFFFF)).astype(np.int64),
                self.vocab_size,
                self.greenlist_size,
            )
            green[ok] = g[inv]
        return green, seed

    def greenlist_ids(self, context) -> np.ndarray:
        """The green list the built-in draws after ``context`` (ids; for selfhash the last id is
        the candidate), in the built-in's order — its ``_get_greenlist_ids(context)``."""
        ctx = np.asarray(context, dtype=np.int64).reshape(-1)
        if ctx.size == 0:
            raise WatermarkError("greenlist_ids needs at least one context token")
        if self.seeding_scheme == "lefthash":
            seed = ((self.hashing_key * int(ctx[-1])) % _MOD) & 0xFFFFFFFF
        else:  # scalar arithmetic, independent of the vectorized seeds_numpy
            table = _fixed_table(self.hashing_key)
            a = [int(table[t % TABLE_SIZE]) + 1 for t in ctx[-self.context_width :].tolist()]
            prods = [_wrap64(self.hashing_key * x * a[-1]) for x in a]
            seed = (min(prods) % _MOD) & 0xFFFFFFFF
        return _kernels()[1](np.uint64(seed), self.vocab_size, self.greenlist_size)


def _wrap64(x: int) -> int:
    x &= (1 << 64) - 1
    return x - (1 << 64) if x >= 1 << 63 else x


def hf_builtin_detector(
    tokenizer,
    *,
    vocab_size: int | None = None,
    greenlist_ratio: float = DEFAULT_GREENLIST_RATIO,
    hashing_key: int = DEFAULT_HASHING_KEY,
    seeding_scheme: str = "lefthash",
    context_width: int = 1,
    **detector_options,
):
    """A :class:`~watermark.detector.WatermarkDetector` for text from transformers' built-in
    ``WatermarkLogitsProcessor`` with these settings (``vocab_size`` defaults to the tokenizer's
    length; pass the model's ``config.vocab_size`` when it differs). ``detector_options``:
    threshold, min_tokens, ignore_repeated."""
    from .detector import WatermarkDetector

    lists = HFBuiltinGreenLists(
        vocab_size=len(tokenizer) if vocab_size is None else vocab_size,
        greenlist_ratio=greenlist_ratio,
        hashing_key=hashing_key,
        seeding_scheme=seeding_scheme,
        context_width=context_width,
    )
    return WatermarkDetector.from_green_lists(tokenizer, lists, **detector_options)


def model_vocab_size(model_dir=None) -> int | None:
    """``vocab_size`` from the model's config.json in ``model_dir`` (default: the bundled model's
    converted checkpoint), or None when there is none to read."""
    import json
    from pathlib import Path

    from .models import bundled_cache_dir

    try:
        d = Path(model_dir) if model_dir is not None else bundled_cache_dir()
        v = json.loads((d / "config.json").read_text(encoding="utf-8")).get("vocab_size")
    except (OSError, ValueError, AttributeError, WatermarkError):
        return None
    return v if isinstance(v, int) and not isinstance(v, bool) and v >= 2 else None
