"""The review console in a real browser: headless Chromium (the distribution's ``chromium`` and
``chromium-driver``) driven by Selenium, against ``rag_audit serve``'s app on a free 127.0.0.1
port, over a signed log written by the real Auditor. A reviewer signs in, filters, opens the
contradicted answer, follows a sentence to its evidence, records a decision, sees it on the
page, and ``verify_log`` then passes over a signed checkpoint that covers the override.

A missing browser skips these tests with a message; with CI=true it fails them."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time

import pytest

pytest.importorskip("fastapi", reason="the console extra is not installed (pip install .[console])")

from console_helpers import XSS, make_log  # noqa: E402

from rag_audit import open_store, verify_log  # noqa: E402
from rag_audit.console import auth  # noqa: E402

PASSWORD = "correct horse battery"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")

pytestmark = pytest.mark.slow


def _need_browser() -> None:
    missing = []
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("the selenium package (pip install .[console-test])")
    if CHROMIUM is None or DRIVER is None:
        missing.append("chromium and chromedriver (apt-get install chromium chromium-driver)")
    if missing:
        msg = "no browser for the console tests: install " + " and ".join(missing)
        if os.environ.get("CI") == "true":
            pytest.fail(msg + " (CI=true)")
        pytest.skip(msg)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path, keypair):
    """(base URL, log, public key): uvicorn serving the console app in a thread."""
    _need_browser()
    import uvicorn

    from rag_audit.console.app import create_app

    db, pub, key = make_log(tmp_path, keypair)
    users = tmp_path / "users.json"
    auth.add_user(users, "reviewer1", PASSWORD)
    app = create_app(db, users_file=users, public_key=str(pub), signing_key=str(key))
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    t = threading.Thread(target=srv.run, daemon=True)
    t.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not t.is_alive():
            pytest.fail("the console server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", db, pub
    srv.should_exit = True
    t.join(10)


@pytest.fixture
def browser():
    _need_browser()
    os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager download a driver
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        opts.add_argument(arg)
    opts.add_argument("--window-size=1400,1000")
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=opts)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


def test_reviewer_signs_in_filters_opens_overrides_and_verify_covers_it(server, browser):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    base, db, pub = server
    b = browser
    b.get(base + "/")
    assert b.find_element(By.ID, "verdict").get_attribute("data-state") == "signed"

    b.get(base + "/login")
    b.find_element(By.ID, "user").send_keys("reviewer1")
    b.find_element(By.ID, "password").send_keys(PASSWORD)
    b.find_element(By.ID, "login").click()
    assert b.find_element(By.ID, "signed-in").text == "reviewer1"
    assert b.current_url.endswith("/review")

    b.get(base + "/records")
    assert len(b.find_elements(By.CSS_SELECTOR, "tr.rec")) == 4
    b.find_element(By.ID, "f-contradicted").click()
    b.find_element(By.ID, "apply").click()
    # the old page's rows are still there until the browser has navigated: wait for the new URL
    WebDriverWait(b, 20).until(lambda d: "contradicted=1" in d.current_url)
    rows = b.find_elements(By.CSS_SELECTOR, "tr.rec")
    assert len(rows) == 1
    record_id = rows[0].get_attribute("data-record")
    rows[0].find_element(By.TAG_NAME, "a").click()

    # the contradicted sentence links to its highlighted evidence in the chunk
    sentence = b.find_element(By.CSS_SELECTOR, "#answer a.v.contradicted")
    assert sentence.text == "Express shipping takes 7 days."
    sentence.click()
    target = b.current_url.rsplit("#", 1)[1]
    mark = b.find_element(By.ID, target)
    assert mark.tag_name == "mark" and "contradicted" in mark.get_attribute("class")
    assert mark.text.strip() == "Express shipping takes 2 days."

    b.find_element(By.ID, "d-correct").click()
    b.find_element(By.ID, "reason").send_keys(f"wrong delivery time {XSS}")
    b.find_element(By.ID, "correction").send_keys("Express shipping takes 2 days.")
    b.find_element(By.ID, "submit-override").click()

    rows = b.find_elements(By.CSS_SELECTOR, "#override-list tr.override")
    assert len(rows) == 1
    cells = [c.text for c in rows[0].find_elements(By.TAG_NAME, "td")]
    assert cells[2:5] == ["reviewer1", "correct", f"wrong delivery time {XSS}"]  # shown as text
    with pytest.raises(NoAlertPresentException):
        b.switch_to.alert  # noqa: B018  (no script from the log or the form ran)

    with open_store(db, readonly=True) as s:
        (ov,) = s.get(record_id).overrides
        count = s.event_count()
    assert ov["reviewer"] == "reviewer1" and ov["seq"] == count
    result = verify_log(db, pub)
    assert result.ok and result.signed_size == count  # the override is under a signature

    b.get(base + "/review")  # reviewed: no longer in the queue
    queued = [r.get_attribute("data-record") for r in b.find_elements(By.CSS_SELECTOR, "tr.rec")]
    assert record_id not in queued and len(queued) == 3


def test_download_links_keep_the_filter_and_signed_out_sees_no_form(server, browser):
    from selenium.webdriver.common.by import By

    base, db, _ = server
    b = browser
    b.get(base + "/records?watermark=missing")
    assert (
        b.find_element(By.ID, "dl-csv")
        .get_attribute("href")
        .endswith("/records.csv?watermark=missing")
    )
    b.get(base + "/records")
    first = b.find_elements(By.CSS_SELECTOR, "tr.rec a")[0]
    first.click()
    assert not b.find_elements(By.ID, "override-form")  # not signed in: no form
    assert b.find_element(By.LINK_TEXT, "Sign in")
