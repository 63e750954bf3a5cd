"""Detection power and calibration: TPR at nominal FPR 1e-2 / 1e-3 vs text length T.

SmolLM2 samples (temperature 0.7, top-k 50, min_new_tokens = max_new_tokens) for each prompt of
benchmarks/prompts.jsonl, watermarked by ours (lefthash h=1 and selfhash h=1) and by transformers'
built-in KGW processor (lefthash h=1) over a (gamma, delta) grid; each output is truncated to its
first T tokens. Positives are flagged when p < alpha: ours with its exact binomial p, the built-in
with its normal-approximation p. Negatives: chunks of human text (paragraphs of
``pydoc_data.topics``) and unwatermarked outputs of the same prompts; the empirical FPR at the
nominal alpha is reported (calibration). An FPR is resolved only down to 1/N negatives.

    python benchmarks/power.py [--quick] [--results-dir DIR]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import generations as G  # noqa: E402
from common import pyplot, write  # noqa: E402

ALPHAS = (1e-2, 1e-3)
ALL_T = (25, 50, 100, 200)


def auc(pos, neg) -> float | None:
    from sklearn.metrics import roc_auc_score

    pos, neg = np.asarray(pos, float), np.asarray(neg, float)
    if not len(pos) or not len(neg):
        return None
    return float(roc_auc_score(np.r_[np.ones(len(pos)), np.zeros(len(neg))], np.r_[pos, neg]))


def rate(p, alpha) -> float:
    p = np.asarray(p, float)
    return float((p < alpha).mean()) if p.size else float("nan")


P_VALUE = {
    "ours": "exact binomial",
    "builtin": "normal approximation (the built-in detector's own)",
    "builtin-exactp": "exact binomial on the built-in detector's green and scored counts",
}


def pvalues(impl: str, ids_list, gamma: float, scheme: str) -> dict:
    """{detector label: (p, z)}: ours; for the built-in its own p and the exact binomial p of its counts."""
    if impl == "ours":
        return {"ours": G.our_pvalues(ids_list, gamma, scheme)}
    p, z, pe = G.builtin_pvalues(ids_list, gamma, scheme, exact=True)
    return {"builtin": (p, z), "builtin-exactp": (pe, z)}


def parse_args(argv=None):
    ap = G.bench_parser(__doc__)
    ap.add_argument(
        "--gammas", type=float, nargs="+", default=None, help="default 0.25 0.5 (quick: 0.25)"
    )
    ap.add_argument(
        "--deltas", type=float, nargs="+", default=None, help="default 1 2 4 (quick: 2)"
    )
    ap.add_argument(
        "--other-deltas",
        type=float,
        nargs="+",
        default=None,
        help="deltas for the impls other than ours-lefthash (default: --deltas)",
    )
    ap.add_argument(
        "--impls",
        nargs="+",
        default=None,
        help="of ours-lefthash ours-selfhash builtin-lefthash (default all; quick: no selfhash)",
    )
    ap.add_argument(
        "--impl-gammas",
        nargs="+",
        default=[],
        metavar="IMPL=G[,G...]",
        help="run an implementation at these gammas only, e.g. ours-selfhash=0.25 (default: --gammas)",
    )
    ap.add_argument(
        "--human", type=int, default=None, help="human negatives for ours (default 2000; quick 200)"
    )
    ap.add_argument(
        "--human-builtin",
        type=int,
        default=None,
        help="human negatives for the built-in detector, which is slow (default 300; quick 50)",
    )
    ap.add_argument(
        "--only-cached",
        action="store_true",
        help="use only the watermarked configurations already in the cache (no new generation)",
    )
    a = G.parse_sizes(ap, argv)
    q = a.quick
    a.gammas = a.gammas or ([0.25] if q else [0.25, 0.5])
    a.deltas = a.deltas or ([2.0] if q else [1.0, 2.0, 4.0])
    a.other_deltas = a.other_deltas or a.deltas
    a.impls = a.impls or (
        ["ours-lefthash", "builtin-lefthash"]
        if q
        else ["ours-lefthash", "ours-selfhash", "builtin-lefthash"]
    )
    a.impl_gammas = _impl_gammas(ap, a.impl_gammas, a.impls)
    a.human = a.human or (200 if q else 2000)
    a.human_builtin = a.human_builtin or (50 if q else 300)
    return a


def _impl_gammas(ap, items: list[str], impls: list[str]) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    for item in items:
        impl, sep, gs = item.partition("=")
        if not sep or impl not in impls:
            ap.error(
                f"--impl-gammas {item!r}: use IMPL=G[,G...] with IMPL one of {' '.join(impls)}"
            )
        try:
            out[impl] = [float(g) for g in gs.split(",")]
        except ValueError:
            ap.error(f"--impl-gammas {item!r}: gammas must be numbers")
    return out


def main(argv=None) -> dict:
    a = parse_args(argv)
    t_start = time.time()
    _, tok = G.model_and_tokenizer()
    Ts = [t for t in ALL_T if t <= a.new_tokens] or [a.new_tokens]
    tmax = max(Ts)
    human = G.human_chunks(tok, tmax, limit=a.human)
    unwm = G.get(
        G.GenSpec("none", n_prompts=a.n_prompts, new_tokens=a.new_tokens),
        cache_dir=a.cache_dir,
        batch_size=a.batch_size,
    )["ids"]
    rows, calib = [], []
    neg_cache: dict = {}
    gen_seconds = {"unwatermarked": None}
    for impl_scheme in a.impls:
        impl, scheme = impl_scheme.split("-")
        for gamma in a.impl_gammas.get(impl_scheme, a.gammas):
            for T in Ts:  # negatives depend on (impl, scheme, gamma, T) only
                hum = human if impl == "ours" else human[: a.human_builtin]
                by_h = pvalues(impl, [x[:T] for x in hum], gamma, scheme)
                by_u = pvalues(impl, [x[:T] for x in unwm], gamma, scheme)
                for det, (ph, zh) in by_h.items():
                    pu, zu = by_u[det]
                    neg_cache[(det, scheme, gamma, T)] = (ph, zh, pu, zu)
                    calib.append(
                        {
                            "impl": det,
                            "scheme": scheme,
                            "gamma": gamma,
                            "T": T,
                            "p_value": P_VALUE[det],
                            "n_human": len(ph),
                            "n_unwatermarked": len(pu),
                            **{f"fpr_human@{al:g}": rate(ph, al) for al in ALPHAS},
                            **{f"fpr_unwatermarked@{al:g}": rate(pu, al) for al in ALPHAS},
                            "human_z_mean": float(np.mean(zh)),
                            "human_z_std": float(np.std(zh)),
                            "unwatermarked_z_mean": float(np.mean(zu)),
                            "unwatermarked_z_std": float(np.std(zu)),
                        }
                    )
            for delta in a.deltas if impl_scheme == "ours-lefthash" else a.other_deltas:
                spec = G.GenSpec(impl, gamma, delta, scheme, 1, a.n_prompts, a.new_tokens)
                if a.only_cached and not spec.cache_path(a.cache_dir).is_file():
                    print(f"{spec.label}: not in the cache, skipped (--only-cached)", flush=True)
                    continue
                data = G.get(spec, cache_dir=a.cache_dir, batch_size=a.batch_size)
                gen_seconds[spec.label] = data.get("seconds")
                n_before = len(rows)
                for T in Ts:
                    for det, (pp, zp) in pvalues(
                        impl, [x[:T] for x in data["ids"]], gamma, scheme
                    ).items():
                        ph, zh, pu, zu = neg_cache[(det, scheme, gamma, T)]
                        rows.append(
                            {
                                "impl": det,
                                "scheme": scheme,
                                "gamma": gamma,
                                "delta": delta,
                                "T": T,
                                "p_value": P_VALUE[det],
                                "n_pos": len(pp),
                                **{f"tpr@{al:g}": rate(pp, al) for al in ALPHAS},
                                "z_median": float(np.median(zp)),
                                "z_mean": float(np.mean(zp)),
                                "auc_vs_human": auc(zp, zh),
                                "auc_vs_unwatermarked": auc(zp, zu),
                                "auc_vs_all": auc(zp, np.r_[zh, zu]),
                            }
                        )
                print(
                    f"{spec.label}: "
                    + ", ".join(
                        f"{r['impl']} T={r['T']} TPR@1e-3={r['tpr@0.001']:.2f}"
                        for r in rows[n_before:]
                    ),
                    flush=True,
                )
    settings = {
        "quick": a.quick,
        "full_spec": (not a.quick and a.n_prompts >= 200 and a.new_tokens >= 200),
        "n_prompts": a.n_prompts,
        "new_tokens": a.new_tokens,
        "T": Ts,
        "gammas": a.gammas,
        "deltas": a.deltas,
        "other_deltas": a.other_deltas,
        "impl_gammas": a.impl_gammas,
        "impls": a.impls,
        "context_width": 1,
        "alphas": list(ALPHAS),
        "sampling": {
            "temperature": G.TEMPERATURE,
            "top_k": G.TOP_K,
            "min_new_tokens": a.new_tokens,
        },
        "human_negatives": {
            "source": "pydoc_data.topics paragraphs, non-overlapping chunks of "
            f"{tmax} tokens truncated to T",
            "n_ours": len(human),
            "n_builtin": min(len(human), a.human_builtin),
        },
        "fpr_resolution": {
            "human_ours": 1 / max(len(human), 1),
            "human_builtin": 1 / max(min(len(human), a.human_builtin), 1),
            "unwatermarked": 1 / max(len(unwm), 1),
        },
        "note": "TPR/FPR are rates of p < alpha at the nominal alpha; an FPR of 0 means "
        "< 1/N for N negatives. Processors run on raw logits before temperature 0.7, "
        "so the effective bias is delta/0.7 for ours and the built-in alike. 'builtin' rows use "
        "the built-in detector's normal-approximation p; 'builtin-exactp' rows score the same "
        "outputs (same green counts) with the exact binomial p, as ours does, so they compare "
        "the two watermarks under one p-value.",
        "only_cached": a.only_cached,
        "generation_seconds": gen_seconds,
        "wall_s": time.time() - t_start,
    }
    results = {"rows": rows, "calibration": calib}
    out = write("power", settings, results, results_dir=a.results_dir)
    plot(rows, calib, Ts, out.with_suffix(".png"))
    print(f"wrote {out} in {time.time() - t_start:.0f}s")
    return results


def plot(rows, calib, Ts, path: Path) -> None:
    plt = pyplot()

    fig, axes = plt.subplots(1, 3, figsize=(16, 4.8))
    for ax, al in zip(axes[:2], ALPHAS):
        combos = sorted({(r["impl"], r["scheme"], r["gamma"], r["delta"]) for r in rows})
        for impl, scheme, g, d in combos:
            rs = sorted(
                (
                    r
                    for r in rows
                    if (r["impl"], r["scheme"], r["gamma"], r["delta"]) == (impl, scheme, g, d)
                ),
                key=lambda r: r["T"],
            )
            ax.plot(
                [r["T"] for r in rs],
                [r[f"tpr@{al:g}"] for r in rs],
                marker="o",
                ls={"ours": "-", "builtin": "--"}.get(impl, ":"),
                label=f"{impl} {scheme} g={g} d={d:g}",
            )
        ax.set_xscale("log")
        ax.minorticks_off()
        ax.set_xticks(Ts)
        ax.set_xticklabels([str(t) for t in Ts])
        ax.set_ylim(-0.03, 1.03)
        ax.set_xlabel("tokens T")
        ax.set_ylabel(f"TPR at nominal p < {al:g}")
        ax.set_title(f"Detection power, alpha={al:g}")
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=6, ncol=2)
    ax = axes[2]
    labels, vals = [], []
    for c in calib:
        if c["T"] != max(Ts):
            continue
        for src in ("human", "unwatermarked"):
            for al in ALPHAS:
                labels.append(f"{c['impl']}-{c['scheme'][:4]} g{c['gamma']} {src[:5]} @{al:g}")
                vals.append(c[f"fpr_{src}@{al:g}"] / al)
    ax.barh(range(len(vals)), vals)
    ax.axvline(1.0, color="k", ls=":")
    ax.set_yticks(range(len(vals)))
    ax.set_yticklabels(labels, fontsize=6)
    ax.set_xlabel("empirical FPR / nominal alpha (1 = calibrated)")
    ax.set_title(f"Calibration at T={max(Ts)}")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


if __name__ == "__main__":
    main()
