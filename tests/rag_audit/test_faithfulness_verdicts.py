"""Three-way sentence verdicts of the default AlignedScorer on real MiniLM outputs (no mocks), on
hand-made cases written in the style of the broad set's development domains."""

from __future__ import annotations

import json
import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from rag_audit.faithfulness import (  # noqa: E402
    ALGO_VERSION,
    AlignedScorer,
    FaithfulnessError,
    get_default_scorer,
)
from rag_audit.faithfulness.cache import LRUCache  # noqa: E402
from rag_audit.faithfulness.checks import facts, mismatches, polarity_flips  # noqa: E402
from rag_audit.faithfulness.text import clause_spans  # noqa: E402
from rag_audit.faithfulness.verdicts import CALIBRATION_FILE, load_calibration  # noqa: E402

SHOP = (
    "shop#0",
    "Items bought in the spring sale cannot be refunded, but they can be exchanged "
    "within 14 days. Customers who paid with PayPal usually see the money within 48 hours of "
    "approval.",
)
CREDIT = (
    "shop#1",
    "Since 1 March 2024, store credit is offered as an alternative to a refund and "
    "comes with a 10 percent bonus. Returns are inspected at the warehouse in Leeds before "
    "any refund is issued.",
)
VOLCANO = (
    "volcano#0",
    "The observatory never allows visitors inside the crater rim. The lava "
    "flow of 1977 stopped two kilometres short of the village.",
)
CHUNKS = [SHOP, CREDIT, VOLCANO]
TEXT = dict(CHUNKS)


@pytest.fixture(scope="module")
def scorer() -> AlignedScorer:
    return get_default_scorer()


def one(scorer, answer):
    res = scorer.score(answer, CHUNKS)
    assert len(res.sentences) == 1
    return res, res.sentences[0]


def test_default_scorer_is_the_aligned_scorer_with_calibration_hash_in_its_version(scorer):
    assert isinstance(scorer, AlignedScorer) and scorer.name == "minilm-aligned"
    assert (
        scorer.version.startswith(f"{ALGO_VERSION}+")
        and ALGO_VERSION == "4"
        and f"+cal:{scorer.calibration_hash}" in scorer.version
    )
    d = scorer.score(
        "PayPal customers usually receive the money within 48 hours after approval.", CHUNKS
    ).to_dict()
    assert d["scorer_version"] == scorer.version and d["calibration"] == scorer.calibration_hash


def test_supported_paraphrase_cites_its_sentence_by_offsets(scorer):
    res, s = one(
        scorer,
        "Store credit has been available instead of a refund since 1 March 2024 "
        "and carries a 10 percent bonus.",
    )
    assert s.verdict == "supported" and s.supported and res.supported
    ev = s.evidence
    assert ev["chunk_id"] == "shop#1" and s.chunk_id == "shop#1"
    assert TEXT["shop#1"][ev["start"] : ev["end"]] == (
        "Since 1 March 2024, store credit is offered as an alternative to a refund and comes "
        "with a 10 percent bonus."
    )
    assert res.score >= res.threshold and res.supported_share == 1.0


@pytest.mark.parametrize(
    "answer, kind, said, evidence_span",
    [
        (
            "Since 1 March 2024, store credit is offered as an alternative to a refund and comes with a "
            "25 percent bonus.",
            "number",
            "25",
            "Since 1 March 2024",
        ),
        (
            "Since 1 March 2021, store credit is offered as an alternative to a refund and comes with a "
            "10 percent bonus.",
            "date",
            "2021",
            "Since 1 March 2024",
        ),
        (
            "Returns are inspected at the warehouse in Manchester before any refund is issued.",
            "entity",
            "Manchester",
            "Returns are inspected at the warehouse in Leeds",
        ),
        (
            "The observatory allows visitors inside the crater rim.",
            "negation",
            "not negated",
            "The observatory never allows visitors",
        ),
    ],
)
def test_contradicted_sentence_names_the_disagreement_and_its_evidence(
    scorer, answer, kind, said, evidence_span
):
    res, s = one(scorer, answer)
    assert s.verdict == "contradicted" and not s.supported and not res.supported
    assert res.score < res.threshold
    found = {m["kind"]: m for m in s.mismatches}
    assert kind in found and found[kind]["sentence"] == said
    ev = s.evidence
    assert TEXT[ev["chunk_id"]][ev["start"] : ev["end"]].startswith(evidence_span)


# Chunks where both sides carry negations, prefixes or antonyms, so a flip has to be found at the
# aligned position rather than by counting negations; and lower-case nouns and number words.
MANUAL = [
    (
        "manual#0",
        "Exchanges for a different size are free, but returns without a receipt are not accepted. "
        "Staff may take one unpaid sabbatical of up to 3 months after 3 years of service.",
    ),
    (
        "manual#1",
        "Switch the machine on with the power button on the right side. The 34-metre tower is "
        "made of local granite and painted with two red bands. The lava flow stopped two "
        "kilometres short of the village.",
    ),
]
MANUAL_TEXT = dict(MANUAL)


@pytest.mark.parametrize(
    "answer, kind, evidence_span",
    [
        (  # a negating prefix on one side only
            "Staff may take one paid sabbatical of up to 3 months after 3 years of service.",
            "negation",
            "Staff may take one unpaid sabbatical",
        ),
        ("The power button of the machine is on the left side.", "antonym", "Switch the machine"),
        (  # a number word
            "The lava flow stopped five kilometres short of the village.",
            "number",
            "The lava flow stopped two kilometres",
        ),
    ],
)
def test_flips_and_number_words_are_contradictions_at_the_aligned_evidence(
    scorer, answer, kind, evidence_span
):
    res = scorer.score(answer, MANUAL)
    (s,) = res.sentences
    assert s.verdict == "contradicted" and not res.supported and res.score < res.threshold
    assert kind in {m["kind"] for m in s.mismatches}
    ev = s.evidence
    assert MANUAL_TEXT[ev["chunk_id"]][ev["start"] : ev["end"]].startswith(evidence_span)


@pytest.mark.parametrize(
    "answer, kind, said, evidence",
    [
        (  # negated on both sides, at different words: "free" is negated only in the sentence
            "Returns without a receipt are not accepted, and exchanges for a different size are "
            "not free.",
            "negation",
            "negated: free",
            "not negated: free",
        ),
        (  # a lower-case noun swapped for another, the sentence's only new word
            "The 34-metre tower is made of local sandstone and painted with two red bands.",
            "entity",
            "sandstone",
            "granite",
        ),
        (  # the same figure with another unit
            "The lava flow stopped two miles short of the village.",
            "number",
            "two mile",
            "two kilometre",
        ),
    ],
)
def test_checks_find_the_swap_at_the_aligned_position(scorer, answer, kind, said, evidence):
    """The explicit checks over the token alignment (what the head weighs; the verdict may still
    be `supported` where the head does not trust the check on its own)."""
    (ev,) = scorer.evidence(answer, MANUAL)
    found = {m.kind: m for m in ev.mismatches}
    assert kind in found and (found[kind].sentence, found[kind].evidence) == (said, evidence)


def test_faithful_rewordings_of_the_same_chunks_stay_supported(scorer):
    res = scorer.score(
        "A different size can be exchanged for free, while returns without a receipt are "
        "refused. Staff can take an unpaid sabbatical of up to 3 months once they have 3 years "
        "of service. The power button is on the right side of the machine. The lava flow came "
        "to a stop two kilometres before the village.",
        MANUAL,
    )
    assert [s.verdict for s in res.sentences] == ["supported"] * 4 and res.supported


@pytest.mark.parametrize(
    "sentence, evidence, disagree",
    [
        ("Electric cars get half off the fee.", "Electric cars get a 50 percent discount.", False),
        ("Blue scatters twice as much.", "Blue scatters 2 times as much.", False),
        ("It lasts twenty-five days.", "It lasts 25 days.", False),
        ("The money arrives within 48 days.", "The money arrives within 48 hours.", True),
        ("Refunds take 5 business days.", "Refunds take 5 working days.", False),
        ("It falls with the second power.", "It falls with the fourth power.", True),
        ("Once it is inspected, 5 days.", "When it is inspected, 5 days.", False),
    ],
)
def test_number_check_knows_number_words_percentages_and_units(sentence, evidence, disagree):
    s, e = facts(sentence), facts(evidence)
    assert any(m.kind == "number" for m in mismatches(s, e, e)) is disagree


def test_polarity_flips_compare_the_negated_word_not_the_negation_count():
    ev = "Sale items marked as final sale are not eligible for a refund or an exchange."
    assert polarity_flips("Items marked final sale cannot be refunded or exchanged.", ev) == {}
    got = polarity_flips("Anything marked final sale can be refunded or exchanged.", ev)
    assert got.get("scope") == "refund"  # negated in the evidence, plain in the sentence
    assert polarity_flips("It is a paid sabbatical.", "It is an unpaid sabbatical.") == {
        "prefix": "unpaid"
    }
    assert polarity_flips("Never fill the tank with milk.", "Do not fill the tank with milk.") == {}


@pytest.mark.parametrize(
    "answer",
    [
        "Store credit can also be transferred to a friend as a gift card.",  # an extra sentence
        "Returns are inspected at the warehouse in Leeds before any refund is issued, and every "
        "inspection is filmed on camera and stored for a year.",  # a long unsupported clause
    ],
)
def test_extra_claim_is_not_found(scorer, answer):
    res, s = one(scorer, answer)
    assert s.verdict == "not_found" and not s.supported and s.mismatches == ()
    assert res.score < res.threshold


def test_answer_score_is_the_weakest_sentence_and_share_is_separate(scorer):
    res = scorer.score(
        "PayPal customers usually receive the money within 48 hours after approval. "
        "Returns are inspected at the warehouse in Manchester before any refund is "
        "issued.",
        CHUNKS,
    )
    assert [s.verdict for s in res.sentences] == ["supported", "contradicted"]
    assert res.aggregate == "min" and res.score == res.min == res.sentences[1].score
    assert res.supported_share == 0.5 and res.to_dict()["verdicts"] == {
        "supported": 1,
        "contradicted": 1,
        "not_found": 0,
    }


def test_no_chunks_and_empty_answer(scorer):
    res = scorer.score("Items bought in the spring sale cannot be refunded.", [])
    assert res.score == 0.0 and res.sentences[0].verdict == "not_found"
    assert res.sentences[0].evidence is None
    empty = scorer.score("  ", CHUNKS)
    assert empty.score == 1.0 and empty.sentences == ()


def test_cache_hit_gives_identical_scores(scorer):
    fresh = AlignedScorer()
    answer = (
        "Store credit has been available instead of a refund since 1 March 2024. "
        "The observatory allows visitors inside the crater rim."
    )
    cold = fresh.score(answer, CHUNKS).to_dict()
    n_cached, misses = len(fresh.cache), fresh.cache.misses
    assert n_cached > 0 and misses > 0
    warm = fresh.score(answer, CHUNKS).to_dict()
    assert fresh.cache.misses == misses and fresh.cache.hits > 0  # nothing encoded again
    assert warm == cold
    assert scorer.score(answer, CHUNKS).to_dict() == cold  # another instance, another cache


def test_lru_cache_drops_the_least_recently_used():
    c = LRUCache(2)
    c.put("a", 1)
    c.put("b", 2)
    assert c.get("a") == 1
    c.put("c", 3)
    assert c.get("b") is None and c.get("a") == 1 and c.get("c") == 3


def test_calibration_file_is_small_and_fitted_on_development_data_only():
    assert CALIBRATION_FILE.stat().st_size <= 1_000_000
    doc = json.loads(CALIBRATION_FILE.read_text())
    assert "DEVELOPMENT" in doc["about"] and doc["aggregate"] in ("min", "product")
    assert "(dev+test+test2, 21 domains" in doc["about"]  # no held-out split fitted on
    assert 0.0 < doc["threshold"] < 1.0
    cal = load_calibration()
    assert list(cal.iso_y) == sorted(cal.iso_y)  # isotonic: monotone


def test_malformed_calibration_is_a_faithfulness_error(tmp_path):
    bad = tmp_path / "cal.json"
    bad.write_text(json.dumps({"head": {}}))
    with pytest.raises(FaithfulnessError, match="malformed"):
        load_calibration(bad)
    with pytest.raises(FaithfulnessError, match="does not exist"):
        load_calibration(tmp_path / "missing.json")


def test_clauses_are_cut_at_linking_words_but_not_inside_a_list():
    def cut(s):
        return [s[a:b].strip() for a, b in clause_spans(s)]

    assert cut("Swimwear, earrings and gift cards cannot be returned.") == [
        "Swimwear, earrings and gift cards cannot be returned."
    ]
    assert cut(
        "Returns are inspected in Leeds before any refund is issued, and every inspection is "
        "filmed on camera."
    ) == [
        "Returns are inspected in Leeds",
        "before any refund is issued,",
        "and every inspection is filmed on camera.",
    ]
    assert cut("It is free.") == ["It is free."]


def test_weakest_clause_exposes_a_claim_appended_to_a_supported_sentence(scorer):
    """The appended clause is the weakest clause, on real MiniLM token alignments: its aligned
    share and its lexical coverage drop far below the faithful sentence's."""
    base = "Returns are inspected at the warehouse in Leeds before any refund is issued"
    (faithful,) = scorer.evidence(base + ".", CHUNKS)
    (extended,) = scorer.evidence(
        base + ", and every inspection is filmed on camera and stored for a year.", CHUNKS
    )
    f, e = faithful.features, extended.features
    assert f["clause_coverage_min"] == 1.0 and e["clause_coverage_min"] < 0.5
    assert e["clause_align_min"] < f["clause_align_min"] - 0.2
    # averaged over the whole sentence, the same claim moves the alignment far less
    assert f["align"] - e["align"] < f["clause_align_min"] - e["clause_align_min"]


PEOPLE = [
    (
        "results#0",
        "Chief executive Lena Marchetti said higher cocoa prices had been offset by savings. Chief "
        "financial officer Tomas Riedel will step down at the end of the year and will be replaced "
        "by Ingrid Solheim.",
    )
]


def test_a_name_stated_elsewhere_in_the_chunks_but_swapped_in_is_found_by_the_checks(scorer):
    """Lena Marchetti is in the chunks, so no name is unseen; the token alignment puts her where
    the evidence names Ingrid Solheim. (What the checks report; the head decides the verdict.)"""
    (swapped,) = scorer.evidence(
        "Tomas Riedel will step down at the end of the year and be replaced by Lena Marchetti.",
        PEOPLE,
    )
    assert ("entity", "Lena", "Ingrid") in {
        (m.kind, m.sentence, m.evidence) for m in swapped.mismatches
    }
    (ok,) = scorer.evidence(
        "Tomas Riedel will step down at the end of the year and be replaced by Ingrid Solheim.",
        PEOPLE,
    )
    assert ok.mismatches == ()


def test_an_opposite_counts_even_where_the_sentence_uses_it_elsewhere(scorer):
    """ "less" is in the sentence ("less violet"), yet "more sensitive" is aligned to "less
    sensitive": an antonym at the aligned position; the faithful wording has none."""
    sun = [
        ("sky#0", "The Sun emits less violet than blue, and our eyes are less sensitive to violet.")
    ]
    (ev,) = scorer.evidence(
        "The Sun gives off less violet than blue, and human eyes are more sensitive to violet.", sun
    )
    assert ev.features["antonym_aligned"] == 1.0
    assert ("antonym", "more", "less") in {(m.kind, m.sentence, m.evidence) for m in ev.mismatches}
    (ok,) = scorer.evidence(
        "The Sun gives off less violet than blue, and human eyes are less sensitive to violet.", sun
    )
    assert ok.features["antonym_aligned"] == 0.0 and ok.mismatches == ()
