"""OTLP export of audit records as OpenTelemetry GenAI spans (rag_audit.otlp, `export --otlp`).

A real OTLP/HTTP receiver runs in the test on 127.0.0.1 (an http.server thread that decodes each
ExportTraceServiceRequest with opentelemetry-proto); the logs are written by the real Auditor with
the real default faithfulness scorer, and the CLI runs in a subprocess.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from audit_helpers import OverlapScorer, make_chunks

pytest.importorskip("opentelemetry.sdk", reason="needs the otel extra")
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2  # noqa: E402

from genai_provenance.offline import offline_env  # noqa: E402
from rag_audit import (  # noqa: E402
    AuditError,
    Auditor,
    Chunk,
    generate_keypair,
    open_store,
    save_private_key,
    save_public_key,
    verify_log,
)
from rag_audit.otlp import OTLPSink, export_otlp, parse_headers, traces_endpoint  # noqa: E402

SECRET = "s3cret-token-Zq9"
ENV_SECRET = "env-secret-Xw4"
QUERY = "How long do I have to return an item? Mail me at alice.smith@example.com"
ANSWER = "You can return items within thirty days of purchase."


# -- a small OTLP/HTTP receiver ---------------------------------------------------------------
class Receiver:
    """Accepts POST /v1/traces (protobuf), keeps headers, raw bodies and decoded requests."""

    def __init__(self, status: int = 200) -> None:
        self.status = status
        self.posts: list[dict] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                req = trace_service_pb2.ExportTraceServiceRequest()
                req.ParseFromString(body)
                with receiver.lock:
                    receiver.posts.append(
                        {"path": self.path, "headers": dict(self.headers), "raw": body, "req": req}
                    )
                reply = trace_service_pb2.ExportTraceServiceResponse().SerializeToString()
                self.send_response(receiver.status)
                self.send_header("content-type", "application/x-protobuf")
                self.send_header("content-length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def spans(self) -> list[dict]:
        """Every received span as a dict: ids (hex), parent, name, kind, times, attributes,
        events, status and its resource attributes."""
        out = []
        for post in self.posts:
            for rs in post["req"].resource_spans:
                res = attrs(rs.resource.attributes)
                for ss in rs.scope_spans:
                    for s in ss.spans:
                        out.append(
                            {
                                "trace_id": s.trace_id.hex(),
                                "span_id": s.span_id.hex(),
                                "parent": s.parent_span_id.hex(),
                                "name": s.name,
                                "start": s.start_time_unix_nano,
                                "end": s.end_time_unix_nano,
                                "attrs": attrs(s.attributes),
                                "events": [(e.name, attrs(e.attributes)) for e in s.events],
                                "status": s.status.code,
                                "resource": res,
                            }
                        )
        return out


def attrs(kvs) -> dict:
    out = {}
    for kv in kvs:
        v = kv.value
        out[kv.key] = getattr(v, v.WhichOneof("value")) if v.WhichOneof("value") else None
    return out


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def dead_url() -> str:
    """A 127.0.0.1 URL where nothing listens."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


# -- a log written by the real Auditor --------------------------------------------------------
def write_log(path, key, scorer) -> dict:
    """Three records: a watermarked answer with tokens, one that failed, one overridden."""
    chunks = [
        Chunk(id="policy#1", text="Items can be returned within thirty days of purchase.",
              source="kb/returns.md", score=0.91),
        Chunk(id="policy#2", text="Refunds go to the original payment method.",
              source="kb/refunds.md", score=0.55),
    ]  # fmt: skip
    ids = {}
    with Auditor(path, signing_key=key, scorer=scorer, app="support-bot", model="smollm2") as a:
        with a.trace(QUERY, user_id="user-4711", metadata={"data_source": "kb-v3"}) as t:
            t.add_chunks(chunks)
            t.set_answer(ANSWER)
            t.set_tokens(input=42, output=11)
            t.set_watermark(applied=True, key_id="wm-key", p_value=1e-6)
        ids["good"] = t.record_id
        with pytest.raises(TimeoutError):
            with a.trace("what about gift cards?", user_id="user-4712") as t:
                t.add_chunks(chunks[1:])
                raise TimeoutError("model timed out")
        ids["error"] = t.record_id
        with a.trace("Can I return it after 90 days?", user_id="user-4713") as t:
            t.add_chunks(chunks)
            t.set_answer("Yes, returns are accepted within ninety days.")
        ids["overridden"] = t.record_id
        a.flush()
        a.record_override(ids["overridden"], reviewer="rev-1", decision="reject", reason="wrong")
    return ids


@pytest.fixture(scope="module")
def signed_log(tmp_path_factory):
    """A signed log by the real Auditor and the real default scorer; its ids and key files."""
    from rag_audit.faithfulness import get_default_scorer

    d = tmp_path_factory.mktemp("otlp")
    priv, pub = generate_keypair()
    save_private_key(priv, d / "key.pem")
    save_public_key(pub, d / "key.pub")
    ids = write_log(d / "audit.db", priv, get_default_scorer())
    return {"path": d / "audit.db", "pub": d / "key.pub", "ids": ids}


def run_cli(*args, env_extra=None):
    env = dict(offline_env(), PYTHONIOENCODING="utf-8", **(env_extra or {}))
    return subprocess.run(
        [sys.executable, "-m", "rag_audit.cli", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )


@pytest.fixture(scope="module")
def exported(signed_log):
    """`rag_audit export LOG --otlp URL` run once with an auth header; (process, receiver)."""
    r = Receiver()
    try:
        p = run_cli(
            "export", signed_log["path"], "--otlp", r.url, "--public-key", signed_log["pub"],
            "--otlp-header", f"Authorization=Bearer {SECRET}", "--progress",
            env_extra={"OTEL_EXPORTER_OTLP_HEADERS": f"x-tenant={ENV_SECRET}"},
        )  # fmt: skip
    finally:
        r.close()
    return p, r


def by_record(spans) -> dict:
    """{record id: {"root"|"retrieval"|"generation": span}}."""
    out: dict = {}
    for s in spans:
        role = {"invoke_workflow": "root", "retrieval": "retrieval", "chat": "generation"}[
            s["attrs"]["gen_ai.operation.name"]
        ]
        out.setdefault(s["attrs"]["rag_audit.record.id"], {})[role] = s
    return out


# -- export ------------------------------------------------------------------------------------
def test_export_sends_one_trace_per_record_with_retrieval_and_chat_children(exported, signed_log):
    p, r = exported
    assert p.returncode == 0, p.stderr
    assert "Sent 9 spans for 3 records" in p.stdout and "0 spans failed" in p.stdout
    assert {post["path"] for post in r.posts} == {"/v1/traces"}
    recs = by_record(r.spans())
    assert set(recs) == set(signed_log["ids"].values())
    for rid, spans in recs.items():
        root, ret, gen = spans["root"], spans["retrieval"], spans["generation"]
        assert root["trace_id"] == ret["trace_id"] == gen["trace_id"] == uuid.UUID(rid).hex
        assert root["parent"] == "" and ret["parent"] == gen["parent"] == root["span_id"]
        assert root["start"] <= ret["start"] <= ret["end"] <= gen["start"] <= gen["end"]
        assert gen["end"] <= root["end"]
        assert root["name"] == "invoke_workflow support-bot" and gen["name"] == "chat smollm2"


def test_export_span_times_are_the_record_times(exported, signed_log):
    from rag_audit.otlp import _ns

    _, r = exported
    rid = signed_log["ids"]["good"]
    with open_store(signed_log["path"], readonly=True) as s:
        rec = s.get(rid)
    root = by_record(r.spans())[rid]["root"]
    assert root["start"] == _ns(rec.time_start) and root["end"] == _ns(rec.time_end)


def test_export_gen_ai_attributes(exported, signed_log):
    _, r = exported
    spans = by_record(r.spans())[signed_log["ids"]["good"]]
    ret, gen = spans["retrieval"]["attrs"], spans["generation"]["attrs"]
    assert ret["gen_ai.data_source.id"] == "kb-v3"
    assert json.loads(ret["gen_ai.retrieval.documents"]) == [
        {"id": "policy#1", "score": 0.91},
        {"id": "policy#2", "score": 0.55},
    ]
    assert gen["gen_ai.request.model"] == "smollm2"
    assert gen["gen_ai.usage.input_tokens"] == 42 and gen["gen_ai.usage.output_tokens"] == 11
    other = by_record(r.spans())[signed_log["ids"]["overridden"]]
    assert other["retrieval"]["attrs"]["gen_ai.data_source.id"] == "kb/returns.md,kb/refunds.md"
    assert "gen_ai.usage.input_tokens" not in other["generation"]["attrs"]  # unknown: not sent


def test_export_faithfulness_is_a_gen_ai_evaluation_result_event(exported, signed_log):
    _, r = exported
    with open_store(signed_log["path"], readonly=True) as s:
        f = s.get(signed_log["ids"]["good"]).faithfulness
    gen = by_record(r.spans())[signed_log["ids"]["good"]]["generation"]
    [(name, ev)] = gen["events"]
    assert name == "gen_ai.evaluation.result"
    assert ev["gen_ai.evaluation.name"] == "faithfulness"
    assert ev["gen_ai.evaluation.score.value"] == f["score"]
    assert ev["gen_ai.evaluation.score.label"] == (
        "supported" if f["supported"] else "not_supported"
    )
    v = f["verdicts"]
    assert ev["gen_ai.evaluation.explanation"] == (
        f"supported={v['supported']}, contradicted={v['contradicted']}, not_found={v['not_found']}"
    )
    assert ev["rag_audit.evaluation.scorer"] == f["scorer"] == "minilm-aligned"
    assert ev["rag_audit.evaluation.scorer_version"] == f["scorer_version"]
    failed = by_record(r.spans())[signed_log["ids"]["error"]]
    assert failed["generation"]["events"] == []  # a failed request is not scored
    assert failed["root"]["attrs"]["error.type"] == "TimeoutError"
    assert failed["root"]["status"] == 2  # STATUS_CODE_ERROR


def test_export_custom_attributes_match_the_chain_and_checkpoint(exported, signed_log):
    _, r = exported
    with open_store(signed_log["path"], readonly=True) as s:
        cp = s.checkpoints()[-1]
        recs = {rid: s.get(rid) for rid in signed_log["ids"].values()}
    for rid, spans in by_record(r.spans()).items():
        a = spans["root"]["attrs"]
        assert a["rag_audit.event.seq"] == recs[rid].seq
        assert a["rag_audit.event.hash"] == recs[rid].hash
        assert a["rag_audit.checkpoint.tree_size"] == cp.tree_size >= recs[rid].seq
        assert a["rag_audit.checkpoint.root"] == cp.root
        assert a["rag_audit.checkpoint.key_id"] == cp.key_id
        assert spans["root"]["resource"]["rag_audit.log.verified"] is True
        assert spans["root"]["resource"]["rag_audit.log.signatures_checked"] is True
        assert spans["root"]["resource"]["service.name"] == "support-bot"
    root = by_record(r.spans())[signed_log["ids"]["overridden"]]["root"]
    assert root["attrs"]["rag_audit.override.count"] == 1
    assert [(n, e["rag_audit.override.decision"]) for n, e in root["events"]] == [
        ("rag_audit.override", "reject")
    ]


def test_export_gen_ai_names_are_those_of_the_installed_semantic_conventions(exported):
    from opentelemetry.semconv._incubating.attributes import gen_ai_attributes as g

    known = {v for k, v in vars(g).items() if k.startswith("GEN_AI_") and isinstance(v, str)}
    known |= {m.value for m in g.GenAiOperationNameValues}
    _, r = exported
    used = set()
    for s in r.spans():
        used |= {k for k in s["attrs"] if k.startswith("gen_ai.")}
        used.add(s["attrs"]["gen_ai.operation.name"])
        for _, ev in s["events"]:
            used |= {k for k in ev if k.startswith("gen_ai.")}
    assert "gen_ai.retrieval.documents" in used and "gen_ai.evaluation.score.value" in used
    assert used <= known, used - known


def test_export_headers_arrive_and_are_never_printed(exported):
    p, r = exported
    for post in r.posts:
        headers = {k.lower(): v for k, v in post["headers"].items()}
        assert headers["authorization"] == f"Bearer {SECRET}"
        assert headers["x-tenant"] == ENV_SECRET  # OTEL_EXPORTER_OTLP_HEADERS applies too
    assert SECRET not in p.stdout + p.stderr and ENV_SECRET not in p.stdout + p.stderr
    assert "otlp: 100%" in p.stderr and "3/3" in p.stderr  # the --progress bar, on stderr


def test_export_sends_no_content_by_default(exported):
    _, r = exported
    raw = b"".join(post["raw"] for post in r.posts)
    for text in ("alice.smith", "How long do I have", "thirty days of purchase", "user-47"):
        assert text.encode() not in raw
    assert not any("input.value" in s["attrs"] or "user.id" in s["attrs"] for s in r.spans())


def test_export_with_content_redacts_pii_first(signed_log, receiver):
    s = export_otlp(signed_log["path"], receiver.url, content=True)
    assert s.ok and s.spans_sent == 9
    spans = by_record(receiver.spans())[signed_log["ids"]["good"]]
    root, gen = spans["root"]["attrs"], spans["generation"]["attrs"]
    assert root["input.value"] == QUERY.replace("alice.smith@example.com", "[EMAIL]")
    assert root["output.value"] == ANSWER and root["user.id"] == "[USER_ID]"
    assert json.loads(gen["gen_ai.input.messages"])[0]["parts"][0]["content"] == root["input.value"]
    docs = json.loads(spans["retrieval"]["attrs"]["gen_ai.retrieval.documents"])
    assert docs[0]["content"].startswith("Items can be returned")
    assert b"alice.smith" not in b"".join(post["raw"] for post in receiver.posts)


def test_reexport_sends_the_same_trace_and_span_ids(signed_log, receiver):
    export_otlp(signed_log["path"], receiver.url)
    first = sorted((s["trace_id"], s["span_id"]) for s in receiver.spans())
    receiver.posts.clear()
    export_otlp(signed_log["path"], receiver.url)
    assert sorted((s["trace_id"], s["span_id"]) for s in receiver.spans()) == first
    assert len(set(first)) == 9


def test_export_to_a_dead_endpoint_exits_1_with_the_failure_count(signed_log):
    p = run_cli(
        "export", signed_log["path"], "--otlp", dead_url(), "--otlp-timeout", "0.5",
        "--otlp-header", f"authorization=Bearer {SECRET}",
    )  # fmt: skip
    assert p.returncode == 1, p.stderr
    assert "Sent 0 spans for 3 records" in p.stdout and "9 spans failed" in p.stdout
    assert SECRET not in p.stdout + p.stderr and "Traceback" not in p.stderr


def test_export_rejected_by_the_backend_exits_1_without_printing_headers(signed_log):
    r = Receiver(status=401)
    try:
        p = run_cli(
            "export", signed_log["path"], "--otlp", r.url.replace("//", "//bob:hunter2@"),
            "--otlp-header", f"authorization=Bearer {SECRET}",
        )  # fmt: skip
    finally:
        r.close()
    assert p.returncode == 1 and "9 spans failed" in p.stdout
    assert "bob:***@127.0.0.1" in p.stdout  # the URL's password is masked
    assert r.posts and SECRET not in p.stdout + p.stderr and "hunter2" not in p.stdout + p.stderr


def test_export_refuses_a_log_that_fails_verification_with_require_valid(tmp_path, receiver):
    import sqlite3

    path = tmp_path / "a.db"
    with Auditor(path, scorer=None) as a:
        with a.trace("q") as t:
            t.add_chunks(make_chunks(1, 40))
            t.set_answer("a")
    with sqlite3.connect(path) as c:  # the operator edits the stored query
        c.execute("DROP TRIGGER IF EXISTS rag_audit_events_no_update")
        c.execute("UPDATE rag_audit_events SET body = replace(body, '\"q\"', '\"Q\"')")
    c.close()
    with pytest.raises(AuditError, match="failed verification"):
        export_otlp(path, receiver.url, require_valid=True)
    assert receiver.posts == []
    s = export_otlp(path, receiver.url)  # without it: sent, marked as not verified
    assert not s.verified and receiver.spans()[0]["resource"]["rag_audit.log.verified"] is False


@pytest.mark.parametrize(
    "args, message",
    [
        (["--otlp", "ftp://host:21"], "not an OTLP/HTTP URL"),
        (
            ["--otlp", "http://127.0.0.1:1", "--otlp-header", f"Bearer {SECRET}=="],
            "bad --otlp-header",
        ),
        (["--otlp", "http://127.0.0.1:1", "--otlp-header", SECRET], "bad --otlp-header"),
        (["--otlp", "http://127.0.0.1:1", "--parquet", "out"], "exactly one of"),
        ([], "exactly one of"),
    ],
)
def test_export_usage_errors_are_one_line_exit_2(signed_log, args, message):
    p = run_cli("export", signed_log["path"], *args)
    assert p.returncode == 2 and message in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1 and SECRET not in p.stderr


def test_traces_endpoint_and_headers():
    assert traces_endpoint("http://h:4318") == "http://h:4318/v1/traces"
    assert traces_endpoint("http://h:6006/v1/traces") == "http://h:6006/v1/traces"
    assert traces_endpoint("https://h/api/public/otel/") == "https://h/api/public/otel/v1/traces"
    assert parse_headers(["Authorization=Bearer a=b"]) == {"authorization": "Bearer a=b"}


# -- the live sink -----------------------------------------------------------------------------
def test_live_sink_sends_each_record_after_it_is_written(tmp_path, receiver):
    sink = OTLPSink(receiver.url, timeout=5)
    path = tmp_path / "live.db"
    a = Auditor(path, scorer=OverlapScorer(), app="bot", model="m", sinks=[sink])
    with a.trace("what is the refund policy?") as t:
        t.add_chunks(make_chunks(2, 100))
        t.set_answer("the refund policy allows returns")
    with pytest.raises(RuntimeError):
        with a.trace("boom") as t2:
            raise RuntimeError("x")
    a.flush()
    assert sink.flush(10)
    recs = by_record(receiver.spans())
    with open_store(path, readonly=True) as s:
        stored = s.get(t.record_id)
    root = recs[t.record_id]["root"]["attrs"]
    assert root["rag_audit.event.seq"] == stored.seq and root["rag_audit.event.hash"] == stored.hash
    [(name, ev)] = recs[t.record_id]["generation"]["events"]
    assert name == "gen_ai.evaluation.result" and ev["gen_ai.evaluation.score.value"] == 1.0
    assert recs[t2.record_id]["root"]["attrs"]["error.type"] == "RuntimeError"
    a.close()
    assert sink.sent == 6 and sink.failed == 0 and a.sink_errors == []


def test_live_sink_dead_endpoint_or_failing_sink_never_breaks_the_audit_write(tmp_path, caplog):
    def broken(rec):
        raise ConnectionError("collector down")

    sink = OTLPSink(dead_url(), timeout=0.5, schedule_delay_ms=50)
    path = tmp_path / "dead.db"
    priv, pub = generate_keypair()
    a = Auditor(path, signing_key=priv, scorer=None, sinks=[broken, sink])
    for i in range(3):
        with a.trace(f"q{i}") as t:
            t.add_chunks(make_chunks(1, 40))
            t.set_answer("a")
    a.close()
    assert verify_log(path, pub).ok and verify_log(path, pub).records == 3
    assert len(a.sink_errors) == 3 and "ConnectionError" in a.sink_errors[0]
    assert sink.sent == 0 and sink.failed == 9
    assert "NOT delivered" in caplog.text


def test_sink_and_export_need_a_valid_url():
    with pytest.raises(AuditError, match="not an OTLP/HTTP URL"):
        OTLPSink("localhost:4318")


# -- a real backend: Arize Phoenix ---------------------------------------------------------------
def phoenix_bin() -> str | None:
    """Phoenix's `phoenix` command: $PHOENIX_BIN, or .venv-phoenix/bin/phoenix in the repository
    (a venv of its own: arize-phoenix brings ~850 MB and its own pins of shared packages)."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    for cand in (os.environ.get("PHOENIX_BIN"), os.path.join(root, ".venv-phoenix/bin/phoenix")):
        if cand and os.access(cand, os.X_OK):
            return cand
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url: str):
    import urllib.request

    with urllib.request.urlopen(url, timeout=5) as r:  # noqa: S310 (a 127.0.0.1 URL)
        return json.loads(r.read())


@pytest.mark.slow
def test_phoenix_receives_the_trace_once_even_when_exported_twice(tmp_path):
    exe = phoenix_bin()
    if exe is None:
        why = "Arize Phoenix is not installed: `make phoenix-env` (or set PHOENIX_BIN)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{why} (CI=true: make install-test installs it)")
        pytest.skip(why)
    port = free_port()
    env = dict(
        offline_env(),
        PHOENIX_WORKING_DIR=str(tmp_path / "phoenix"),
        PHOENIX_HOST="127.0.0.1",
        PHOENIX_PORT=str(port),
        PHOENIX_GRPC_PORT=str(free_port()),
        PHOENIX_TELEMETRY_ENABLED="false",
    )
    path = tmp_path / "audit.db"
    with Auditor(path, scorer=OverlapScorer(), app="support-bot", model="smollm2") as a:
        with a.trace("what is the refund policy?") as t:
            t.add_chunks(make_chunks(2, 100))
            t.set_answer("the refund policy allows returns")
    log_file = open(tmp_path / "phoenix.log", "wb")
    proc = subprocess.Popen([exe, "serve"], env=env, stdout=log_file, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):  # it starts in about 30 s here
            try:
                get_json(f"{base}/v1/projects")
                break
            except OSError:
                assert proc.poll() is None, (tmp_path / "phoenix.log").read_text()[-2000:]
                threading.Event().wait(0.5)
        else:
            pytest.fail("Phoenix did not start within 120 s")

        def spans() -> list:
            for _ in range(60):
                data = get_json(f"{base}/v1/projects/default/spans?limit=100")["data"]
                if len(data) >= 3:
                    return data
                threading.Event().wait(0.5)
            return data

        assert export_otlp(path, base).spans_sent == 3
        first = spans()
        assert export_otlp(path, base).spans_sent == 3  # the same ids again
        threading.Event().wait(2)
        again = spans()
    finally:
        proc.terminate()
        proc.wait(30)
        log_file.close()
    assert len(first) == len(again) == 3  # Phoenix keeps one copy per span id
    named = {s["name"]: s for s in first}
    root, gen = named["invoke_workflow support-bot"], named["chat smollm2"]
    assert {s["context"]["trace_id"] for s in first} == {uuid.UUID(t.record_id).hex}
    assert (
        gen["parent_id"]
        == root["context"]["span_id"]
        == named["retrieval kb/doc0.md,kb/doc1.md"]["parent_id"]
    )
    assert root["attributes"]["rag_audit.record.id"] == t.record_id
    assert [e["name"] for e in gen["events"]] == ["gen_ai.evaluation.result"]
    assert gen["span_kind"] == "LLM" and root["span_kind"] == "CHAIN"


def test_export_stops_after_failed_requests_in_a_row(tmp_path):
    path = tmp_path / "many.db"
    with Auditor(path, scorer=None) as a:
        for i in range(10):
            with a.trace(f"q{i}") as t:
                t.add_chunks(make_chunks(1, 40))
                t.set_answer("a")
    s = export_otlp(path, dead_url(), timeout=0.2, batch_size=3, max_failures=2)
    assert s.stopped_early and s.spans_sent == 0
    assert s.spans_failed == 6 and s.records == 2 and s.total == 10
    p = run_cli("export", path, "--otlp", dead_url(), "--otlp-timeout", "0.2")
    assert p.returncode == 1 and "30 spans failed" in p.stdout  # one batch: no early stop


@pytest.mark.postgres
def test_export_from_a_postgresql_log(pg_url, receiver):
    with Auditor(pg_url, scorer=OverlapScorer(), app="bot", model="m") as a:
        with a.trace("what is the refund policy?") as t:
            t.add_chunks(make_chunks(2, 100))
            t.set_answer("the refund policy allows returns")
    s = export_otlp(pg_url, receiver.url)
    assert s.ok and s.spans_sent == 3 and s.verified
    spans = by_record(receiver.spans())[t.record_id]
    assert spans["root"]["attrs"]["rag_audit.event.seq"] == 1
    assert spans["generation"]["events"][0][0] == "gen_ai.evaluation.result"
