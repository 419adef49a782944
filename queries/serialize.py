"""Conversions between RDF serialisations, for formats a backend cannot write itself."""

from __future__ import annotations

from collections.abc import Iterable

import rdflib

from .results import Term, Triple

_RDFLIB_NAMES = {
    "nq": "nquads",
    "trig": "trig",
    "nt": "nt",
    "ttl": "turtle",
    "rdf": "xml",
    "jsonld": "json-ld",
}


def convert_dataset(nquads: bytes, fmt: str) -> bytes:
    """Re-serialise N-Quads; triple formats get the union of all graphs."""
    dataset = rdflib.Dataset()
    dataset.parse(data=nquads, format="nquads")
    if fmt in ("nq", "trig"):
        return dataset.serialize(format=_RDFLIB_NAMES[fmt], encoding="utf-8")
    union = rdflib.Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union.serialize(format=_RDFLIB_NAMES[fmt], encoding="utf-8")


def ntriples(triples: Iterable[Triple]) -> str:
    """Our triples as N-Triples text."""
    return "".join(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in triples)


def triples_to(triples: Iterable[Triple], fmt: str) -> bytes:
    """Serialise triples as Turtle, RDF/XML, JSON-LD or N-Triples."""
    graph = rdflib.Graph()
    graph.parse(data=ntriples(triples), format="nt")
    return graph.serialize(format=_RDFLIB_NAMES[fmt], encoding="utf-8")


def term_from_rdflib(node) -> Term:
    """Our term for an rdflib node: the one conversion, for the remote backend and the build."""
    if isinstance(node, rdflib.URIRef):
        return Term("uri", str(node))
    if isinstance(node, rdflib.BNode):
        return Term("bnode", str(node))
    return Term.literal(str(node), str(node.datatype) if node.datatype else None, node.language)
