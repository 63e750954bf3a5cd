"""Detection of transformers' built-in watermark: the same green lists as the real
``WatermarkLogitsProcessor`` bit for bit, and text it generated on the bundled model found with
an exact p-value (library and `detect_watermark --green-lists hf-builtin`)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from watermark import WatermarkError
from watermark.detector import SKIP_CONTEXT, WATERMARKED
from watermark.hf_builtin import (
    DEFAULT_HASHING_KEY,
    HFBuiltinGreenLists,
    _fixed_table,
    hf_builtin_detector,
)

torch = pytest.importorskip("torch")
from transformers.generation.logits_process import WatermarkLogitsProcessor  # noqa: E402

SETTINGS = [("lefthash", 1), ("lefthash", 2), ("selfhash", 1), ("selfhash", 4)]
PROMPTS = [
    "Write a short story about a lighthouse keeper.",
    "Explain how rain forms.",
    "Give three tips for learning to cook.",
]
NEW_TOKENS = 60


@pytest.fixture(scope="module")
def vocab_size(model_and_tokenizer):
    return model_and_tokenizer[0].config.vocab_size


def _processor(vocab_size, scheme, h, key=DEFAULT_HASHING_KEY):
    return WatermarkLogitsProcessor(
        vocab_size=vocab_size, device="cpu", seeding_scheme=scheme, context_width=h, hashing_key=key
    )


@pytest.mark.parametrize("scheme,h", SETTINGS)
def test_green_lists_equal_the_builtin_processors_bit_for_bit(vocab_size, scheme, h):
    rng = np.random.default_rng(13)
    for key in (DEFAULT_HASHING_KEY, 2**40 + 7):
        proc = _processor(vocab_size, scheme, h, key)
        ours = HFBuiltinGreenLists(
            vocab_size, seeding_scheme=scheme, context_width=h, hashing_key=key
        )
        contexts = [rng.integers(0, vocab_size, size=h + 2) for _ in range(25)]
        contexts += [np.array([0] * (h + 1)), np.array([vocab_size - 1] * (h + 1))]
        for ctx in contexts:
            want = proc._get_greenlist_ids(torch.tensor(ctx)).numpy()
            got = ours.greenlist_ids(ctx)
            assert np.array_equal(got, want), (scheme, h, key, ctx.tolist())


def test_selfhash_fixed_table_is_the_processors(vocab_size):
    proc = _processor(vocab_size, "selfhash", 4)
    assert np.array_equal(_fixed_table(DEFAULT_HASHING_KEY), proc.fixed_table.numpy())


@pytest.mark.parametrize("scheme,h", [("lefthash", 1), ("selfhash", 4)])
def test_vectorized_scoring_decides_each_token_as_the_processor(vocab_size, scheme, h):
    """green_numpy over a whole sequence == `token in _get_greenlist_ids(prefix)` per position
    (the prefix the built-in's own detector uses), including repeated pairs."""
    rng = np.random.default_rng(5)
    ids = rng.integers(0, vocab_size, size=120)
    ids[60:80] = ids[20:40]  # repeats: the same (context, token) pairs again
    proc = _processor(vocab_size, scheme, h)
    lists = HFBuiltinGreenLists(vocab_size, seeding_scheme=scheme, context_width=h)
    green, seed = lists.green_numpy(ids)
    for i in range(ids.size):
        if seed[i] < 0:
            assert i < lists.min_context
            continue
        prefix = ids[: i + 1] if scheme == "selfhash" else ids[:i]
        want = bool((proc._get_greenlist_ids(torch.tensor(prefix)) == int(ids[i])).any())
        assert green[i] == want, (scheme, i)


@pytest.fixture(scope="module", params=[("lefthash", 1), ("selfhash", 4)], ids=lambda p: p[0])
def generated(request, model_and_tokenizer):
    """Outputs of the real built-in processor on the bundled model, and unwatermarked ones with
    the same sampling seed."""
    from transformers import WatermarkingConfig

    scheme, h = request.param
    # selfhash biases only the self-green among the 40 likeliest tokens: a larger bias gives
    # its 60 tokens a signal as clear as lefthash's at 2.0
    bias = 2.0 if scheme == "lefthash" else 4.0
    model, tok = model_and_tokenizer
    enc = tok(PROMPTS, return_tensors="pt", padding=True)
    out = {}
    for name, wm in (
        ("watermarked", WatermarkingConfig(seeding_scheme=scheme, context_width=h, bias=bias)),
        ("plain", None),
    ):
        torch.manual_seed(0)
        with torch.no_grad():
            gen = model.generate(
                **enc,
                watermarking_config=wm,
                do_sample=True,
                max_new_tokens=NEW_TOKENS,
                min_new_tokens=NEW_TOKENS,
                pad_token_id=tok.pad_token_id,
            )
        out[name] = gen[:, enc["input_ids"].shape[1] :]
    return scheme, h, out


def test_builtin_output_is_detected_and_plain_output_is_not(generated, model_and_tokenizer):
    scheme, h, out = generated
    model, tok = model_and_tokenizer
    det = hf_builtin_detector(
        tok, vocab_size=model.config.vocab_size, seeding_scheme=scheme, context_width=h
    )
    marked = det.detect_batch([row.numpy() for row in out["watermarked"]])
    assert all(r.p_value < 1e-4 and r.verdict == WATERMARKED for r in marked), [
        r.p_value for r in marked
    ]
    plain = det.detect_batch([row.numpy() for row in out["plain"]])
    assert all(r.p_value > 1e-3 and r.is_watermarked is False for r in plain), [
        r.p_value for r in plain
    ]
    # the same green lists under another hashing key: no watermark
    other = hf_builtin_detector(
        tok,
        vocab_size=model.config.vocab_size,
        seeding_scheme=scheme,
        context_width=h,
        hashing_key=DEFAULT_HASHING_KEY + 2,
    )
    assert all(r.p_value > 1e-3 for r in other.detect_batch([r.token_ids for r in marked]))
    # the first tokens only seed green lists: not scored, and said why
    r = marked[0]
    n_ctx = h if scheme == "lefthash" else h - 1
    assert [i for i, why in r.skip_reasons.items() if why == SKIP_CONTEXT] == list(range(n_ctx))


def test_counts_equal_transformers_detector_when_repeats_are_kept(generated, model_and_tokenizer):
    """Without repeat removal our counts are exactly the built-in WatermarkDetector's."""
    from transformers import WatermarkingConfig
    from transformers.generation.watermarking import WatermarkDetector as HFDetector

    scheme, h, out = generated
    model, tok = model_and_tokenizer
    ids = out["watermarked"]
    assert not np.isin(ids.numpy(), tok.all_special_ids).any()  # else we skip them, HF does not
    hf = HFDetector(
        model.config, "cpu", WatermarkingConfig(seeding_scheme=scheme, context_width=h)
    )(ids, return_dict=True)
    det = hf_builtin_detector(
        tok,
        vocab_size=model.config.vocab_size,
        seeding_scheme=scheme,
        context_width=h,
        ignore_repeated=False,
    )
    rs = det.detect_batch([row.numpy() for row in ids])
    assert [r.num_scored for r in rs] == hf.num_tokens_scored.astype(int).tolist()
    assert [r.num_green for r in rs] == hf.num_green_tokens.astype(int).tolist()
    # with our repeat removal at most as many, and the windowed search agrees on the verdict
    dedup = hf_builtin_detector(
        tok, vocab_size=model.config.vocab_size, seeding_scheme=scheme, context_width=h
    )
    assert all(a.num_scored <= b.num_scored for a, b in zip(dedup.detect_batch(ids), rs))
    assert dedup.detect_spans(ids[0].numpy()).is_watermarked


@pytest.mark.parametrize(
    "kwargs,msg",
    [
        ({"hashing_key": -1}, "hashing_key"),
        ({"hashing_key": 2**63}, "hashing_key"),
        ({"hashing_key": 1.5}, "hashing_key"),
        ({"seeding_scheme": "minhash"}, "seeding_scheme"),
        ({"greenlist_ratio": 1.0}, "greenlist_ratio"),
        ({"context_width": 0}, "context_width"),
    ],
)
def test_bad_settings_raise_watermark_error(kwargs, msg):
    with pytest.raises(WatermarkError, match=msg):
        HFBuiltinGreenLists(49152, **kwargs)


def _cli(*args, input_text=None):
    return subprocess.run(
        [sys.executable, "-m", "watermark.cli", "detect", *map(str, args)],
        input=input_text,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_cli_detects_builtin_text_and_refuses_bad_options(generated, model_and_tokenizer, tmp_path):
    scheme, h, out = generated
    _, tok = model_and_tokenizer
    marked = tmp_path / "marked.txt"
    marked.write_text(tok.decode(out["watermarked"][0], skip_special_tokens=True))
    flags = ["--green-lists", "hf-builtin", "--scheme", scheme, "--context-width", h]
    r = _cli(marked, *flags)
    assert r.returncode == 0 and ": watermarked (" in r.stdout, r.stdout + r.stderr
    r = _cli(marked, *flags, "--hashing-key", DEFAULT_HASHING_KEY + 2)
    assert r.returncode == 1, r.stdout + r.stderr  # decided: not watermarked
    for bad in (
        [*flags, "--hashing-key", "-3"],
        [*flags, "--hashing-key", "twelve"],
        [*flags, "--key", tmp_path / "none.key"],
        [*flags, "--delta", "3"],
        ["--hashing-key", "5"],  # our own green lists take no hashing key
    ):
        r = _cli(marked, *bad)
        lines = r.stderr.strip().splitlines()
        assert r.returncode == 2 and "Traceback" not in r.stderr, (bad, r.stderr)
        assert len(lines) == 1 or lines[-1].startswith("Error:"), (bad, r.stderr)
