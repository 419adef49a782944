"""Harmonisation gaps between jurisdictions, of the six kinds in the design:
coverage, stringency, implementation, timing, reciprocity and definition.

Every answer is computed as of a date from the regimes in force then, and every
gap carries the entries on both sides and the sentences they were read from.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from .bands import compare
from .regimes import (
    EntryRef,
    GraphVersion,
    Regimes,
    commitments,
    evidence_for,
    graph_version,
    regimes,
    thresholds,
    treatment,
)
from .store import Store

KINDS = ("coverage", "stringency", "implementation", "timing", "reciprocity", "definition")


@dataclass
class Gap:
    kind: str
    a: str
    b: str
    technology: str
    technology_label: str
    summary: str
    a_entries: list[EntryRef] = field(default_factory=list)
    b_entries: list[EntryRef] = field(default_factory=list)
    details: dict = field(default_factory=dict)
    evidence: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        data = asdict(self)
        data["a_entries"] = [e.to_json() for e in self.a_entries]
        data["b_entries"] = [e.to_json() for e in self.b_entries]
        return data

    def row(self) -> dict:
        """One flat row for CSV and spreadsheets."""

        def codes(entries):
            return "; ".join(f"{e.code or e.label} ({e.applies_from})" for e in entries)

        return {
            "kind": self.kind,
            "a": self.a,
            "b": self.b,
            "technology": self.technology_label,
            "summary": self.summary,
            "a_entries": codes(self.a_entries),
            "b_entries": codes(self.b_entries),
            "sources": " | ".join(f"{ev['document_title']}: {ev['sentence']}" for ev in self.evidence),
        }


@dataclass
class GapReport:
    a: str
    b: str
    as_of: str
    technology: str
    gaps: list[Gap]
    notes: list[str]
    version: GraphVersion

    def to_json(self) -> dict:
        return {
            "a": self.a,
            "b": self.b,
            "as_of": self.as_of,
            "technology": self.technology,
            "graph_version": self.version.to_json(),
            "notes": self.notes,
            "gaps": [g.to_json() for g in self.gaps],
        }

    def rows(self) -> list[dict]:
        return [g.row() for g in self.gaps]


def _label(reg: Regimes, tech: str) -> str:
    return reg.technologies.get(tech, tech.rsplit("#", 1)[-1])


def _earliest(entries: list[EntryRef]) -> str:
    return min(e.applies_from for e in entries)


def _pair(reg: Regimes, boxes: dict, a: str, b: str, tech: str, notes: list[str]) -> list[Gap]:
    """Coverage, stringency, definition and timing gaps for one technology."""
    label = _label(reg, tech)
    ea, eb = reg.entries(a, tech), reg.entries(b, tech)
    if ea and not eb:
        return [
            Gap(
                "coverage",
                a,
                b,
                tech,
                label,
                f"{a} controls {label} (in force from {_earliest(ea)}); {b} has no control in force on {reg.as_of}.",
                ea,
            )
        ]
    if eb and not ea:
        return [
            Gap(
                "coverage",
                b,
                a,
                tech,
                label,
                f"{b} controls {label} (in force from {_earliest(eb)}); {a} has no control in force on {reg.as_of}.",
                eb,
            )
        ]
    if not ea:
        return []
    gaps = []
    la, lb = reg.leaves(a, tech), reg.leaves(b, tech)
    ba = [boxes[e.entry] for e in la if e.entry in boxes]
    bb = [boxes[e.entry] for e in lb if e.entry in boxes]
    pa = sorted({p for box in ba for p in (*box.limits, *box.unstated)})
    pb = sorted({p for box in bb for p in (*box.limits, *box.unstated)})
    vague = [box for box in (*ba, *bb) if not box.exact]
    if vague:
        names = sorted({p for box in vague for p in box.unstated})
        notes.append(
            f"{label}: an entry names {', '.join(names)} without a limit, so which "
            "side catches more cannot be told from the sources."
        )
    if len(ba) < len(la) or len(bb) < len(lb):
        missing = [e.code or e.label for e in (*la, *lb) if e.entry not in boxes]
        notes.append(
            f"{label}: thresholds of {', '.join(missing)} are not in the sources, "
            "so stringency is compared only where both sides state them."
        )
    if ba and bb and len(ba) == len(la) and len(bb) == len(lb) and not vague:
        cmp = compare(ba, bb)
        if cmp.a_only or cmp.b_only:
            parts = []
            if cmp.a_only:
                parts.append(f"{a} catches items {b} does not: " + "; ".join(band.describe() for band in cmp.a_only))
            if cmp.b_only:
                parts.append(f"{b} catches items {a} does not: " + "; ".join(band.describe() for band in cmp.b_only))
            verdict = {"a catches more": f"{a} catches more", "b catches more": f"{b} catches more"}.get(
                cmp.verdict, cmp.verdict
            )
            gaps.append(
                Gap(
                    "stringency",
                    a,
                    b,
                    tech,
                    label,
                    f"{verdict}. " + ". ".join(parts) + ".",
                    la,
                    lb,
                    {
                        "verdict": verdict,
                        "a_only": [band.describe() for band in cmp.a_only],
                        "b_only": [band.describe() for band in cmp.b_only],
                    },
                )
            )
    if pa and pb and pa != pb:
        gaps.append(
            Gap(
                "definition",
                a,
                b,
                tech,
                label,
                f"{a} defines {label} by {', '.join(pa)}; {b} by {', '.join(pb)}.",
                la,
                lb,
                {"a_parameters": pa, "b_parameters": pb},
            )
        )
    fa, fb = _earliest(ea), _earliest(eb)
    if fa != fb:
        first, later = (a, b) if fa < fb else (b, a)
        bases = {e.basis for e in (*ea, *eb) if e.basis != "entry into force"}
        caveat = f" (some dates are approximate: {', '.join(sorted(bases))})" if bases else ""
        gaps.append(
            Gap(
                "timing",
                first,
                later,
                tech,
                label,
                f"{first} controlled {label} from {min(fa, fb)}, {later} only from "
                f"{max(fa, fb)}: they diverged for that window{caveat}.",
                ea if first == a else eb,
                eb if first == a else ea,
                {"window": [min(fa, fb), max(fa, fb)]},
            )
        )
    return gaps


def _reciprocity(store: Store, as_of: date, a: str, b: str) -> list[Gap]:
    given = treatment(store, as_of)
    gaps = []
    for giver, receiver in ((a, b), (b, a)):
        out = [t for t in given if t.giver == giver and t.receiver == receiver]
        back = [t for t in given if t.giver == receiver and t.receiver == giver]
        if out and not back:
            names = ", ".join(sorted({t.measure_label for t in out}))
            gaps.append(
                Gap(
                    "reciprocity",
                    giver,
                    receiver,
                    "",
                    "",
                    f"{giver} gives {receiver} favourable treatment ({names}); the graph "
                    f"shows no favourable treatment of {giver} by {receiver}.",
                    details={"given": [t.to_json() for t in out]},
                )
            )
    return gaps


def implementation_gaps(
    store: Store, reg: Regimes, places: set[str] | None = None, arrangement: str | None = None
) -> list[Gap]:
    """Parties to an arrangement that agreed a control on T, with no control on T in force."""
    gaps = []
    for c in commitments(store, reg.as_of, arrangement):
        for party in c.parties:
            if places is not None and party not in places:
                continue
            if not reg.entries(party, c.technology):
                label = _label(reg, c.technology)
                gaps.append(
                    Gap(
                        "implementation",
                        party,
                        c.name,
                        c.technology,
                        label,
                        f"{party} is party to the {c.name}, whose participants agreed a "
                        f"control on {label}; {party} has no control on it in force on "
                        f"{reg.as_of}.",
                        details={"arrangement": c.arrangement},
                    )
                )
    return gaps


def compare_jurisdictions(
    store: Store,
    a: str,
    b: str,
    as_of: date | None = None,
    technology: str | None = None,
    kinds: tuple[str, ...] = KINDS,
    with_evidence: bool = True,
) -> GapReport:
    """All gaps between ``a`` and ``b`` on a date, optionally for one technology kind."""
    as_of = as_of or date.today()
    a, b = a.upper(), b.upper()
    reg = regimes(store, as_of, [a, b], technology)
    boxes = thresholds(store, [a, b])
    notes: list[str] = []
    techs = [technology] if technology else sorted(reg.technologies)
    gaps: list[Gap] = []
    for tech in techs:
        gaps.extend(_pair(reg, boxes, a, b, tech, notes))
    if "implementation" in kinds:
        gaps.extend(g for g in implementation_gaps(store, reg, {a, b}) if not technology or g.technology == technology)
    if "reciprocity" in kinds and not technology:
        gaps.extend(_reciprocity(store, as_of, a, b))
    gaps = [g for g in gaps if g.kind in kinds]
    if with_evidence:
        for gap in gaps:
            for entry in [*gap.a_entries[:2], *gap.b_entries[:2]]:
                gap.evidence.extend(evidence_for(store, entry.entry, 1, entry.controlled))
    return GapReport(a, b, as_of.isoformat(), technology or "", gaps, notes, graph_version(store))


@dataclass
class Matrix:
    as_of: str
    baseline: str
    technologies: list[dict]
    jurisdictions: list[str]
    cells: dict[str, dict[str, dict]]
    version: GraphVersion

    def to_json(self) -> dict:
        return {
            "as_of": self.as_of,
            "baseline": self.baseline,
            "technologies": self.technologies,
            "jurisdictions": self.jurisdictions,
            "cells": self.cells,
            "graph_version": self.version.to_json(),
        }

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
            status = "not controlled"
            if entries:
                status = "controlled"
                own = [boxes.get(e.entry) for e in reg.leaves(place, tech)]
                comparable = base and own and all(base) and all(own) and all(box.exact for box in (*base, *own))
                if place != baseline and comparable:
                    verdict = compare(own, base).verdict
                    status = {
                        "a catches more": "stricter",
                        "b catches more": "looser",
                        "same scope": "same as baseline",
                    }.get(verdict, "differs")
            row[place] = {"status": status, "entries": [e.to_json() for e in entries]}
    return Matrix(
        as_of.isoformat(),
        baseline,
        [{"iri": t, "label": reg.technologies[t]} for t in techs],
        places,
        cells,
        graph_version(store),
    )


@dataclass
class TreatyImplementation:
    arrangement: str
    name: str
    as_of: str
    parties: list[dict]
    version: GraphVersion

    def to_json(self) -> dict:
        return {
            "arrangement": self.arrangement,
            "name": self.name,
            "as_of": self.as_of,
            "graph_version": self.version.to_json(),
            "parties": self.parties,
        }

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
                    "technology_label": _label(reg, c.technology),
                    "status": "implemented" if entries else "no control in force",
                    "entries": [e.to_json() for e in entries],
                }
            )
    name = found[0].name if found else arrangement
    return TreatyImplementation(arrangement, name, as_of.isoformat(), rows, graph_version(store))
