"""WatermarkDetector: exact p-values, false positives on real human text, windows, key rings."""

import numpy as np
import pytest
from scipy import stats as sps

from watermark import KeyRing, WatermarkConfig, WatermarkDetector, WatermarkError, WatermarkKey
from watermark.detector import SKIP_REPEAT, SKIP_SPECIAL, TOO_SHORT, WATERMARKED
from watermark.stats import binomial_sf

KEY = WatermarkKey(b"detector-test-key-0123456789abcdef")


def _greedy_green_ids(prf, n, V=49152, start=(100,), seed=0):
    """An id sequence whose every token is green under ``prf`` (stands in for hard-mode output)."""
    rng = np.random.default_rng(seed)
    ids = list(start)
    while len(ids) < n + len(start):
        cands = rng.integers(200, V, 64)
        for c in cands:
            g, _ = prf.green_numpy(np.array(ids + [int(c)]))
            if g[-1]:
                ids.append(int(c))
                break
    return np.array(ids[len(start) :])


@pytest.mark.parametrize("scheme,h", [("lefthash", 1), ("selfhash", 4)])
def test_false_positives_on_human_text_and_p_values_not_skewed_low(
    tokenizer, human_paragraphs, scheme, h
):
    pvals = []
    for i in range(4):
        key = WatermarkKey(bytes([i + 1]) * 32)
        cfg = WatermarkConfig(scheme=scheme, context_width=h)
        det = WatermarkDetector(tokenizer, cfg, key)
        res = det.detect_batch(human_paragraphs)
        decided = [r for r in res if r.verdict != TOO_SHORT]
        assert len(decided) > 300
        assert not any(r.is_watermarked for r in decided), [
            r.p_value for r in decided if r.is_watermarked
        ]
        pvals += [r.p_value for r in decided]
    pvals = np.array(pvals)
    # exact binomial tails are discrete, hence conservative: the empirical CDF must not lie
    # above the uniform one (one-sided KS), nor the rejection rate above alpha at any level.
    assert sps.kstest(pvals, "uniform", alternative="greater").pvalue > 0.01
    for alpha in (0.01, 0.05, 0.1, 0.25, 0.5):
        assert (pvals <= alpha).mean() <= alpha + 3 * np.sqrt(alpha / len(pvals)) + 0.005


def test_exact_p_value_and_counts(tokenizer):
    cfg = WatermarkConfig(gamma=0.25)
    det = WatermarkDetector(tokenizer, cfg, KEY)
    ids = _greedy_green_ids(cfg.prf(KEY), 30)
    r = det.detect(ids, prompt=[100])  # the context the tokens were chosen in
    assert r.num_scored == r.num_green == 30
    assert r.p_value == pytest.approx(
        binomial_sf(r.num_green, r.num_scored, cfg.effective_gamma), rel=1e-12
    )
    assert r.p_value == pytest.approx(cfg.effective_gamma**r.num_scored, rel=1e-6)  # all green
    assert r.verdict == WATERMARKED and r.is_watermarked
    assert r.z_score > 5


def test_normal_approximation_understates_short_text_tail():
    """Why exact: at n=25, gamma=.25, 13 greens the normal tail is several times too small."""
    k, n, g = 13, 25, 0.25
    exact = binomial_sf(k, n, g)
    z = (k - n * g) / np.sqrt(n * g * (1 - g))
    assert exact > 3 * sps.norm.sf(z)


def test_repeats_are_scored_once_and_reported(tokenizer):
    cfg = WatermarkConfig()
    det = WatermarkDetector(tokenizer, cfg, KEY)
    ids = np.array([500, 600] * 40)
    r = det.detect(ids)
    assert r.num_scored == 3  # (500,600), (600,500) pairs + first token with empty context
    assert list(r.skip_reasons.values()).count(SKIP_REPEAT) == 77
    assert r.verdict == TOO_SHORT and r.is_watermarked is None
    r2 = WatermarkDetector(tokenizer, cfg, KEY, ignore_repeated=False).detect(ids)
    assert r2.num_scored == 80


def test_special_tokens_and_prompt_not_scored(tokenizer):
    det = WatermarkDetector(tokenizer, WatermarkConfig(), KEY)
    ids = np.array([1, 700, 701, 702, 2, 703])
    r = det.detect(ids)
    assert r.skip_reasons == {0: SKIP_SPECIAL, 4: SKIP_SPECIAL}
    assert r.green[0] == -1 and r.green[4] == -1
    # prompt tokens are context, not scored: the result covers only the text
    r2 = det.detect(ids[3:], prompt=ids[:3])
    assert r2.num_tokens == 3
    assert r2.green[0] == r.green[3]  # same context -> same decision


def test_text_and_ids_agree_and_offsets_cover_text(tokenizer, human_paragraphs):
    det = WatermarkDetector(tokenizer, WatermarkConfig(), KEY)
    text = human_paragraphs[3]
    r_text = det.detect(text)
    ids = tokenizer(text, add_special_tokens=False)["input_ids"]
    r_ids = det.detect(ids)
    assert (r_text.num_green, r_text.num_scored) == (r_ids.num_green, r_ids.num_scored)
    assert r_text.offsets[0][0] == 0 and r_text.offsets[-1][1] == len(text)
    batch = det.detect_batch(human_paragraphs[:5])
    single = [det.detect(t) for t in human_paragraphs[:5]]
    assert [b.p_value for b in batch] == [s.p_value for s in single]


def test_windowed_detection_finds_pasted_span(tokenizer, human_paragraphs):
    cfg = WatermarkConfig(gamma=0.25)
    det = WatermarkDetector(tokenizer, cfg, KEY)
    human = tokenizer(" ".join(human_paragraphs[10:20]), add_special_tokens=False)["input_ids"][
        :900
    ]
    marked = _greedy_green_ids(cfg.prf(KEY), 80, start=(human[449],), seed=3)
    ids = np.array(human[:450] + marked.tolist() + human[450:])
    whole = det.detect(ids)
    res = det.detect_spans(ids)
    assert res.is_watermarked and res.windows_searched > 20
    assert res.p_value < 1e-6
    assert res.p_value < whole.p_value
    assert len(res.spans) >= 1
    s = max(res.spans, key=lambda s: s.num_green)
    # the span overlaps the pasted region [450, 530)
    assert s.token_start < 530 and s.token_end > 450
    # human text alone: nothing found, p-value corrected for the windows searched
    h = det.detect_spans(np.array(human))
    assert not h.is_watermarked and h.spans == []


def test_windowed_spans_have_char_offsets(model_and_tokenizer, human_paragraphs):
    """Human text, then a watermarked answer, then human text: the span's char_start/char_end
    must point at the answer inside the text."""
    from watermark.generate import generate_watermarked

    model, tok = model_and_tokenizer
    cfg = WatermarkConfig(delta=4.0)
    [marked] = generate_watermarked(
        model, tok, ["Explain how rain forms."], cfg, KEY, max_new_tokens=120, seed=1
    )
    marked = marked.strip()
    before, after = " ".join(human_paragraphs[:12])[:4000], " ".join(human_paragraphs[12:24])[:4000]
    text = before + "\n\n" + marked + "\n\n" + after
    start, end = len(before) + 2, len(before) + 2 + len(marked)
    r = WatermarkDetector(tok, cfg, KEY).detect_spans(text)
    assert r.verdict == WATERMARKED and r.spans, r.p_value
    for s in r.spans:
        assert (
            s.char_start == r.offsets[s.token_start][0]
            and s.char_end == r.offsets[s.token_end - 1][1]
        )
    assert all(
        s.char_end > start and s.char_start < end for s in r.spans
    )  # each span hits the answer
    covered = sum(min(s.char_end, end) - max(s.char_start, start) for s in r.spans)
    assert covered >= 0.9 * (end - start)  # together they cover it
    # merged windows (up to 256 scored tokens, ~1,400 chars) reach into the human text around
    # the answer, but not across the 4,000 chars on either side
    assert (
        min(s.char_start for s in r.spans) > start - 2000
        and max(s.char_end for s in r.spans) < end + 2000
    )


def test_streamed_detection_equals_whole_text_detection(tokenizer, human_paragraphs):
    """detect_stream over small blocks, cut into many pieces, gives exactly detect()'s result."""
    text = (
        "\n\n".join(human_paragraphs[:120])
        + " 12345  \n\n\n  x\r\n<|im_end|> tail \u00e9\u6771 "
        + " ".join(human_paragraphs[:20])
    )  # repeats, digits, odd whitespace, a special token
    keys = KeyRing.of([WatermarkKey(b"s" * 32), KEY])
    for cfg in (WatermarkConfig(), WatermarkConfig(scheme="selfhash", context_width=4)):
        det = WatermarkDetector(tokenizer, cfg, keys)
        whole = det.detect(text)
        blocks = [text[i : i + 3001] for i in range(0, len(text), 3001)]
        pieces = list(det._pieces(iter(blocks), 2000))
        assert len(pieces) > 20 and "".join(p for _, _, p in pieces) == text
        streamed = det.detect_stream(iter(blocks), piece_chars=2000)
        assert streamed.to_dict(tokens=True) == whole.to_dict(tokens=True)
        assert streamed.text == text and streamed.num_tokens_kept is None
        head = det.detect_stream(iter(blocks), piece_chars=2000, keep_tokens=500)
        assert head.num_tokens_kept == 500 and head.num_tokens == whole.num_tokens
        assert np.array_equal(head.green, whole.green[:500])
        assert head.text == text[: whole.offsets[499][1]]
        assert head.to_dict()["skipped"] == whole.to_dict()["skipped"]
        assert (head.p_value, head.num_scored, head.num_green) == (
            whole.p_value,
            whole.num_scored,
            whole.num_green,
        )


def test_key_ring_reports_matching_key_with_corrected_p(tokenizer):
    cfg = WatermarkConfig()
    other = [WatermarkKey(bytes([i]) * 32) for i in range(3, 6)]
    ids = _greedy_green_ids(cfg.prf(KEY), 40, seed=5)
    single = WatermarkDetector(tokenizer, cfg, KEY).detect(ids)
    ring = WatermarkDetector(tokenizer, cfg, KeyRing.of(other + [KEY])).detect(ids)
    assert ring.key_id == KEY.key_id and ring.keys_tried == 4
    assert ring.p_value == pytest.approx(min(1.0, 4 * single.p_value))
    assert ring.p_value_uncorrected == pytest.approx(single.p_value)


def test_config_mismatches_are_clear_errors(tokenizer):
    with pytest.raises(WatermarkError, match="tokens"):
        WatermarkDetector(tokenizer, WatermarkConfig(vocab_size=32000), KEY)
    with pytest.raises(WatermarkError, match="fingerprint"):
        WatermarkDetector(tokenizer, WatermarkConfig(tokenizer_fingerprint="0" * 16), KEY)
    with pytest.raises(WatermarkError, match="key_id"):
        WatermarkDetector(tokenizer, WatermarkConfig().bind(key=KEY), WatermarkKey.generate())
    det = WatermarkDetector(tokenizer, WatermarkConfig(), KEY)
    with pytest.raises(WatermarkError, match="empty"):
        det.detect("   ")
    with pytest.raises(WatermarkError, match="integers"):
        det.detect([[1, 2], [3, 4]])
