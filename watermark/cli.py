"""`watermark keygen|generate|detect` and `detect_watermark` (= `watermark detect`).

A thin shell: parse options, call the library, format the result. Errors a user can cause
surface as one line on stderr (``Error: …``) and exit code 2; nothing else is caught. Heavy
imports (torch for generation, transformers for the tokenizer) happen inside the commands.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import fields
from pathlib import Path

import click

from genai_provenance.cli import CONTEXT_SETTINGS, EXIT_USAGE, errors_to_exit, run
from genai_provenance.offline import quiet_transformers
from genai_provenance.terminal import safe_text

from .config import WatermarkConfig
from .detector import (
    DEFAULT_KEEP_TOKENS,
    DEFAULT_MIN_TOKENS,
    DEFAULT_THRESHOLD,
    TOO_SHORT,
    WATERMARKED,
    DetectionResult,
)
from .errors import WatermarkError
from .generate import DEFAULT_MAX_NEW_TOKENS, DEFAULT_TEMPERATURE, DEFAULT_TOP_K
from .hf_builtin import DEFAULT_GREENLIST_RATIO, DEFAULT_HASHING_KEY
from .inputs import DEFAULT_MAX_BYTES, Input, decode_text, iter_inputs

EXIT_FOUND = 0  # at least one input is watermarked
EXIT_NOT_FOUND = 1  # every input was decided: not watermarked
EXIT_ERROR = EXIT_USAGE  # usage or input error (nothing was decided)
EXIT_TOO_SHORT = 3  # nothing watermarked, and at least one input was too short to decide

PROGRESS_CHUNK = 64  # short inputs scored per batch
GREEN_LISTS = ("ours", "hf-builtin")  # detect --green-lists: whose watermark to score

EXIT_CODES_HELP = """\b
Exit codes (like grep):
  0  a watermark was found in at least one input
  1  no watermark: every input was decided "not watermarked"
  2  usage or input error (bad file, key, config, tokenizer); nothing decided
  3  no watermark found, but some inputs were too short to decide"""


# ---- config options shared by keygen, generate and detect ------------------------------------

_PARAM_NAMES = ("gamma", "delta", "context_width", "scheme", "hard")


def _param_options(fn):
    """--gamma --delta --context-width --scheme --hard/--soft (None = not given; the defaults
    shown are WatermarkConfig's)."""
    from .prf import SCHEMES

    d = {f.name: f.default for f in fields(WatermarkConfig)}
    opts = [
        click.option(
            "--gamma",
            type=float,
            default=None,
            help=f"Green fraction of the vocabulary, 0 < gamma < 1 [default: {d['gamma']}].",
        ),
        click.option(
            "--delta",
            type=float,
            default=None,
            help=f"Logit bias added to green tokens while generating [default: {d['delta']}].",
        ),
        click.option(
            "--context-width",
            type=int,
            default=None,
            help="How many previous tokens seed each green list (h) "
            f"[default: {d['context_width']}].",
        ),
        click.option(
            "--scheme",
            type=click.Choice(SCHEMES),
            default=None,
            help=f"Seeding scheme [default: {d['scheme']}].",
        ),
        click.option(
            "--hard/--soft",
            default=None,
            help="Forbid red tokens outright instead of biasing them "
            f"[default: {'--hard' if d['hard'] else '--soft'}].",
        ),
    ]
    for opt in reversed(opts):
        fn = opt(fn)
    return fn


def config_from_options(config_path: str | None, **params):
    """The WatermarkConfig from ``--config FILE`` or from the parameter flags (not both)."""
    given = {k: v for k, v in params.items() if v is not None}
    if config_path is not None:
        if given:
            flags = ", ".join("--" + k.replace("_", "-") for k in given)
            raise WatermarkError(
                f"pass either --config or {flags}, not both "
                "(the config file already fixes the parameters)"
            )
        return WatermarkConfig.load(config_path)
    return WatermarkConfig(**given)


# ---- detection -----------------------------------------------------------------------------------

BATCH_CHARS = 4 * 1024 * 1024  # short inputs are scored together up to this many characters


def detect_inputs(
    detector,
    items: Iterable[Input],
    *,
    windowed: bool = False,
    scan: bool = False,
    scan_method: str = "hmm",
    keep_tokens: int = DEFAULT_KEEP_TOKENS,
) -> Iterator[tuple[str, DetectionResult]]:
    """``(name, result)`` for every input, in order: short inputs in vectorized batches, long
    ones streamed (:meth:`WatermarkDetector.detect_stream`), each searched one by one with
    ``windowed`` (Bonferroni windows) or ``scan`` (a calibrated span statistic, ``scan_method``
    hmm or maxlr: :meth:`WatermarkDetector.detect_scan`). Holds one
    batch (or one long input's pieces) at a time."""
    search = windowed or scan
    batch: list[Input] = []
    chars = 0

    def flush():
        results = detector.detect_batch([b.text for b in batch])
        out = [(b.name, r) for b, r in zip(batch, results)]
        batch.clear()
        return out

    for item in items:
        if item.text is not None and not search:
            batch.append(item)
            chars += len(item.text)
            if len(batch) >= PROGRESS_CHUNK or chars >= BATCH_CHARS:
                yield from flush()
                chars = 0
            continue
        if batch:
            yield from flush()
            chars = 0
        if search:  # the span search needs the whole text (at most --max-bytes)
            text = item.text if item.text is not None else "".join(item.blocks)
            yield (
                item.name,
                (
                    detector.detect_scan(text, method=scan_method)
                    if scan
                    else detector.detect_spans(text)
                ),
            )
        else:
            yield item.name, detector.detect_stream(item.blocks, keep_tokens=keep_tokens)
    if batch:
        yield from flush()


def exit_code_for(verdicts: Iterable[str]) -> int:
    """0 if any input is watermarked, 3 if none is but some are too short, else 1."""
    verdicts = set(verdicts)
    if WATERMARKED in verdicts:
        return EXIT_FOUND
    if TOO_SHORT in verdicts:
        return EXIT_TOO_SHORT
    return EXIT_NOT_FOUND


# ---- commands -------------------------------------------------------------------------------------

_KEY_HELP = (
    "Key file from `watermark keygen`, or env:VAR to read it from an environment "
    "variable [default: env:GENAI_WATERMARK_KEY]."
)


@click.group(context_settings=CONTEXT_SETTINGS, epilog=EXIT_CODES_HELP)
@click.version_option(package_name="genai-provenance", help="Show the version and exit.")
def cli():
    """Watermark LLM output while generating it, and detect the watermark in text later.

    \b
      watermark keygen -o wm.key --config wm.json
      watermark generate "Write a haiku" --key wm.key --config wm.json > out.txt
      watermark detect out.txt --key wm.key --config wm.json
    """


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="Where to write the secret key (hex, permissions 0600).",
)
@click.option("--force", is_flag=True, help="Overwrite existing key and config files.")
@click.option(
    "--config",
    "config_out",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also write the public config (parameters, key id, tokenizer fingerprint) here.",
)
@_param_options
@click.option(
    "--tokenizer",
    "tokenizer_path",
    type=click.Path(),
    default=None,
    help="Bind the config to this local tokenizer/model dir [default: the bundled SmolLM2].",
)
@errors_to_exit(WatermarkError)
def keygen(output, force, config_out, gamma, delta, context_width, scheme, hard, tokenizer_path):
    """Make a new random watermark key; print its key id.

    The key file is secret. The config written with --config is public: detectors need it and
    the key, never the model.
    """
    from .keys import WatermarkKey

    for path in filter(None, (output, config_out)):
        if Path(path).exists() and not force:
            raise WatermarkError(f"{path!r} exists; refusing to overwrite it (use --force)")
    params = dict(gamma=gamma, delta=delta, context_width=context_width, scheme=scheme, hard=hard)
    config = config_from_options(None, **params)  # validates the flags before writing anything
    if config_out is None and (
        tokenizer_path is not None or any(v is not None for v in params.values())
    ):
        raise WatermarkError(
            "--gamma/--delta/--context-width/--scheme/--hard/--tokenizer only shape "
            "the config: add --config FILE to write it"
        )
    key = WatermarkKey.generate()
    if config_out is not None:
        quiet_transformers()
        from .models import load_tokenizer

        config = config.bind(key=key, tokenizer=load_tokenizer(tokenizer_path))
    key.save(output, overwrite=force)
    if config_out is not None:
        try:
            config.save(config_out)
        except OSError as exc:
            raise WatermarkError(
                f"cannot write config {config_out!r}: {exc.strerror or exc}"
            ) from None
    click.echo(key.key_id)


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("prompts", nargs=-1)
@click.option("--key", "key_spec", default=None, help=_KEY_HELP)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Watermark config JSON from `watermark keygen --config` (else the flags below).",
)
@_param_options
@click.option(
    "--model",
    "model_path",
    type=click.Path(),
    default=None,
    help="Local Hugging Face model dir [default: the bundled SmolLM2-135M-Instruct].",
)
@click.option(
    "--max-new-tokens",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_NEW_TOKENS,
    show_default=True,
    help="Most new tokens per prompt.",
)
@click.option(
    "--min-new-tokens",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Hold the end of text back until this many new tokens (a clearer verdict).",
)
@click.option(
    "--temperature",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_TEMPERATURE,
    show_default=True,
    help="Sampling temperature.",
)
@click.option(
    "--top-k",
    type=click.IntRange(min=0),
    default=DEFAULT_TOP_K,
    show_default=True,
    help="Sample among the k likeliest tokens (0: all).",
)
@click.option("--seed", type=int, default=None, help="Random seed for reproducible sampling.")
@click.option("--no-chat", is_flag=True, help="Continue the raw prompt; skip the chat template.")
@click.option("--no-watermark", is_flag=True, help="Generate without the watermark (a baseline).")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print one JSON object per prompt (prompt, text, key_id, config).",
)
@errors_to_exit(WatermarkError)
def generate(
    prompts,
    key_spec,
    config_path,
    gamma,
    delta,
    context_width,
    scheme,
    hard,
    model_path,
    max_new_tokens,
    min_new_tokens,
    temperature,
    top_k,
    seed,
    no_chat,
    no_watermark,
    as_json,
):
    """Generate watermarked text for each PROMPT (or one prompt read from stdin)."""
    from .keys import load_key

    config = config_from_options(
        config_path, gamma=gamma, delta=delta, context_width=context_width, scheme=scheme, hard=hard
    )
    key = None if no_watermark else load_key(key_spec)
    if key is not None:
        config.check_key(key)
    prompts = list(prompts)
    if not prompts:
        if sys.stdin.isatty():
            raise click.UsageError("give a PROMPT argument or pipe one prompt on stdin")
        prompts = [decode_text(sys.stdin.buffer.read(), "<stdin>")]
    quiet_transformers()
    from .generate import generate_watermarked
    from .models import load_model

    model, tokenizer = load_model(model_path)
    texts = generate_watermarked(
        model,
        tokenizer,
        prompts,
        config,
        key,
        max_new_tokens=max_new_tokens,
        min_new_tokens=min_new_tokens,
        temperature=temperature,
        top_k=top_k,
        seed=seed,
        chat=not no_chat,
        watermark=not no_watermark,
    )
    if as_json:
        bound = config if key is None else config.bind(key=key, tokenizer=tokenizer)
        for p, t in zip(prompts, texts):
            click.echo(
                json.dumps(
                    {
                        "prompt": p,
                        "text": t,
                        "watermarked": not no_watermark,
                        "key_id": None if key is None else key.key_id,
                        "config": bound.to_dict(),
                    },
                    ensure_ascii=False,
                )
            )
    else:
        click.echo(safe_text("\n\n".join(t.strip() for t in texts)))


@cli.command(context_settings=CONTEXT_SETTINGS, epilog=EXIT_CODES_HELP)
@click.argument("inputs", nargs=-1)
@click.option(
    "--key",
    "key_specs",
    multiple=True,
    help=_KEY_HELP + " Repeat to try a key ring; the result names the key that matched.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Watermark config JSON used at generation (else the parameter flags below).",
)
@_param_options
@click.option(
    "--tokenizer",
    "tokenizer_path",
    type=click.Path(),
    default=None,
    help="Local tokenizer/model dir [default: the bundled SmolLM2 tokenizer].",
)
@click.option(
    "--green-lists",
    type=click.Choice(GREEN_LISTS),
    default="ours",
    show_default=True,
    help="Whose green lists to score: ours (needs --key), or hf-builtin for text from "
    "transformers' WatermarkLogitsProcessor (generate(watermarking_config=...)); then --scheme, "
    "--context-width and --gamma give its seeding_scheme, context_width and greenlist_ratio, "
    "and --hashing-key its key.",
)
@click.option(
    "--hashing-key",
    type=int,
    default=None,
    help="With --green-lists hf-builtin: the WatermarkingConfig's hashing_key, an integer "
    f"from 0 to 2**63-1 [default: {DEFAULT_HASHING_KEY}].",
)
@click.option(
    "--vocab-size",
    type=click.IntRange(min=2),
    default=None,
    help="With --green-lists hf-builtin: the generating model's config.vocab_size [default: "
    "read from config.json beside the tokenizer, else the tokenizer's length].",
)
@click.option("--jsonl", is_flag=True, help="Read every input as JSONL (.jsonl files always are).")
@click.option("--field", default="text", show_default=True, help="JSONL field that holds the text.")
@click.option(
    "--threshold",
    type=float,
    default=DEFAULT_THRESHOLD,
    show_default=True,
    help="Call a text watermarked when its p-value is below this.",
)
@click.option(
    "--min-tokens",
    type=click.IntRange(min=1),
    default=DEFAULT_MIN_TOKENS,
    show_default=True,
    help="Fewer scored tokens than this: too short to decide.",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_BYTES,
    show_default=True,
    help="Refuse any input (file or stdin) larger than this many bytes.",
)
@click.option(
    "--windowed",
    is_flag=True,
    help="Search windows for watermarked stretches inside longer mixed text "
    "(Bonferroni-corrected fixed windows; see --scan).",
)
@click.option(
    "--scan",
    is_flag=True,
    help="Find watermarked spans pasted into longer text with the calibrated scan statistic "
    "(one simulated-null p-value for 'some span is watermarked'; see --scan-method).",
)
@click.option(
    "--scan-method",
    type=click.Choice(["hmm", "maxlr"]),
    default=None,
    help="With --scan: hmm (default; hidden-Markov likelihood ratio summed over every placement "
    "of one or more spans) or maxlr (the best window of 16+ scored tokens).",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per input (JSONL).")
@click.option(
    "--tokens", is_flag=True, help="With --json: add per-token ids, green mask and offsets."
)
@click.option("--highlight", is_flag=True, help="Print each text with green/red tokens coloured.")
@click.option(
    "--html",
    "html_out",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write a self-contained HTML page with the highlighted texts here.",
)
@click.option(
    "--spark", is_flag=True, help="INPUTS are Parquet: detect on Spark, write Parquet to --out."
)
@click.option("--column", default="text", show_default=True, help="With --spark: the text column.")
@click.option(
    "--out", type=click.Path(), default=None, help="With --spark: the output Parquet path."
)
@click.option("--master", default=None, help="With --spark: the Spark master [default: local[*]].")
@click.pass_context
@errors_to_exit(WatermarkError)
def detect(
    ctx,
    inputs,
    key_specs,
    config_path,
    gamma,
    delta,
    context_width,
    scheme,
    hard,
    tokenizer_path,
    green_lists,
    hashing_key,
    vocab_size,
    jsonl,
    field,
    threshold,
    min_tokens,
    max_bytes,
    windowed,
    scan,
    scan_method,
    as_json,
    tokens,
    highlight,
    html_out,
    spark,
    column,
    out,
    master,
):
    """Say whether each input carries the watermark, with an exact p-value.

    INPUTS are files, directories (searched for *.txt, *.md, *.jsonl) or - for stdin (the default).
    """
    from .keys import KeyRing

    if windowed and scan:
        raise click.UsageError("pass either --windowed or --scan, not both")
    if scan_method is not None and not scan:
        raise click.UsageError("--scan-method applies with --scan only")
    builtin = green_lists == "hf-builtin"
    if builtin:
        _check_hf_builtin_options(
            key_specs=key_specs, config_path=config_path, delta=delta, hard=hard, spark=spark
        )
        ring = config = None
    else:
        if hashing_key is not None or vocab_size is not None:
            raise WatermarkError(
                "--hashing-key and --vocab-size only apply with --green-lists hf-builtin"
            )
        ring = KeyRing.of(list(key_specs) or None)
        config = config_from_options(
            config_path,
            gamma=gamma,
            delta=delta,
            context_width=context_width,
            scheme=scheme,
            hard=hard,
        )
    if spark:  # batch detection of a Parquet column (watermark.spark)
        if scan:
            raise click.UsageError("--scan does not apply with --spark (use --windowed)")
        if not inputs or out is None or jsonl or as_json or tokens or highlight or html_out:
            raise click.UsageError(
                "--spark reads Parquet INPUTS and writes --out OUT.parquet; "
                "--jsonl/--json/--tokens/--highlight/--html do not apply"
            )
        from .spark import describe_counts, detect_parquet

        counts = detect_parquet(
            inputs,
            out,
            column=column,
            config=config,
            key_ref=list(key_specs) or None,
            tokenizer_path=tokenizer_path,
            threshold=threshold,
            min_tokens=min_tokens,
            windowed=windowed,
            master=master,
        )
        click.echo(describe_counts(counts))
        ctx.exit(
            EXIT_FOUND
            if counts[WATERMARKED]
            else EXIT_TOO_SHORT
            if counts[TOO_SHORT]
            else EXIT_NOT_FOUND
        )
    if not inputs and sys.stdin.isatty():
        raise click.UsageError("give INPUTS (files, directories, -) or pipe text on stdin")
    items = iter_inputs(
        inputs, jsonl=jsonl, field=field, max_bytes=max_bytes
    )  # all found; none read
    quiet_transformers()
    from tqdm import tqdm

    from .detector import WatermarkDetector
    from .highlight import HTML_MAX_INPUTS, HTML_MAX_TOKENS
    from .models import load_tokenizer

    tokenizer = load_tokenizer(tokenizer_path)
    if builtin:
        from .hf_builtin import hf_builtin_detector, model_vocab_size

        detector = hf_builtin_detector(
            tokenizer,
            vocab_size=vocab_size or model_vocab_size(tokenizer_path) or len(tokenizer),
            greenlist_ratio=DEFAULT_GREENLIST_RATIO if gamma is None else gamma,
            hashing_key=DEFAULT_HASHING_KEY if hashing_key is None else hashing_key,
            seeding_scheme=scheme or "lefthash",
            context_width=1 if context_width is None else context_width,
            threshold=threshold,
            min_tokens=min_tokens,
        )
    else:
        detector = WatermarkDetector(
            tokenizer, config, ring, threshold=threshold, min_tokens=min_tokens
        )
    verdicts: list[str] = []
    for_html: list[tuple[str, DetectionResult]] = []  # the first inputs, their first tokens
    with tqdm(
        desc="detecting", unit="text", file=sys.stderr, disable=not sys.stderr.isatty(), leave=False
    ) as bar:
        for name, result in detect_inputs(
            detector, items, windowed=windowed, scan=scan, scan_method=scan_method or "hmm"
        ):
            _print_result(name, result, as_json=as_json, tokens=tokens, highlight=highlight)
            verdicts.append(result.verdict)
            if html_out is not None and len(for_html) < HTML_MAX_INPUTS:
                for_html.append((name, result.head(HTML_MAX_TOKENS)))
            bar.update(1)
    if html_out is not None:
        from .highlight import to_html

        page = to_html(
            [r for _, r in for_html],
            names=[n for n, _ in for_html],
            tokenizer=tokenizer,
            total_inputs=len(verdicts),
            total_watermarked=verdicts.count(WATERMARKED),
        )
        try:
            Path(html_out).write_text(page, encoding="utf-8")
        except OSError as exc:
            raise WatermarkError(f"cannot write {html_out!r}: {exc.strerror or exc}") from None
    ctx.exit(exit_code_for(verdicts))


def _check_hf_builtin_options(*, key_specs, config_path, delta, hard, spark) -> None:
    """--green-lists hf-builtin takes its settings from its own flags: refuse the others."""
    given = [
        flag
        for flag, v in (
            ("--key", key_specs),
            ("--config", config_path),
            ("--delta", delta),
            ("--hard/--soft", hard),
            ("--spark", spark),
        )
        if v
    ]
    if given:
        raise WatermarkError(
            f"{', '.join(given)}: not used with --green-lists hf-builtin (the built-in has "
            "no key file; give --hashing-key, --scheme, --context-width and --gamma instead)"
        )


def _print_result(
    n: str, r: DetectionResult, *, as_json: bool, tokens: bool, highlight: bool
) -> None:
    from .highlight import format_p, summary_line, to_rich

    if as_json:
        click.echo(json.dumps({"input": n, **r.to_dict(tokens=tokens)}, ensure_ascii=False))
        return
    if highlight:
        from rich.console import Console

        console = Console(highlight=False, soft_wrap=True)
        console.print(to_rich(r, name=n))  # a rich Text: no markup parsed, control chars escaped
        console.print()
        return
    click.echo(summary_line(r, safe_text(n, keep_newlines=False)))
    for s in r.spans:
        where = (
            f"chars {s.char_start}-{s.char_end}"
            if s.char_start is not None
            else f"tokens {s.token_start}-{s.token_end}"
        )
        click.echo(f"  span {where}: green {s.num_green}/{s.num_scored}, p={format_p(s.p_value)}")


# ---- entry points ---------------------------------------------------------------------------------


def main(args=None) -> None:
    """The `watermark` console script."""
    run(cli, "watermark", args)


def detect_main(args=None) -> None:
    """The `detect_watermark` console script: exactly `watermark detect`."""
    run(detect, "detect_watermark", args)


if __name__ == "__main__":
    main()
