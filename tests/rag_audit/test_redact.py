"""PII redaction: values gone from the stored bytes, redactions listed, checksums avoid false hits."""

from __future__ import annotations

import sqlite3
from types import SimpleNamespace

from audit_helpers import OverlapScorer
from rag_audit import Auditor, Chunk, Redactor, open_store, verify_log
from rag_audit.redact import iban_ok, luhn_ok

EMAIL = "jane.doe@example.com"
CARD = "4111 1111 1111 1111"  # Luhn-valid test card
IBAN = "DE89 3704 0044 0532 0130 00"  # the standard valid example
PHONE = "+44 20 7946 0958"


def test_checksums():
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")
    assert iban_ok("GB82WEST12345698765432") and not iban_ok("GB82WEST12345698765433")


def test_redact_text_types_and_counts():
    text = f"mail {EMAIL} or {EMAIL}, card {CARD}, iban {IBAN}, call {PHONE}."
    out, counts = Redactor().redact_text(text)
    assert out == "mail [EMAIL] or [EMAIL], card [CARD], iban [IBAN], call [PHONE]."
    assert counts == {"EMAIL": 2, "CARD": 1, "IBAN": 1, "PHONE": 1}


def test_checksum_failures_are_left_alone():
    text = ("order 4111 1111 1111 1112 and account GB82WEST12345698765433 "
            "in 2024-05-01 costs 1,299.00, version 3.11.2")
    out, counts = Redactor().redact_text(text)
    assert "4111 1111 1111 1112" in out and "GB82WEST12345698765433" in out
    assert "2024-05-01" in out and "3.11.2" in out and "1,299.00" in out
    assert not counts.get("CARD") and not counts.get("IBAN")


def test_presidio_like_hook():
    class FakeAnalyzer:  # the shape of presidio_analyzer.AnalyzerEngine.analyze's output
        def analyze(self, text, language, **kw):
            i = text.find("Alice")
            return [SimpleNamespace(entity_type="PERSON", start=i, end=i + 5)] if i >= 0 else []

    out, counts = Redactor(analyzer=FakeAnalyzer()).redact_text(f"Alice wrote from {EMAIL}")
    assert out == "[PERSON] wrote from [EMAIL]" and counts == {"PERSON": 1, "EMAIL": 1}


def test_auditor_redacts_before_hashing_and_storing(tmp_path):
    path = tmp_path / "a.db"
    a = Auditor(path, scorer=OverlapScorer(), redact=True)
    with a.trace(f"my card is {CARD}, mail me at {EMAIL}", user_id="u") as t:
        t.add_chunks([Chunk(id="c1", text=f"customer IBAN {IBAN}", source="crm")])
        t.set_answer(f"We will call {PHONE} and write to {EMAIL}")
    a.close()
    raw = b"".join(r[0] for r in sqlite3.connect(path).execute(
        "SELECT CAST(body AS BLOB) FROM rag_audit_events"))
    for value in (EMAIL, CARD, IBAN, PHONE, "4111111111111111"):
        assert value.encode() not in raw
    s = open_store(path)
    rec = s.get(t.record_id)
    s.close()
    assert rec.query == "my card is [CARD], mail me at [EMAIL]"
    assert rec.chunks[0].text == "customer IBAN [IBAN]"
    assert {(r["type"], r["field"], r["count"]) for r in rec.redactions} == {
        ("CARD", "input.value", 1), ("EMAIL", "input.value", 1),
        ("IBAN", "retrieval.documents[0].document.content", 1),
        ("PHONE", "output.value", 1), ("EMAIL", "output.value", 1), ("USER_ID", "user.id", 1)}
    assert "[EMAIL]" in rec.faithfulness["sentences"][0]["text"]  # evaluation text redacted too
    assert verify_log(path).ok
