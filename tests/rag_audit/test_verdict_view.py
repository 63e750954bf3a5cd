"""rag_audit.verdict_view: a record's sentence verdicts as readers see them, from real AlignedScorer
output (real MiniLM, records written to and read back from a real SQLite log), older two-way
evaluations, and hostile logs whose evaluation events were written by an attacker."""

from __future__ import annotations

import copy
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from shop_passages import CONTRADICTED, NOT_FOUND, SHOP, SUPPORTED  # noqa: E402

from rag_audit import Auditor, Chunk, open_store  # noqa: E402
from rag_audit.faithfulness import EmbeddingScorer, get_default_scorer  # noqa: E402
from rag_audit.record import canonical_bytes, evaluation_body  # noqa: E402
from rag_audit.rescore import rescore  # noqa: E402
from rag_audit.verdict_view import (  # noqa: E402
    EVIDENCE_UNAVAILABLE,
    NO_EVIDENCE,
    Segment,
    chunk_segments,
    evaluation_view,
    evidence_snippet,
    mismatch_text,
    record_chunk_spans,
    sentence_views,
)

CHUNKS = SHOP
TEXT = {c.id: c.text for c in CHUNKS}


def write_log(path, scorer, answers, chunks=CHUNKS):
    """Record each answer through a real Auditor; return the record ids."""
    a = Auditor(path, scorer=scorer)
    ids = []
    for answer in answers:
        with a.trace("refunds?", user_id="u-1") as t:
            t.add_chunks(chunks)
            t.set_answer(answer)
        ids.append(t.record_id)
    a.flush()
    a.close()
    return ids


def read(path, rid):
    with open_store(path, readonly=True) as s:
        return s.get(rid)


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    """A real log: one answer with a supported, a contradicted and a not-found sentence, and one
    answer without chunks, scored by the default AlignedScorer (real MiniLM)."""
    path = tmp_path_factory.mktemp("vv") / "audit.db"
    ids = write_log(path, get_default_scorer(), [f"{SUPPORTED} {CONTRADICTED} {NOT_FOUND}"])
    a = Auditor(path, scorer=None)  # the Auditor does not score an answer without chunks,
    with a.trace("no retrieval") as t:  # so its real evaluation is appended by hand
        t.set_answer(NOT_FOUND)
    a.close()
    with open_store(path) as s:
        result = get_default_scorer().score(NOT_FOUND, []).to_dict()
        s.append([canonical_bytes(evaluation_body(t.record_id, result))])
    return path, read(path, ids[0]), read(path, t.record_id)


def test_each_verdict_kind_from_real_aligned_scorer_output(scored):
    _, rec, _ = scored
    views = sentence_views(rec)
    assert [v.verdict for v in views] == ["supported", "contradicted", "not_found"]
    assert [v.index for v in views] == [0, 1, 2]
    assert [v.text for v in views] == [SUPPORTED, CONTRADICTED, NOT_FOUND]
    assert not any(v.legacy for v in views)
    stored = rec.faithfulness["sentences"]
    for v, s in zip(views, stored):
        assert v.score == s["score"] and v.chunk_id == s["chunk_id"]
        start, end = s["evidence"]["start"], s["evidence"]["end"]
        assert v.span == (start, end) and v.evidence == TEXT[v.chunk_id][start:end]
        assert rec.chunks[v.chunk_index].id == v.chunk_id and v.note is None


def test_supported_view_cites_its_evidence_sentence(scored):
    v = sentence_views(scored[1])[0]
    assert v.chunk_id == "shop#0"
    assert v.evidence == (
        "Customers who paid with PayPal usually see the money within 48 hours of approval."
    )
    assert v.mismatches == ()


def test_contradicted_view_carries_the_disagreement_and_its_evidence(scored):
    v = sentence_views(scored[1])[1]
    assert v.chunk_id == "shop#1" and v.evidence.startswith(
        "Returns are inspected at the warehouse in Leeds"
    )
    entity = [m for m in v.mismatches if m["kind"] == "entity"]
    assert entity and entity[0]["sentence"] == "Manchester" and "Leeds" in entity[0]["evidence"]


def test_not_found_view_has_no_mismatch_and_without_chunks_no_evidence(scored):
    _, rec, bare = scored
    v = sentence_views(rec)[2]
    assert v.verdict == "not_found" and v.mismatches == ()
    (nv,) = sentence_views(bare)
    assert nv.verdict == "not_found" and nv.span is None and nv.evidence is None
    assert nv.chunk_id is None and nv.note == NO_EVIDENCE


def test_evaluation_view_names_scorer_calibration_and_counts(scored):
    _, rec, _ = scored
    ev = evaluation_view(rec)
    scorer = get_default_scorer()
    assert ev.scorer == scorer.name and ev.scorer_version == scorer.version
    assert ev.calibration == scorer.calibration_hash and not ev.legacy
    assert ev.evaluations == 1 and ev.seq == rec.evaluation_seq
    assert ev.verdicts == {"supported": 1, "contradicted": 1, "not_found": 1}
    assert ev.score == rec.faithfulness["score"] and ev.supported_share == pytest.approx(1 / 3)


def test_legacy_two_way_evaluation_renders_and_rescore_makes_it_current(tmp_path):
    path = tmp_path / "old.db"
    (rid,) = write_log(path, EmbeddingScorer(), [f"{SUPPORTED} {NOT_FOUND}"])
    rec = read(path, rid)
    views = sentence_views(rec)
    stored = rec.faithfulness["sentences"]
    assert "verdict" not in stored[0]
    assert all(v.legacy and v.span is None and v.note == NO_EVIDENCE for v in views)
    assert [v.verdict for v in views] == [
        "supported" if s["supported"] else "not_found" for s in stored
    ]
    ev = evaluation_view(rec)
    assert ev.legacy and ev.calibration is None and ev.evaluations == 1

    rescore(path)
    rec = read(path, rid)
    ev = evaluation_view(rec)
    assert ev.evaluations == 2 and not ev.legacy
    assert ev.scorer_version == get_default_scorer().version
    assert not any(v.legacy for v in sentence_views(rec))


def test_not_evaluated_record_has_no_views(tmp_path):
    (rid,) = write_log(tmp_path / "n.db", None, [SUPPORTED])
    rec = read(tmp_path / "n.db", rid)
    assert sentence_views(rec) == [] and evaluation_view(rec) is None


# -- hostile logs --------------------------------------------------------------------------------


def _set(path):
    """A mutation of the first sentence entry at a dotted path."""

    def apply(value):
        def mutate(f):
            s = f["sentences"][0]
            *head, last = path.split(".")
            for k in head:
                s = s[k]
            s[last] = value

        return mutate

    return apply


def _dup_chunk(chunks):
    return chunks + [Chunk(id="shop#0", text="A different text under the same id.")]


HOSTILE = [
    ("start beyond the chunk", _set("evidence.start")(10_000), None, "outside the chunk"),
    ("end beyond the chunk", _set("evidence.end")(10_000), None, "outside the chunk"),
    ("negative start", _set("evidence.start")(-5), None, "outside the chunk"),
    (
        "start after end",
        lambda f: (
            _set("evidence.start")(f["sentences"][0]["evidence"]["end"] - 1)(f)
            or _set("evidence.end")(f["sentences"][0]["evidence"]["start"] - 20)(f)
        ),
        None,
        "outside the chunk",
    ),
    (
        "empty span",
        lambda f: _set("evidence.end")(f["sentences"][0]["evidence"]["start"])(f),
        None,
        "outside the chunk",
    ),
    ("string offset", _set("evidence.start")("3"), None, "not integers"),
    ("float offset", _set("evidence.end")(120.5), None, "not integers"),
    ("bool offset", _set("evidence.start")(True), None, "not integers"),
    ("unknown chunk", _set("evidence.chunk_id")("nowhere"), None, "another chunk"),
    (
        "unknown chunk in both",
        lambda f: (_set("evidence.chunk_id")("nowhere")(f), _set("chunk_id")("nowhere")(f)),
        None,
        "not among",
    ),
    ("evidence not a dict", _set("evidence")([1, 2]), None, "malformed evidence"),
    ("ambiguous chunk id", None, _dup_chunk, "several chunks share"),
]


@pytest.fixture(scope="module")
def real_eval(scored):
    """The real evaluation dict of the supported sentence's answer (to corrupt)."""
    return scored[1].faithfulness


def hostile_record(tmp_path, evaluation, chunks=CHUNKS):
    """A real log whose request is honest and whose evaluation event is the attacker's."""
    path = tmp_path / "hostile.db"
    (rid,) = write_log(path, None, [f"{SUPPORTED} {CONTRADICTED} {NOT_FOUND}"], chunks)
    with open_store(path) as s:
        s.append([canonical_bytes(evaluation_body(rid, evaluation))])
    return read(path, rid)


@pytest.mark.parametrize(
    "mutate, chunks, problem", [h[1:] for h in HOSTILE], ids=[h[0] for h in HOSTILE]
)
def test_hostile_evidence_span_is_dropped_and_said_unavailable(
    tmp_path, real_eval, mutate, chunks, problem
):
    f = copy.deepcopy(real_eval)
    if mutate is not None:
        mutate(f)
    rec = hostile_record(tmp_path, f, chunks(CHUNKS) if chunks else CHUNKS)
    v = sentence_views(rec)[0]
    assert v.span is None and v.evidence is None
    assert v.note.startswith(EVIDENCE_UNAVAILABLE) and problem in v.note
    assert record_chunk_spans([v]) == {}


def test_sealed_chunk_text_gives_no_evidence(tmp_path, real_eval):
    chunks = [Chunk(id=c.id, text="[encrypted]") for c in CHUNKS]
    v = sentence_views(hostile_record(tmp_path, copy.deepcopy(real_eval), chunks))[0]
    assert v.evidence is None and "not readable" in v.note


@pytest.mark.parametrize("verdict", ["approved", None, 1, "SUPPORTED"])
def test_unknown_verdict_fails_closed_to_not_found(tmp_path, real_eval, verdict):
    f = copy.deepcopy(real_eval)
    f["sentences"][0]["verdict"] = verdict
    v = sentence_views(hostile_record(tmp_path, f))[0]
    assert v.verdict == "not_found" and v.evidence is None and "unknown verdict" in v.note


def test_supported_verdict_needs_the_supported_flag_too(tmp_path, real_eval):
    f = copy.deepcopy(real_eval)
    f["sentences"][2]["verdict"] = "supported"  # the not-found sentence, flag still False
    v = sentence_views(hostile_record(tmp_path, f))[2]
    assert v.verdict == "not_found" and "disagree" in v.note


@pytest.mark.parametrize(
    "faithfulness",
    [
        "not a dict",
        ["a", "list"],
        {"score": 0.9, "sentences": "not a list"},
        {"score": 0.9, "sentences": {"0": {}}},
        {"score": None, "error": "RuntimeError: boom", "scorer": "minilm-aligned"},
    ],
)
def test_malformed_evaluations_give_no_views_and_never_raise(tmp_path, faithfulness):
    rec = hostile_record(tmp_path, {"x": 1})
    rec.faithfulness = faithfulness  # the merged value as a hostile store could hand it over
    assert sentence_views(rec) == []
    ev = evaluation_view(rec)
    if isinstance(faithfulness, dict) and faithfulness.get("error"):
        assert ev.error == "RuntimeError: boom" and ev.score is None and not ev.legacy


def test_malformed_sentence_entries_and_values(tmp_path, real_eval):
    f = copy.deepcopy(real_eval)
    f["sentences"][0]["score"] = float("nan")
    f["sentences"][1]["mismatches"] = [{"kind": "entity", "sentence": 1}, "x", {"kind": "number",
        "sentence": "30 days", "evidence": "60 days"}]  # fmt: skip
    f["sentences"][2]["text"] = 42
    f["sentences"].append("not a sentence")
    rec = hostile_record(tmp_path, f)
    views = sentence_views(rec)
    assert views[0].score is None
    assert views[1].mismatches == (
        {"kind": "number", "sentence": "30 days", "evidence": "60 days"},
    )
    assert views[2].text == "42"
    assert views[3].verdict == "not_found" and "malformed sentence" in views[3].note
    # canonical JSON turned NaN into null; a record handed over with inf/huge scores: no score
    rec.faithfulness["sentences"][1]["score"] = 7
    assert sentence_views(rec)[1].score is None


# -- chunk segments ----------------------------------------------------------------------------

CHUNK = "Alpha beta. Gamma delta. Epsilon zeta."


def test_segments_split_a_chunk_into_plain_and_highlighted_pieces():
    segs = chunk_segments(CHUNK, [(12, 24, "supported", 0)])
    assert segs == [
        Segment("Alpha beta. ", None, None),
        Segment("Gamma delta.", "supported", 0, (0,)),
        Segment(" Epsilon zeta.", None, None),
    ]
    assert chunk_segments(CHUNK, []) == [Segment(CHUNK, None, None)]


def test_overlapping_spans_contradicted_wins_then_lowest_index_and_all_indices_kept():
    segs = chunk_segments(
        CHUNK,
        [(0, 24, "supported", 2), (12, 24, "contradicted", 3), (0, 11, "supported", 1)],
    )
    assert segs == [
        Segment("Alpha beta.", "supported", 1, (1, 2)),
        Segment(" ", "supported", 2, (2,)),
        Segment("Gamma delta.", "contradicted", 3, (2, 3)),
        Segment(" Epsilon zeta.", None, None),
    ]
    same = chunk_segments(CHUNK, [(0, 11, "not_found", 0), (0, 11, "supported", 4)])
    assert same[0] == Segment("Alpha beta.", "supported", 4, (0, 4))
    # the order spans are given in does not matter
    assert chunk_segments(CHUNK, [(0, 11, "supported", 4), (0, 11, "not_found", 0)]) == same


@pytest.mark.parametrize(
    "span",
    [
        (30, 100, "supported", 0),
        (-1, 4, "supported", 0),
        (8, 4, "supported", 0),
        (4, 4, "supported", 0),
        ("0", 4, "supported", 0),
        (0.0, 4, "supported", 0),
        (False, 4, "supported", 0),
        (0, 4, "approved", 0),
        (0, 4, "supported", -1),
        (0, 4, "supported", "0"),
        (0, 4, "supported"),
        "0-4",
    ],
)
def test_invalid_spans_are_dropped(span):
    assert chunk_segments(CHUNK, [span]) == [Segment(CHUNK, None, None)]


def test_non_text_chunk_gives_no_segments():
    assert chunk_segments(None, [(0, 1, "supported", 0)]) == []  # type: ignore[arg-type]
    assert chunk_segments("", [(0, 1, "supported", 0)]) == []


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(max_size=40),
    spans=st.lists(
        st.tuples(
            st.integers(-5, 50),
            st.integers(-5, 50),
            st.sampled_from(["supported", "contradicted", "not_found", "bogus"]),
            st.one_of(st.none(), st.integers(-2, 6)),
        ),
        max_size=8,
    ),
)
def test_segments_always_rebuild_the_chunk(text, spans):
    segs = chunk_segments(text, spans)
    assert "".join(s.text for s in segs) == text
    assert all(s.text for s in segs)
    for a, b in zip(segs, segs[1:]):  # neighbours differ (merged otherwise)
        assert (a.verdict, a.sentence_index, a.sentence_indices) != (
            b.verdict,
            b.sentence_index,
            b.sentence_indices,
        )


def test_record_spans_feed_chunk_segments(scored):
    _, rec, _ = scored
    views = sentence_views(rec)
    spans = record_chunk_spans(views, verdicts=("supported", "contradicted"))
    by_id = {rec.chunks[i].id: segs for i, segs in spans.items()}
    assert set(by_id) == {"shop#0", "shop#1"}
    hl = [s for s in chunk_segments(TEXT["shop#1"], by_id["shop#1"]) if s.verdict]
    assert [s.verdict for s in hl] == ["contradicted"] and hl[0].text == views[1].evidence


def test_evidence_snippet_marks_cut_and_surrounding_text(scored):
    _, rec, _ = scored
    v = sentence_views(rec)[0]  # the second sentence of its chunk, which it ends
    assert evidence_snippet(v, TEXT[v.chunk_id], width=200) == "…" + v.evidence
    short = evidence_snippet(v, TEXT[v.chunk_id], width=30)
    assert short.startswith("…Customers who") and short.endswith("of approval.")
    assert " … " in short and len(short) <= 34 and "PayPal" not in short


@pytest.mark.parametrize(
    "m, text",
    [
        ({"kind": "number", "sentence": "30 days", "evidence": "60 days"}, "number: 30 days vs 60 days"),
        ({"kind": "entity", "sentence": "Manchester", "evidence": ""}, "entity: Manchester (not in the evidence)"),
        ({"kind": "negation", "sentence": "not negated", "evidence": "negated"}, "negation: sentence not negated, evidence negated"),
    ],
)  # fmt: skip
def test_mismatch_text(m, text):
    assert mismatch_text(m) == text


def test_views_of_the_dict_form_match_the_record(scored):
    _, rec, _ = scored
    d = rec.to_dict()  # what `show --json` prints and a console reads back
    assert sentence_views(d) == sentence_views(rec)
    assert evaluation_view(d) == evaluation_view(rec) and evaluation_view(d).evaluations == 1
    d["retrieval.documents"] = ["not a chunk"]
    assert all(v.evidence is None for v in sentence_views(d))


def test_redacted_log_keeps_evidence_offsets_consistent(tmp_path):
    chunk = Chunk(
        id="kb#1 ann@example.com",
        text="Refund requests go to ann@example.com and are answered within 5 days. "
        "Call +44 20 7946 0958 for urgent cases.",
    )
    path = tmp_path / "red.db"
    with Auditor(path, scorer=get_default_scorer(), redact=True) as a:
        with a.trace("refund?") as t:
            t.add_chunks([chunk])
            t.set_answer("Refund requests sent to ann@example.com are answered within 5 days.")
        a.flush()
    rec = read(path, t.record_id)
    (v,) = sentence_views(rec)
    assert "ann@example.com" not in rec.chunks[0].text  # stored redacted, scored redacted
    assert v.chunk_index == 0 and v.evidence == rec.chunks[0].text[slice(*v.span)]
    assert v.evidence.startswith("Refund requests go to") and v.note is None


@pytest.mark.postgres
def test_postgres_log_gives_the_same_views_and_filters_on_the_calibrated_score(pg_url, scored):
    """The same real evaluation in a PostgreSQL log: same views; `list --faithfulness-below`
    compares the calibrated answer score (not the share of supported sentences)."""
    _, rec, _ = scored
    f = rec.faithfulness
    assert f["calibration"] and f["score"] < f["supported_share"]
    with open_store(pg_url) as s:
        s.append([canonical_bytes(rec.to_body())])
        s.append([canonical_bytes(evaluation_body(rec.record_id, f))])
        got = s.get(rec.record_id)
        assert sentence_views(got) == sentence_views(rec)
        assert [r.record_id for r in s.records(faithfulness_below=f["supported_share"])] == [
            rec.record_id
        ]
        assert s.count(faithfulness_below=f["score"]) == 0
