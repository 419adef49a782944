"""The review pages over a small graph built in tmp_path: every review route
refuses anonymous and cross-site requests and changes nothing; a signed-in reviewer's
correction reaches the review file and, after a rebuild, the graph, the entity page
and the audit graph."""

from __future__ import annotations

import re

import pytest
from conftest import REVIEW_DOC, REVIEW_PASSWORD, reviewed_store

from qharmony.ingest.build import build
from qharmony.ontology.namespaces import QH
from qharmony.queries.store import open_store
from qharmony.server.app import create_app
from qharmony.server.ledger import all_decisions

pytestmark = pytest.mark.slow

DOC, PASSWORD = REVIEW_DOC, REVIEW_PASSWORD


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("review")
    docs = root / "docs"
    store, review_db = reviewed_store(root)
    config = {"STORE": str(store), "REVIEW_DB": str(review_db), "REVIEW_SIGNIN_ATTEMPTS": 3}
    reader = open_store(root / "store", read_only=True)
    row = reader.select(
        "PREFIX qh: <https://w3id.org/qharmony/ontology#> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "
        f"SELECT ?fp WHERE {{ ?e rdf:predicate <{QH}hasThreshold> ; qh:fingerprint ?fp }}"
    ).rows[0]
    reader.close()
    return {"root": root, "docs": docs, "config": config, "fp": row["fp"].value}


def _app(site):
    return create_app(site["config"])


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _sign_in(client, name="ana", password=PASSWORD):
    token = _token(client.get("/review/login").text)
    return client.post("/review/login", data={"name": name, "password": password, "csrf_token": token})


def _review_urls(app, fp):
    """Every review route but the sign-in form, with its methods: new routes are tried too."""
    out = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("review.") and rule.endpoint != "review.login":
            url = rule.rule.replace("<fingerprint>", fp)
            out += [(m, url) for m in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return out


THRESHOLD_OF_PL9014 = """PREFIX qh: <https://w3id.org/qharmony/ontology#>
SELECT ?op ?v WHERE { GRAPH ?g { <https://w3id.org/qharmony/id/entry/GB/PL9014.a> qh:hasThreshold ?t .
  ?t qh:parameter "physical_qubits" ; qh:comparator ?op ; qh:value ?v } }"""
AUDIT = """PREFIX qh: <https://w3id.org/qharmony/ontology#>
SELECT ?a ?s WHERE { GRAPH <https://w3id.org/qharmony/graph/review> { ?d qh:reviewAction ?a ; qh:reviewStatus ?s } }"""


def _sparql(client, query: str) -> list[tuple[str, ...]]:
    data = client.get("/sparql", query_string={"query": query}, headers={"Accept": "application/sparql-results+json"})
    rows = data.json["results"]["bindings"]
    return [tuple(f"{float(v['value']):g}" if "double" in v.get("datatype", "") else v["value"] for v in r.values())
            for r in rows]  # fmt: skip


def _graph_state(site) -> tuple[str, list]:
    """What an anonymous or forged request must not change: the generation in service
    and the audit graph."""
    current = (site["root"] / "store" / "CURRENT").read_text()
    return current, _sparql(_app(site).test_client(), AUDIT)


def test_every_review_route_refuses_an_anonymous_request(site):
    app = _app(site)
    client = app.test_client()
    before = _graph_state(site)
    urls = _review_urls(app, site["fp"])
    assert {u for _, u in urls} >= {"/review", "/review/log", f"/review/fact/{site['fp']}"}
    for method, url in urls:
        form = {"action": "reject", "reason": "anonymous", "csrf_token": "guess"}
        r = client.open(url, method=method, data=form if method == "POST" else None)
        if method == "GET" and not url.endswith(".json"):
            assert r.status_code == 302 and r.headers["Location"].startswith("/review/login"), url
        else:
            assert r.status_code == 401, (method, url, r.status_code)
    assert all_decisions(site["root"] / "review.sqlite") == []
    assert _graph_state(site) == before


def test_a_forged_cross_site_post_changes_nothing(site):
    app = _app(site)
    client = app.test_client()
    before = _graph_state(site)
    assert _sign_in(client).status_code == 302
    url = f"/review/fact/{site['fp']}"
    token = _token(client.get(url).text)
    form = {"action": "reject", "reason": "forged", "csrf_token": token}
    for method, target in _review_urls(app, site["fp"]):
        if method != "POST":
            continue
        assert client.post(target, data=form, headers={"Origin": "https://evil.example"}).status_code == 403
        assert client.post(target, data=form, headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
        assert client.post(target, data={**form, "csrf_token": "forged"}).status_code == 403
        assert client.post(target, data={k: v for k, v in form.items() if k != "csrf_token"}).status_code == 403
    # a fresh client with a stolen token but no session is anonymous
    assert app.test_client().post(url, data=form).status_code == 401
    assert all_decisions(site["root"] / "review.sqlite") == []
    assert _graph_state(site) == before


def test_sign_in_is_limited_and_its_cookie_is_locked_down(site):
    app = _app(site)
    client = app.test_client()
    assert client.get("/").headers.get("Set-Cookie") is None  # the public side sets no cookie
    for _ in range(3):
        assert _sign_in(client, password="wrong password").status_code == 401
    r = _sign_in(client)
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    other = _app(site).test_client()  # a new app: a new limit
    cookies = _sign_in(other).headers.getlist("Set-Cookie")
    session = next(c for c in cookies if c.startswith("qharmony_review="))
    assert "HttpOnly" in session and "SameSite=Strict" in session and "Path=/review" in session
    # the site-wide hint behind the Review link is locked down the same way and grants nothing
    hint = next(c for c in cookies if c.startswith("qharmony_reviewer_nav="))
    assert "HttpOnly" in hint and "SameSite=Strict" in hint and "Path=/;" in hint
    assert not any("Secure" in c for c in cookies)
    tls = _app(site).test_client()
    token = _token(tls.get("/review/login", base_url="https://localhost").text)
    r = tls.post(
        "/review/login",
        base_url="https://localhost",
        data={"name": "ana", "password": PASSWORD, "csrf_token": token},
        headers={"Origin": "https://localhost"},
    )
    assert all("Secure" in c for c in r.headers.getlist("Set-Cookie"))
    # a login form posted from another site is refused too
    assert (
        tls.post("/review/login", data={"name": "ana"}, headers={"Origin": "https://evil.example"}).status_code == 403
    )
    assert other.post("/review/login?next=https://evil.example/", data={}).status_code == 403


def test_a_correction_in_the_browser_forms_reaches_the_graph_after_a_rebuild(site):
    client = _app(site).test_client()
    _sign_in(client)
    queue = client.get("/review/queue.json?show=all").json
    assert "documents" in queue and "facts" in queue
    url = f"/review/fact/{site['fp']}"
    token = _token(client.get(url).text)
    bad = client.post(
        url, data={"action": "correct", "unit": "furlong", "value": "3", "reason": "x", "csrf_token": token}
    )
    assert bad.status_code == 400 and "furlong" in bad.text
    form = {"action": "correct", "op": ">", "value": "35", "reason": "the text says more than 35", "csrf_token": token}
    posted = client.post(url, data=form)
    assert posted.status_code == 302 and posted.headers["Location"] == url
    assert "applied to the graph" in client.get(url).text
    assert client.get("/review/queue.json").json["pending"] == 0  # in the graph already
    decisions = all_decisions(site["root"] / "review.sqlite")
    assert [(d.action, d.reviewer, d.value) for d in decisions] == [("correct", "ana", {"op": ">", "value": 35.0})]
    # SPARQL sees the decision at once, before any build: the corrected threshold and the audit record
    assert _sparql(client, THRESHOLD_OF_PL9014) == [(">", "35")]
    assert _sparql(client, AUDIT) == [("correct", "applied")]
    # the public pages show this browser's reviewer the Review link; an anonymous one sees none
    assert 'href="/review"' in client.get("/").text
    assert 'href="/review"' not in _app(site).test_client().get("/").text

    store = open_store(site["root"] / "store")
    report = build(store, [site["docs"]], reason=False, decisions=decisions)
    store.close()
    assert [d.id for d in report.review.applied] == [decisions[0].id]
    assert _sparql(_app(site).test_client(), THRESHOLD_OF_PL9014) == [(">", "35")]
    fresh = _app(site).test_client()
    page = fresh.get("/id/entry/GB/PL9014.a.json").json
    reviewed = [e for e in page["evidence"] if e["review"].get("status") == "corrected"]
    assert reviewed and reviewed[0]["review"]["by"] == "ana"
    assert "physical_qubits-gt" in reviewed[0]["value"]["value"]
    audit = fresh.get(
        "/sparql",
        query_string={
            "query": "SELECT ?d ?s WHERE { GRAPH <https://w3id.org/qharmony/graph/review> "
            "{ ?d <https://w3id.org/qharmony/ontology#reviewStatus> ?s } }"
        },
        headers={"Accept": "application/sparql-results+json"},
    ).json
    assert [b["s"]["value"] for b in audit["results"]["bindings"]] == ["applied"]
    _sign_in(fresh)
    log = fresh.get("/review/log.json").json["decisions"]
    assert [(d["reviewer"], d["status"]) for d in log] == [("ana", "applied")]


def test_behind_a_trusted_proxy_the_cookie_is_secure_and_the_limit_is_per_client(site):
    app = create_app({**site["config"], "TRUST_PROXY": 1})
    client = app.test_client()
    proxied = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7", "X-Forwarded-Host": "localhost"}
    token = _token(client.get("/review/login", headers=proxied).text)
    form = {"name": "ana", "password": "wrong password", "csrf_token": token}
    for _ in range(3):
        assert client.post("/review/login", data=form, headers=proxied).status_code == 401
    # another client behind the same proxy is not locked out by the first one's failures
    other = {**proxied, "X-Forwarded-For": "203.0.113.8"}
    r = client.post("/review/login", data={**form, "name": "ben"}, headers=other)
    assert r.status_code == 401
    r = client.post("/review/login", data={**form, "password": PASSWORD}, headers=other)
    assert r.status_code == 429  # but the account name 'ana' is, from anywhere
    fresh = create_app({**site["config"], "TRUST_PROXY": 1}).test_client()
    token = _token(fresh.get("/review/login", headers=proxied).text)
    r = fresh.post("/review/login", data={**form, "password": PASSWORD, "csrf_token": token}, headers=proxied)
    assert r.status_code == 302 and "Secure" in r.headers["Set-Cookie"]
