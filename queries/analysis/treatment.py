"""Favourable treatment one jurisdiction gives another on a date: licence exceptions
that name a destination, and instruments that exempt one."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from qharmony.ontology.namespaces import compact

from ..catalog import select_all
from ..dates import IN_FORCE, UNKNOWN, InstrumentDates, in_force
from ..results import cell, in_total_order
from ..store import Store


@dataclass
class Treatment:
    giver: str
    receiver: str
    measure: str
    measure_label: str
    kind: str
    applies_from: str

    def to_json(self) -> dict:
        return asdict(self)


def treatment(store: Store, as_of: date) -> list[Treatment]:
    """Favourable treatment that applies on ``as_of``. A measure whose instrument has
    no date at all is kept (the graph says it exists and nothing says it ended)."""
    out = []
    for r in in_total_order(select_all(store, "favourable_treatment").rows):
        status = in_force(InstrumentDates.from_row(r), as_of)
        if status.state not in (IN_FORCE, UNKNOWN):
            continue
        out.append(
            Treatment(
                r["giverCode"].value,
                r["receiverCode"].value,
                r["measure"].value,
                cell(r, "measureLabel", compact(r["measure"].value)),
                r["kind"].value,
                status.since,
            )
        )
    return out
