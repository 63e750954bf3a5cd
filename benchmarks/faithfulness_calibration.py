"""Build the labelled faithfulness set, calibrate the default scorer on one half, test on the other.

    python benchmarks/faithfulness_calibration.py --build       # (re)write rag_audit/data/faithfulness_labelled.jsonl
    python benchmarks/faithfulness_calibration.py --calibrate   # fit weights + threshold, AUROC, latency
                                                                # -> benchmarks/results/faithfulness.json

The set is made deterministically (seed 20240531) from the real English passages of Python's bundled
`pydoc_data.topics`: each topic is cut into ~1 KB chunks; an example retrieves 5 chunks (the gold one,
up to two neighbours from the same topic, the rest from other topics) and pairs them with an answer.
Answer-level rule: an answer is "supported" when every sentence is supported by the chunks.
Kinds — supported: copy, copy_multi (two sentences, possibly from two chunks), paraphrase (word
substitutions, parentheticals dropped), condense (first clause only). Unsupported: off_topic (a
sentence of a topic not retrieved), number_swap, name_swap, keyword_swap (e.g. before -> after),
negation (a "not" added or removed), mixed (one copied sentence + one off-topic or negated one).
The calibration/test split is by id: sha256(id) even -> calibration, odd -> test.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, machine, read, write  # noqa: E402  (also keeps HF offline)

DATA = ROOT / "rag_audit" / "data" / "faithfulness_labelled.jsonl"
RESULTS = ROOT / "benchmarks" / "results" / "faithfulness.json"
SEED = 20240531
CHUNK_CHARS = 1100
N_CHUNKS = 5

SUPPORTED_KINDS = {"copy": 60, "copy_multi": 50, "paraphrase": 50, "condense": 50}
UNSUPPORTED_KINDS = {
    "off_topic": 40, "number_swap": 30, "name_swap": 35, "keyword_swap": 30, "negation": 35, "mixed": 40,
}  # fmt: skip

SYNONYMS = [
    ("is used to", "serves to"), ("are used to", "serve to"), ("in order to", "to"),
    ("for example", "for instance"), ("can be", "may be"), ("specified", "given"),
    ("evaluated", "computed"), ("evaluates", "computes"), ("returns", "gives back"),
    ("contains", "holds"), ("necessary", "needed"), ("identical", "the same"),
    ("omitted", "left out"), ("permitted", "allowed"), ("begins", "starts"),
    ("arbitrary", "any"), ("consists of", "is made of"), ("refers to", "means"),
    ("such as", "like"), ("However, ", ""), ("Note that ", ""), ("In particular, ", ""),
    ("must", "has to"), ("automatically", "by itself"), ("several", "a few"),
]  # fmt: skip
KEYWORD_PAIRS = [
    ("before", "after"), ("left", "right"), ("first", "last"), ("True", "False"),
    ("local", "global"), ("positive", "negative"), ("minimum", "maximum"), ("read", "write"),
    ("mutable", "immutable"), ("list", "tuple"), ("integer", "string"), ("lower", "upper"),
    ("start", "end"), ("inner", "outer"), ("larger", "smaller"), ("always", "sometimes"),
    ("class", "module"), ("key", "value"), ("argument", "attribute"), ("true", "false"),
]  # fmt: skip
NUMBER_WORDS = {"two": "three", "three": "four", "four": "two", "zero": "one", "five": "seven", "ten": "eight"}


# --------------------------------------------------------------------------- building


def _paragraphs(text: str) -> list[str]:
    out = []
    for para in re.split(r"\n\s*\n", text):
        lines = [ln for ln in para.splitlines() if not re.fullmatch(r"\s*[*=\-~^]{3,}\s*", ln)]
        flat = re.sub(r"\s+", " ", " ".join(lines)).strip()
        if flat:
            out.append(flat)
    return out


def _chunks_of(topic: str, text: str) -> list[dict]:
    chunks, cur = [], ""
    for para in _paragraphs(text):
        if cur and len(cur) + 1 + len(para) > CHUNK_CHARS:
            chunks.append(cur)
            cur = ""
        cur = f"{cur}\n{para}" if cur else para
        if len(cur) > CHUNK_CHARS * 1.3:  # one very long paragraph: cut it at a sentence end
            cut = cur.rfind(". ", 0, CHUNK_CHARS) + 1 or CHUNK_CHARS
            chunks.append(cur[:cut].strip())
            cur = cur[cut:].strip()
    if cur:
        chunks.append(cur)
    return [{"id": f"{topic}#{i}", "text": c} for i, c in enumerate(chunks)]


def _is_prose(s: str) -> bool:
    letters = sum(ch.isalpha() or ch == " " for ch in s)
    return (
        50 <= len(s) <= 230
        and s[0].isupper()
        and s.endswith(".")
        and len(s.split()) >= 8
        and letters / len(s) > 0.85
        and not any(t in s for t in ("::=", ">>>", "|", "{", "}", "...", "See ", "see section"))
    )


def _swap_case(old: str, new: str) -> str:
    return new[0].upper() + new[1:] if old[0].isupper() else new


def _paraphrase(s: str, rng: random.Random) -> str | None:
    out = re.sub(r"\s*\([^()]*\)", "", s)
    changed = out != s
    for a, b in rng.sample(SYNONYMS, len(SYNONYMS)):
        pat = re.compile(rf"\b{re.escape(a)}", re.I if a[0].islower() else 0)
        if pat.search(out):
            out = pat.sub(lambda m: _swap_case(m.group(0), b) if b else b, out, count=1)
            changed = True
    out = re.sub(r"\s+", " ", out).strip()
    out = out[0].upper() + out[1:] if out else out
    return out if changed and len(out.split()) >= 5 else None


def _condense(s: str) -> str | None:
    for sep in ("; ", ", which ", ", but ", ", and ", " — ", ": "):
        k = s.find(sep)
        if k > 0 and len(s[:k].split()) >= 6:
            return s[:k].rstrip(",;:") + "."
    return None


def _number_swap(s: str, rng: random.Random) -> str | None:
    m = re.search(r"\b\d+\b", s)
    if m:
        n = int(m.group(0))
        new = str(n + rng.choice([1, 2, 3, 7, 10]) if n < 1000 else n * 2)
        return s[: m.start()] + new + s[m.end() :]
    for w, r in NUMBER_WORDS.items():
        m = re.search(rf"\b{w}\b", s, re.I)
        if m:
            return s[: m.start()] + _swap_case(m.group(0), r) + s[m.end() :]
    return None


def _names(s: str) -> list[str]:
    toks = re.findall(r"[A-Za-z_][A-Za-z0-9_]*", s)
    return [t for i, t in enumerate(toks) if i > 0 and (t[0].isupper() or "_" in t) and len(t) > 2]


def _name_swap(s: str, pool: list[str], context: str, rng: random.Random) -> str | None:
    names = _names(s)
    if not names:
        return None
    old = rng.choice(names)
    options = [p for p in pool if p.lower() not in context.lower() and p != old]
    if not options:
        return None
    return re.sub(rf"\b{re.escape(old)}\b", rng.choice(options), s, count=1)


def _keyword_swap(s: str, rng: random.Random) -> str | None:
    for a, b in rng.sample(KEYWORD_PAIRS, len(KEYWORD_PAIRS)):
        for x, y in ((a, b), (b, a)):
            m = re.search(rf"\b{x}\b", s)
            if m:
                return s[: m.start()] + y + s[m.end() :]
    return None


def _negate(s: str) -> str | None:
    if re.search(r"\bnot\b", s):
        return re.sub(r"\s*\bnot\b", "", s, count=1)
    if re.search(r"\bcannot\b", s):
        return re.sub(r"\bcannot\b", "can", s, count=1)
    m = re.search(r"\b(is|are|can|must|will|should|may|does|do)\b", s)
    if not m:
        return None
    w = m.group(0)
    rep = "cannot" if w == "can" else f"{w} not"
    return s[: m.start()] + rep + s[m.end() :]


def build(path: Path = DATA) -> list[dict]:
    """Write the labelled set deterministically; returns its rows."""
    from pydoc_data.topics import topics

    import pysbd

    seg = pysbd.Segmenter(language="en", clean=False)
    rng = random.Random(SEED)
    chunks_by_topic = {t: _chunks_of(t, topics[t]) for t in sorted(topics)}
    prose: dict[str, list[str]] = {}
    for chs in chunks_by_topic.values():
        for c in chs:
            sents = [x.strip() for para in c["text"].split("\n") for x in seg.segment(para)]
            prose[c["id"]] = [x for x in sents if _is_prose(x)]
    topic_of = {c["id"]: t for t, chs in chunks_by_topic.items() for c in chs}
    gold_ids = sorted(cid for cid, ss in prose.items() if len(ss) >= 2)
    all_topics = sorted(chunks_by_topic)
    name_pool = sorted({n for ss in prose.values() for s in ss for n in _names(s)})

    def retrieve(gold: str) -> list[dict]:
        t = topic_of[gold]
        same = [c for c in chunks_by_topic[t] if c["id"] != gold]
        picked = rng.sample(same, min(2, len(same)))
        others = [x for x in all_topics if x != t]
        while len(picked) < N_CHUNKS - 1:
            c = rng.choice(chunks_by_topic[rng.choice(others)])
            if c["id"] != gold and c not in picked:
                picked.append(c)
        gold_chunk = next(c for c in chunks_by_topic[t] if c["id"] == gold)
        out = [gold_chunk, *picked]
        rng.shuffle(out)
        return [{"id": c["id"], "text": c["text"]} for c in out]

    def off_topic(chunks: list[dict]) -> str:
        used = {topic_of[c["id"]] for c in chunks}
        while True:
            cid = rng.choice(gold_ids)
            if topic_of[cid] not in used:
                return rng.choice(prose[cid])

    rows: list[dict] = []

    def make(kind: str, label: str, maker) -> None:
        for _ in range(2000):
            gold = rng.choice(gold_ids)
            chunks = retrieve(gold)
            sent = rng.choice(prose[gold])
            answer = maker(gold, chunks, sent)
            if answer and answer.strip() != sent.strip() or (answer and kind in ("copy", "copy_multi")):
                rows.append({"chunks": chunks, "answer": answer, "label": label, "kind": kind, "gold": gold})
                return
        raise RuntimeError(f"could not make a {kind!r} example")

    def copy_multi(gold, chunks, sent):
        others = [s for s in prose[gold] if s != sent]
        second_pool = [s for c in chunks if c["id"] != gold for s in prose.get(c["id"], [])]
        if second_pool and rng.random() < 0.5:
            return f"{sent} {rng.choice(second_pool)}"
        return f"{sent} {rng.choice(others)}"

    def mixed(gold, chunks, sent):
        bad = _negate(sent) if rng.random() < 0.3 else None
        other = [s for s in prose[gold] if s != sent]
        first = rng.choice(other)
        bad = bad or off_topic(chunks)
        return f"{first} {bad}" if rng.random() < 0.5 else f"{bad} {first}"

    makers = {
        "copy": lambda g, c, s: s,
        "copy_multi": copy_multi,
        "paraphrase": lambda g, c, s: _paraphrase(s, rng),
        "condense": lambda g, c, s: _condense(s),
        "off_topic": lambda g, c, s: off_topic(c),
        "number_swap": lambda g, c, s: _number_swap(s, rng),
        "name_swap": lambda g, c, s: _name_swap(s, name_pool, " ".join(x["text"] for x in c), rng),
        "keyword_swap": lambda g, c, s: _keyword_swap(s, rng),
        "negation": lambda g, c, s: _negate(s),
        "mixed": mixed,
    }
    for kinds, label in ((SUPPORTED_KINDS, "supported"), (UNSUPPORTED_KINDS, "unsupported")):
        for kind, n in kinds.items():
            for _ in range(n):
                make(kind, label, makers[kind])
    for i, r in enumerate(rows):
        r["id"] = f"faith-{i:04d}"
    rows = [{k: r[k] for k in ("id", "chunks", "answer", "label", "kind", "gold")} for r in rows]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n")
    return rows


def load(path: Path = DATA) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def split_of(example_id: str) -> str:
    """'calibration' or 'test', fixed by the id alone."""
    return "calibration" if int(hashlib.sha256(example_id.encode()).hexdigest(), 16) % 2 == 0 else "test"


# --------------------------------------------------------------------------- calibrating

FEATURES = ["sim", "coverage", "name_missing", "negation_mismatch"]


def _answer_scores(scorer, feats: list[list[dict]], weights: dict, threshold: float):
    """(min, mean, fraction) per answer, from cached sentence features and given weights."""
    saved = scorer.weights
    scorer.weights = weights
    try:
        out = []
        for fs in feats:
            ps = [scorer.combine(f) for f in fs] or [1.0]
            out.append((min(ps), sum(ps) / len(ps), sum(p >= threshold for p in ps) / len(ps)))
        return out
    finally:
        scorer.weights = saved


def calibrate() -> dict:
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    import rag_audit.faithfulness as F

    rows = load()
    scorer = F.EmbeddingScorer()
    outs = [scorer.features(r["answer"], r["chunks"]) for r in rows]
    feats = [o[1] for o in outs]
    y = np.array([r["label"] == "supported" for r in rows], dtype=int)
    cal = np.array([split_of(r["id"]) == "calibration" for r in rows])

    # Sentence-level fit: sentences of supported answers are supported; single-sentence unsupported
    # answers give unsupported sentences; mixed answers (which sentence is bad is not stored) are left out.
    X, t = [], []
    for r, fs, c in zip(rows, feats, cal):
        if not c or (r["label"] == "unsupported" and len(fs) != 1):
            continue
        for f in fs:
            X.append([f[k] for k in FEATURES])
            t.append(int(r["label"] == "supported"))
    lr = LogisticRegression(C=1.0, max_iter=1000).fit(np.array(X), np.array(t))
    weights = {"bias": round(float(lr.intercept_[0]), 3)}
    weights.update({k: round(float(w), 3) for k, w in zip(FEATURES, lr.coef_[0])})

    # Threshold on the answer's min sentence score, maximising calibration-half accuracy.
    mins = np.array([a[0] for a in _answer_scores(scorer, feats, weights, 0.5)])
    cands = sorted(set(np.round(mins[cal], 3)) | {0.5})
    best = max(cands, key=lambda th: (((mins[cal] >= th) == y[cal]).mean(), -abs(th - 0.5)))
    threshold = round(float(best), 3)

    scores = np.array(_answer_scores(scorer, feats, weights, threshold))  # [n, 3] min, mean, fraction
    pred = scores[:, 0] >= threshold

    def block(mask):
        return {
            "n": int(mask.sum()),
            "auroc_min": round(float(roc_auc_score(y[mask], scores[mask, 0])), 4),
            "auroc_mean": round(float(roc_auc_score(y[mask], scores[mask, 1])), 4),
            "auroc_score": round(float(roc_auc_score(y[mask], scores[mask, 2])), 4),
            "accuracy": round(float((pred[mask] == y[mask]).mean()), 4),
        }

    kinds = sorted({r["kind"] for r in rows})
    test = ~cal
    per_kind = {}
    for k in kinds:
        m = np.array([r["kind"] == k for r in rows])
        per_kind[k] = {
            "label": next(r["label"] for r in rows if r["kind"] == k),
            "n_test": int((m & test).sum()),
            "accuracy_test": round(float((pred[m & test] == y[m & test]).mean()), 4),
            "accuracy_all": round(float((pred[m] == y[m]).mean()), 4),
            "mean_min_score_all": round(float(scores[m, 0].mean()), 4),
        }

    # Citation check: for single-sentence copy/paraphrase answers the citation should be the gold chunk.
    hit = tot = 0
    for r in rows:
        if r["kind"] in ("copy", "paraphrase", "condense"):
            c = outs[rows.index(r)][2]
            if len(c) == 1:
                tot += 1
                hit += c[0] == r["gold"]

    latency = measure_latency(F.get_default_scorer() if weights == F.DEFAULT_WEIGHTS else scorer, rows)
    settings = {
        "question": "How well does the default faithfulness scorer separate supported from unsupported answers, and how fast is it?",
        "dataset": {
            "path": str(DATA.relative_to(ROOT)),
            "n": len(rows),
            "n_supported": int(y.sum()),
            "n_unsupported": int((1 - y).sum()),
            "n_calibration": int(cal.sum()),
            "n_test": int(test.sum()),
            "split": "sha256(id) even -> calibration, odd -> test",
            "answer_rule": "supported iff every sentence is supported; the continuous answer score used for AUROC is `min`",
            "kinds": {k: sum(r["kind"] == k for r in rows) for k in kinds},
            "seed": SEED,
        },
        "candidates": scorer.candidates, "max_piece_words": F._MAX_PIECE_WORDS, "max_seq_length": 128,
        "batch_size": scorer.batch_size,
    }
    result = {
        "scorer": scorer.name,
        "scorer_version_at_module_defaults": F.get_default_scorer().version,
        "calibrated": {
            "weights": weights,
            "threshold": threshold,
            "number_cap": F.NUMBER_CAP,
            "fit": "sklearn LogisticRegression(C=1.0) on calibration-half sentences; threshold = argmax calibration accuracy of min sentence score",
        },
        "module_defaults": {
            "weights": F.DEFAULT_WEIGHTS,
            "threshold": F.DEFAULT_THRESHOLD,
            "match_calibrated": F.DEFAULT_WEIGHTS == weights and F.DEFAULT_THRESHOLD == threshold,
        },
        "test_half": block(test),
        "calibration_half": block(cal),
        "all": block(np.ones(len(rows), dtype=bool)),
        "per_kind": per_kind,
        "citation_accuracy_single_sentence_supported": round(hit / max(tot, 1), 4),
        "latency_ms": latency,
    }
    write("faithfulness", settings, result, RESULTS.parent, machine_info=_machine())
    return result


def _machine() -> dict:
    import torch

    return machine(("scikit-learn",), torch_threads=torch.get_num_threads())


def measure_latency(scorer, rows: list[dict], n: int = 40) -> dict:
    """Score records with a 3-5 sentence answer and 5 chunks of ~1 KB; median and p95 in ms."""
    rng = random.Random(SEED + 1)
    recs = []
    sup = [r for r in rows if r["label"] == "supported"]
    for _ in range(n):
        r = rng.choice(sup)
        pool = [s for c in r["chunks"] for s in re.split(r"(?<=\.)\s+", c["text"]) if 40 < len(s) < 220]
        k = rng.randint(3, 5)
        answer = " ".join(rng.sample(pool, min(k, len(pool))))
        recs.append((answer, r["chunks"]))
    for a, c in recs[:3]:
        scorer.score(a, c)
    times = []
    for a, c in recs:
        t0 = time.perf_counter()
        scorer.score(a, c)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    chars = statistics.mean(sum(len(x["text"]) for x in c) / len(c) for _, c in recs)
    return {
        "n": n,
        "median": round(statistics.median(times), 1),
        "p95": round(times[int(0.95 * (len(times) - 1))], 1),
        "mean_chunk_chars": round(chars),
        "answer_sentences": "3-5",
        "chunks": N_CHUNKS,
        "load_avg_1min_at_start": round(os.getloadavg()[0], 2),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", action="store_true", help="rewrite the labelled set")
    ap.add_argument("--calibrate", action="store_true", help="fit, evaluate, time; write results JSON")
    ap.add_argument("--latency", action="store_true",
                    help="re-measure only the scoring latency (on a quiet machine) and update the results JSON")
    args = ap.parse_args(argv)
    if not (args.build or args.calibrate or args.latency):
        ap.error("pass --build, --calibrate and/or --latency")
    if args.latency and not args.calibrate:
        import rag_audit.faithfulness as F

        rows = [json.loads(line) for line in DATA.read_text().splitlines() if line.strip()]
        doc = read(RESULTS)
        scorer = F.get_default_scorer()
        doc["results"]["latency_ms"] = measure_latency(scorer, rows)
        doc["settings"]["batch_size"] = scorer.batch_size
        write("faithfulness", doc["settings"], doc["results"], RESULTS.parent,
              machine_info=_machine())
        print(json.dumps(doc["results"]["latency_ms"], indent=2))
    if args.build:
        rows = build()
        print(f"wrote {len(rows)} examples to {DATA}")
    if args.calibrate:
        res = calibrate()
        print(json.dumps({k: res[k] for k in ("calibrated", "module_defaults", "test_half", "all", "latency_ms")}, indent=2))
        print(json.dumps(res["per_kind"], indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
