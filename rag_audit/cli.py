"""`rag_audit keygen|verify|show|list|export|export-labelled-overrides|report|override`.

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

from genai_provenance.cli import CONTEXT_SETTINGS, EXIT_USAGE, errors_to_exit
from genai_provenance.cli import run as run_cli
from genai_provenance.terminal import safe_text

from .errors import AuditError
from .store.url import display_target, is_url

EXIT_OK = 0      # success; verify: the log is intact; report: the gate passed
EXIT_FAILED = 1  # verify: tampering found; report: mean faithfulness below --fail-under
EXIT_ERROR = EXIT_USAGE  # usage or input error (missing/corrupt log, bad key, unknown record)


class UtcTime(click.ParamType):
    """A date or ISO 8601 time (naive means UTC), normalised to the log's UTC text form."""

    name = "TIME"

    def convert(self, value, param, ctx):
        try:
            t = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            self.fail(f"{value!r} is not a date or ISO 8601 time (e.g. 2025-01-31 or "
                      "2025-01-31T12:00:00Z)", param, ctx)
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

    return update, bar.close


def _read_text(path: str | None, what: str) -> str | None:
    if path is None:
        return None
    try:
        return Path(path).read_text()
    except OSError as e:
        raise AuditError(f"cannot read the {what} file {path!r}: {e.strerror}") from None
    except UnicodeDecodeError:
        raise AuditError(f"the {what} file {path!r} is not text; pass the JSON written by "
                         "Checkpoint.to_json()") from None


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


def _print_record(rec) -> None:
    """The record as rich tables: header, per-sentence citations, chunks, overrides."""
    from rich.table import Table

    con = _console()
    wm = rec.watermark
    f = rec.faithfulness or {}
    head = Table.grid(padding=(0, 2))
    for k, v in [("record", rec.record_id), ("seq", rec.seq), ("time", rec.time_start),
                 ("user", rec.user_id), ("app", rec.app),
                 ("model", " ".join(str(x) for x in (rec.model, rec.model_version) if x)),
                 ("query", rec.query), ("answer", rec.answer),
                 ("error", rec.error and f"{rec.error.get('type')}: {rec.error.get('message')}"),
                 ("faithfulness", f"{_fmt(f.get('score'))} (min {_fmt(f.get('min'))}, mean "
                  f"{_fmt(f.get('mean'))}, {f.get('scorer') or 'no scorer'})" if f else
                  "not evaluated"),
                 ("watermark", "not recorded" if wm is None else
                  f"{'applied' if wm.applied else 'not applied'}, key {wm.key_id or '—'}, "
                  f"p-value {_fmt(wm.p_value, '.3g')}"),
                 ("hash", rec.hash)]:
        head.add_row(f"[bold]{k}[/bold]", _t(v))
    con.print(head)
    sents = Table(title="Sentences and citations", title_justify="left")
    for col in ("sentence", "supported", "score", "chunk id"):
        sents.add_column(col)
    for s in f.get("sentences") or []:
        sents.add_row(_t(s.get("text")), "[green]✓[/green]" if s.get("supported")
                      else "[red]✗[/red]", _fmt(s.get("score")), _t(s.get("chunk_id"), one_line=True))
    con.print(sents)
    chunks = Table(title="Retrieved chunks", title_justify="left")
    for col in ("id", "source", "score", "text"):
        chunks.add_column(col)
    for c in rec.chunks:
        text = c.text if len(c.text) <= 160 else c.text[:157] + "..."
        chunks.add_row(_t(c.id, one_line=True), _t(c.source, one_line=True), _fmt(c.score),
                       _t(text))
    con.print(chunks)
    if rec.overrides:
        ovs = Table(title="Overrides", title_justify="left")
        for col in ("time", "reviewer", "decision", "reason", "correction"):
            ovs.add_column(col)
        for o in rec.overrides:
            ovs.add_row(*(_t(o.get(k) or "") for k in
                          ("time", "reviewer", "decision", "reason", "correction")))
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
        table.add_row(str(r.seq), _t(r.record_id, one_line=True),
                      _t(r.time_start, one_line=True), _t(r.user_id, one_line=True),
                      _fmt(r.faithfulness_score), wm, str(len(r.overrides)), _t(q, one_line=True))
    _console().print(table)
    click.echo(f"{n} records", err=True)


def _is_log(arg: str) -> bool:
    """Whether a positional argument names a log: a postgresql:// URL or an existing path."""
    return is_url(arg) or os.path.exists(arg)


since_opt = click.option("--since", type=UtcTime(),
                         help="Only records that started at or after this UTC date/time.")
until_opt = click.option("--until", type=UtcTime(),
                         help="Only records that started before this UTC date/time.")
progress_opt = click.option("--progress/--no-progress", default=None,
                            help="Show a progress bar on stderr (default: only on a terminal).")
json_opt = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
log_arg = click.argument("log", metavar="LOG")


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(package_name="genai-provenance", message="%(version)s",
                      help="Show the version and exit.")
def cli():
    """Tamper-evident audit trail for RAG apps: verify, inspect, export and report on a log.

    \b
    LOG is a SQLite file path or a postgresql:// URL.
    Exit codes: 0 ok, 1 verification failed / quality gate failed, 2 usage or input error.
    """


@cli.command()
@click.option("-o", "--output", "prefix", required=True, metavar="PREFIX",
              help="Write PREFIX.key (private, mode 0600) and PREFIX.pub.")
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
@click.option("--public-key", type=click.Path(),
              help="Public key PEM to check checkpoint signatures with.")
@click.option("--checkpoint", type=click.Path(),
              help="A checkpoint JSON kept outside the log, to check the log against.")
@json_opt
@progress_opt
@errors_to_exit(AuditError)
def verify(log, public_key, checkpoint, as_json, progress):
    """Check the log was not modified, deleted from, inserted into, reordered or truncated.

    Exit 0 if intact, 1 with the first bad event and the reason if not."""
    from .verify import verify_log

    update, close = _progress_bar(progress, "verify")
    try:
        r = verify_log(log, public_key, checkpoint=_read_text(checkpoint, "checkpoint"),
                       progress=update, progress_every=2000)
    finally:
        close()
    if as_json:
        _emit_json(r.to_dict())
    elif r.ok:
        click.echo(f"OK: {r.message}" + ("; signatures checked" if r.signatures_checked else ""))
    else:
        click.echo(safe_text(f"FAILED: event {r.first_bad} (record {r.record_id or 'unknown'}): "
                             f"{r.reason}: {r.message}", keep_newlines=False))
    for w in r.warnings:
        click.echo(f"Warning: {safe_text(w, keep_newlines=False)}", err=True)
    sys.exit(EXIT_OK if r.ok else EXIT_FAILED)


@cli.command()
@log_arg
@click.argument("record_id")
@json_opt
@errors_to_exit(AuditError)
def show(log, record_id, as_json):
    """Show one record with its per-sentence citations, chunks, watermark and overrides.

    The old order `show RECORD_ID LOG` still works for this release, with a warning."""
    from .store import open_store

    if _is_log(record_id) and not _is_log(log):  # the pre-0.2 order: RECORD_ID LOG
        log, record_id = record_id, log
        click.echo("Warning: `rag_audit show RECORD_ID LOG` is deprecated and will stop working "
                   "in the next release; write `rag_audit show LOG RECORD_ID`", err=True)
    with open_store(log, readonly=True) as store:
        rec = store.get(record_id)
    if rec is None:
        raise AuditError(f"no record with id {record_id!r} in {display_target(log)}; "
                         "find ids with `rag_audit list`")
    if as_json:
        return _emit_json(rec.to_dict())
    _print_record(rec)


@cli.command("list")
@log_arg
@since_opt
@until_opt
@click.option("--user", "user_id", help="Only records of this user id.")
@click.option("--faithfulness-below", type=click.FloatRange(0, 1),
              help="Only evaluated records scoring below this.")
@click.option("--watermark-missing", is_flag=True,
              help="Only records whose answer was not watermarked.")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many records.")
@click.option("--json", "as_json", is_flag=True,
              help="Print one JSON object per record (JSON Lines).")
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
@click.option("--parquet", "out_dir", required=True, type=click.Path(),
              help="Directory to write year=/month=/day= Parquet files into.")
@since_opt
@until_opt
@click.option("--public-key", type=click.Path(),
              help="Public key PEM: also check signatures before exporting.")
@click.option("--require-valid", is_flag=True,
              help="Refuse to export a log that fails verification.")
@click.option("--overwrite", is_flag=True, help="Replace a previous export in DIR.")
@progress_opt
@errors_to_exit(AuditError)
def export(log, out_dir, progress, **kwargs):
    """Export records as Hive-partitioned Parquet with an _export.json manifest."""
    from .export import export_parquet

    update, close = _progress_bar(progress, "export")
    try:
        s = export_parquet(log, out_dir, progress=update, **kwargs)
    finally:
        close()
    click.echo(f"Exported {s.records} records in {len(s.files)} files to {s.out_dir}")
    if not s.verified:
        v = s.verification
        click.echo(f"Warning: the log FAILED verification ({v['reason']} at event "
                   f"{v['first_bad']}); recorded in {s.manifest}", err=True)


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
@click.option("--html", "out_html", required=True, type=click.Path(),
              help="Write the HTML report here.")
@click.option("--public-key", type=click.Path(),
              help="Public key PEM to check checkpoint signatures with.")
@click.option("--fail-under", type=click.FloatRange(0, 1),
              help="Exit 1 when mean faithfulness is below this (CI gate).")
@click.option("--title", default="RAG audit report", show_default=True, help="Report title.")
@errors_to_exit(AuditError)
def report(log, **kwargs):
    """Write a self-contained HTML report: counts, faithfulness, overrides, watermark, verification.

    Exit 1 when the log fails verification or mean faithfulness is below --fail-under."""
    from .report import build_report

    s = build_report(log, **kwargs)
    click.echo(f"Wrote {s.path}: {s.records} records, mean faithfulness "
               f"{'n/a' if s.mean_faithfulness is None else format(s.mean_faithfulness, '.3f')}")
    if not s.verified:
        v = s.verification
        click.echo(safe_text(f"FAILED: the log failed verification ({v['reason']} at event "
                             f"{v['first_bad']}): {v['message']}", keep_newlines=False))
    if s.gate_message:
        click.echo(("FAILED: " if s.failed else "OK: ") + s.gate_message)
    sys.exit(EXIT_FAILED if s.failed or not s.verified else EXIT_OK)


@cli.command()
@log_arg
@click.argument("record_id")
@click.option("--reviewer", required=True, help="Who made the decision.")
@click.option("--decision", required=True, type=click.Choice(["accept", "reject", "correct"]),
              help="The reviewer's decision.")
@click.option("--reason", required=True, help="Why (free text).")
@click.option("--correction", help="The corrected answer, for --decision correct.")
@click.option("--signing-key", type=click.Path(),
              help="Private key PEM: sign a checkpoint covering the override.")
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


def main() -> None:
    """Console entry point (``rag_audit``): a closed stdout (``| head``) ends it quietly."""
    run_cli(cli, "rag_audit")


if __name__ == "__main__":  # pragma: no cover
    main()
