"""Shared fixtures: the sample graph is built once per session; a real Oxigraph
server process backs the remote-store tests."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from qharmony.ingest.build import build
from qharmony.queries.store import open_store

#: fixtures that build (or serve) the whole sample graph: a test that uses one is slow
GRAPH_FIXTURES = {"built_store_path", "store", "app", "client", "live_url"}


def pytest_collection_modifyitems(config, items):
    """The fast tier builds no graph: a test that reaches the sample graph without a
    ``slow`` mark is a mistake in the marks, so the run stops and names it instead of
    letting ``-m "not slow"`` quietly build the corpus."""
    unmarked = [
        item.nodeid
        for item in items
        if GRAPH_FIXTURES & set(getattr(item, "fixturenames", ())) and item.get_closest_marker("slow") is None
    ]
    if unmarked:
        raise pytest.UsageError("these tests use the sample graph but are not marked slow: " + ", ".join(unmarked))


@pytest.fixture(scope="session")
def built_store_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("store") / "sample"
    store = open_store(path)
    report = build(store)
    assert report.validation.conforms, report.validation.results
    store.close()
    return path


@pytest.fixture(scope="session")
def store(built_store_path):
    return open_store(built_store_path, read_only=True)


@pytest.fixture(scope="session")
def app(built_store_path):
    from qharmony.server.app import create_app

    return create_app({"STORE": str(built_store_path)})


@pytest.fixture()
def client(app):
    return app.test_client()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def oxigraph_url(tmp_path):
    """A real ``oxigraph serve`` process on loopback; yields its query URL."""
    beside = Path(sys.executable).parent / "oxigraph"
    binary = shutil.which("oxigraph") or (str(beside) if beside.exists() else None)
    if binary is None:
        message = "the oxigraph server binary is not installed (pip install oxigraph)"
        if os.environ.get("QHARMONY_REQUIRE_SERVERS"):
            pytest.fail(message)
        pytest.skip(message)
    port = _free_port()
    proc = subprocess.Popen(
        [binary, "serve", "--location", str(tmp_path / "oxi"), "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=1).read()
            break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail("oxigraph serve did not start")
    yield base + "/query"
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="session")
def live_url(built_store_path):
    """The explorer under waitress on a free port, as `qharmony serve` runs it, with a
    2-second query timeout."""
    import threading

    from waitress.server import create_server

    from qharmony.server.app import create_app

    app = create_app({"STORE": str(built_store_path), "TIMEOUT": 2})
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()


# Real Chromium for the browser tests (Playwright driving the system browser).
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def _chromium() -> str | None:
    for candidate in (
        os.environ.get("QHARMONY_CHROMIUM"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="module")
def browser():
    executable = _chromium()
    if executable is None:
        reason = "no Chromium on this machine (apt-get install chromium, or set QHARMONY_CHROMIUM)"
        if os.environ.get("QHARMONY_REQUIRE_BROWSER"):
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=executable, args=FLAGS, headless=True)
        yield chromium
        chromium.close()


#: records Content-Security-Policy violations in window.__csp, for tests to read
CSP_RECORDER = """document.addEventListener("securitypolicyviolation", (e) => {
  (window.__csp = window.__csp || []).push(e.violatedDirective + " " + e.blockedURI);
});"""


@pytest.fixture()
def new_tab(browser, live_url):
    """Open tabs at a width, with JavaScript on or off; every request that leaves
    localhost is blocked, and the test fails if a page tried one."""
    from urllib.parse import urlparse

    contexts, blocked = [], []

    def only_localhost(route):
        if urlparse(route.request.url).hostname in ("127.0.0.1", "localhost"):
            return route.continue_()
        blocked.append(route.request.url)
        return route.abort()

    def open_tab(width: int = 1280, javascript: bool = True):
        context = browser.new_context(
            accept_downloads=True, viewport={"width": width, "height": 900}, java_script_enabled=javascript
        )
        context.route("**/*", only_localhost)
        context.add_init_script(CSP_RECORDER)
        contexts.append(context)
        return context.new_page()

    yield open_tab
    for context in contexts:
        context.close()
    assert blocked == [], f"pages tried to fetch from the network: {blocked}"
