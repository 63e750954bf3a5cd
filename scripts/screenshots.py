"""Regenerate docs/screenshots/{overview,records,record}.png: the review console over the log
`make demo` writes (demo_out/), in headless Chromium.

The demo's log, witness and key are copied to a temporary directory first (the demo's files are
not touched); a reviewer signs in there and records a decision about the least faithful answer
with a contradicted sentence (else the least faithful answer),
so the record page shows the override that the signed log now covers. Needs the console extra,
selenium, and the distribution's chromium + chromium-driver.

    make demo && .venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "screenshots-only"


def _serve(app) -> tuple[str, object]:
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=srv.run, daemon=True).start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline:
            raise SystemExit("the console server did not start")
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", srv


def _browser(width: int):
    os.environ.setdefault("SE_OFFLINE", "true")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if chromium is None or driver is None:
        raise SystemExit("install chromium and chromium-driver (apt-get install ...)")
    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--hide-scrollbars"):
        opts.add_argument(arg)
    opts.add_argument(f"--window-size={width},900")
    b = webdriver.Chrome(service=Service(executable_path=driver), options=opts)
    b.implicitly_wait(5)
    return b


def _click_and_wait(b, element) -> None:
    """Click a submit button and wait until its form's response has replaced the page (else the
    next ``get`` races the submission and a screenshot can show the wrong page)."""
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    element.click()
    WebDriverWait(b, 20).until(EC.staleness_of(element))
    WebDriverWait(b, 20).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )


def _shot(b, url: str, out: Path, width: int, max_height: int) -> None:
    """The whole page (up to ``max_height`` px), through the DevTools protocol."""
    import base64

    from selenium.webdriver.support.ui import WebDriverWait

    b.get(url)
    WebDriverWait(b, 20).until(
        lambda d: (
            d.current_url == url and d.execute_script("return document.readyState") == "complete"
        )
    )
    time.sleep(0.3)
    size = b.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    clip = {"x": 0, "y": 0, "width": width, "height": min(max_height, size["height"]), "scale": 1}
    shot = b.execute_cdp_cmd(
        "Page.captureScreenshot", {"format": "png", "clip": clip, "captureBeyondViewport": True}
    )
    out.write_bytes(base64.b64decode(shot["data"]))
    print(f"wrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    demo = ROOT / "demo_out"
    ap.add_argument("--log", type=Path, default=demo / "log" / "audit.db")
    ap.add_argument("--public-key", type=Path, default=demo / "log" / "audit.pub")
    ap.add_argument("--signing-key", type=Path, default=demo / "keys" / "audit.key")
    ap.add_argument("--witness", type=Path, default=demo / "witness" / "checkpoints.jsonl")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    ap.add_argument("--width", type=int, default=1280)
    args = ap.parse_args()
    for p in (args.log, args.public_key, args.signing_key, args.witness):
        if not p.exists():
            raise SystemExit(f"{p} does not exist: run `make demo` first (it writes demo_out/)")

    from selenium.webdriver.common.by import By

    from rag_audit.console.app import create_app
    from rag_audit.console.auth import add_user

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        for src in (args.log, args.public_key, args.signing_key, args.witness):
            shutil.copy2(src, t / src.name)
        add_user(t / "users.json", "reviewer", PASSWORD)
        os.chdir(t)  # the header shows the log as given: a short relative name
        app = create_app(
            args.log.name,
            users_file=t / "users.json",
            public_key=str(t / args.public_key.name),
            witness=[str(t / args.witness.name)],
            signing_key=str(t / args.signing_key.name),
        )
        base, srv = _serve(app)
        b = _browser(args.width)
        try:
            b.get(base + "/login")
            b.find_element(By.ID, "user").send_keys("reviewer")
            b.find_element(By.ID, "password").send_keys(PASSWORD)
            _click_and_wait(b, b.find_element(By.ID, "login"))
            # the least faithful answer with a contradicted sentence (the demo's planted
            # corruption), else the least faithful answer
            rows = []
            for url in ("/records?sort=faithfulness&contradicted=1", "/records?sort=faithfulness"):
                b.get(base + url)
                rows = b.find_elements(By.CSS_SELECTOR, "tr.rec")
                if rows:
                    break
            worst = rows[0].get_attribute("data-record")
            b.get(f"{base}/record/{worst}")
            b.find_element(By.ID, "d-reject").click()
            b.find_element(By.ID, "reason").send_keys(
                "The answer contradicts the retrieved passage; escalate to the docs team."
            )
            _click_and_wait(b, b.find_element(By.ID, "submit-override"))
            _shot(b, base + "/", args.out / "overview.png", args.width, 1600)
            _shot(b, base + "/records?sort=faithfulness", args.out / "records.png", args.width, 900)
            _shot(b, f"{base}/record/{worst}", args.out / "record.png", args.width, 2400)
        finally:
            b.quit()
            srv.should_exit = True


if __name__ == "__main__":
    main()
