"""What differs between the SPARQL engines behind the remote store, in one place, so
that callers see the same answers whichever engine holds the graph.

The remote backend asks the endpoint once which engine it is (its ``Server`` header)
and then: derives the update and graph-store URLs the engine uses, hides the graphs
the engine keeps for itself, and reads the engine's own spellings of values back in
the standard form. Every engine speaks standard SPARQL 1.1 otherwise; the named
queries are written so that they give one answer on all of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from qharmony.ontology.namespaces import SD, VIRTUOSO_SYSTEM_GRAPHS, XSD

from .results import Term

XSD_BOOLEAN = XSD + "boolean"
_BOOLEANS = {"1": "true", "0": "false", "true": "true", "false": "false"}


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

    def derive(self, query_url: str, leaf: str) -> str:
        """The URL beside the query URL: ``leaf`` replaces a trailing /query or /sparql."""
        for tail in ("/query", "/sparql"):
            if query_url.endswith(tail):
                return query_url[: -len(tail)] + "/" + leaf
        return query_url.rstrip("/") + "/" + leaf

    def prologue(self, hidden: Iterable[str]) -> str:
        """Text put before every query so that it does not see ``hidden`` graphs."""
        return ""

    def canonical(self, term: Term) -> Term:
        """A term as the embedded store spells it."""
        return term


class Virtuoso(Dialect):
    """OpenLink Virtuoso 7: query and update at /sparql, graph store at
    /sparql-graph-crud; its default graph is the union of all its graphs, its own
    included, so they are excluded by pragma; booleans come back as 1 and 0."""

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
        return term


GENERIC = Dialect("sparql")
VIRTUOSO = Virtuoso(
    "virtuoso",
    update="sparql",
    graph_store="sparql-graph-crud",
    own_graphs=VIRTUOSO_SYSTEM_GRAPHS,
    # its service description, in a graph named after its host and /sparql
    own_graphs_query=(
        f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s a <{SD}Service> }} FILTER(STRENDS(STR(?g), "/sparql")) }}'
    ),
)


def detect(server_header: str) -> Dialect:
    """The dialect of the engine whose HTTP ``Server`` header this is."""
    return VIRTUOSO if server_header.lower().startswith("virtuoso") else GENERIC
