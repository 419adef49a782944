"""The transfer check: an item with stated parameters goes from an origin to a
destination on a date. Which entries of the origin's regime does it meet, is a
licence needed, which favourable treatment could apply, and where do the two
regimes differ? Decision support with citations, never legal advice.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from qharmony.ontology.units import NORMAL_UNITS, UnitError, parse_quantity

from ..catalog import select_all
from ..exports import DISCLAIMER
from ..results import cell
from ..store import Store
from .decided import decided_regimes, state_json
from .determine import NO_DATA, NOT_CONTROLLED, UNCERTAIN
from .evidence import evidence_for
from .gaps import GapReport, compare_jurisdictions
from .kinds import EXPORT_CONTROL
from .regimes import EntryRef
from .thresholds import thresholds
from .treatment import treatment as favourable_treatment
from .version import GraphVersion, graph_version

#: a threshold's stored QUDT unit IRI -> the normalised unit symbol
NORMAL_UNITS_BY_IRI = {u.iri: u.normal for u in NORMAL_UNITS.values()}


@dataclass
class EntryFinding:
    entry: EntryRef
    verdict: str  # "meets", "does not meet", "may meet", "not an export"
    reason: str
    evidence: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "entry": self.entry.to_json(),
            "verdict": self.verdict,
            "reason": self.reason,
            "evidence": self.evidence,
        }


@dataclass
class TransferCheck:
    technology: str
    values: dict[str, float]
    origin: str
    destination: str
    as_of: str
    findings: list[EntryFinding]
    licence: str
    exceptions: list[dict]
    gaps: GapReport
    version: GraphVersion
    disclaimer: str = DISCLAIMER
    #: the origin's determination for the technology (status, confidence, flags, entries)
    state: dict = field(default_factory=dict)
    #: rules under which a movement between two members of a union is not an export
    union_rules: list[dict] = field(default_factory=list)
    #: national and union entries covering the same item, reported once each
    overlaps: list[str] = field(default_factory=list)
    measure_kind: str = EXPORT_CONTROL

    def to_json(self) -> dict:
        data = asdict(self)
        data["findings"] = [f.to_json() for f in self.findings]
        data["gaps"] = self.gaps.to_json()
        return data

    def rows(self) -> list[dict]:
        return [
            {
                "entry": f.entry.code or f.entry.label,
                "jurisdiction": f.entry.jurisdiction,
                "instrument": f.entry.instrument_label,
                "verdict": f.verdict,
                "reason": f.reason,
                "origin_status": self.state.get("status", ""),
                "confidence": "" if self.state.get("confidence") is None else f"{self.state['confidence']:.2f}",
                "flags": "; ".join(self.state.get("flags", [])),
                "official_urls": " ".join(self.state.get("official_urls", [])),
            }
            for f in self.findings
        ]


def parse_value(text: str, units: dict[str, str] | None = None) -> tuple[str, float]:
    """``cooling_power=700 uW`` -> ('cooling_power', 0.0007), in normalised units.

    ``units`` (parameter -> the normalised unit the graph's thresholds use) makes a
    value without a unit an error where the parameter has one, and a unit of the wrong
    kind too: 700 is not a cooling power."""
    name, sep, rest = text.partition("=")
    if not sep or not name.strip() or not rest.strip():
        raise ValueError(f"expected PARAMETER=VALUE [UNIT], got {text!r}")
    name = name.strip()
    try:
        number, unit = parse_quantity(rest)
    except UnitError as exc:
        raise ValueError(f"{text!r}: {exc}") from None
    except ValueError:
        raise ValueError(f"{text!r}: {rest.split()[0]!r} is not a number") from None
    wanted = (units or {}).get(name, "")
    if units is not None and name not in units:
        raise ValueError(f"{text!r}: unknown parameter '{name}'; known: {', '.join(sorted(units))}")
    if wanted and wanted not in ("count", "ratio"):
        if unit is None:
            raise ValueError(f"{text!r}: '{name}' needs a unit (its thresholds are in {wanted})")
        if unit.normal != wanted:
            raise ValueError(f"{text!r}: '{name}' is measured in {wanted}, not {unit.normal}")
    return name, float(number * unit.factor) if unit else float(number)


def parameter_units(store: Store) -> dict[str, str]:
    """Each threshold parameter of the graph -> the normalised unit its values are in."""
    out: dict[str, str] = {}
    for r in select_all(store, "all_thresholds").rows:
        unit = NORMAL_UNITS_BY_IRI.get(r["unit"].value, "") if "unit" in r else ""
        if unit or r["parameter"].value not in out:
            out[r["parameter"].value] = unit or out.get(r["parameter"].value, "")
    return out


def union_rules(store: Store, origin: str, destination: str) -> list[dict]:
    """Instruments whose controls apply to exports out of a union both places belong
    to: moving an item between them is not an export under those instruments."""
    rows = select_all(store, "union_memberships").rows
    unions = [{r["unionCode"].value for r in rows if r["memberCode"].value == code} for code in (origin, destination)]
    common = unions[0] & unions[1]
    return [
        {
            "union": r["unionCode"].value,
            "instrument": r["instrument"].value,
            "instrument_label": cell(r, "instrumentLabel"),
            "instrument_jurisdiction": cell(r, "instrumentCode"),
            "rule": cell(r, "rule"),
        }
        for r in rows
        if r["memberCode"].value == origin and r["unionCode"].value in common and "instrument" in r
    ]


def _judge(box, values: dict[str, float]) -> tuple[str, str]:
    if box is None:
        return "may meet", "the entry's thresholds are not in the sources"
    missing = sorted(p for p in box.limits if p not in values)
    failed = [
        f"{box.limits[p].describe(p)} not met ({p} = {values[p]:g})"
        for p in box.limits
        if p in values and not box.limits[p].contains(values[p])
    ]
    if failed:
        return "does not meet", "; ".join(failed)
    if missing:
        return "may meet", f"not given: {', '.join(missing)}"
    if box.unstated:
        return "may meet", f"the entry names {', '.join(sorted(box.unstated))} without a limit"
    return "meets", "; ".join(box.limits[p].describe(p) for p in sorted(box.limits)) or "the entry has no thresholds"


def transfer_check(
    store: Store,
    technology: str,
    values: dict[str, float],
    origin: str,
    destination: str,
    as_of: date | None = None,
    measure_kind: str = EXPORT_CONTROL,
) -> TransferCheck:
    """Which entries of the origin an item meets on a date, whether a licence is likely
    needed, which exceptions could apply, on the origin's determination; a movement
    within a union is judged against the rule that says what an export is."""
    as_of = as_of or date.today()
    origin, destination = origin.upper(), destination.upper()
    decided = decided_regimes(store, as_of, [origin], technology, measure_kind)
    state = decided.state(origin, technology)
    reg = decided.reg
    boxes = thresholds(store, [origin])
    rules = union_rules(store, origin, destination)
    inside = {r["instrument"]: r for r in rules}
    findings = []
    for entry in reg.leaves(origin, technology):
        if entry.instrument in inside:
            rule = inside[entry.instrument]
            reason = (
                f"{origin} and {destination} are both members of {rule['union']}: a movement between them is "
                f"not an export under {rule['instrument_label']} ({rule['rule']})"
            )
            findings.append(EntryFinding(entry, "not an export", reason, evidence_for(store, entry.entry, limit=1)))
            continue
        verdict, reason = _judge(boxes.get(entry.entry), values)
        findings.append(EntryFinding(entry, verdict, reason, evidence_for(store, entry.entry, limit=2)))
    findings.sort(key=lambda f: _ORDER.index(f.verdict))
    exceptions = [
        t.to_json() for t in favourable_treatment(store, as_of) if t.giver == origin and t.receiver == destination
    ]
    licence = _licence(state, findings, exceptions, origin, destination, as_of)
    gaps = compare_jurisdictions(store, origin, destination, as_of, technology, with_evidence=False)
    return TransferCheck(
        technology,
        values,
        origin,
        destination,
        as_of.isoformat(),
        findings,
        licence,
        exceptions,
        gaps,
        graph_version(store),
        state=state_json(state),
        union_rules=rules,
        overlaps=state.overlaps,
        measure_kind=measure_kind,
    )


_ORDER = ("meets", "may meet", "does not meet", "not an export")


def _licence(state, findings, exceptions, origin: str, destination: str, as_of: date) -> str:
    """The licence verdict in words, never "no control" where the graph is silent."""
    if state.status == NO_DATA:
        return f"The graph holds nothing that settles whether {origin} controls this kind of item: {state.reason}."
    if state.status == UNCERTAIN:
        return f"Whether {origin} controls this kind of item on {as_of} is uncertain: {state.reason}."
    if state.status == NOT_CONTROLLED:
        return f"{origin} does not control this kind of item on {as_of}: {state.reason}."
    exports = [f for f in findings if f.verdict != "not an export"]
    caught = [f for f in exports if f.verdict != "does not meet"]
    if findings and not exports:
        rules = {f.entry.instrument_label: f.reason.rsplit(" (", 1)[-1].rstrip(")") for f in findings}
        union = findings[0].reason.split("members of ", 1)[-1].split(":", 1)[0]
        return (
            f"Not an export: {origin} and {destination} are both members of {union}, and every entry that "
            "covers the item is of a list that controls exports out of it. "
            + " ".join(f"Under {name}: {rule}." for name, rule in rules.items())
        )
    if not caught:
        return f"The stated parameters fall outside every {origin} entry for this kind."
    if exceptions:
        return (
            f"A licence is likely required by {origin}, unless one of the favourable "
            f"treatments below covers this item for {destination}."
        )
    return (
        f"A licence is likely required by {origin} for {destination}: the item "
        f"{'meets' if any(f.verdict == 'meets' for f in caught) else 'may meet'} "
        f"{len(caught)} entr{'y' if len(caught) == 1 else 'ies'}, and the graph "
        f"shows no exception for {destination}."
    )
