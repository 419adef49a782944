"""What the graph holds for a jurisdiction (its coverage statements, and its unions'),
and the two questions a determination asks of it: is the holding complete for this
technology on this date, and if not, how to say what the silence means."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date

from ..catalog import select_all
from ..results import Term, cell, in_total_order
from ..store import Store
from .regimes import jurisdiction_iri
from .version import GraphVersion, graph_version


@dataclass
class Holding:
    statement: str
    code: str
    label: str
    instrument: str
    instrument_label: str
    lists: list[str]
    as_of: str  # as precise as the source: 2024-09-06 or 2024-09
    until: str
    complete: bool
    scope: str
    measure_kind: str
    declared_by: str
    comment: str

    def holds_on(self, day: date) -> bool:
        """Whether the holding reflects the law on ``day``: a month-only start counts
        from the next month, as everywhere else."""
        text = day.isoformat()
        if self.as_of and (text < self.as_of if len(self.as_of) == 10 else text[:7] <= self.as_of):
            return False
        return not (self.until and text > self.until)

    def to_json(self) -> dict:
        return dict(self.__dict__)


@dataclass
class Holdings:
    code: str
    own: list[Holding] = field(default_factory=list)
    unions: dict[str, list[Holding]] = field(default_factory=dict)

    def complete_for(self, tree: dict, technology: str, kind: str, day: date) -> str:
        """The complete holding(s) that settle ``technology`` on ``day``, as words; ""
        when none does. A union member needs its own list and its union's complete."""
        ancestors = tree[technology].ancestors

        def settles(items: list[Holding]) -> Holding | None:
            return next(
                (
                    h
                    for h in items
                    if h.complete
                    and h.measure_kind == kind
                    and (not h.scope or h.scope in ancestors)
                    and h.holds_on(day)
                ),
                None,
            )

        mine = settles(self.own)
        if not mine:
            return ""
        found = [mine]
        for items in self.unions.values():
            if items:
                theirs = settles(items)
                if not theirs:
                    return ""
                found.append(theirs)
        return "; ".join(f"{h.label or h.code} as of {h.as_of or 'its start'}" for h in found)

    def silence(self, code: str) -> str:
        """Why an answer with no entry and no statement is "no data"."""
        held = [h for h in self.own if h.instrument]
        unions = {u: [h for h in items if h.instrument] for u, items in self.unions.items()}
        also = "".join(
            f"; of {u}, whose lists apply there, it holds {len(items)} instrument(s), none declared complete"
            for u, items in unions.items()
            if items
        )
        if not held:
            return f"the graph holds no list or instrument of {code}{also}"
        names = sorted({h.instrument_label or h.instrument.rsplit("/", 1)[-1] for h in held})
        return (
            f"no entry in force covers it and no source says it is not controlled; the graph holds "
            f"{len(names)} instrument(s) of {code} ({'; '.join(names[:3])}{'...' if len(names) > 3 else ''}), "
            f"none declared complete{also}"
        )

    def to_json(self) -> list[dict]:
        return [h.to_json() for h in self.own] + [h.to_json() for items in self.unions.values() for h in items]


def _holdings(store: Store, code: str | None) -> list[Holding]:
    bound = {"jurisdiction": Term.iri(jurisdiction_iri(code))} if code else {}
    grouped: dict[str, Holding] = {}
    for r in in_total_order(select_all(store, "coverage_statements", bound).rows):
        v = functools.partial(cell, r)
        h = grouped.get(v("statement"))
        if h is None:
            h = grouped[v("statement")] = Holding(
                v("statement"),
                v("code"),
                v("label"),
                v("instrument"),
                v("instrumentLabel"),
                [],
                v("asOf"),
                v("until"),
                v("complete") in ("true", "1"),
                v("scope"),
                v("measureKind"),
                v("declaredBy"),
                v("comment"),
            )
        if v("listLabel") and v("listLabel") not in h.lists:
            h.lists.append(v("listLabel"))
    return list(grouped.values())


def unions_of(store: Store, code: str) -> list[str]:
    return sorted(
        {r["unionCode"].value for r in select_all(store, "union_memberships").rows if r["memberCode"].value == code}
    )


def holdings(store: Store, code: str) -> Holdings:
    """The coverage statements of ``code`` and of each union it is a member of."""
    out = Holdings(code, _holdings(store, code))
    for union in unions_of(store, code):
        out.unions[union] = _holdings(store, union)
    return out


def holdings_for_all(store: Store, codes: list[str]) -> dict[str, Holdings]:
    """The holdings of many jurisdictions from one run of each query."""
    every = all_holdings(store)
    unions: dict[str, set[str]] = {}
    for r in select_all(store, "union_memberships").rows:
        unions.setdefault(r["memberCode"].value, set()).add(r["unionCode"].value)
    out = {}
    for code in codes:
        found = Holdings(code, every.get(code, []))
        for union in sorted(unions.get(code, ())):
            found.unions[union] = every.get(union, [])
        out[code] = found
    return out


def all_holdings(store: Store) -> dict[str, list[Holding]]:
    """Every jurisdiction's coverage statements, for the coverage page and CLI."""
    by_code: dict[str, list[Holding]] = {}
    for h in _holdings(store, None):
        by_code.setdefault(h.code, []).append(h)
    return by_code


@dataclass
class CoverageReport:
    """What the graph holds, for the coverage page, the CLI and their exports."""

    jurisdiction: str
    holdings: dict[str, list[Holding]]
    version: GraphVersion
    as_of: str = "the graph as built"  # coverage is of the graph, not of a date

    def to_json(self) -> dict:
        return {
            "jurisdiction": self.jurisdiction,
            "graph_version": self.version.to_json(),
            "jurisdictions": {code: [h.to_json() for h in items] for code, items in self.holdings.items()},
        }

    def rows(self) -> list[dict]:
        return [
            {
                "jurisdiction": h.code,
                "holds": "; ".join([h.instrument_label or h.instrument, *h.lists]).strip("; ") or "nothing",
                "as_of": h.as_of,
                "until": h.until,
                "complete": "complete" if h.complete else "partial",
                "scope": h.scope.rsplit("#", 1)[-1] or "all quantum technologies",
                "measure_kind": h.measure_kind.rsplit("#", 1)[-1],
                "declared_by": h.declared_by,
                "note": h.comment,
            }
            for items in self.holdings.values()
            for h in items
        ]


def coverage_report(store: Store, jurisdiction: str | None = None) -> CoverageReport:
    """Every coverage statement (of one jurisdiction and its unions, when given)."""
    if jurisdiction:
        found = holdings(store, jurisdiction)
        by_code = {jurisdiction: found.own, **found.unions}
    else:
        by_code = all_holdings(store)
    return CoverageReport(jurisdiction or "", by_code, graph_version(store))
