"""Bringing your own RDF: parse it first, then add it beside what is there in one
step, so a file that does not parse changes nothing; and keeping such graphs across
builds."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox

from qharmony.ontology.namespaces import GRAPH

from .errors import QueryError
from .formats import DATASET_FORMATS, FORMATS, SUFFIXES
from .store import Store

_OURS = re.compile(r"<" + re.escape(GRAPH) + r"[^>]*>\s*\.\s*$")


def format_of(path: Path) -> str:
    """Our short format name for an RDF file, from its suffix."""
    found = SUFFIXES.get(path.suffix.lower())
    if found is None:
        raise QueryError(f"{path}: unknown RDF file type '{path.suffix}'; known: {', '.join(sorted(SUFFIXES))}")
    return found.name


def as_nquads(data: bytes, fmt: str, graph: str | None, source: str = "the data") -> bytes:
    """Parse RDF into N-Quads, into ``graph`` for triple formats; errors name the line."""
    if fmt in DATASET_FORMATS and graph:
        raise QueryError(f"{source}: a {fmt} file names its own graphs; drop --graph")
    if fmt not in DATASET_FORMATS and not graph:
        raise QueryError(f"{source}: say which named graph to load the triples into (--graph IRI)")
    if graph and graph.startswith(GRAPH):
        raise QueryError(f"{graph} belongs to qharmony's builds; choose a graph outside {GRAPH}")
    memory = ox.Store()
    try:
        target = ox.NamedNode(graph) if graph else None
        memory.load(data, format=ox.RdfFormat.from_media_type(FORMATS[fmt].media_type), to_graph=target)
    except (SyntaxError, ValueError) as exc:
        raise QueryError(f"{source}: {exc}") from None
    for name in memory.named_graphs():
        if isinstance(name, ox.NamedNode) and name.value.startswith(GRAPH):
            raise QueryError(
                f"{source}: graph <{name.value}> belongs to qharmony's builds; use a graph outside {GRAPH}"
            )
    return memory.dump(format=ox.RdfFormat.N_QUADS) or b""


def user_graphs(store: Store) -> bytes:
    """The statements of graphs that builds do not make, to carry over a rebuild."""
    lines = store.dump("nq").decode("utf-8").splitlines(keepends=True)
    return "".join(line for line in lines if line.strip() and not _OURS.search(line)).encode()


def load_files(store: Store, paths: list[Path], graph: str | None = None) -> list[int]:
    """Add RDF files to the store, all or nothing: every file is read and parsed
    before any is added, so one bad file leaves the store as it was. Returns how many
    statements each file brought."""
    parsed = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise QueryError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
        parsed.append(as_nquads(data, format_of(path), graph, str(path)))
    store.load(b"".join(parsed), "nq")  # one addition beside what is there: the store is not rewritten
    return [added.count(b"\n") for added in parsed]


def load_file(store: Store, path: Path, graph: str | None = None) -> int:
    """Add one RDF file to the store; returns how many statements it brought."""
    return load_files(store, [path], graph)[0]
