"""Technologies x jurisdictions on a date: each cell one of the four determinations
(controlled, not controlled, no data, uncertain) with its confidence and flags, and a
controlled cell says how its thresholds compare with a baseline jurisdiction's."""

from __future__ import annotations

import gc
import pickle
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
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


class PackedRows(Mapping):
    """A matrix's rows as kept on disk: technology IRI -> its cells, each row decoded
    the first time it is read. A restarted process serves a kept matrix after one
    small read (at 1M triples 440 cells citing 13,000 entries: decoding them all took
    40 ms of CPU) and pays for the rows a request reads, when it reads them."""

    def __init__(self, packed: dict[str, bytes]):
        self._packed = packed
        self._rows: dict[str, dict[str, dict]] = {}

    @classmethod
    def pack(cls, rows: Mapping[str, dict[str, dict]]) -> PackedRows:
        if isinstance(rows, PackedRows):
            return rows
        return cls({t: pickle.dumps(row, protocol=pickle.HIGHEST_PROTOCOL) for t, row in rows.items()})

    def __getitem__(self, technology: str) -> dict[str, dict]:
        row = self._rows.get(technology)
        if row is None:
            collecting = gc.isenabled()
            gc.disable()  # a row is thousands of small objects: no collection mid-decode
            try:
                row = self._rows[technology] = pickle.loads(self._packed[technology])
            finally:
                if collecting:
                    gc.enable()
        return row

    def __iter__(self) -> Iterator[str]:
        return iter(self._packed)

    def __len__(self) -> int:
        return len(self._packed)

    def __getstate__(self) -> dict:
        return {"_packed": self._packed}

    def __setstate__(self, state: dict) -> None:
        self._packed, self._rows = state["_packed"], {}


@dataclass
class Matrix(Cited):
    as_of: str
    baseline: str
    technologies: list[dict]
    jurisdictions: list[str]
    cells: dict[str, dict[str, dict]]
    version: GraphVersion
    measure_kind: str = EXPORT_CONTROL

    def __getstate__(self) -> dict:
        """Kept with its rows packed (``PackedRows``), so reading it back decodes
        only what is read."""
        return {**self.__dict__, "cells": PackedRows.pack(self.cells)}

    def to_json(self) -> dict:
        if isinstance(self.cells, dict):
            return super().to_json()
        return replace(self, cells={t: self.cells[t] for t in self.cells}).to_json()

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
