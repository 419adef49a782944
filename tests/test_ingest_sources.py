"""The publisher connectors against a local stand-in: an ``http.server`` on 127.0.0.1
plays the eCFR, the Federal Register, legislation.gov.uk and EUR-Lex (paths,
ETags, Last-Modified, 304s, 429s, errors, cut and garbage answers). No test reaches
the internet. The eCFR text is the real excerpt in ``../shared/corpus``, read from
there at run time; the other publishers' texts are small fictional fixtures."""

from __future__ import annotations

import hashlib
import json
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from qharmony.ingest.sources.config import add_source, make_source, read_sources, remove_source
from qharmony.ingest.sources.errors import SourceError
from qharmony.ingest.sources.http import PoliteClient
from qharmony.queries.catalog import run_named
from qharmony.queries.feeds import Topic, build_feed
from qharmony.queries.results import Term
from qharmony.queries.store import open_store
from qharmony.server.cli import main

ECFR_EXCERPT = Path(__file__).parents[2] / "shared" / "corpus" / "us-ecfr-part740-2026-09-01-excerpt.xml"
CLML_FIXTURE = Path(__file__).parent / "fixtures" / "publishers" / "uksi-2024-346.clml.xml"
DCTERMS = "http://purl.org/dc/terms/"

# --- the stand-in publisher -------------------------------------------------------


@dataclass
class Route:
    body: bytes
    etag: str | None = None
    last_modified: str | None = None
    status: int = 200
    content_type: str = "application/xml"
    #: a Content-Length larger than the body: the answer is cut short
    claimed_length: int | None = None
    #: statuses to answer before the real one (such as 429 with Retry-After)
    before: list[int] = field(default_factory=list)


class Publisher:
    """Serves ``routes`` (path with query -> Route) and counts what it answered."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.answers: list[tuple[str, int]] = []
        self.requests: list[dict[str, str]] = []
        publisher = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                publisher.requests.append({"path": self.path, **{k.lower(): v for k, v in self.headers.items()}})
                route = publisher.routes.get(self.path)
                if route is None:
                    return self._answer(404, b"not found")
                if route.before:
                    status = route.before.pop(0)
                    publisher.answers.append((self.path, status))
                    self.send_response(status)
                    self.send_header("Retry-After", "1")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                unchanged_since = route.last_modified and self.headers.get("If-Modified-Since") == route.last_modified
                if (route.etag and self.headers.get("If-None-Match") == route.etag) or unchanged_since:
                    publisher.answers.append((self.path, 304))
                    self.send_response(304)
                    self.send_header("ETag", route.etag)
                    self.end_headers()
                    return
                self._answer(route.status, route.body, route)

            def _answer(self, status: int, body: bytes, route: Route | None = None) -> None:
                publisher.answers.append((self.path, status))
                self.send_response(status)
                self.send_header("Content-Type", route.content_type if route else "text/plain")
                self.send_header(
                    "Content-Length", str(route.claimed_length if route and route.claimed_length else len(body))
                )
                if route and route.etag:
                    self.send_header("ETag", route.etag)
                if route and route.last_modified:
                    self.send_header("Last-Modified", route.last_modified)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def count(self, status: int) -> int:
        return sum(1 for _, s in self.answers if s == status)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def publisher():
    p = Publisher()
    yield p
    p.close()


def _versions(title: str, part: str, section: str, *dates: str) -> bytes:
    return json.dumps(
        {"content_versions": [{"date": d, "identifier": section, "part": part, "title": title} for d in dates]}
    ).encode()


def _serve_ecfr(publisher: Publisher) -> bytes:
    if not ECFR_EXCERPT.exists():
        pytest.skip(f"the real eCFR excerpt is not at {ECFR_EXCERPT}")
    body = ECFR_EXCERPT.read_bytes()
    publisher.routes["/api/versioner/v1/versions/title-15.json"] = Route(
        _versions("15", "740", "740.24", "2026-09-01"), etag='"v1"', content_type="application/json"
    )
    publisher.routes["/api/versioner/v1/full/2026-09-01/title-15.xml?part=740"] = Route(body, etag='"x1"')
    return body


def _cli(args: list[str], tmp_path: Path, url: str):
    env = {
        "QHARMONY_STORE": str(tmp_path / "q" / "store"),
        "QHARMONY_SOURCES": "",
        "QHARMONY_FETCH_INTERVAL": "0",
        **{f"QHARMONY_{n}_URL": url for n in ("ECFR", "FR", "LEGISLATION", "EURLEX")},
    }
    return CliRunner().invoke(main, args, env=env)


def _documents(store_path: Path) -> dict[str, dict[str, list[str]]]:
    """Each fetched document's provenance: predicate -> values."""
    store = open_store(store_path, read_only=True)
    try:
        rows = store.query("SELECT ?d ?p ?o WHERE { ?d <http://purl.org/dc/terms/isVersionOf> ?src ; ?p ?o }").rows
    finally:
        store.close()
    out: dict[str, dict[str, list[str]]] = {}
    for r in rows:
        out.setdefault(r["d"].value, {}).setdefault(r["p"].value, []).append(r["o"].value)
    return out


# --- sources as data (fast) -------------------------------------------------------


def test_sources_file_round_trips_add_list_remove(tmp_path):
    path = tmp_path / "sources.toml"
    assert add_source(path, make_source("ecfr", None, title=15, part="740"))
    assert add_source(path, make_source("fr", None, document="2024-19633"))
    assert add_source(path, make_source("uksi", None, year="2024", number="346"))
    assert add_source(path, make_source("eurlex", "eu", celex="32025r2003"))
    assert not add_source(path, make_source("ecfr", None, title="15", part="740")), "a duplicate is not added"
    found = read_sources(path)
    assert [(s.id, s.jurisdiction) for s in found] == [
        ("ecfr-15-740", "US"),
        ("fr-2024-19633", "US"),
        ("uksi-2024-346", "GB"),
        ("eurlex-32025r2003", "EU"),
    ]
    remove_source(path, "fr-2024-19633")
    assert [s.id for s in read_sources(path)] == ["ecfr-15-740", "uksi-2024-346", "eurlex-32025r2003"]
    with pytest.raises(SourceError, match="no source 'nope'.*ecfr-15-740"):
        remove_source(path, "nope")


def test_the_cli_adds_lists_and_removes_sources(tmp_path):
    for args in (
        ["sources", "add", "ecfr", "--title", "15", "--part", "740", "--jurisdiction", "US"],
        ["sources", "add", "fr", "2024-19633"],
        ["sources", "add", "uksi", "2024/346"],
        ["sources", "add", "eurlex", "32025R2003"],
    ):
        out = _cli(args, tmp_path, "http://127.0.0.1:9")
        assert out.exit_code == 0, out.output
    assert (tmp_path / "q" / "sources.toml").exists(), "the sources file sits beside the store"
    listed = _cli(["sources", "list"], tmp_path, "http://127.0.0.1:9").output
    assert "ecfr-15-740" in listed and "uksi-2024-346" in listed and "jurisdiction=GB" in listed
    assert _cli(["sources", "remove", "uksi-2024-346"], tmp_path, "").exit_code == 0
    assert "uksi" not in _cli(["sources", "list"], tmp_path, "").output


@pytest.mark.parametrize(
    "args,message",
    [
        (["ecfr", "--title", "fifteen", "--part", "740"], "ecfr title must be a number, got 'fifteen'"),
        (["ecfr", "--title", "15", "--part", "740", "--section", "774.1"], "section '774.1' is not in part 740"),
        (["uksi", "2024-346"], "expected YEAR/NUMBER"),
        (["uksi", "2024/346", "--version", "latest"], "a UK SI version is 'made' or a date"),
        (["eurlex", "R2003"], "not a CELEX number: 'R2003'"),
        (["fr", "someday"], "not a Federal Register document number"),
        (["ecfr", "--title", "15", "--part", "740", "--jurisdiction", "United States"], "jurisdiction must be a code"),
    ],
)
def test_a_bad_source_gets_a_clear_message(tmp_path, args, message):
    out = _cli(["sources", "add", *args], tmp_path, "")
    assert out.exit_code != 0 and message in out.output and "Traceback" not in out.output
    assert not (tmp_path / "q" / "sources.toml").exists()


def test_a_broken_sources_file_is_named(tmp_path):
    path = tmp_path / "sources.toml"
    path.write_text('[[source]]\nkind = "ecfr"\ntitle = "15"\n', encoding="utf-8")
    with pytest.raises(SourceError, match=r"sources.toml: source 1: a ecfr source needs part"):
        read_sources(path)
    path.write_text("[[source]\n", encoding="utf-8")
    with pytest.raises(SourceError, match="not valid TOML"):
        read_sources(path)


# --- the polite client (fast) -----------------------------------------------------


def test_busy_answers_are_retried_with_backoff_and_bounded(publisher):
    publisher.routes["/a.xml"] = Route(b"<a/>", before=[429, 503])
    waits: list[float] = []
    client = PoliteClient(interval=0, retries=3, sleep=waits.append)
    assert client.get(publisher.url + "/a.xml").body == b"<a/>"
    assert waits == [1.0, 1.0], "Retry-After is honoured"
    publisher.routes["/b.xml"] = Route(b"<b/>", before=[429, 429, 429])
    with pytest.raises(SourceError, match="answered 429"):
        PoliteClient(interval=0, retries=2, sleep=waits.append).get(publisher.url + "/b.xml")
    assert publisher.count(429) == 1 + 3, "two retries, then the client gives up"


def test_requests_are_conditional_once_a_validator_is_known(publisher):
    publisher.routes["/c.xml"] = Route(b"<c/>", etag='"e1"', last_modified="Tue, 01 Sep 2026 00:00:00 GMT")
    client = PoliteClient(interval=0)
    first = client.get(publisher.url + "/c.xml")
    again = client.get(publisher.url + "/c.xml", etag=first.etag, last_modified=first.last_modified)
    assert (first.status, again.status) == (200, 304)
    assert publisher.requests[-1]["if-none-match"] == '"e1"'
    assert publisher.requests[-1]["if-modified-since"] == "Tue, 01 Sep 2026 00:00:00 GMT"


# --- failures leave the store unchanged (fast: a small store, no build) ------------


def _small_store(tmp_path: Path) -> Path:
    path = tmp_path / "q" / "store"
    store = open_store(path)
    store.load(b'<urn:x:a> <urn:x:b> "kept" <urn:x:mine> .\n', "nq")
    store.close()
    return path


def _dump(path: Path) -> bytes:
    store = open_store(path, read_only=True)
    try:
        return store.dump("nq")
    finally:
        store.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("failure", ["unreachable", "500", "truncated", "not xml", "not json"])
def test_a_failing_publisher_gets_a_clear_message_and_changes_nothing(tmp_path, publisher, failure):
    store_path = _small_store(tmp_path)
    before = _dump(store_path)
    versions = "/api/versioner/v1/versions/title-99.json"
    full = "/api/versioner/v1/full/2099-01-01/title-99.xml?part=9999"
    publisher.routes[versions] = Route(_versions("99", "9999", "9999.1", "2099-01-01"), etag='"v"')
    publisher.routes[full] = Route(b"<DIV5><P>A fictional rule for tests.</P></DIV5>", etag='"f"')
    url = publisher.url
    if failure == "unreachable":
        url, expected = f"http://127.0.0.1:{_free_port()}", "the publisher is unreachable"
    elif failure == "500":
        publisher.routes[full].status, expected = 500, "the publisher answered 500"
    elif failure == "truncated":
        publisher.routes[full].claimed_length, expected = 4096, "the answer was cut short"
    elif failure == "not xml":
        publisher.routes[full].body, expected = b"Service unavailable, try later", "the answer is not XML"
    else:
        publisher.routes[versions].body, expected = b"<html>maintenance</html>", "the answer is not JSON"
    assert _cli(["sources", "add", "ecfr", "--title", "99", "--part", "9999"], tmp_path, url).exit_code == 0
    out = _cli(["sources", "sync", "--as-of", "2099-12-31"], tmp_path, url)
    assert out.exit_code == 1, out.output
    assert expected in out.output and "Traceback" not in out.output
    assert _dump(store_path) == before
    assert not (tmp_path / "q" / "cache" / "index.json").exists(), "the cache index is not written"


def test_sync_with_no_sources_says_how_to_add_one(tmp_path):
    out = _cli(["sources", "sync"], tmp_path, "")
    assert out.exit_code == 1 and "add one with 'qharmony sources add'" in out.output


# --- fetching and building (slow: these build graphs) ------------------------------


@pytest.mark.slow
def test_ecfr_part_is_fetched_recorded_built_and_versioned(tmp_path, publisher):
    body = _serve_ecfr(publisher)
    url = publisher.url
    assert _cli(["sources", "add", "ecfr", "--title", "15", "--part", "740"], tmp_path, url).exit_code == 0
    out = _cli(["sources", "sync"], tmp_path, url)
    assert out.exit_code == 0, out.output
    assert publisher.count(200) == 2 and "new version ecfr-15-740-2026-09-01-" in out.output

    store_path = tmp_path / "q" / "store"
    docs = _documents(store_path)
    assert len(docs) == 1
    (doc, facts) = next(iter(docs.items()))
    sha = hashlib.sha256(body).hexdigest()
    assert facts[DCTERMS + "source"] == [url + "/api/versioner/v1/full/2026-09-01/title-15.xml?part=740"]
    assert facts[DCTERMS + "identifier"] == ["sha256:" + sha]
    assert facts[DCTERMS + "modified"] == ["2026-09-01"]
    assert facts[DCTERMS + "bibliographicCitation"] == ["15 CFR part 740"]
    assert facts[DCTERMS + "spatial"][0].endswith("/jurisdiction/US")
    text = facts["https://w3id.org/qharmony/ontology#text"][0]
    assert "740.24" in text and "License Exception IEC" in text
    instrument = "https://w3id.org/qharmony/id/instrument/US/15-CFR-740.24"
    assert instrument in facts["https://w3id.org/qharmony/ontology#describes"], "15 CFR 740.24 is built"
    store = open_store(store_path, read_only=True)
    iec = store.ask(
        "ASK { ?e <https://w3id.org/qharmony/ontology#measureOf> ?i }",
        {"i": Term.iri(instrument), "e": Term.iri("https://w3id.org/qharmony/id/exception/US/License-Exception-IEC")},
    )
    store.close()
    assert iec, "the section's licence exception is extracted from the fetched text"
    listed = json.loads(_cli(["query", "documents", "--format", "json"], tmp_path, url).output)
    (row,) = [r for r in listed["results"]["bindings"] if r["document"]["value"] == doc]
    assert row["sha256"]["value"] == "sha256:" + sha and row["retrieved"]["value"].endswith("Z"), (
        "documents (and so packs and exports) cite the exact version retrieved"
    )
    index = json.loads((tmp_path / "q" / "cache" / "index.json").read_text())
    (record,) = index["versions"]["ecfr-15-740"]
    assert record["sha256"] == sha and record["retrieved"].endswith("Z") and Path(record["file"]).read_bytes() == body

    # unchanged: both requests are answered 304 and nothing is built
    before = _dump(store_path)
    again = _cli(["sources", "sync"], tmp_path, url)
    assert again.exit_code == 0 and "nothing new" in again.output
    assert (publisher.count(200), publisher.count(304)) == (2, 2)
    assert _dump(store_path) == before

    # changed: a new ETag and text become a second version; the first stays
    changed = body.replace(b"License Exception IEC is available", b"License Exception IEC is (changed) available")
    publisher.routes["/api/versioner/v1/full/2026-09-01/title-15.xml?part=740"] = Route(changed, etag='"x2"')
    third = _cli(["sources", "sync"], tmp_path, url)
    assert third.exit_code == 0 and "new version" in third.output
    docs = _documents(store_path)
    assert len(docs) == 2 and doc in docs
    hashes = sorted(v[DCTERMS + "identifier"][0] for v in docs.values())
    assert hashes == sorted(["sha256:" + sha, "sha256:" + hashlib.sha256(changed).hexdigest()])
    assert len(list((tmp_path / "q" / "cache" / "texts").iterdir())) == 2, "both texts stay in the cache"

    # each sync that built kept a graph version, so the change shows in the feeds
    kept = json.loads(_cli(["versions", "--format", "json"], tmp_path, url).output)["versions"]
    assert len(kept) == 2 and "kept as version" in third.output
    store = open_store(store_path, read_only=True)
    try:
        feed = build_feed(store, tmp_path / "q" / "store-versions", Topic(), path="/feeds/everything.atom")
    finally:
        store.close()
    new_document = next(d for d in _documents(store_path) if d != doc)
    assert any(new_document.rsplit("/", 1)[1] in e.title + e.content + e.link for e in feed.entries), [
        e.title for e in feed.entries
    ]


@pytest.mark.slow
def test_the_other_publishers_are_fetched_beside_what_the_store_holds(tmp_path, publisher):
    url = publisher.url
    store_path = _small_store(tmp_path)
    publisher.routes["/api/v1/documents/2099-00001.json"] = Route(
        json.dumps(
            {
                "document_number": "2099-00001",
                "publication_date": "2099-01-02",
                "citation": "99 FR 1",
                "full_text_xml_url": url + "/documents/full_text/xml/2099-00001.xml",
            }
        ).encode(),
        content_type="application/json",
    )
    publisher.routes["/documents/full_text/xml/2099-00001.xml"] = Route(
        b"<RULE><PREAMB><AGENCY>Fictional Bureau of Testland</AGENCY><SUBJECT>Fictional test rule</SUBJECT>"
        b"</PREAMB><SUPLINF><P>This fictional rule exists only for tests.</P></SUPLINF></RULE>",
        etag='"fr1"',
    )
    publisher.routes["/uksi/2099/1/data.xml"] = Route(
        b"<Legislation><Title>The Fictional Test Regulations 2099</Title>"
        b"<P>These fictional regulations exist only for tests.</P></Legislation>",
        last_modified="Fri, 02 Jan 2099 00:00:00 GMT",
    )
    publisher.routes["/legal-content/EN/TXT/HTML/?uri=CELEX:32099R0001"] = Route(
        b"<html><body><h1>Fictional Test Regulation (EU) 2099/1</h1><p>A fictional act for tests.</p></body></html>",
        content_type="text/html",
    )
    for args in (["fr", "2099-00001"], ["uksi", "2099/1"], ["eurlex", "32099R0001"]):
        assert _cli(["sources", "add", *args], tmp_path, url).exit_code == 0
    out = _cli(["sources", "sync"], tmp_path, url)
    assert out.exit_code == 0, out.output
    docs = _documents(store_path)
    by_source = {
        v[DCTERMS + "isVersionOf"][0].rsplit("/", 1)[1]: (v[DCTERMS + "source"][0], v.get(DCTERMS + "modified"))
        for v in docs.values()
    }
    assert by_source == {
        "fr-2099-00001": (url + "/documents/full_text/xml/2099-00001.xml", ["2099-01-02"]),
        "uksi-2099-1": (url + "/uksi/2099/1/data.xml", ["2099-01-02"]),
        "eurlex-32099r0001": (url + "/legal-content/EN/TXT/HTML/?uri=CELEX:32099R0001", None),
    }
    store = open_store(store_path, read_only=True)
    kept = store.ask("ASK { GRAPH <urn:x:mine> { <urn:x:a> <urn:x:b> ?o } }")
    store.close()
    assert kept, "the user's own graph is carried over"

    # again: the ETag and Last-Modified texts answer 304; the one without validators
    # comes back whole, with the same hash, so it is no new version either
    before, answered = _dump(store_path), len(publisher.answers)
    again = _cli(["sources", "sync"], tmp_path, url)
    assert again.exit_code == 0 and "nothing new" in again.output, again.output
    assert sorted(publisher.answers[answered:]) == sorted(
        [
            ("/api/v1/documents/2099-00001.json", 200),
            ("/documents/full_text/xml/2099-00001.xml", 304),
            ("/uksi/2099/1/data.xml", 304),
            ("/legal-content/EN/TXT/HTML/?uri=CELEX:32099R0001", 200),
        ]
    )
    assert _dump(store_path) == before


@pytest.mark.slow
def test_history_fetches_each_change_date_as_a_version(tmp_path, publisher):
    url = publisher.url
    dates = ("2099-01-01", "2099-03-01", "2099-06-01")
    publisher.routes["/api/versioner/v1/versions/title-99.json"] = Route(_versions("99", "9999", "9999.1", *dates))
    for i, d in enumerate(dates):
        publisher.routes[f"/api/versioner/v1/full/{d}/title-99.xml?part=9999"] = Route(
            f"<DIV5><HEAD>Part 9999 (fictional)</HEAD><P>Fictional text, version {i}.</P></DIV5>".encode()
        )
    assert _cli(["sources", "add", "ecfr", "--title", "99", "--part", "9999"], tmp_path, url).exit_code == 0
    out = _cli(["sources", "sync", "--history", "--as-of", "2099-04-01"], tmp_path, url)
    assert out.exit_code == 0, out.output
    docs = _documents(tmp_path / "q" / "store")
    assert sorted(v[DCTERMS + "modified"][0] for v in docs.values()) == ["2099-01-01", "2099-03-01"]
    assert all("/document/ecfr-99-9999-2099-0" in d for d in docs), "each version's IRI carries its date"


@pytest.mark.slow
def test_a_sync_adds_to_the_sample_graph_and_loses_none_of_it(tmp_path, publisher, built_store_path):
    import shutil

    store_path = tmp_path / "q" / "store"
    shutil.copytree(built_store_path, store_path)
    before = _dump(store_path)
    publisher.routes["/uksi/2099/2/data.xml"] = Route(
        b"<Legislation><Title>The Fictional Second Test Regulations 2099</Title>"
        b"<P>These fictional regulations exist only for tests.</P></Legislation>"
    )
    assert _cli(["sources", "add", "uksi", "2099/2"], tmp_path, publisher.url).exit_code == 0
    out = _cli(["sources", "sync"], tmp_path, publisher.url)
    assert out.exit_code == 0, out.output
    after = _dump(store_path)
    documents = [line for line in before.splitlines() if b"/graph/doc/" in line.rsplit(b" ", 2)[-2]]
    assert documents and set(documents) <= set(after.splitlines()), "every document statement is kept"
    assert len(_documents(store_path)) == 1 and len(after) > len(before)


@pytest.mark.slow
def test_a_uk_si_is_read_from_its_clml_and_a_failing_publisher_fails_only_its_sources(tmp_path, publisher):
    url = publisher.url
    store_path = _small_store(tmp_path)
    publisher.routes["/uksi/2024/346/made/data.xml"] = Route(CLML_FIXTURE.read_bytes(), etag='"si1"')
    publisher.routes["/legal-content/EN/TXT/HTML/?uri=CELEX:32099R0001"] = Route(b"down", status=500)
    for args in (["uksi", "2024/346", "--version", "made"], ["eurlex", "32099R0001"]):
        assert _cli(["sources", "add", *args], tmp_path, url).exit_code == 0
    out = _cli(["sources", "sync"], tmp_path, url)
    assert out.exit_code == 1, out.output
    assert "new version uksi-2024-346-made-" in out.output, "the SI as made is fetched"
    assert "failed: eurlex-32099r0001:" in out.output and "the publisher answered 500" in out.output
    assert "Traceback" not in out.output and "1 of 2 sources failed" in out.output

    (facts,) = _documents(store_path).values()
    assert facts[DCTERMS + "bibliographicCitation"] == ["SI 2024/346"]
    store = open_store(store_path, read_only=True)
    try:
        rows = run_named(store, "instruments").rows
        kept = store.ask("ASK { GRAPH <urn:x:mine> { <urn:x:a> <urn:x:b> ?o } }")
    finally:
        store.close()
    by_citation = {r["citation"].value: r for r in rows if "citation" in r}
    si = by_citation["SI 2024/346"]
    assert si["jurisdiction"].value.endswith("GB") and si["title"].value.startswith("The Export Control (Amendment)")
    assert (si["adopted"].value, si["effective"].value) == ("2024-03-11", "2024-04-01")
    assert kept, "what the store held is kept"

    # the failed source left nothing in the cache: once its publisher is back, it is fetched
    index = json.loads((tmp_path / "q" / "cache" / "index.json").read_text())
    assert not any("CELEX:32099R0001" in u for u in index["urls"]) and "eurlex-32099r0001" not in index["versions"]
    publisher.routes["/legal-content/EN/TXT/HTML/?uri=CELEX:32099R0001"] = Route(
        b"<html><body><h1>Fictional Test Regulation (EU) 2099/1</h1><p>A fictional act for tests.</p></body></html>",
        content_type="text/html",
    )
    again = _cli(["sources", "sync"], tmp_path, url)
    assert again.exit_code == 0, again.output
    assert "new version eurlex-32099r0001" in again.output and "new version uksi" not in again.output
