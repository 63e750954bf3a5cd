"""`watermark keygen|generate|detect` and `detect_watermark` (= `watermark detect`).

A thin shell: parse options, call the library, format the result. Errors a user can cause
surface as one line on stderr (``Error: …``) and exit code 2; nothing else is caught. Heavy
imports (torch for generation, transformers for the tokenizer) happen inside the commands.
"""

from __future__ import annotations

import json
import sys
from dataclasses import fields
from pathlib import Path
from typing import Iterable

import click

from genai_provenance.cli import CONTEXT_SETTINGS, EXIT_USAGE, errors_to_exit, run
from genai_provenance.offline import quiet_transformers
from genai_provenance.terminal import safe_text

from .config import WatermarkConfig
from .detector import DEFAULT_MIN_TOKENS, DEFAULT_THRESHOLD
from .errors import WatermarkError
from .generate import DEFAULT_MAX_NEW_TOKENS, DEFAULT_TEMPERATURE, DEFAULT_TOP_K

EXIT_FOUND = 0       # at least one input is watermarked
EXIT_NOT_FOUND = 1   # every input was decided: not watermarked
EXIT_ERROR = EXIT_USAGE  # usage or input error (nothing was decided)
EXIT_TOO_SHORT = 3   # nothing watermarked, and at least one input was too short to decide

TEXT_SUFFIXES = (".txt", ".md", ".jsonl")
PROGRESS_CHUNK = 64

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
        click.option("--gamma", type=float, default=None,
                     help=f"Green fraction of the vocabulary, 0 < gamma < 1 [default: {d['gamma']}]."),
        click.option("--delta", type=float, default=None,
                     help=f"Logit bias added to green tokens while generating [default: {d['delta']}]."),
        click.option("--context-width", type=int, default=None,
                     help=f"How many previous tokens seed each green list (h) [default: {d['context_width']}]."),
        click.option("--scheme", type=click.Choice(SCHEMES), default=None,
                     help=f"Seeding scheme [default: {d['scheme']}]."),
        click.option("--hard/--soft", default=None,
                     help="Forbid red tokens outright instead of biasing them "
                          f"[default: {'--hard' if d['hard'] else '--soft'}]."),
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
            raise WatermarkError(f"pass either --config or {flags}, not both "
                                 "(the config file already fixes the parameters)")
        return WatermarkConfig.load(config_path)
    return WatermarkConfig(**given)


# ---- reading inputs ----------------------------------------------------------------------------

def decode_text(data: bytes, name: str) -> str:
    """UTF-8 text from bytes, or a WatermarkError naming the input."""
    if b"\x00" in data:
        raise WatermarkError(f"{name} looks like a binary file (it holds NUL bytes); pass UTF-8 text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise WatermarkError(f"{name} is not UTF-8 text (invalid byte at offset {exc.start}); "
                             "convert it to UTF-8 first") from None
    return text[1:] if text.startswith("\ufeff") else text


def parse_jsonl(text: str, name: str, field: str = "text") -> list[tuple[str, str]]:
    """``(name:lineno, record[field])`` for each non-blank line of a JSONL document."""
    out = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{name}:{lineno}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise WatermarkError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno}); "
                                 "each line must be one JSON object") from None
        if not isinstance(rec, dict):
            raise WatermarkError(f"{where}: expected a JSON object, got {type(rec).__name__}")
        if field not in rec:
            have = ", ".join(sorted(map(str, rec))) or "none"
            raise WatermarkError(f"{where}: no field {field!r} (fields: {have}); choose one with --field")
        value = rec[field]
        if not isinstance(value, str):
            raise WatermarkError(f"{where}: field {field!r} is {type(value).__name__}, not a string")
        out.append((where, value))
    if not out:
        raise WatermarkError(f"{name} holds no JSON lines")
    return out


def _expand(spec: str) -> list[Path]:
    p = Path(spec)
    if p.is_dir():
        files = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in TEXT_SUFFIXES)
        if not files:
            raise WatermarkError(f"directory {spec!r} holds no {'/'.join(TEXT_SUFFIXES)} files")
        return files
    if not p.exists():
        raise WatermarkError(f"input {spec!r} does not exist")
    return [p]


def read_inputs(specs: Iterable[str], *, jsonl: bool = False, field: str = "text",
                stdin=None) -> list[tuple[str, str]]:
    """``(name, text)`` for every input: files, directories (recursive, sorted; *.txt, *.md,
    *.jsonl), ``-`` for stdin. JSONL inputs (``.jsonl`` or ``jsonl=True``) give one input per
    line named ``file:lineno``. Unreadable, binary, non-UTF-8 or empty inputs raise WatermarkError.
    """
    specs = list(specs) or ["-"]
    docs: list[tuple[str, str]] = []
    for spec in specs:
        if spec == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            sources = [("<stdin>", stream.read(), jsonl)]
        else:
            sources = []
            for f in _expand(spec):
                try:
                    data = f.read_bytes()
                except OSError as exc:
                    raise WatermarkError(f"cannot read {str(f)!r}: {exc.strerror or exc}") from None
                sources.append((str(f), data, jsonl or f.suffix.lower() == ".jsonl"))
        for name, data, is_jsonl in sources:
            text = decode_text(data, name)
            items = parse_jsonl(text, name, field) if is_jsonl else [(name, text)]
            for item_name, item_text in items:
                if not item_text.strip():
                    raise WatermarkError(f"{item_name} is empty; nothing to detect")
                docs.append((item_name, item_text))
    return docs


# ---- detection -----------------------------------------------------------------------------------

def detect_many(detector, texts: list[str], *, windowed: bool = False, progress: bool = False) -> list:
    """Results for all texts: vectorized batches (or windowed one by one), with a progress bar on
    stderr when ``progress`` is true. Never writes to stdout."""
    from tqdm import tqdm

    results: list = []
    with tqdm(total=len(texts), desc="detecting", unit="text", file=sys.stderr,
              disable=not progress, leave=False) as bar:
        if windowed:
            for t in texts:
                results.append(detector.detect_spans(t))
                bar.update(1)
        else:
            for i in range(0, len(texts), PROGRESS_CHUNK):
                chunk = texts[i:i + PROGRESS_CHUNK]
                results.extend(detector.detect_batch(chunk))
                bar.update(len(chunk))
    return results


def exit_code_for(results) -> int:
    """0 if any result is watermarked, 3 if none is but some are too short, else 1."""
    from .detector import TOO_SHORT, WATERMARKED

    verdicts = {r.verdict for r in results}
    if WATERMARKED in verdicts:
        return EXIT_FOUND
    if TOO_SHORT in verdicts:
        return EXIT_TOO_SHORT
    return EXIT_NOT_FOUND


# ---- commands -------------------------------------------------------------------------------------

_KEY_HELP = ("Key file from `watermark keygen`, or env:VAR to read it from an environment "
             "variable [default: env:GENAI_WATERMARK_KEY].")


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
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="Where to write the secret key (hex, permissions 0600).")
@click.option("--force", is_flag=True, help="Overwrite existing key and config files.")
@click.option("--config", "config_out", type=click.Path(dir_okay=False), default=None,
              help="Also write the public config (parameters, key id, tokenizer fingerprint) here.")
@_param_options
@click.option("--tokenizer", "tokenizer_path", type=click.Path(), default=None,
              help="Bind the config to this local tokenizer/model dir [default: the bundled SmolLM2].")
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
    if config_out is None and (tokenizer_path is not None or any(v is not None for v in params.values())):
        raise WatermarkError("--gamma/--delta/--context-width/--scheme/--hard/--tokenizer only shape "
                             "the config: add --config FILE to write it")
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
            raise WatermarkError(f"cannot write config {config_out!r}: {exc.strerror or exc}") from None
    click.echo(key.key_id)


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("prompts", nargs=-1)
@click.option("--key", "key_spec", default=None, help=_KEY_HELP)
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              help="Watermark config JSON from `watermark keygen --config` (else the flags below).")
@_param_options
@click.option("--model", "model_path", type=click.Path(), default=None,
              help="Local Hugging Face model dir [default: the bundled SmolLM2-135M-Instruct].")
@click.option("--max-new-tokens", type=click.IntRange(min=1), default=DEFAULT_MAX_NEW_TOKENS,
              show_default=True, help="Most new tokens per prompt.")
@click.option("--temperature", type=click.FloatRange(min=0, min_open=True), default=DEFAULT_TEMPERATURE,
              show_default=True, help="Sampling temperature.")
@click.option("--top-k", type=click.IntRange(min=0), default=DEFAULT_TOP_K, show_default=True,
              help="Sample among the k likeliest tokens (0: all).")
@click.option("--seed", type=int, default=None, help="Random seed for reproducible sampling.")
@click.option("--no-chat", is_flag=True, help="Continue the raw prompt; skip the chat template.")
@click.option("--no-watermark", is_flag=True, help="Generate without the watermark (a baseline).")
@click.option("--json", "as_json", is_flag=True,
              help="Print one JSON object per prompt (prompt, text, key_id, config).")
@errors_to_exit(WatermarkError)
def generate(prompts, key_spec, config_path, gamma, delta, context_width, scheme, hard, model_path,
             max_new_tokens, temperature, top_k, seed, no_chat, no_watermark, as_json):
    """Generate watermarked text for each PROMPT (or one prompt read from stdin)."""
    from .keys import load_key

    config = config_from_options(config_path, gamma=gamma, delta=delta, context_width=context_width,
                                 scheme=scheme, hard=hard)
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
    texts = generate_watermarked(model, tokenizer, prompts, config, key, max_new_tokens=max_new_tokens,
                                 temperature=temperature, top_k=top_k, seed=seed, chat=not no_chat,
                                 watermark=not no_watermark)
    if as_json:
        bound = config if key is None else config.bind(key=key, tokenizer=tokenizer)
        for p, t in zip(prompts, texts):
            click.echo(json.dumps({"prompt": p, "text": t, "watermarked": not no_watermark,
                                   "key_id": None if key is None else key.key_id,
                                   "config": bound.to_dict()}, ensure_ascii=False))
    else:
        click.echo(safe_text("\n\n".join(t.strip() for t in texts)))


@cli.command(context_settings=CONTEXT_SETTINGS, epilog=EXIT_CODES_HELP)
@click.argument("inputs", nargs=-1)
@click.option("--key", "key_specs", multiple=True,
              help=_KEY_HELP + " Repeat to try a key ring; the result names the key that matched.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              help="Watermark config JSON used at generation (else the parameter flags below).")
@_param_options
@click.option("--tokenizer", "tokenizer_path", type=click.Path(), default=None,
              help="Local tokenizer/model dir [default: the bundled SmolLM2 tokenizer].")
@click.option("--jsonl", is_flag=True, help="Read every input as JSONL (.jsonl files always are).")
@click.option("--field", default="text", show_default=True,
              help="JSONL field that holds the text.")
@click.option("--threshold", type=float, default=DEFAULT_THRESHOLD, show_default=True,
              help="Call a text watermarked when its p-value is below this.")
@click.option("--min-tokens", type=click.IntRange(min=1), default=DEFAULT_MIN_TOKENS, show_default=True,
              help="Fewer scored tokens than this: too short to decide.")
@click.option("--windowed", is_flag=True,
              help="Search windows for watermarked stretches inside longer mixed text.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per input (JSONL).")
@click.option("--tokens", is_flag=True, help="With --json: add per-token ids, green mask and offsets.")
@click.option("--highlight", is_flag=True, help="Print each text with green/red tokens coloured.")
@click.option("--html", "html_out", type=click.Path(dir_okay=False), default=None,
              help="Write a self-contained HTML page with the highlighted texts here.")
@click.pass_context
@errors_to_exit(WatermarkError)
def detect(ctx, inputs, key_specs, config_path, gamma, delta, context_width, scheme, hard, tokenizer_path,
           jsonl, field, threshold, min_tokens, windowed, as_json, tokens, highlight, html_out):
    """Say whether each input carries the watermark, with an exact p-value.

    INPUTS are files, directories (searched for *.txt, *.md, *.jsonl) or - for stdin (the default).
    """
    from .keys import KeyRing

    ring = KeyRing.of(list(key_specs) or None)
    config = config_from_options(config_path, gamma=gamma, delta=delta, context_width=context_width,
                                 scheme=scheme, hard=hard)
    if not inputs and sys.stdin.isatty():
        raise click.UsageError("give INPUTS (files, directories, -) or pipe text on stdin")
    docs = read_inputs(inputs, jsonl=jsonl, field=field)
    quiet_transformers()
    from .detector import WatermarkDetector
    from .models import load_tokenizer

    tokenizer = load_tokenizer(tokenizer_path)
    detector = WatermarkDetector(tokenizer, config, ring, threshold=threshold, min_tokens=min_tokens)
    results = detect_many(detector, [t for _, t in docs], windowed=windowed,
                          progress=len(docs) > 1 and sys.stderr.isatty())
    names = [n for n, _ in docs]
    if html_out is not None:
        from .highlight import to_html

        try:
            Path(html_out).write_text(to_html(results, names=names, tokenizer=tokenizer), encoding="utf-8")
        except OSError as exc:
            raise WatermarkError(f"cannot write {html_out!r}: {exc.strerror or exc}") from None
    _print_results(names, results, as_json=as_json, tokens=tokens, highlight=highlight)
    ctx.exit(exit_code_for(results))


def _print_results(names, results, *, as_json: bool, tokens: bool, highlight: bool) -> None:
    from .highlight import format_p, summary_line, to_rich

    if as_json:
        for n, r in zip(names, results):
            click.echo(json.dumps({"input": n, **r.to_dict(tokens=tokens)}, ensure_ascii=False))
        return
    if highlight:
        from rich.console import Console

        console = Console(highlight=False, soft_wrap=True)
        for n, r in zip(names, results):
            console.print(to_rich(r, name=n))  # a rich Text: no markup parsed, control chars escaped
            console.print()
        return
    for n, r in zip(names, results):
        click.echo(summary_line(r, safe_text(n, keep_newlines=False)))
        for s in r.spans:
            where = (f"chars {s.char_start}-{s.char_end}" if s.char_start is not None
                     else f"tokens {s.token_start}-{s.token_end}")
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
