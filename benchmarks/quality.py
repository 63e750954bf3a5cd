"""Text quality vs watermark strength: perplexity of watermarked and unwatermarked outputs.

Each cached output (the shared generations of power.py) is scored, conditioned on its chat
prompt, by the bundled SmolLM2-135M-Instruct *without* the watermark (raw logits, temperature 1):
PPL = exp(mean NLL of the generated tokens). Optionally a second local causal LM
(``--scorer-model DIR``, a Hugging Face model dir with the same tokenizer); none other is
available offline on the benchmark machine, so by default only the generating model scores.
The trade-off plot puts detection strength (median z and TPR at p < 1e-3, T=100) against median
perplexity, one point per delta.

    python benchmarks/quality.py [--quick] [--results-dir DIR]
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
from power import rate  # noqa: E402


def perplexities(model, tok, prompts, ids_list, batch_size: int = 8) -> np.ndarray:
    """exp(mean NLL) of each generated sequence given its chat-templated prompt."""
    import torch

    from watermark.generate import build_inputs

    texts = build_inputs(tok, prompts)
    pad = tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id
    out = []
    for b in range(0, len(texts), batch_size):
        seqs, n_gen = [], []
        for t, g in zip(texts[b : b + batch_size], ids_list[b : b + batch_size]):
            p = tok(t, add_special_tokens=False)["input_ids"]
            seqs.append(p + list(g))
            n_gen.append(len(g))
        L = max(len(s) for s in seqs)
        ids = torch.full((len(seqs), L), pad, dtype=torch.long)
        att = torch.zeros((len(seqs), L), dtype=torch.long)
        for i, s in enumerate(seqs):  # left padding
            ids[i, L - len(s) :] = torch.tensor(s)
            att[i, L - len(s) :] = 1
        with torch.no_grad():
            logits = model(input_ids=ids, attention_mask=att).logits.float()
        logp = torch.log_softmax(logits[:, :-1], dim=-1)
        tgt = ids[:, 1:]
        nll = -logp.gather(-1, tgt.unsqueeze(-1)).squeeze(-1)  # shape [B, L-1]
        for i, n in enumerate(n_gen):
            out.append(float(torch.exp(nll[i, L - 1 - n :].mean())) if n else float("nan"))
    return np.array(out)


def parse_args(argv=None):
    ap = G.bench_parser(__doc__)
    ap.add_argument(
        "--gammas", type=float, nargs="+", default=None, help="default 0.25 0.5 (quick 0.25)"
    )
    ap.add_argument("--deltas", type=float, nargs="+", default=None, help="default 1 2 4 (quick 2)")
    ap.add_argument("--impls", nargs="+", default=None, help="default ours builtin (lefthash h=1)")
    ap.add_argument(
        "--only-cached",
        action="store_true",
        help="score only the watermarked configurations already in the cache (no new generation)",
    )
    ap.add_argument(
        "--scorer-model", default=None, help="a second local causal LM dir to score with"
    )
    a = G.parse_sizes(ap, argv)
    q = a.quick
    a.gammas = a.gammas or ([0.25] if q else [0.25, 0.5])
    a.deltas = a.deltas or ([2.0] if q else [1.0, 2.0, 4.0])
    a.impls = a.impls or ["ours", "builtin"]
    return a


def main(argv=None) -> dict:
    a = parse_args(argv)
    t_start = time.time()
    model, tok = G.model_and_tokenizer()
    scorers = {"SmolLM2-135M-Instruct (bundled, no watermark)": (model, tok)}
    if a.scorer_model:
        from watermark import load_model

        scorers[Path(a.scorer_model).name] = load_model(a.scorer_model)
    T_det = min(100, a.new_tokens)
    kw = dict(n_prompts=a.n_prompts, new_tokens=a.new_tokens)
    specs = [G.GenSpec("none", **kw)]
    specs += [G.GenSpec(impl, g, d, **kw) for impl in a.impls for g in a.gammas for d in a.deltas]
    if a.only_cached:
        specs = specs[:1] + [s for s in specs[1:] if s.cache_path(a.cache_dir).is_file()]
    rows = []
    for spec in specs:
        data = G.get(spec, cache_dir=a.cache_dir, batch_size=a.batch_size)
        row = {
            "impl": spec.impl,
            "label": spec.label,
            "gamma": None if spec.impl == "none" else spec.gamma,
            "delta": 0.0 if spec.impl == "none" else spec.delta,
            "n": len(data["ids"]),
        }
        for name, (m, t) in scorers.items():
            ppl = perplexities(m, t, data["prompts"], data["ids"])
            row.setdefault("ppl", {})[name] = {
                "median": float(np.nanmedian(ppl)),
                "mean": float(np.nanmean(ppl)),
                "q25": float(np.nanpercentile(ppl, 25)),
                "q75": float(np.nanpercentile(ppl, 75)),
            }
        if spec.impl != "none":
            trunc = [x[:T_det] for x in data["ids"]]
            p, z = (
                G.our_pvalues(trunc, spec.gamma)
                if spec.impl == "ours"
                else G.builtin_pvalues(trunc, spec.gamma)
            )
            row.update({"T": T_det, "z_median": float(np.median(z)), "tpr@1e-3": rate(p, 1e-3)})
        rows.append(row)
        print(
            f"{spec.label}: "
            + ", ".join(f"ppl {v['median']:.2f}" for v in row["ppl"].values())
            + (f", z {row['z_median']:.1f}" if "z_median" in row else ""),
            flush=True,
        )
    settings = {
        "quick": a.quick,
        "full_spec": (not a.quick and a.n_prompts >= 200 and a.new_tokens >= 200),
        "n_prompts": a.n_prompts,
        "new_tokens": a.new_tokens,
        "gammas": a.gammas,
        "deltas": a.deltas,
        "impls": a.impls,
        "scheme": "lefthash",
        "context_width": 1,
        "T_detection": T_det,
        "scorers": list(scorers),
        "second_scorer": a.scorer_model
        or "none: no other causal LM is available offline on this "
        "machine (only the bundled SmolLM2); pass --scorer-model DIR",
        "ppl_definition": "exp(mean NLL of generated tokens | chat prompt), raw model logits (T=1)",
        "sampling": {"temperature": G.TEMPERATURE, "top_k": G.TOP_K},
        "wall_s": time.time() - t_start,
    }
    results = {"rows": rows}
    out = write("quality", settings, results, results_dir=a.results_dir)
    plot(rows, out.with_suffix(".png"))
    print(f"wrote {out} in {time.time() - t_start:.0f}s")
    return results


def plot(rows, path: Path) -> None:
    plt = pyplot()

    scorer = next(iter(rows[0]["ppl"]))
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
    base = rows[0]["ppl"][scorer]["median"]
    ax = axes[0]
    for impl, g in sorted({(r["impl"], r["gamma"]) for r in rows if r["impl"] != "none"}, key=str):
        rs = sorted(
            (r for r in rows if r["impl"] == impl and r["gamma"] == g), key=lambda r: r["delta"]
        )
        xs = [0.0] + [r["delta"] for r in rs]
        ys = [base] + [r["ppl"][scorer]["median"] for r in rs]
        ax.plot(xs, ys, marker="o", ls="-" if impl == "ours" else "--", label=f"{impl} gamma={g}")
    ax.set_xlabel("delta (0 = unwatermarked)")
    ax.set_ylabel("median perplexity (SmolLM2, no watermark)")
    ax.set_title("Perplexity vs delta")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    ax = axes[1]
    for r in rows:
        if r["impl"] == "none":
            ax.axvline(r["ppl"][scorer]["median"], color="k", ls=":", label="unwatermarked")
            continue
        ax.scatter(
            r["ppl"][scorer]["median"], r["z_median"], marker="o" if r["impl"] == "ours" else "s"
        )
        ax.annotate(
            f"{r['impl'][:4]} g{r['gamma']} d{r['delta']:g}\nTPR {r['tpr@1e-3']:.2f}",
            (r["ppl"][scorer]["median"], r["z_median"]),
            fontsize=7,
        )
    ax.set_xlabel("median perplexity")
    ax.set_ylabel(f"median z at T={rows[-1].get('T', '')}")
    ax.set_title("Detection vs quality")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


if __name__ == "__main__":
    main()
