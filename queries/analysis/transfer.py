"""The transfer check: an item with stated parameters goes from an origin to a
destination on a date. Which entries of the origin's regime does it meet, is a
licence needed, which favourable treatment could apply, and where do the two
regimes differ? Decision support with citations, never legal advice.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from qharmony.ontology.units import UnitError, parse_quantity

from ..exports import DISCLAIMER
from ..store import Store
from .evidence import evidence_for
from .gaps import GapReport, compare_jurisdictions
from .regimes import EntryRef, regimes
from .thresholds import thresholds
from .treatment import treatment as favourable_treatment
from .version import GraphVersion, graph_version


@dataclass
class EntryFinding:
    entry: EntryRef
    verdict: str  # "meets", "does not meet", "may meet"
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
            }
            for f in self.findings
        ]


def parse_value(text: str) -> tuple[str, float]:
    """``cooling_power=700 uW`` -> ('cooling_power', 0.0007), in normalised units."""
    name, sep, rest = text.partition("=")
    if not sep or not name.strip() or not rest.strip():
        raise ValueError(f"expected PARAMETER=VALUE [UNIT], got {text!r}")
    try:
        number, unit = parse_quantity(rest)
    except UnitError as exc:
        raise ValueError(f"{text!r}: {exc}") from None
    except ValueError:
        raise ValueError(f"{text!r}: {rest.split()[0]!r} is not a number") from None
    return name.strip(), float(number * unit.factor) if unit else float(number)


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
    store: Store, technology: str, values: dict[str, float], origin: str, destination: str, as_of: date | None = None
) -> TransferCheck:
    as_of = as_of or date.today()
    origin, destination = origin.upper(), destination.upper()
    reg = regimes(store, as_of, [origin], technology)
    boxes = thresholds(store, [origin])
    findings = []
    for entry in reg.leaves(origin, technology):
        verdict, reason = _judge(boxes.get(entry.entry), values)
        findings.append(EntryFinding(entry, verdict, reason, evidence_for(store, entry.entry, limit=2)))
    findings.sort(key=lambda f: ("meets", "may meet", "does not meet").index(f.verdict))
    exceptions = [
        t.to_json() for t in favourable_treatment(store, as_of) if t.giver == origin and t.receiver == destination
    ]
    caught = [f for f in findings if f.verdict != "does not meet"]
    if not findings:
        licence = f"No entry of {origin} in force on {as_of} controls this kind of item."
    elif not caught:
        licence = f"The stated parameters fall outside every {origin} entry for this kind."
    elif exceptions:
        licence = (
            f"A licence is likely required by {origin}, unless one of the favourable "
            f"treatments below covers this item for {destination}."
        )
    else:
        licence = (
            f"A licence is likely required by {origin} for {destination}: the item "
            f"{'meets' if any(f.verdict == 'meets' for f in caught) else 'may meet'} "
            f"{len(caught)} entr{'y' if len(caught) == 1 else 'ies'}, and the graph "
            f"shows no exception for {destination}."
        )
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
    )
