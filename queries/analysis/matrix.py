"""Technologies x jurisdictions on a date: each cell one of the four determinations
(controlled, not controlled, no data, uncertain) with its confidence and flags, and a
controlled cell says how its thresholds compare with a baseline jurisdiction's."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date

from ..store import Store
from .answers import answer
from .bands import compare
from .decided import decided_regimes, state_json
from .determine import CONTROLLED, NO_DATA, NOT_CONTROLLED, UNCERTAIN
from .kinds import EXPORT_CONTROL
from .thresholds import thresholds
from .version import Cited, GraphVersion, graph_version

#: a cell's words for the four states; a controlled cell may say how it compares instead
_WORDS = {CONTROLLED: "controlled", NOT_CONTROLLED: "not controlled", NO_DATA: "no data", UNCERTAIN: "uncertain"}
_STATUS = {"a catches more": "stricter", "b catches more": "looser", "same scope": "same as baseline"}


@dataclass
class Matrix(Cited):
    as_of: str
    baseline: str
    technologies: list[dict]
    jurisdictions: list[str]
    cells: dict[str, dict[str, dict]]
    version: GraphVersion
    measure_kind: str = EXPORT_CONTROL

    def rows(self) -> list[dict]:
        """One row per technology; a cell reads "controlled (0.85 high; code not verified)"."""

        def word(cell: dict) -> str:
            conf = cell.get("confidence")
            extra = [] if conf is None else [f"{conf:.2f} {cell['confidence_level']}"]
            extra += cell.get("flags", [])
            return cell["status"] + (f" ({'; '.join(extra)})" if extra else "")

        return [
            {"technology": t["label"], **{j: word(self.cells[t["iri"]][j]) for j in self.jurisdictions}}
            for t in self.technologies
        ]


def matrix(
    store: Store,
    as_of: date | None = None,
    baseline: str = "US",
    jurisdictions: list[str] | None = None,
    measure_kind: str = EXPORT_CONTROL,
) -> Matrix:
    """Technologies x jurisdictions: not controlled, or controlled and how it compares
    with the baseline's thresholds (same, stricter, looser, differs, not comparable).
    Computed once per graph version and parameters (``answers``)."""
    as_of = as_of or date.today()
    params = (as_of.isoformat(), baseline, tuple(jurisdictions) if jurisdictions is not None else None, measure_kind)
    return answer(store, "matrix", params, lambda: _matrix(store, as_of, baseline, jurisdictions, measure_kind))


def _matrix(store: Store, as_of: date, baseline: str, jurisdictions: list[str] | None, measure_kind: str) -> Matrix:
    # the thresholds are read while the regimes are decided (the engine works outside the GIL)
    with ThreadPoolExecutor(1, thread_name_prefix="qharmony-matrix") as pool:
        read = pool.submit(thresholds, store, jurisdictions)
        decided = decided_regimes(store, as_of, jurisdictions, kind=measure_kind, also=(baseline,))
        boxes = read.result()
    places = list(decided.states)
    reg = decided.reg
    techs = sorted(reg.technologies, key=lambda t: reg.technologies[t])
    cells: dict[str, dict[str, dict]] = {}
    for tech in techs:
        row = cells.setdefault(tech, {})
        base = [boxes.get(e.entry) for e in reg.leaves(baseline, tech)]
        for place in places:
            entries = reg.entries(place, tech)
            state = decided.state(place, tech)
            status, band = _WORDS[state.status], ""
            if state.status == CONTROLLED and entries:
                own = [boxes.get(e.entry) for e in reg.leaves(place, tech)]
                comparable = base and own and all(base) and all(own) and all(box.exact for box in (*base, *own))
                if place != baseline and comparable:
                    comparison = compare(own, base)
                    status = _STATUS.get(comparison.verdict, "differs")
                    # the band only one side catches: this place's own, then the baseline's
                    band = "; ".join(b.describe() for b in comparison.a_only + comparison.b_only)
            row[place] = {
                **state_json(state),
                "status": status,
                "state": state.status,
                "entries": [e.to_json() for e in entries],
            }
            if band:
                row[place]["band"] = band
    return Matrix(
        as_of.isoformat(),
        baseline,
        [{"iri": t, "label": reg.technologies[t]} for t in techs],
        places,
        cells,
        graph_version(store),
        measure_kind,
    )
