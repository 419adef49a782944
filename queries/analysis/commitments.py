"""What arrangements agreed to control, and who was party on a date."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from qharmony.ontology.namespaces import compact

from ..catalog import select_all
from ..dates import as_of_term
from ..results import Term, cell
from ..store import Store


@dataclass
class Commitment:
    arrangement: str
    name: str
    technology: str
    parties: list[str]


def commitments(store: Store, as_of: date, arrangement: str | None = None) -> list[Commitment]:
    """Each arrangement's agreed controls per technology, with its parties on ``as_of``."""
    bindings = {"asOf": as_of_term(as_of)}
    if arrangement:
        bindings["arrangement"] = Term.iri(arrangement)
    grouped: dict[tuple, set[str]] = defaultdict(set)
    names: dict[str, str] = {}
    for r in select_all(store, "arrangement_commitments", bindings).rows:
        key = (r["arrangement"].value, r["technology"].value)
        grouped[key].add(r["code"].value)
        names[key[0]] = cell(r, "name", compact(key[0]))
    return [Commitment(a, names[a], t, sorted(p)) for (a, t), p in sorted(grouped.items())]
