"""Graph versions kept beside the store, and the diff between two builds: build a
small world of real sample documents, add one document, rebuild; the diff holds
exactly the statements that document's graph holds, and nothing removed."""

from __future__ import annotations

import gzip

import pytest

from qharmony.ingest.build import build, sample_corpus
from qharmony.ontology.namespaces import GRAPH
from qharmony.queries.diff import diff_versions
from qharmony.queries.nquads import parse_line
from qharmony.queries.store import open_store
from qharmony.queries.versions import (
    VersionError,
    list_versions,
    read_version,
    record_version,
    resolve_version,
)

BASE_DOCS = ("us-bis-quantum-rule-2024.md", "jp-meti-quantum-2024.md")
ADDED_DOC = "jp-meti-list-2025.md"


def corpus(*names: str):
    by_name = {p.name: p for p in sample_corpus()}
    return [by_name[n] for n in names]


def build_and_keep(store, folder, names, keep=5):
    report = build(store, corpus(*names), reason=False)
    info = record_version(
        store, folder, content_hash=report.content_hash, keep=keep, conforms=report.validation.conforms
    )
    return report, info


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    root = tmp_path_factory.mktemp("watch")
    store = open_store(root / "store")
    folder = root / "store-versions"
    _, old = build_and_keep(store, folder, BASE_DOCS)
    store.close()
    # the second build through the CLI: `qharmony build` keeps the version beside the store
    from click.testing import CliRunner

    from qharmony.server.cli import main

    paths = [str(p) for p in corpus(*BASE_DOCS, ADDED_DOC)]
    result = CliRunner().invoke(main, ["build", "--store", str(root / "store"), *paths])
    assert result.exit_code == 0, result.output
    assert "kept as version" in result.output
    new = list_versions(folder).versions[0]
    return folder, old, new, root


@pytest.mark.slow
def test_versions_are_listed_newest_first_with_counts(two_builds):
    folder, old, new, _ = two_builds
    kept = list_versions(folder).versions
    assert [v.hash for v in kept] == [new.hash, old.hash]
    assert len(new.documents) == len(old.documents) + 1
    assert "jp-meti-list-2025" in new.documents and "jp-meti-list-2025" not in old.documents
    assert new.counts["data"] > old.counts["data"] > 0
    assert resolve_version(folder, "latest") == new
    assert resolve_version(folder, "previous") == old
    assert resolve_version(folder, old.hash[:8]) == old
    with pytest.raises(VersionError, match="not kept"):
        resolve_version(folder, "ffffffff")


@pytest.mark.slow
def test_diff_is_exactly_the_added_documents_statements(two_builds):
    folder, old, new, _ = two_builds
    result = diff_versions(old, read_version(folder, old), new, read_version(folder, new))
    doc_graph = GRAPH + "doc/jp-meti-list-2025"
    expected = {q.line for q in map(parse_line, read_version(folder, new)) if q and q.graph == doc_graph}
    statements = [s for e in result.entities for s in e.statements]
    from_doc = {(s.subject, s.predicate, s.object) for s in statements if s.document == "jp-meti-list-2025"}
    assert expected and result.removed == 0 and all(s.change == "added" for s in statements)
    assert from_doc == {(q.subject, q.predicate, q.object) for q in map(parse_line, expected)}
    # besides the document's own graph, only what the build derives from it: the
    # coverage statement of what the graph now holds for JP
    others = [s for s in statements if s.document != "jp-meti-list-2025"]
    assert {s.document for s in others} <= {"holdings"}
    assert all("/JP/" in s.subject or "jp-meti-list-2025" in s.subject for s in others)
    assert result.added == len(expected) + len(others)
    assert result.documents_added == ["jp-meti-list-2025"] and result.documents_removed == []
    entry = next(e for e in result.entities if e.kind == "ControlEntry")
    assert entry.change == "added" and entry.summary == "ControlEntry added"
    # evidence records are grouped under the entity whose fact they record
    assert any("/id/evidence/" in s.subject for s in entry.statements)


@pytest.mark.slow
def test_same_build_twice_keeps_one_version_and_keep_drops_the_oldest(two_builds, tmp_path):
    folder, old, new, root = two_builds
    store = open_store(root / "store", read_only=True)
    again = record_version(store, folder, content_hash=new.hash)
    assert again == new and len(list_versions(folder).versions) == 2
    small = tmp_path / "kept"
    for i in range(3):
        record_version(store, small, content_hash=str(i) * 64, keep=2)
    kept = list_versions(small).versions
    assert [v.hash[-1] for v in kept] == ["2", "1"]
    assert sorted(p.name for p in small.glob("*.nq.gz")) == sorted(v.file for v in kept)
    assert gzip.decompress((small / kept[0].file).read_bytes()) == store.dump("nq")
    store.close()


def test_diff_groups_a_changed_date_as_corrected():
    from qharmony.queries.versions import VersionInfo

    e = "<https://w3id.org/qharmony/id/instrument/XX/fictional-act>"
    g = "<https://w3id.org/qharmony/graph/doc/fictional>"
    rdf_type = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    typ = f"{e} {rdf_type} <https://w3id.org/qharmony/ontology#LegalInstrument> {g} ."
    in_force = "<http://data.europa.eu/eli/ontology#first_date_entry_in_force>"
    xsd_date = "<http://www.w3.org/2001/XMLSchema#date>"
    date = f'{e} {in_force} "2024-0{{}}-01"^^{xsd_date} {g} .'
    old, new = VersionInfo("a" * 64, "t1"), VersionInfo("b" * 64, "t2")
    result = diff_versions(old, [typ, date.format(1)], new, [typ, date.format(2)])
    (change,) = result.entities
    assert change.change == "changed"
    assert change.summary == "LegalInstrument changed: first_date_entry_in_force corrected: 2024-01-01 -> 2024-02-01"
    assert change.documents == ["fictional"]


# ---------------------------------------------------------------- feeds and watchlists
ATOM_NS = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def watch_client(two_builds):
    from qharmony.server.app import create_app

    _, _, _, root = two_builds
    app = create_app({"STORE": str(root / "store"), "WATCHLISTS": str(root / "watchlists.json")})
    return app.test_client()


def _graph_change_statements(atom: bytes) -> list[str]:
    import feedparser

    parsed = feedparser.parse(atom)
    assert not parsed.bozo, parsed.bozo_exception
    lines = []
    for entry in parsed.entries:
        if any(t.term == "graph change" for t in entry.get("tags", [])):
            lines += [ln for ln in entry.content[0].value.splitlines() if ln.startswith(("+ ", "- "))]
    return lines


def _check_required_atom_elements(atom: bytes) -> None:
    """RFC 4287 4.1.1 and 4.1.2: a feed has id, title, updated and an author (or every
    entry has one); every entry has id, title, updated, and content or an alternate link."""
    from xml.etree import ElementTree as ET

    root = ET.fromstring(atom)
    assert root.tag == ATOM_NS + "feed"
    for tag in ("id", "title", "updated"):
        assert root.find(ATOM_NS + tag) is not None and root.find(ATOM_NS + tag).text
    assert root.find(f"{ATOM_NS}author/{ATOM_NS}name").text
    assert root.find(f"{ATOM_NS}link[@rel='self']") is not None
    ids = []
    for entry in root.findall(ATOM_NS + "entry"):
        for tag in ("id", "title", "updated"):
            assert entry.find(ATOM_NS + tag) is not None and entry.find(ATOM_NS + tag).text
        assert entry.find(ATOM_NS + "content") is not None or entry.find(f"{ATOM_NS}link[@rel='alternate']") is not None
        ids.append(entry.find(ATOM_NS + "id").text)
    assert len(ids) == len(set(ids)), "entry ids must be unique"


@pytest.mark.slow
def test_jurisdiction_feed_shows_exactly_the_added_documents_statements(two_builds, watch_client):
    folder, old, new, _ = two_builds
    result = diff_versions(old, read_version(folder, old), new, read_version(folder, new))
    response = watch_client.get("/feeds/jurisdiction/JP.atom?today=2025-01-01")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    _check_required_atom_elements(response.data)
    lines = _graph_change_statements(response.data)
    assert len(lines) == result.added and all(ln.startswith("+ ") for ln in lines)
    everything = watch_client.get("/feeds/everything.atom?today=2025-01-01")
    _check_required_atom_elements(everything.data)
    assert len(_graph_change_statements(everything.data)) == result.added


@pytest.mark.slow
def test_calendar_entries_are_dated_by_entry_into_force(watch_client):
    import feedparser

    parsed = feedparser.parse(watch_client.get("/feeds/technology/quantum_computer.atom?today=2025-01-01").data)
    calendar = [e for e in parsed.entries if any(t.term == "in force" for t in e.get("tags", []))]
    us = [e for e in calendar if e.title.startswith("US 4A906")]
    assert us and all(e.updated.startswith("2024-09-06") for e in us)
    # nothing dated after the calendar day asked for
    assert all(e.updated[:10] <= "2025-01-01" for e in calendar)


@pytest.mark.slow
def test_watchlist_on_the_documents_jurisdiction_gets_its_own_feed(two_builds, watch_client):
    folder, old, new, _ = two_builds
    result = diff_versions(old, read_version(folder, old), new, read_version(folder, new))
    saved = watch_client.post("/watchlists", data={"name": "Japan", "jurisdiction": "JP"})
    assert saved.status_code == 303
    key = saved.headers["Location"].rsplit("=", 1)[1]
    feed = watch_client.get(f"/feeds/watchlist/{key}.atom?today=2025-01-01")
    _check_required_atom_elements(feed.data)
    assert len(_graph_change_statements(feed.data)) == result.added
    other = watch_client.post("/watchlists", data={"name": "Swiss", "jurisdiction": "CH"})
    key = other.headers["Location"].rsplit("=", 1)[1]
    assert _graph_change_statements(watch_client.get(f"/feeds/watchlist/{key}.atom").data) == []
    assert watch_client.get("/feeds/watchlist/nope.atom").status_code == 404
    assert watch_client.post("/watchlists", data={"name": "empty"}).status_code == 400


@pytest.mark.slow
def test_versions_page_and_diff_json_twin(two_builds, watch_client):
    _, old, new, _ = two_builds
    listing = watch_client.get("/versions.json").get_json()
    assert [v["hash"] for v in listing["versions"]] == [new.hash, old.hash]
    twin = watch_client.get(f"/versions/{old.short}...{new.short}.json").get_json()
    assert twin["documents_added"] == ["jp-meti-list-2025"] and twin["statements_removed"] == 0
    page = watch_client.get(f"/versions/{old.short}...{new.short}")
    assert page.status_code == 200 and b"ControlEntry added" in page.data
    assert watch_client.get("/versions/abcdef...latest.json").status_code == 404


@pytest.mark.slow
def test_cli_versions_and_diff(two_builds):
    from click.testing import CliRunner

    from qharmony.server.cli import main

    folder, old, new, root = two_builds
    store = ["--store", str(root / "store")]
    listing = CliRunner().invoke(main, ["versions", *store])
    assert listing.exit_code == 0 and new.short in listing.output and old.short in listing.output
    out = CliRunner().invoke(main, ["diff", "previous", "latest", *store])
    assert out.exit_code == 0, out.output
    result = diff_versions(old, read_version(folder, old), new, read_version(folder, new))
    assert "document added: jp-meti-list-2025" in out.output
    assert sum(1 for line in out.output.splitlines() if line.startswith("  + ")) == result.added
    bad = CliRunner().invoke(main, ["diff", "zzzz", *store])
    assert bad.exit_code == 1 and "version 'zzzz' is not kept" in bad.output


@pytest.mark.slow
def test_portfolio_lists_what_a_new_version_changed_for_an_item(two_builds):
    from datetime import date
    from pathlib import Path

    from qharmony.queries.analysis.portfolio import check_portfolio, read_items

    folder, old, new, root = two_builds
    store = open_store(root / "store", read_only=True)
    items = read_items((Path(__file__).parent / "data" / "portfolio.csv").read_text(), store)
    diff = diff_versions(old, read_version(folder, old), new, read_version(folder, new))
    report = check_portfolio(store, items, date(2025, 6, 1), ["JP", "US"], diff=diff)
    fridge_jp = next(r for r in report.results if r.item == "Fridge 700" and r.jurisdiction == "JP")
    assert [c["change"] for c in fridge_jp.changes] == ["ControlEntry added"]
    # the added Japanese list changed nothing for quantum computers in the US
    qc_us = next(r for r in report.results if r.item == "QC-50 prototype" and r.jurisdiction == "US")
    assert qc_us.changes == []
    store.close()
