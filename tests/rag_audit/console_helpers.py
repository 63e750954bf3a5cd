"""A small log for the console tests and screenshots, written by the real Auditor: a stand-in
three-way scorer with evidence spans (the bundled model is too slow for a browser test), and
records that carry <script> and ANSI payloads in every user-supplied field."""

from __future__ import annotations

import re
from pathlib import Path

from rag_audit import Auditor, Chunk, save_private_key, save_public_key

XSS = "<script>alert('xss')</script>"
ANSI = "\x1b[31mRED\x1b[0m"
FORMULA = '=HYPERLINK("http://evil.example","x")'
_SENT = re.compile(r"[^.!?]+[.!?]?")
_NUM = re.compile(r"\d+")


class SpanResult:
    def __init__(self, d: dict) -> None:
        self.d = d
        self.score = d["score"]

    def to_dict(self) -> dict:
        return self.d


class SpanScorer:
    """Per answer sentence: the chunk sentence sharing most words is the evidence span;
    supported when most words are shared and the numbers agree, contradicted when they do not,
    not_found otherwise. Same protocol as rag_audit.faithfulness scorers."""

    name, version = "span-overlap", "test-1"

    def score(self, answer: str, chunks) -> SpanResult:
        sentences, verdicts = [], {"supported": 0, "contradicted": 0, "not_found": 0}
        for m in _SENT.finditer(answer):
            text = m.group().strip()
            if not text:
                continue
            words = set(re.findall(r"[a-z]+", text.lower()))
            best = (0.0, None, 0, 0)
            for c in chunks:
                for cm in _SENT.finditer(c.text):
                    cw = set(re.findall(r"[a-z]+", cm.group().lower()))
                    r = len(words & cw) / max(1, len(words))
                    if r > best[0]:
                        best = (r, c, cm.start(), cm.end())
            r, c, start, end = best
            s = {"text": text, "score": round(r, 3), "chunk_id": c.id if c else None}
            if c is not None and r >= 0.5:
                ours = set(_NUM.findall(text))
                theirs = set(_NUM.findall(c.text[start:end]))
                if ours and theirs and not ours <= theirs:
                    s.update(verdict="contradicted", supported=False)
                    s["mismatches"] = [
                        {"kind": "number", "sentence": n, "evidence": ", ".join(sorted(theirs))}
                        for n in sorted(ours - theirs)
                    ]
                else:
                    s.update(verdict="supported", supported=True)
                s["evidence"] = {"chunk_id": c.id, "start": start, "end": end}
            else:
                s.update(verdict="not_found", supported=False, evidence=None)
            verdicts[s["verdict"]] += 1
            sentences.append(s)
        score = min([s["score"] if s["supported"] else 0.1 * s["score"] for s in sentences] or [1])
        return SpanResult(
            {
                "score": round(score, 3),
                "min": round(score, 3),
                "mean": round(score, 3),
                "method": "span-overlap",
                "scorer": self.name,
                "scorer_version": self.version,
                "calibration": "test-calibration",
                "threshold": 0.5,
                "supported_share": verdicts["supported"] / max(1, len(sentences)),
                "supported": score >= 0.5,
                "verdicts": verdicts,
                "sentences": sentences,
            }
        )


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


def make_log(
    directory: Path,
    keypair,
    *,
    target: str | None = None,
    app: str = "helpdesk",
    model: str = "smollm2-135m",
) -> tuple[str, Path, Path]:
    """Write the log (signed) with the real Auditor to ``target`` (default: audit.db in
    ``directory``, which also gets the keys); returns (log, public key, private key)."""
    priv, pub = keypair
    db = target or str(directory / "audit.db")
    pub_path, key_path = directory / "audit.pub", directory / "k.key"
    save_public_key(pub, pub_path)
    save_private_key(priv, key_path)
    chunks = KB + [Chunk(id="evil#1", source=f"kb/{XSS}.md", text=f"Evil {XSS} {ANSI} chunk.")]
    with Auditor(str(db), signing_key=priv, scorer=SpanScorer(), app=app, model=model) as a:
        for query, answer, user, wm in RECORDS:
            with a.trace(query, user_id=user) as t:
                t.add_chunks(chunks if XSS in query else KB)
                t.set_answer(answer)
                if wm is not None:
                    t.set_watermark(wm[0], "wm-key-1" if wm[0] else None, wm[1])
        a.flush()
    return db, pub_path, key_path
