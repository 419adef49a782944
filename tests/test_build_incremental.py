"""Incremental builds: nothing already in the store is dropped without being asked,
documents are extracted only when their text or the pipeline changed, and adding or
removing a document gives exactly the graph a full rebuild gives."""

from __future__ import annotations

import hashlib
import random
import shutil

import pytest
import rdflib
from click.testing import CliRunner

from qharmony.ingest.build import add_documents, build, remove_documents, sample_corpus
from qharmony.ingest.cache import ExtractionCache
from qharmony.ingest.documents import WouldDrop
from qharmony.ontology.namespaces import GRAPH, META_GRAPH
from qharmony.queries.store import open_store

pytestmark = pytest.mark.slow

DOCS = ("us-jp-tokyo-statement-2019.md", "aukus-quantum-arrangement-2022.md", "ca-proposed-order-2024-12.md")


def corpus(*names: str):
    by_name = {p.name: p for p in sample_corpus()}
    return [by_name[n] for n in names]


def graph_hash(store) -> str:
    """The canonical hash of a store's data: its sorted N-Quads, the build's own
    record (META_GRAPH) left out."""
    lines = sorted(line for line in store.dump("nq").decode("utf-8").splitlines() if f"<{META_GRAPH}>" not in line)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def full_build(tmp_path, name, paths):
    store = open_store(tmp_path / name)
    report = build(store, paths, reason=False)
    return store, report


def test_a_rebuild_extracts_only_what_changed(tmp_path):
    cache = ExtractionCache(tmp_path / "cache")
    folder = tmp_path / "docs"
    folder.mkdir()
    for path in corpus(*DOCS[:2]):
        shutil.copy(path, folder / path.name)
    store = open_store(tmp_path / "s")
    first = build(store, [folder], reason=False, cache=cache)
    assert first.extracted == 2
    before = store.dump("nq")
    again = build(store, [folder], reason=False, cache=cache)
    assert again.extracted == 0 and store.dump("nq") == before
    changed = folder / DOCS[1]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nA closing sentence added.\n", encoding="utf-8")
    third = build(store, [folder], reason=False, cache=cache)
    assert third.extracted == 1
    full, report = full_build(tmp_path, "full", [folder])
    assert third.content_hash == report.content_hash and graph_hash(store) == graph_hash(full)


def test_a_build_of_fewer_texts_refuses_to_drop_documents(tmp_path):
    cache = ExtractionCache(tmp_path / "cache")
    store = open_store(tmp_path / "s")
    build(store, corpus(*DOCS[:2]), reason=False, cache=cache)
    before = store.dump("nq")
    with pytest.raises(WouldDrop, match="aukus-quantum-arrangement-2022") as refused:
        build(store, corpus(DOCS[0]), reason=False, cache=cache)
    assert "--replace" in str(refused.value) and "qharmony add" in str(refused.value)
    assert store.dump("nq") == before
    replaced = build(store, corpus(DOCS[0]), reason=False, cache=cache, replace=True)
    assert replaced.replaced == ["aukus-quantum-arrangement-2022"]
    assert graph_hash(store) == graph_hash(full_build(tmp_path, "full", corpus(DOCS[0]))[0])


def test_add_and_remove_give_the_graph_of_a_full_rebuild(tmp_path):
    cache = ExtractionCache(tmp_path / "cache")
    store = open_store(tmp_path / "s")
    build(store, corpus(*DOCS[:2]), reason=False, cache=cache)
    added = add_documents(store, corpus(DOCS[2]), cache=cache, reason=False)
    assert added.extracted == 1 and sorted(added.documents) == sorted(p.removesuffix(".md") for p in DOCS)
    full, report = full_build(tmp_path, "full", corpus(*DOCS))
    assert added.content_hash == report.content_hash
    assert graph_hash(store) == graph_hash(full)

    removed = remove_documents(store, ["aukus-quantum-arrangement-2022"], cache=cache, reason=False)
    assert removed.extracted == 0 and removed.replaced == ["aukus-quantum-arrangement-2022"]
    without, _ = full_build(tmp_path, "without", corpus(DOCS[0], DOCS[2]))
    assert graph_hash(store) == graph_hash(without)
    with pytest.raises(ValueError, match="not in the store: no-such-document"):
        remove_documents(store, ["no-such-document"], cache=cache, reason=False)


def test_add_without_a_record_of_the_store_says_how_to_recover(tmp_path):
    store = open_store(tmp_path / "s")
    build(store, corpus(DOCS[0]), reason=False)  # built without a cache
    with pytest.raises(ValueError, match="--replace"):
        add_documents(store, corpus(DOCS[1]), cache=ExtractionCache(tmp_path / "cache"), reason=False)


def test_the_command_line_refuses_then_adds_and_removes(tmp_path):
    from qharmony.server.cli import main

    runner = CliRunner()
    where = ["--store", str(tmp_path / "store")]
    paths = [str(p) for p in corpus(*DOCS)]
    assert runner.invoke(main, ["build", *where, *paths[:2]]).exit_code == 0
    refused = runner.invoke(main, ["build", *where, paths[2]])
    assert refused.exit_code == 1 and "Traceback" not in refused.output
    assert "us-jp-tokyo-statement-2019" in refused.output and "--replace" in refused.output
    added = runner.invoke(main, ["add", *where, paths[2]])
    assert added.exit_code == 0, added.output
    assert "extracted 1 documents, 2 from the cache" in added.output
    assert (tmp_path / "store-cache" / "manifests").is_dir()
    from qharmony.queries.versions import list_versions, read_version

    latest, built = list_versions(tmp_path / "store-versions").versions
    assert latest.base == built.hash  # the addition's version is the difference it made
    view = open_store(tmp_path / "store", read_only=True)
    dumped = view.dump("nq").decode("utf-8").splitlines()
    view.close()
    assert sorted(read_version(tmp_path / "store-versions", latest)) == sorted(dumped)
    removed = runner.invoke(main, ["remove", *where, "us-jp-tokyo-statement-2019"])
    assert removed.exit_code == 0 and "removed document us-jp-tokyo-statement-2019" in removed.output
    unknown = runner.invoke(main, ["remove", *where, "nothing-like-it"])
    assert unknown.exit_code == 1 and "not in the store: nothing-like-it" in unknown.output


def test_add_to_a_remote_store(tmp_path, oxigraph_url):
    cache = ExtractionCache(tmp_path / "cache")
    remote = open_store(oxigraph_url)
    build(remote, corpus(*DOCS[:2]), reason=False, cache=cache)
    with pytest.raises(WouldDrop):
        build(remote, corpus(DOCS[2]), reason=False, cache=cache)
    add_documents(remote, corpus(DOCS[2]), cache=cache, reason=False)
    full, _ = full_build(tmp_path, "full", corpus(*DOCS))
    assert graph_hash(remote) == graph_hash(full)


def _held_apart(tmp_path, held: set[str]):
    """The sample corpus in two folders: ``held`` apart in ``extra``, the rest in ``docs``."""
    folder, extra = tmp_path / "docs", tmp_path / "extra"
    folder.mkdir()
    extra.mkdir()
    for path in sample_corpus():
        shutil.copy(path, (extra if path.name in held else folder) / path.name)
    return folder, extra


def test_adding_to_a_remote_store_by_difference_equals_a_full_rebuild(tmp_path, oxigraph_url):
    """On an Oxigraph server the addition reads what it touches through SPARQL and
    sends only the difference, in one update request; the graph is a full build's."""
    folder, extra = _held_apart(tmp_path, {"de-awv-21st-amendment-2024.md", "it-decreto-1325-2024.md"})
    cache = ExtractionCache(tmp_path / "cache")
    remote = open_store(oxigraph_url)
    assert build(remote, [folder], reason=False, cache=cache, replace=True).validation.conforms
    added = add_documents(remote, sorted(extra.iterdir()), cache=cache, reason=False)
    assert added.full_because == "" and "difference" in added.stages
    full, report = full_build(tmp_path, "full", [folder, extra])
    assert added.content_hash == report.content_hash
    assert graph_hash(remote) == graph_hash(full)


def test_validation_without_the_rdfs_closure_matches_it_on_broken_sample_data(store):
    """The sample graph with one statement in twenty deleted at random: many nodes
    lose their types, thresholds their values, evidence its document; the results
    of validate_graph equal those of pySHACL's own RDFS closure."""
    from test_ontology_validate import _full_rdfs_results, _ours

    from qharmony.ontology.validate import validate_graph

    dataset = rdflib.Dataset()
    dataset.parse(data=store.dump("nq"), format="nquads")
    skip = {GRAPH + name for name in ("ontology", "validation", "meta", "quarantine")}
    data = rdflib.Graph()
    for s, p, o, g in dataset.quads((None, None, None, None)):
        if str(g) not in skip:
            data.add((s, p, o))
    triples = sorted(data)
    for triple in random.Random(7).sample(triples, len(triples) // 20):
        data.remove(triple)
    expected = _full_rdfs_results(data)
    assert len(expected) > 20
    assert _ours(validate_graph(data)) == expected


def test_adding_to_the_sample_graph_by_difference_equals_a_full_rebuild(tmp_path):
    """One more document on a store that conforms (a copy of a stored one, so most of
    its statements are in the store already, as in bench/build_scale.py): the addition
    is computed from the difference it makes (holdings, inference, SHACL on what it
    touches), and the graph, its content hash and the build's record equal those of a
    full build."""
    cache = ExtractionCache(tmp_path / "cache")
    folder = tmp_path / "docs"
    folder.mkdir()
    for path in sample_corpus():
        shutil.copy(path, folder / path.name)
    extra = tmp_path / "extra" / "jp-meti-list-2025-copy.md"
    extra.parent.mkdir()
    shutil.copy(corpus("jp-meti-list-2025.md")[0], extra)
    store = open_store(tmp_path / "s")
    assert build(store, [folder], reason=False, cache=cache).validation.conforms
    reader = ExtractionCache(tmp_path / "cache")
    added = add_documents(store, [extra], cache=reader, reason=False)
    assert added.full_because == "" and "difference" in added.stages and added.extracted == 1
    # the stored documents are read from the build's record, not from their cached extractions
    assert (reader.hits, reader.misses) == (0, 1)
    assert len(added.documents) == len(sample_corpus()) + 1
    full, report = full_build(tmp_path, "full", [folder, extra])
    assert added.content_hash == report.content_hash
    assert graph_hash(store) == graph_hash(full)
    assert store.dump("nq") == full.dump("nq")  # the build's record too


def test_a_new_version_of_a_stored_document_is_built_in_full(tmp_path):
    cache = ExtractionCache(tmp_path / "cache")
    store = open_store(tmp_path / "s")
    build(store, corpus(*DOCS[:2]), reason=False, cache=cache)
    before = store.dump("nq")
    added = add_documents(store, corpus(DOCS[0]), cache=cache, reason=False)  # a new version of a stored one
    assert added.updated == ["us-jp-tokyo-statement-2019"] and added.full_because == ""
    assert "difference" not in added.stages and store.dump("nq") == before


def test_adding_new_instruments_in_union_members_by_difference_equals_a_full_rebuild(tmp_path):
    """Documents the store has no statement of (a German and an Italian instrument):
    their entries apply in their states and, through the chains, in what those
    states belong to; the inferences are read from a step around each new statement,
    and the graph equals a full build's."""
    folder, extra = _held_apart(tmp_path, {"de-awv-21st-amendment-2024.md", "it-decreto-1325-2024.md"})
    cache = ExtractionCache(tmp_path / "cache")
    store = open_store(tmp_path / "s")
    assert build(store, [folder], reason=False, cache=cache).validation.conforms
    added = add_documents(store, sorted(extra.iterdir()), cache=cache, reason=False)
    assert added.full_because == "" and "difference" in added.stages and added.inferred > 0
    full, report = full_build(tmp_path, "full", [folder, extra])
    assert added.content_hash == report.content_hash
    assert store.dump("nq") == full.dump("nq")


def test_a_remote_build_sent_in_pieces_and_an_addition_by_difference_give_the_embedded_graph(
    remote_engine, tmp_path, monkeypatch
):
    """On each engine (the Oxigraph server, Virtuoso): the build's file is sent a piece
    at a time (small pieces here, so every graph takes several requests), the addition
    by its difference (``RemoteStore.apply``: one DELETE DATA/INSERT DATA request); the
    graph is the embedded full build's."""
    from qharmony.queries import remote

    monkeypatch.setattr(remote, "SEND_BYTES", 32 * 1024)
    cache = ExtractionCache(tmp_path / "cache")
    target = remote_engine.open(timeout=120)
    assert build(target, corpus(*DOCS[:2]), reason=False, cache=cache, replace=True).validation.conforms
    added = add_documents(target, corpus(DOCS[2]), cache=cache, reason=False)
    assert added.full_because == "" and "difference" in added.stages
    full, report = full_build(tmp_path, "full", corpus(*DOCS))
    assert added.content_hash == report.content_hash
    assert graph_hash(target) == graph_hash(full)


class _Undumped:
    """The store, but its dump refused: keeping an addition's version must not need it."""

    def __init__(self, store):
        self.store = store

    def count(self) -> int:
        return self.store.count()

    def dump_spelling(self, nquads: bytes) -> list[str] | None:
        return self.store.dump_spelling(nquads)

    def dump(self, fmt: str = "nq") -> bytes:
        raise AssertionError("the addition's version was made by dumping the store")


def test_an_addition_s_version_is_made_from_the_previous_one_and_its_difference(tmp_path):
    """`qharmony add` keeps its version for diffs from the previous version and the
    difference it applied: the same statements, counts and documents as a dump of the
    store, without one."""
    from qharmony.queries.versions import count_quads, list_versions, read_version, record_difference, record_version

    cache, folder = ExtractionCache(tmp_path / "cache"), tmp_path / "versions"
    store = open_store(tmp_path / "s")
    before = build(store, corpus(DOCS[0]), reason=False, cache=cache)
    record_version(store, folder, content_hash=before.content_hash)
    added = add_documents(store, corpus(DOCS[1]), cache=cache, reason=False)
    previous, removed, inserted = added.difference
    assert previous == before.content_hash
    info = record_difference(
        _Undumped(store), folder, previous=previous, removed=removed, added=inserted, content_hash=added.content_hash
    )
    assert list_versions(folder).versions[0] == info
    lines = store.dump("nq").decode("utf-8").splitlines()
    assert added.triples == len(lines) == store.count()  # counted on from the manifest, not by reading the store
    assert sorted(read_version(folder, info)) == sorted(lines)
    counts, documents = count_quads(lines)
    assert info.counts == counts and info.documents == documents

    # ``qharmony load`` writes the store without a new content hash: the next addition
    # neither counts on from the manifest nor keeps its difference on the version before
    store.load(b'<http://u/x> <http://u/y> "mine" .\n', "nt", graph="http://u/g")
    added = add_documents(store, corpus(DOCS[2]), cache=cache, reason=False)
    previous, removed, inserted = added.difference
    info = record_difference(
        store,
        folder,
        previous=previous,
        removed=removed,
        added=inserted,
        content_hash=added.content_hash,
        since=added.since,
    )
    lines = store.dump("nq").decode("utf-8").splitlines()
    assert added.triples == len(lines) == store.count()
    assert sorted(read_version(folder, info)) == sorted(lines) and info.counts["statements"] == len(lines)
