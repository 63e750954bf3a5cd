"""Robustness: detection after token edits, copy-paste into human text, and paraphrase.

Watermarked outputs (gamma 0.25, delta 2, lefthash h=1; ours and the built-in) from the shared
generation cache are attacked and re-scored:

* random token substitution, deletion and insertion at 10-50 % of the tokens (uniform random
  vocabulary ids, seeded); negatives (human chunks and unwatermarked outputs) get the same edit;
* copy-paste: one or three watermarked spans, together 10 % or 25 % of the length, inserted at
  random places in human text (pydoc_data.topics); negatives: the same construction with spans
  from unwatermarked outputs. Ours whole-text and windowed (``detect_spans``, Bonferroni-corrected
  over windows); the built-in has whole-text detection only;
* paraphrase: the bundled model (no watermark) is prompted to rewrite each watermarked answer;
  negatives: unwatermarked outputs and human chunks.

Reported: TPR at nominal p < 1e-3, the negatives' empirical FPR there, and AUC (sklearn
roc_auc_score on z; on -log p for windowed detection).

    python benchmarks/robustness.py [--quick] [--results-dir DIR]
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
from power import auc, rate  # noqa: E402

ALPHA = 1e-3
RATES = (0.1, 0.2, 0.3, 0.5)


def attack(ids, kind: str, p: float, rng: np.random.Generator, vocab: int) -> list[int]:
    x = np.asarray(ids, dtype=np.int64)
    if kind == "substitute":
        hit = rng.random(x.size) < p
        x = x.copy()
        x[hit] = rng.integers(0, vocab, int(hit.sum()))
        return x.tolist()
    if kind == "delete":
        return x[rng.random(x.size) >= p].tolist()
    if kind == "insert":
        out = []
        for t in x.tolist():
            out.append(t)
            if rng.random() < p:
                out.append(int(rng.integers(0, vocab)))
        return out
    raise ValueError(kind)


def splice(host: list[int], donor: list[int], n_spans: int, frac: float, rng) -> list[int]:
    """Put ``n_spans`` pieces of ``donor`` (together ``frac`` of the result) into ``host``."""
    total = len(host)
    w = max(n_spans, int(round(frac * total)))
    pieces = np.array_split(np.asarray(donor[:w]), n_spans)
    keep = host[: total - w]
    cuts = np.sort(rng.choice(np.arange(1, len(keep)), n_spans, replace=False))
    out, last = [], 0
    for c, piece in zip(cuts, pieces):
        out += keep[last:c] + piece.tolist()
        last = c
    return out + keep[last:]


def scores(impl: str, ids_list, *, windowed: bool = False):
    """(p, score-for-AUC) arrays."""
    if impl == "builtin":
        p, z = G.builtin_pvalues(ids_list, 0.25)
        return p, z
    if not windowed:
        p, z = G.our_pvalues(ids_list, 0.25)
        return p, z
    det = G.our_detector(0.25)
    p = np.array([det.detect_spans(np.asarray(x, dtype=np.int64)).p_value for x in ids_list])
    return p, -np.log10(np.maximum(p, 1e-300))


def summary(pp, sp, pn, sn) -> dict:
    return {
        "n_pos": len(pp),
        "n_neg": len(pn),
        "tpr@1e-3": rate(pp, ALPHA),
        "fpr@1e-3": rate(pn, ALPHA),
        "auc": auc(sp, sn),
    }


def parse_args(argv=None):
    ap = G.bench_parser(__doc__)
    ap.add_argument(
        "--human", type=int, default=None, help="human negatives (default 400; quick 40)"
    )
    ap.add_argument(
        "--human-builtin",
        type=int,
        default=None,
        help="human negatives for the slow built-in detector (default 100; quick 20)",
    )
    ap.add_argument("--n-paraphrase", type=int, default=None, help="default 64 (quick 4)")
    ap.add_argument(
        "--paraphrase-impls", nargs="+", default=None, help="default ours builtin (quick ours)"
    )
    ap.add_argument("--seed", type=int, default=7)
    a = G.parse_sizes(ap, argv)
    q = a.quick
    a.human = a.human or (40 if q else 400)
    a.human_builtin = a.human_builtin or (20 if q else 100)
    a.n_paraphrase = min(a.n_paraphrase or (4 if q else 64), a.n_prompts)
    a.paraphrase_impls = a.paraphrase_impls or (["ours"] if q else ["ours", "builtin"])
    return a


def main(argv=None) -> dict:
    a = parse_args(argv)
    t_start = time.time()
    model, tok = G.model_and_tokenizer()
    V = model.config.vocab_size
    T = a.new_tokens
    kw = dict(n_prompts=a.n_prompts, new_tokens=T)
    gen = {
        "ours": G.get(
            G.GenSpec("ours", 0.25, 2.0, **kw), cache_dir=a.cache_dir, batch_size=a.batch_size
        ),
        "builtin": G.get(
            G.GenSpec("builtin", 0.25, 2.0, **kw), cache_dir=a.cache_dir, batch_size=a.batch_size
        ),
    }
    unwm = G.get(G.GenSpec("none", **kw), cache_dir=a.cache_dir, batch_size=a.batch_size)["ids"]
    human = G.human_chunks(tok, T, limit=a.human)
    neg_base = {"ours": human + unwm, "builtin": human[: a.human_builtin] + unwm}

    # 1. token edits
    edits = []
    for impl in ("ours", "builtin"):
        pos_base = gen[impl]["ids"]
        p, s = scores(impl, pos_base)
        pn, sn = scores(impl, neg_base[impl])
        edits.append({"impl": impl, "attack": "none", "rate": 0.0, **summary(p, s, pn, sn)})
        for ki, kind in enumerate(("substitute", "delete", "insert")):
            for r in RATES:
                rng = np.random.default_rng([a.seed, int(r * 100), ki])
                pos = [attack(x, kind, r, rng, V) for x in pos_base]
                neg = [attack(x, kind, r, rng, V) for x in neg_base[impl]]
                p, s = scores(impl, pos)
                pn, sn = scores(impl, neg)
                edits.append({"impl": impl, "attack": kind, "rate": r, **summary(p, s, pn, sn)})
        print(
            f"edits {impl}: "
            + ", ".join(
                f"{e['attack']}{e['rate']:g}:{e['auc']:.2f}" for e in edits if e["impl"] == impl
            ),
            flush=True,
        )

    # 2. copy-paste into human text (host: two consecutive human chunks, 2T tokens)
    hosts_all = [human[i] + human[i + 1] for i in range(0, len(human) - 1, 2)]
    copy = []
    for n_spans in (1, 3):
        for frac in (0.1, 0.25):
            for impl in ("ours", "builtin"):
                hosts = hosts_all if impl == "ours" else hosts_all[: max(1, a.human_builtin // 2)]
                rng = np.random.default_rng([a.seed, n_spans, int(frac * 100)])
                pos = [
                    splice(hosts[i % len(hosts)], x, n_spans, frac, rng)
                    for i, x in enumerate(gen[impl]["ids"])
                ]
                neg = [
                    splice(hosts[i % len(hosts)], unwm[i % len(unwm)], n_spans, frac, rng)
                    for i in range(max(len(hosts), len(unwm)))
                ]
                modes = [False, True] if impl == "ours" else [False]
                for windowed in modes:
                    p, s = scores(impl, pos, windowed=windowed)
                    pn, sn = scores(impl, neg, windowed=windowed)
                    copy.append(
                        {
                            "impl": impl,
                            "detection": "windowed" if windowed else "whole",
                            "spans": n_spans,
                            "fraction": frac,
                            "length": len(pos[0]),
                            **summary(p, s, pn, sn),
                        }
                    )
    print(
        "copy-paste: "
        + ", ".join(
            f"{c['impl']}-{c['detection']} k={c['spans']} f={c['fraction']}: "
            f"TPR={c['tpr@1e-3']:.2f}"
            for c in copy
        ),
        flush=True,
    )

    # 3. paraphrase by the bundled model
    para = []
    for impl in a.paraphrase_impls:
        spec = G.GenSpec(impl, 0.25, 2.0, **kw)
        pd = G.get_paraphrases(spec, a.n_paraphrase, cache_dir=a.cache_dir, batch_size=a.batch_size)
        ids = [tok(t, add_special_tokens=False)["input_ids"] for t in pd["texts"]]
        ids = [x for x in ids if len(x) > 4]
        p, s = scores(impl, ids)
        pn, sn = scores(impl, neg_base[impl])
        p0, s0 = scores(impl, gen[impl]["ids"][: a.n_paraphrase])
        para.append(
            {
                "impl": impl,
                "n": len(ids),
                "mean_tokens": float(np.mean([len(x) for x in ids])),
                "tpr@1e-3_before": rate(p0, ALPHA),
                "auc_before": auc(s0, sn),
                "z_median_before": float(np.median(s0)),
                "z_median_after": float(np.median(s)),
                **summary(p, s, pn, sn),
                "paraphrase_seconds": pd.get("seconds"),
                "example": {
                    "original": pd["originals"][0][:400],
                    "paraphrase": pd["texts"][0][:400],
                },
            }
        )
    print(
        "paraphrase: "
        + ", ".join(
            f"{r['impl']}: TPR {r['tpr@1e-3_before']:.2f}->{r['tpr@1e-3']:.2f}, AUC {r['auc']:.2f}"
            for r in para
        ),
        flush=True,
    )

    settings = {
        "quick": a.quick,
        "full_spec": (not a.quick and a.n_prompts >= 200 and T >= 200),
        "n_prompts": a.n_prompts,
        "new_tokens": T,
        "gamma": 0.25,
        "delta": 2.0,
        "scheme": "lefthash",
        "context_width": 1,
        "alpha": ALPHA,
        "rates": list(RATES),
        "n_human": len(human),
        "n_human_builtin": min(len(human), a.human_builtin),
        "n_unwatermarked": len(unwm),
        "n_paraphrase": a.n_paraphrase,
        "seed": a.seed,
        "paraphrase_prompt": G.PARAPHRASE_PROMPT,
        "note": "TPR/FPR at nominal p < 1e-3 (ours exact binomial, built-in normal approximation); "
        "AUC on z (windowed: -log10 corrected p). Paraphrase negatives are unwatermarked "
        "outputs and human chunks (not paraphrased).",
        "wall_s": time.time() - t_start,
    }
    results = {"edits": edits, "copy_paste": copy, "paraphrase": para}
    out = write("robustness", settings, results, results_dir=a.results_dir)
    plot(results, out.with_suffix(".png"))
    print(f"wrote {out} in {time.time() - t_start:.0f}s")
    return results


def plot(res, path: Path) -> None:
    plt = pyplot()

    fig, axes = plt.subplots(1, 3, figsize=(16, 4.5))
    for ax, metric in zip(axes[:2], ("auc", "tpr@1e-3")):
        for impl, ls in (("ours", "-"), ("builtin", "--")):
            for kind in ("substitute", "delete", "insert"):
                rs = [
                    e for e in res["edits"] if e["impl"] == impl and e["attack"] in (kind, "none")
                ]
                rs.sort(key=lambda e: e["rate"])
                ax.plot(
                    [e["rate"] for e in rs],
                    [e[metric] for e in rs],
                    ls=ls,
                    marker="o",
                    label=f"{impl} {kind}",
                )
        ax.set_xlabel("fraction of tokens edited")
        ax.set_ylabel(metric)
        ax.set_ylim(-0.03, 1.03)
        ax.grid(alpha=0.3)
        ax.set_title(f"Token edits: {metric}")
    axes[0].legend(fontsize=7)
    ax = axes[2]
    labels = [
        f"{c['impl'][:4]}-{c['detection'][:3]} k={c['spans']} {int(c['fraction'] * 100)}%"
        for c in res["copy_paste"]
    ]
    labels += [f"paraphrase {r['impl']}" for r in res["paraphrase"]]
    vals = [c["tpr@1e-3"] for c in res["copy_paste"]] + [r["tpr@1e-3"] for r in res["paraphrase"]]
    aucs = [c["auc"] for c in res["copy_paste"]] + [r["auc"] for r in res["paraphrase"]]
    y = np.arange(len(vals))
    ax.barh(y - 0.2, vals, 0.4, label="TPR@1e-3")
    ax.barh(y + 0.2, [v if v is not None else 0 for v in aucs], 0.4, label="AUC")
    ax.set_yticks(y)
    ax.set_yticklabels(labels, fontsize=7)
    ax.set_xlim(0, 1.02)
    ax.legend(fontsize=7)
    ax.set_title("Copy-paste and paraphrase")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


if __name__ == "__main__":
    main()
