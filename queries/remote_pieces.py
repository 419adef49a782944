"""A dataset cut into what a remote store sends a request at a time: each named
graph whole from a dataset text, or an N-Quads file read a line at a time in pieces
of a bounded size (a build's streamed output is never held whole). Parsed here, so a
dataset that does not parse is a QueryError before anything is sent."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import rdflib

from .errors import QueryError
from .formats import FORMATS
from .nquads import parse_line


def dataset_pieces(data: bytes) -> Iterator[tuple[str, bytes, int]]:
    """Each named graph of a dataset text whole: its name, N-Triples, statement count."""
    for name, graph in graphs_of(data, "nq"):
        if name is not None and len(graph):
            yield name, graph.serialize(format="nt", encoding="utf-8"), len(graph)


def file_pieces(path: Path, size: int) -> Iterator[tuple[str, bytes, int]]:
    """An N-Quads file's named graphs in pieces: all that is held is sent once it
    reaches ``size`` bytes. Each piece counts its distinct statements not sent before
    (a statement twice in the file is one in the graph); a line that does not parse is
    a QueryError naming it."""
    held: dict[str, list[str]] = {}
    seen: dict[str, set[int]] = {}
    counts: dict[str, int] = {}
    total = 0
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            quad = parse_line(line)
            if quad is None:
                if line.strip() and not line.lstrip().startswith("#"):
                    raise QueryError(f"the new dataset does not parse: {path}, line {number}: {line.strip()[:200]}")
                continue
            if not quad.graph:
                continue  # the default graph is the engine's: a build writes named graphs only
            triple = f"{quad.subject} {quad.predicate} {quad.object} .\n"
            known = seen.setdefault(quad.graph, set())
            if hash(triple) not in known:
                known.add(hash(triple))
                counts[quad.graph] = counts.get(quad.graph, 0) + 1
            held.setdefault(quad.graph, []).append(triple)
            total += len(triple)
            if total >= size:
                for name, lines in held.items():
                    yield name, "".join(lines).encode("utf-8"), counts.pop(name, 0)
                held, total = {}, 0
    for name, lines in held.items():
        yield name, "".join(lines).encode("utf-8"), counts.pop(name, 0)


def graphs_of(data: bytes, fmt: str) -> list[tuple[str | None, rdflib.Graph]]:
    """The graphs of a dataset text, each with its name (None for the default graph);
    text that does not parse is a QueryError and nothing is sent."""
    dataset = rdflib.Dataset()
    try:
        dataset.parse(data=data, format=FORMATS[fmt].rdflib)
    except Exception as exc:  # rdflib raises several parser error types
        raise QueryError(f"the new dataset does not parse: {exc}") from exc
    default = str(rdflib.graph.DATASET_DEFAULT_GRAPH_ID)
    return [(None if str(g.identifier) == default else str(g.identifier), g) for g in dataset.graphs() if len(g)]
