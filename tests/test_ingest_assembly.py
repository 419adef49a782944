"""A build assembled a batch of documents at a time: the graph does not depend on the
batch size, the spool's quarantine keeps every held statement, the embedded store's
pieces of a file are whole lines, and evidence that something points at stays with
the facts."""

from __future__ import annotations

import hashlib

import pytest

from qharmony.ingest import assembly, evidence
from qharmony.ingest.assembly import Spool
from qharmony.ingest.build import build, sample_corpus
from qharmony.ontology.namespaces import GRAPH, META_GRAPH, QH, RDF, document_graph
from qharmony.queries.nquads import line_chunks
from qharmony.queries.results import Term
from qharmony.queries.store import open_store


def _quad(s: str, p: str, o: Term, g: str):
    return (Term.iri(s), Term.iri(p), o, Term.iri(g))


def test_quarantine_takes_the_failing_nodes_statements_out_and_hashes_their_graph_again():
    g = document_graph("a")
    bad, good = "https://w3id.org/qharmony/id/entry/X/1", "https://w3id.org/qharmony/id/entry/X/2"
    quads = [
        _quad(bad, RDF + "type", Term.iri(QH + "ControlEntry"), g),
        _quad(bad, QH + "label", Term.literal("one two"), g),
        _quad(good, RDF + "type", Term.iri(QH + "ControlEntry"), g),
    ]
    spool = Spool()
    try:
        spool.write_documents(quads)
        before = spool.hashes[g]
        held = spool.quarantine({bad})
        assert sorted(held[bad]) == sorted(
            [f"<{bad}> <{RDF}type> <{QH}ControlEntry> <{g}> .\n", f'<{bad}> <{QH}label> "one two" <{g}> .\n']
        )
        text = spool.close().read_text(encoding="utf-8")
        assert text == f"<{good}> <{RDF}type> <{QH}ControlEntry> <{g}> .\n"
        assert spool.hashes[g] != before and spool.hashes[g] == hashlib.sha256(text.encode()).hexdigest()
        assert spool.lines == 1
    finally:
        spool.remove()


def test_a_file_goes_to_the_store_in_pieces_of_whole_lines(tmp_path):
    path = tmp_path / "x.nq"
    lines = [f'<http://x/{i}> <http://x/p> "{"v" * (i % 50)}" <http://x/g> .\n'.encode() for i in range(2000)]
    path.write_bytes(b"".join(lines))
    pieces = list(line_chunks(path, size=1000))
    assert len(pieces) > 10 and all(p.endswith(b"\n") for p in pieces)
    assert b"".join(pieces) == path.read_bytes()


def test_evidence_that_something_points_at_stays_with_the_facts():
    g = document_graph("a")
    pointed, alone = evidence.EVIDENCE + "a/1", evidence.EVIDENCE + "a/2"
    entry = "https://w3id.org/qharmony/id/entry/X/1"
    quads = [
        _quad(pointed, RDF + "type", Term.iri(QH + "Evidence"), g),
        _quad(alone, RDF + "type", Term.iri(QH + "Evidence"), g),
        _quad(alone, QH + "charStart", Term.literal("1", "http://www.w3.org/2001/XMLSchema#integer"), g),
        _quad(entry, QH + "citedBy", Term.iri(pointed), g),
    ]
    whole, apart = evidence.split(quads)
    assert {q[0].value for q in apart} == {alone}
    assert {q[0].value for q in whole} == {pointed, entry}


def _hash(store) -> str:
    lines = sorted(line for line in store.dump("nq").decode().splitlines() if f"<{META_GRAPH}>" not in line)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


@pytest.mark.slow
def test_the_graph_does_not_depend_on_the_batch_size(tmp_path, monkeypatch):
    docs = sample_corpus()[:5]
    one = open_store(tmp_path / "one")
    big = build(one, docs, reason=False)
    monkeypatch.setattr(assembly, "BATCH", 2)
    monkeypatch.setattr(evidence, "CHUNK", 500)
    small_store = open_store(tmp_path / "small")
    small = build(small_store, docs, reason=False)
    assert small.content_hash == big.content_hash and small.triples == big.triples
    assert small.inferred == big.inferred and small.validation == big.validation
    assert _hash(small_store) == _hash(one)
    assert all(g.startswith(GRAPH) for g in [document_graph(d) for d in small.documents])
