"""Where the ontology and shapes live, and their parsed forms."""

from __future__ import annotations

from functools import cache
from importlib import resources

import rdflib

ONTOLOGY_FILE = "qharmony.ttl"
SHAPES_FILE = "shapes.ttl"


def read_text(name: str) -> str:
    """The Turtle source of a bundled vocabulary file."""
    return resources.files("qharmony.ontology").joinpath(name).read_text(encoding="utf-8")


@cache
def _parsed(name: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=read_text(name), format="turtle")


def ontology_graph() -> rdflib.Graph:
    """The ontology as an rdflib graph (a fresh copy: callers may add to it)."""
    graph = rdflib.Graph()
    for triple in _parsed(ONTOLOGY_FILE):
        graph.add(triple)
    return graph


def shared_ontology_graph() -> rdflib.Graph:
    """The ontology as an rdflib graph (shared; do not modify): for reading it often."""
    return _parsed(ONTOLOGY_FILE)


def shapes_graph() -> rdflib.Graph:
    """The SHACL shapes as an rdflib graph (shared; do not modify)."""
    return _parsed(SHAPES_FILE)
