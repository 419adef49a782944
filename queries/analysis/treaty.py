"""How an arrangement is implemented: each party's entries in force for each
technology kind its participants agreed to control."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..store import Store
from .commitments import commitments
from .decided import decided_regimes, state_json
from .determine import CONTROLLED, NO_DATA, NOT_CONTROLLED, UNCERTAIN
from .version import Cited, GraphVersion, graph_version

#: a party's row: implemented, or why not (a source or complete list says it does not
#: control it; the graph cannot tell; only uncertain evidence)
_STATUS = {
    CONTROLLED: "implemented",
    NOT_CONTROLLED: "not implemented",
    NO_DATA: "no data",
    UNCERTAIN: "uncertain",
}


@dataclass
class TreatyImplementation(Cited):
    arrangement: str
    name: str
    as_of: str
    parties: list[dict]
    version: GraphVersion

    def rows(self) -> list[dict]:
        return [
            {
                "party": r["party"],
                "technology": r["technology_label"],
                "status": r["status"],
                "state": r["state"],
                "confidence": "" if r["confidence"] is None else f"{r['confidence']:.2f}",
                "flags": "; ".join(r["flags"]),
                "entries": "; ".join(e["code"] or e["label"] for e in r["entries"]),
            }
            for r in self.parties
        ]


def treaty_implementation(store: Store, arrangement: str, as_of: date | None = None) -> TreatyImplementation:
    """Parties of an arrangement against their implementing entries in force."""
    as_of = as_of or date.today()
    found = commitments(store, as_of, arrangement)
    parties = sorted({p for c in found for p in c.parties})
    decided = decided_regimes(store, as_of, parties)
    reg = decided.reg
    rows = []
    for c in found:
        for party in c.parties:
            entries = reg.entries(party, c.technology)
            state = decided.state(party, c.technology)
            rows.append(
                {
                    "party": party,
                    "technology": c.technology,
                    "technology_label": reg.label(c.technology),
                    **state_json(state),
                    "state": state.status,
                    "status": _STATUS[state.status],
                    "entries": [e.to_json() for e in entries],
                }
            )
    name = found[0].name if found else arrangement
    return TreatyImplementation(arrangement, name, as_of.isoformat(), rows, graph_version(store))
