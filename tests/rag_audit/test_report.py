"""build_report on a real SQLite log: counts, least-supported sentences, escaping, charts, gate."""

from __future__ import annotations

import base64
import re
import sqlite3

import pytest

from rag_audit import AuditError, AuditRecord, Chunk, Watermark, open_store
from rag_audit.record import canonical_bytes, evaluation_body, override_body
from rag_audit.report import build_report

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def log(tmp_path, keypair):
    """8 records over two days, 3 users; one error; one override; one evil query; 4 watermarked,
    2 of them detected. Scores 0.0, 0.25, ... 1.0 (mean 0.5) for the 7 answered records."""
    path = tmp_path / "audit.db"
    store = open_store(path)
    for i in range(8):
        t = f"2025-03-0{1 + i // 4}T1{i}:00:00.000000Z"
        err = {"type": "Timeout", "message": "llm down"} if i == 7 else None
        rec = AuditRecord(
            record_id=f"rec-{i}",
            query="<script>alert('q')</script>" if i == 3 else f"q{i}",
            answer=None if err else f"Grounded fact {i}. Invented claim number {i}.",
            chunks=[Chunk(id=f"kb-{i}", text="fact")],
            user_id=f"user-{i % 3}",
            time_start=t,
            time_end=t,
            error=err,
            watermark=Watermark(i % 2 == 0, "wm", 1e-9 if i in (0, 2) else 0.4),
        )
        store.append([canonical_bytes(rec.to_body())])
        if err is None:
            score = [0.0, 0.25, 0.5, 0.75, 1.0, 0.5, 0.5][i]
            sents = [
                {
                    "text": f"Grounded fact {i}.",
                    "supported": True,
                    "score": 0.9,
                    "chunk_id": f"kb-{i}",
                },
                {
                    "text": f"Invented claim number {i}.",
                    "supported": score == 1.0,
                    "score": 0.1,
                    "chunk_id": None,
                },
            ]
            store.append(
                [
                    canonical_bytes(
                        evaluation_body(
                            rec.record_id,
                            {"score": score, "min": 0.1, "mean": 0.5, "sentences": sents},
                        )
                    )
                ]
            )
    store.append(
        [
            canonical_bytes(
                override_body(
                    "rec-0",
                    reviewer="<b>eve</b>",
                    decision="reject",
                    reason="hallucinated <img src=x>",
                )
            )
        ]
    )
    store.make_checkpoint(keypair[0])
    store.close()
    return path


def test_counts_and_sections(log, tmp_path, keypair):
    out = tmp_path / "r.html"
    s = build_report(log, out, public_key=keypair[1], title="Q1 <audit>")
    assert (s.records, s.users, s.errors, s.overrides, s.evaluated) == (8, 3, 1, 1, 7)
    assert s.mean_faithfulness == pytest.approx(0.5)
    assert s.watermarked_share == pytest.approx(4 / 7)  # rec 0, 2, 4, 6 of 7 answers
    assert s.detected_share == pytest.approx(2 / 7)
    assert s.verified and not s.failed
    html = out.read_text()
    assert re.search(r'id="n-records">8<', html) and re.search(r'id="n-users">3<', html)
    assert re.search(r'id="n-errors">1<', html) and re.search(r'id="n-overrides">1<', html)
    assert "Q1 &lt;audit&gt;" in html
    assert "Verified:" in html and "No public key was given" not in html
    # the least-supported answer comes first, its unsupported sentence highlighted, with its chunks
    # (two-way evaluations: an unsupported sentence is "not found", with no evidence to link)
    first = html.index("Least-supported answers")
    assert html.index("rec-0", first) < html.index("rec-1", first) < html.index("rec-2", first)
    assert re.search(r'<span class="v-not_found"[^>]*>Invented claim number 0\.</span>', html)
    assert re.search(r'<span class="v-supported"[^>]*>Grounded fact 0\.</span>', html)
    assert "(older two-way scorer)" in html and s.verdicts["contradicted"] == 0
    assert "<code>kb-0</code>" in html
    assert "57.1%" in html and "28.6%" in html  # watermark coverage


def test_detected_uses_the_detectors_own_threshold(tmp_path):
    """A p-value just below the detector's threshold counts as detected, just above does not."""
    from watermark.detector import DEFAULT_THRESHOLD

    path = tmp_path / "wm.db"
    store = open_store(path)
    for i, p in enumerate((DEFAULT_THRESHOLD * 0.99, DEFAULT_THRESHOLD * 1.01, None)):
        rec = AuditRecord(
            record_id=f"r{i}",
            query="q",
            answer="a",
            chunks=[],
            time_start="2025-03-01T10:00:00.000000Z",
            watermark=Watermark(True, "wm", p),
        )
        store.append([canonical_bytes(rec.to_body())])
    store.close()
    s = build_report(path, tmp_path / "r.html")
    assert s.watermarked_share == 1.0 and s.detected_share == pytest.approx(1 / 3)
    assert f"detected (p &lt; {DEFAULT_THRESHOLD})" in (tmp_path / "r.html").read_text()


def test_user_text_is_escaped(log, tmp_path):
    out = tmp_path / "r.html"
    build_report(log, out)
    html = out.read_text()
    assert "<script>" not in html and "<img src=x>" not in html and "<b>eve</b>" not in html
    assert "&lt;script&gt;alert(&#39;q&#39;)&lt;/script&gt;" in html
    assert "hallucinated &lt;img src=x&gt;" in html and "&lt;b&gt;eve&lt;/b&gt;" in html


def test_charts_are_embedded_pngs(log, tmp_path):
    out = tmp_path / "r.html"
    build_report(log, out)
    images = re.findall(
        r'<img alt="[^"]*" src="data:image/png;base64,([A-Za-z0-9+/=]+)"', out.read_text()
    )
    assert len(images) == 2
    assert all(base64.b64decode(b).startswith(PNG) for b in images)
    assert "http://" not in out.read_text() and "https://" not in out.read_text()


def test_no_public_key_is_said(log, tmp_path):
    out = tmp_path / "r.html"
    s = build_report(log, out)
    assert s.verified and not s.verification["signatures_checked"]
    assert "No public key was given" in out.read_text()


def test_tampered_log_shows_failure(log, tmp_path, keypair):
    c = sqlite3.connect(log, isolation_level=None)
    c.execute("DROP TRIGGER rag_audit_events_no_update")
    c.execute("UPDATE rag_audit_events SET body = replace(body, 'q5', 'q6') WHERE seq = 11")
    c.close()
    out = tmp_path / "r.html"
    s = build_report(log, out, public_key=keypair[1])
    assert not s.verified and s.verification["reason"] == "modified"
    html = out.read_text()
    assert "Verification FAILED" in html and "event 11" in html and "rec-5" in html


@pytest.mark.parametrize("threshold, failed", [(0.6, True), (0.4, False), (0.5, False)])
def test_fail_under_gate(log, tmp_path, threshold, failed):
    s = build_report(log, tmp_path / "r.html", fail_under=threshold)
    assert s.failed is failed and str(threshold) in s.gate_message


def test_gate_fails_without_evaluations(tmp_path):
    path = tmp_path / "empty.db"
    open_store(path).close()
    s = build_report(path, tmp_path / "r.html", fail_under=0.1)
    assert s.records == 0 and s.failed and "no answer was evaluated" in s.gate_message
    assert "No answer has a faithfulness evaluation yet" in (tmp_path / "r.html").read_text()


def test_bad_arguments(log, tmp_path):
    with pytest.raises(AuditError, match="between 0 and 1"):
        build_report(log, tmp_path / "r.html", fail_under=2)
    with pytest.raises(AuditError, match="does not exist"):
        build_report(log, tmp_path / "missing" / "r.html")


# -- three-way verdicts from the real AlignedScorer (real MiniLM) ---------------------------------
SHOP = [
    Chunk(
        id="shop#0",
        text="Items bought in the spring sale cannot be refunded, but they can be exchanged "
        "within 14 days. Customers who paid with PayPal usually see the money within 48 hours "
        "of approval.",
    ),
    Chunk(
        id='shop#1"onmouseover="alert(1)',
        text="Since 1 March 2024, store credit is offered as an alternative to a refund and comes "
        "with a 10 percent bonus. Returns are inspected at the warehouse in Leeds before any "
        "refund is issued. <script>alert('chunk')</script> Gift cards never expire.",
    ),
]
PAID = "PayPal customers usually receive the money within 48 hours after approval."
LEEDS = "Returns are inspected at the warehouse in Manchester before any refund is issued."
# (algorithm 4 judges "... transferred to a friend as a gift card." supported beside "Gift cards
# never expire": a known false positive of it; this sentence is plainly not found)
GIFT = "Store credit can also be paid out in cash at any branch after six months."
EVIL = "<script>alert('chunk')</script> Gift cards never expire."


@pytest.fixture(scope="module")
def verdict_log(tmp_path_factory):
    """A real log scored by the default scorer: one answer with a supported, a contradicted, a
    not-found sentence and a sentence that quotes the chunk's <script> payload."""
    from rag_audit import Auditor
    from rag_audit.faithfulness import get_default_scorer

    path = tmp_path_factory.mktemp("rep") / "audit.db"
    with Auditor(path, scorer=get_default_scorer()) as a:
        with a.trace("refunds <script>alert('q')</script>?") as t:
            t.add_chunks(SHOP)
            t.set_answer(f"{PAID} {LEEDS} {GIFT} {EVIL}")
        a.flush()
    with open_store(path) as st:
        rec = st.get(t.record_id)
    return path, rec


def _answer_block(html):
    start = html.index('<div class="answer"')
    return html[start : html.index("</div>\n\n", start)]


def test_contradicted_and_not_found_are_coloured_differently(verdict_log, tmp_path):
    from rag_audit.verdict_view import sentence_views

    path, rec = verdict_log
    views = sentence_views(rec)
    assert [v.verdict for v in views[:3]] == ["supported", "contradicted", "not_found"]
    s = build_report(path, tmp_path / "r.html")
    html = _answer_block((tmp_path / "r.html").read_text())
    assert re.search(
        r'<span class="v-contradicted"[^>]*><a href="#r1-s1">' + re.escape(LEEDS), html
    )
    assert re.search(r'<span class="v-not_found"[^>]*>' + re.escape(GIFT) + "</span>", html)
    assert "(entity: Manchester vs Leeds" in html
    css = (tmp_path / "r.html").read_text()
    rules = {k: re.search(r"\.v-" + k + r" \{([^}]*)\}", css).group(1) for k in
             ("supported", "contradicted", "not_found")}  # fmt: skip
    assert len(set(rules.values())) == 3  # three different looks
    assert s.verdicts == {v: sum(x.verdict == v for x in views) for v in s.verdicts}


def test_supported_sentence_links_to_its_evidence_inside_its_chunk(verdict_log, tmp_path):
    from rag_audit.verdict_view import sentence_views

    path, rec = verdict_log
    build_report(path, tmp_path / "r.html")
    html = _answer_block((tmp_path / "r.html").read_text())
    v = sentence_views(rec)[0]
    assert re.search(r'<span class="v-supported"[^>]*><a href="#r1-s0">' + re.escape(PAID), html)
    # the anchor sits inside shop#0's block, right before the highlighted evidence span
    m = re.search(r'<span id="r1-s0"></span><mark class="e-supported"[^>]*>([^<]*)</mark>', html)
    assert m and m.group(1) == v.evidence
    block = html[html.rindex('<div class="chunk">', 0, m.start()) : m.start()]
    assert "<code>shop#0</code>" in block
    # the not-found sentence links nowhere (its span is only the closest piece)
    assert 'href="#r1-s2"' not in html and 'id="r1-s2"' not in html


def test_script_payload_in_chunk_sentence_and_ids_is_escaped(verdict_log, tmp_path):
    from rag_audit.verdict_view import sentence_views

    path, rec = verdict_log
    views = sentence_views(rec)
    assert views[3].text == EVIL and views[3].evidence is not None
    build_report(path, tmp_path / "r.html")
    html = (tmp_path / "r.html").read_text()
    assert "<script>" not in html and 'onmouseover="alert' not in html
    assert "&lt;script&gt;alert(&#39;chunk&#39;)&lt;/script&gt;" in html
    assert "&lt;script&gt;alert(&#39;q&#39;)&lt;/script&gt;" in html  # the query
    assert "shop#1&#34;onmouseover=&#34;alert(1)" in html  # the chunk id, inside an attribute too


def test_hostile_evidence_spans_do_not_break_the_report(verdict_log, tmp_path):
    import shutil

    src, rec = verdict_log
    path = tmp_path / "hostile.db"
    shutil.copy(src, path)
    f = dict(rec.faithfulness)
    f["sentences"] = [dict(x) for x in f["sentences"]]
    f["sentences"][0]["evidence"] = {"chunk_id": "shop#0", "start": 5, "end": 10**9}
    f["sentences"][1]["evidence"] = {"chunk_id": "shop#0", "start": "0", "end": 4}
    f["sentences"][2]["verdict"] = "<b>approved</b>"
    with open_store(path) as st:
        st.append([canonical_bytes(evaluation_body(rec.record_id, f))])
    build_report(path, tmp_path / "r.html")
    html = _answer_block((tmp_path / "r.html").read_text())
    assert 'href="#r1-s0"' not in html and 'href="#r1-s1"' not in html
    assert "evidence unavailable" in html and "<b>approved</b>" not in html
    assert html.count('class="v-not_found"') == 1 and "2 evaluations" in html


def test_list_and_report_read_the_calibrated_answer_score(verdict_log, tmp_path):
    path, rec = verdict_log
    f = rec.faithfulness
    assert f["calibration"] and f["score"] < f["supported_share"]
    s = build_report(path, tmp_path / "r.html")
    assert s.mean_faithfulness == pytest.approx(f["score"])
    with open_store(path, readonly=True) as st:  # what `list --faithfulness-below` runs
        assert [r.record_id for r in st.records(faithfulness_below=f["supported_share"])] == [
            rec.record_id
        ]
        assert list(st.records(faithfulness_below=f["score"])) == []
