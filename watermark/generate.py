"""Generate watermarked text: prompts in, new text out, one call.

The one place that knows how to drive ``model.generate`` with the watermark processor (chat
template, left-padded batches, pad token, seeding), so the CLI and the demo stay thin.
"""

from __future__ import annotations

from collections.abc import Sequence

from .config import WatermarkConfig
from .errors import WatermarkError
from .keys import KeyLike, load_key

# the one home of the sampling defaults (CLI options, rag_audit's pipeline and the demo use these)
DEFAULT_TEMPERATURE = 0.7
DEFAULT_TOP_K = 50
DEFAULT_MAX_NEW_TOKENS = 200


def build_inputs(tokenizer, prompts: Sequence[str], *, chat: bool = True) -> list[str]:
    """The strings the model sees: each prompt wrapped in the chat template when there is one."""
    if chat and getattr(tokenizer, "chat_template", None):
        return [
            tokenizer.apply_chat_template(
                [{"role": "user", "content": p}], tokenize=False, add_generation_prompt=True
            )
            for p in prompts
        ]
    return list(prompts)


def generate_watermarked(
    model,
    tokenizer,
    prompts: Sequence[str],
    config: WatermarkConfig,
    key: KeyLike | None,
    *,
    max_new_tokens: int = DEFAULT_MAX_NEW_TOKENS,
    min_new_tokens: int = 0,
    do_sample: bool = True,
    temperature: float = DEFAULT_TEMPERATURE,
    top_k: int = DEFAULT_TOP_K,
    seed: int | None = None,
    chat: bool = True,
    watermark: bool = True,
) -> list[str]:
    """Generate one continuation per prompt with the watermark of ``config`` under ``key``.

    Prompts run as one left-padded batch; the chat template is applied when the tokenizer has
    one and ``chat`` is true. Returns only the newly generated text of each prompt (special
    tokens dropped); ``min_new_tokens`` holds the end of text back until that many tokens
    (enough scored tokens for a clear verdict). ``key`` is a key, key file path or ``env:VAR`` (None: the default env var).
    ``watermark=False`` generates the same way without the processor (a baseline; no key
    needed); ``seed`` makes sampling reproducible.
    """
    import torch
    from transformers import LogitsProcessorList

    from .processor import WatermarkLogitsProcessor

    if isinstance(prompts, str):
        prompts = [prompts]
    prompts = list(prompts)
    if not prompts:
        raise WatermarkError("no prompt given; pass at least one prompt")
    for i, p in enumerate(prompts):
        if not isinstance(p, str) or not p.strip():
            raise WatermarkError(f"prompt #{i} is empty; pass some text to continue")
    if int(max_new_tokens) < 1:
        raise WatermarkError(f"max_new_tokens={max_new_tokens!r} must be >= 1")
    if not 0 <= int(min_new_tokens) <= int(max_new_tokens):
        raise WatermarkError(
            f"min_new_tokens={min_new_tokens!r} must lie between 0 and "
            f"max_new_tokens={max_new_tokens!r}"
        )
    if do_sample and not temperature > 0:
        raise WatermarkError(f"temperature={temperature!r} must be > 0 when sampling")
    if top_k is not None and int(top_k) < 0:
        raise WatermarkError(f"top_k={top_k!r} must be >= 0 (0 turns top-k off)")
    if not isinstance(config, WatermarkConfig):
        raise WatermarkError(f"config must be a WatermarkConfig, got {type(config).__name__}")
    config.check_tokenizer(tokenizer)

    pad_id = (
        tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
    )
    processors = LogitsProcessorList()
    if watermark:  # the key is only needed (and only loaded) when marking
        processors.append(WatermarkLogitsProcessor(config, load_key(key), pad_token_id=pad_id))

    texts = build_inputs(tokenizer, prompts, chat=chat)
    old_side, old_pad = tokenizer.padding_side, tokenizer.pad_token
    try:
        tokenizer.padding_side = "left"
        if tokenizer.pad_token is None:
            tokenizer.pad_token = tokenizer.eos_token
        # the chat template already holds any special tokens the model expects
        enc = tokenizer(
            texts,
            return_tensors="pt",
            padding=True,
            add_special_tokens=not (chat and getattr(tokenizer, "chat_template", None)),
        )
    finally:
        tokenizer.padding_side = old_side
        if old_pad is None:
            tokenizer.pad_token = None
    device = getattr(model, "device", None) or torch.device("cpu")
    enc = {k: v.to(device) for k, v in enc.items()}
    if seed is not None:
        torch.manual_seed(int(seed))
    sampling = (
        dict(do_sample=True, temperature=float(temperature), top_k=int(top_k or 0), top_p=1.0)
        if do_sample
        else dict(do_sample=False)
    )
    with torch.no_grad():
        out = model.generate(
            **enc,
            logits_processor=processors,
            max_new_tokens=int(max_new_tokens),
            min_new_tokens=int(min_new_tokens) or None,
            pad_token_id=pad_id,
            **sampling,
        )
    new = out[:, enc["input_ids"].shape[1] :]  # shape [B, new]; left padding keeps prompts aligned
    return tokenizer.batch_decode(new, skip_special_tokens=True)
