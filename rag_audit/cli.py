"""`rag_audit init|keygen|verify|prove|prove-consistency|check-proof|show|list|export|serve|...`.

A thin shell: parse options, call one library function, format its result. LOG is a SQLite path
or a ``postgresql://`` URL and always comes first. The conventions are those of
:mod:`genai_provenance.cli`: errors a user can cause (``AuditError``) print one line
``Error: ...`` on stderr and exit 2, nothing else is caught, ``-h`` is ``--help``, and a closed
pipe ends quietly. Every stored string printed on the terminal goes through
:func:`genai_provenance.terminal.safe_text` (no escape sequence from the log reaches the reader's
terminal) and every log named in a message through ``display_target`` (no password). Progress
bars go to stderr, only on a terminal or with ``--progress``.
"""

from __future__ import annotations

import json
import os
import re
import sys
from datetime import datetime, timezone
from pathlib import Path

import click

from genai_provenance.cli import CONTEXT_SETTINGS, EXIT_USAGE, CLIError, errors_to_exit
from genai_provenance.cli import run as run_cli
from genai_provenance.terminal import safe_text

from .chain import MAX_UNSIGNED_TAIL
from .erasure import DEFAULT_RETENTION_MONTHS
from .errors import AuditError
from .store.pg_setup import DEFAULT_OWNER, DEFAULT_READER, DEFAULT_WRITER
from .store.url import display_target, is_url

EXIT_OK = 0  # success; verify: the log is intact; report: the gate passed
EXIT_FAILED = 1  # verify: tampering found; report: mean faithfulness below --fail-under
EXIT_ERROR = EXIT_USAGE  # usage or input error (missing/corrupt log, bad key, unknown record)


class UtcTime(click.ParamType):
    """A date or ISO 8601 time (naive means UTC), normalised to the log's UTC text form."""

    name = "TIME"

    def convert(self, value, param, ctx):
        try:
            t = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            self.fail(
                f"{value!r} is not a date or ISO 8601 time (e.g. 2025-01-31 or "
                "2025-01-31T12:00:00Z)",
                param,
                ctx,
            )
        t = t.replace(tzinfo=timezone.utc) if t.tzinfo is None else t.astimezone(timezone.utc)
        return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _progress_bar(enabled: bool | None, desc: str):
    """A callback(done, total) drawing a tqdm bar on stderr (on a TTY, or with --progress),
    and the function that closes it."""
    if not (enabled if enabled is not None else sys.stderr.isatty()):
        return None, lambda: None
    from tqdm import tqdm

    bar = tqdm(total=0, desc=desc, unit="rec", file=sys.stderr, leave=False)

    def update(done: int, total: int) -> None:
        bar.total = total
        bar.update(done - bar.n)
        if done >= total:  # tqdm skips redraws within mininterval: always draw the final state
            bar.refresh()

    return update, bar.close


def _read_text(path: str | None, what: str) -> str | None:
    if path is None:
        return None
    try:
        return Path(path).read_text()
    except OSError as e:
        raise AuditError(f"cannot read the {what} file {path!r}: {e.strerror}") from None
    except UnicodeDecodeError:
        raise AuditError(
            f"the {what} file {path!r} is not text; pass the JSON written by Checkpoint.to_json()"
        ) from None


# Characters json.dumps(ensure_ascii=False) leaves raw that a terminal may act on (C1 controls
# such as CSI, line separators, bidi overrides): written as \\uXXXX escapes, still valid JSON.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _emit_json(obj) -> None:
    """One line of JSON; C0 controls are escaped by json, the rest by ``_JSON_UNSAFE``."""
    text = json.dumps(obj, ensure_ascii=False, default=str)
    click.echo(_JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text))


def _t(value, *, one_line: bool = False) -> str:
    """A stored value as rich text: control characters made visible, rich markup escaped."""
    from rich.markup import escape

    return escape(safe_text("" if value is None else value, keep_newlines=not one_line))


def _fmt(x: float | None, spec: str = ".3f") -> str:
    return "—" if x is None else format(x, spec)


def _console():
    """Rich console on stdout; piped output gets a wide fixed width so ids are never cut."""
    from rich.console import Console

    return Console(highlight=False, width=None if sys.stdout.isatty() else 200)


_VERDICT_MARK = {
    "supported": "[green]✓ supported[/green]",
    "contradicted": "[red]✗ contradicted[/red]",
    "not_found": "[yellow]? not found[/yellow]",
}


def _faithfulness_rows(rec, ev) -> list[tuple[str, object]]:
    """Header rows about the newest evaluation: score, who made it, how many evaluations."""
    if ev is None:
        return [("faithfulness", "not evaluated")]
    if ev.error is not None or ev.score is None:
        score = f"not scored ({ev.error or 'no score'})"
    elif ev.calibration is not None:
        score = (
            f"{_fmt(ev.score)} = calibrated P(every sentence supported), threshold "
            f"{_fmt(ev.threshold)}; {_fmt(ev.supported_share)} of sentences supported"
        )
    else:
        f = rec.faithfulness or {}
        score = (
            f"{_fmt(ev.score)} = share of supported sentences (min {_fmt(f.get('min'))}, "
            f"mean {_fmt(f.get('mean'))})"
        )
    n = ev.verdicts
    verdicts = (
        f"{n['supported']} supported, {n['contradicted']} contradicted, {n['not_found']} not found"
    )
    made = " ".join(x for x in (ev.scorer or "unknown scorer", ev.scorer_version) if x)
    if ev.calibration:
        made += f", calibration {ev.calibration}"
    elif ev.legacy:
        made += " (older two-way scorer: verdicts derived from `supported`, no evidence spans)"
    count = "—" if ev.evaluations is None else str(ev.evaluations)
    newest = f" (the newest, event {ev.seq}, is shown; `rag_audit rescore` appends)"
    return [
        ("faithfulness", score),
        ("verdicts", verdicts),
        ("scored by", made),
        ("evaluations", count + (newest if ev.seq is not None else "")),
    ]


def _evidence_cell(v, chunks) -> str:
    """The evidence column: shortened span text with its offsets, the disagreement if any."""
    from .verdict_view import evidence_snippet, mismatch_text

    lines = []
    if v.span is not None:
        text = chunks[v.chunk_index].text if v.chunk_index is not None else None
        label = "closest: " if v.verdict == "not_found" else ""
        lines.append(
            f"{label}“{_t(evidence_snippet(v, text), one_line=True)}” "
            f"[dim]\\[{v.span[0]}:{v.span[1]}][/dim]"
        )
    elif v.note:
        lines.append(f"[dim]{_t(v.note, one_line=True)}[/dim]")
    for m in v.mismatches if v.verdict == "contradicted" else ():
        lines.append(f"[red]{_t(mismatch_text(m), one_line=True)}[/red]")
    return "\n".join(lines)


def _print_record(rec) -> None:
    """The record as rich tables: header, per-sentence verdicts with evidence, chunks,
    overrides."""
    from rich.table import Table

    from .verdict_view import evaluation_view, sentence_views

    con = _console()
    wm = rec.watermark
    views = sentence_views(rec)
    ev = evaluation_view(rec, views)
    head = Table.grid(padding=(0, 2))
    for k, v in [
        ("record", rec.record_id),
        ("seq", rec.seq),
        ("time", rec.time_start),
        ("user", rec.user_id),
        ("app", rec.app),
        ("model", " ".join(str(x) for x in (rec.model, rec.model_version) if x)),
        ("query", rec.query),
        ("answer", rec.answer),
        ("error", rec.error and f"{rec.error.get('type')}: {rec.error.get('message')}"),
        *_faithfulness_rows(rec, ev),
        (
            "watermark",
            "not recorded"
            if wm is None
            else f"{'applied' if wm.applied else 'not applied'}, key {wm.key_id or '—'}, "
            f"p-value {_fmt(wm.p_value, '.3g')}",
        ),
        ("hash", rec.hash),
    ]:
        head.add_row(f"[bold]{k}[/bold]", _t(v))
    con.print(head)
    title = "Sentences, verdicts and evidence"
    if ev is not None and ev.legacy:
        title += " (older two-way scorer)"
    sents = Table(title=title, title_justify="left")
    for col in ("#", "sentence", "verdict", "score", "chunk id", "evidence \\[start:end]"):
        sents.add_column(col)
    for v in views:
        sents.add_row(
            str(v.index + 1),
            _t(v.text),
            _VERDICT_MARK[v.verdict] + (" [dim](legacy)[/dim]" if v.legacy else ""),
            _fmt(v.score),
            _t(v.chunk_id, one_line=True),
            _evidence_cell(v, rec.chunks),
        )
    con.print(sents)
    chunks = Table(title="Retrieved chunks", title_justify="left")
    for col in ("id", "source", "score", "text"):
        chunks.add_column(col)
    for c in rec.chunks:
        text = c.text if len(c.text) <= 160 else c.text[:157] + "..."
        chunks.add_row(
            _t(c.id, one_line=True), _t(c.source, one_line=True), _fmt(c.score), _t(text)
        )
    con.print(chunks)
    if rec.overrides:
        ovs = Table(title="Overrides", title_justify="left")
        for col in ("time", "reviewer", "decision", "reason", "correction"):
            ovs.add_column(col)
        for o in rec.overrides:
            ovs.add_row(
                *(
                    _t(o.get(k) or "")
                    for k in ("time", "reviewer", "decision", "reason", "correction")
                )
            )
        con.print(ovs)
    else:
        con.print("No overrides.")


def _print_records(recs) -> None:
    """One table row per record: seq, id, time, user, faithfulness, watermark, overrides, query."""
    from rich.table import Table

    table = Table()
    for col in ("seq", "record id", "time", "user", "faith.", "wm", "ovr", "query"):
        table.add_column(col, no_wrap=col != "query", overflow="fold")
    n = 0
    for r in recs:
        n += 1
        wm = "—" if r.watermark is None else ("yes" if r.watermark.applied else "no")
        q = r.query if len(r.query) <= 60 else r.query[:57] + "..."
        table.add_row(
            str(r.seq),
            _t(r.record_id, one_line=True),
            _t(r.time_start, one_line=True),
            _t(r.user_id, one_line=True),
            _fmt(r.faithfulness_score),
            wm,
            str(len(r.overrides)),
            _t(q, one_line=True),
        )
    _console().print(table)
    click.echo(f"{n} records", err=True)


def _is_log(arg: str) -> bool:
    """Whether a positional argument names a log: a postgresql:// URL or an existing path."""
    return is_url(arg) or os.path.exists(arg)


since_opt = click.option(
    "--since", type=UtcTime(), help="Only records that started at or after this UTC date/time."
)
until_opt = click.option(
    "--until", type=UtcTime(), help="Only records that started before this UTC date/time."
)
progress_opt = click.option(
    "--progress/--no-progress",
    default=None,
    help="Show a progress bar on stderr (default: only on a terminal).",
)
json_opt = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
log_arg = click.argument("log", metavar="LOG")


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(
    package_name="genai-provenance", message="%(version)s", help="Show the version and exit."
)
@click.option(
    "--keystore",
    envvar="RAG_AUDIT_KEYSTORE",
    type=click.Path(),
    metavar="KS",
    help="Key store of a log written with per-subject encryption: decrypt its fields "
    "(destroyed keys read [erased]); also $RAG_AUDIT_KEYSTORE.",
)
def cli(keystore):
    """Tamper-evident audit trail for RAG apps: verify, inspect, export and report on a log.

    \b
    LOG is a SQLite file path or a postgresql:// URL.
    Exit codes: 0 ok, 1 verification failed / quality gate failed, 2 usage or input error.
    """
    from .erasure import set_reader_keystore

    try:
        set_reader_keystore(keystore)  # None: this invocation reads without one
    except AuditError as e:
        raise CLIError(str(e)) from None


@cli.command()
@click.option(
    "-o",
    "--output",
    "prefix",
    required=True,
    metavar="PREFIX",
    help="Write PREFIX.key (private, mode 0600) and PREFIX.pub.",
)
@click.option("--force", is_flag=True, help="Overwrite existing key files.")
@errors_to_exit(AuditError)
def keygen(prefix, force):
    """Create an Ed25519 key pair for signing checkpoints; print its key id."""
    from .signing import generate_keypair, key_id, save_private_key, save_public_key

    priv_path, pub_path = Path(prefix + ".key"), Path(prefix + ".pub")
    for p in (priv_path, pub_path):
        if p.exists() and not force:
            raise AuditError(f"{str(p)!r} already exists; use --force to overwrite it")
    if not priv_path.parent.exists():
        raise AuditError(f"directory {str(priv_path.parent)!r} does not exist; create it first")
    priv, pub = generate_keypair()
    save_private_key(priv, priv_path)
    save_public_key(pub, pub_path)
    click.echo(f"Wrote {priv_path} (private, keep secret) and {pub_path} (public)", err=True)
    click.echo(key_id(pub))


@cli.command()
@log_arg
@click.option(
    "--public-key", type=click.Path(), help="Public key PEM to check checkpoint signatures with."
)
@click.option(
    "--checkpoint",
    type=click.Path(),
    help="A checkpoint JSON kept outside the log, to check the log against.",
)
@click.option(
    "--witness",
    "witnesses",
    multiple=True,
    metavar="FILE|URL",
    help="A witness (JSONL file or postgresql:// URL) the log must extend; repeatable.",
)
@click.option(
    "--max-unsigned-tail",
    type=click.IntRange(min=0),
    default=MAX_UNSIGNED_TAIL,
    show_default=True,
    help="Events allowed after the newest signed checkpoint.",
)
@click.option(
    "--allow-unsigned",
    is_flag=True,
    help="Without --public-key, accept a chain-only check (exit 0).",
)
@json_opt
@progress_opt
@errors_to_exit(AuditError)
def verify(
    log, public_key, checkpoint, witnesses, max_unsigned_tail, allow_unsigned, as_json, progress
):
    """Check the log was not modified, deleted from, inserted into, reordered, truncated,
    rolled back or replaced.

    Exit 0 if intact, 1 with the first bad event and the reason if not -- or, without
    --public-key, because a chain-only check cannot detect truncation and rewrites (pass
    --allow-unsigned to accept that)."""
    from .verify import CHAIN_ONLY, verify_log

    update, close = _progress_bar(progress, "verify")
    try:
        r = verify_log(
            log,
            public_key,
            checkpoint=_read_text(checkpoint, "checkpoint"),
            witness=list(witnesses) or None,
            max_unsigned_tail=max_unsigned_tail,
            progress=update,
            progress_every=2000,
        )
    finally:
        close()
    refused = r.ok and not r.signatures_checked and not allow_unsigned
    if as_json:
        _emit_json(r.to_dict())
    elif refused:
        click.echo(
            f"NOT VERIFIED: {r.count} events form an intact chain, but {CHAIN_ONLY}; "
            "pass --public-key (or --allow-unsigned to accept a chain-only check)"
        )
    elif r.ok:
        click.echo(f"OK: {r.message}" + ("; signatures checked" if r.signatures_checked else ""))
    else:
        click.echo(
            safe_text(
                f"FAILED: event {r.first_bad} (record {r.record_id or 'unknown'}): "
                f"{r.reason}: {r.message}",
                keep_newlines=False,
            )
        )
    for w in r.warnings:
        click.echo(f"Warning: {safe_text(w, keep_newlines=False)}", err=True)
    sys.exit(EXIT_OK if r.ok and not refused else EXIT_FAILED)


@cli.command()
@log_arg
@click.argument("record_id")
@json_opt
@errors_to_exit(AuditError)
def show(log, record_id, as_json):
    """Show one record: per-sentence verdicts with their evidence, chunks, watermark, overrides.

    Each sentence of the newest evaluation is supported, contradicted (with the disagreement)
    or not found, with its chunk and evidence span; --json adds these as `sentence_views` and
    `evaluation` (scorer, version, calibration, number of evaluations).

    The old order `show RECORD_ID LOG` still works for this release, with a warning."""
    from .store import open_store

    if _is_log(record_id) and not _is_log(log):  # the pre-0.2 order: RECORD_ID LOG
        log, record_id = record_id, log
        click.echo(
            "Warning: `rag_audit show RECORD_ID LOG` is deprecated and will stop working "
            "in the next release; write `rag_audit show LOG RECORD_ID`",
            err=True,
        )
    with open_store(log, readonly=True) as store:
        rec = store.get(record_id)
    if rec is None:
        raise AuditError(
            f"no record with id {record_id!r} in {display_target(log)}; "
            "find ids with `rag_audit list`"
        )
    if as_json:
        from .verdict_view import evaluation_view, sentence_views

        d = rec.to_dict()
        views = sentence_views(rec)
        ev = evaluation_view(rec, views)
        d["evaluation"] = ev.to_dict() if ev is not None else None
        d["sentence_views"] = [v.to_dict() for v in views]
        return _emit_json(d)
    _print_record(rec)


@cli.command("list")
@log_arg
@since_opt
@until_opt
@click.option("--user", "user_id", help="Only records of this user id.")
@click.option(
    "--faithfulness-below",
    type=click.FloatRange(0, 1),
    help="Only evaluated records scoring below this.",
)
@click.option(
    "--watermark-missing", is_flag=True, help="Only records whose answer was not watermarked."
)
@click.option("--limit", type=click.IntRange(min=1), help="At most this many records.")
@click.option(
    "--json", "as_json", is_flag=True, help="Print one JSON object per record (JSON Lines)."
)
@errors_to_exit(AuditError)
def list_(log, as_json, **filters):
    """List records in log order, filtered."""
    from .store import open_store

    with open_store(log, readonly=True) as store:
        recs = store.records(**filters)
        if as_json:
            for rec in recs:
                _emit_json(rec.to_dict())
        else:
            _print_records(recs)


@cli.command()
@log_arg
@click.option(
    "--parquet",
    "out_dir",
    type=click.Path(),
    help="Directory to write year=/month=/day= Parquet files into.",
)
@click.option(
    "--otlp",
    "otlp_url",
    metavar="URL",
    help="Send records as OpenTelemetry GenAI spans to this OTLP/HTTP endpoint instead "
    "(e.g. http://127.0.0.1:4318; needs the otel extra).",
)
@click.option(
    "--otlp-header",
    "otlp_headers",
    multiple=True,
    metavar="KEY=VALUE",
    help="Header for --otlp (repeatable; never printed); OTEL_EXPORTER_OTLP_HEADERS also applies.",
)
@click.option(
    "--otlp-content",
    is_flag=True,
    help="Also send query, answer, chunk texts and user id (PII-redacted first). Off by default.",
)
@click.option(
    "--otlp-timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
    help="Seconds to keep retrying one --otlp request.",
)  # fmt: skip
@since_opt
@until_opt
@click.option(
    "--public-key",
    type=click.Path(),
    help="Public key PEM: also check signatures before exporting.",
)
@click.option(
    "--require-valid", is_flag=True, help="Refuse to export a log that fails verification."
)
@click.option("--overwrite", is_flag=True, help="Replace a previous export in DIR.")
@progress_opt
@errors_to_exit(AuditError)
def export(log, out_dir, progress, otlp_url, otlp_headers, otlp_content, otlp_timeout, **kwargs):
    """Export records as Hive-partitioned Parquet with an _export.json manifest (--parquet DIR),
    or send them as OpenTelemetry GenAI spans (--otlp URL)."""
    from .export import export_parquet

    if (out_dir is None) == (otlp_url is None):
        raise CLIError("pass exactly one of --parquet DIR or --otlp URL")
    if otlp_url is not None:
        if kwargs.pop("overwrite"):
            raise CLIError("--overwrite is for --parquet; --otlp has nothing to replace")
        _export_otlp(log, otlp_url, otlp_headers, otlp_content, otlp_timeout, progress, kwargs)
        return
    update, close = _progress_bar(progress, "export")
    try:
        s = export_parquet(log, out_dir, progress=update, **kwargs)
    finally:
        close()
    click.echo(f"Exported {s.records} records in {len(s.files)} files to {s.out_dir}")
    if not s.verified:
        v = s.verification
        click.echo(
            f"Warning: the log FAILED verification ({v['reason']} at event "
            f"{v['first_bad']}); recorded in {s.manifest}",
            err=True,
        )


def _export_otlp(log, url, headers, content, timeout, progress, kwargs) -> None:
    """`export --otlp`: send, print one summary line; exit 1 when spans were not delivered."""
    from .otlp import export_otlp, parse_headers

    update, close = _progress_bar(progress, "otlp")
    try:
        s = export_otlp(
            log, url, headers=parse_headers(headers), content=content, timeout=timeout,
            progress=update, **kwargs,
        )  # fmt: skip
    finally:
        close()
    line = (
        f"Sent {s.spans_sent} spans for {s.records} records to {safe_text(s.endpoint)}; "
        f"{s.spans_failed} spans failed"
    )
    click.echo(line)
    if s.stopped_early:
        click.echo(
            "Error: stopped after several failed requests in a row; "
            f"{s.total - s.records} records not sent (is the endpoint up?)",
            err=True,
        )
    if not s.verified:
        click.echo(
            f"Warning: the log FAILED verification ({s.verify_reason}); no checkpoint attributes "
            "were sent",
            err=True,
        )
    if not s.ok:
        sys.exit(EXIT_FAILED)


@cli.command("export-labelled-overrides")
@log_arg
@click.argument("out", metavar="OUT")
@errors_to_exit(AuditError)
def export_labelled_overrides(log, out):
    """Write human overrides joined to their records (OUT: *.jsonl or *.parquet) for retraining."""
    from .export import export_labelled_overrides as export_labels

    click.echo(f"Wrote {export_labels(log, out)} labelled overrides to {out}")


@cli.command()
@log_arg
@click.option(
    "--html", "out_html", required=True, type=click.Path(), help="Write the HTML report here."
)
@click.option(
    "--public-key", type=click.Path(), help="Public key PEM to check checkpoint signatures with."
)
@click.option(
    "--fail-under",
    type=click.FloatRange(0, 1),
    help="Exit 1 when mean faithfulness is below this (CI gate).",
)
@click.option("--title", default="RAG audit report", show_default=True, help="Report title.")
@errors_to_exit(AuditError)
def report(log, **kwargs):
    """Write a self-contained HTML report: counts, faithfulness, overrides, watermark, verification.

    Exit 1 when the log fails verification or mean faithfulness is below --fail-under."""
    from .report import build_report

    s = build_report(log, **kwargs)
    click.echo(
        f"Wrote {s.path}: {s.records} records, mean faithfulness "
        f"{'n/a' if s.mean_faithfulness is None else format(s.mean_faithfulness, '.3f')}"
    )
    if not s.verified:
        v = s.verification
        click.echo(
            safe_text(
                f"FAILED: the log failed verification ({v['reason']} at event "
                f"{v['first_bad']}): {v['message']}",
                keep_newlines=False,
            )
        )
    if s.gate_message:
        click.echo(("FAILED: " if s.failed else "OK: ") + s.gate_message)
    sys.exit(EXIT_FAILED if s.failed or not s.verified else EXIT_OK)


@cli.command()
@log_arg
@click.argument("record_id")
@click.option("--reviewer", required=True, help="Who made the decision.")
@click.option(
    "--decision",
    required=True,
    type=click.Choice(["accept", "reject", "correct"]),
    help="The reviewer's decision.",
)
@click.option("--reason", required=True, help="Why (free text).")
@click.option("--correction", help="The corrected answer, for --decision correct.")
@click.option(
    "--signing-key",
    type=click.Path(),
    help="Private key PEM: sign a checkpoint covering the override.",
)
@errors_to_exit(AuditError)
def override(log, record_id, signing_key, **kwargs):
    """Record a human reviewer's decision about a record (appended to the chain)."""
    from .signing import load_private_key
    from .store import open_store
    from .tracer import Auditor

    key = load_private_key(signing_key) if signing_key else None
    open_store(log, readonly=True).close()  # an existing log only: never create one here
    with Auditor(log, signing_key=key, scorer=None) as auditor:
        event_id = auditor.record_override(record_id, **kwargs)
    click.echo(event_id)


def _password_from_env(var: str | None, role: str) -> str | None:
    import os

    if var is None:
        return None
    value = os.environ.get(var)
    if not value:
        raise AuditError(
            f"environment variable {var} (the {role} password) is unset or empty; "
            f"export it first, e.g. read -rs {var} && export {var}"
        )
    return value


@cli.command("pg-setup")
@click.argument("url", metavar="URL")
@click.option(
    "--owner",
    default=DEFAULT_OWNER,
    show_default=True,
    help="Role that owns the tables (created NOLOGIN).",
)
@click.option(
    "--writer",
    default=DEFAULT_WRITER,
    show_default=True,
    help="Login role for the app: SELECT and INSERT only.",
)
@click.option(
    "--reader",
    default=DEFAULT_READER,
    show_default=True,
    help="Login role for auditors and consoles: SELECT only.",
)
@click.option(
    "--writer-password-env",
    metavar="VAR",
    help="Set the writer's password from this environment variable.",
)
@click.option(
    "--reader-password-env",
    metavar="VAR",
    help="Set the reader's password from this environment variable.",
)
@errors_to_exit(AuditError)
def pg_setup(url, owner, writer, reader, writer_password_env, reader_password_env):
    """Create least-privilege owner, writer and reader roles for the log at URL (a superuser
    URL); create or adopt its tables. Passwords come only from environment variables and are
    never printed. Safe to run again."""
    from .store.pg_setup import setup_roles

    r = setup_roles(
        url,
        owner=owner,
        writer=writer,
        reader=reader,
        writer_password=_password_from_env(writer_password_env, "writer"),
        reader_password=_password_from_env(reader_password_env, "reader"),
    )
    click.echo(
        f"{'Created' if r.created_tables else 'Adopted'} the log tables, owned by "
        f"{r.owner} (NOLOGIN); roles created: {', '.join(r.created_roles) or 'none'}; "
        f"passwords set: {', '.join(r.passwords_set) or 'none'}"
    )
    click.echo(f"app (writer, SELECT+INSERT):    {r.writer_url}")
    click.echo(f"auditors (reader, SELECT only): {r.reader_url}")
    if r.other_grantees:
        click.echo(
            f"Warning: {', '.join(r.other_grantees)} still hold privileges on the log "
            "tables; revoke them once the app connects as the writer",
            err=True,
        )


# -- erasure: erase / prune (rag_audit.erasure) ----------------------------------------------------


keystore_opt = click.option(
    "--keystore",
    "keystore",
    required=True,
    type=click.Path(),
    metavar="KS",
    help="The key store file the log was written with.",
)


erasure_log_opts = [
    click.option(
        "--operator",
        default=None,
        metavar="NAME",
        help="Who is doing this, recorded in the log's erasure event (default: your login name).",
    ),
    click.option(
        "--reason", default="", help="Why (e.g. a request reference), recorded in the event."
    ),
    click.option(
        "--signing-key",
        type=click.Path(),
        help="Private key PEM: sign a checkpoint covering the erasure event at once (otherwise "
        "the app's next signed checkpoint covers it).",
    ),
]


def _with_erasure_log_opts(fn):
    for opt in reversed(erasure_log_opts):
        fn = opt(fn)
    return fn


def _erasure_writer(log: str, signing_key: str | None, operator: str | None):
    """Open the log for appending the erasure event BEFORE any key is destroyed, so an erasure
    the log cannot record is refused rather than done silently. Returns (auditor, operator)."""
    import getpass

    from .signing import load_private_key
    from .store import open_store
    from .tracer import Auditor

    if operator is None:
        try:
            operator = getpass.getuser()
        except (KeyError, OSError):
            raise AuditError("cannot tell who you are; pass --operator NAME") from None
    if not operator.strip():
        raise AuditError("--operator must not be empty")
    key = load_private_key(signing_key) if signing_key else None
    open_store(log, readonly=True).close()  # an existing log only: never create one here
    auditor = Auditor(log, signing_key=key, scorer=None)
    try:
        auditor.store.check_can_append()  # e.g. a PostgreSQL reader role: refuse now
    except BaseException:
        auditor.close()
        raise
    return auditor, operator.strip()


def _append_erasure(auditor, action: str, operator: str, reason: str, **what) -> str:
    try:
        with auditor:
            return auditor.record_erasure(action, operator=operator, reason=reason, **what)
    except AuditError as e:
        raise AuditError(
            f"the keys were destroyed, but the erasure event could not be appended to the log "
            f"({e}); record it by hand in your erasure register"
        ) from None


@cli.command()
@log_arg
@click.option("--user", "user_id", required=True, help="The user id whose data to erase.")
@keystore_opt
@_with_erasure_log_opts
@errors_to_exit(AuditError)
def erase(log, user_id, keystore, operator, reason, signing_key):
    """Erase one user (GDPR Art. 17): destroy their data keys; the log still verifies and their
    fields read [erased]. An `erasure` event (the subject's pseudonym, never the user id; keys
    destroyed; operator; reason) is appended to the log, so an auditor can tell a lawful erasure
    from damage."""
    from .erasure import erase_user, open_keystore
    from .store import open_store

    ks = open_keystore(keystore, create=False)
    try:
        with open_store(log, readonly=True) as store:
            store.keystore = ks
            n = store.count(user_id=user_id)
        auditor, operator = _erasure_writer(log, signing_key, operator)
        try:
            r = erase_user(ks, user_id)
        except BaseException:
            auditor.close()
            raise
    finally:
        ks.close()
    event_id = _append_erasure(
        auditor,
        "erase_user",
        operator,
        reason,
        subject=r.subject,
        keys_destroyed=r.keys_destroyed,
    )
    click.echo(
        f"Erased subject {r.subject}: {r.keys_destroyed} data keys destroyed; "
        f"{n} records now read [erased]; logged as erasure event {event_id}"
    )


@cli.command()
@log_arg
@click.option(
    "--before",
    required=True,
    type=click.DateTime(["%Y-%m-%d"]),
    metavar="DATE",
    help="Shred the keys of every month that ends before this date (YYYY-MM-DD).",
)
@keystore_opt
@click.option(
    "--retention-months",
    type=click.IntRange(min=0),
    default=DEFAULT_RETENTION_MONTHS,
    show_default=True,
    help="Refuse to shred anything younger than this (EU AI Act Art. 19: six months).",
)
@_with_erasure_log_opts
@errors_to_exit(AuditError)
def prune(log, before, keystore, retention_months, operator, reason, signing_key):
    """Crypto-shred whole months before DATE; refused inside the retention period. An `erasure`
    event (months shredded, operator, reason) is appended to the log when any month was
    shredded."""
    from .erasure import prune_keys

    auditor, operator = _erasure_writer(log, signing_key, operator)
    try:
        r = prune_keys(keystore, before, retention_months=retention_months)
    except BaseException:
        auditor.close()
        raise
    logged = ""
    if r.months:
        event_id = _append_erasure(
            auditor,
            "prune",
            operator,
            reason,
            months=list(r.months),
            before=r.before_month,
            retention_months=retention_months,
        )
        logged = f"; logged as erasure event {event_id}"
    else:
        auditor.close()
    click.echo(
        f"Shredded the data keys of {len(r.months)} months before {r.before_month}"
        + (f" ({r.months[0]} .. {r.months[-1]})" if r.months else "")
        + logged
    )


# -- signed logs, witnesses and proofs (issue 9) ----------------------------------------------


def _write_json(obj, out: str | None) -> None:
    """JSON to a file (``-o``) or stdout."""
    text = json.dumps(obj, indent=2, sort_keys=True) + "\n"
    if out is None:
        click.echo(text, nl=False)
        return
    try:
        Path(out).write_text(text)
    except OSError as e:
        raise AuditError(f"cannot write {out!r}: {e.strerror}") from None
    click.echo(f"Wrote {out}", err=True)


def _read_json(path: str, what: str):
    try:
        return json.loads(_read_text(path, what))
    except ValueError:
        raise AuditError(f"the {what} file {path!r} is not JSON") from None


@cli.command()
@log_arg
@click.option(
    "--key-out",
    type=click.Path(),
    metavar="PATH",
    help="Private key file (default: genai-provenance/keys/<key id>.key in the user "
    "config directory, mode 0600).",
)
@click.option(
    "--public-key-out",
    type=click.Path(),
    metavar="PATH",
    help="Public key file (default: LOG.pub; required for a postgresql:// LOG).",
)
@errors_to_exit(AuditError)
def init(log, key_out, public_key_out):
    """Create a new signed log and its Ed25519 key pair; print the key id."""
    from .signing import init_log

    r = init_log(log, key_out=key_out, public_key_out=public_key_out)
    click.echo(
        f"Created {log}; private key {r.private_key} (mode 0600, keep it secret, away "
        f"from the log); public key {r.public_key}",
        err=True,
    )
    click.echo(r.key_id)


@cli.command()
@log_arg
@click.argument("record_id")
@click.option("-o", "--output", type=click.Path(), help="Write the proof here (default: stdout).")
@errors_to_exit(AuditError)
def prove(log, record_id, output):
    """Write an inclusion proof (JSON) of a record against the newest signed checkpoint."""
    from .proofs import prove_record

    _write_json(prove_record(log, record_id), output)


@cli.command("prove-consistency")
@log_arg
@click.argument("old", metavar="OLD.json")
@click.argument("new", metavar="NEW.json")
@click.option("-o", "--output", type=click.Path(), help="Write the proof here (default: stdout).")
@errors_to_exit(AuditError)
def prove_consistency_cmd(log, old, new, output):
    """Write a consistency proof that checkpoint OLD is a prefix of checkpoint NEW."""
    from .chain import Checkpoint
    from .proofs import prove_consistency

    old_cp = Checkpoint.from_json(_read_json(old, "checkpoint"))
    new_cp = Checkpoint.from_json(_read_json(new, "checkpoint"))
    _write_json(prove_consistency(log, old_cp, new_cp), output)


@cli.command("check-proof")
@click.argument("proof", metavar="PROOF.json")
@click.option(
    "--public-key", required=True, type=click.Path(), help="Public key PEM of the log's signer."
)
@click.option(
    "--body",
    type=click.Path(),
    help="The record's canonical body (inclusion proofs): check it is the proven event.",
)
@errors_to_exit(AuditError)
def check_proof_cmd(proof, public_key, body):
    """Check an inclusion or consistency proof with the public key alone (no log).

    Exit 0 valid, 1 invalid, 2 unreadable input."""
    from .proofs import check_proof

    body_bytes = None
    if body is not None:
        try:
            body_bytes = Path(body).read_bytes()
        except OSError as e:
            raise AuditError(f"cannot read the body file {body!r}: {e.strerror}") from None
    r = check_proof(_read_json(proof, "proof"), public_key, body=body_bytes)
    click.echo(("VALID: " if r.ok else "INVALID: ") + r.message)
    sys.exit(EXIT_OK if r.ok else EXIT_FAILED)


# -- rescore (rag_audit.rescore) -------------------------------------------------------------------


@cli.command()
@log_arg
@click.option(
    "--signing-key",
    type=click.Path(),
    metavar="K",
    help="Private key PEM: write a signed checkpoint after the new evaluations.",
)
@errors_to_exit(AuditError)
def rescore(log, signing_key):
    """Append new evaluations (never edits) for records scored by an older scorer version."""
    from tqdm import tqdm

    from .rescore import rescore as rescore_log

    bars: list = []  # the bar appears with the first record, so an error prints one line only

    def update(done: int, total: int) -> None:
        if not bars:
            bars.append(tqdm(total=total, desc="rescore", unit="rec", file=sys.stderr, leave=False))
        bars[0].total = total
        bars[0].update(done - bars[0].n)

    try:
        r = rescore_log(log, progress=update, signing_key=signing_key)
    finally:
        for bar in bars:
            bar.close()
    click.echo(
        f"Rescored {r.rescored} of {r.scanned} records with {r.scorer} ({r.scorer_version}); "
        f"{r.current} already current, {r.unscorable} without answer or chunks, "
        f"{r.hidden} encrypted or erased, {r.failed} failed"
    )


# -- the review console (rag_audit.console; needs the `console` extra) ---------------------------


def _console_module():
    try:
        from .console import app as console
    except ImportError as e:
        raise AuditError(
            f"the review console needs the console extra ({e.name} is missing): "
            "pip install 'genai-provenance[console]'"
        ) from None
    return console


@cli.command()
@log_arg
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to use."
)
@click.option(
    "--users",
    "users_file",
    type=click.Path(),
    help="Reviewers' users file (mode 0600; `rag_audit console-user add`). Without it the "
    "console is read-only.",
)
@click.option(
    "--public-key", type=click.Path(), help="Public key PEM: the banner checks signatures."
)
@click.option(
    "--witness",
    "witness",
    multiple=True,
    metavar="FILE|URL",
    help="A witness the log must extend (banner); repeatable.",
)
@click.option(
    "--signing-key",
    type=click.Path(),
    help="Private key PEM: sign a checkpoint after each override.",
)
@click.option(
    "--watermark-key",
    "watermark_keys",
    multiple=True,
    metavar="FILE|env:VAR",
    help="Watermark key (as detect_watermark --key; repeatable for rotation): the record page "
    "runs the detector on the answer and colours its tokens green / red.",
)
@click.option(
    "--watermark-config",
    type=click.Path(),
    help="Watermark config JSON (as detect_watermark --config) [default: the default config].",
)
@errors_to_exit(AuditError)
def serve(log, host, port, **options):
    """Serve the review console for LOG on http://HOST:PORT (127.0.0.1 by default)."""
    console = _console_module()
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(
            f"WARNING: listening on {host}: anyone who can reach this address can read the "
            "log through the console (plain HTTP, no TLS). Put it behind a TLS proxy and a "
            "firewall, or use the default --host 127.0.0.1.",
            err=True,
        )
    if options.get("users_file") and not options.get("signing_key"):
        click.echo(
            "Note: no --signing-key, so an override is covered by a signed checkpoint only when "
            "the app's writer signs its next one.",
            err=True,
        )
    if not options.get("users_file"):
        click.echo("Read-only: no --users file, nobody can sign in or record a decision.", err=True)
    click.echo(f"rag_audit console for {display_target(log)} on http://{host}:{port}/", err=True)
    console.serve(log, host=host, port=port, **options)


@cli.group("console-user")
def console_user():
    """Manage the reviewers who may sign in to the console (`serve --users FILE`)."""


@console_user.command("add")
@click.argument("users_file", metavar="FILE")
@click.argument("name")
@errors_to_exit(AuditError)
def console_user_add(users_file, name):
    """Add reviewer NAME to FILE (created with mode 0600), or set a new password; prompts for
    the password (never echoed, never printed)."""
    from .console.auth import add_user

    password = click.prompt(
        f"Password for {name}", hide_input=True, confirmation_prompt=True, err=True
    )
    new = add_user(users_file, name, password)
    click.echo(f"{'Added' if new else 'Updated the password of'} {name} in {users_file}", err=True)


def main() -> None:
    """Console entry point (``rag_audit``): a closed stdout (``| head``) ends it quietly."""
    run_cli(cli, "rag_audit")


if __name__ == "__main__":  # pragma: no cover
    main()
