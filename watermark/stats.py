"""Exact binomial tail p-values, z-scores and multiple-testing corrections.

Under the null (text not made with this key), each scored token is green with probability
gamma, independently once repeated (seed, token) pairs are removed; so the green count is
Binomial(n, gamma) and the p-value is its exact upper tail. The normal approximation is
reported as a z-score beside it, never instead.
"""

from __future__ import annotations

import math

import numpy as np


def binomial_sf(k, n, p):
    """P(X >= k) for X ~ Binomial(n, p), exact (regularized incomplete beta); vectorized."""
    from scipy import special  # here, not at the top: `detect_watermark --help` needs no scipy

    k = np.asarray(k, dtype=np.float64)
    n = np.asarray(n, dtype=np.float64)
    safe_k = np.maximum(k, 1.0)
    out = special.betainc(safe_k, np.maximum(n - safe_k + 1.0, 1e-300), p)
    out = np.where(k <= 0, 1.0, np.where(k > n, 0.0, out))
    return out if out.ndim else float(out)


def z_score(k, n, p):
    """(k - n p) / sqrt(n p (1-p)); 0 where n is 0."""
    if np.ndim(k) == 0 and np.ndim(n) == 0:  # scalar fast path (one detection result)
        return (float(k) - float(n) * p) / math.sqrt(float(n) * p * (1 - p)) if n > 0 else 0.0
    k = np.asarray(k, dtype=np.float64)
    n = np.asarray(n, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(n > 0, (k - n * p) / np.sqrt(np.maximum(n, 1) * p * (1 - p)), 0.0)
    return z if z.ndim else float(z)


def bonferroni(p, m: int):
    """p-value corrected for the smallest of m tests (windows searched, keys tried)."""
    return (
        np.minimum(1.0, np.asarray(p, dtype=np.float64) * max(int(m), 1))
        if np.ndim(p)
        else min(1.0, float(p) * max(int(m), 1))
    )
