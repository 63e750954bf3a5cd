"""Key-to-key spread of the false-positive rate: is the nominal alpha kept for *one* key?

The exact binomial p is calibrated over random keys. On one fixed corpus, though, the texts share
their frequent tokens and bigrams, and one key decides their green status for all of them at once,
so the empirical FPR of a single key scatters around alpha. This script scores the same negatives
(unwatermarked SmolLM2 outputs of the prompt set, and human chunks of ``pydoc_data.topics``) under
many keys and reports, per scheme and context width h, the mean and the spread of the per-key FPR
at nominal p < 1e-2 and 1e-3. The benchmark key used by power.py is one draw of this spread.

    python benchmarks/key_variance.py [--quick] [--keys K] [--results-dir DIR]
"""

from __future__ import annotations

import hashlib
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import generations as G  # noqa: E402
from common import pyplot, write  # noqa: E402

ALPHAS = (1e-2, 1e-3)
SCHEMES = (("lefthash", 1), ("selfhash", 1), ("selfhash", 4))
GAMMA = 0.25


def parse_args(argv=None):
    ap = G.bench_parser(__doc__)
    ap.add_argument(
        "--keys", type=int, default=None, help="random keys to score under (default 40; quick 5)"
    )
    ap.add_argument(
        "--human", type=int, default=None, help="human negatives (default 504 = all; quick 100)"
    )
    a = G.parse_sizes(ap, argv)
    a.keys = a.keys or (5 if a.quick else 40)
    a.human = a.human or (100 if a.quick else 504)
    if a.keys < 2:
        ap.error("--keys must be at least 2")
    return a


def main(argv=None) -> dict:
    a = parse_args(argv)
    t_start = time.time()
    from watermark import WatermarkDetector, WatermarkKey

    _, tok = G.model_and_tokenizer()
    corpora = {
        "unwatermarked": G.get(
            G.GenSpec("none", n_prompts=a.n_prompts, new_tokens=a.new_tokens),
            cache_dir=a.cache_dir,
            batch_size=a.batch_size,
        )["ids"],
        "human": G.human_chunks(tok, a.new_tokens, limit=a.human),
    }
    keys = [
        WatermarkKey.from_hex(hashlib.sha256(b"key-variance %d" % i).hexdigest())
        for i in range(a.keys)
    ]
    rows = []
    for scheme, h in SCHEMES:
        dets = [WatermarkDetector(tok, G.our_config(GAMMA, 2.0, scheme, h), k) for k in keys]
        for corpus, ids in corpora.items():
            arr = [np.asarray(x, dtype=np.int64) for x in ids]
            pv = np.array([[r.p_value for r in d.detect_batch(arr)] for d in dets])  # [keys, texts]
            for al in ALPHAS:
                per_key = (pv < al).mean(axis=1)
                rows.append(
                    {
                        "scheme": scheme,
                        "h": h,
                        "corpus": corpus,
                        "alpha": al,
                        "n_texts": len(ids),
                        "mean": float(per_key.mean()),
                        "median": float(np.median(per_key)),
                        "min": float(per_key.min()),
                        "max": float(per_key.max()),
                        "share_of_keys_above_2x_alpha": float((per_key > 2 * al).mean()),
                        "per_key": per_key.tolist(),
                    }
                )
            print(
                f"{scheme} h={h} {corpus}: FPR@1e-2 per key mean {rows[-2]['mean']:.4f}, "
                f"range {rows[-2]['min']:.3f}-{rows[-2]['max']:.3f}",
                flush=True,
            )
    settings = {
        "quick": a.quick,
        "full_spec": not a.quick,
        "n_prompts": a.n_prompts,
        "new_tokens": a.new_tokens,
        "gamma": GAMMA,
        "keys": a.keys,
        "schemes": [f"{s} h={h}" for s, h in SCHEMES],
        "alphas": list(ALPHAS),
        "note": "Each key scores every negative text of length new_tokens; per_key is that key's "
        "empirical FPR. The mean over keys is the calibration the exact p promises; the "
        "range is what one deployment (one key) can see on one corpus.",
        "wall_s": time.time() - t_start,
    }
    out = write("key_variance", settings, {"rows": rows}, results_dir=a.results_dir)
    plot(rows, out.with_suffix(".png"))
    print(f"wrote {out} in {time.time() - t_start:.0f}s")
    return {"rows": rows}


def plot(rows, path: Path) -> None:
    plt = pyplot()
    sel = [r for r in rows if r["alpha"] == 1e-2]
    fig, ax = plt.subplots(figsize=(8, 3.8))
    for i, r in enumerate(sel):
        ys = np.asarray(r["per_key"])
        ax.scatter(np.full(ys.size, i) + np.linspace(-0.2, 0.2, ys.size), ys, s=10, alpha=0.6)
        ax.plot([i - 0.3, i + 0.3], [r["mean"]] * 2, color="k")
    ax.axhline(1e-2, color="r", ls=":", label="nominal alpha = 1e-2")
    ax.set_xticks(range(len(sel)))
    ax.set_xticklabels([f"{r['scheme']} h={r['h']}\n{r['corpus']}" for r in sel], fontsize=7)
    ax.set_ylabel("empirical FPR of one key")
    ax.set_title("FPR at nominal p < 1e-2, one dot per key (bar: mean over keys)")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


if __name__ == "__main__":
    main()
