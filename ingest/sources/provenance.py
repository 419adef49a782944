"""What the graph records about each fetched text: where it came from (URL), when we
retrieved it, the publisher's date, its SHA-256, the jurisdiction it belongs to and
the source it is one version of. These statements sit in the document's own graph,
so every fact extracted from that version shares a graph with its provenance.

Also: the statements of the store to carry over a sync's build (every document graph
but the ones being built, and the graphs derived from them), as quads."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pyoxigraph as ox

from qharmony.ontology.namespaces import (
    DCTERMS,
    GRAPH,
    HOLDINGS_GRAPH,
    PROV,
    QUARANTINE_GRAPH,
    REFERENCE_GRAPH,
    XSD,
    document_graph,
    entity,
)
from qharmony.queries.results import Term

from ..mapping import Quad

#: the graphs a sync carries over besides the document graphs: made from documents,
#: and not remade from the new texts alone
_CARRIED = (REFERENCE_GRAPH, HOLDINGS_GRAPH, QUARANTINE_GRAPH)


def provenance_quads(document: str, record: Mapping[str, str]) -> list[Quad]:
    """The provenance of one fetched version (``record`` as kept in the cache index:
    url, retrieved, publisher_date, sha256, jurisdiction, source, citation)."""
    g = Term.iri(document_graph(document))
    doc = Term.iri(entity("document", document))
    quads: list[Quad] = [
        (doc, Term.iri(DCTERMS + "source"), Term.iri(record["url"]), g),
        (doc, Term.iri(PROV + "generatedAtTime"), Term.literal(record["retrieved"], XSD + "dateTime"), g),
        (doc, Term.iri(DCTERMS + "identifier"), Term.literal("sha256:" + record["sha256"]), g),
        (doc, Term.iri(DCTERMS + "isVersionOf"), Term.iri(entity("source", record["source"])), g),
        (doc, Term.iri(DCTERMS + "spatial"), Term.iri(entity("jurisdiction", record["jurisdiction"])), g),
    ]
    if record.get("publisher_date"):
        quads.append((doc, Term.iri(DCTERMS + "modified"), Term.literal(record["publisher_date"], XSD + "date"), g))
    if record.get("citation"):
        quads.append((doc, Term.iri(DCTERMS + "bibliographicCitation"), Term.literal(record["citation"]), g))
    return quads


def _term(node) -> Term:
    if isinstance(node, ox.NamedNode):
        return Term.iri(node.value)
    if isinstance(node, ox.BlankNode):
        return Term("bnode", node.value)
    if node.language:
        return Term.literal(node.value, None, node.language)
    return Term.literal(node.value, node.datatype.value)


def carried_quads(nquads: bytes, rebuilt: Iterable[str]) -> list[Quad]:
    """From a dump of the store: the quads of every document graph except those of
    the ``rebuilt`` documents, and of the graphs derived from documents."""
    skip = {document_graph(d) for d in rebuilt}
    out: list[Quad] = []
    for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS):
        graph = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
        if graph in skip or not (graph.startswith(GRAPH + "doc/") or graph in _CARRIED):
            continue
        out.append((_term(q.subject), _term(q.predicate), _term(q.object), Term.iri(graph)))
    return out
