"""WatermarkLogitsProcessor on the real bundled SmolLM2-135M-Instruct, CPU, with sampling."""

import pytest
import torch
from transformers import LogitsProcessor, LogitsProcessorList

from watermark import (
    WatermarkConfig,
    WatermarkDetector,
    WatermarkError,
    WatermarkKey,
    WatermarkLogitsProcessor,
)

KEY = WatermarkKey(b"processor-test-key-0123456789abcdef")
PROMPTS = [
    "Explain how a hash table handles collisions.",
    "Describe a walk through an autumn forest.",
]


def _generate(model, tok, proc, n_new=150, seed=0, **kw):
    chats = [
        tok.apply_chat_template(
            [{"role": "user", "content": p}], tokenize=False, add_generation_prompt=True
        )
        for p in PROMPTS
    ]
    enc = tok(chats, return_tensors="pt", padding=True, add_special_tokens=False)
    torch.manual_seed(seed)
    out = model.generate(
        **enc,
        do_sample=True,
        max_new_tokens=n_new,
        min_new_tokens=n_new,
        logits_processor=LogitsProcessorList([proc] if proc else []),
        pad_token_id=tok.pad_token_id,
        **kw,
    )
    return out[:, enc["input_ids"].shape[1] :], enc["input_ids"]


@pytest.mark.slow
@pytest.mark.parametrize(
    "scheme,h,hard", [("lefthash", 1, False), ("selfhash", 4, False), ("lefthash", 2, True)]
)
def test_watermarked_output_detected_and_plain_not(model_and_tokenizer, scheme, h, hard):
    model, tok = model_and_tokenizer
    cfg = WatermarkConfig(gamma=0.25, delta=2.0, context_width=h, scheme=scheme, hard=hard).bind(
        key=KEY, tokenizer=tok
    )
    det = WatermarkDetector(tok, cfg, KEY)
    marked, _ = _generate(
        model, tok, WatermarkLogitsProcessor(cfg, KEY, pad_token_id=tok.pad_token_id)
    )
    texts = tok.batch_decode(marked, skip_special_tokens=True)
    for r in det.detect_batch(texts):  # from text alone: retokenized, no model
        assert r.num_scored >= 75
        assert r.p_value < 1e-6, r.to_dict()
        assert r.is_watermarked is True
    plain, _ = _generate(model, tok, None, seed=1)
    for r in det.detect_batch(tok.batch_decode(plain, skip_special_tokens=True)):
        assert r.p_value > 1e-3, r.to_dict()
        assert r.is_watermarked is False


@pytest.mark.slow
def test_hard_mode_emits_only_green_tokens(model_and_tokenizer):
    model, tok = model_and_tokenizer
    cfg = WatermarkConfig(gamma=0.5, context_width=1, hard=True).bind(key=KEY, tokenizer=tok)
    ids, prompts = _generate(
        model, tok, WatermarkLogitsProcessor(cfg, KEY, pad_token_id=tok.pad_token_id), n_new=40
    )
    det = WatermarkDetector(tok, cfg, KEY, ignore_repeated=False)
    for row, prompt in zip(ids, prompts):
        first = int((prompt != tok.pad_token_id).int().argmax())  # strip the left padding only
        r = det.detect(row.numpy(), prompt=prompt[first:].numpy())
        special = set(tok.all_special_ids)
        scored = [g for t, g in zip(r.token_ids, r.green) if t not in special]
        assert scored and all(g == 1 for g in scored)


def test_processor_sees_raw_logits_before_temperature_and_top_k(model_and_tokenizer):
    """In this transformers version user processors run before temperature/top-k/top-p."""
    model, tok = model_and_tokenizer
    cfg = WatermarkConfig(gamma=0.25, delta=2.0)
    proc = WatermarkLogitsProcessor(cfg, KEY, pad_token_id=tok.pad_token_id)
    seen = {}

    class Recorder(LogitsProcessor):
        def __call__(self, input_ids, scores):
            seen.setdefault("ids", input_ids.clone())
            seen.setdefault("scores", scores.clone())
            return scores

    enc = tok(["The capital of France is"], return_tensors="pt", add_special_tokens=False)
    model.generate(
        **enc,
        do_sample=True,
        temperature=0.5,
        top_k=5,
        top_p=0.9,
        max_new_tokens=1,
        logits_processor=LogitsProcessorList([proc, Recorder()]),
        pad_token_id=tok.pad_token_id,
    )
    with torch.no_grad():
        raw = model(**enc).logits[:, -1].float()
    green = proc.green_mask(enc["input_ids"], raw.shape[-1])
    expected = raw + 2.0 * green.float()
    assert torch.isfinite(seen["scores"]).all()  # top-k has not cut anything yet
    assert torch.allclose(seen["scores"], expected, atol=1e-4)  # and no division by temperature


def test_left_padding_does_not_change_a_rows_bias():
    cfg = WatermarkConfig(gamma=0.25, delta=2.0, context_width=3, scheme="lefthash")
    pad = 0
    for fused in (True, False):
        proc = WatermarkLogitsProcessor(cfg, KEY, pad_token_id=pad, fused=fused)
        assert proc.fused is fused  # numba imported: the fused path is really tested
        row = torch.tensor([[5, 6]])
        padded = torch.tensor([[0, 0, 0, 5, 6], [9, 8, 7, 5, 6]])
        scores = torch.zeros(2, 64)
        alone = proc(row, scores[:1])
        both = proc(padded, scores)
        assert torch.equal(alone[0], both[0])  # pads did not enter the context
        assert not torch.equal(both[0], both[1])  # a real third token does
        assert bool(proc._kernels) is fused  # the fused kernel ran exactly when asked for


def test_vocab_size_taken_from_scores_and_float64_and_hard():
    cfg = WatermarkConfig(gamma=0.25, delta=2.0, hard=True)
    ids = torch.randint(0, 1000, (3, 7))
    for V in (1000, 1024):
        for dtype in (torch.float32, torch.float64, torch.bfloat16):
            s = torch.randn(3, V, dtype=dtype)
            fused = WatermarkLogitsProcessor(cfg, KEY, fused=True)
            assert fused.fused  # numba imported: otherwise torch is compared with itself
            out_f = fused(ids, s)
            # the fused kernel runs on float32/float64 CPU scores; bfloat16 takes the torch path
            assert bool(fused._kernels) is (dtype != torch.bfloat16)
            out_t = WatermarkLogitsProcessor(cfg, KEY, fused=False)(ids, s)
            assert out_f.shape == (3, V) and out_f.dtype == dtype
            assert torch.equal(out_f, out_t)
            frac = torch.isinf(out_f).float().mean().item()
            assert 0.65 < frac < 0.85  # red share ~ 1 - gamma


def test_processor_does_not_modify_scores_in_place():
    s = torch.randn(2, 500)
    before = s.clone()
    WatermarkLogitsProcessor(WatermarkConfig(), KEY)(torch.randint(0, 500, (2, 4)), s)
    assert torch.equal(s, before)


def test_processor_rejects_mismatched_key_and_missing_key(monkeypatch):
    cfg = WatermarkConfig().bind(key=KEY)
    with pytest.raises(WatermarkError, match="key_id"):
        WatermarkLogitsProcessor(cfg, WatermarkKey.generate())
    monkeypatch.delenv("GENAI_WATERMARK_KEY", raising=False)
    with pytest.raises(WatermarkError, match="no watermark key"):
        WatermarkLogitsProcessor(WatermarkConfig(), None)
