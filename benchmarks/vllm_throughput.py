"""vLLM throughput with and without our watermark processor, and HF generate() beside it.

Questions answered: output tokens/s of the vLLM engine (bundled SmolLM2-135M, CPU backend) at
batch 1, 16 and 64, without the processor and with it (every request watermarked; target
<= 3 % overhead), and our HF ``generate()`` path at batch 16 with and without the watermark.
Every request is forced to N new tokens (min_tokens = max_tokens) so runs do equal work.

Run in the vLLM environment (`make vllm-env`); the HF row runs in the main one (.venv):
    GENAI_WATERMARK_KEYRING=wm.key .venv-vllm/bin/python benchmarks/vllm_throughput.py [--quick]
(with no key ring set it makes a throw-away key). Writes benchmarks/results/vllm_throughput.json.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.common import write  # noqa: E402

BATCHES = (1, 16, 64)


def _prompts(n: int) -> list[str]:
    import json

    path = Path(__file__).resolve().parent / "prompts.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(lines[i % len(lines)])["prompt"] for i in range(n)]


def bench_vllm(model_dir: str, watermark: bool, new_tokens: int, repeat: int) -> dict:
    from vllm import LLM, SamplingParams

    procs = ["watermark.vllm:VLLMWatermarkProcessor"] if watermark else []
    llm = LLM(
        model=model_dir,
        dtype="bfloat16",
        logits_processors=procs,
        seed=0,
        gpu_memory_utilization=0.25,
        max_model_len=512,
        enable_prefix_caching=False,
        enforce_eager=True,
    )
    sp = SamplingParams(temperature=0.7, top_k=50, max_tokens=new_tokens, min_tokens=new_tokens)
    llm.generate(_prompts(4), sp, use_tqdm=False)  # warm-up
    out = {}
    for B in BATCHES:
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            res = llm.generate(_prompts(B), sp, use_tqdm=False)
            times.append(time.perf_counter() - t0)
            assert sum(len(r.outputs[0].token_ids) for r in res) == B * new_tokens
        t = statistics.median(times)
        out[str(B)] = {"seconds": t, "output_tok_s": B * new_tokens / t, "runs": times}
        print(
            f"vLLM {'watermark' if watermark else 'plain    '} B={B:2d}: "
            f"{B * new_tokens / t:8.1f} tok/s",
            flush=True,
        )
    del llm
    gc.collect()
    return out


def bench_hf(model_dir: str, new_tokens: int, repeat: int, batch: int = 16) -> dict:
    from watermark import WatermarkConfig, load_key, load_model
    from watermark.generate import generate_watermarked
    from watermark.vllm import ServingKeyRing

    ring = ServingKeyRing.from_env()
    key_id = next(iter(ring.entries))
    cfg = ring.entries[key_id].config
    key = [load_key(s.strip()) for s in os.environ["GENAI_WATERMARK_KEYRING"].split(",")][0]
    model, tok = load_model(model_dir)
    prompts = _prompts(batch)
    out = {}
    for wm in (False, True):
        # min_new_tokens is not exposed by generate_watermarked: ask for N and count what came
        times, toks = [], []
        for _ in range(repeat):
            t0 = time.perf_counter()
            texts = generate_watermarked(
                model,
                tok,
                prompts,
                WatermarkConfig(**{**cfg.to_dict(), "key_id": None}),
                key,
                max_new_tokens=new_tokens,
                seed=0,
                watermark=wm,
            )
            times.append(time.perf_counter() - t0)
            toks.append(sum(len(tok(t, add_special_tokens=False)["input_ids"]) for t in texts))
        t = statistics.median(times)
        # generate() runs every row to the longest row's length: batch * new_tokens steps' work
        out["watermark" if wm else "plain"] = {
            "seconds": t,
            "output_tok_s": batch * new_tokens / t,
            "decoded_tokens": toks,
            "runs": times,
        }
        print(
            f"HF generate {'watermark' if wm else 'plain    '} B={batch}: "
            f"{batch * new_tokens / t:8.1f} tok/s",
            flush=True,
        )
    return out


def hf_in_main_env(python: str, model_dir: str, new_tokens: int, repeat: int) -> dict | None:
    """Run :func:`bench_hf` in the main environment (our transformers pin, fused kernel)."""
    import json
    import subprocess

    if not Path(python).is_file():
        print(f"HF generate skipped: {python} is missing (run `make install`)")
        return None
    code = (
        "import json, sys; sys.path.insert(0, '.'); from benchmarks.vllm_throughput import "
        f"bench_hf; print('RESULT' + json.dumps(bench_hf({model_dir!r}, {new_tokens}, {repeat})))"
    )
    res = subprocess.run(
        [python, "-c", code],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        check=True,
    )
    print(res.stdout.split("RESULT")[0], end="")
    return json.loads(res.stdout.split("RESULT", 1)[1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer tokens and runs")
    ap.add_argument("--model", default=None, help="model dir (default: the bundled SmolLM2 cache)")
    ap.add_argument("--results-dir", default=None)
    ap.add_argument(
        "--hf-python",
        default=str(Path(__file__).resolve().parent.parent / ".venv" / "bin" / "python"),
        help="the main environment's python, for the HF generate() row",
    )
    a = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    if not os.environ.get("GENAI_WATERMARK_KEYRING"):
        from watermark import WatermarkKey

        d = tempfile.mkdtemp(prefix="wm-bench-")
        WatermarkKey.generate().save(Path(d) / "bench.key")
        os.environ["GENAI_WATERMARK_KEYRING"] = str(Path(d) / "bench.key")
    if a.model is None:
        from watermark.models import cache_root

        found = sorted((cache_root() / "models").glob("smollm2-135m-instruct-*"))
        if not found:
            sys.exit("no converted SmolLM2 in the cache: run `make demo` (or pass --model DIR)")
        a.model = str(found[-1])
    new_tokens, repeat = (32, 1) if a.quick else (64, 3)
    results = {
        "vllm_plain": bench_vllm(a.model, False, new_tokens, repeat),
        "vllm_watermark": bench_vllm(a.model, True, new_tokens, repeat),
    }
    results["overhead_pct"] = {
        B: 100.0
        * (
            results["vllm_plain"][B]["output_tok_s"] / results["vllm_watermark"][B]["output_tok_s"]
            - 1.0
        )
        for B in results["vllm_plain"]
    }
    results["hf_generate_b16"] = hf_in_main_env(a.hf_python, a.model, new_tokens, repeat)
    for B, pct in results["overhead_pct"].items():
        print(f"overhead B={B}: {pct:+.1f} %")
    settings = {
        "new_tokens": new_tokens,
        "repeat": repeat,
        "batches": list(BATCHES),
        "dtype_vllm": "bfloat16",
        "dtype_hf": "float32",
        "target_overhead_pct": 3.0,
        "note": "vLLM CPU backend binds one core of this 2-core machine (shared with "
        "other jobs); HF generate (main env, float32, fused kernel) uses both",
    }
    print(write("vllm_throughput", settings, results, a.results_dir))


if __name__ == "__main__":
    main()
