"""What differs between the SPARQL engines behind the remote store, in one place, so
that callers see the same answers whichever engine holds the graph.

The remote backend asks the endpoint once which engine it is (its ``Server`` header)
and then: derives the update and graph-store URLs the engine uses, hides the graphs
the engine keeps for itself, and reads the engine's own spellings of values back in
the standard form. Every engine speaks standard SPARQL 1.1 otherwise; the named
queries are written so that they give one answer on all of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from qharmony.ontology.namespaces import SD, VIRTUOSO_SYSTEM_GRAPHS, XSD

from .results import RDF_LANG_STRING, Term

XSD_BOOLEAN = XSD + "boolean"
_BOOLEANS = {"1": "true", "0": "false", "true": "true", "false": "false"}
_FLOATS = {XSD + "double", XSD + "float"}
#: a property path with * or + (after a prefixed name, an IRI or a group)
_PATH = re.compile(r"(?:[A-Za-z][\w.-]*:[\w.-]*|<[^<>\s]*>|\))[*+]")
_SPECIAL = {"inf": "INF", "+inf": "INF", "-inf": "-INF", "nan": "NaN"}


def _float_spelling(lexical: str) -> str:
    """A double's lexical form as Oxigraph writes it: shortest round-trip digits, no
    exponent, no trailing ".0"; what is not a number is left as it came."""
    text = lexical.strip()
    if text.lower() in _SPECIAL:
        return _SPECIAL[text.lower()]
    try:
        value = float(text)
    except ValueError:
        return lexical
    if value != value or value in (float("inf"), float("-inf")):
        return _SPECIAL["nan" if value != value else ("inf" if value > 0 else "-inf")]
    digits = format(Decimal(repr(value)), "f")
    return digits.rstrip("0").rstrip(".") if "." in digits else digits


@dataclass(frozen=True)
class Dialect:
    """One engine's conventions. ``update`` and ``graph_store`` are the paths that
    replace the query URL's last segment when the settings name no URL of their own."""

    name: str
    update: str = "update"
    graph_store: str = "store"
    #: graphs the engine keeps for itself, known by name
    own_graphs: tuple[str, ...] = ()
    #: a SELECT of ?g naming more of the engine's own graphs (found by asking)
    own_graphs_query: str = ""
    #: a response header saying the engine cut the answer at its own row limit
    cut_header: str = ""

    def derive(self, query_url: str, leaf: str) -> str:
        """The URL beside the query URL: ``leaf`` replaces a trailing /query or /sparql."""
        for tail in ("/query", "/sparql"):
            if query_url.endswith(tail):
                return query_url[: -len(tail)] + "/" + leaf
        return query_url.rstrip("/") + "/" + leaf

    def prologue(self, hidden: Iterable[str]) -> str:
        """Text put before every query so that it does not see ``hidden`` graphs."""
        return ""

    def prepare(self, query: str) -> str:
        """The query text as this engine answers it best (the same answer)."""
        return query

    def canonical(self, term: Term) -> Term:
        """A term as the embedded store spells it: a language-tagged string carries
        rdf:langString, a double is written as Oxigraph writes it (1, 15000000000)."""
        if term.type != "literal":
            return term
        if term.lang and term.datatype is None:
            return Term("literal", term.value, RDF_LANG_STRING, term.lang)
        if term.datatype in _FLOATS:
            return Term("literal", _float_spelling(term.value), term.datatype)
        return term


class Virtuoso(Dialect):
    """OpenLink Virtuoso 7: query and update at /sparql, graph store at
    /sparql-graph-crud; its default graph is the union of all its graphs, its own
    included, so they are excluded by pragma; booleans come back as 1 and 0."""

    def prepare(self, query: str) -> str:
        # joins in the order the query is written: Virtuoso's cost-based planner takes
        # seconds on a query of ten OPTIONALs and misjudges some (refusing them as
        # "estimated to run 7600 s"); our queries are written selective pattern first.
        # Not for a transitive path, which Virtuoso then cannot start.
        return query if _PATH.search(query) else 'DEFINE sql:select-option "order"\n' + query

    def prologue(self, hidden: Iterable[str]) -> str:
        lines = []
        for graph in hidden:
            iri = Term.iri(graph).n3()
            lines.append(f"DEFINE input:default-graph-exclude {iri}")
            lines.append(f"DEFINE input:named-graph-exclude {iri}")
        return "\n".join(lines) + "\n" if lines else ""

    def canonical(self, term: Term) -> Term:
        if term.type == "literal" and term.datatype == XSD_BOOLEAN and term.value in _BOOLEANS:
            return Term.literal(_BOOLEANS[term.value], XSD_BOOLEAN)
        return super().canonical(term)


GENERIC = Dialect("sparql")
VIRTUOSO = Virtuoso(
    "virtuoso",
    update="sparql",
    graph_store="sparql-graph-crud",
    own_graphs=VIRTUOSO_SYSTEM_GRAPHS,
    cut_header="x-sparql-maxrows",  # sent when [SPARQL] ResultSetMaxRows cut the answer
    # its service description, in a graph named after its host and /sparql
    own_graphs_query=(
        f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s a <{SD}Service> }} FILTER(STRENDS(STR(?g), "/sparql")) }}'
    ),
)


def detect(server_header: str) -> Dialect:
    """The dialect of the engine whose HTTP ``Server`` header this is."""
    return VIRTUOSO if server_header.lower().startswith("virtuoso") else GENERIC
