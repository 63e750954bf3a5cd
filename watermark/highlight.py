"""Show a DetectionResult token by token: green tokens on green, red on red, unscored dim.

Two renderers share one walk over the text (:func:`token_pieces`): :func:`to_rich` for the
terminal and :func:`to_html` for a self-contained page an auditor can open anywhere. Every
piece of user text is escaped; nothing from the input is ever interpreted as markup.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence

from genai_provenance.terminal import safe_text

from .detector import NOT_WATERMARKED, WATERMARKED, DetectionResult

GREEN, RED, SKIPPED, GAP = 1, 0, -1, None

# what one HTML page renders at most (the verdicts and counts always cover everything)
HTML_MAX_TOKENS = 20_000  # tokens shown per input
HTML_MAX_INPUTS = 100  # inputs shown per page

RICH_STYLES = {GREEN: "black on green", RED: "white on red", SKIPPED: "dim"}


def token_pieces(
    result: DetectionResult, tokenizer=None
) -> list[tuple[str, int | None, str | None]]:
    """The text cut into ``(piece, state, skip_reason)``: state 1 green, 0 red, -1 unscored,
    None for text between tokens (spaces the tokenizer's offsets leave out).

    Uses the character offsets when the result has them (so the pieces add up to the text
    exactly), else decodes each token id with ``tokenizer``, else shows ``[id]``.
    """
    green = [int(g) for g in result.green]
    ids = [int(t) for t in result.token_ids]
    reasons = result.skip_reasons or {}
    out: list[tuple[str, int | None, str | None]] = []
    if result.offsets is not None and result.text is not None:
        text, cursor = result.text, 0
        for i, (s, e) in enumerate(result.offsets):
            s = max(int(s), cursor)
            e = max(int(e), s)
            if s > cursor:
                out.append((text[cursor:s], GAP, None))
            if e > s:  # several byte-level tokens can share one character: show it once
                out.append((text[s:e], green[i], reasons.get(i)))
            cursor = max(cursor, e)
        if cursor < len(text):
            out.append((text[cursor:], GAP, None))
        return out
    for i, t in enumerate(ids):
        piece = tokenizer.decode([t]) if tokenizer is not None else f"[{t}]"
        out.append((piece, green[i], reasons.get(i)))
    return out


def summary_line(result: DetectionResult, name: str | None = None) -> str:
    """One line: ``name: verdict (p=…, z=…, green k/n scored, key …)``."""
    head = f"{name}: " if name else ""
    facts = [
        f"p={format_p(result.p_value)}",
        f"z={result.z_score:.2f}",
        f"green {result.num_green}/{result.num_scored} scored of {result.num_tokens} tokens",
    ]
    if result.key_id:
        facts.append(f"key {result.key_id}")
    return f"{head}{result.verdict} ({', '.join(facts)})"


def format_p(p: float) -> str:
    if p >= 0.001 or p == 0.0:
        return f"{p:.3g}" if p != 0.0 else "0"
    return f"{p:.2e}"


def to_rich(result: DetectionResult, *, name: str | None = None, tokenizer=None):
    """A ``rich.text.Text``: the verdict line, then the text with each token coloured.

    Safe for a terminal: a ``Text`` is never parsed as markup, and control characters in the
    name and the text (ANSI/OSC escapes) are shown as escapes (:func:`safe_text`).
    """
    from rich.text import Text

    style = {WATERMARKED: "bold green", NOT_WATERMARKED: "bold"}.get(result.verdict, "bold yellow")
    out = Text()
    out.append(
        summary_line(result, None if name is None else safe_text(name, keep_newlines=False)),
        style=style,
    )
    out.append("\n")
    for piece, state, _ in token_pieces(result, tokenizer):
        out.append(safe_text(piece), style=RICH_STYLES.get(state, "") if state is not None else "")
    if result.token_ids.size < result.num_tokens:
        out.append(
            f"\n[… showing the first {result.token_ids.size} of {result.num_tokens} tokens; "
            "the verdict covers all of them]",
            style="dim",
        )
    return out


_CSS = """
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.4rem} h2{font-size:1.1rem;margin:0 0 .3rem}
section{border:1px solid #ddd;border-radius:6px;padding:1rem;margin:1rem 0}
.verdict{font-weight:600} .v-watermarked{color:#13792f} .v-not{color:#444} .v-short{color:#a15c00}
table.facts{border-collapse:collapse;margin:.3rem 0 .8rem} table.facts td{padding:0 1rem 0 0}
.tokens{white-space:pre-wrap;font-family:ui-monospace,monospace;font-size:13px;line-height:1.8}
.g{background:#b6ecc0} .r{background:#f7c1c1} .s{color:#999}
.cap{color:#a15c00;font-style:italic}
.legend span{padding:0 .4rem;margin-right:.5rem;font-family:ui-monospace,monospace}
"""

_CLASS = {GREEN: "g", RED: "r", SKIPPED: "s"}


def _verdict_class(verdict: str) -> str:
    return {WATERMARKED: "v-watermarked", NOT_WATERMARKED: "v-not"}.get(verdict, "v-short")


def _section(result: DetectionResult, name: str, tokenizer, max_tokens: int) -> str:
    e = html.escape
    result = result.head(max_tokens)
    facts = [
        ("verdict", result.verdict),
        ("p-value", format_p(result.p_value)),
        ("z-score", f"{result.z_score:.2f}"),
        ("green / scored", f"{result.num_green} / {result.num_scored}"),
        ("tokens", str(result.num_tokens)),
        ("threshold", format_p(result.threshold)),
        ("key id", result.key_id or "-"),
    ]
    if result.spans:
        facts.append(
            (
                "spans",
                "; ".join(
                    f"chars {s.char_start}-{s.char_end} (p={format_p(s.p_value)})"
                    if s.char_start is not None
                    else f"tokens {s.token_start}-{s.token_end} (p={format_p(s.p_value)})"
                    for s in result.spans
                ),
            )
        )
    rows = "".join(f"<tr><td>{e(k)}</td><td>{e(v)}</td></tr>" for k, v in facts)
    toks = []
    for piece, state, reason in token_pieces(result, tokenizer):
        if state is None:
            toks.append(e(piece))
        else:
            title = f' title="{e(reason)}"' if reason else ""
            toks.append(f'<span class="{_CLASS[state]}"{title}>{e(piece)}</span>')
    shown = result.token_ids.size
    note = (
        f'<p class="cap">Showing the first {shown} of {result.num_tokens} tokens; the verdict '
        f"and counts cover all {result.num_tokens}.</p>\n"
        if shown < result.num_tokens
        else ""
    )
    return (
        f'<section>\n<h2>{e(name)}: <span class="verdict {_verdict_class(result.verdict)}">'
        f'{e(result.verdict)}</span></h2>\n<table class="facts">{rows}</table>\n{note}'
        f'<div class="tokens">{"".join(toks)}</div>\n</section>\n'
    )


def to_html(
    results: DetectionResult | Sequence[DetectionResult],
    title: str = "Watermark detection",
    *,
    names: Iterable[str] | None = None,
    tokenizer=None,
    max_tokens: int = HTML_MAX_TOKENS,
    max_inputs: int = HTML_MAX_INPUTS,
    total_inputs: int | None = None,
    total_watermarked: int | None = None,
) -> str:
    """A self-contained HTML page: one section per result with its verdict, p-value, z-score,
    counts and coloured tokens, plus a legend. ``names`` label the sections (default 1, 2, …);
    ``tokenizer`` decodes tokens of results that carry ids but no text offsets.

    The page stays small: it shows at most ``max_inputs`` sections and ``max_tokens`` tokens per
    section, and says so where it cuts. ``total_inputs``/``total_watermarked`` give the counts
    when ``results`` are only the first of more inputs (the CLI keeps only those).
    """
    if isinstance(results, DetectionResult):
        results = [results]
    results = list(results)
    names = (
        [str(n) for n in names]
        if names is not None
        else [f"input {i + 1}" for i in range(len(results))]
    )
    if len(names) != len(results):
        from .errors import WatermarkError

        raise WatermarkError(f"got {len(results)} results but {len(names)} names")
    e = html.escape
    n_wm = (
        sum(1 for r in results if r.verdict == WATERMARKED)
        if total_watermarked is None
        else int(total_watermarked)
    )
    n_all = len(results) if total_inputs is None else int(total_inputs)
    shown = results[: max(0, int(max_inputs))]
    legend = (
        '<p class="legend"><span class="g">green</span><span class="r">red</span>'
        '<span class="s">not scored</span> A watermarked text has many more green tokens than '
        "the expected fraction (gamma); p is the exact chance of that many or more by luck.</p>"
    )
    gamma = results[0].gamma if results else math.nan
    body = "".join(_section(r, n, tokenizer, max_tokens) for r, n in zip(shown, names))
    cap = (
        f'<p class="cap">Showing the first {len(shown)} of {n_all} inputs; the JSON output '
        f"(<code>--json</code>) lists every verdict.</p>\n"
        if len(shown) < n_all
        else ""
    )
    return (
        f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{e(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<h1>{e(title)}</h1>\n"
        f"<p>{n_all} input(s), {n_wm} watermarked; gamma {gamma:.4g}.</p>\n{legend}\n"
        f"{cap}{body}</body>\n</html>\n"
    )
