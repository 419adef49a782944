"""What changed in quantum controls between two dates: entries that came into force
and entries that stopped being in force, per jurisdiction and technology."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..store import Store
from .decided import decided_regimes
from .regimes import Regimes
from .version import GraphVersion, graph_version


@dataclass
class Change:
    change: str  # "came into force" or "no longer in force"
    jurisdiction: str
    technology: str
    entry: dict

    def row(self) -> dict:
        e = self.entry
        return {
            "change": self.change,
            "jurisdiction": self.jurisdiction,
            "technology": self.technology,
            "entry": e["code"] or e["label"],
            "instrument": e["instrument_label"],
            "applies_from": e.get("stated") or e["applies_from"],
            "basis": e["basis"],
            "state": e.get("state", ""),
            "confidence": "" if e.get("confidence") is None else f"{e['confidence']:.2f}",
            "flags": "; ".join(e.get("flags", [])),
        }


@dataclass
class ChangeReport:
    since: str
    until: str
    changes: list[Change]
    version: GraphVersion

    def to_json(self) -> dict:
        return {
            "from": self.since,
            "to": self.until,
            "graph_version": self.version.to_json(),
            "changes": [c.row() | {"entry_iri": c.entry["entry"]} for c in self.changes],
        }

    def rows(self) -> list[dict]:
        return [c.row() for c in self.changes]


def _index(reg: Regimes) -> dict[tuple[str, str, str], dict]:
    return {
        (place, tech, e.entry): e.to_json()
        for place, by_tech in reg.by_place.items()
        for tech, entries in by_tech.items()
        for e in entries
    }


def changes(store: Store, since: date, until: date) -> ChangeReport:
    """Entries in force on ``until`` but not on ``since``, and the reverse."""
    if until < since:
        since, until = until, since
    before, after = decided_regimes(store, since).reg, decided_regimes(store, until).reg
    old, new = _index(before), _index(after)
    names = after.technologies
    out = [Change("came into force", k[0], names.get(k[1], k[1]), new[k]) for k in sorted(set(new) - set(old))]
    out += [Change("no longer in force", k[0], names.get(k[1], k[1]), old[k]) for k in sorted(set(old) - set(new))]
    out.sort(key=lambda c: (c.entry["applies_from"], c.jurisdiction, c.technology))
    return ChangeReport(since.isoformat(), until.isoformat(), out, graph_version(store))
