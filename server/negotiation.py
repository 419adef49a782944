"""Choosing an RDF format from a request (HTML, JSON, CSV and XLSX are ``render``'s)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Request

RDF_MEDIA = {
    "text/turtle": "ttl",
    "application/ld+json": "jsonld",
    "application/n-triples": "nt",
    "application/rdf+xml": "rdf",
}
#: our short format names -> rdflib's, for graphs the server describes itself
RDFLIB_FORMAT = {"ttl": "turtle", "nt": "nt", "rdf": "xml", "jsonld": "json-ld"}
RDF_SUFFIX = {
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "rdf": "application/rdf+xml",
}


def wants_rdf(request: Request) -> str | None:
    """The RDF format short name the client prefers over HTML, if any."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json", *RDF_MEDIA])
    return RDF_MEDIA.get(best or "")
