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
    _, new = build_and_keep(store, folder, (*BASE_DOCS, ADDED_DOC))
    store.close()
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
    added = {(s.subject, s.predicate, s.object) for e in result.entities for s in e.statements}
    assert expected and result.added == len(expected) and result.removed == 0
    assert added == {(q.subject, q.predicate, q.object) for q in map(parse_line, expected)}
    assert result.documents_added == ["jp-meti-list-2025"] and result.documents_removed == []
    assert all(s.change == "added" and s.document == "jp-meti-list-2025" for e in result.entities for s in e.statements)
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
    typ = f"{e} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/qharmony/ontology#LegalInstrument> {g} ."
    date = f'{e} <http://data.europa.eu/eli/ontology#first_date_entry_in_force> "2024-0{{}}-01"^^<http://www.w3.org/2001/XMLSchema#date> {g} .'
    old, new = VersionInfo("a" * 64, "t1"), VersionInfo("b" * 64, "t2")
    result = diff_versions(old, [typ, date.format(1)], new, [typ, date.format(2)])
    (change,) = result.entities
    assert change.change == "changed"
    assert change.summary == "LegalInstrument changed: first_date_entry_in_force corrected: 2024-01-01 -> 2024-02-01"
    assert change.documents == ["fictional"]
