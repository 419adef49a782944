"""A user's own items against the graph: per item and jurisdiction, which entries it
meets (the transfer check's threshold matching), the determination and why, and which
entries came into or out of force between two dates for its technology there.

The items come from a CSV the user holds; they are read into memory and never
written to the shared graph. Columns: ``name``, ``technology``, then either one
column per parameter (``cooling_power`` = ``700 uW``) or a ``parameters`` column
(``cooling_power=700 uW; temperature=90 mK``).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from ..exports import DISCLAIMER
from ..store import Store
from .changes import changes
from .decided import decided_regimes, state_json
from .determine import CONTROLLED, NOT_CONTROLLED, UNCERTAIN
from .evidence import evidence_for
from .thresholds import thresholds
from .transfer import _judge, parameter_units, parse_value
from .version import GraphVersion, graph_version
from .vocabulary import resolve_technology_kind, technology_tree

_FIXED = {"name", "technology", "parameters"}


@dataclass
class Item:
    name: str
    technology: str  # class IRI
    values: dict[str, float]
    line: int


@dataclass
class ItemResult:
    item: str
    technology: str
    jurisdiction: str
    status: str
    reason: str
    meets: list[dict] = field(default_factory=list)  # entries met or possibly met
    determination: dict = field(default_factory=dict)
    changes: list[dict] = field(default_factory=list)
    evidence: list[dict] = field(default_factory=list)

    def row(self) -> dict:
        return {
            "item": self.item,
            "technology": self.technology,
            "jurisdiction": self.jurisdiction,
            "status": self.status,
            "reason": self.reason,
            "entries": "; ".join(f"{m['code']} ({m['verdict']})" for m in self.meets),
            "jurisdiction_status": self.determination.get("status", ""),
            "changes": "; ".join(f"{c['applies_from']} {c['entry']} {c['change']}" for c in self.changes),
        }


@dataclass
class PortfolioReport:
    as_of: str
    since: str
    jurisdictions: list[str]
    results: list[ItemResult]
    version: GraphVersion
    disclaimer: str = DISCLAIMER

    def rows(self) -> list[dict]:
        return [r.row() for r in self.results]

    def to_json(self) -> dict:
        return {
            "as_of": self.as_of,
            "since": self.since,
            "jurisdictions": self.jurisdictions,
            "graph_version": self.version.to_json(),
            "results": [r.__dict__ for r in self.results],
        }

    def pack_sections(self, store: Store):
        from ..citations import citer
        from ..pack import Section, _documents, _source

        cite, docs = citer(store), _documents(store)
        sections = [
            Section(
                f"{r.item} in {r.jurisdiction}: {r.status.replace('_', ' ')}",
                r.reason,
                [cite(m["entry"], r.jurisdiction) for m in r.meets],
                [_source(ev, docs) for ev in r.evidence],
                "; ".join(f"{c['applies_from']}: {c['entry']} {c['change']}" for c in r.changes),
            )
            for r in self.results
        ]
        return sections, []


def read_items(text: str, store: Store, source: str = "items.csv") -> list[Item]:
    """Items from CSV text; a bad line is an error naming the file, line and value."""
    tree, units = technology_tree(store), parameter_units(store)
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if not reader.fieldnames or not {"name", "technology"} <= {f.strip().lower() for f in reader.fieldnames}:
        raise ValueError(f"{source}: the first line must name the columns 'name' and 'technology'")
    items = []
    for line, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        if not row.get("name"):
            raise ValueError(f"{source}, line {line}: the item has no name")
        try:
            tech = resolve_technology_kind(tree, row.get("technology", ""))
            given = [p for p in row.get("parameters", "").split(";") if p.strip()]
            given += [f"{k}={v}" for k, v in row.items() if k not in _FIXED and v]
            values = dict(parse_value(p, units) for p in given)
        except ValueError as exc:
            raise ValueError(f"{source}, line {line}: {exc}") from None
        items.append(Item(row["name"], tech, values, line))
    if not items:
        raise ValueError(f"{source}: no items after the header line")
    return items


def _item_status(state: dict, meets: list[dict]) -> tuple[str, str]:
    """The item's determination: the jurisdiction's, narrowed by the thresholds."""
    status, why = state.get("status", ""), state.get("reason", "")
    if status != CONTROLLED:
        return status, why
    if any(m["verdict"] == "meets" for m in meets):
        return CONTROLLED, "meets " + ", ".join(m["code"] for m in meets if m["verdict"] == "meets")
    if meets:
        return UNCERTAIN, "may meet " + "; ".join(f"{m['code']}: {m['reason']}" for m in meets)
    return NOT_CONTROLLED, "the stated parameters fall outside every entry the graph holds in force for this kind"


def _version_changes(diff, code: str, tech: str, meets: list[dict]) -> list[dict]:
    """Changes between two graph versions about this technology (or an entry the item
    meets) in this jurisdiction."""
    from ..feeds import Topic

    if diff is None:
        return []
    place, entries = Topic(jurisdictions=[code]), {m["entry"] for m in meets}
    return [
        {"applies_from": f"version {diff.new.short}", "entry": e.label, "change": e.summary, "entry_iri": e.entity}
        for e in diff.entities
        if (tech in e.mentions or entries & e.mentions) and place.matches_change(e)
    ]


def check_portfolio(
    store: Store,
    items: list[Item],
    as_of: date,
    jurisdictions: list[str],
    since: date | None = None,
    diff=None,
) -> PortfolioReport:
    """Every item against every jurisdiction named; with ``since``, the entries that
    came into or out of force from then; with ``diff`` (a ``VersionDiff``), what the
    graph learned between two builds about the item's technology there."""
    codes = [j.upper() for j in jurisdictions]
    labels = {t.iri: t.label for t in technology_tree(store).values()}
    boxes = thresholds(store, codes)
    moved = changes(store, since, as_of).changes if since else []
    results = []
    for tech in sorted({i.technology for i in items}):
        decided = decided_regimes(store, as_of, codes, tech)
        for item in (i for i in items if i.technology == tech):
            for code in codes:
                state = state_json(decided.state(code, tech))
                meets = []
                for entry in decided.reg.leaves(code, tech):
                    verdict, reason = _judge(boxes.get(entry.entry), item.values)
                    if verdict != "does not meet":
                        meets.append(
                            {
                                "entry": entry.entry,
                                "code": entry.code or entry.label,
                                "verdict": verdict,
                                "reason": reason,
                            }
                        )
                status, why = _item_status(state, meets)
                touched = [
                    c.row() | {"entry_iri": c.entry["entry"]}
                    for c in moved
                    if c.jurisdiction == code and c.technology == labels.get(tech)
                ] + _version_changes(diff, code, tech, meets)
                evidence = [ev for m in meets[:2] for ev in evidence_for(store, m["entry"], limit=1)]
                results.append(
                    ItemResult(item.name, labels.get(tech, tech), code, status, why, meets, state, touched, evidence)
                )
    order = {i.name: n for n, i in enumerate(items)}
    results.sort(key=lambda r: (order[r.item], codes.index(r.jurisdiction)))
    return PortfolioReport(as_of.isoformat(), since.isoformat() if since else "", codes, results, graph_version(store))
