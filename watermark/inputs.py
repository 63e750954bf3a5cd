"""Detection inputs (files, directories, stdin, JSONL), read one at a time and size-limited.

Inputs are yielded lazily, so a 2,000-file directory is never held in memory at once. A short
input is read whole (and the CLI scores many of them in one vectorized batch); a long plain-text
input comes as a stream of text blocks that :meth:`WatermarkDetector.detect_stream` tokenizes and
scores piece by piece; JSONL is read line by line. Every input larger than ``max_bytes`` is
refused before anything is read from it (stdin: as soon as it passes the limit).
"""

from __future__ import annotations

import codecs
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .errors import WatermarkError

TEXT_SUFFIXES = (".txt", ".md", ".jsonl")
DEFAULT_MAX_BYTES = 50 * 1024 * 1024  # per input (file or stdin)
WHOLE_MAX_BYTES = 1024 * 1024  # inputs up to this size are read whole
BLOCK_BYTES = 1024 * 1024  # a long input is read in blocks of this size


@dataclass
class Input:
    """One text to score: ``text`` when read whole, else ``blocks`` (its text, block by block)."""

    name: str
    text: str | None = None
    blocks: Iterator[str] | None = None


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 text from bytes, or a WatermarkError naming the input."""
    if b"\x00" in data:
        raise WatermarkError(
            f"{name} looks like a binary file (it holds NUL bytes); pass UTF-8 text"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise WatermarkError(
            f"{name} is not UTF-8 text (invalid byte at offset {exc.start}); "
            "convert it to UTF-8 first"
        ) from None
    return text[1:] if text.startswith("\ufeff") else text


def too_large(name: str, max_bytes: int) -> WatermarkError:
    return WatermarkError(
        f"{name} is larger than --max-bytes ({max_bytes} bytes); raise --max-bytes "
        "or split the input"
    )


def expand(spec: str, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Path]:
    """The files a spec names: itself, or a directory's text files (recursive, sorted)."""
    p = Path(spec)
    if p.is_dir():
        files = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in TEXT_SUFFIXES)
        if not files:
            raise WatermarkError(f"directory {spec!r} holds no {'/'.join(TEXT_SUFFIXES)} files")
    elif not p.exists():
        raise WatermarkError(f"input {spec!r} does not exist")
    else:
        files = [p]
    for f in files:
        try:
            size = f.stat().st_size
        except OSError as exc:
            raise WatermarkError(f"cannot read {str(f)!r}: {exc.strerror or exc}") from None
        if size > max_bytes:
            raise too_large(repr(str(f)), max_bytes)
    return files


class _Limited:
    """A binary stream that raises once more than ``max_bytes`` were read from it."""

    def __init__(self, raw: BinaryIO, name: str, max_bytes: int):
        self.raw, self.name, self.max_bytes, self.count = raw, name, max_bytes, 0

    def _seen(self, data: bytes) -> bytes:
        self.count += len(data)
        if self.count > self.max_bytes:
            raise too_large(self.name, self.max_bytes)
        return data

    def read(self, n: int) -> bytes:
        return self._seen(self.raw.read(n))

    def __iter__(self) -> Iterator[bytes]:
        for line in self.raw:
            yield self._seen(line)


def _text_blocks(first: bytes, stream: _Limited, name: str) -> Iterator[str]:
    """Decode ``first`` and the rest of ``stream`` as UTF-8, block by block (BOM dropped)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset, data, start = 0, first, True
    while True:
        final = not data
        if b"\x00" in data:
            raise WatermarkError(
                f"{name} looks like a binary file (it holds NUL bytes); pass UTF-8 text"
            )
        pending = len(decoder.getstate()[0])
        try:
            text = decoder.decode(data, final=final)
        except UnicodeDecodeError as exc:
            raise WatermarkError(
                f"{name} is not UTF-8 text (invalid byte at offset "
                f"{offset - pending + exc.start}); convert it to UTF-8 first"
            ) from None
        offset += len(data)
        if start and text:
            text, start = (text[1:] if text.startswith("\ufeff") else text), False
        if text:
            yield text
        if final:
            return
        data = stream.read(BLOCK_BYTES)


def _jsonl_inputs(stream: _Limited, name: str, field: str) -> Iterator[Input]:
    """``Input(name:lineno, record[field])`` for each non-blank line, read line by line."""
    found = False
    for lineno, raw in enumerate(stream, 1):
        line = decode_text(raw, f"{name}:{lineno}") if raw.strip() else ""
        if not line.strip():
            continue
        where = f"{name}:{lineno}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise WatermarkError(
                f"{where}: not valid JSON ({exc.msg} at column {exc.colno}); "
                "each line must be one JSON object"
            ) from None
        if not isinstance(rec, dict):
            raise WatermarkError(f"{where}: expected a JSON object, got {type(rec).__name__}")
        if field not in rec:
            have = ", ".join(sorted(map(str, rec))) or "none"
            raise WatermarkError(
                f"{where}: no field {field!r} (fields: {have}); choose one with --field"
            )
        value = rec[field]
        if not isinstance(value, str):
            raise WatermarkError(
                f"{where}: field {field!r} is {type(value).__name__}, not a string"
            )
        if not value.strip():
            raise WatermarkError(f"{where} is empty; nothing to detect")
        found = True
        yield Input(where, text=value)
    if not found:
        raise WatermarkError(f"{name} holds no JSON lines")


def _read_one(stream: _Limited, name: str) -> Iterator[Input]:
    first = stream.read(WHOLE_MAX_BYTES + 1)
    if len(first) <= WHOLE_MAX_BYTES:
        text = decode_text(first, name)
        if not text.strip():
            raise WatermarkError(f"{name} is empty; nothing to detect")
        yield Input(name, text=text)
    else:  # long: the detector reads it block by block
        yield Input(name, blocks=_text_blocks(first, stream, name))


def iter_inputs(
    specs: Iterable[str],
    *,
    jsonl: bool = False,
    field: str = "text",
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: BinaryIO | None = None,
) -> Iterator[Input]:
    """Every input, one at a time: files, directories (recursive, sorted; *.txt, *.md, *.jsonl),
    ``-`` for stdin. JSONL inputs (``.jsonl`` or ``jsonl=True``) give one input per line named
    ``file:lineno``. Missing inputs and files over ``max_bytes`` are reported before anything is
    read; unreadable, binary, non-UTF-8 or empty inputs raise WatermarkError when reached.
    A long input's ``blocks`` must be consumed before the next input is asked for.
    """
    if int(max_bytes) < 1:
        raise WatermarkError(f"--max-bytes={max_bytes!r} must be >= 1")
    sources: list[tuple[str, Path | None]] = []
    for spec in list(specs) or ["-"]:  # find every input now, read each one later
        if spec == "-":
            sources.append(("<stdin>", None))
        else:
            sources.extend((str(f), f) for f in expand(spec, max_bytes))
    return _read(sources, jsonl=jsonl, field=field, max_bytes=max_bytes, stdin=stdin)


def _read(sources, *, jsonl: bool, field: str, max_bytes: int, stdin) -> Iterator[Input]:
    for name, path in sources:
        is_jsonl = jsonl or (path is not None and path.suffix.lower() == ".jsonl")
        if path is None:
            raw = stdin if stdin is not None else sys.stdin.buffer
            stream = _Limited(raw, name, max_bytes)
            yield from (_jsonl_inputs(stream, name, field) if is_jsonl else _read_one(stream, name))
            continue
        try:
            fh = open(path, "rb")
        except OSError as exc:
            raise WatermarkError(f"cannot read {name!r}: {exc.strerror or exc}") from None
        with fh:
            stream = _Limited(fh, name, max_bytes)
            yield from (_jsonl_inputs(stream, name, field) if is_jsonl else _read_one(stream, name))
