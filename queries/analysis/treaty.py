"""How an arrangement is implemented: each party's entries in force for each
technology kind its participants agreed to control."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..store import Store
from .commitments import commitments
from .regimes import regimes
from .version import Cited, GraphVersion, graph_version


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
                "entries": "; ".join(e["code"] or e["label"] for e in r["entries"]),
            }
            for r in self.parties
        ]


def treaty_implementation(store: Store, arrangement: str, as_of: date | None = None) -> TreatyImplementation:
    """Parties of an arrangement against their implementing entries in force."""
    as_of = as_of or date.today()
    reg = regimes(store, as_of)
    found = commitments(store, as_of, arrangement)
    rows = []
    for c in found:
        for party in c.parties:
            entries = reg.entries(party, c.technology)
            rows.append(
                {
                    "party": party,
                    "technology": c.technology,
                    "technology_label": reg.label(c.technology),
                    "status": "implemented" if entries else "no control in force",
                    "entries": [e.to_json() for e in entries],
                }
            )
    name = found[0].name if found else arrangement
    return TreatyImplementation(arrangement, name, as_of.isoformat(), rows, graph_version(store))
