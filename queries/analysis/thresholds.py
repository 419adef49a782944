"""Each entry's thresholds, normalised to one unit per quantity kind, as a box."""

from __future__ import annotations

from qharmony.ontology.units import UnitError, normalise

from ..catalog import select_all
from ..results import Term
from ..store import Store
from .answers import answer, is_known
from .bands import Box
from .regimes import jurisdiction_iri


def thresholds(store: Store, jurisdictions: list[str] | None = None) -> dict[str, Box]:
    """Entry IRI -> its box, for the named jurisdictions (all when None). A threshold
    in a unit we cannot convert is left out rather than compared wrongly. Read once
    per graph version (``answers``); the boxes are shared, to be read only."""
    params = tuple(jurisdictions) if jurisdictions is not None else None
    if params is not None and is_known(store, "thresholds", None):
        return answer(store, "thresholds", None, lambda: _thresholds(store, None))  # a superset: same boxes
    return answer(store, "thresholds", params, lambda: _thresholds(store, jurisdictions))


def _thresholds(store: Store, jurisdictions: list[str] | None) -> dict[str, Box]:
    boxes: dict[str, Box] = {}
    for place in jurisdictions or [None]:
        if place:
            rows = select_all(store, "entry_thresholds", {"jurisdiction": Term.iri(jurisdiction_iri(place))}).rows
        else:
            rows = select_all(store, "all_thresholds").rows
        for r in rows:
            entry = r["entry"].value
            if r["comparator"].value == "unstated":
                boxes.setdefault(entry, Box(entry)).unstated.add(r["parameter"].value)
                continue
            try:
                value, _unit = normalise(r["value"].value, r["unit"].value)
            except (UnitError, ValueError):
                continue
            boxes.setdefault(entry, Box(entry)).add(r["parameter"].value, r["comparator"].value, value)
    return boxes
