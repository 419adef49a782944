"""Fuzzing every route of the explorer over the sample graph, with a fixed seed and a
bounded budget: whatever the path, parameters, headers and body, the answer is never
a 5XX and never shows a traceback."""

from __future__ import annotations

import os
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.slow

#: Requests per run: 300 in CI; QHARMONY_FUZZ_EXAMPLES=10000 for a long run.
EXAMPLES = int(os.environ.get("QHARMONY_FUZZ_EXAMPLES", "300"))

PARAMS = [
    "query",
    "default-graph-uri",
    "named-graph-uri",
    "update",
    "format",
    "q",
    "kind",
    "jurisdiction",
    "a",
    "b",
    "as_of",
    "technology",
    "baseline",
    "from",
    "to",
    "value",
    "entity",
    "code",
]
NASTY = [
    "",
    "%",
    "%ZZ",
    "a b",
    "<x>",
    "javascript:alert(1)",
    "ΣΣ",
    "\x00",
    "9" * 40,
    "2025-02-30",
    "-1",
    "json",
    "csv",
    "xlsx",
    "ttl",
    "US",
    "JP",
    "XX",
    "SELECT * WHERE { ?s ?p ?o } LIMIT 3",
    "ASK { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }",
    "SELECT * WHERE " + "{" * 200 + "}" * 200,
    "CONSTRUCT WHERE { ?s ?p ?o }",
    "DESCRIBE <https://w3id.org/qharmony/id/entry/US/4A906.a.1>",
    "PREFIX : <x> SELECT",
]
ACCEPTS = [
    "*/*",
    "text/html",
    "application/json",
    "text/turtle",
    "application/sparql-results+xml",
    "text/csv",
    "application/ld+json;q=0.1, foo/bar",
    "garbage",
]
CONTENT_TYPES = [
    None,
    "application/sparql-query",
    "application/x-www-form-urlencoded",
    "application/sparql-update",
    "text/plain",
    "multipart/form-data",
    "application/sparql-query; charset=latin-1",
]


def _routes(app) -> list[str]:
    """Every route, with each variable part filled by a placeholder."""
    paths = set()
    for rule in app.url_map.iter_rules():
        path = rule.rule
        for arg in rule.arguments:
            path = path.replace(f"<path:{arg}>", "{}").replace(f"<{arg}>", "{}")
            path = path.replace(f"<string:{arg}>", "{}")
        paths.add(path)
    return sorted(paths)


@pytest.fixture(scope="module")
def fuzz_client(built_store_path):
    from qharmony.server.app import create_app

    app = create_app(
        {"STORE": str(built_store_path), "TIMEOUT": 5, "RATE_REQUESTS": 0, "RATE_QUERY_SECONDS": 0, "MAX_ROWS": 200}
    )
    return app, app.test_client()


segment = st.one_of(st.sampled_from(NASTY), st.text(max_size=12)).map(lambda s: quote(s, safe="/"))
value = st.one_of(st.sampled_from(NASTY), st.text(max_size=20))


@st.composite
def requests(draw, routes):
    template = draw(st.sampled_from(routes))
    path = template
    while "{}" in path:
        path = path.replace("{}", draw(segment) or "x", 1)
    if draw(st.booleans()):
        path += draw(st.sampled_from(["", ".json", ".ttl", ".nt", ".csv", ".rdf", ".jsonld"]))
    params = draw(st.lists(st.tuples(st.sampled_from(PARAMS), value), max_size=4))
    method = draw(st.sampled_from(["GET", "GET", "POST", "HEAD", "PUT", "OPTIONS"]))
    content_type = draw(st.sampled_from(CONTENT_TYPES)) if method == "POST" else None
    body = draw(st.one_of(st.sampled_from(NASTY), st.binary(max_size=40))) if method == "POST" else None
    headers = {"Accept": draw(st.sampled_from(ACCEPTS))}
    if draw(st.integers(0, 9)) == 0:
        headers["Host"] = draw(st.sampled_from(["a" * 64 + ".example", "ex ample", "[::1]:80", "x:99999999", ""]))
    return method, path, params, content_type, body, headers


def test_no_route_answers_5xx_or_a_traceback_to_fuzzed_requests(fuzz_client):
    app, client = fuzz_client
    seen: list[int] = []

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(requests(_routes(app)))
    def check(req):
        method, path, params, content_type, body, headers = req
        query_string = urlencode(params, encoding="utf-8", errors="surrogateescape")
        resp = client.open(
            path, method=method, query_string=query_string, data=body, content_type=content_type, headers=headers
        )
        text = resp.get_data(as_text=True) if method != "HEAD" else ""
        seen.append(resp.status_code)
        assert resp.status_code < 500, (method, path, params, resp.status_code, text[:300])
        assert "Traceback" not in text, (method, path, params)

    check()
    assert len(seen) >= EXAMPLES and any(code < 300 for code in seen) and any(400 <= code < 500 for code in seen)
