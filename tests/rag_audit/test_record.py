"""Canonical JSON: byte-identical to RFC 8785; records round-trip through their canonical form."""

from __future__ import annotations

import json

import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from rag_audit import AuditRecord, Chunk, Watermark
from rag_audit.record import canonical_bytes, sha256_hex, to_json_safe

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53) + 1, 2**53 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda kids: (
        st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=6), kids, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(json_values)
def test_canonical_bytes_equal_rfc8785(value):
    """The fast path (C json encoder) must never differ from the reference implementation."""
    assert canonical_bytes({"v": value}) == rfc8785.dumps(to_json_safe({"v": value}))


def test_tricky_floats_and_keys_are_canonical():
    for v in (
        2.0,
        -0.0,
        1e-9,
        1e21,
        123456789.125,
        0.1,
        1e16,
        5e-324,
        {"é": 1, "z": 2, "\U0001f600": 3},
    ):
        assert canonical_bytes({"v": v}) == rfc8785.dumps({"v": v})
    assert canonical_bytes({"v": float("nan")}) == b'{"v":null}'


def test_record_round_trip_and_otel_names():
    rec = AuditRecord(
        record_id="r1",
        query="q?",
        answer="a.",
        user_id="u-1",
        app="bot",
        model="smollm2",
        model_version="v1",
        chunks=[Chunk(id="c1", text="hello", source="kb/a.md", score=0.5)],
        tokens={"input": 3, "output": 4},
        watermark=Watermark(True, "k1", 1e-9),
        error={"type": "ValueError", "message": "boom"},
        metadata={"x": [1, 2]},
        latency_ms={"total": 1.5},
    )
    body = json.loads(canonical_bytes(rec.to_body()))
    assert body["gen_ai.request.model"] == "smollm2" and body["user.id"] == "u-1"
    assert body["input.value"] == "q?" and body["output.value"] == "a."
    assert body["gen_ai.usage.input_tokens"] == 3
    doc = body["retrieval.documents"][0]
    assert doc["document.id"] == "c1" and doc["document.content"] == "hello"
    assert doc["document.metadata"]["sha256"] == sha256_hex("hello")
    back = AuditRecord.from_body(body)
    assert back.chunks == rec.chunks and back.watermark == rec.watermark
    assert back.error == rec.error and back.tokens == rec.tokens and back.metadata == rec.metadata


def test_unknown_objects_become_text():
    class Thing:
        def __str__(self):
            return "thing"

    assert json.loads(canonical_bytes({"m": {1: Thing(), "t": (1, 2), "big": 2**70}})) == {
        "m": {"1": "thing", "t": [1, 2], "big": str(2**70)}
    }
