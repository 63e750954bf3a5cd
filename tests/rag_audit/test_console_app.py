"""The review console over real logs written by the Auditor, through FastAPI's TestClient:
the verify banner, filters and keyset pages, escaping, access (users file, sessions, CSRF,
read-only), overrides that verify covers, and downloads."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
import stat

import pytest

pytest.importorskip("fastapi", reason="the console extra is not installed (pip install .[console])")
pytest.importorskip("httpx", reason="TestClient needs httpx (the console-test extra)")

from click.testing import CliRunner  # noqa: E402
from console_helpers import ANSI, FORMULA, XSS, make_log  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from rag_audit import Auditor, check_proof, open_store, verify_log  # noqa: E402
from rag_audit.cli import cli  # noqa: E402
from rag_audit.console import auth  # noqa: E402
from rag_audit.console.app import COOKIE, create_app  # noqa: E402
from rag_audit.errors import AuditError  # noqa: E402
from rag_audit.store.pages import RecordQuery, record_page  # noqa: E402

PASSWORD = "correct horse battery"


@pytest.fixture
def log(tmp_path, keypair):
    return make_log(tmp_path, keypair)


@pytest.fixture
def users(tmp_path):
    path = tmp_path / "users.json"
    auth.add_user(path, "reviewer1", PASSWORD)
    return path


def client(log, users=None, **kw) -> TestClient:
    db, pub, key = log
    app = create_app(db, users_file=users, public_key=str(pub), signing_key=str(key), **kw)
    return TestClient(app)


def ids(html: str) -> list[str]:
    return re.findall(r'data-record="([^"]+)"', html)


def csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def sign_in(c: TestClient, user: str = "reviewer1", password: str = PASSWORD):
    token = csrf(c.get("/login").text)
    return c.post(
        "/login", data={"csrf": token, "user": user, "password": password}, follow_redirects=False
    )


def record_ids_by(db: str, **filters) -> dict[str, object]:
    with open_store(db, readonly=True) as s:
        return {r.record_id: r for r in s.records(**filters)}


# -- overview: the banner is verify's verdict ----------------------------------------------------
def test_overview_banner_signed_then_failed_after_a_rewrite(log):
    db, pub, _ = log
    c = client(log)
    page = c.get("/").text
    assert 'data-state="signed"' in page and "Verified: signed log" in page
    assert re.search(r'id="n-records">4<', page)
    from rag_audit.verdict_view import sentence_views

    contradicted = sum(
        v.verdict == "contradicted" for r in record_ids_by(db).values() for v in sentence_views(r)
    )
    assert contradicted == 1 and re.search(r'id="n-contradicted">1<', page)
    con = sqlite3.connect(db)  # the operator rewrites an answer behind the store's back
    con.execute("DROP TRIGGER rag_audit_events_no_update")
    con.execute("UPDATE rag_audit_events SET body = replace(body, 'cheese', 'cheddar') WHERE seq=2")
    con.commit()
    con.close()
    assert not verify_log(db, pub).ok
    page = c.get("/").text
    assert 'data-state="failed"' in page and "FAILED verification" in page


def test_overview_without_public_key_says_unsigned(log):
    db, _, _ = log
    page = TestClient(create_app(db)).get("/").text
    assert 'data-state="unsigned"' in page and "chain only" in page


def test_overview_lists_erasure_events_escaped_and_still_verifies(log):
    from rag_audit.signing import load_private_key

    db, pub, key = log
    assert "No erasures recorded" in client(log).get("/").text
    with Auditor(db, signing_key=load_private_key(key), scorer=None) as a:
        a.record_erasure(
            "erase_user",
            operator="dpo<script>alert(1)</script>",
            reason="ticket \x1b[31m7",
            subject="subj-" + "ab" * 16,
            keys_destroyed=2,
        )
    page = client(log).get("/").text
    section = page[page.index('id="erasures"') :]
    assert "subj-" + "ab" * 16 in section and "erase user" in section
    assert "dpo&lt;script&gt;" in section and "<script>alert" not in page
    assert 'data-state="signed"' in page and verify_log(db, pub).ok


# -- records: filters, sorting, keyset pages ------------------------------------------------------
def test_records_filters_match_the_log(log):
    db, _, _ = log
    recs = record_ids_by(db)
    c = client(log)
    contradicted = ids(c.get("/records?contradicted=1").text)
    assert contradicted == [
        r.record_id for r in recs.values() if r.faithfulness["verdicts"]["contradicted"]
    ]
    assert len(contradicted) == 1
    assert ids(c.get("/records?text=EXPRESS").text) == [
        r.record_id for r in recs.values() if "express" in r.query.lower()
    ]
    assert ids(c.get("/records?user_id=carol").text) == [
        r.record_id for r in recs.values() if r.user_id == "carol"
    ]
    missing = {r.record_id for r in recs.values() if not r.watermark or not r.watermark.applied}
    assert set(ids(c.get("/records?watermark=missing").text)) == missing
    detected = {
        r.record_id for r in recs.values() if r.watermark and (r.watermark.p_value or 1) < 0.01
    }
    assert set(ids(c.get("/records?watermark=detected").text)) == detected
    not_detected = set(recs) - detected
    assert set(ids(c.get("/records?watermark=not_detected").text)) == not_detected
    below = {r.record_id for r in recs.values() if r.faithfulness_score < 0.5}
    assert set(ids(c.get("/records?faithfulness_below=0.5").text)) == below and below
    assert ids(c.get("/records?app=other").text) == []
    assert len(ids(c.get("/records?app=helpdesk&model=smollm2-135m").text)) == 4
    assert ids(c.get("/records?since=2999-01-01").text) == []
    day = min(r.time_start for r in recs.values())[:10]  # from this day on / before it
    assert len(ids(c.get(f"/records?since={day}").text)) == 4
    assert ids(c.get(f"/records?until={day}").text) == []
    page = c.get(f"/records?since={day}&until=2999-01-01").text
    assert f'value="{day}"' in page and len(ids(page)) == 4  # the form shows what was asked


def test_record_page_links_each_sentence_to_its_highlighted_evidence(log):
    db, _, _ = log
    rec = next(r for r in record_ids_by(db).values() if "express" in r.query.lower())
    html = client(log).get(f"/record/{rec.record_id}").text
    link = re.search(r'<a class="v contradicted" id="s0"[^>]*href="#(ev-\d+-0)"', html)
    assert link, "the contradicted sentence links to its evidence"
    mark = re.search(
        rf'<mark class="v contradicted" id="{link.group(1)}"[^>]*>([^<]*)</mark>', html
    )
    assert mark.group(1).strip() == "Express shipping takes 2 days."
    assert "number: 7 vs 2" in html  # the disagreement, in verdict_view's words
    assert 'class="v not_found"' in html  # the unsupported sentence, coloured apart


def test_records_sorted_least_faithful_first_and_newest_first(log):
    db, _, _ = log
    recs = record_ids_by(db)
    c = client(log)
    by_score = sorted(recs.values(), key=lambda r: (r.faithfulness_score, r.evaluation_seq))
    assert ids(c.get("/records?sort=faithfulness").text) == [r.record_id for r in by_score]
    newest = sorted(recs.values(), key=lambda r: r.seq, reverse=True)
    assert ids(c.get("/records").text) == [r.record_id for r in newest]


@pytest.mark.parametrize("sort", ["newest", "oldest", "faithfulness"])
def test_keyset_pages_list_every_record_once(log, sort):
    db, _, _ = log
    with open_store(db, readonly=True) as s:
        whole, _ = record_page(s, RecordQuery(sort=sort), None, 100)
        seen, after = [], None
        while True:
            page, after = record_page(s, RecordQuery(sort=sort), after, 1)
            seen += [r.record_id for r in page]
            if after is None:
                break
    assert seen == [r.record_id for r in whole] and len(seen) == 4


def test_bad_filter_is_a_400_with_a_message(log):
    c = client(log)
    r = c.get("/records?faithfulness_below=2")
    assert r.status_code == 400 and "between 0 and 1" in r.text
    assert c.get("/records?sort=evil").status_code == 400
    assert c.get("/records?after=garbage").status_code == 400


@pytest.mark.postgres
def test_store_pages_filters_on_postgres(tmp_path, keypair, pg_url):
    make_log(tmp_path, keypair, target=pg_url)
    with open_store(pg_url, readonly=True) as s:
        got = {
            name: [r.record_id for r in record_page(s, q)[0]]
            for name, q in {
                "contradicted": RecordQuery(contradicted=True),
                "text": RecordQuery(text="express"),
                "app": RecordQuery(app="helpdesk", model="smollm2-135m"),
                "detected": RecordQuery(watermark="detected"),
                "worst": RecordQuery(sort="faithfulness"),
            }.items()
        }
        recs = {r.record_id: r for r in s.records()}
    express = [k for k, r in recs.items() if "express" in r.query.lower()]
    assert got["contradicted"] == express and got["text"] == express
    assert len(got["app"]) == 4 and len(got["worst"]) == 4
    assert got["worst"] == sorted(recs, key=lambda k: recs[k].faithfulness_score)
    assert [recs[k].watermark.p_value for k in got["detected"]] == [1e-9]


# -- escaping ------------------------------------------------------------------------------------
def test_script_and_ansi_payloads_are_escaped_on_every_page(log):
    db, _, _ = log
    c = client(log)
    evil = [r for r in record_ids_by(db).values() if XSS in r.query][0]
    for url in ("/", "/records", "/review", f"/record/{evil.record_id}", "/records?text=script"):
        html = c.get(url).text
        assert "<script>alert" not in html and "<img src=x" not in html, url
        assert "\x1b" not in html, url
    html = c.get(f"/record/{evil.record_id}").text
    assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in html  # shown, inert
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # the user id
    assert "\\x1b[31mRED" in html  # the ANSI escape made visible


# -- access ------------------------------------------------------------------------------------
def test_without_users_the_console_is_read_only(log):
    db, _, _ = log
    c = client(log)
    rid = next(iter(record_ids_by(db)))
    page = c.get(f"/record/{rid}").text
    assert 'id="read-only"' in page and "Read-only console" in page
    assert "override-form" not in page and 'name="decision"' not in page
    r = c.post(f"/record/{rid}/override", data={"csrf": "x", "decision": "reject", "reason": "x"})
    assert r.status_code == 403 and "read-only" in r.text
    assert record_ids_by(db)[rid].overrides == []


def test_override_records_the_signed_in_user_and_verify_covers_it(log, users):
    db, pub, _ = log
    c = client(log, users)
    assert sign_in(c).status_code == 303
    rid = ids(c.get("/review").text)[0]  # the least faithful unreviewed record
    page = c.get(f"/record/{rid}").text
    assert 'id="override-form"' in page and 'id="signed-in">reviewer1<' in page
    r = c.post(
        f"/record/{rid}/override",
        data={
            "csrf": csrf(page),
            "decision": "correct",
            "reason": "contradicts the shipping policy",
            "correction": "Express shipping takes 2 days.",
            "reviewer": "mallory",  # not a field the console reads
        },
    )
    assert r.status_code == 200  # followed the redirect to the record
    assert "contradicts the shipping policy" in r.text and "reviewer1" in r.text
    (ov,) = record_ids_by(db)[rid].overrides
    assert ov["reviewer"] == "reviewer1" and ov["decision"] == "correct"
    result = verify_log(db, pub)
    assert result.ok and result.signed_size == result.count  # signed over the override too
    assert rid not in ids(c.get("/review").text)  # reviewed: out of the queue
    assert rid in ids(c.get("/records?reviewed=1").text)


def test_post_without_a_valid_csrf_token_is_refused(log, users):
    db, _, _ = log
    c = client(log, users)
    sign_in(c)
    rid = next(iter(record_ids_by(db)))
    before = open_store(db, readonly=True).event_count()
    for data in ({}, {"csrf": "forged"}):
        r = c.post(f"/record/{rid}/override", data={**data, "decision": "accept", "reason": "r"})
        assert r.status_code == 403 and "CSRF" in r.text
    assert open_store(db, readonly=True).event_count() == before
    fresh = TestClient(c.app)  # no session cookie at all: a cross-site form post
    r = fresh.post("/login", data={"csrf": "x", "user": "reviewer1", "password": PASSWORD})
    assert r.status_code == 403


def test_signing_in_wrong_password_then_rate_limited(log, users):
    c = client(log, users)
    r = sign_in(c, password="wrong password")
    assert r.status_code == 401 and "wrong user name or password" in r.text
    r = sign_in(c, user="nobody")  # an unknown name reads the same
    assert r.status_code == 401 and "wrong user name or password" in r.text
    for _ in range(3):
        sign_in(c, password="still wrong")
    r = sign_in(c)  # the right password, but too many failures from this client
    assert r.status_code == 429 and "too many failed sign-ins" in r.text
    assert 'id="signed-in"' not in c.get("/").text


def test_session_cookie_is_signed_httponly_samesite_strict(log, users):
    c = client(log, users)
    r = sign_in(c)
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    assert 'id="signed-in">reviewer1<' in c.get("/").text
    from itsdangerous import URLSafeTimedSerializer

    forged = URLSafeTimedSerializer(b"not the server's key", salt="rag_audit.console")
    c.cookies.clear()
    c.cookies.set(COOKIE, forged.dumps({"csrf": "a", "user": "reviewer1"}))
    assert 'id="signed-in"' not in c.get("/").text  # a forged cookie is nobody


def test_users_file_is_0600_and_holds_no_password(tmp_path, users):
    assert stat.S_IMODE(os.stat(users).st_mode) == 0o600
    text = users.read_text()
    assert PASSWORD not in text and "scrypt$" in text
    stored = json.loads(text)["users"]["reviewer1"]
    assert auth.check_password(PASSWORD, stored) and not auth.check_password("nope", stored)
    assert auth.check_user({"reviewer1": stored}, "reviewer1", PASSWORD)
    assert not auth.check_user({"reviewer1": stored}, "someone", PASSWORD)
    os.chmod(users, 0o644)
    with pytest.raises(AuditError, match="readable by others"):
        auth.load_users(users)


def test_console_user_add_prompts_and_never_prints_the_password(tmp_path):
    path = tmp_path / "u.json"
    r = CliRunner().invoke(
        cli, ["console-user", "add", str(path), "ana"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert r.exit_code == 0, r.output
    assert PASSWORD not in r.output and "Added ana" in r.output
    assert auth.check_password(PASSWORD, auth.load_users(path)["ana"])
    r = CliRunner().invoke(cli, ["console-user", "add", str(path), "bad name"], input="x\nx\n")
    assert r.exit_code == 2 and "not allowed" in r.output


# -- downloads -----------------------------------------------------------------------------------
def test_csv_and_parquet_downloads_hold_the_filtered_records(log):
    import pyarrow.parquet as pq

    db, _, _ = log
    recs = record_ids_by(db)
    c = client(log)
    want = sorted(k for k, r in recs.items() if not r.watermark or not r.watermark.applied)
    r = c.get("/records.csv?watermark=missing")
    assert r.headers["content-disposition"].startswith("attachment")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert sorted(row["record_id"] for row in rows) == want
    table = pq.read_table(io.BytesIO(c.get("/records.parquet?watermark=missing").content))
    assert sorted(table.column("record_id").to_pylist()) == want
    every = list(csv.DictReader(io.StringIO(c.get("/records.csv").text)))
    assert len(every) == 4
    assert not any(v.startswith(("=", "+", "@")) for row in every for v in row.values())
    assert "'" + FORMULA in [row["query"][: len(FORMULA) + 1] for row in every]  # inert


def test_report_and_proof_downloads(log):
    db, pub, _ = log
    c = client(log)
    r = c.get("/report.html")
    assert r.status_code == 200 and "RAG audit report" in r.text
    rid = next(iter(record_ids_by(db)))
    proof = c.get(f"/record/{rid}/proof.json").json()
    assert check_proof(proof, pub).ok and proof["record_id"] == rid


def test_ansi_in_the_answer_reaches_no_page_raw(log):
    db, _, _ = log
    c = client(log)
    assert all("\x1b" not in c.get(f"/record/{k}").text for k in record_ids_by(db))
    assert ANSI not in c.get("/records").text


# -- the CLI ---------------------------------------------------------------------------------------
def test_serve_refuses_a_users_file_others_can_read_and_warns_on_all_interfaces(log, users):
    db, _, _ = log
    os.chmod(users, 0o644)
    r = CliRunner().invoke(cli, ["serve", db, "--host", "0.0.0.0", "--users", str(users)])
    assert r.exit_code == 2
    assert "WARNING: listening on 0.0.0.0" in r.output
    assert "readable by others" in r.output and "Traceback" not in r.output


def test_serve_a_missing_log_is_one_line_exit_2(tmp_path):
    r = CliRunner().invoke(cli, ["serve", str(tmp_path / "nope.db")])
    assert r.exit_code == 2 and "does not exist" in r.output
    assert not (tmp_path / "nope.db").exists()  # never created by a reader


@pytest.mark.postgres
def test_console_over_postgresql_filters_and_records_an_override(tmp_path, keypair, pg_url, users):
    _, pub, key = make_log(tmp_path, keypair, target=pg_url)
    c = TestClient(create_app(pg_url, users_file=users, public_key=str(pub), signing_key=str(key)))
    assert 'data-state="signed"' in c.get("/").text
    (rid,) = ids(c.get("/records?contradicted=1&app=helpdesk").text)
    sign_in(c)
    page = c.get(f"/record/{rid}").text
    r = c.post(
        f"/record/{rid}/override",
        data={"csrf": csrf(page), "decision": "reject", "reason": "wrong delivery time"},
    )
    assert r.status_code == 200 and "wrong delivery time" in r.text
    assert ids(c.get("/records?reviewed=1").text) == [rid]
    result = verify_log(pg_url, pub)
    assert result.ok and result.signed_size == result.count


# -- the record page's watermark result, recomputed with --watermark-key --------------------------
WM_RECORDED_P = 0.02  # what the app stored: differs from the console's recomputed p-value


@pytest.fixture(scope="module")
def wm_log(tmp_path_factory, keypair, model_and_tokenizer, human_paragraphs):
    """A log (real Auditor) whose answers are: text generated with the watermark by the bundled
    model, human text, a <script>/ANSI payload, and a 100 KB human answer; with the key and config
    files. Returns (db, key file, config file, {name: answer})."""
    from watermark.config import WatermarkConfig
    from watermark.generate import generate_watermarked
    from watermark.keys import WatermarkKey

    model, tok = model_and_tokenizer
    d = tmp_path_factory.mktemp("wm-console")
    # a fixed key: with a random one, one CI run in many drew a key under which the bundled model
    # fell into a loop and the answer had fewer than 16 scored tokens ("too short to decide")
    key = WatermarkKey(b"console-test-watermark-key-0123456789")
    cfg = WatermarkConfig(gamma=0.25, delta=4.0).bind(key=key, tokenizer=tok)
    key.save(d / "wm.key")
    cfg.save(d / "wm.json")
    [marked] = generate_watermarked(
        model,
        tok,
        ["Explain how rain forms."],
        cfg,
        key,
        max_new_tokens=100,
        min_new_tokens=80,
        seed=3,
    )
    human = human_paragraphs[0]
    big = ""
    while len(big) < 100_000:
        big += " ".join(human_paragraphs[:20]) + "\n"
    answers = {
        "marked": marked,
        "human": human,
        "xss": f"{XSS} {ANSI} {human}",
        "big": big,
    }
    db = str(d / "audit.db")
    with Auditor(db, signing_key=keypair[0], scorer=None, app="helpdesk") as a:
        for name, answer in answers.items():
            with a.trace(f"question {name}", user_id="u") as t:
                t.set_answer(answer)
                if name == "marked":
                    t.set_watermark(True, key.key_id, WM_RECORDED_P)
        a.flush()
    return db, d / "wm.key", d / "wm.json", answers


def wm_pages(wm_log, **kw) -> dict[str, str]:
    """Each record's page (by answer name), from a console started with ``kw``."""
    db, _, _, answers = wm_log
    c = TestClient(create_app(db, **kw))
    by_answer = {r.answer: r.record_id for r in record_ids_by(db).values()}
    return {name: c.get(f"/record/{by_answer[a]}").text for name, a in answers.items()}


def token_view(page: str) -> str:
    return re.search(r'<pre class="text tokens" id="wm-tokens">(.*?)</pre>', page, re.S).group(1)


@pytest.fixture(scope="module")
def wm_keyed_pages(wm_log):
    _, key, cfg, _ = wm_log
    return wm_pages(wm_log, watermark_keys=[str(key)], watermark_config=str(cfg))


def test_record_page_colours_the_watermarked_answer_and_shows_the_detector_p_value(
    wm_log, wm_keyed_pages, tokenizer
):
    from watermark.config import WatermarkConfig
    from watermark.detector import WatermarkDetector
    from watermark.highlight import format_p

    _, key, cfg, answers = wm_log
    expected = WatermarkDetector(tokenizer, WatermarkConfig.load(cfg), str(key)).detect(
        answers["marked"]
    )
    page = wm_keyed_pages["marked"]
    assert expected.verdict == "watermarked"
    assert 'data-verdict="watermarked"' in page
    assert re.search(r'id="wm-p">' + re.escape(format_p(expected.p_value)) + " ", page)
    assert f"{expected.num_green} / {expected.num_scored}" in page
    # the recorded p-value is still shown, labelled as the stored one
    assert "p = 0.02" in page and "recorded when the answer was written" in page
    view = token_view(page)
    green = re.findall(r'<span class="tok g" title="green">', view)
    red = re.findall(r'<span class="tok r" title="red">', view)
    assert len(green) > len(red) >= 0 and len(green) >= expected.num_green - 2
    # the coloured pieces add up to the answer (nothing lost, nothing added)
    import html as html_mod

    assert html_mod.unescape(re.sub(r"<[^>]+>", "", view)) == answers["marked"]
    assert "pass <code>--watermark-key</code>" not in page


def test_record_page_human_answer_is_not_watermarked(wm_keyed_pages):
    page = wm_keyed_pages["human"]
    assert 'data-verdict="not watermarked"' in page
    view = token_view(page)
    assert '<span class="tok r"' in view and '<span class="tok g"' in view


def test_record_page_token_view_escapes_script_and_ansi(wm_keyed_pages):
    page = wm_keyed_pages["xss"]
    view = token_view(page)
    assert "<script>" not in page and "\x1b" not in page
    assert "&lt;" in view and "script" in view and "\\x1b" in view


def test_record_page_caps_the_tokens_of_a_100kb_answer(wm_keyed_pages):
    from rag_audit.console.app import WM_MAX_TOKENS

    page = wm_keyed_pages["big"]
    m = re.search(r"Showing the first (\d+) of (\d+) tokens", page)
    assert m and int(m.group(1)) == WM_MAX_TOKENS < int(m.group(2))
    assert len(re.findall(r'<span class="tok ', token_view(page))) <= WM_MAX_TOKENS
    assert 'data-verdict="not watermarked"' in page  # the verdict covers every token


def test_record_page_without_watermark_key_shows_the_hint(wm_log):
    page = wm_pages(wm_log)["marked"]
    assert "pass <code>--watermark-key</code>" in page
    assert 'id="wm-tokens"' not in page and "p = 0.02" in page


def test_serve_bad_watermark_key_is_one_line_exit_2(wm_log, tmp_path):
    db, key, cfg, _ = wm_log
    bad = tmp_path / "bad.key"
    bad.write_text("not a key\n")
    for args in (["--watermark-key", str(bad)], ["--watermark-config", str(cfg)]):
        r = CliRunner().invoke(cli, ["serve", db, *args])
        assert r.exit_code == 2, r.output
        errors = [ln for ln in r.output.splitlines() if ln.startswith("Error:")]
        assert len(errors) == 1 and "Traceback" not in r.output
        assert "watermark" in errors[0]
    other = tmp_path / "other.key"
    from watermark.keys import WatermarkKey

    WatermarkKey.generate().save(other)
    r = CliRunner().invoke(
        cli, ["serve", db, "--watermark-key", str(other), "--watermark-config", str(cfg)]
    )
    assert r.exit_code == 2 and "key_id" in r.output


def test_serve_config_for_another_tokenizer_stops_before_listening(wm_log, tmp_path, monkeypatch):
    import uvicorn

    from watermark.config import WatermarkConfig

    listened = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: listened.append(kw))  # never serve
    db, key, cfg, _ = wm_log
    wrong = tmp_path / "wrong-tokenizer.json"
    d = json.loads(WatermarkConfig.load(cfg).to_json())
    d["vocab_size"] += 1  # as if made for another tokenizer
    wrong.write_text(json.dumps(d))
    r = CliRunner().invoke(
        cli, ["serve", db, "--watermark-key", str(key), "--watermark-config", str(wrong)]
    )
    errors = [ln for ln in r.output.splitlines() if ln.startswith("Error:")]
    assert r.exit_code == 2 and len(errors) == 1 and "tokenizer" in errors[0], r.output
    assert "Traceback" not in r.output and listened == []
