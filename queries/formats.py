"""The one table of RDF serialisations: our short name, media type, rdflib's name,
file suffixes and whether the format holds named graphs.

Loading, dumping, conversion and content negotiation all read it, so a format is
added (or spelled) in one place.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RdfFormat:
    #: our short name, used in options and ``?format=``: ``ttl``
    name: str
    media_type: str
    #: the name rdflib's parse and serialize take
    rdflib: str
    #: file suffixes, the preferred one first
    suffixes: tuple[str, ...]
    #: True for formats that hold named graphs (N-Quads, TriG)
    dataset: bool = False


FORMATS: dict[str, RdfFormat] = {
    f.name: f
    for f in (
        RdfFormat("nq", "application/n-quads", "nquads", (".nq",), dataset=True),
        RdfFormat("trig", "application/trig", "trig", (".trig",), dataset=True),
        RdfFormat("nt", "application/n-triples", "nt", (".nt",)),
        RdfFormat("ttl", "text/turtle", "turtle", (".ttl",)),
        RdfFormat("rdf", "application/rdf+xml", "xml", (".rdf", ".owl", ".xml")),
        RdfFormat("jsonld", "application/ld+json", "json-ld", (".jsonld", ".json")),
    )
}
#: formats that hold named graphs
DATASET_FORMATS = frozenset(name for name, f in FORMATS.items() if f.dataset)
#: formats of a single graph
GRAPH_FORMATS = tuple(name for name, f in FORMATS.items() if not f.dataset)
#: file suffix -> format
SUFFIXES: dict[str, RdfFormat] = {s: f for f in FORMATS.values() for s in f.suffixes}
#: media type -> format
MEDIA_TYPES: dict[str, RdfFormat] = {f.media_type: f for f in FORMATS.values()}


def rdf_format(name: str) -> RdfFormat:
    """A format by short name, or an error listing the known ones."""
    try:
        return FORMATS[name]
    except KeyError:
        raise ValueError(f"unknown RDF format {name!r}; known: {', '.join(FORMATS)}") from None
