"""Build the broad faithfulness set: dev, test from sources.py; test2, test3 from sources_fresh*.py.

    python benchmarks/data/faithfulness/build.py          # rewrite the four files
    python benchmarks/data/faithfulness/build.py --check  # fail if the files differ from a rebuild

Deterministic (seeded per domain); see README.md for the schema, the kinds and the splits.
Both modes also check that pysbd splits every answer into exactly its labelled sentences.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from sources import DOMAINS as _FIRST  # noqa: E402
from sources_fresh import DOMAINS as _FRESH  # noqa: E402
from sources_fresh3 import DOMAINS as _FRESH3  # noqa: E402

# a domain only draws distractor chunks from other domains of its own split
DOMAINS = _FIRST + _FRESH + _FRESH3

SEED = 20261127
FAITHFUL_KINDS = {"faithful_verbatim": 4, "faithful_paraphrase": 5, "faithful_summary": 5}
UNFAITHFUL_KINDS = {
    "partial": 4, "contradiction_number": 4, "contradiction_entity": 4, "contradiction_date": 4,
    "contradiction_negation": 4, "extra_claim": 4, "no_chunks": 4,
}  # fmt: skip
KINDS = {**FAITHFUL_KINDS, **UNFAITHFUL_KINDS}
EDIT_KINDS = ("number", "entity", "date", "negation")
SPLIT_FILES = {
    "dev": HERE / "dev.jsonl",
    "test": HERE / "test.jsonl",
    "test2": HERE / "test2.jsonl",
    "test3": HERE / "test3.jsonl",
}


class SourceError(ValueError):
    """A hand-written source entry does not fit the rules (its text is named in the message)."""


def _chunk_id(domain: str, i: int) -> str:
    return f"{domain}#{i}"


def _check_domain(d: dict) -> None:
    name = d["name"]
    if d["split"] not in SPLIT_FILES:
        raise SourceError(f"{name}: split {d['split']!r}")
    if not 2 <= len(d["chunks"]) <= 4:
        raise SourceError(f"{name}: {len(d['chunks'])} chunks, want 2-4")
    for i, c in enumerate(d["chunks"]):
        if not 400 <= len(c) <= 1000:
            raise SourceError(f"{name}#{i}: {len(c)} characters, want 400-1000")
    for ci, verbatim, para, edits in d["facts"]:
        if d["chunks"][ci].count(verbatim) != 1:
            raise SourceError(f"{name}#{ci}: not exactly once in the chunk: {verbatim!r}")
        if not (verbatim.endswith(".") and para.endswith(".")):
            raise SourceError(f"{name}: facts must be whole sentences: {para!r}")
        for kind, old, _new in edits:
            if kind not in EDIT_KINDS:
                raise SourceError(f"{name}: edit kind {kind!r}")
            if old not in para and old not in verbatim:
                raise SourceError(f"{name}: edit {old!r} is in neither {para!r} nor {verbatim!r}")
    chunks_with_facts = {ci for ci, *_ in d["facts"]}
    if len(chunks_with_facts) < 2:
        raise SourceError(f"{name}: facts must come from at least 2 chunks")
    have = {k for *_, edits in d["facts"] for k, _, _ in edits}
    if have != set(EDIT_KINDS):
        raise SourceError(f"{name}: edits of kinds {sorted(set(EDIT_KINDS) - have)} missing")


def _supported(d: dict, fact_index: int, text: str) -> dict:
    ci, verbatim, _, _ = d["facts"][fact_index]
    start = d["chunks"][ci].index(verbatim)
    return {"text": text, "label": "supported", "chunk_id": _chunk_id(d["name"], ci),
            "start": start, "end": start + len(verbatim)}  # fmt: skip


def _faithful(d: dict, rng: random.Random, fi: int, p_para: float) -> dict:
    _, verbatim, para, _ = d["facts"][fi]
    return _supported(d, fi, para if rng.random() < p_para else verbatim)


def _not_found(text: str, why: str, related: dict | None = None) -> dict:
    out = {
        "text": text,
        "label": "not_found",
        "chunk_id": None,
        "start": None,
        "end": None,
        "why": why,
    }
    if related is not None:
        out["related"] = {k: related[k] for k in ("chunk_id", "start", "end")}
    return out


def _others(d: dict, rng: random.Random, exclude: int, k: int) -> list[int]:
    pool = [i for i in range(len(d["facts"])) if i != exclude]
    return rng.sample(pool, k)


def _sentences(d: dict, kind: str, n: int, rng: random.Random, edit_cycle: dict) -> list[dict]:
    facts = d["facts"]
    nf = len(facts)
    if kind == "faithful_verbatim":
        idx = sorted(rng.sample(range(nf), rng.randint(1, 3)))
        return [_faithful(d, rng, i, 0.0) for i in idx]
    if kind in ("faithful_paraphrase", "no_chunks"):
        idx = sorted(rng.sample(range(nf), rng.randint(1, 3)))
        sents = [_faithful(d, rng, i, 1.0 if kind == "faithful_paraphrase" else 0.7) for i in idx]
        if kind == "no_chunks":
            sents = [_not_found(s["text"], "no_chunks") for s in sents]
        return sents
    if kind == "faithful_summary":
        by_chunk: dict[int, list[int]] = {}
        for i, (ci, *_) in enumerate(facts):
            by_chunk.setdefault(ci, []).append(i)
        two = rng.sample(sorted(by_chunk), 2)
        idx = [rng.choice(by_chunk[c]) for c in two]
        if rng.random() < 0.5:
            idx.append(rng.choice([i for i in range(nf) if i not in idx]))
        return [_faithful(d, rng, i, 0.8) for i in sorted(idx)]
    if kind == "partial":
        idx = sorted(rng.sample(range(nf), rng.randint(1, 3)))
        sents = [_faithful(d, rng, i, 0.6) for i in idx]
        extra = d["extras"][n % len(d["extras"])]
        sents.insert(rng.randint(0, len(sents)), _not_found(extra, "extra_sentence"))
        return sents
    if kind == "extra_claim":
        fi, clause = d["clauses"][n % len(d["clauses"])]
        para = facts[fi][2]
        claim = _not_found(para[:-1] + clause + ".", "extra_clause", _supported(d, fi, para))
        sents = [claim] + [
            _faithful(d, rng, i, 0.6) for i in _others(d, rng, fi, rng.randint(0, 1))
        ]
        rng.shuffle(sents)
        return sents
    edit_kind = kind.removeprefix("contradiction_")
    fi, (ekind, old, new) = edit_cycle[edit_kind][n % len(edit_cycle[edit_kind])]
    _, verbatim, para, _ = facts[fi]
    choices = [t for t in (para, verbatim) if old in t]
    base = choices[0] if len(choices) == 1 or rng.random() < 0.7 else choices[1]
    bad = _supported(d, fi, base.replace(old, new, 1))
    bad.update(label="contradicted", edit={"kind": ekind, "from": old, "to": new})
    sents = [bad] + [_faithful(d, rng, i, 0.6) for i in _others(d, rng, fi, rng.randint(0, 2))]
    rng.shuffle(sents)
    return sents


def build() -> dict[str, list[dict]]:
    """Every record of the set, by split, in a fixed order."""
    for d in DOMAINS:
        _check_domain(d)
    names = [d["name"] for d in DOMAINS]
    if len(set(names)) != len(names):
        raise SourceError("domain names repeat")
    out: dict[str, list[dict]] = {s: [] for s in SPLIT_FILES}
    for d in DOMAINS:
        rng = random.Random(f"{SEED}:{d['name']}")
        chunks = [{"id": _chunk_id(d["name"], i), "text": t} for i, t in enumerate(d["chunks"])]
        same_split = [o for o in DOMAINS if o["split"] == d["split"] and o is not d]
        edit_cycle: dict[str, list] = {k: [] for k in EDIT_KINDS}
        for fi, (*_, edits) in enumerate(d["facts"]):
            for e in edits:
                edit_cycle[e[0]].append((fi, e))
        for k in edit_cycle:
            rng.shuffle(edit_cycle[k])
        for kind, count in KINDS.items():
            for n in range(count):
                sents = _sentences(d, kind, n, rng, edit_cycle)
                if kind == "no_chunks":
                    rec_chunks = []
                else:
                    rec_chunks = list(chunks)
                    if rng.random() < 0.5:  # a retrieved chunk of another domain of the same split
                        o = rng.choice(same_split)
                        j = rng.randrange(len(o["chunks"]))
                        rec_chunks.append({"id": _chunk_id(o["name"], j), "text": o["chunks"][j]})
                    rng.shuffle(rec_chunks)
                out[d["split"]].append({
                    "id": f"{d['name']}-{kind}-{n}",
                    "domain": d["name"],
                    "split": d["split"],
                    "kind": kind,
                    "faithful": kind in FAITHFUL_KINDS,
                    "answer": " ".join(s["text"] for s in sents),
                    "chunks": rec_chunks,
                    "sentences": sents,
                })  # fmt: skip
    return out


def check_sentences(data: dict[str, list[dict]]) -> None:
    """Fail unless pysbd (as the scorer calls it) splits each answer into its labelled sentences."""
    import re

    import pysbd

    seg = pysbd.Segmenter(language="en", clean=False)
    for rows in data.values():
        for r in rows:
            flat = re.sub(r"\s+", " ", r["answer"]).strip()
            got = [p.strip() for p in seg.segment(flat) if p.strip()]
            if got != [s["text"] for s in r["sentences"]]:
                raise SourceError(f"{r['id']}: pysbd splits the answer differently: {got!r}")


def _dump(rows: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="fail if the committed files differ")
    args = ap.parse_args(argv)
    data = build()
    check_sentences(data)
    for split, path in SPLIT_FILES.items():
        text = _dump(data[split])
        if args.check:
            if path.read_text(encoding="utf-8") != text:
                print(f"{path.name} differs from a rebuild", file=sys.stderr)
                return 1
        else:
            path.write_text(text, encoding="utf-8")
        print(
            f"{split}: {len(data[split])} answers, "
            f"{len({r['domain'] for r in data[split]})} domains -> {path.name}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
