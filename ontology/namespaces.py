"""The only place where qharmony spells IRIs and prefixes.

Entity IRIs live in one persistent namespace that does not depend on the host serving
them; the explorer answers for each under ``/id/...``.
"""

from __future__ import annotations

import re
from urllib.parse import quote

BASE = "https://w3id.org/qharmony/"
QH = BASE + "ontology#"
ID = BASE + "id/"
GRAPH = BASE + "graph/"

ONTOLOGY_IRI = BASE + "ontology"
#: Named in the head of an answer that a limit cut short.
TRUNCATED = BASE + "limits#truncated"
ONTOLOGY_GRAPH = GRAPH + "ontology"
VALIDATION_GRAPH = GRAPH + "validation"
QUARANTINE_GRAPH = GRAPH + "quarantine"
META_GRAPH = GRAPH + "meta"
INFERRED_GRAPH = GRAPH + "inferred"
REFERENCE_GRAPH = GRAPH + "reference"
#: What the graph holds (coverage statements), measure and document kinds: derived by
#: the build from the documents, and the sample corpus's own declarations.
HOLDINGS_GRAPH = GRAPH + "holdings"
#: reviewers' decisions on extracted facts, with PROV-O: the audit graph (issue 16)
REVIEW_GRAPH = GRAPH + "review"
#: skolem IRIs for the ontology's blank nodes (RDF 1.1 section 3.5)
GENID = BASE + ".well-known/genid/"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
ELI = "http://data.europa.eu/eli/ontology#"
QUDT = "http://qudt.org/schema/qudt/"
UNIT = "http://qudt.org/vocab/unit/"
SH = "http://www.w3.org/ns/shacl#"
#: Wikidata items a jurisdiction or organisation is linked to
WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"
#: SPARQL service descriptions (a Virtuoso keeps its own in a graph)
SD = "http://www.w3.org/ns/sparql-service-description#"
#: graphs OpenLink Virtuoso keeps for itself in every database (its RDF views and LDP
#: vocabulary); the remote store hides them, with its service-description graph
VIRTUOSO_SYSTEM_GRAPHS = ("http://www.openlinksw.com/schemas/virtrdf#", "http://www.w3.org/ns/ldp#")

PREFIXES: dict[str, str] = {
    "qh": QH,
    "qhid": ID,
    "qhg": GRAPH,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "prov": PROV,
    "eli": ELI,
    "qudt": QUDT,
    "unit": UNIT,
    "sh": SH,
}

_UNSAFE = re.compile(r"[^A-Za-z0-9._~-]+")


def slug(text: str) -> str:
    """A stable IRI segment: readable where it can be, percent-encoded where it must."""
    cleaned = _UNSAFE.sub("-", text.strip()).strip("-")
    return quote(cleaned or "unnamed", safe="._~-")


def entity(kind: str, *parts: str) -> str:
    """A data IRI such as ``.../id/entry/US/4A906.a.1``; same input, same IRI."""
    return ID + "/".join([kind, *(slug(p) for p in parts)])


def document_graph(document_slug: str) -> str:
    """The named graph that holds what was extracted from one source document."""
    return GRAPH + "doc/" + slug(document_slug)


def compact(iri: str) -> str:
    """The shortest prefixed name for an IRI, or the IRI itself."""
    best = iri
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) - len(ns) < len(best):
            local = iri[len(ns) :]
            if local and "/" not in local and "#" not in local:
                best = f"{prefix}:{local}"
    return best
