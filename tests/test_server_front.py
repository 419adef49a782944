"""The front door (``server/front.py``) and how ``serve`` starts: /sparql answered
before the pages are imported, with the same answers, errors, headers and budget as
the app's, and the CLI importing only the command that runs."""

from __future__ import annotations

import importlib
import io
import json
import subprocess
import sys
import textwrap
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from qharmony.queries.store import open_store
from qharmony.server import cli, front
from qharmony.server.config import load_config
from qharmony.server.security import SECURITY_HEADERS, client_budget

ROWS = "".join(f'<http://ex.org/s{i}> <http://ex.org/p> "{i}" .\n' for i in range(30)).encode()
SELECT = "SELECT ?s ?o WHERE { ?s <http://ex.org/p> ?o } ORDER BY ?o"


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("front") / "store"
    writer = open_store(path)
    writer.load(ROWS, "nt", "http://ex.org/g")
    writer.close()
    return path


def _environ(query: str | None = None, accept: str = "application/sparql-results+json", path="/sparql", **extra):
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": f"query={quote(query, safe='')}" if query is not None else "",
        "HTTP_HOST": "127.0.0.1:8321",
        "HTTP_ACCEPT": accept,
        "REMOTE_ADDR": "127.0.0.5",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
    }
    environ.update(extra)
    return environ


def _call(app, environ) -> tuple[int, dict[str, str], bytes]:
    seen = {}

    def start_response(status, headers):
        seen["status"], seen["headers"] = int(status.split()[0]), dict(headers)

    body = b"".join(app(environ, start_response))
    return seen["status"], seen["headers"], body


@pytest.fixture
def door(folder, monkeypatch):
    """A front door over the store with no app attached yet: serve before the import."""
    from qharmony.server.store import open_configured_store

    config = load_config({"STORE": str(folder), "RATE_REQUESTS": 3})
    store = open_configured_store(config, read_only=True, isolate=True)
    monkeypatch.setattr(front, "STARTING_WAIT", 0.2)
    yield front.Front(config, store, client_budget(config)), config, store
    store.close()


def test_queries_are_answered_before_the_app_is_there_and_pages_wait_for_it(door):
    gate, config, store = door
    status, headers, body = _call(gate.stack, _environ(SELECT))
    assert status == 200 and headers["Content-Type"] == "application/sparql-results+json"
    assert len(json.loads(body)["results"]["bindings"]) == 30
    assert headers["Access-Control-Allow-Origin"] == "*" and headers["Vary"] == "Accept"
    assert all(headers[name] == value for name, value in SECURITY_HEADERS.items())
    status, _, body = _call(gate.stack, _environ(path="/", accept="text/html"))
    assert status == 503 and json.loads(body)["error"].startswith("the explorer is still starting")

    from qharmony.server.app import create_app

    create_app(config, store=store, front=gate)  # what serve's background import does
    status, headers, body = _call(gate.stack, _environ(path="/queries", accept="text/html"))
    assert status == 200 and headers["Content-Type"].startswith("text/html") and b"<html" in body


def test_the_budget_of_the_front_door_is_the_apps(door):
    gate, config, store = door
    from qharmony.server.app import create_app

    app = create_app(config, store=store, front=gate)
    for _ in range(3):
        assert _call(gate.stack, _environ("ASK { ?s ?p ?o }"))[0] == 200
    status, headers, body = _call(app.wsgi_app, _environ("ASK { ?s ?p ?o }"))
    assert status == 429 and int(headers["Retry-After"]) >= 1
    assert json.loads(body) == {"ok": False, "status": 429, "error": json.loads(body)["error"]}
    assert "budget" in json.loads(body)["error"]


def test_answers_and_errors_are_those_of_the_app(folder):
    """What the workers write is byte for byte what the server wrote from our types."""
    from qharmony.server.app import create_app

    app = create_app({"STORE": str(folder), "RATE_REQUESTS": 0, "RATE_QUERY_SECONDS": 0, "MAX_ROWS": 10})
    client = app.test_client()
    bare = open_store(folder, read_only=True, max_rows=10).query("BASE <http://localhost/sparql>\n" + SELECT)
    for accept, expected in (
        ("application/sparql-results+json", bare.to_json_text()),
        ("text/csv", bare.to_csv()),
        ("text/tab-separated-values", bare.to_tsv()),
        ("application/sparql-results+xml", bare.to_xml()),
    ):
        resp = client.get(f"/sparql?query={quote(SELECT)}", headers={"Accept": accept})
        assert resp.status_code == 200 and resp.data.decode() == expected, accept
        assert resp.headers["X-Qharmony-Truncated"] == "true"
    resp = client.get(f"/sparql?query={quote('ASK { ?s ?p ?o }')}&format=xml")
    assert resp.mimetype == "application/sparql-results+xml" and b"<boolean>true</boolean>" in resp.data
    assert resp.headers["Content-Disposition"] == "attachment; filename=query-results.xml"
    for bad, status in (("SELECT ?s WHERE { ?s ?p }", 400), ("INSERT DATA { <a:b> <a:c> <a:d> }", 400)):
        resp = client.get(f"/sparql?query={quote(bad)}")
        assert resp.status_code == status and resp.mimetype == "application/json"
        assert resp.json["ok"] is False and resp.json["status"] == status and "Traceback" not in resp.json["error"]
    resp = client.get(f"/sparql?query={quote(SELECT)}&format=ttl")
    assert resp.status_code == 400 and "does not fit a SELECT query" in resp.json["error"]


def test_an_internal_error_is_a_json_500_without_traceback(door, monkeypatch):
    gate, _, _ = door

    def broken(*args, **kwargs):
        raise RuntimeError("secret detail")

    monkeypatch.setattr(front, "answer", broken)
    status, _, body = _call(gate.stack, _environ(SELECT))
    assert status == 500 and json.loads(body)["error"] == "internal error: the problem was logged"
    assert b"secret" not in body and b"Traceback" not in body


def test_serve_answers_a_query_without_importing_the_pages_or_the_heavy_libraries(folder):
    """What ``serve`` imports before its first answer: the CLI, the store and its
    workers, the front door; not Flask, rdflib, spaCy, pyshacl or owlready2."""
    script = textwrap.dedent(
        f"""
        import io, json, sys
        from qharmony.server import cli
        from qharmony.server.config import load_config
        from qharmony.server.front import Front
        from qharmony.server.security import client_budget
        from qharmony.server.serving import open_for_serving
        config = load_config({{"STORE": {str(folder)!r}}})
        store = open_for_serving(config)
        gate = Front(config, store, client_budget(config))
        environ = {{"REQUEST_METHOD": "GET", "PATH_INFO": "/sparql", "HTTP_HOST": "127.0.0.1",
                   "QUERY_STRING": "query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D", "REMOTE_ADDR": "127.0.0.1",
                   "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO()}}
        body = b"".join(gate.stack(environ, lambda status, headers: None))
        store.close()
        heavy = sorted(m for m in ("flask", "rdflib", "spacy", "pyshacl", "owlready2", "werkzeug") if m in sys.modules)
        print(json.dumps({{"answer": json.loads(body), "heavy": heavy}}))
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    seen = json.loads(out.stdout)
    assert seen["answer"] == {"head": {}, "boolean": True}
    assert seen["heavy"] == []


def test_every_lazy_command_is_in_its_module_and_every_command_is_listed():
    by_module: dict[str, set[str]] = {}
    for name, module in cli.LAZY_COMMANDS.items():
        by_module.setdefault(module, set()).add(name)
    for module, names in by_module.items():
        found = {c.name for c in cli.module_commands(importlib.import_module(f"qharmony.server.{module}"))}
        assert found == names, module
    for path in Path(cli.__file__).parent.glob("*_cli.py"):
        source = path.read_text()
        if "COMMANDS" in source or "@click.group" in source:
            assert path.stem in by_module, f"{path.name}'s commands are missing from cli.LAZY_COMMANDS"
    out = CliRunner().invoke(cli.main, ["--help"])
    assert out.exit_code == 0 and all(name in out.output for name in cli.LAZY_COMMANDS)


def test_qharmony_serve_answers_queries_then_pages(folder):
    """The real command: /sparql answers, then the pages once imported (a page asked
    for meanwhile waits rather than failing), and errors keep their shapes."""
    import socket
    import time
    import urllib.error
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = [sys.executable, "-m", "qharmony.server.cli_main", "serve", "--store", str(folder), "--port", str(port)]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"

    def get(path: str, accept: str):
        request = urllib.request.Request(base + path, headers={"Accept": accept})
        try:
            with urllib.request.urlopen(request, timeout=60) as resp:
                return resp.status, resp.headers["Content-Type"], resp.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers["Content-Type"], exc.read()

    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, media, body = get(f"/sparql?query={quote(SELECT)}", "application/sparql-results+json")
                break
            except OSError:
                assert time.monotonic() < deadline, "qharmony serve did not start"
                time.sleep(0.05)
        assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 30
        status, media, body = get("/queries", "text/html")
        assert status == 200 and media.startswith("text/html")
        status, media, body = get("/no-such-page", "text/html")
        assert status == 404 and media.startswith("text/html") and b"Traceback" not in body
        status, media, body = get(f"/sparql?query={quote('SELECT ?s WHERE {')}", "text/html")
        assert status == 400 and media.startswith("text/html")  # the editor, the error beside the query
        status, media, body = get(f"/sparql?query={quote('SELECT ?s WHERE {')}", "application/json")
        assert status == 400 and json.loads(body)["ok"] is False
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_an_answer_bounded_by_its_limit_is_written_by_the_engine_and_still_capped(folder):
    """A SELECT whose LIMIT keeps it under the row cap comes as pyoxigraph writes it
    (the same answer as our types); past the row or size cap it is cut as before."""
    from qharmony.server.app import create_app

    def get(config: dict, query: str):
        app = create_app({"STORE": str(folder), "RATE_REQUESTS": 0, "RATE_QUERY_SECONDS": 0, **config})
        return app.test_client().get(f"/sparql?query={quote(query)}", headers={"Accept": "application/json"})

    limited = SELECT + " LIMIT 7"
    bare = open_store(folder, read_only=True).query("BASE <http://localhost/sparql>\n" + limited)
    resp = get({}, limited)
    assert resp.status_code == 200 and resp.mimetype == "application/sparql-results+json"
    assert resp.json == bare.to_json() and "X-Qharmony-Truncated" not in resp.headers
    resp = get({"MAX_ROWS": 5}, limited)  # the LIMIT is above the cap: cut at the cap
    assert len(resp.json["results"]["bindings"]) == 5 and resp.json["truncated"] is True
    resp = get({"MAX_RESULT_BYTES": 200}, limited)  # the engine's answer is too large: cut by size
    assert resp.json["truncated"] is True and len(resp.json["results"]["bindings"]) < 7
    assert resp.headers["X-Qharmony-Truncated"] == "true"


def test_a_repeated_query_is_answered_from_its_graph_version_and_a_new_version_answers_anew(tmp_path):
    """The answer kept for a request (``answer_cache``) is the same answer; once the
    store in service changes, the next one reads the new graph."""
    from qharmony.server.store import open_configured_store

    path = tmp_path / "store"
    writer = open_store(path)
    writer.load(ROWS, "nt", "http://ex.org/g")
    config = load_config({"STORE": str(path), "RATE_REQUESTS": 0, "RATE_QUERY_SECONDS": 0})
    store = open_configured_store(config, read_only=True, isolate=True)
    try:
        gate = front.Front(config, store, client_budget(config))
        first = _call(gate.stack, _environ(SELECT))
        assert first[0] == 200 and len(gate.answers) == 1
        assert _call(gate.stack, _environ(SELECT)) == first  # the same bytes and headers, kept
        assert _call(gate.stack, _environ(SELECT, accept="text/csv"))[1]["Content-Type"].startswith("text/csv")
        assert _call(gate.stack, _environ("SELECT (NOW() AS ?t) {}"))[0] == 200
        assert len(gate.answers) == 2  # the clock's answer is not kept
        writer.load(b'<http://ex.org/new> <http://ex.org/p> "new" .\n', "nt", "http://ex.org/g2")
        status, _, body = _call(gate.stack, _environ(SELECT))
        assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 31
    finally:
        store.close()
        writer.close()


def test_head_on_sparql_gives_the_headers_of_the_answer(folder):
    from qharmony.server.app import create_app

    app = create_app({"STORE": str(folder), "RATE_REQUESTS": 0, "RATE_QUERY_SECONDS": 0})
    head = app.test_client().head(f"/sparql?query={quote(SELECT)}", headers={"Accept": "application/json"})
    get = app.test_client().get(f"/sparql?query={quote(SELECT)}", headers={"Accept": "application/json"})
    assert head.status_code == 200 and head.data == b""
    assert head.headers["Content-Length"] == get.headers["Content-Length"] and head.mimetype == get.mimetype


def test_a_fresh_answer_written_by_the_query_worker_is_the_answer_the_server_writes(door, monkeypatch):
    """Served by ``serve``'s HTTP server, a query evaluated afresh is written to the
    client by its worker (the connection passed to it): the same status, headers and
    body as the answer the server writes itself, on a connection kept alive; an
    answer kept for a repeat is the same again, and errors are the server's."""
    import http.client
    import threading
    import time

    from qharmony.queries import sandbox
    from qharmony.server.http_server import LeanServer

    gate, config, store = door
    gate.budget = client_budget({**config, "RATE_REQUESTS": 0})
    assert store.sandbox.wait_ready(60)  # a worker still opening the store leaves the writing to the server
    kinds: list[str] = []
    run = sandbox.WorkerPool.run

    def recording(self, *args, **kwargs):
        result = run(self, *args, **kwargs)
        kinds.append(type(result).__name__)
        return result

    monkeypatch.setattr(sandbox.WorkerPool, "run", recording)
    server = LeanServer(gate.stack, "127.0.0.1", 0, 4)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)

    def get(query: str, accept: str, **params) -> tuple[int, dict[str, str], bytes]:
        extra = "".join(f"&{k}={v}" for k, v in params.items())
        conn.request("GET", f"/sparql?query={quote(query, safe='')}{extra}", headers={"Accept": accept})
        resp = conn.getresponse()
        return resp.status, {k: v for k, v in resp.getheaders() if k != "Date"}, resp.read()

    def last_run(count: int) -> str:
        """How the last query's answer came back (the client may have it before the pool says)."""
        deadline = time.monotonic() + 10
        while len(kinds) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return kinds[-1]

    try:
        for query, accept, params in [
            (SELECT, "application/sparql-results+json", {}),
            ("ASK { ?s ?p ?o FILTER(?o != 'x') }", "application/sparql-results+xml", {}),
            (SELECT + " LIMIT 3", "", {"format": "csv"}),
        ]:
            status, headers, body = get(query, accept, **params)
            assert status == 200 and last_run(len(kinds) + 1) == "Delivered"  # the worker wrote it
            environ = _environ(query, accept=accept, HTTP_HOST=f"127.0.0.1:{server.port}")
            environ["QUERY_STRING"] += "".join(f"&{k}={v}" for k, v in params.items())
            gate.answers = type(gate.answers)()  # evaluated again, written by the server this time
            mine = _call(gate.stack, environ)
            assert last_run(len(kinds)) != "Delivered"
            assert (status, headers, body) == (mine[0], {**mine[1]}, mine[2])
            assert get(query, accept, **params) == (status, headers, body)  # kept, or evaluated again: the same
        status, headers, body = get("SELECT ?s WHERE {", "application/sparql-results+json")
        assert status == 400 and json.loads(body)["ok"] is False and b"Traceback" not in body
        status, _, body = get(SELECT, "application/sparql-results+json")  # the connection still serves
        assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 30
    finally:
        conn.close()
        server.close()


def test_one_triple_pattern_is_answered_in_the_server_capped_and_as_a_worker_answers_it(folder, monkeypatch):
    """A query ``queries.bounded`` proves cheap (one triple pattern) is evaluated in the
    server's process, no worker asked: the answer a worker gives to the same pattern
    (nested in a group, which sends it to a worker), cut at the row cap and flagged;
    a syntax error in such a shape is the usual 400, and SERVICE is still refused."""
    from qharmony.queries import sandbox
    from qharmony.server.store import open_configured_store

    runs: list[str] = []
    run = sandbox.WorkerPool.run
    monkeypatch.setattr(
        sandbox.WorkerPool, "run", lambda self, gen, text, *a, **k: runs.append(text) or run(self, gen, text, *a, **k)
    )

    def ask(gate, query: str, accept: str = "application/sparql-results+json"):
        return _call(gate.stack, _environ(query, accept=accept, REMOTE_ADDR=f"127.0.9.{len(runs) + 1}"))

    config = load_config({"STORE": str(folder), "RATE_REQUESTS": 0, "MAX_ROWS": 12})
    store = open_configured_store(config, read_only=True, isolate=True)
    gate = front.Front(config, store, client_budget(config))
    try:
        pattern = "SELECT ?s ?o WHERE { ?s <http://ex.org/p> ?o } LIMIT 10"
        status, headers, body = ask(gate, pattern)
        assert status == 200 and runs == [] and "X-Qharmony-Truncated" not in headers
        in_server = json.loads(body)["results"]["bindings"]
        status, _, body = ask(gate, "SELECT ?s ?o WHERE { { ?s <http://ex.org/p> ?o } } LIMIT 10")
        assert status == 200 and len(runs) == 1
        rows = sorted(json.dumps(row, sort_keys=True) for row in in_server)
        assert rows == sorted(json.dumps(row, sort_keys=True) for row in json.loads(body)["results"]["bindings"])
        assert len(rows) == 10
        for uncut in ("SELECT * { ?s ?p ?o }", "SELECT * { ?s ?p ?o } LIMIT 100"):  # 30 rows: cut at 12
            status, headers, body = ask(gate, uncut)
            answer = json.loads(body)
            assert status == 200 and len(answer["results"]["bindings"]) == 12 and answer["truncated"] is True
            assert headers["X-Qharmony-Truncated"] == "true"
        status, _, body = ask(gate, "ASK { ?s <http://ex.org/p> '3' }", "application/sparql-results+xml")
        assert status == 200 and b"<boolean>true</boolean>" in body
        status, _, body = ask(gate, "SELECT * { ?s <http://ex.org/p> ?o } LIMIT 99999999999999999999999")
        assert status == 400 and json.loads(body)["ok"] is False and b"Traceback" not in body
        status, _, body = ask(gate, "SELECT * { SERVICE <http://other.example/sparql> { ?s ?p ?o } }")
        assert status == 400 and b"SERVICE" in body
        assert len(runs) == 2  # and the LIMIT of 23 digits, more than the proof reads: a worker's 400
    finally:
        store.close()


def test_a_plain_serve_line_starts_without_the_command_line_and_any_other_goes_through_click():
    from qharmony.server.serving import HOST, PORT, THREADS, quick_options

    assert quick_options([]) == {"store": None, "host": HOST, "port": PORT, "threads": THREADS}
    assert quick_options(["--store", "s", "--port=9000", "--host", "0.0.0.0", "--threads", "4"]) == {
        "store": "s",
        "host": "0.0.0.0",
        "port": 9000,
        "threads": 4,
    }
    for line in (
        ["--help"],
        ["--port", "0"],
        ["--port", "70000"],
        ["--port", "x"],
        ["--threads", "999"],
        ["--store"],
        ["--store", "--port", "1"],
        ["--port", "1", "--port", "2"],
        ["extra"],
    ):
        assert quick_options(line) is None, line  # click explains what is wrong with it
    out = subprocess.run(
        [sys.executable, "-m", "qharmony.server.cli_main", "serve", "--port", "0"], capture_output=True, text=True
    )
    assert out.returncode == 2 and "--port" in out.stderr and "Traceback" not in out.stderr


def test_a_serve_line_that_cannot_be_served_quickly_leaves_its_port_to_the_command_line(tmp_path, folder):
    """``quick_serve`` listens before it opens the store: a store that is missing (or
    empty: the command line builds the sample first) closes that socket again, so the
    command line can listen on the same port; a port in use is left to it too (it says
    why). Nothing is announced either way."""
    import socket

    from qharmony.server.serving import quick_serve

    announced: list[str] = []
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    line = ["--store", str(tmp_path / "no-store"), "--port", str(port)]
    assert quick_serve(line, announced.append) is False
    with socket.socket() as again:  # the port is free again
        again.bind(("127.0.0.1", port))
        again.listen(1)
        assert quick_serve(["--store", str(folder), "--port", str(port)], announced.append) is False
    assert announced == []
