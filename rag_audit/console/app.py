"""The review console: a FastAPI app whose pages are rendered on the server (Jinja2, autoescape)
over one audit log, with every asset served from the package.

Pages: Overview (the verify verdict, counts, faithfulness histogram, watermark coverage),
Records (filters, sorting, keyset pagination, CSV / Parquet / HTML report downloads), Record
(query, chunks, the answer's sentences coloured by verdict and linked to their evidence, the
evaluation history, overrides, chain position and inclusion proof), Review (the queue of
unreviewed records, least faithful first).

Writes: only an override, appended through ``Auditor.record_override`` (as `rag_audit override`
does), with the signed-in user as reviewer. Without a users file the console is read-only: no
form is shown and every POST is refused. Every form carries the session's CSRF token; a POST
without it gets 403. Every stored string is shown with its control characters made visible
(``safe_text``) and then HTML-escaped.
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import jinja2
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from itsdangerous import BadSignature, URLSafeTimedSerializer
from markupsafe import Markup

from genai_provenance.terminal import safe_text

from .. import verdict_view as vv
from ..errors import AuditError
from ..signing import key_id, load_private_key, load_public_key
from ..store.base import Store, open_store
from ..store.pages import RecordQuery, iter_matching, record_page
from ..store.url import display_target
from ..verdict_view import mismatch_text
from . import auth, queries

COOKIE = "rag_audit_console"
SESSION_MAX_AGE_S = 8 * 3600
PAGE_SIZE = 50
WM_MAX_TOKENS = 5_000  # answer tokens shown coloured on a record page (the verdict covers all)
DECISIONS = ("accept", "reject", "correct")
_HERE = Path(__file__).parent


def _finalize(value: Any) -> Any:
    """Every ``{{ }}`` output: control characters (ANSI, OSC...) made visible before escaping."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return safe_text(value)
    return value


def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_HERE / "templates")),
        autoescape=True,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["score"] = lambda x: "—" if not isinstance(x, (int, float)) else f"{x:.3f}"
    env.filters["pct"] = lambda x: "—" if x is None else f"{100 * x:.1f}%"
    env.globals["detect_threshold"] = queries.DEFAULT_THRESHOLD
    env.globals["mismatch_text"] = mismatch_text
    env.filters["path"] = lambda v: quote(str(v), safe="")  # a record id as one URL segment
    return env


class WatermarkCheck:
    """The watermark detector the record page runs on each answer: keys and config loaded (and
    checked) at start, the tokenizer and detector built once, on first use."""

    def __init__(
        self, key_specs: Sequence[str], config_path: str | os.PathLike | None = None
    ) -> None:
        from watermark.config import WatermarkConfig
        from watermark.errors import WatermarkError
        from watermark.keys import KeyRing

        try:
            self.ring = KeyRing.of(list(key_specs))
            self.config = (
                WatermarkConfig.load(config_path) if config_path is not None else WatermarkConfig()
            )
            if self.config.key_id is not None:
                self.ring.find(self.config.key_id)  # the config's key must be among those given
        except WatermarkError as exc:
            raise AuditError(f"--watermark-key/--watermark-config: {exc}") from None
        self.key_ids = [k.key_id for k in self.ring]
        self._detector = None
        self._lock = threading.Lock()

    def detector(self):
        """The WatermarkDetector (tokenizer loaded and checked against the config once)."""
        with self._lock:
            if self._detector is None:
                from genai_provenance.offline import quiet_transformers
                from watermark.detector import WatermarkDetector
                from watermark.errors import WatermarkError
                from watermark.models import load_tokenizer

                quiet_transformers()
                try:
                    self._detector = WatermarkDetector(load_tokenizer(), self.config, self.ring)
                except WatermarkError as exc:
                    raise AuditError(f"watermark detector: {exc}") from None
            return self._detector

    def view(self, answer: str | None) -> dict:
        """The detector's result on ``answer`` and its first WM_MAX_TOKENS tokens as
        ``(text, css class, title)`` pieces; ``error`` says why nothing was scored."""
        from watermark.errors import WatermarkError
        from watermark.highlight import GREEN, RED, SKIPPED, format_p, token_pieces

        if not answer or not answer.strip():
            return {"error": "the record has no answer to check"}
        det = self.detector()
        try:
            result = det.detect(answer)
        except WatermarkError as exc:
            return {"error": str(exc)}
        head = result.head(WM_MAX_TOKENS)
        css = {GREEN: "tok g", RED: "tok r", SKIPPED: "tok s"}
        title = {GREEN: "green", RED: "red", SKIPPED: "not scored"}
        pieces = [
            (text, css.get(state), reason or title.get(state))
            for text, state, reason in token_pieces(head, det.tokenizer)
        ]
        return {
            "result": result,
            "p": format_p(result.p_value),
            "threshold": format_p(result.threshold),
            "pieces": pieces,
            "shown": int(head.token_ids.size),
            "error": None,
        }


class Console:
    """The state of one console: the log (read store), keys, users and session signing."""

    def __init__(
        self,
        log: str,
        *,
        users_file: str | os.PathLike | None = None,
        public_key: Any = None,
        witness: Sequence[str] = (),
        signing_key: Any = None,
        watermark_keys: Sequence[str] = (),
        watermark_config: str | os.PathLike | None = None,
    ) -> None:
        if watermark_config is not None and not watermark_keys:
            raise AuditError("--watermark-config needs --watermark-key (the key that generated)")
        self.watermark = (
            WatermarkCheck(watermark_keys, watermark_config) if watermark_keys else None
        )
        self.log = str(log)
        self.where = display_target(self.log)
        self.store: Store = open_store(self.log, readonly=True)
        self.public_key = load_public_key(public_key) if public_key is not None else None
        self.key_id = key_id(self.public_key) if self.public_key is not None else None
        self.signing_key = load_private_key(signing_key) if signing_key is not None else None
        self.witness = list(witness)
        self.users_file = users_file
        self.users = auth.load_users(users_file) if users_file is not None else {}
        self.read_only = not self.users
        self.overview = queries.OverviewCache(self.public_key, self.witness)
        self.limiter = auth.LoginLimiter()
        self.signer = URLSafeTimedSerializer(secrets.token_bytes(32), salt="rag_audit.console")
        self.env = _env()

    # -- sessions ------------------------------------------------------------------------------
    def session(self, request: Request) -> dict:
        """The signed session of the request, or a new anonymous one (with a CSRF token)."""
        raw = request.cookies.get(COOKIE)
        if raw:
            try:
                s = self.signer.loads(raw, max_age=SESSION_MAX_AGE_S)
                if isinstance(s, dict) and isinstance(s.get("csrf"), str):
                    if s.get("user") is not None and s["user"] not in self.users:
                        s["user"] = None  # removed from the users file since
                    return s
            except BadSignature:
                pass
        return {"csrf": auth.new_csrf_token(), "user": None, "new": True}

    def set_session(self, response: Response, s: dict) -> None:
        data = {"csrf": s["csrf"], "user": s.get("user")}
        response.set_cookie(
            COOKIE,
            self.signer.dumps(data),
            max_age=SESSION_MAX_AGE_S,
            httponly=True,
            samesite="strict",
            secure=False,  # served on 127.0.0.1 over http; put TLS in front when exposed
            path="/",
        )

    async def form(self, request: Request, s: dict) -> dict:
        """The POSTed form after the CSRF check (403 through AccessDenied when it fails)."""
        form = await request.form()
        if not auth.same_token(form.get("csrf"), s.get("csrf")) or s.get("new"):
            raise AccessDenied("the form's CSRF token is missing or wrong; reload the page")
        return {k: v for k, v in form.items() if isinstance(v, str)}

    # -- rendering -----------------------------------------------------------------------------
    def render(self, request: Request, name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        s = ctx.pop("session", None) or self.session(request)
        html = self.env.get_template(name).render(
            console=self,
            user=s.get("user"),
            csrf=s["csrf"],
            read_only=self.read_only,
            page=name.split(".")[0],
            **ctx,
        )
        resp = HTMLResponse(html, status_code=status)
        self.set_session(resp, s)
        return resp


class AccessDenied(Exception):
    """A request the console refuses (403): no CSRF token, read-only, not signed in."""


def _url(path: str, **params: Any) -> str:
    clean = {k: v for k, v in params.items() if v not in (None, "")}
    return path + ("?" + urlencode(clean) if clean else "")


def create_app(
    log: str,
    *,
    users_file: str | os.PathLike | None = None,
    public_key: Any = None,
    witness: Sequence[str] = (),
    signing_key: Any = None,
    watermark_keys: Sequence[str] = (),
    watermark_config: str | os.PathLike | None = None,
) -> FastAPI:
    """The console app over ``log`` (SQLite path or postgresql:// URL). ``users_file``: the
    reviewers who may sign in and record overrides (none: read-only). ``public_key`` and
    ``witness``: what the verify banner checks. ``signing_key``: sign a checkpoint after each
    override (so ``verify --public-key`` covers it at once). ``watermark_keys`` (key files or
    ``env:VAR``, as ``detect_watermark --key``) and ``watermark_config`` (``--config``): the
    record page runs the watermark detector on the answer and colours its tokens."""
    c = Console(
        log,
        users_file=users_file,
        public_key=public_key,
        witness=witness,
        signing_key=signing_key,
        watermark_keys=watermark_keys,
        watermark_config=watermark_config,
    )
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    app.state.console = c
    app.mount("/static", StaticFiles(directory=str(_HERE / "static")), name="static")

    @app.exception_handler(AuditError)
    async def _audit_error(request: Request, exc: AuditError):
        return c.render(request, "error.html", 400, message=str(exc))

    @app.exception_handler(AccessDenied)
    async def _denied(request: Request, exc: AccessDenied):
        return c.render(request, "error.html", 403, message=str(exc))

    @app.middleware("http")
    async def _headers(request: Request, call_next):
        resp = await call_next(request)
        resp.headers["Content-Security-Policy"] = (
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'"
        )
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["Referrer-Policy"] = "same-origin"
        resp.headers["Cache-Control"] = "no-store"
        return resp

    @app.get("/", response_class=HTMLResponse)
    def overview(request: Request):
        ov = c.overview.get(c.store)
        return c.render(request, "overview.html", ov=ov)

    @app.get("/records", response_class=HTMLResponse)
    def records(request: Request):
        params = dict(request.query_params)
        q = queries.parse_query(params)
        after = queries.decode_key(params.get("after", ""), q.sort)
        recs, nxt = record_page(c.store, q, after, PAGE_SIZE)
        keep = q.to_params()
        return c.render(
            request,
            "records.html",
            q=q,
            recs=recs,
            next_url=_url("/records", **keep, after=queries.encode_key(nxt)) if nxt else None,
            first_url=_url("/records", **keep) if after else None,
            csv_url=_url("/records.csv", **keep),
            parquet_url=_url("/records.parquet", **keep),
        )

    def _all(request: Request) -> RecordQuery:
        return queries.parse_query(dict(request.query_params))

    @app.get("/records.csv")
    def records_csv(request: Request):
        q = _all(request)
        rows = queries.export_rows(iter_matching(c.store, q))
        return StreamingResponse(
            queries.rows_csv(rows),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="records.csv"'},
        )

    @app.get("/records.parquet")
    def records_parquet(request: Request):
        q = _all(request)
        data = queries.rows_parquet(queries.export_rows(iter_matching(c.store, q)))
        return Response(
            data,
            media_type="application/vnd.apache.parquet",
            headers={"Content-Disposition": 'attachment; filename="records.parquet"'},
        )

    @app.get("/report.html")
    def report_html():
        from ..report import build_report

        with tempfile.TemporaryDirectory() as d:
            out = Path(d) / "report.html"
            build_report(c.log, out, public_key=c.public_key)
            data = out.read_bytes()
        return Response(
            data,
            media_type="text/html; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="rag_audit_report.html"'},
        )

    def _record(record_id: str):
        rec = c.store.get(record_id)
        if rec is None:
            raise AuditError(f"no record with id {record_id!r} in this log")
        return rec

    @app.get("/record/{record_id}", response_class=HTMLResponse)
    def record(request: Request, record_id: str):
        rec = _record(record_id)
        history = queries.evaluation_history(c.store, record_id)
        views = vv.sentence_views(rec)
        spans = vv.record_chunk_spans(views)
        chunks = [
            (i, ch, vv.chunk_segments(ch.text, spans.get(i, []))) for i, ch in enumerate(rec.chunks)
        ]
        cps = c.store.checkpoints()
        covered = bool(cps) and cps[-1].tree_size >= (rec.seq or 0)
        return c.render(
            request,
            "record.html",
            rec=rec,
            views=views,
            ev=vv.evaluation_view(rec, views),
            chunks=chunks,
            history=history,
            covered=covered,
            checkpoint=cps[-1] if cps else None,
            decisions=DECISIONS,
            wmv=c.watermark.view(rec.answer) if c.watermark is not None else None,
            wm_max_tokens=WM_MAX_TOKENS,
        )

    @app.get("/record/{record_id}/proof.json")
    def proof(record_id: str):
        from ..proofs import prove_record

        p = prove_record(c.store, record_id)
        return Response(
            json.dumps(p, indent=2) + "\n",
            media_type="application/json",
            headers={"Content-Disposition": f'attachment; filename="proof-{p["seq"]}.json"'},
        )

    @app.post("/record/{record_id}/override")
    async def override(request: Request, record_id: str):
        s = c.session(request)
        if c.read_only:
            raise AccessDenied("this console is read-only (started without --users)")
        form = await c.form(request, s)
        if not s.get("user"):
            raise AccessDenied("sign in to record a decision")
        decision = form.get("decision", "")
        if decision not in DECISIONS:
            raise AuditError(f"decision must be one of {', '.join(DECISIONS)}")
        reason = form.get("reason", "").strip()
        correction = form.get("correction", "").strip() or None
        if not reason:
            raise AuditError("give a reason for the decision")
        if decision == "correct" and correction is None:
            raise AuditError("a correction needs the corrected answer or label")
        _record(record_id)
        from ..tracer import Auditor

        with Auditor(
            c.log,
            signing_key=c.signing_key,
            scorer=None,
            witnesses=c.witness if c.signing_key is not None else (),
        ) as auditor:
            auditor.record_override(
                record_id,
                reviewer=s["user"],
                decision=decision,
                reason=reason,
                correction=correction,
            )
        resp = RedirectResponse(f"/record/{quote(record_id, safe='')}#overrides", status_code=303)
        c.set_session(resp, s)
        return resp

    @app.get("/review", response_class=HTMLResponse)
    def review(request: Request):
        params = dict(request.query_params)
        q = RecordQuery(sort="faithfulness", reviewed=False)
        after = queries.decode_key(params.get("after", ""), q.sort)
        recs, nxt = record_page(c.store, q, after, PAGE_SIZE)
        return c.render(
            request,
            "review.html",
            recs=recs,
            next_url=_url("/review", after=queries.encode_key(nxt)) if nxt else None,
        )

    @app.get("/login", response_class=HTMLResponse)
    def login_page(request: Request):
        return c.render(request, "login.html", error=None)

    @app.post("/login")
    async def login(request: Request):
        s = c.session(request)
        if c.read_only:
            raise AccessDenied("this console is read-only (started without --users)")
        form = await c.form(request, s)
        name, password = form.get("user", ""), form.get("password", "")
        client = request.client.host if request.client else "?"
        keys = (f"ip:{client}", f"user:{name}")
        if c.limiter.blocked(*keys):
            return c.render(
                request,
                "login.html",
                429,
                session=s,
                error="too many failed sign-ins; wait a few minutes",
            )
        if not auth.check_user(c.users, name, password):
            c.limiter.failed(*keys)
            return c.render(
                request, "login.html", 401, session=s, error="wrong user name or password"
            )
        new = {"csrf": auth.new_csrf_token(), "user": name}  # a fresh token at sign-in
        resp = RedirectResponse("/review", status_code=303)
        c.set_session(resp, new)
        return resp

    @app.post("/logout")
    async def logout(request: Request):
        s = c.session(request)
        await c.form(request, s)
        resp = RedirectResponse("/", status_code=303)
        c.set_session(resp, {"csrf": auth.new_csrf_token(), "user": None})
        return resp

    return app


def serve(
    log: str,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    **options: Any,
) -> None:
    """Run the console with uvicorn until interrupted. The overview (verify + one pass over the
    records: seconds on a large log) is computed once in the background at start, so the first
    visit finds the figures ready."""
    import threading

    import uvicorn

    app = create_app(log, **options)
    c: Console = app.state.console
    if c.watermark is not None:
        c.watermark.detector()  # a config made for another tokenizer stops here, not on a page

    def warm() -> None:
        try:
            c.overview.get(c.store)
        except Exception:  # the page shows the error when it is visited
            pass

    threading.Thread(target=warm, name="console-overview", daemon=True).start()
    uvicorn.run(app, host=host, port=port, log_level="warning")
