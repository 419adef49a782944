"""A whole SELECT answer read from the TSV pyoxigraph writes (in Rust) rather than
term by term through its Python objects: the analyses read answers of tens of
thousands of rows uncapped, and building a Python object for every cell, then
hashing it to share equal terms, cost them a quarter of what the engine took.
Each distinct cell text is parsed once; a cell this reader does not know (an
RDF-star triple term) returns None, and the caller takes the term-by-term way."""

from __future__ import annotations

import re

from .results import SelectResult, Term

XSD = "http://www.w3.org/2001/XMLSchema#"
LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?[0-9]*\.[0-9]+")
_DOUBLE = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)[eE][+-]?[0-9]+")
_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")
_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


class Unknown(ValueError):
    """A cell this reader does not parse."""


def _unescape(match: re.Match) -> str:
    code = match.group(1)
    if len(code) > 1:
        return chr(int(code[1:], 16))
    if code not in _ECHAR:
        raise Unknown(code)
    return _ECHAR[code]


def _literal(cell: str) -> Term:
    end = cell.rfind('"')
    if end <= 0:
        raise Unknown(cell)
    value = cell[1:end]
    if "\\" in value:
        value = _ESCAPE.sub(_unescape, value)
    rest = cell[end + 1 :]
    if not rest:
        return Term("literal", value)
    if rest[0] == "@" and "--" not in rest:  # a direction ("@en--ltr") is read term by term
        return Term("literal", value, LANG_STRING, rest[1:])
    if rest.startswith("^^<") and rest.endswith(">"):
        return Term.literal(value, rest[3:-1])
    raise Unknown(cell)


def parse_cell(cell: str) -> Term:
    """One TSV cell (not empty) as our term; ``Unknown`` when it is none we read."""
    first = cell[0]
    if first == "<":
        if cell.startswith("<<") or not cell.endswith(">"):
            raise Unknown(cell)
        return Term("uri", cell[1:-1])
    if first == '"':
        return _literal(cell)
    if cell.startswith("_:"):
        return Term("bnode", cell[2:])
    if cell in ("true", "false"):
        return Term("literal", cell, XSD + "boolean")
    if _INTEGER.fullmatch(cell):
        return Term("literal", cell, XSD + "integer")
    if _DECIMAL.fullmatch(cell):
        return Term("literal", cell, XSD + "decimal")
    if _DOUBLE.fullmatch(cell):
        return Term("literal", cell, XSD + "double")
    raise Unknown(cell)


def rows_from_tsv(body: bytes) -> SelectResult | None:
    """The answer in ``body`` (SPARQL TSV as pyoxigraph writes it: a header of
    ``?names``, a row a line, an unbound cell empty), or None when a cell is not one
    this reader knows."""
    lines = body.decode("utf-8").split("\n")
    if lines[-1] == "":
        lines.pop()  # the end of the last line
    names = [name[1:] for name in lines[0].split("\t")] if lines and lines[0] else []
    if not names:
        return SelectResult([], [{} for _ in lines[1:]], False)
    seen: dict[str, Term] = {}
    rows: list[dict[str, Term]] = []
    try:
        for line in lines[1:]:
            row = {}
            for name, cell in zip(names, line.split("\t"), strict=True):
                if cell:
                    term = seen.get(cell)
                    if term is None:
                        term = seen[cell] = parse_cell(cell)
                    row[name] = term
            rows.append(row)
    except ValueError:  # Unknown, or a line of the wrong width
        return None
    return SelectResult(names, rows, False)
