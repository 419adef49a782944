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
