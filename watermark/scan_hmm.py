"""Hidden-Markov span statistic: evidence for watermarked stretches summed over every placement.

Input: the 0/1 green indicators of one text's scored tokens (n of them, after repeat removal,
exactly as :class:`~watermark.detector.WatermarkDetector` scores them). The alternative is a
two-level hidden Markov chain: a background state emitting Bernoulli(gamma) (human text) and K
watermarked states emitting Bernoulli(p_k) (the green rate of pasted watermarked text varies with
its entropy, so the rate is mixed over a small grid). Each token the chain enters a watermarked
state with probability ``enter`` (split equally over the K rates) and leaves it with probability
``leave`` (expected stretch length 1 / leave). The forward algorithm gives, in O(n K), the
marginal likelihood ratio of every prefix,

    LR_t = P_HMM(x_1..x_t) / P_null(x_1..x_t),   null: i.i.d. Bernoulli(gamma),

which sums the evidence over all span placements, lengths, rates and numbers of spans. The
statistic is S = max_t log LR_t.

Null distribution. Under the null (LR_t) is a nonnegative martingale with mean 1 (a ratio of two
proper probability measures), so by Ville's inequality P(S >= log(1/alpha)) <= alpha for ANY n:
``exp(-S)`` is a valid p-value on its own. It is conservative in the body, so S is also
simulated under the null (Monte-Carlo, per n bucket, tabulated as in :mod:`watermark.scan`): S
over a prefix can only be smaller than over the whole sequence, so a text of n scored tokens uses
the smallest bucket >= n (the safe direction), and flooring S to the bin grid only adds counts.
p = MC p ``(1 + #{S_sim >= s}) / (1 + N)`` where simulated values reach s; beyond them (or beyond
the table, n > n_max) ``min(1 / (1 + N), exp(-S))`` resp. ``exp(-S)`` (Ville), both valid.

Spans: the stretches whose posterior probability of a watermarked state (forward-backward over
the whole text) exceeds 1/2, each trimmed to its best-LR window (the posterior's edges run a few
tokens into the human text around a span); each carries the text's p-value (the test is "some
span is watermarked"; the posterior only says where).

Which statistic (``benchmarks/scan_choice.py``: simulated i.i.d. Bernoulli(0.25) sequences,
never benchmark texts; n = 400; critical values from each candidate's own 40,000 null sequences;
power from 2,000 sequences with planted spans whose green rate p1 is drawn per span uniformly
in [0.45, 0.7] unless fixed; "whole text": every token at a rate drawn in [0.3, 0.38]; TPR at
alpha = 1e-3, standard error about 0.011 at 0.5)::

    candidate                         1x40   1x100  3x33   1x20   1x40@0.5  whole
    max LR, min_len 16 (watermark.scan) 0.572  0.929  0.876  0.159  0.245     0.451
    max LR, min_len 24                0.568  0.929  0.872  0.108  0.234     0.450
    max LR, min_len 32                0.583  0.935  0.869  0.079  0.239     0.466
    top-3 disjoint window LRs, summed 0.279  0.703  0.770  0.070  0.087     0.085
    HMM 1/400, 1/40, K4 (.45-.8) sup  0.555  0.905  0.900  0.152  0.229     0.280
    HMM 1/400, 1/60, K4 (.4-.7) sup   0.577  0.925  0.913  0.159  0.253     0.371
    HMM 1/400, 1/80, K4 (.4-.7) sup   0.578  0.930  0.911  0.153  0.255     0.394   <- chosen
    HMM 1/400, 1/80, K4 (.4-.7) end   0.547  0.935  0.916  0.108  0.226     0.464
    HMM 1/250, 1/60, K4 (.4-.7) sup   0.574  0.927  0.921  0.155  0.247     0.392
    HMM 1/400, 1/40, K1 (0.6) sup     0.580  0.900  0.911  0.150  0.259     0.220

(HMM enter, leave, rates; "sup" = max over prefixes of log LR, "end" = log LR of the whole
sequence, calibrated per exact n in the simulation.) The HMM gains where evidence is spread
over several spans (3 x 33: +0.035 over the max-LR scan) and matches it on one span (within the
standard error); it loses on a faint whole-text watermark, which the whole-text test covers.
"sup" beats "end" on short spans and, being monotone in n, is calibrated safely by n buckets
and bounded by Ville's inequality. The top-k sum pays for k maxima under the null. The gains
are small: the distance to an oracle told where the span is comes from not knowing where, which
no statistic removes.
"""

from __future__ import annotations

import math
import os
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .errors import WatermarkError
from .scan import DATA_DIR, Window, buckets

ENTER = 1.0 / 400  # per-token probability of entering a watermarked stretch
LEAVE = 1.0 / 80  # per-token probability of leaving it (mean stretch 80 scored tokens)
RATES = (0.4, 0.5, 0.6, 0.7)  # green rates of the watermarked states (gamma 0.25)
MIN_TOKENS = 16  # fewer scored tokens: "too short" (as the max-LR scan)
TABLE_MAX_N = 2048
DEFAULT_SIMS = 200_000
CACHE_SIMS = 50_000
BIN = 0.01  # S tabulated floored to this grid
N_BINS = 3000  # S >= 29.99 all fall into the last bin
TABLE_VERSION = 1

try:  # numba is a pinned dependency (watermark.fastpath)
    import numba

    _njit = numba.njit(cache=True, nogil=True)
except Exception:  # noqa: BLE001 - any import problem: plain Python (slow, correct)
    numba = None

    def _njit(f):
        return f


@dataclass
class HMMScanResult:
    """One text: p-value that some span is watermarked, S, the posterior stretches."""

    p_value: float
    statistic: float  # S = max_t log LR_t
    num_scored: int
    windows: list[Window] = field(default_factory=list)  # posterior > 1/2 stretches, best first
    method: str = "table"  # "table", "ville" (n > table) or "too short"
    posterior: np.ndarray | None = None  # P(watermarked state at token i | all tokens)


# ---- numba kernels ----------------------------------------------------------------------------


@_njit
def _ratios(gamma, rates):
    """Per-state likelihood ratios of a green (r1) and a red (r0) token against the null."""
    K = rates.size
    r1 = np.empty(K)
    r0 = np.empty(K)
    for k in range(K):
        r1[k] = rates[k] / gamma
        r0[k] = (1.0 - rates[k]) / (1.0 - gamma)
    return r1, r0


@_njit
def _step(a, u, green, r1, r0, enter, leave):
    """One scaled forward step in place: ``a`` (state probabilities) after one more token
    (``green`` or red); returns the step's scale, whose log adds to log LR."""
    K = r1.size
    w = 0.0
    for k in range(K):
        w += a[k + 1]
    u[0] = a[0] * (1.0 - enter) + leave * w
    s = u[0]
    for k in range(K):
        e = r1[k] if green else r0[k]
        u[k + 1] = (a[0] * enter / K + a[k + 1] * (1.0 - leave)) * e
        s += u[k + 1]
    for j in range(K + 1):
        a[j] = u[j] / s
    return s


@_njit
def _forward(g, gamma, enter, leave, rates, alphas):
    """Scaled forward pass; fills alphas[t] (normalized state probabilities after token t) and
    returns (log LR of the whole sequence, max over prefixes of log LR, log scale per token)."""
    n = g.size
    r1, r0 = _ratios(gamma, rates)
    a = np.zeros(rates.size + 1)
    a[0] = 1.0
    u = np.empty(rates.size + 1)
    logs = np.empty(n)
    total = 0.0
    best = 0.0
    for t in range(n):
        ls = math.log(_step(a, u, g[t], r1, r0, enter, leave))
        alphas[t, :] = a
        logs[t] = ls
        total += ls
        if total > best:
            best = total
    return total, best, logs


@_njit
def _sup_stats(g, gamma, enter, leave, rates):
    """(log LR of the whole sequence, max over prefixes of log LR) without storing alphas."""
    r1, r0 = _ratios(gamma, rates)
    a = np.zeros(rates.size + 1)
    a[0] = 1.0
    u = np.empty(rates.size + 1)
    total = 0.0
    best = 0.0
    for t in range(g.size):
        total += math.log(_step(a, u, g[t], r1, r0, enter, leave))
        if total > best:
            best = total
    return total, best


@_njit
def _posterior(g, gamma, enter, leave, rates, alphas, logs):
    """P(some watermarked state at token t | whole sequence), by the scaled backward pass."""
    n = g.size
    K = rates.size
    r1, r0 = _ratios(gamma, rates)
    beta = np.ones(K + 1)
    nb = np.empty(K + 1)
    post = np.empty(n)
    for t in range(n - 1, -1, -1):
        w = 0.0
        for k in range(K):
            w += alphas[t, k + 1] * beta[k + 1]
        post[t] = w / (w + alphas[t, 0] * beta[0])
        if t == 0:
            break
        s = math.exp(logs[t])
        # beta_{t-1}(i) = sum_j A_ij e_j(x_t) beta_t(j) / s_t
        eb = 0.0
        for k in range(K):
            e = r1[k] if g[t] else r0[k]
            eb += (enter / K) * e * beta[k + 1]
        nb[0] = ((1.0 - enter) * beta[0] + eb) / s
        for k in range(K):
            e = r1[k] if g[t] else r0[k]
            nb[k + 1] = (leave * beta[0] + (1.0 - leave) * e * beta[k + 1]) / s
        for j in range(K + 1):
            beta[j] = nb[j]
    return post


@_njit
def _simulate(n_max, bks, n_sims, gamma, enter, leave, rates, seed, counts, bin_width):
    """Add n_sims null sequences of length n_max to counts[bucket, bin]: S over each prefix of
    length bks[b], floored to bin_width."""
    np.random.seed(seed)
    r1, r0 = _ratios(gamma, rates)
    a = np.zeros(rates.size + 1)
    u = np.empty(rates.size + 1)
    nbk = bks.size
    top = counts.shape[1] - 1
    for _ in range(n_sims):
        a[:] = 0.0
        a[0] = 1.0
        total = 0.0
        best = 0.0
        b = 0
        for t in range(n_max):
            x = np.random.random() < gamma
            total += math.log(_step(a, u, x, r1, r0, enter, leave))
            if total > best:
                best = total
            while b < nbk and bks[b] == t + 1:
                j = int(math.floor(best / bin_width))
                counts[b, min(max(j, 0), top)] += 1
                b += 1


# ---- the null table ---------------------------------------------------------------------------


@dataclass
class HMMNullTable:
    """Simulated null distribution of S per n bucket: survival counts on the BIN grid."""

    gamma: float
    n_max: int
    n_sims: int
    buckets: np.ndarray  # int64[B]
    surv: np.ndarray  # int64[B, N_BINS]: #sims with floor(S / BIN) >= j

    @classmethod
    def simulate(
        cls,
        gamma: float,
        n_max: int = TABLE_MAX_N,
        n_sims: int = CACHE_SIMS,
        *,
        seed: int = 20261129,
        progress: bool = True,
    ) -> HMMNullTable:
        """Simulate the table (n_sims null sequences of length n_max; a progress bar on stderr)."""
        bk = buckets(MIN_TOKENS, n_max)
        counts = np.zeros((bk.size, N_BINS), dtype=np.int64)
        rates = np.asarray(rates_for(gamma), dtype=np.float64)
        bar = None
        if progress:
            from tqdm import tqdm

            bar = tqdm(
                total=n_sims,
                desc=f"HMM scan null table (gamma {gamma:g})",
                unit="seq",
                file=sys.stderr,
                leave=False,
            )
        done, chunk = 0, 2000
        while done < n_sims:
            m = min(chunk, n_sims - done)
            _simulate(n_max, bk, m, float(gamma), ENTER, LEAVE, rates, seed + done, counts, BIN)
            done += m
            if bar is not None:
                bar.update(m)
        if bar is not None:
            bar.close()
        surv = np.cumsum(counts[:, ::-1], axis=1)[:, ::-1]
        return cls(float(gamma), int(n_max), int(n_sims), bk, surv)

    def save(self, path: Path) -> None:
        """Atomic write of the per-bin counts (compressed)."""
        counts = np.diff(self.surv[:, ::-1], axis=1, prepend=0)[:, ::-1]
        last = int(np.max(np.nonzero(counts.any(axis=0))[0])) + 1
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp.npz")
        os.close(fd)
        np.savez_compressed(
            tmp,
            version=TABLE_VERSION,
            gamma=self.gamma,
            n_max=self.n_max,
            n_sims=self.n_sims,
            bin=BIN,
            params=np.array([ENTER, LEAVE, *rates_for(self.gamma)]),
            buckets=self.buckets,
            counts=counts[:, :last].astype(np.uint32),
        )
        os.chmod(tmp, 0o644)  # a table, not a secret
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> HMMNullTable:
        with np.load(path) as z:
            if int(z["version"]) != TABLE_VERSION or float(z["bin"]) != BIN:
                raise ValueError(f"{path}: table version {int(z['version'])}")
            gamma = float(z["gamma"])
            if not np.allclose(z["params"], [ENTER, LEAVE, *rates_for(gamma)], rtol=0, atol=0):
                raise ValueError(f"{path}: made for other HMM parameters")
            counts = np.zeros((z["buckets"].size, N_BINS), dtype=np.int64)
            counts[:, : z["counts"].shape[1]] = z["counts"]
            return cls(
                gamma,
                int(z["n_max"]),
                int(z["n_sims"]),
                z["buckets"].astype(np.int64),
                np.cumsum(counts[:, ::-1], axis=1)[:, ::-1],
            )

    def p_value(self, s: float, n: int) -> float:
        """P(S >= s) for n <= n_max scored tokens: the Monte-Carlo p of the smallest bucket >= n,
        or beyond every simulated value min(1 / (1 + N), exp(-s)) (Ville)."""
        if n > self.n_max:
            raise ValueError(f"n={n} exceeds the table ({self.n_max})")
        b = int(np.searchsorted(self.buckets, max(n, MIN_TOKENS)))
        j = min(max(int(math.floor(s / BIN)), 0), N_BINS - 1)
        hits = int(self.surv[b, j])
        if hits:
            return (1.0 + hits) / (1.0 + self.n_sims)
        return min(1.0 / (1.0 + self.n_sims), ville(s))


def ville(s: float) -> float:
    """P(max_t LR_t >= e^s) <= e^-s under the null (Ville's inequality)."""
    return float(min(1.0, math.exp(-s)))


def rates_for(gamma: float) -> tuple[float, ...]:
    """The watermarked green rates mixed over: RATES for gamma 0.25, else the same share of the
    room above gamma (r - 0.25) / 0.75 of the way from gamma to 1."""
    if float(gamma) == 0.25:
        return RATES
    return tuple(round(gamma + (r - 0.25) / 0.75 * (1.0 - gamma), 6) for r in RATES)


_TABLES: dict[float, HMMNullTable] = {}
_TABLES_LOCK = threading.Lock()


def table_name(gamma: float) -> str:
    return f"scan-hmm-null-g{float(gamma)!r}-v{TABLE_VERSION}.npz"


def null_table(gamma: float, *, progress: bool = True) -> HMMNullTable:
    """The null table for gamma: shipped, cached on disk, or simulated now (once)."""
    from .scan import cache_dir

    key = float(gamma)
    with _TABLES_LOCK:
        if key in _TABLES:
            return _TABLES[key]
        name = table_name(key)
        for path in (DATA_DIR / name, cache_dir() / name):
            if path.is_file():
                try:
                    tab = HMMNullTable.load(path)
                except (OSError, ValueError, KeyError):
                    continue  # unreadable or other parameters: simulate it again
                if tab.gamma == key:
                    _TABLES[key] = tab
                    return tab
        tab = HMMNullTable.simulate(key, TABLE_MAX_N, CACHE_SIMS, progress=progress)
        try:
            tab.save(cache_dir() / name)
        except OSError:
            pass  # read-only cache: keep it in memory for this process
        _TABLES[key] = tab
        return tab


# ---- the scan -----------------------------------------------------------------------------------


def _stretches(post: np.ndarray) -> list[tuple[int, int]]:
    """Maximal runs [a, b) with posterior > 1/2."""
    on = np.concatenate([[False], post > 0.5, [False]])
    d = np.diff(on.astype(np.int8))
    return list(zip(np.nonzero(d == 1)[0].tolist(), np.nonzero(d == -1)[0].tolist()))


@_njit
def _trim(cum, a, b, lo, edge, gamma):
    """The window [s, e) with the largest signed-root LR among s in [a, a + edge) and e in
    (b - edge, b], e - s >= lo: O(edge^2) whatever the stretch's length."""
    best = 0.0
    bs, be = a, b
    for s in range(a, min(a + edge, b)):
        for e in range(max(b - edge + 1, s + lo), b + 1):
            L = e - s
            q = (cum[e] - cum[s]) / L
            if q <= gamma:
                continue
            kl = q * math.log(q / gamma)
            if q < 1.0:
                kl += (1.0 - q) * math.log((1.0 - q) / (1.0 - gamma))
            v = 2.0 * L * kl
            if v > best:
                best, bs, be = v, s, e
    return bs, be


TRIM_EDGE = 64  # the posterior's edges are searched this many tokens inward for a sharp cut


def _core(cum: np.ndarray, a: int, b: int, gamma: float) -> tuple[int, int]:
    """Stretch [a, b) trimmed to its best window (at least min(MIN_TOKENS, b - a) tokens; start
    and end each within TRIM_EDGE of the stretch's): the posterior's edges are fuzzy (a few
    tokens of human text either side), this window's are sharp."""
    return _trim(cum, a, b, min(MIN_TOKENS, b - a), TRIM_EDGE, gamma)


def hmm_scan(
    green, gamma: float, *, max_windows: int = 3, table: HMMNullTable | None = None
) -> HMMScanResult:
    """The HMM span statistic of one text's 0/1 green indicators (scored tokens only).

    Returns the p-value that some stretch is watermarked (valid under i.i.d. Bernoulli(gamma)
    for every n), S, and up to ``max_windows`` stretches with posterior > 1/2, strongest first
    (by the signed-root LR of their green count), each trimmed to its best window. Fewer than
    MIN_TOKENS scored tokens: p-value 1, no stretch, method "too short".
    """
    from .scan import _lr

    g = np.asarray(green)
    if g.ndim != 1:
        raise WatermarkError(f"green must be a 1-D 0/1 sequence, got shape {g.shape}")
    if g.size and not np.isin(g, (0, 1)).all():
        raise WatermarkError("green must hold only 0 and 1 (scored tokens only)")
    if not 0.0 < float(gamma) < 1.0:
        raise WatermarkError(f"gamma={gamma!r} must lie strictly between 0 and 1")
    g = g.astype(np.int8)
    n = int(g.size)
    if n < MIN_TOKENS:
        return HMMScanResult(1.0, 0.0, n, [], "too short")
    rates = np.asarray(rates_for(gamma), dtype=np.float64)
    alphas = np.empty((n, rates.size + 1))
    _, s, logs = _forward(g, float(gamma), ENTER, LEAVE, rates, alphas)
    post = _posterior(g, float(gamma), ENTER, LEAVE, rates, alphas, logs)
    tab = table if table is not None else null_table(gamma)
    if tab.gamma != float(gamma):
        raise WatermarkError("the null table was made for another gamma")
    if n <= tab.n_max:
        p, method = tab.p_value(s, n), "table"
    else:
        p, method = ville(s), "ville"
    cum = np.concatenate([[0], np.cumsum(g, dtype=np.int64)])
    wins = []
    for a0, b0 in _stretches(post):
        a, b = _core(cum, a0, b0, float(gamma))
        k = int(cum[b] - cum[a])
        wins.append(Window(a, b, k, float(_lr(k, b - a, float(gamma))), float(p)))
    wins.sort(key=lambda w: -w.statistic)
    return HMMScanResult(float(p), float(s), n, wins[:max_windows], method, post)
