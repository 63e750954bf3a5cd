"""Choosing the span statistic on SIMULATED sequences (never on benchmark texts).

i.i.d. Bernoulli(gamma) scored tokens (the null), and the same with planted watermarked spans
whose green rate p1 is drawn per span (uniform in [0.45, 0.7] unless fixed). Each candidate's
critical value at alpha comes from its own Monte-Carlo null at the same n; power is the share of
planted sequences above it. Candidates: the windowed max signed-root LR of ``watermark.scan``
(min_len 16 / 24 / 32), the sum of the top-3 disjoint window LRs (greedy, min_len 16), and the
HMM marginal likelihood ratio of ``watermark.scan_hmm`` (max over prefixes, and final) for a few
(enter, leave, rates) settings.

    python benchmarks/scan_choice.py [--n 400] [--null 20000] [--power 2000]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from watermark import scan as S  # noqa: E402
from watermark import scan_hmm as H  # noqa: E402

GAMMA = 0.25
HMM_SETTINGS = (  # (enter, leave, green rates of the watermarked states)
    (1 / 400, 1 / 40, (0.45, 0.55, 0.65, 0.8)),
    (1 / 400, 1 / 60, (0.4, 0.5, 0.6, 0.7)),
    (1 / 400, 1 / 80, (0.4, 0.5, 0.6, 0.7)),  # the choice (watermark.scan_hmm)
    (1 / 250, 1 / 60, (0.4, 0.5, 0.6, 0.7)),
    (1 / 400, 1 / 60, (0.35, 0.45, 0.55, 0.65, 0.75)),
    (1 / 400, 1 / 40, (0.6,)),
)
TOPK = True  # the greedy top-3 sum is slow (O(n^2) per window found)


@S._njit
def _best_window(cum, a, b, lo, gamma):
    """(lr, start, length) of the best window of >= lo tokens inside [a, b)."""
    best, bs, bl = 0.0, a, 0
    for e in range(a + lo, b + 1):
        for s in range(a, e - lo + 1):
            v = S._lr(cum[e] - cum[s], e - s, gamma)
            if v > best:
                best, bs, bl = v, s, e - s
    return best, bs, bl


@S._njit
def _topk_sum(g, lo, gamma, k):
    n = g.size
    cum = np.zeros(n + 1, dtype=np.int64)
    for i in range(n):
        cum[i + 1] = cum[i] + g[i]
    segs = [(0, n)]
    total = 0.0
    for _ in range(k):
        bt, bi, bs, bl = 0.0, -1, 0, 0
        for i in range(len(segs)):
            a, b = segs[i]
            if b - a >= lo:
                t, s, ln = _best_window(cum, a, b, lo, gamma)
                if t > bt:
                    bt, bi, bs, bl = t, i, s, ln
        if bi < 0:
            break
        total += bt
        a, b = segs.pop(bi)
        segs.append((a, bs))
        segs.append((bs + bl, b))
    return total


def maxlr(g, lo):
    M = S._max_sums(g.astype(np.int32), lo, g.size)
    return S._best(M, lo, g.size, GAMMA)[0]


def planted(n, spans, rng, p1=None):
    """A null sequence with ``spans`` (list of lengths) planted at random disjoint places."""
    g = (rng.random(n) < GAMMA).astype(np.int8)
    free = n - sum(spans)
    cuts = np.sort(rng.choice(free + 1, len(spans), replace=True))
    pos, off = [], 0
    for c, L in zip(cuts, spans):
        pos.append(c + off)
        off += L
    for s, L in zip(pos, spans):
        p = rng.uniform(0.45, 0.7) if p1 is None else p1
        g[s : s + L] = rng.random(L) < p
    return g


def candidates():
    out = {f"maxLR m{m}": (lambda g, m=m: maxlr(g, m)) for m in (16, 24, 32)}
    if TOPK:
        out["top3 sum m16"] = lambda g: _topk_sum(g.astype(np.int32), 16, GAMMA, 3)
    for enter, leave, rates in HMM_SETTINGS:
        r = np.array(rates)
        name = f"HMM a1/{round(1 / enter)} b1/{round(1 / leave)} K{len(rates)}"
        out[name + " sup"] = lambda g, e=enter, b=leave, r=r: H._sup_stats(g, GAMMA, e, b, r)[1]
        out[name + " end"] = lambda g, e=enter, b=leave, r=r: H._sup_stats(g, GAMMA, e, b, r)[0]
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument("--null", type=int, default=20_000)
    ap.add_argument("--power", type=int, default=2000)
    ap.add_argument("--alpha", type=float, default=1e-3)
    ap.add_argument("--no-topk", action="store_true", help="skip the slow top-3 sum")
    a = ap.parse_args(argv)
    global TOPK
    TOPK = not a.no_topk
    n = a.n
    settings = {
        "1 x 10% (40)": [n // 10],
        "1 x 25% (100)": [n // 4],
        "3 x 25% (3 x 33)": [n // 12] * 3,
        "1 x 20 tokens": [20],
        "1 x 40 @ p1 0.5": ([n // 10], 0.5),
        "whole text": [n],
    }
    cands = candidates()
    rng = np.random.default_rng(1)
    nulls = (rng.random((a.null, n)) < GAMMA).astype(np.int8)
    pos = {}
    for name, spec in settings.items():
        spans, p1 = spec if isinstance(spec, tuple) else (spec, None)
        if name == "whole text":
            pos[name] = [
                (rng.random(n) < rng.uniform(0.3, 0.38)).astype(np.int8) for _ in range(a.power)
            ]
        else:
            pos[name] = [planted(n, spans, rng, p1) for _ in range(a.power)]
    rows = {}
    for cname, f in cands.items():
        t0 = time.time()
        sn = np.array([f(x) for x in nulls])
        crit = np.quantile(sn, 1 - a.alpha, method="higher")
        rows[cname] = [float(np.mean(np.array([f(x) for x in pos[s]]) > crit)) for s in settings]
        print(
            f"{cname:32s}",
            " ".join(f"{v:5.3f}" for v in rows[cname]),
            f"({time.time() - t0:.0f}s)",
            flush=True,
        )
    print("\nTPR at alpha", a.alpha, "n", n, "| null sims", a.null, "| power sims", a.power)
    print(f"{'candidate':32s}", " | ".join(settings))
    for cname, r in rows.items():
        print(f"{cname:32s}", "  ".join(f"{v:5.3f}" for v in r))


if __name__ == "__main__":
    main()
