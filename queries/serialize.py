"""Conversions between RDF serialisations, for formats a backend cannot write itself."""

from __future__ import annotations

from collections.abc import Iterable

import rdflib

from .formats import FORMATS, rdf_format
from .results import Term, Triple


def convert_dataset(nquads: bytes, fmt: str) -> bytes:
    """Re-serialise N-Quads; triple formats get the union of all graphs."""
    dataset = rdflib.Dataset()
    dataset.parse(data=nquads, format=FORMATS["nq"].rdflib)
    if rdf_format(fmt).dataset:
        return dataset.serialize(format=rdf_format(fmt).rdflib, encoding="utf-8")
    union = rdflib.Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union.serialize(format=rdf_format(fmt).rdflib, encoding="utf-8")


def ntriples(statements: Iterable[tuple[Term, ...]], sort: bool = False) -> str:
    """Triples as N-Triples, quads as N-Quads (the same line syntax with a graph):
    one statement a line, sorted when a canonical text is needed (to hash it)."""
    lines = (" ".join(term.n3() for term in statement) + " .\n" for statement in statements)
    return "".join(sorted(lines) if sort else lines)


def triples_to(triples: Iterable[Triple], fmt: str) -> bytes:
    """Serialise triples as Turtle, RDF/XML, JSON-LD or N-Triples."""
    graph = rdflib.Graph()
    graph.parse(data=ntriples(triples), format=FORMATS["nt"].rdflib)
    return graph.serialize(format=rdf_format(fmt).rdflib, encoding="utf-8")


def term_from_rdflib(node) -> Term:
    """Our term for an rdflib node: the one conversion, for the remote backend and the build."""
    if isinstance(node, rdflib.URIRef):
        return Term("uri", str(node))
    if isinstance(node, rdflib.BNode):
        return Term("bnode", str(node))
    return Term.literal(str(node), str(node.datatype) if node.datatype else None, node.language)


def rdflib_converter():
    """A function from our terms to rdflib nodes, remembering each term it has seen
    (a build names the same IRIs thousands of times): the way into rdflib without
    writing and parsing N-Triples text."""
    known: dict[Term, rdflib.term.Node] = {}

    def convert(term: Term) -> rdflib.term.Node:
        node = known.get(term)
        if node is None:
            if term.type == "uri":
                node = rdflib.URIRef(term.value)
            elif term.type == "bnode":
                node = rdflib.BNode(term.value)
            else:
                node = rdflib.Literal(term.value, lang=term.lang, datatype=None if term.lang else term.datatype)
            known[term] = node
        return node

    return convert
