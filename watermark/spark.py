"""Batch detection over a Spark DataFrame column (extra ``genai-provenance[spark]``).

``detect(df, "text", config, "wm.key")`` adds one verdict per row. Rows stream through
``mapInArrow`` in Arrow batches; each Python worker builds the tokenizer and the
:class:`~watermark.detector.WatermarkDetector` once (a module-level cache) and scores with the
detector's batch API, so the results are those of the single-process detector, row by row. The
key travels only as a reference (a key file path or ``env:VAR``) that the workers resolve
themselves: the key material is never pickled into the plan, shown in the UI or written to a log.
A null, empty or unreadable row gets a ``status`` value instead of failing the job.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Union

import pyarrow as pa

from .config import WatermarkConfig
from .detector import DEFAULT_MIN_TOKENS, DEFAULT_THRESHOLD, NOT_WATERMARKED, TOO_SHORT, WATERMARKED
from .errors import WatermarkError
from .keys import ENV_VAR, KeyRing, WatermarkKey

__all__ = [
    "RESULT_COLUMNS",
    "SPAN_COLUMN",
    "STATUS_EMPTY",
    "STATUS_NULL",
    "STATUS_OK",
    "ERROR_PREFIX",
    "describe_counts",
    "detect",
    "detect_parquet",
    "spark_session",
]

STATUS_OK = "ok"  # the row was scored
STATUS_NULL = "null"  # the text is null
STATUS_EMPTY = "empty"  # the text is empty or only whitespace
ERROR_PREFIX = "error: "  # the row could not be scored: "error: <why>"

SPAN_COLUMN = "spans"
CHUNK = 512  # texts per detect_batch call: bounds a worker's memory on long documents
_SPAN = pa.struct(
    [
        (n, pa.int32())
        for n in ("token_start", "token_end", "char_start", "char_end", "num_scored", "num_green")
    ]
    + [("p_value", pa.float64())]
)  # the fields of watermark.detector.Span

INSTALL_HINT = "install the extra: pip install 'genai-provenance[spark]'"

KeyRef = Union[str, os.PathLike]


@dataclass(frozen=True)
class _Job:
    """Everything a worker needs to build its detector: public values and key *references* only.

    This is what Spark pickles into the plan, so it must never hold key material."""

    config_json: str
    key_refs: tuple[str, ...]
    tokenizer_path: str | None
    threshold: float
    min_tokens: int
    windowed: bool
    text_col: str


# ---- the driver side --------------------------------------------------------------------------


def _key_refs(key_ref: KeyRef | Sequence[KeyRef] | None) -> tuple[str, ...]:
    """Key references as strings: ``env:VAR`` as given, file paths made absolute (the workers may
    run elsewhere in the file system). Key material itself is refused."""
    single = key_ref is None or isinstance(
        key_ref, (str, os.PathLike, WatermarkKey, KeyRing, bytes, bytearray)
    )
    refs = [key_ref] if single else list(key_ref)
    if not refs:
        raise WatermarkError("no key reference given; pass a key file path or env:VAR")
    out = []
    for r in refs:
        if r is None:
            r = f"env:{ENV_VAR}"
        if isinstance(r, (WatermarkKey, KeyRing, bytes, bytearray)):
            raise WatermarkError(
                "pass the key as a reference (a key file path or env:VAR), not the key "
                "itself: Spark would copy it into the plan it ships to every worker"
            )
        if not isinstance(r, (str, os.PathLike)):
            raise WatermarkError(
                f"a key reference must be a key file path or env:VAR, got {type(r).__name__}"
            )
        s = os.fspath(r)
        if not s.startswith("env:"):
            s = os.path.abspath(s)
        out.append(s)
    return tuple(out)


def _result_fields(windowed: bool) -> list[pa.Field]:
    """The columns :func:`detect` adds, as Arrow fields (the Spark schema is derived from them)."""
    fields = [
        pa.field("verdict", pa.string()),
        pa.field("p_value", pa.float64()),
        pa.field("z_score", pa.float64()),
        pa.field("num_scored", pa.int32()),
        pa.field("num_green", pa.int32()),
        pa.field("key_id", pa.string()),
    ]
    if windowed:
        fields.append(pa.field(SPAN_COLUMN, pa.list_(_SPAN)))
    return fields + [pa.field("status", pa.string(), nullable=False)]


#: Columns added by :func:`detect` (``spans`` too when windowed); null unless status is "ok".
RESULT_COLUMNS = tuple(f.name for f in _result_fields(False))


def detect(
    df,
    text_col: str,
    config: WatermarkConfig | str | os.PathLike,
    key_ref: KeyRef | Sequence[KeyRef] | None = None,
    *,
    tokenizer_path: str | os.PathLike | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    min_tokens: int = DEFAULT_MIN_TOKENS,
    windowed: bool = False,
    check: bool = True,
):
    """``df`` with the watermark verdict of ``text_col`` added to every row.

    Added columns: verdict, p_value, z_score, num_scored, num_green, key_id (plus ``spans`` when
    ``windowed``: :meth:`WatermarkDetector.detect_spans`), and status: "ok", "null", "empty" or
    "error: <why>" (the result columns are null unless "ok"). ``config`` is a WatermarkConfig or
    its JSON file; ``key_ref`` a key file path or ``env:VAR`` (default ``env:GENAI_WATERMARK_KEY``),
    or a list of them for a key ring, which every worker must be able to read. ``check`` builds
    the detector once on the driver first, so that a wrong key, config or tokenizer fails before
    any job starts; pass ``check=False`` when only the executors can read the key. Lazy: nothing
    runs until the result is written or collected.
    """
    try:
        from pyspark.sql.pandas.types import from_arrow_type
        from pyspark.sql.types import StringType, StructField, StructType
    except ImportError:
        raise WatermarkError(f"pyspark is not installed; {INSTALL_HINT}") from None
    if not isinstance(config, WatermarkConfig):
        config = WatermarkConfig.load(config)
    if text_col not in df.columns:
        raise WatermarkError(
            f"the DataFrame has no column {text_col!r} (columns: "
            f"{', '.join(df.columns) or 'none'}); choose one with --column"
        )
    dtype = df.schema[text_col].dataType
    if not isinstance(dtype, StringType):
        raise WatermarkError(
            f"column {text_col!r} holds {dtype.simpleString()}, not strings; "
            "detect on a text column"
        )
    new = _result_fields(windowed)
    clash = [f.name for f in new if f.name in df.columns]
    if clash:
        raise WatermarkError(
            f"the DataFrame already has column(s) {', '.join(map(repr, clash))}; "
            "rename or drop them before detecting"
        )
    job = _Job(
        config_json=config.to_json(),
        key_refs=_key_refs(key_ref),
        tokenizer_path=None if tokenizer_path is None else os.path.abspath(tokenizer_path),
        threshold=float(threshold),
        min_tokens=int(min_tokens),
        windowed=bool(windowed),
        text_col=text_col,
    )
    if check:
        _detector(job)  # the same cache the workers use: in local mode they share nothing with it
    added = [StructField(f.name, from_arrow_type(f.type), f.nullable) for f in new]
    schema = StructType(list(df.schema.fields) + added)
    return df.mapInArrow(functools.partial(_map_batches, job), schema)


def spark_session(
    master: str | None = None,
    *,
    app_name: str = "detect_watermark",
    conf: dict[str, str] | None = None,
):
    """The active SparkSession, or a new one on ``master`` with ``conf`` (default: the master
    spark-submit was given, else ``local[*]``).

    On a local master the Python workers run this interpreter (``PYSPARK_PYTHON`` unless already
    set; pyspark's default is a bare ``python3``), so they import the same packages as the driver.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise WatermarkError(f"pyspark is not installed; {INSTALL_HINT}") from None
    active = SparkSession.getActiveSession()
    if active is not None and not conf and master in (None, active.sparkContext.master):
        return active
    b = SparkSession.builder.appName(app_name)
    if master is None and "PYSPARK_GATEWAY_PORT" in os.environ:
        master = "the one spark-submit chose"  # launched by spark-submit: keep its --master
    else:
        master = master or "local[*]"
        b = b.master(master)
    if master.startswith("local"):  # pyspark reads the workers' interpreter from this variable
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    settings = {"spark.ui.showConsoleProgress": str(sys.stderr.isatty()).lower(), **(conf or {})}
    for k, v in settings.items():
        b = b.config(k, v)
    try:
        return b.getOrCreate()
    except Exception as exc:  # noqa: BLE001 - Java missing, bad master URL, port trouble...
        raise WatermarkError(
            f"cannot start Spark on master {master!r}: {_first_line(exc)} "
            "(Spark needs Java 17 or newer on PATH or JAVA_HOME)"
        ) from None


def detect_parquet(
    inputs: Iterable[str | os.PathLike],
    out: str | os.PathLike,
    *,
    column: str = "text",
    config: WatermarkConfig | str | os.PathLike,
    key_ref: KeyRef | Sequence[KeyRef] | None = None,
    tokenizer_path: str | os.PathLike | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    min_tokens: int = DEFAULT_MIN_TOKENS,
    windowed: bool = False,
    master: str | None = None,
) -> dict[str, Any]:
    """Read Parquet ``inputs``, :func:`detect` on ``column``, write Parquet to ``out``.

    Returns the row count of each outcome: rows, watermarked, not watermarked, too short to
    decide, null, empty, error. ``out`` must not exist yet.
    """
    inputs = [os.fspath(p) for p in inputs]
    if not inputs:
        raise WatermarkError("no Parquet input given")
    out = os.fspath(out)
    if "://" not in out and os.path.exists(out):
        raise WatermarkError(f"{out!r} exists; choose a new output path (nothing is overwritten)")
    for p in inputs:
        if "://" not in p and not os.path.exists(p):
            raise WatermarkError(f"input {p!r} does not exist")
    spark = spark_session(master)
    from pyspark.errors import PySparkException
    from pyspark.sql import functions as F

    try:
        df = spark.read.parquet(*inputs)
    except PySparkException as exc:
        raise WatermarkError(
            f"cannot read Parquet from {', '.join(map(repr, inputs))}: {_first_line(exc)}"
        ) from None
    result = detect(
        df,
        column,
        config,
        key_ref,
        tokenizer_path=tokenizer_path,
        threshold=threshold,
        min_tokens=min_tokens,
        windowed=windowed,
    )
    try:
        result.write.parquet(out)
    except PySparkException as exc:
        raise WatermarkError(f"cannot write Parquet to {out!r}: {_first_line(exc)}") from None
    outcome = (
        F.when(F.col("status") == STATUS_OK, F.col("verdict"))
        .when(F.col("status").startswith(ERROR_PREFIX), F.lit("error"))
        .otherwise(F.col("status"))
    )
    counts = {
        k: 0 for k in (WATERMARKED, NOT_WATERMARKED, TOO_SHORT, STATUS_NULL, STATUS_EMPTY, "error")
    }
    for row in spark.read.parquet(out).groupBy(outcome.alias("o")).count().collect():
        counts[row["o"]] = int(row["count"])
    return {"rows": sum(counts.values()), **counts, "out": out}


def describe_counts(counts: dict[str, Any]) -> str:
    """One line for the CLI: where the rows went and how many of each outcome."""
    parts = [
        f"{counts[k]:,} {k}"
        for k in (WATERMARKED, NOT_WATERMARKED, TOO_SHORT, STATUS_NULL, STATUS_EMPTY, "error")
    ]
    return f"wrote {counts['rows']:,} rows to {counts['out']}: " + ", ".join(parts)


def _first_line(exc: BaseException) -> str:
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
    return lines[0] if lines else type(exc).__name__


# ---- the worker side --------------------------------------------------------------------------

_DETECTORS: dict[tuple, Any] = {}


def _detector(job: _Job):
    """The detector for ``job``, built once per Python process: the tokenizer is loaded and the
    key read here, on the process that uses them, and kept for the next batch and task."""
    cache_key = (job.config_json, job.key_refs, job.tokenizer_path, job.threshold, job.min_tokens)
    det = _DETECTORS.get(cache_key)
    if det is None:
        from genai_provenance.offline import quiet_transformers

        quiet_transformers()
        from .detector import WatermarkDetector
        from .models import load_tokenizer

        config = WatermarkConfig.from_json(job.config_json)
        ring = KeyRing.of(list(job.key_refs))
        det = WatermarkDetector(
            load_tokenizer(job.tokenizer_path),
            config,
            ring,
            threshold=job.threshold,
            min_tokens=job.min_tokens,
        )
        _DETECTORS[cache_key] = det
    return det


def _map_batches(job: _Job, batches: Iterator) -> Iterator:
    """mapInArrow's function: each input RecordBatch back with the result columns appended."""
    det = _detector(job)
    for batch in batches:
        yield _score_batch(det, batch, job)


def _decode(column) -> tuple[list[str | None], list[str | None]]:
    """(texts, statuses) of an Arrow string column: a status is set where there is nothing to
    score (null, empty) or the bytes are not valid UTF-8 (Spark strings may hold any bytes)."""
    raw = column.cast(pa.large_binary()).to_pylist()
    texts: list[str | None] = [None] * len(raw)
    status: list[str | None] = [None] * len(raw)
    for i, b in enumerate(raw):
        if b is None:
            status[i] = STATUS_NULL
            continue
        try:
            t = b.decode("utf-8")
        except UnicodeDecodeError as exc:
            status[i] = (
                f"{ERROR_PREFIX}the text is not valid UTF-8 (invalid byte at offset {exc.start})"
            )
            continue
        if t.strip():
            texts[i] = t
        else:
            status[i] = STATUS_EMPTY
    return texts, status


def _error(exc: BaseException) -> str:
    msg = " ".join(str(exc).split())
    if not isinstance(exc, WatermarkError):
        msg = f"{type(exc).__name__}: {msg}" if msg else type(exc).__name__
    return ERROR_PREFIX + msg


def _results(det, texts: list[str | None], status: list[str | None], windowed: bool) -> list:
    """One DetectionResult (or None, with ``status`` set) per text; a row that raises gets an
    error status and never stops the others."""
    out: list = [None] * len(texts)
    todo = [i for i, t in enumerate(texts) if t is not None]
    if windowed:
        for i in todo:
            try:
                out[i] = det.detect_spans(texts[i])
            except Exception as exc:  # noqa: BLE001 - one bad row must not fail the job
                status[i] = _error(exc)
        return out
    for s in range(0, len(todo), CHUNK):
        part = todo[s : s + CHUNK]
        try:
            res = det.detect_batch([texts[i] for i in part])
        except Exception:  # noqa: BLE001 - find the bad row(s) one by one
            res = []
            for i in part:
                try:
                    res.append(det.detect(texts[i]))
                except Exception as exc:  # noqa: BLE001
                    status[i] = _error(exc)
                    res.append(None)
        for i, r in zip(part, res):
            out[i] = r
    return out


def _value(res, name: str):
    return [sp.to_dict() for sp in res.spans] if name == SPAN_COLUMN else getattr(res, name)


def _score_batch(det, batch, job: _Job):
    texts, status = _decode(batch.column(batch.schema.get_field_index(job.text_col)))
    res = _results(det, texts, status, job.windowed)
    status = [STATUS_OK if s is None else s for s in status]
    fields = _result_fields(job.windowed)
    arrays = [
        pa.array([None if r is None else _value(r, f.name) for r in res], type=f.type)
        for f in fields[:-1]
    ]
    arrays.append(pa.array(status, type=pa.string()))
    names = [f.name for f in fields]
    return pa.RecordBatch.from_arrays(
        list(batch.columns) + arrays, names=list(batch.schema.names) + names
    )
