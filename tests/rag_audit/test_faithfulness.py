"""Faithfulness scoring with the real bundled MiniLM on CPU, and NLI plumbing with a tiny local model."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from rag_audit.faithfulness import (  # noqa: E402
    DEFAULT_THRESHOLD,
    DEFAULT_WEIGHTS,
    EmbeddingScorer,
    FaithfulnessError,
    FaithfulnessResult,
    NLIScorer,
    SentenceSupport,
    default_model_dir,
    get_default_scorer,
    split_sentences,
)

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "rag_audit" / "data" / "faithfulness_labelled.jsonl"
RESULTS = ROOT / "benchmarks" / "results" / "faithfulness.json"

CHUNKS = [
    ("c1", "The Eiffel Tower is a wrought-iron lattice tower in Paris. It was completed in 1889."),
    (
        "c2",
        "Assignment statements are used to rebind names to values and to modify attributes or "
        "items of mutable objects. An assignment statement evaluates the expression list and "
        "assigns the single resulting object to each of the target lists, from left to right.",
    ),
    (
        "c3",
        "A dictionary maps hashable keys to arbitrary values. Keys must be unique within one dictionary.",
    ),
]


class Chunk:  # any object with .id and .text is accepted; record.Chunk is not imported on purpose
    def __init__(self, id: str, text: str) -> None:
        self.id, self.text = id, text


@pytest.fixture(scope="module")
def scorer() -> EmbeddingScorer:
    """Algorithm 1 (EmbeddingScorer), kept for comparison; the default AlignedScorer is tested in
    test_faithfulness_verdicts.py."""
    return EmbeddingScorer()


def _split_of(example_id: str) -> str:
    return (
        "calibration"
        if int(hashlib.sha256(example_id.encode()).hexdigest(), 16) % 2 == 0
        else "test"
    )


@pytest.mark.slow
def test_auroc_on_test_half_of_labelled_set(scorer):
    from sklearn.metrics import roc_auc_score

    rows = [json.loads(x) for x in DATA.read_text(encoding="utf-8").splitlines() if x.strip()]
    assert len(rows) >= 300
    labels = [r["label"] for r in rows]
    assert abs(labels.count("supported") - labels.count("unsupported")) <= len(rows) * 0.1
    test = [r for r in rows if _split_of(r["id"]) == "test"]
    y = np.array([r["label"] == "supported" for r in test], dtype=int)
    res = [scorer.score(r["answer"], r["chunks"]) for r in test]
    auroc = roc_auc_score(y, [r.min for r in res])
    assert auroc >= 0.8, auroc
    accuracy = np.mean([(r.supported == bool(t)) for r, t in zip(res, y)])
    assert accuracy >= 0.75, accuracy


def test_committed_results_say_the_default_threshold_is_the_calibrated_one():
    res = json.loads(RESULTS.read_text(encoding="utf-8"))["results"]  # benchmarks/common.py format
    assert res["calibrated"]["threshold"] == DEFAULT_THRESHOLD
    assert res["calibrated"]["weights"] == DEFAULT_WEIGHTS
    assert res["module_defaults"]["match_calibrated"] is True
    assert res["test_half"]["auroc_min"] >= 0.8


def test_copied_sentences_cite_the_chunk_they_came_from(scorer):
    answer = (
        "Assignment statements are used to rebind names to values. "
        "An assignment statement assigns the resulting object to each target list, from left to right. "
        "Keys must be unique within one dictionary."
    )
    res = scorer.score(answer, CHUNKS)
    assert [s.chunk_id for s in res.sentences] == ["c2", "c2", "c3"]
    assert all(s.supported for s in res.sentences), res.to_dict()
    assert res.score == 1.0
    d = res.to_dict()
    assert set(d) == {
        "score",
        "min",
        "mean",
        "method",
        "scorer",
        "scorer_version",
        "threshold",
        "sentences",
    }
    assert set(d["sentences"][0]) == {"text", "supported", "score", "chunk_id", "unsupported_terms"}
    assert d["threshold"] == DEFAULT_THRESHOLD and d["scorer"] == scorer.name


def test_unseen_number_flips_a_sentence_to_unsupported(scorer):
    good = scorer.score("The Eiffel Tower was completed in 1889.", CHUNKS)
    bad = scorer.score("The Eiffel Tower was completed in 1925.", CHUNKS)
    assert good.sentences[0].supported and good.sentences[0].chunk_id == "c1"
    assert not bad.sentences[0].supported
    assert "1925" in bad.sentences[0].unsupported_terms
    assert bad.score == 0.0


def test_unseen_name_flips_a_sentence_to_unsupported(scorer):
    good = scorer.score("The Eiffel Tower is a wrought-iron lattice tower in Paris.", CHUNKS)
    bad = scorer.score("The Eiffel Tower is a wrought-iron lattice tower in Berlin.", CHUNKS)
    assert good.sentences[0].supported
    assert not bad.sentences[0].supported
    assert bad.sentences[0].unsupported_terms == ("Berlin",)


def test_off_topic_answer_is_unsupported_and_mixed_answer_is_half(scorer):
    off = "Photosynthesis converts sunlight into chemical energy in chloroplasts."
    res = scorer.score(f"Keys must be unique within one dictionary. {off}", CHUNKS)
    assert [s.supported for s in res.sentences] == [True, False]
    assert res.score == 0.5 and res.min == res.sentences[1].score
    assert res.mean == pytest.approx(
        (res.sentences[0].score + res.sentences[1].score) / 2, abs=1e-6
    )


def test_deterministic_across_calls_and_fresh_scorers(scorer):
    answer = "Assignment statements rebind names. The tower opened in 1900. Keys are unique."
    a = scorer.score(answer, CHUNKS).to_dict()
    b = scorer.score(answer, CHUNKS).to_dict()
    fresh = EmbeddingScorer()
    c = fresh.score(answer, CHUNKS).to_dict()
    assert a == b == c
    assert fresh.name == scorer.name and fresh.version == scorer.version
    assert get_default_scorer() is get_default_scorer()  # the default is cached


def test_empty_answer_and_no_chunks_are_well_defined(scorer):
    empty = scorer.score("   \n ", CHUNKS)
    assert isinstance(empty, FaithfulnessResult)
    assert empty.to_dict()["sentences"] == [] and (empty.score, empty.min, empty.mean) == (
        1.0,
        1.0,
        1.0,
    )
    none = scorer.score("Keys must be unique.", [])
    assert (
        none.score == 0.0 and none.sentences[0].chunk_id is None and not none.sentences[0].supported
    )
    assert scorer.score("Keys must be unique.", None).to_dict() == none.to_dict()
    assert scorer.score("", []).score == 1.0


def test_objects_tuples_and_dicts_give_the_same_result(scorer):
    answer = "Keys must be unique within one dictionary."
    as_tuples = scorer.score(answer, CHUNKS).to_dict()
    as_objects = scorer.score(answer, [Chunk(i, t) for i, t in CHUNKS]).to_dict()
    as_dicts = scorer.score(answer, [{"id": i, "text": t} for i, t in CHUNKS]).to_dict()
    assert as_tuples == as_objects == as_dicts
    with pytest.raises(FaithfulnessError, match="chunk 0"):
        scorer.score(answer, [42])


def test_name_and_version_carry_the_model_identity(scorer):
    assert scorer.name == "minilm-lexical"
    assert "MiniLM" in scorer.version and "sha256:" in scorer.version
    assert isinstance(scorer.score("x y z.", CHUNKS).sentences[0], SentenceSupport)


def test_split_sentences_uses_pysbd():
    assert split_sentences("Dr. Smith arrived at 3 p.m. today. He left.") == [
        "Dr. Smith arrived at 3 p.m. today.",
        "He left.",
    ]
    assert split_sentences("") == []
    with pytest.raises(FaithfulnessError):
        split_sentences(None)  # type: ignore[arg-type]


def test_bad_arguments_raise_faithfulness_error(tmp_path):
    with pytest.raises(FaithfulnessError, match="not a directory"):
        EmbeddingScorer(tmp_path / "nope")
    with pytest.raises(FaithfulnessError, match="threshold"):
        EmbeddingScorer(threshold=1.5)
    with pytest.raises(FaithfulnessError, match="batch_size"):
        EmbeddingScorer(batch_size=0)


def test_batch_size_is_part_of_the_version_and_barely_moves_scores(scorer):
    other = EmbeddingScorer(batch_size=64)
    assert other.version != scorer.version
    answer = (
        "Open Settings and choose Reset password. The link expires after one hour. "
        "Passwords must have twelve characters."
    )
    chunks = [
        (
            "kb1",
            "To reset a password, open Settings and choose Reset password. The reset link "
            "expires after one hour.",
        ),
        (
            "kb2",
            "Passwords must be at least twelve characters long and may not reuse the last five.",
        ),
    ]
    a, b = scorer.score(answer, chunks), other.score(answer, chunks)
    assert (
        [s.chunk_id for s in a.sentences] == [s.chunk_id for s in b.sentences] != [None, None, None]
    )
    for x, y in zip(a.sentences, b.sentences):
        assert abs(x.score - y.score) <= 1e-5


# --------------------------------------------------------------------------- NLI plumbing


def _tiny_nli(path: Path, id2label: dict[int, str]) -> Path:
    import torch
    from transformers import BertConfig, BertForSequenceClassification

    torch.manual_seed(0)
    cfg = BertConfig(
        vocab_size=30522, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
        intermediate_size=64, max_position_embeddings=512, num_labels=len(id2label),
        id2label=id2label, label2id={v: k for k, v in id2label.items()},
    )  # fmt: skip
    model = BertForSequenceClassification(cfg).eval()
    model.save_pretrained(path)
    src = default_model_dir()
    for name in ("vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
        shutil.copy(src / name, path / name)
    return path


@pytest.fixture(scope="module")
def tiny_nli_dir(tmp_path_factory) -> Path:
    return _tiny_nli(
        tmp_path_factory.mktemp("nli"), {0: "contradiction", 1: "entailment", 2: "neutral"}
    )


def test_nli_scorer_uses_p_entailment_with_chunk_as_premise(tiny_nli_dir):
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    nli = NLIScorer(tiny_nli_dir)
    assert nli.entailment_index == 1
    assert nli.name.startswith("nli:") and "sha256:" in nli.version and "entailment" in nli.version
    answer = "Keys must be unique. The tower is in Paris."
    res = nli.score(answer, CHUNKS)
    assert res.method == "nli" and len(res.sentences) == 2
    assert all(s.chunk_id in {"c1", "c2", "c3"} for s in res.sentences)

    tok = AutoTokenizer.from_pretrained(tiny_nli_dir)
    model = AutoModelForSequenceClassification.from_pretrained(tiny_nli_dir).eval()
    from rag_audit.faithfulness import _chunk_pieces

    pieces = [(cid, p) for cid, text in CHUNKS for p in _chunk_pieces(text)]
    for sent in res.sentences:
        enc = tok(
            [p for _, p in pieces], [sent.text] * len(pieces), return_tensors="pt", padding=True
        )
        with torch.no_grad():
            probs = torch.softmax(model(**enc).logits, dim=-1)[:, 1].numpy()
        assert probs.shape == (len(pieces),)
        # the scorer pre-selects 4 candidate pieces: its best is one of the reference values
        assert np.any(np.isclose(probs, sent.score, atol=1e-5)), (probs, sent.score)
        assert sent.supported == (sent.score >= nli.threshold)
    assert (
        nli.score(answer, CHUNKS).to_dict()
        == NLIScorer(tiny_nli_dir).score(answer, CHUNKS).to_dict()
    )
    assert nli.score("", CHUNKS).score == 1.0 and nli.score("Hi there.", []).score == 0.0


def test_nli_scorer_reads_label_order_and_exact_reference_with_all_candidates(tmp_path):
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    d = _tiny_nli(tmp_path / "m", {0: "ENTAILMENT", 1: "NEUTRAL", 2: "CONTRADICTION"})
    nli = NLIScorer(d, candidates=None, threshold=0.0)
    assert nli.entailment_index == 0
    chunks = [("a", "Cats sleep a lot."), ("b", "Dogs bark at night.")]
    res = nli.score("Dogs bark.", chunks)
    tok = AutoTokenizer.from_pretrained(d)
    model = AutoModelForSequenceClassification.from_pretrained(d).eval()
    enc = tok(
        ["Cats sleep a lot.", "Dogs bark at night."],
        ["Dogs bark."] * 2,
        return_tensors="pt",
        padding=True,
    )
    with torch.no_grad():
        probs = torch.softmax(model(**enc).logits, dim=-1)[:, 0].numpy()
    assert res.sentences[0].score == pytest.approx(float(probs.max()), abs=1e-5)
    assert res.sentences[0].chunk_id == ["a", "b"][int(np.argmax(probs))]
    assert res.sentences[0].supported  # threshold 0.0


def test_nli_scorer_errors(tmp_path):
    with pytest.raises(FaithfulnessError, match="not a model directory"):
        NLIScorer(tmp_path)
    with pytest.raises(ValueError):  # FaithfulnessError is a ValueError too
        NLIScorer(tmp_path / "missing")
    d = _tiny_nli(tmp_path / "ambiguous", {0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2"})
    with pytest.raises(FaithfulnessError, match="entailment_label"):
        NLIScorer(d)
    assert NLIScorer(d, entailment_label="LABEL_2").entailment_index == 2
    try:
        from rag_audit.errors import AuditError
    except ImportError:  # pragma: no cover
        return
    assert issubclass(FaithfulnessError, AuditError)


# --------------------------------------------------------------------------- the broad labelled set

BROAD = ROOT / "benchmarks" / "data" / "faithfulness"
BROAD_KINDS = {
    "faithful_verbatim", "faithful_paraphrase", "faithful_summary", "partial",
    "contradiction_number", "contradiction_entity", "contradiction_date", "contradiction_negation",
    "extra_claim", "no_chunks",
}  # fmt: skip
BROAD_SPLITS = ("dev", "test", "test2", "test3")  # test2, test3: fresh held-out splits
FRESH_SOURCES = {"test2": "sources_fresh.py", "test3": "sources_fresh3.py"}
BROAD_PER_DOMAIN = {
    "faithful_verbatim": 4, "faithful_paraphrase": 5, "faithful_summary": 5, "partial": 4,
    "contradiction_number": 4, "contradiction_entity": 4, "contradiction_date": 4,
    "contradiction_negation": 4, "extra_claim": 4, "no_chunks": 4,
}  # fmt: skip


def _load_module(name: str, path: Path):
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(path.parent))
    try:
        spec.loader.exec_module(mod)
    finally:
        sys.path.remove(str(path.parent))
    return mod


@pytest.fixture(scope="module")
def broad() -> dict[str, list[dict]]:
    return {
        s: [json.loads(x) for x in (BROAD / f"{s}.jsonl").read_text(encoding="utf-8").splitlines()]
        for s in BROAD_SPLITS
    }


def _all_rows(broad) -> list[dict]:
    return [r for s in BROAD_SPLITS for r in broad[s]]


def test_broad_set_counts_kinds_and_a_split_by_domain(broad):
    rows = _all_rows(broad)
    assert len(rows) >= 600
    domains = {s: {r["domain"] for r in broad[s]} for s in broad}
    assert len(domains["dev"] | domains["test"]) >= 12
    for i, a in enumerate(BROAD_SPLITS):
        for b in BROAD_SPLITS[i + 1 :]:
            assert not domains[a] & domains[b], f"a domain is in both {a} and {b}"
    for split, recs in broad.items():
        assert {r["split"] for r in recs} == {split}
        assert {r["kind"] for r in recs} == BROAD_KINDS, split
    assert len({r["id"] for r in rows}) == len(rows)


def _source_domains() -> list[dict]:
    first = _load_module("faithfulness_sources", BROAD / "sources.py")
    fresh = [
        _load_module(f"faithfulness_{Path(f).stem}", BROAD / f) for f in FRESH_SOURCES.values()
    ]
    return first.DOMAINS + [d for m in fresh for d in m.DOMAINS]


@pytest.mark.parametrize("split", sorted(FRESH_SOURCES))
def test_broad_set_fresh_split_has_six_new_domains_of_42_answers_each(broad, split):
    from collections import Counter

    src = FRESH_SOURCES[split]
    fresh = _load_module(f"faithfulness_{Path(src).stem}", BROAD / src)
    fresh_names = {d["name"] for d in fresh.DOMAINS}
    older = {d["name"] for d in _source_domains() if d["split"] != split}
    assert {d["split"] for d in fresh.DOMAINS} == {split}
    assert len(fresh_names) == 6 and not fresh_names & older
    assert {r["domain"] for r in broad[split]} == fresh_names
    assert len(broad[split]) == 252
    per = Counter((r["domain"], r["kind"]) for r in broad[split])
    assert per == Counter({(d, k): n for d in fresh_names for k, n in BROAD_PER_DOMAIN.items()})
    assert sum(r["faithful"] for r in broad[split]) == 6 * 14


def test_broad_set_chunks_never_cross_splits(broad):
    """A distractor chunk comes from another domain of the same split: no held-out passage leaks."""
    split_of = {r["domain"]: r["split"] for r in _all_rows(broad)}
    for r in _all_rows(broad):
        for c in r["chunks"]:
            assert split_of[c["id"].split("#")[0]] == r["split"], (r["id"], c["id"])


def test_broad_set_labels_agree_with_each_kind(broad):
    for r in _all_rows(broad):
        labels = [s["label"] for s in r["sentences"]]
        assert 1 <= len(labels) <= 5 and set(labels) <= {"supported", "contradicted", "not_found"}
        assert r["answer"] == " ".join(s["text"] for s in r["sentences"])
        assert (
            r["faithful"]
            == r["kind"].startswith("faithful_")
            == all(x == "supported" for x in labels)
        )
        if r["kind"] == "no_chunks":
            assert r["chunks"] == [] and set(labels) == {"not_found"}
        else:
            assert 2 <= len(r["chunks"]) <= 5
        if r["kind"] in ("partial", "extra_claim"):
            assert labels.count("not_found") == 1 and "contradicted" not in labels, r["id"]
        if r["kind"].startswith("contradiction_"):
            assert labels.count("contradicted") == 1 and "not_found" not in labels, r["id"]
            bad = next(s for s in r["sentences"] if s["label"] == "contradicted")
            assert bad["edit"]["kind"] == r["kind"].removeprefix("contradiction_")
            assert bad["edit"]["to"] in bad["text"]
        if r["kind"] == "faithful_summary":
            assert len({s["chunk_id"] for s in r["sentences"]}) >= 2, r["id"]


def test_broad_set_evidence_offsets_point_at_the_source_sentence(broad):
    facts = {}  # (chunk id, verbatim) -> (paraphrase, edits)
    for d in _source_domains():
        for ci, verbatim, para, edits in d["facts"]:
            facts[(f"{d['name']}#{ci}", verbatim)] = (para, edits)
    for r in _all_rows(broad):
        chunks = {c["id"]: c["text"] for c in r["chunks"]}
        for s in r["sentences"]:
            if s["label"] == "not_found":
                assert s["chunk_id"] is None and s["start"] is None and s["end"] is None
                continue
            text = chunks[s["chunk_id"]]  # the cited chunk is one of the record's chunks
            assert 0 <= s["start"] < s["end"] <= len(text)
            span = text[s["start"] : s["end"]]
            assert s["start"] == 0 or text[s["start"] - 2 : s["start"]] == ". ", span
            assert span.endswith("."), span
            para, edits = facts[(s["chunk_id"], span)]
            if s["label"] == "supported":
                assert s["text"] in (span, para), (r["id"], s["text"])
            else:
                e = s["edit"]
                assert (e["kind"], e["from"], e["to"]) in [tuple(x) for x in edits]
                assert s["text"] in (
                    t.replace(e["from"], e["to"], 1) for t in (para, span) if e["from"] in t
                )


def test_broad_set_sentences_are_the_scorers_sentences(broad):
    for r in _all_rows(broad):
        assert split_sentences(r["answer"]) == [s["text"] for s in r["sentences"]], r["id"]


def test_broad_set_files_are_what_the_builder_writes(broad):
    build = _load_module("faithfulness_build", BROAD / "build.py")
    data = build.build()
    assert data == broad and set(data) == set(BROAD_SPLITS)
    build.check_sentences(data)  # the builder's own pysbd check passes on what it wrote
