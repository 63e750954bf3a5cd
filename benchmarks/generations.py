"""Shared generations for the detection benchmarks: prompts, human negatives, cached outputs.

power.py, robustness.py and quality.py all score the *same* generated texts, so each
(implementation, gamma, delta, scheme, h, prompts, length, seed) configuration is generated once
and cached as JSON under ``benchmarks/cache/`` (gitignored). Outputs are kept as token ids (the
detectors score ids, truncated to the first T tokens) with ``min_new_tokens == max_new_tokens``
so every output has the full length.

``python benchmarks/generations.py --make-prompts`` rewrites ``benchmarks/prompts.jsonl``
deterministically from Python's bundled ``pydoc_data.topics`` plus general writing tasks.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:
    sys.path.insert(0, str(HERE.parent))

from genai_provenance.offline import ensure_offline  # noqa: E402
from watermark.generate import DEFAULT_TEMPERATURE, DEFAULT_TOP_K  # noqa: E402

ensure_offline()
PROMPTS = HERE / "prompts.jsonl"
CACHE = HERE / "cache"
# A fixed benchmark key (public on purpose: it only marks benchmark texts).
KEY_HEX = hashlib.sha256(b"genai-provenance benchmark key v1").hexdigest()
BUILTIN_HASH_KEY = 15485863  # transformers' default hashing_key
TEMPERATURE = DEFAULT_TEMPERATURE  # the library's sampling defaults, part of each cache key
TOP_K = DEFAULT_TOP_K

# ---- prompts -------------------------------------------------------------------------------------

_PY_TEMPLATES = [
    "Explain {t} in Python to a programmer who is new to the language, with a short example.",
    "Describe how {t} works in Python and when a developer would use it.",
    "Summarise the key rules of {t} in Python in a few paragraphs.",
    "Write a short tutorial section about {t} in Python.",
    "What are common mistakes people make with {t} in Python, and how can they be avoided?",
    "Compare {t} and {u} in Python: how do they differ and how are they related?",
]
_GENERAL_TASKS = [
    "Write a short story about {s}.",
    "Write a polite email to a colleague about {s}.",
    "Explain {s} to a ten-year-old.",
    "Describe {s} in vivid detail.",
    "Summarise the main arguments for and against {s}.",
    "Write a blog post introduction about {s}.",
    "Compare {s} with {s2}: what do they have in common and how do they differ?",
    "Give practical advice to someone dealing with {s}.",
    "Write a news-style report about {s}.",
    "Write a product description inspired by {s}.",
]
_SUBJECTS = [
    "a lighthouse keeper who finds a message in a bottle",
    "learning to cook for the first time",
    "the water cycle",
    "moving to a new city",
    "the history of the printing press",
    "remote work",
    "a robot that wants to become a gardener",
    "climate change and coastal towns",
    "the importance of sleep",
    "a delayed train journey",
    "public libraries",
    "electric cars",
    "a chess tournament",
    "volcanoes",
    "the first day at a new job",
    "urban beekeeping",
    "how vaccines work",
    "a lost dog finding its way home",
    "the invention of the telephone",
    "planning a team offsite",
    "renewable energy",
    "a mountain hiking trip",
    "open source software",
    "the ocean at night",
    "a bakery that opens at midnight",
    "learning a second language",
    "the role of museums",
    "a power outage in a big city",
    "bicycles as transport",
    "the life cycle of a star",
    "a school science fair",
    "budgeting for a family holiday",
]


def _topic_names() -> list[str]:
    from pydoc_data import topics

    names = sorted(k for k in topics.topics if re.fullmatch(r"[a-z][a-z-]+", k))
    return [n.replace("-", " ") for n in names]


def make_prompts(n: int = 240, seed: int = 20240601) -> list[dict]:
    """Deterministic prompt set: ~half about pydoc topics, ~half general writing tasks."""
    rng = random.Random(seed)
    names = _topic_names()
    out, seen = [], set()
    while len(out) < n:
        if len(out) % 2 == 0:
            t, u = rng.sample(names, 2)
            tpl = rng.choice(_PY_TEMPLATES)
            p, src = tpl.format(t=f"'{t}'", u=f"'{u}'"), "pydoc_data.topics"
        else:
            s, s2 = rng.sample(_SUBJECTS, 2)
            p, src = rng.choice(_GENERAL_TASKS).format(s=s, s2=s2), "writing"
        if p not in seen:
            seen.add(p)
            out.append({"id": f"p{len(out):03d}", "source": src, "prompt": p})
    return out


def load_prompts(n: int | None = None) -> list[str]:
    rows = [
        json.loads(line)
        for line in PROMPTS.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    ps = [r["prompt"] for r in rows]
    return ps if n is None else ps[:n]


# ---- human negatives -------------------------------------------------------------------------------


def human_chunks(tok, length: int, limit: int | None = None) -> list[list[int]]:
    """Non-overlapping ``length``-token chunks of the paragraphs of ``pydoc_data.topics`` (human text).

    Each topic's paragraphs are joined and tokenized, then cut into chunks, so the chunks
    never mix topics. Deterministic order (sorted topic names).
    """
    from pydoc_data import topics

    out: list[list[int]] = []
    for name in sorted(topics.topics):
        paras = [
            p.strip() for p in re.split(r"\n\s*\n", topics.topics[name]) if len(p.strip()) > 40
        ]
        text = "\n\n".join(paras)
        if not text:
            continue
        ids = tok(text, add_special_tokens=False)["input_ids"]
        for i in range(0, len(ids) - length + 1, length):
            out.append(list(ids[i : i + length]))
            if limit is not None and len(out) >= limit:
                return out
    return out


# ---- cached generation -----------------------------------------------------------------------------


@dataclass(frozen=True)
class GenSpec:
    """One generation configuration. impl: 'ours' | 'builtin' | 'none' (unwatermarked)."""

    impl: str
    gamma: float = 0.25
    delta: float = 2.0
    scheme: str = "lefthash"
    h: int = 1
    n_prompts: int = 200
    new_tokens: int = 200
    seed: int = 0
    temperature: float = TEMPERATURE
    top_k: int = TOP_K
    key_index: int = 0  # 0: the benchmark key (KEY_HEX / BUILTIN_HASH_KEY); i > 0: key_for(i)

    @property
    def label(self) -> str:
        if self.impl == "none":
            return "unwatermarked"
        k = f"-k{self.key_index}" if self.key_index else ""
        return f"{self.impl}-{self.scheme}-h{self.h}-g{self.gamma}-d{self.delta}{k}"

    def cache_path(self, cache_dir: Path = CACHE) -> Path:
        d = asdict(self)
        if not self.key_index:  # key 0: the cache names from before key_index existed
            del d["key_index"]
        if self.impl == "none":
            d.update(gamma=None, delta=None, scheme=None, h=None)
        d["prompts_sha"] = hashlib.sha256(PROMPTS.read_bytes()).hexdigest()[:12]
        h = hashlib.sha256(json.dumps(d, sort_keys=True).encode()).hexdigest()[:12]
        return (
            Path(cache_dir)
            / f"{self.label}-n{self.n_prompts}-t{self.new_tokens}-s{self.seed}-{h}.json"
        )


_MODEL = None


def model_and_tokenizer():
    """The bundled SmolLM2 (loaded once per process) with torch limited to 2 threads."""
    global _MODEL
    if _MODEL is None:
        import torch

        torch.set_num_threads(min(2, torch.get_num_threads()))
        from watermark import load_model

        _MODEL = load_model()
    return _MODEL


def key(index: int = 0):
    """Our benchmark key (index 0) or the index-th extra key (key-to-key comparisons)."""
    from watermark import WatermarkKey

    if not index:
        return WatermarkKey.from_hex(KEY_HEX)
    return WatermarkKey.from_hex(hashlib.sha256(b"benchmark key %d" % index).hexdigest())


def builtin_hash_key(index: int = 0) -> int:
    """The built-in's hashing_key: transformers' default (index 0) or the index-th extra key."""
    if not index:
        return BUILTIN_HASH_KEY
    return int.from_bytes(hashlib.sha256(b"builtin key %d" % index).digest()[:4], "little")


def our_config(gamma: float, delta: float, scheme: str = "lefthash", h: int = 1):
    from watermark import WatermarkConfig

    return WatermarkConfig(gamma=gamma, delta=delta, scheme=scheme, context_width=h)


def builtin_processor(
    vocab_size: int,
    gamma: float,
    delta: float,
    scheme: str = "lefthash",
    h: int = 1,
    hashing_key: int = BUILTIN_HASH_KEY,
):
    from transformers.generation.logits_process import WatermarkLogitsProcessor as HFProc

    return HFProc(
        vocab_size=vocab_size,
        device="cpu",
        greenlist_ratio=gamma,
        bias=delta,
        hashing_key=hashing_key,
        seeding_scheme=scheme,
        context_width=h,
    )


def builtin_watermarking_config(gamma: float, delta: float, scheme: str = "lefthash", h: int = 1):
    from transformers import WatermarkingConfig

    return WatermarkingConfig(
        greenlist_ratio=gamma,
        bias=delta,
        hashing_key=BUILTIN_HASH_KEY,
        seeding_scheme=scheme,
        context_width=h,
    )


def generate_ids(
    prompts: list[str],
    processor,
    *,
    new_tokens: int,
    seed: int,
    batch_size: int = 16,
    temperature: float = TEMPERATURE,
    top_k: int = TOP_K,
    chat: bool = True,
    min_new_tokens: int | None = None,
    start: int = 0,
    log=None,
) -> list[list[int]]:
    """Sampled continuations (new token ids only) of each prompt, left-padded batches.

    ``processor`` (or None) runs first in the logits-processor list, i.e. on the raw logits
    before temperature/top-k, for ours and the built-in alike. Seeded per batch by the batch's
    absolute position ``start + b`` in the prompt set, so generating prompts[m:] with
    ``start=m`` (m a multiple of ``batch_size``) continues a run over prompts[:m] exactly.
    """
    import torch
    from transformers import LogitsProcessorList

    from watermark.generate import build_inputs

    model, tok = model_and_tokenizer()
    pad_id = tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id
    texts = build_inputs(tok, prompts, chat=chat)
    out: list[list[int]] = []
    for b in range(0, len(texts), batch_size):
        t0 = time.perf_counter()
        tok.padding_side = "left"
        enc = tok(
            texts[b : b + batch_size],
            return_tensors="pt",
            padding=True,
            add_special_tokens=not chat,
        )
        torch.manual_seed(seed * 100_003 + start + b)
        procs = LogitsProcessorList([processor] if processor is not None else [])
        with torch.no_grad():
            gen = model.generate(
                **enc,
                logits_processor=procs,
                max_new_tokens=new_tokens,
                min_new_tokens=new_tokens if min_new_tokens is None else min_new_tokens,
                do_sample=True,
                temperature=temperature,
                top_k=top_k,
                top_p=1.0,
                pad_token_id=pad_id,
            )
        new = gen[:, enc["input_ids"].shape[1] :].tolist()
        for row in new:
            # drop trailing pad/eos (only reachable when min_new_tokens < new_tokens)
            while row and row[-1] in (pad_id, tok.eos_token_id):
                row.pop()
            out.append(row)
        if log:
            log(
                f"  batch {b // batch_size + 1}/{(len(texts) + batch_size - 1) // batch_size}: "
                f"{len(new)}x{new_tokens} tokens in {time.perf_counter() - t0:.1f}s"
            )
    return out


def get(spec: GenSpec, *, cache_dir: Path = CACHE, batch_size: int = 16, log=print) -> dict:
    """The cached generations of ``spec`` (generating them first if absent).

    Returns {"spec", "prompts", "ids" (list of token-id lists), "seconds"}.
    """
    path = spec.cache_path(cache_dir)
    if path.is_file():
        return json.loads(path.read_text())
    model, tok = model_and_tokenizer()
    prompts = load_prompts(spec.n_prompts)
    if len(prompts) < spec.n_prompts:
        raise ValueError(
            f"n_prompts={spec.n_prompts} but {PROMPTS.name} has only {len(prompts)} prompts"
        )
    done, prev = _cached_prefix(spec, cache_dir, batch_size)
    if spec.impl == "ours":
        from watermark import WatermarkLogitsProcessor

        pad_id = tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id
        proc = WatermarkLogitsProcessor(
            our_config(spec.gamma, spec.delta, spec.scheme, spec.h),
            key(spec.key_index),
            pad_token_id=pad_id,
        )
    elif spec.impl == "builtin":
        proc = builtin_processor(
            model.config.vocab_size,
            spec.gamma,
            spec.delta,
            spec.scheme,
            spec.h,
            hashing_key=builtin_hash_key(spec.key_index),
        )
    elif spec.impl == "none":
        proc = None
    else:
        raise ValueError(f"impl={spec.impl!r}: use ours, builtin or none")
    if log:
        log(
            f"generating {spec.label}: {len(prompts) - done} prompts x {spec.new_tokens} tokens"
            + (f" (the first {done} from the cache)" if done else "")
        )
    t0 = time.perf_counter()
    ids = generate_ids(
        prompts[done:],
        proc,
        new_tokens=spec.new_tokens,
        seed=spec.seed,
        batch_size=batch_size,
        temperature=spec.temperature,
        top_k=spec.top_k,
        start=done,
        log=log,
    )
    prev = prev or {}
    data = {
        "spec": asdict(spec),
        "label": spec.label,
        "prompts": prompts,
        "ids": prev.get("ids", []) + ids,
        "seconds": time.perf_counter() - t0 + (prev.get("seconds") or 0.0),
        "extended_from_n": done or None,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data))
    tmp.replace(path)
    return data


def _cached_prefix(spec: GenSpec, cache_dir: Path, batch_size: int) -> tuple[int, dict | None]:
    """The largest cached run of the same configuration over fewer prompts that a longer run can
    continue (its size a multiple of ``batch_size``, so the batches and their seeds line up):
    (its prompt count, its data), or (0, None)."""
    best: tuple[int, dict | None] = (0, None)
    for f in Path(cache_dir).glob(f"{spec.label}-n*-t{spec.new_tokens}-s{spec.seed}-*.json"):
        m = re.search(r"-n(\d+)-t", f.name[len(spec.label) :])
        n = int(m.group(1)) if m else 0
        if not (best[0] < n < spec.n_prompts and n % batch_size == 0):
            continue
        if replace(spec, n_prompts=n).cache_path(cache_dir) != f:
            continue  # a different configuration with the same label (temperature, prompt set...)
        data = json.loads(f.read_text())
        if len(data.get("ids", [])) == n:
            best = (n, data)
    return best


PARAPHRASE_PROMPT = (
    "Rewrite the following text in your own words. Keep its meaning, change the wording.\n\n"
    "Text:\n{text}"
)


def get_paraphrases(
    spec: GenSpec, n: int, *, cache_dir: Path = CACHE, batch_size: int = 16, log=print
) -> dict:
    """Unwatermarked rewrites, by the bundled model itself, of the first ``n`` outputs of ``spec``.

    Sampled (temperature 0.7, top-k 50, seed 1) up to ``spec.new_tokens`` new tokens, at least
    half that. Cached beside the source generations. Returns {"source", "texts", "ids", "seconds"}.
    """
    src = get(spec, cache_dir=cache_dir, batch_size=batch_size, log=log)
    path = spec.cache_path(cache_dir).with_name(
        f"paraphrase-n{n}-" + spec.cache_path(cache_dir).name
    )
    if path.is_file():
        return json.loads(path.read_text())
    _, tok = model_and_tokenizer()
    texts = tok.batch_decode(src["ids"][:n], skip_special_tokens=True)
    if log:
        log(f"paraphrasing {n} outputs of {spec.label}")
    t0 = time.perf_counter()
    ids = generate_ids(
        [PARAPHRASE_PROMPT.format(text=t) for t in texts],
        None,
        new_tokens=spec.new_tokens,
        min_new_tokens=spec.new_tokens // 2,
        seed=1,
        batch_size=batch_size,
        log=log,
    )
    data = {
        "source": spec.label,
        "prompt_template": PARAPHRASE_PROMPT,
        "originals": texts,
        "texts": tok.batch_decode(ids, skip_special_tokens=True),
        "ids": ids,
        "seconds": time.perf_counter() - t0,
    }
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data))
    tmp.replace(path)
    return data


# ---- arguments shared by power.py, robustness.py and quality.py -----------------------------------


def bench_parser(doc: str) -> argparse.ArgumentParser:
    """The arguments every detection benchmark takes; a script adds its own, then calls
    ``parse_sizes``."""
    from benchmarks.common import RESULTS

    ap = argparse.ArgumentParser(
        description=doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--quick", action="store_true", help="small sizes: a smoke run of a minute or two"
    )
    ap.add_argument(
        "--results-dir", type=Path, default=RESULTS, help="where <name>.json and .png go"
    )
    ap.add_argument("--cache-dir", type=Path, default=CACHE, help="the generation cache")
    ap.add_argument("--n-prompts", type=int, default=None, help="default 200 (quick: 8)")
    ap.add_argument("--new-tokens", type=int, default=None, help="default 200 (quick: 50)")
    ap.add_argument("--batch-size", type=int, default=32, help="generation batch size")
    return ap


def parse_sizes(ap: argparse.ArgumentParser, argv=None) -> argparse.Namespace:
    """Parse, filling the shared size defaults (full: 200 prompts x 200 tokens; quick: 8 x 50)."""
    a = ap.parse_args(argv)
    if a.n_prompts is None:
        a.n_prompts = 8 if a.quick else 200
    if a.new_tokens is None:
        a.new_tokens = 50 if a.quick else 200
    for name in ("n_prompts", "new_tokens", "batch_size"):
        if getattr(a, name) < 1:
            ap.error(f"--{name.replace('_', '-')} must be at least 1")
    return a


# ---- detection helpers shared by the scripts ------------------------------------------------------


def our_detector(gamma: float, scheme: str = "lefthash", h: int = 1):
    from watermark import WatermarkDetector

    _, tok = model_and_tokenizer()
    return WatermarkDetector(tok, our_config(gamma, 2.0, scheme, h), key())


def our_pvalues(ids_list, gamma: float, scheme: str = "lefthash", h: int = 1):
    """(exact p, z) arrays for id sequences, scored by our detector (no prompt context)."""
    import numpy as np

    det = our_detector(gamma, scheme, h)
    res = det.detect_batch([np.asarray(x, dtype=np.int64) for x in ids_list])
    return np.array([r.p_value for r in res]), np.array([r.z_score for r in res])


_BUILTIN_DET: dict = {}


def builtin_pvalues(
    ids_list,
    gamma: float,
    scheme: str = "lefthash",
    h: int = 1,
    delta: float = 2.0,
    exact: bool = False,
):
    """(normal-approximation p, z) arrays from transformers' WatermarkDetector, batched by length
    (sequences differ in length; the built-in detector has no padding mask). With ``exact=True``
    also a third array: the exact binomial p of the built-in detector's own green and scored counts,
    so its watermark can be compared with ours under the same p-value."""
    import numpy as np
    import torch
    from transformers.generation import WatermarkDetector as HFDet

    from watermark.stats import binomial_sf

    model, _ = model_and_tokenizer()
    k = (gamma, scheme, h)
    if k not in _BUILTIN_DET:
        _BUILTIN_DET[k] = HFDet(
            model.config,
            "cpu",
            builtin_watermarking_config(gamma, delta, scheme, h),
            ignore_repeated_ngrams=True,
        )
    det = _BUILTIN_DET[k]
    ps, zs, pe = np.ones(len(ids_list)), np.zeros(len(ids_list)), np.ones(len(ids_list))
    by_len: dict = {}
    bos = model.config.bos_token_id
    for i, x in enumerate(ids_list):
        if len(x) > h + 2:  # the built-in detector drops a leading BOS: batch rows alike
            by_len.setdefault((len(x), x[0] == bos), []).append(i)
    for idx in by_len.values():
        for b in range(0, len(idx), 64):
            part = idx[b : b + 64]
            r = det(
                torch.tensor([list(ids_list[i]) for i in part], dtype=torch.long), return_dict=True
            )
            ps[part], zs[part] = np.asarray(r.p_value, float), np.asarray(r.z_score, float)
            if exact:
                pe[part] = binomial_sf(
                    np.asarray(r.num_green_tokens, float),
                    np.asarray(r.num_tokens_scored, float),
                    gamma,
                )
    return (ps, zs, pe) if exact else (ps, zs)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--make-prompts", action="store_true", help="rewrite benchmarks/prompts.jsonl")
    ap.add_argument("-n", type=int, default=240)
    args = ap.parse_args(argv)
    if args.make_prompts:
        rows = make_prompts(args.n)
        PROMPTS.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        print(f"wrote {len(rows)} prompts to {PROMPTS}")


if __name__ == "__main__":
    main()
