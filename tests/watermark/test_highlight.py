"""Per-token rendering: pieces add up to the text, colours match the green mask, HTML is escaped."""

from __future__ import annotations

import html
import re

import numpy as np
import pytest
import torch

from watermark.config import WatermarkConfig
from watermark.detector import WatermarkDetector
from watermark.errors import WatermarkError
from watermark.highlight import RICH_STYLES, summary_line, to_html, to_rich, token_pieces
from watermark.keys import WatermarkKey
from watermark.models import load_tokenizer
from watermark.processor import WatermarkLogitsProcessor

TRICKY = (
    "<script>alert('x')</script> & \"quotes\"  double  spaces\n\tTabs, café, 東京, emoji 🎉🎉 "
    "and the the the repeated words until the text is long enough to score."
)


@pytest.fixture(scope="module")
def tok():
    return load_tokenizer()


@pytest.fixture(scope="module")
def setup(tok):
    key = WatermarkKey(bytes(range(32)))
    config = WatermarkConfig().bind(key=key, tokenizer=tok)
    return key, config, WatermarkDetector(tok, config, key)


@pytest.fixture(scope="module")
def marked_ids(setup, tok):
    """60 token ids that are all green: hard-mode processor on random logits, argmax each step."""
    key, config, _ = setup
    hard = WatermarkConfig(hard=True).bind(key=key)
    proc = WatermarkLogitsProcessor(hard, key)
    gen = torch.Generator().manual_seed(0)
    ids = torch.tensor([[tok.convert_tokens_to_ids("The")]])
    for _ in range(60):
        scores = torch.randn(1, len(tok), generator=gen)
        nxt = proc(ids, scores).argmax(-1, keepdim=True)
        ids = torch.cat([ids, nxt], dim=1)
    return ids[0].tolist()


def _plain(page: str) -> str:
    """What a reader sees in the token area: tags removed, entities decoded."""
    body = re.search(r'<div class="tokens">(.*?)</div>', page, re.S).group(1)
    return html.unescape(re.sub(r"</?span[^>]*>", "", body))


def test_pieces_from_offsets_add_up_to_the_text(setup):
    res = setup[2].detect(TRICKY)
    pieces = token_pieces(res)
    assert "".join(p for p, _, _ in pieces) == TRICKY
    states = [s for _, s, _ in pieces if s is not None]
    assert set(states) <= {1, 0, -1}
    # every green token that owns characters shows up as one green piece
    n_green_with_text = sum(
        1 for i, (a, b) in enumerate(res.offsets) if res.green[i] == 1 and b > a
    )
    assert states.count(1) <= n_green_with_text and states.count(1) >= 1


def test_skipped_tokens_carry_their_reason(setup):
    res = setup[2].detect(TRICKY + "<|im_end|>")
    skipped = [(p, r) for p, s, r in token_pieces(res) if s == -1]
    assert {r for _, r in skipped} == {"repeated", "special"}
    assert [p for p, r in skipped if r == "special"] == ["<|im_end|>"]
    assert all(r == "repeated" for p, r in skipped if p != "<|im_end|>")
    assert " the" in [p for p, r in skipped if r == "repeated"]  # "the the the": the repeats


def test_pieces_from_ids_decode_each_token(setup, tok, marked_ids):
    res = setup[2].detect(marked_ids)
    assert res.offsets is None
    pieces = token_pieces(res, tok)
    assert len(pieces) == len(marked_ids)
    assert "".join(p for p, _, _ in pieces) == tok.decode(marked_ids)
    assert [s for _, s, _ in pieces] == res.green.tolist()
    assert token_pieces(res)[1][0] == f"[{marked_ids[1]}]"  # no tokenizer: show the id


def test_to_rich_header_and_token_styles(setup, marked_ids, tok):
    res = setup[2].detect(marked_ids)
    assert res.verdict == "watermarked"
    text = to_rich(res, name="doc.txt", tokenizer=tok)
    header, body = text.plain.split("\n", 1)
    assert header == summary_line(res, "doc.txt")
    assert header.startswith("doc.txt: watermarked (p=") and res.key_id in header
    assert body == tok.decode(marked_ids)
    green_spans = [s for s in text.spans if s.style == RICH_STYLES[1]]
    assert len(green_spans) == int((res.green == 1).sum())
    red_spans = [s for s in text.spans if s.style == RICH_STYLES[0]]
    assert len(red_spans) == int((res.green == 0).sum())


def test_to_html_escapes_and_reports_each_input(setup, marked_ids, tok):
    det = setup[2]
    human = det.detect(TRICKY)
    marked = det.detect(marked_ids)
    page = to_html(
        [human, marked],
        title="Audit <b>run</b>",
        names=["<img src=x onerror=alert(1)>", "ids"],
        tokenizer=tok,
    )
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<script" not in page.lower() and "<img" not in page and "<b>run" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "Audit &lt;b&gt;run&lt;/b&gt;" in page
    assert page.count("<section>") == 2
    assert _plain(page) == TRICKY  # the first section shows the text exactly, nothing lost or added
    assert 'verdict v-watermarked">watermarked</span>' in page
    assert f">{human.verdict}</span>" in page
    assert (
        "1 watermarked" in page and "green</span>" in page and "not scored" in page
    )  # summary + legend
    assert f"{marked.num_green} / {marked.num_scored}" in page and marked.key_id in page
    assert re.search(r"<td>p-value</td><td>\d", page)


def test_to_html_single_result_and_name_mismatch(setup):
    res = setup[2].detect(TRICKY)
    page = to_html(res)
    assert "input 1" in page and page.count("<section>") == 1
    with pytest.raises(WatermarkError, match="2 names"):
        to_html([res], names=["a", "b"])


def test_summary_line_formats_tiny_p_values(setup, marked_ids):
    res = setup[2].detect(marked_ids)
    line = summary_line(res)
    assert re.search(r"p=\d\.\d\de-\d+", line), line
    assert f"green {res.num_green}/{res.num_scored} scored of {res.num_tokens} tokens" in line
    assert np.isfinite(res.z_score) and f"z={res.z_score:.2f}" in line


def test_html_page_caps_tokens_and_inputs_and_says_so(setup, tok):
    text = " ".join(["The quick brown fox jumps over the lazy dog."] * 40)
    res = setup[2].detect(text)
    page = to_html(
        [res] * 5, names=[f"doc{i}" for i in range(5)], tokenizer=tok, max_tokens=30, max_inputs=2
    )
    assert page.count("<section>") == 2 and "doc1" in page and "doc2" not in page
    assert "Showing the first 2 of 5 inputs" in page
    assert f"Showing the first 30 of {res.num_tokens} tokens" in page
    token_spans = sum(page.count(f'<span class="{c}"') for c in "grs")
    assert token_spans == 2 * 30 + 3  # two sections of 30 tokens, and the legend's three
    assert "5 input(s)" in page
    full = to_html([res], tokenizer=tok)
    assert "Showing the first" not in full  # nothing cut, nothing said
