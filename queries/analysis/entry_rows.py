"""The entry rows a determination weighs, read set at a time.

One row per entry, instrument and technology kind the entry's class covers, with the
instrument's dates as the sources give them and the entry's code, name and broader
entry. The engine reads each entry once (``entry_facts``) and each instrument once
(``instrument_facts``, kept per graph version); the kinds a class covers come from
the technology tree. Joining them here, rather than in one query, keeps the work
proportional to the data: in one query every entry carried its instrument's dozen
optional columns and was repeated for every kind its class covers, and the engine
looked each of those up again per row.
"""

from __future__ import annotations

from collections import defaultdict

from ..catalog import select_all
from ..results import Term
from ..store import Store
from .answers import answer
from .vocabulary import technology_tree


def instrument_rows(store: Store) -> dict[str, list[dict[str, Term]]]:
    """Instrument IRI -> its rows of ``instrument_facts`` (one, or more where a source
    gives two values), read once per graph version."""
    return answer(store, "instrument-facts", (), lambda: _instrument_rows(store))


def _instrument_rows(store: Store) -> dict[str, list[dict[str, Term]]]:
    out: dict[str, list[dict[str, Term]]] = defaultdict(list)
    for r in select_all(store, "instrument_facts").rows:
        out[r["instrument"].value].append(r)
    return dict(out)


def covered_kinds(store: Store) -> dict[str, list[Term]]:
    """Class IRI -> the technology kinds it covers (itself, when it is a kind, and every
    narrower kind), as ``rdfs:subClassOf*`` from the kind reads them."""
    out: dict[str, list[Term]] = defaultdict(list)
    for iri, tech in sorted(technology_tree(store).items()):
        kind = Term.iri(iri)
        for ancestor in tech.ancestors:
            out[ancestor].append(kind)
    return dict(out)


def read_entry_rows(store: Store, bound: dict[str, Term]) -> list[dict[str, Term]]:
    """The rows of every entry (of the bound jurisdiction or entry, when given): each
    entry row joined with its instrument's rows and with each kind its class covers.
    An entry whose instrument is not a legal instrument, or whose class covers no
    kind, has no row. Unordered, as the query's: ``facts.in_order`` orders them."""
    instruments = instrument_rows(store)
    kinds = covered_kinds(store)
    out: list[dict[str, Term]] = []
    # every entry at once reads whole columns; a bound place or entry starts from its own
    for r in select_all(store, "entry_facts" if bound else "all_entry_facts", bound).rows:
        found = instruments.get(r["instrument"].value)
        covered = kinds.get(r["controlled"].value)
        if not found or not covered:
            continue
        for inst in found:
            joined = {**r, **inst}
            for kind in covered:
                out.append({**joined, "technology": kind})
    return out
