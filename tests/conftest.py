"""Shared fixtures: the sample graph is built once per session; real Oxigraph and
Virtuoso server processes (``engines``) back the remote-store tests."""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import engines
import pytest

from qharmony.ingest.build import build
from qharmony.queries.store import open_store

#: the commands the tests run extract in their own process: a resident extraction
#: process (``ingest/extraction_daemon.py``) would outlive the test that started it;
#: ``tests/test_extraction_daemon.py`` starts and stops its own
os.environ.setdefault("QHARMONY_EXTRACTION_DAEMON", "0")

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


def _missing(engine: str) -> None:
    """Skip when an engine's server is not installed; fail instead where CI requires it."""
    if not engines.available(engine):
        if os.environ.get("QHARMONY_REQUIRE_SERVERS"):
            pytest.fail(engines.MISSING[engine])
        pytest.skip(engines.MISSING[engine])


@pytest.fixture()
def oxigraph_url(tmp_path):
    """A real ``oxigraph serve`` process on loopback; yields its query URL."""
    _missing("oxigraph")
    engine = engines.start_oxigraph(tmp_path / "oxi")
    yield engine.query_url
    engine.stop()


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    """One real Virtuoso 7 server on loopback for the session (it takes seconds to
    start); ``remote_engine`` empties it before each test."""
    _missing("virtuoso")
    engine = engines.start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield engine
    engine.stop()


@pytest.fixture()
def engine_server(request, tmp_path):
    """A function giving an empty real server of the engine named: a fresh Oxigraph
    server (stopped after the test), or the session's Virtuoso with every graph but
    its own dropped."""

    def start(name: str) -> engines.Engine:
        _missing(name)
        if name == "virtuoso":
            engine = request.getfixturevalue("virtuoso")
            engines.empty(engine)
            return engine
        engine = engines.start_oxigraph(tmp_path / f"oxi-{len(os.listdir(tmp_path))}")
        request.addfinalizer(engine.stop)
        return engine

    return start


@pytest.fixture(params=engines.ENGINES)
def remote_engine(request, engine_server):
    """An empty real server of each engine in turn."""
    return engine_server(request.param)


#: the one sample document the review tests build, and their reviewer's password
REVIEW_DOC = "uk-export-control-amendment-2024"
REVIEW_PASSWORD = "a long enough password"


def reviewed_store(root: Path, **build_options) -> tuple[Path, Path]:
    """A store of the one review document under ``root`` (its text in ``root/docs``),
    and a review file with the reviewer ``ana``: what the review tests start from."""
    from qharmony.ingest.build import sample_corpus
    from qharmony.server.accounts import add_user

    docs = root / "docs"
    docs.mkdir()
    shutil.copy(next(p for p in sample_corpus() if p.stem == REVIEW_DOC), docs / f"{REVIEW_DOC}.md")
    store = open_store(root / "store")
    build(store, [docs], reason=False, **build_options)
    store.close()
    add_user(root / "review.sqlite", "ana", REVIEW_PASSWORD)
    return root / "store", root / "review.sqlite"


@contextlib.contextmanager
def serving(config: dict):
    """The explorer under waitress on a free port, as `qharmony serve` runs it."""
    import threading

    from waitress.server import create_server

    from qharmony.server.app import create_app

    server = create_server(create_app(config), host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()


@pytest.fixture(scope="session")
def live_url(built_store_path):
    """The explorer on the sample store, with a 20-second query timeout: the pages'
    answers are what these tests check, and a loaded test machine must not turn a
    cold matrix into a 503."""
    with serving({"STORE": str(built_store_path), "TIMEOUT": 20}) as url:
        yield url


@pytest.fixture(scope="session")
def live_url_short(built_store_path):
    """The explorer on the sample store with a 2-second query timeout, for the tests
    of what a timeout does."""
    with serving({"STORE": str(built_store_path), "TIMEOUT": 2}) as url:
        yield url


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


def block_outside_localhost(context, blocked: list[str]) -> None:
    """Abort every request of a browser context that leaves localhost, noting it in
    ``blocked`` so the test can fail on it."""
    from urllib.parse import urlparse

    def only_localhost(route):
        if urlparse(route.request.url).hostname in ("127.0.0.1", "localhost"):
            return route.continue_()
        blocked.append(route.request.url)
        return route.abort()

    context.route("**/*", only_localhost)


@pytest.fixture()
def tab(browser):
    """One tab of a fresh context, for tests that serve a site of their own; every
    request that leaves localhost is blocked, and the test fails if a page tried one."""
    context = browser.new_context()
    blocked: list[str] = []
    block_outside_localhost(context, blocked)
    yield context.new_page()
    context.close()
    assert blocked == [], f"pages tried to fetch from the network: {blocked}"


@pytest.fixture()
def new_tab(browser, live_url):
    """Open tabs at a width, with JavaScript on or off; every request that leaves
    localhost is blocked, and the test fails if a page tried one."""
    contexts, blocked = [], []

    def open_tab(width: int = 1280, javascript: bool = True):
        context = browser.new_context(
            accept_downloads=True, viewport={"width": width, "height": 900}, java_script_enabled=javascript
        )
        block_outside_localhost(context, blocked)
        context.add_init_script(CSP_RECORDER)
        contexts.append(context)
        return context.new_page()

    yield open_tab
    for context in contexts:
        context.close()
    assert blocked == [], f"pages tried to fetch from the network: {blocked}"
