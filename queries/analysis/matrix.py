"""Technologies x jurisdictions on a date: not controlled, or controlled and how the
thresholds compare with a baseline jurisdiction's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..store import Store
from .bands import compare
from .regimes import regimes
from .thresholds import thresholds
from .version import Cited, GraphVersion, graph_version

_STATUS = {"a catches more": "stricter", "b catches more": "looser", "same scope": "same as baseline"}


@dataclass
class Matrix(Cited):
    as_of: str
    baseline: str
    technologies: list[dict]
    jurisdictions: list[str]
    cells: dict[str, dict[str, dict]]
    version: GraphVersion

    def rows(self) -> list[dict]:
        return [
            {"technology": t["label"], **{j: self.cells[t["iri"]][j]["status"] for j in self.jurisdictions}}
            for t in self.technologies
        ]


def matrix(
    store: Store, as_of: date | None = None, baseline: str = "US", jurisdictions: list[str] | None = None
) -> Matrix:
    """Technologies x jurisdictions: not controlled, or controlled and how it compares
    with the baseline's thresholds (same, stricter, looser, differs, not comparable)."""
    as_of = as_of or date.today()
    reg = regimes(store, as_of, jurisdictions)
    boxes = thresholds(store, jurisdictions)
    places = jurisdictions or reg.places()
    techs = sorted(reg.technologies, key=lambda t: reg.technologies[t])
    cells: dict[str, dict[str, dict]] = {}
    for tech in techs:
        row = cells.setdefault(tech, {})
        base = [boxes.get(e.entry) for e in reg.leaves(baseline, tech)]
        for place in places:
            entries = reg.entries(place, tech)
            status, band = "not controlled", ""
            if entries:
                status = "controlled"
                own = [boxes.get(e.entry) for e in reg.leaves(place, tech)]
                comparable = base and own and all(base) and all(own) and all(box.exact for box in (*base, *own))
                if place != baseline and comparable:
                    comparison = compare(own, base)
                    status = _STATUS.get(comparison.verdict, "differs")
                    # the band only one side catches: this place's own, then the baseline's
                    band = "; ".join(b.describe() for b in comparison.a_only + comparison.b_only)
            row[place] = {"status": status, "entries": [e.to_json() for e in entries]}
            if band:
                row[place]["band"] = band
    return Matrix(
        as_of.isoformat(),
        baseline,
        [{"iri": t, "label": reg.technologies[t]} for t in techs],
        places,
        cells,
        graph_version(store),
    )
