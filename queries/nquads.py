"""N-Quads lines as the stores dump them, split into their four terms, so two dumps
can be compared statement by statement without loading either into a store."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

_TERM = r'(<[^>]*>|_:\S+|"(?:[^"\\]|\\.)*"(?:\^\^<[^>]*>|@[A-Za-z0-9-]+)?)'
_QUAD = re.compile(rf"^{_TERM} {_TERM} {_TERM}(?: {_TERM})? \.$")
_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", '"': '"', "\\": "\\", "b": "\b", "f": "\f"}


@dataclass(frozen=True)
class Quad:
    """One statement: terms in their N-Quads spelling; ``graph`` is an IRI or ''."""

    subject: str
    predicate: str
    object: str
    graph: str
    line: str


def parse_line(line: str) -> Quad | None:
    """A quad from one N-Quads line; None for blank lines, comments and what does not parse."""
    match = _QUAD.match(line.strip())
    if not match:
        return None
    s, p, o, g = match.groups()
    return Quad(s, p, o, g[1:-1] if g else "", line)


def iri(term: str) -> str:
    """The IRI of an IRI term, else ''."""
    return term[1:-1] if term.startswith("<") else ""


def literal_value(term: str) -> str:
    """The lexical form of a literal term (unescaped); an IRI term's IRI; else the term."""
    if term.startswith("<"):
        return term[1:-1]
    if not term.startswith('"'):
        return term
    body = term[1 : term.rfind('"')]
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), body)


def line_chunks(path: Path, size: int) -> Iterator[bytes]:
    """An N-Quads file in pieces of about ``size`` bytes, each ending at a line's end
    (a store loads a build's file a piece at a time)."""
    with open(path, "rb") as fh:
        rest = b""
        while True:
            block = fh.read(size)
            if not block:
                break
            block = rest + block
            cut = block.rfind(b"\n") + 1
            if cut == 0:
                rest = block
                continue
            rest = block[cut:]
            yield block[:cut]
        if rest:
            yield rest


def may_name_blank_nodes(path: Path, size: int = 8 * 1024 * 1024) -> bool:
    """Whether an N-Quads file may name a blank node (a literal holding "_:" counts):
    such a file is loaded in one piece, so that a blank node stays one node."""
    return any(b"_:" in part for part in line_chunks(path, size))
