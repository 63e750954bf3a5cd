"""Speed: our processor and detector vs transformers' built-in watermark, same run, same CPU.

Questions answered:
* processor time per call at batch 1/16(/64) for V = 49,152 (and 128,256), both schemes;
* generate() overhead on the bundled SmolLM2 at batch 1 (64 new tokens): wall-clock with and
  without the processor (interleaved, medians) and the processor's own share of generate time;
* detector tokens/s on token ids, ours vs the built-in WatermarkDetector.

Run: python benchmarks/speed.py [--quick]. Writes benchmarks/results/speed.json and speed.png.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.common import RESULTS, median_time, pyplot, write  # noqa: E402
from watermark import (  # noqa: E402
    WatermarkConfig,
    WatermarkDetector,
    WatermarkKey,
    WatermarkLogitsProcessor,
    load_model,
)

KEY = WatermarkKey(b"benchmark-key-not-secret-000000000")
TARGETS = {
    "call_b1_ms": 0.05,
    "call_b16_ms": 0.5,
    "generate_overhead_pct": 1.0,
    "detector_tok_s": 5_000_000,
}


def builtin_processor(V, scheme, h):
    from transformers.generation.logits_process import WatermarkLogitsProcessor as HFProc

    return HFProc(
        vocab_size=V,
        device="cpu",
        greenlist_ratio=0.25,
        bias=2.0,
        seeding_scheme=scheme,
        context_width=h,
    )


def bench_calls(quick: bool) -> list[dict]:
    rows = []
    vocab_sizes = [49152] if quick else [49152, 128256]
    batches = [1, 16] if quick else [1, 16, 64]
    for V in vocab_sizes:
        for scheme, h in (("lefthash", 1), ("selfhash", 4)):
            ours = WatermarkLogitsProcessor(WatermarkConfig(scheme=scheme, context_width=h), KEY)
            ref = WatermarkLogitsProcessor(
                WatermarkConfig(scheme=scheme, context_width=h), KEY, fused=False
            )
            hf = builtin_processor(V, scheme, h)
            for B in batches:
                ids = torch.randint(0, V, (B, 64))
                scores = torch.randn(B, V)
                rep = 30 if quick else 200
                t_ours = median_time(lambda: ours(ids, scores), repeat=rep)
                t_ref = median_time(lambda: ref(ids, scores), repeat=max(5, rep // 10))
                hf_rep = 3 if (scheme == "selfhash" and B >= 16) or quick else 20
                t_hf = (
                    median_time(lambda: hf(ids, scores), repeat=hf_rep, warmup=1)
                    if B <= 16
                    else None
                )
                rows.append(
                    {
                        "vocab": V,
                        "scheme": scheme,
                        "context_width": h,
                        "batch": B,
                        "ours_fused_ms": t_ours * 1e3,
                        "ours_torch_mask_ms": t_ref * 1e3,
                        "builtin_ms": None if t_hf is None else t_hf * 1e3,
                        "speedup_vs_builtin": None if t_hf is None else t_hf / t_ours,
                    }
                )
                print(
                    f"V={V} {scheme:8s} B={B:2d}: ours {t_ours * 1e3:.4f} ms (torch-mask {t_ref * 1e3:.3f}) "
                    f"builtin {'-' if t_hf is None else f'{t_hf * 1e3:.3f}'} ms",
                    flush=True,
                )
    return rows


class Timed:
    """Wraps a processor and sums the time spent inside it."""

    def __init__(self, proc):
        self.proc, self.total, self.calls = proc, 0.0, 0

    def __call__(self, input_ids, scores):
        t = time.perf_counter()
        out = self.proc(input_ids, scores)
        self.total += time.perf_counter() - t
        self.calls += 1
        return out


def bench_generate(quick: bool) -> list[dict]:
    from transformers import LogitsProcessorList

    model, tok = load_model()
    torch.manual_seed(0)
    n_new = 32 if quick else 64
    reps = 2 if quick else 5
    out = []
    for B, (scheme, h) in [
        (b, sh) for b in ((1,) if quick else (1, 16)) for sh in (("lefthash", 1), ("selfhash", 4))
    ]:
        prompts = [
            f"Explain what a watermark on generated text is for (variant {i})." for i in range(B)
        ]
        enc = tok(prompts, return_tensors="pt", padding=True)
        procs = {
            "none": None,
            "ours": WatermarkLogitsProcessor(
                WatermarkConfig(scheme=scheme, context_width=h), KEY, pad_token_id=tok.pad_token_id
            ),
            "builtin": builtin_processor(model.config.vocab_size, scheme, h),
        }
        walls = {k: [] for k in procs}
        share = {k: [] for k in procs}
        for _ in range(reps):
            for name, p in procs.items():  # interleaved so drift hits all alike
                timed = Timed(p) if p is not None else None
                lp = LogitsProcessorList([timed] if timed else [])
                t = time.perf_counter()
                model.generate(
                    **enc,
                    do_sample=False,
                    max_new_tokens=n_new,
                    min_new_tokens=n_new,
                    logits_processor=lp,
                    pad_token_id=tok.pad_token_id,
                )
                wall = time.perf_counter() - t
                walls[name].append(wall)
                share[name].append(0.0 if timed is None else timed.total / wall)
        base = statistics.median(walls["none"])
        for name in ("ours", "builtin"):
            w = statistics.median(walls[name])
            out.append(
                {
                    "scheme": scheme,
                    "impl": name,
                    "batch": B,
                    "new_tokens": n_new,
                    "wall_s_median": w,
                    "wall_s_no_watermark": base,
                    "overhead_wall_pct": 100 * (w - base) / base,
                    "processor_share_pct": 100 * statistics.median(share[name]),
                }
            )
            print(
                f"generate B={B} {scheme} {name}: {w:.2f}s vs {base:.2f}s none; processor share "
                f"{out[-1]['processor_share_pct']:.3f}% (wall diff {out[-1]['overhead_wall_pct']:+.1f}%)",
                flush=True,
            )
    return out


def bench_detector(quick: bool) -> list[dict]:
    from transformers import AutoConfig
    from transformers.generation import WatermarkDetector as HFDetector
    from transformers.generation import WatermarkingConfig

    from watermark.models import bundled_cache_dir, load_tokenizer

    tok = load_tokenizer()
    rng = np.random.default_rng(0)
    n_texts, length = (200, 200) if quick else (2000, 250)
    texts = [rng.integers(3, 49152, length) for _ in range(n_texts)]
    # real text for the raw-text path: paragraphs of Python's docs
    from pydoc_data.topics import topics

    paras = [" ".join(p.split()) for v in topics.values() for p in v.split("\n\n") if len(p) > 400]
    raw = (paras * (1 + n_texts // max(1, len(paras))))[:n_texts]
    tokenize = lambda: tok(raw, add_special_tokens=False, return_offsets_mapping=True)  # noqa: E731
    t_tok = median_time(tokenize, repeat=3, warmup=1)
    raw_tokens = sum(len(x) for x in tokenize()["input_ids"])
    out = []
    for scheme, h in (("lefthash", 1), ("selfhash", 4)):
        det = WatermarkDetector(tok, WatermarkConfig(scheme=scheme, context_width=h), KEY)
        t = median_time(lambda: det.detect_batch(texts), repeat=3 if quick else 7, warmup=1)
        ours = n_texts * length / t
        cfg = (
            AutoConfig.from_pretrained(str(bundled_cache_dir()))
            if (bundled_cache_dir() / "config.json").is_file()
            else None
        )
        hf_rate = None
        if cfg is not None:
            hf = HFDetector(
                cfg,
                "cpu",
                WatermarkingConfig(
                    greenlist_ratio=0.25, bias=2.0, seeding_scheme=scheme, context_width=h
                ),
            )
            sample = torch.tensor(np.stack(texts[: (5 if scheme == "selfhash" else 20)]))
            t0 = time.perf_counter()
            hf(sample)
            hf_rate = sample.numel() / (time.perf_counter() - t0)
        t_raw = median_time(lambda: det.detect_batch(raw), repeat=3, warmup=1)
        out.append(
            {
                "scheme": scheme,
                "ours_tok_s": ours,
                "builtin_tok_s": hf_rate,
                "speedup": None if hf_rate is None else ours / hf_rate,
                "texts": n_texts,
                "tokens_per_text": length,
                "raw_text_tok_s": raw_tokens / t_raw,
                "raw_text_tokenize_share": min(1.0, t_tok / t_raw),
                "raw_text_tokens": raw_tokens,
            }
        )
        print(
            f"detector {scheme}: ours {ours:,.0f} tok/s on ids, {raw_tokens / t_raw:,.0f} tok/s on raw text "
            f"({100 * min(1.0, t_tok / t_raw):.0f}% tokenizing); builtin {hf_rate and f'{hf_rate:,.0f}'} tok/s",
            flush=True,
        )
    return out


def plot(calls: list[dict], path: Path) -> None:
    plt = pyplot()

    rows = [r for r in calls if r["vocab"] == 49152 and r["builtin_ms"] is not None]
    labels = [f"{r['scheme']}\nB={r['batch']}" for r in rows]
    x = np.arange(len(rows))
    fig, ax = plt.subplots(figsize=(7, 3.5))
    ax.bar(x - 0.2, [r["ours_fused_ms"] for r in rows], 0.4, label="genai-provenance")
    ax.bar(x + 0.2, [r["builtin_ms"] for r in rows], 0.4, label="transformers built-in")
    ax.set_yscale("log")
    ax.set_xticks(x, labels)
    ax.set_ylabel("ms per processor call (log)")
    ax.set_title("Watermark processor cost, V=49,152, 2-core CPU")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--quick", action="store_true", help="small sizes: a smoke run of a minute or two"
    )
    ap.add_argument(
        "--results-dir", default=str(RESULTS), help="where to write speed.json and speed.png"
    )
    args = ap.parse_args()
    torch.set_num_threads(max(1, torch.get_num_threads()))
    calls = bench_calls(args.quick)
    gen = bench_generate(args.quick)
    det = bench_detector(args.quick)
    out = Path(args.results_dir)
    path = write(
        "speed",
        {"quick": args.quick, "targets": TARGETS},
        {"processor_calls": calls, "generate": gen, "detector": det},
        results_dir=out,
    )
    plot(calls, out / "speed.png")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
