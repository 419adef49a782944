"""A proof, from a query's tokens alone, that evaluating it costs no more than reading
the rows it may return: one triple pattern, nothing that sorts, groups, skips or joins.

Why: a query worker is another process, and on a loaded machine each hop to it and
back waits for a time slice: a fresh lookup took several times what the Oxigraph
server takes. Most light queries a client sends are one pattern: an entity's
statements (``SELECT ?p ?o WHERE { <e> ?p ?o }``), whether something holds
(``ASK { ... }``), the first rows of one property (``... LIMIT 20``). Oxigraph answers
a single pattern from one of its indexes, streaming, and stops at the row cap the
endpoint puts on every answer, so such a query can neither run long, nor grow in
memory, nor nest deep enough to crash the engine: it is safe to evaluate in the
server's own process. Anything the proof does not recognise goes to a worker, as
before. The proof is strict on purpose: a shape it refuses costs a hop, a shape it
wrongly accepted could cost the server.

Accepted, after any ``BASE`` and ``PREFIX`` declarations::

    SELECT (* | ?v ...) [WHERE] { s p o [.] } [LIMIT n]
    ASK [WHERE] { s p o [.] }

where ``s``, ``p`` and ``o`` are each an IRI, a prefixed name or a variable (``p``
also ``a``; no variable twice: that would filter a whole index), and ``o`` may be a
plain or typed string, or a whole number.
"""

from __future__ import annotations

import functools

from .screen import CACHED_CHARS, query_tokens


def is_bounded(query: str) -> bool:
    """True when the text is one triple pattern as the module docstring says: its
    cost is bounded by the rows it returns (and so by the row cap)."""
    return (_proved if len(query) <= CACHED_CHARS else _prove)(query)


def _is_node(token: tuple[str, str], predicate: bool = False) -> bool:
    kind, text = token
    if kind in ("iri", "var"):
        return True
    return kind == "name" and (":" in text or (predicate and text == "a"))


def _object_end(tokens: list[tuple[str, str]], i: int) -> int:
    """Where the object starting at ``i`` ends (its last token + 1), or -1."""
    if i >= len(tokens):
        return -1
    if _is_node(tokens[i]):
        return i + 1
    kind, text = tokens[i]
    if kind == "number" and text.isdigit():
        return i + 1
    if kind != "string":
        return -1
    if i + 2 < len(tokens) and tokens[i + 1] == ("op", "^^"):
        return i + 3 if _is_node(tokens[i + 2]) and tokens[i + 2][0] != "var" else -1
    return i + 1


def _prologue_end(tokens: list[tuple[str, str]]) -> int:
    i = 0
    while i < len(tokens) and tokens[i][0] == "name":
        word = tokens[i][1].upper()
        if word == "BASE" and i + 1 < len(tokens) and tokens[i + 1][0] == "iri":
            i += 2
        elif word == "PREFIX" and i + 2 < len(tokens) and tokens[i + 1][1].endswith(":") and tokens[i + 2][0] == "iri":
            i += 3
        else:
            break
    return i


def _prove(query: str) -> bool:
    tokens = list(query_tokens(query))
    i = _prologue_end(tokens)
    if i >= len(tokens) or tokens[i][0] != "name":
        return False
    form = tokens[i][1].upper()
    i += 1
    if form == "SELECT":
        if i < len(tokens) and tokens[i] == ("op", "*"):
            i += 1
        else:
            start = i
            while i < len(tokens) and tokens[i][0] == "var":
                i += 1
            if i == start:
                return False
    elif form != "ASK":
        return False
    if i < len(tokens) and tokens[i][0] == "name" and tokens[i][1].upper() == "WHERE":
        i += 1
    if tokens[i : i + 1] != [("open", "{")] or i + 3 >= len(tokens):
        return False
    if not (_is_node(tokens[i + 1]) and _is_node(tokens[i + 2], predicate=True)):
        return False
    end = _object_end(tokens, i + 3)
    names = [text for kind, text in tokens[i + 1 : i + 4] if kind == "var"]
    if end < 0 or len({name[1:] for name in names}) < len(names):
        return False  # a variable twice (``?x ?x ?o``) is a filter over a whole index
    i = end
    if tokens[i : i + 1] == [("other", ".")]:
        i += 1
    if tokens[i : i + 1] != [("close", "}")]:
        return False
    rest = tokens[i + 1 :]
    if not rest:
        return True
    limit = len(rest) == 2 and rest[0][0] == "name" and rest[0][1].upper() == "LIMIT"
    return form == "SELECT" and limit and rest[1][0] == "number" and rest[1][1].isdigit()


_proved = functools.lru_cache(maxsize=512)(_prove)
