"""A small log for the console tests, written by the real Auditor with the real default
faithfulness scorer (AlignedScorer on the bundled MiniLM: three-way verdicts, evidence spans), and
records that carry <script>, ANSI and spreadsheet-formula payloads in user-supplied fields.

Scoring takes a few seconds, so an SQLite log is written once per test process and copied (with
its keys) for each test that asks for one; PostgreSQL targets are written afresh."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from rag_audit import Auditor, Chunk, save_private_key, save_public_key

XSS = "<script>alert('xss')</script>"
ANSI = "\x1b[31mRED\x1b[0m"
FORMULA = '=HYPERLINK("http://evil.example","x")'


KB = [
    Chunk(
        id="policy#1",
        source="kb/refunds.md",
        score=0.91,
        text="Refunds are accepted within 30 days of purchase. Keep the receipt. "
        "Opened software cannot be returned.",
    ),
    Chunk(
        id="policy#2",
        source="kb/shipping.md",
        score=0.77,
        text="Standard shipping takes 5 business days. Express shipping takes 2 days.",
    ),
]

RECORDS = [
    (
        "How long do I have to return an item?",
        "Refunds are accepted within 30 days of purchase. Keep the receipt.",
        "alice-customer",
        (True, 1e-9),
    ),
    (
        "How fast is express shipping?",
        "Express shipping takes 7 days. The moon is made of cheese.",
        "bob-customer",
        (True, 0.4),
    ),
    (
        FORMULA + " Can I return opened software?",
        "Opened software cannot be returned.",
        "carol",
        None,
    ),
    (
        f"{XSS} {ANSI} what is the policy?",
        f"Refunds are accepted within 30 days {XSS}. {ANSI} Keep the receipt.",
        f"<img src=x onerror=alert(1)>{ANSI}",
        (False, None),
    ),
]


_TEMPLATE: dict[tuple[str, str], Path] = {}


def make_log(
    directory: Path,
    keypair,
    *,
    target: str | None = None,
    app: str = "helpdesk",
    model: str = "smollm2-135m",
) -> tuple[str, Path, Path]:
    """The signed log in ``target`` (default: audit.db in ``directory``, which also gets the
    keys); returns (log, public key, private key). SQLite logs are copies of one written per
    process (signed by the key of the first call); ``target`` logs use ``keypair``."""
    if target is not None:
        return _write_log(directory, keypair, target, app, model)
    key = (app, model)
    if key not in _TEMPLATE:
        tdir = Path(tempfile.mkdtemp(prefix="console-log-"))
        _write_log(tdir, keypair, str(tdir / "audit.db"), app, model)
        _TEMPLATE[key] = tdir
    for name in ("audit.db", "audit.pub", "k.key"):
        shutil.copy2(_TEMPLATE[key] / name, directory / name)
    return str(directory / "audit.db"), directory / "audit.pub", directory / "k.key"


def _write_log(directory: Path, keypair, db: str, app: str, model: str):
    from rag_audit.faithfulness import get_default_scorer

    priv, pub = keypair
    pub_path, key_path = directory / "audit.pub", directory / "k.key"
    save_public_key(pub, pub_path)
    save_private_key(priv, key_path)
    chunks = KB + [Chunk(id="evil#1", source=f"kb/{XSS}.md", text=f"Evil {XSS} {ANSI} chunk.")]
    scorer = get_default_scorer()
    with Auditor(db, signing_key=priv, scorer=scorer, app=app, model=model) as a:
        for query, answer, user, wm in RECORDS:
            with a.trace(query, user_id=user) as t:
                t.add_chunks(chunks if XSS in query else KB)
                t.set_answer(answer)
                if wm is not None:
                    t.set_watermark(wm[0], "wm-key-1" if wm[0] else None, wm[1])
        a.flush()
    return db, pub_path, key_path
