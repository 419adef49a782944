"""Statements about a set of nodes, read back from the store: what a build needs to
re-infer and re-validate only what a change touched (``ingest/delta.py``).

The nodes are bound in a VALUES block of escaped terms, as every parameter is, never
written into the query text as they come."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Sequence

from .catalog import get_query
from .results import Term
from .store import Store

#: terms per VALUES block: one request stays small for any endpoint
BATCH = 400

Statement = tuple[Term, Term, Term, Term]


def _uncapped(store: Store) -> Store:
    """The store without the row cap meant for people's queries: a build must read
    every statement it asks for."""
    view = copy.copy(store)
    view.max_rows = 2**62
    return view


def _rows_clause(names: Sequence[str], rows: Sequence[Sequence[Term]]) -> str:
    head = " ".join("?" + n for n in names)
    body = " ".join("(" + " ".join(t.n3() for t in row) + ")" for row in rows)
    return f"\nVALUES ({head}) {{ {body} }}\n"


def _plain(term: Term) -> Term:
    """A literal spelled as the build spells it (a language tag and no datatype, no
    xsd:string), so that statements read back compare equal to those made."""
    if term.type != "literal":
        return term
    return Term.literal(term.value, None if term.lang else term.datatype, term.lang or None)


def statements(
    store: Store,
    prefix: str,
    names: Sequence[str],
    rows: Iterable[Sequence[Term]],
    *,
    keep: Callable[[str], bool] | None = None,
    first: bool = False,
) -> list[Statement]:
    """Every statement in the graphs under ``prefix`` (and accepted by ``keep``) whose
    variables ``names`` (of s, p, o) take the values of one of ``rows``. ``first``: a
    backend that reads its indexes may stop at the first statement of each row (is
    a triple in the data at all, however many documents state it)."""
    match = getattr(store, "match", None)
    if callable(match):  # a backend that reads its indexes directly
        patterns = [tuple(dict(zip(names, row, strict=True)).get(v) for v in ("s", "p", "o")) for row in rows]
        hits = match(patterns, prefix, limit=1 if first else None, keep=keep)
        return [(s, p, _plain(o), g) for s, p, o, g in hits]
    text = get_query("graph_statements").text
    view = _uncapped(store)
    pre = Term.literal(prefix)
    rows = list(dict.fromkeys(tuple(r) for r in rows))
    found: list[Statement] = []
    for start in range(0, len(rows), BATCH):
        block = [(pre, *row) for row in rows[start : start + BATCH]]
        # inside the group, so that the FILTER sees the values (a trailing VALUES joins after it)
        query = text.replace("WHERE {", "WHERE {" + _rows_clause(["prefix", *names], block), 1)
        for row in view.select(query).rows:
            if keep is None or keep(row["g"].value):
                found.append((row["s"], row["p"], _plain(row["o"]), row["g"]))
    return found


def used(store: Store, prefix: str, pairs: Iterable[tuple[Term, Term]]) -> set[tuple[Term, Term]]:
    """The (predicate, value) pairs of ``pairs`` that some statement in the graphs
    under ``prefix`` has, each found once: a value used by every document (the
    pipeline run every evidence record names) is not read statement by statement."""
    pairs = list(dict.fromkeys(pairs))
    match = getattr(store, "match", None)
    if callable(match):
        hits = match([(None, p, o) for p, o in pairs], prefix, limit=1)
        return {(p, _plain(o)) for s, p, o, g in hits}
    text = get_query("graph_uses").text
    view = _uncapped(store)
    pre = Term.literal(prefix)
    found: set[tuple[Term, Term]] = set()
    for start in range(0, len(pairs), BATCH):
        block = [(pre, *pair) for pair in pairs[start : start + BATCH]]
        query = text.replace("WHERE {", "WHERE {" + _rows_clause(["prefix", "p", "o"], block), 1)
        for row in view.select(query).rows:
            found.add((row["p"], _plain(row["o"])))
    return found
