"""Writes notebooks/walkthrough.ipynb (without outputs). `make test` executes it end to end."""

from pathlib import Path

import nbformat as nbf

cells = [
    (
        "md",
        "# genai-provenance walkthrough\n\nWatermark text while it is generated, detect it from the "
        "text alone, then audit a tiny RAG app in a tamper-evident log — all offline on a CPU, with the "
        "bundled SmolLM2-135M-Instruct.",
    ),
    (
        "code",
        "import re, sqlite3, tempfile\n"
        "from genai_provenance.offline import quiet_transformers\n"
        "quiet_transformers()  # offline, no weight-loading bars\n"
        "from pathlib import Path\nfrom IPython.display import HTML, display\n"
        "from watermark import WatermarkConfig, WatermarkDetector, WatermarkKey, load_model\n"
        "from watermark.generate import generate_watermarked\nfrom watermark.highlight import to_html\n"
        "work = Path(tempfile.mkdtemp(prefix='walkthrough-'))\nmodel, tok = load_model()",
    ),
    (
        "md",
        "## 1. Generate with the watermark\nA fresh key (keep it secret) and the public config bound to it.",
    ),
    (
        "code",
        "key = WatermarkKey.generate()\n"
        "config = WatermarkConfig(gamma=0.25, delta=2.0, scheme='selfhash', context_width=4).bind(key=key, tokenizer=tok)\n"
        "print(config.to_json())\n"
        "answers = generate_watermarked(model, tok, ['Why do leaves change colour in autumn?'], config, key, max_new_tokens=120, seed=0)\n"
        "print(answers[0])",
    ),
    (
        "md",
        "## 2. Detect from the text alone\nOnly the tokenizer, the config and the key: an exact binomial p-value.",
    ),
    (
        "code",
        "from pydoc_data.topics import topics\n"
        "human = ' '.join(topics['while'].split())[:800]\n"
        "det = WatermarkDetector(tok, config, key)\n"
        "marked, plain = det.detect_batch([answers[0], human])\n"
        "print(marked.verdict, f'p={marked.p_value:.2e}', '|', plain.verdict, f'p={plain.p_value:.2f}')\n"
        "assert marked.is_watermarked and not plain.is_watermarked",
    ),
    (
        "code",
        "display(HTML(to_html([marked, plain], title='green = green-list token, red = red-list token')))",
    ),
    (
        "md",
        "## 3. Audit a tiny RAG app\nEvery request is recorded with its chunks, answer, watermark status "
        "and a faithfulness score per sentence (computed in the background).",
    ),
    (
        "code",
        "from transformers import pipeline\n"
        "from rag_audit import Auditor, Chunk, generate_keypair, verify_log\n"
        "from rag_audit.pipeline import WatermarkedRAG\n"
        "paras = [' '.join(p.split()) for name in ('for', 'while', 'with') for p in re.split(r'\\n\\s*\\n', topics[name]) if len(p) > 150][:12]\n"
        "chunks = [Chunk(id=f'doc{i}', text=p[:1000], source='pydoc_data.topics') for i, p in enumerate(paras)]\n"
        "def retrieve(q, k=3):\n"
        "    words = set(re.findall(r'\\w+', q.lower()))\n"
        "    return sorted(chunks, key=lambda c: -len(words & set(re.findall(r'\\w+', c.text.lower()))))[:k]\n"
        "priv, pub = generate_keypair()\n"
        "db = work / 'audit.db'\n"
        "auditor = Auditor(str(db), signing_key=priv, app='walkthrough', model='smollm2-135m-instruct')\n"
        "app = WatermarkedRAG(pipeline('text-generation', model=model, tokenizer=tok), auditor, config, key, retrieve, max_new_tokens=60)\n"
        "for q in ['What does the else clause of a for loop do?', 'When does a while loop stop?']:\n"
        "    answer, used = app(q, user_id='analyst-1')\n"
        "    print(q, '->', answer[:200], [c.id for c in used])\n"
        "auditor.close()",
    ),
    ("md", "## 4. A record with its per-sentence citations"),
    (
        "code",
        "from rag_audit import open_store\n"
        "from rag_audit.verdict_view import evaluation_view, sentence_views\n"
        "store = open_store(str(db), readonly=True)\n"
        "rec = next(iter(store.records()))\n"
        "d = rec.to_dict()\n"
        "print('query:', d['input.value'])\nprint('watermark:', d['rag_audit.watermark'])\n"
        "views = sentence_views(rec)  # supported / contradicted / not_found, with the evidence span\n"
        "ev = evaluation_view(rec, views)\n"
        "print('answer score', ev.score, 'by', ev.scorer, ev.scorer_version, ev.verdicts)\n"
        "for v in views:\n"
        "    score = '-' if v.score is None else f'{v.score:.2f}'\n"
        "    print(f'{v.verdict:>12} {score}', v.chunk_id, '|', v.text[:80])\n"
        "    if v.evidence:\n"
        "        print(' ' * 13, 'evidence:', v.evidence[:80])\n"
        "store.close()\n"
        "assert ev is not None and ev.scorer_version and len(views) == len(d['rag_audit.faithfulness']['sentences'])",
    ),
    ("md", "## 5. Verify the log, tamper with it, verify again"),
    (
        "code",
        "res = verify_log(str(db), public_key=pub)\nprint(res.ok, res.count, 'events')\nassert res.ok",
    ),
    (
        "code",
        "con = sqlite3.connect(db)\n"
        "con.execute('DROP TRIGGER rag_audit_events_no_update')  # an attacker with write access\n"
        "con.execute(\"UPDATE rag_audit_events SET body = replace(body, 'analyst-1', 'analyst-2') WHERE seq = 1\")\n"
        "con.commit()\ncon.close()\n"
        "bad = verify_log(str(db), public_key=pub)\nprint(bad.ok, bad.first_bad, bad.reason, '-', bad.message)\n"
        "assert not bad.ok and bad.first_bad == 1 and bad.reason == 'modified'",
    ),
    ("md", "## 6. The HTML report"),
    (
        "code",
        "from rag_audit.report import build_report\n"
        "summary = build_report(str(db), work / 'report.html', public_key=pub)\n"
        "print(summary)\nprint((work / 'report.html').stat().st_size, 'bytes ->', work / 'report.html')",
    ),
]

nb = nbf.v4.new_notebook()
nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
nb.cells = [
    nbf.v4.new_markdown_cell(src) if kind == "md" else nbf.v4.new_code_cell(src)
    for kind, src in cells
]
path = Path(__file__).with_name("walkthrough.ipynb")
nbf.write(nb, path)
print(f"wrote {path}")
