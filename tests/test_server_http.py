"""The HTTP server ``serve`` runs (``server/http_server.py``) with a small WSGI app, the
answers kept per graph version (``server/answer_cache.py``), and pyoxigraph's own
JSON for SELECTs without a LIMIT, still cut at the row cap: text in, bytes out."""

from __future__ import annotations

import http.client
import json
import socket
import threading

import pyoxigraph as ox
import pytest

from qharmony.queries.evaluation import _rows_at_most, evaluate, evaluate_encoded, top_level
from qharmony.server.answer_cache import AnswerCache
from qharmony.server.http_server import LeanServer

#: an answer larger than the socket buffers hold, so a client that does not read it blocks the sending thread
BIG = 32 * 1024 * 1024


def _app(environ, start_response):
    path = environ["PATH_INFO"]
    if path == "/boom":
        raise RuntimeError("secret detail")
    if path == "/big":
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(BIG))])
        return [b"x" * BIG]
    if path == "/stream":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return (b"part %d\n" % i for i in range(3))
    body = json.dumps(
        {
            "method": environ["REQUEST_METHOD"],
            "path": path,
            "query": environ["QUERY_STRING"],
            "body": environ["wsgi.input"].read().decode(),
            "host": environ.get("HTTP_HOST"),
            "sneaky": environ.get("HTTP_X_USER"),
        }
    ).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


@pytest.fixture(scope="module")
def server():
    srv = LeanServer(_app, "127.0.0.1", 0, threads=4, max_body=1000, timeout=5)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.close()


def _raw(server, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as conn:
        conn.sendall(data)
        out = b""
        while chunk := conn.recv(65536):
            out += chunk
        return out


def test_keep_alive_requests_bodies_and_paths_reach_the_app(server):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    conn.request("GET", "/a%20b?x=1")
    first = conn.getresponse()
    assert first.status == 200 and json.loads(first.read())["path"] == "/a b"
    conn.request("POST", "/p", body="query=ASK", headers={"Content-Type": "application/x-www-form-urlencoded"})
    second = conn.getresponse()  # the same connection
    seen = json.loads(second.read())
    assert (seen["method"], seen["body"], seen["query"]) == ("POST", "query=ASK", "")
    conn.close()


def test_chunked_bodies_and_expect_continue_are_read(server):
    out = _raw(
        server,
        b"POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n"
        b"Connection: close\r\n\r\n4\r\nASK \r\n3\r\n{ }\r\n0\r\n\r\n",
    )
    assert out.startswith(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK")
    assert json.loads(out.split(b"\r\n\r\n")[-1])["body"] == "ASK { }"


def test_bad_and_oversized_requests_are_refused_before_the_app(server):
    assert _raw(server, b"GET / HTTP/1.1\r\nBad Header: x\r\n\r\n").startswith(b"HTTP/1.1 400")
    assert _raw(server, b"GET / HTTP/3.0\r\n\r\n").startswith(b"HTTP/1.1 505")
    assert _raw(server, b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n").startswith(b"HTTP/1.1 431")
    big = _raw(server, b"POST / HTTP/1.1\r\nContent-Length: 5000\r\n\r\n")  # max_body is 1000
    assert big.startswith(b"HTTP/1.1 413") and json.loads(big.split(b"\r\n\r\n", 1)[1])["status"] == 413
    for length in (b"\xb2", b"9" * 5000):  # latin-1 "\u00b2" is a digit to isdigit(); int() refuses both
        refused = _raw(server, b"POST / HTTP/1.1\r\nContent-Length: " + length + b"\r\n\r\n")
        assert refused.startswith((b"HTTP/1.1 400", b"HTTP/1.1 413")), refused[:40]
    both = b"POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nabc"
    assert _raw(server, both).startswith(b"HTTP/1.1 400")  # the smuggling shape
    # a header with an underscore could pose as another in the environ: dropped
    out = _raw(server, b"GET / HTTP/1.1\r\nX_User: root\r\nConnection: close\r\n\r\n")
    assert json.loads(out.split(b"\r\n\r\n", 1)[1])["sneaky"] is None


def test_a_failing_app_is_a_json_500_without_traceback_and_streams_are_chunked(server):
    out = _raw(server, b"GET /boom HTTP/1.1\r\nHost: h\r\n\r\n")
    assert out.startswith(b"HTTP/1.1 500") and b"secret" not in out and b"Traceback" not in out
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    conn.request("GET", "/stream")
    resp = conn.getresponse()
    assert resp.getheader("Transfer-Encoding") == "chunked" and resp.read() == b"part 0\npart 1\npart 2\n"
    conn.close()


def test_past_its_connections_the_server_answers_503():
    srv = LeanServer(_app, "127.0.0.1", 0, max_connections=1, timeout=5)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        held = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
        held.sendall(b"GET / HTTP/1.1\r\nHost: h\r\n\r\n")
        assert held.recv(100).startswith(b"HTTP/1.1 200")  # its thread holds the one place now
        assert _raw(srv, b"GET / HTTP/1.1\r\n\r\n").startswith(b"HTTP/1.1 503")
        held.close()
    finally:
        srv.close()


def test_a_client_that_does_not_read_its_answer_holds_no_place_among_the_requests_worked_on():
    srv = LeanServer(_app, "127.0.0.1", 0, threads=1, timeout=5)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        slow = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
        slow.sendall(b"GET /big HTTP/1.1\r\nHost: h\r\n\r\n")  # and never reads
        assert slow.recv(20).startswith(b"HTTP/1.1 200")
        out = _raw(srv, b"GET /next HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")
        assert out.startswith(b"HTTP/1.1 200") and b"/next" in out
        slow.close()
    finally:
        srv.close()


def test_kept_answers_are_per_version_and_bounded():
    cache = AnswerCache(max_bytes=10, max_entries=3, max_answer=6)
    environ = {"REQUEST_METHOD": "GET", "QUERY_STRING": "query=ASK", "HTTP_ACCEPT": "x", "HTTP_HOST": "h"}
    key = cache.key("gen-1@1", environ, b"")
    cache.put(key, (200, "m", b"abc", {}))
    assert cache.get(key) == (200, "m", b"abc", {})
    assert cache.get(cache.key("gen-1@1", {**environ, "HTTP_HOST": "other"}, b"")) is None  # another base IRI
    assert cache.get(cache.key("gen-2@5", environ, b"")) is None  # another graph version
    cache.put(cache.key("gen-2@5", environ, b""), (200, "m", b"new", {}))
    assert cache.get(key) is None and len(cache) == 1  # the old version's answers went
    cache.put(cache.key("gen-2@5", environ, b"x"), (400, "m", b"err", {}))  # errors are not kept
    cache.put(cache.key("gen-2@5", environ, b"y"), (200, "m", b"toolong", {}))  # over max_answer
    assert len(cache) == 1
    for body in (b"1234", b"5678"):  # 3 + 4 + 4 bytes > 10: the least recently used goes
        cache.put(cache.key("gen-2@5", environ, body), (200, "m", body, {}))
    assert cache.get(cache.key("gen-2@5", environ, b"")) is None and len(cache) == 2


#: literals that hold the row boundary of pyoxigraph's JSON, "},{"
def test_answers_that_differ_from_one_evaluation_to_the_next_are_never_kept():
    assert AnswerCache.keeps("SELECT ?s WHERE { ?s ?p ?o } LIMIT 3")
    for text in (
        "SELECT (NOW() AS ?t) {}",
        "SELECT (rand() AS ?r) {}",
        "SELECT (STRUUID() AS ?u) {}",
        "SELECT * { SERVICE <http://ex.org/sparql> { ?s ?p ?o } }",
        "SELECT (BNODE() AS ?b) {}",
    ):
        assert not AnswerCache.keeps(text), text
    assert AnswerCache.keeps('SELECT ?s { ?s ?p "NOW" }')  # a literal that says it is not a call


ROWS = [
    ox.Quad(ox.NamedNode(f"http://ex.org/s{i}"), ox.NamedNode("http://ex.org/p"), ox.Literal("v},{" + str(i)))
    for i in range(12)
]


@pytest.fixture(scope="module")
def memory_store() -> ox.Store:
    store = ox.Store()
    store.extend(ROWS)
    return store


def test_a_select_without_limit_is_written_by_the_engine_and_cut_at_the_row_cap(memory_store):
    query = "SELECT ?s ?o WHERE { ?s <http://ex.org/p> ?o }"
    wanted = {"select": "json", "boolean": "json"}
    whole = evaluate_encoded(memory_store, query, None, wanted, 12, 10**6)
    assert whole.body.startswith(b'{"head":') and not whole.truncated  # pyoxigraph's own JSON
    expected = evaluate(memory_store, query, None, 100, 10**6).to_json()["results"]["bindings"]
    assert sorted(map(str, json.loads(whole.body)["results"]["bindings"])) == sorted(map(str, expected))
    cut = evaluate_encoded(memory_store, query, None, wanted, 11, 10**6)  # one row past the cap
    assert cut.truncated and len(json.loads(cut.body)["results"]["bindings"]) == 11
    trailing = query + " VALUES ?s { <http://ex.org/s1> }"  # a LIMIT cannot follow it: the capped way
    answer = evaluate_encoded(memory_store, trailing, None, wanted, 11, 10**6)
    assert len(json.loads(answer.body)["results"]["bindings"]) == 1
    with pytest.raises(Exception, match="syntax") as error:  # the error is about the client's own text
        evaluate_encoded(memory_store, "SELECT ?s WHERE {", None, wanted, 11, 10**6)
    assert "LIMIT" not in str(error.value)


def test_the_row_bound_never_says_fewer_rows_than_there_are():
    body = json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": [{}, {}, {}]}}, separators=(",", ":"))
    assert _rows_at_most(body.encode(), 3) and not _rows_at_most(body.encode(), 2)
    assert top_level("SELECT * { { SELECT * {} LIMIT 3 } } OFFSET 2").limit is None
    assert top_level("SELECT * {} LIMIT 3").limit == 3 and top_level("ASK {}").form == "ASK"
