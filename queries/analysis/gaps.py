"""Harmonisation gaps between two jurisdictions on a date, of every registered kind
(``gap_kinds``), each with the entries on both sides and the sentences they were
read from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..store import Store
from . import gap_kinds  # noqa: F401 (registers the kinds)
from .answers import answer
from .decided import decided_regimes, state_json
from .evidence import evidence_for
from .gap import GAP_KINDS, Gap, Pair
from .kinds import EXPORT_CONTROL
from .thresholds import thresholds
from .version import Cited, GraphVersion, graph_version

#: every gap kind, in the order gaps are listed
KINDS: tuple[str, ...] = tuple(GAP_KINDS)


@dataclass
class GapReport(Cited):
    a: str
    b: str
    as_of: str
    technology: str
    gaps: list[Gap]
    notes: list[str]
    version: GraphVersion
    #: where one side controls and the other is no_data or uncertain: reported apart
    data_gaps: list[Gap] = field(default_factory=list)
    measure_kind: str = EXPORT_CONTROL

    def rows(self) -> list[dict]:
        return [g.row() for g in self.gaps] + [g.row() for g in self.data_gaps]


def find_gaps(pair: Pair, kinds: tuple[str, ...] = KINDS) -> list[Gap]:
    """The gaps of the asked kinds: per technology first (all kinds for one
    technology together), then those of the pair as a whole."""
    unknown = sorted(set(kinds) - set(GAP_KINDS))
    if unknown:
        raise ValueError(f"unknown gap kind '{unknown[0]}'; known: {', '.join(GAP_KINDS)}")
    asked = [kind for name, kind in GAP_KINDS.items() if name in kinds]
    techs = [pair.technology] if pair.technology else sorted(pair.reg.technologies)
    gaps = [g for tech in techs for kind in asked if kind.per_technology for g in kind.find(pair, tech)]
    gaps += [g for kind in asked if not kind.per_technology for g in kind.find(pair)]
    return gaps


def compare_jurisdictions(
    store: Store,
    a: str,
    b: str,
    as_of: date | None = None,
    technology: str | None = None,
    kinds: tuple[str, ...] = KINDS,
    with_evidence: bool = True,
    measure_kind: str = EXPORT_CONTROL,
) -> GapReport:
    """All gaps between ``a`` and ``b`` on a date, optionally for one technology kind,
    on the determinations of both sides (export controls unless another kind is asked).
    Computed once per graph version and parameters (``answers``)."""
    as_of = as_of or date.today()
    a, b = a.upper(), b.upper()
    params = (a, b, as_of.isoformat(), technology, tuple(kinds), with_evidence, measure_kind)
    return answer(
        store, "gaps", params, lambda: _compare(store, a, b, as_of, technology, kinds, with_evidence, measure_kind)
    )


def _compare(
    store: Store,
    a: str,
    b: str,
    as_of: date,
    technology: str | None,
    kinds: tuple[str, ...],
    with_evidence: bool,
    measure_kind: str,
) -> GapReport:
    decided = decided_regimes(store, as_of, [a, b], technology, measure_kind)
    pair = Pair(store, decided.reg, thresholds(store, [a, b]), a, b, technology, decided=decided)
    gaps = find_gaps(pair, kinds)
    for gap in gaps:
        for code in (a, b):
            if gap.technology and code not in gap.states and gap.technology in decided.states.get(code, {}):
                gap.states[code] = state_json(decided.state(code, gap.technology))
    if with_evidence:
        for gap in gaps:
            for entry in [*gap.a_entries[:2], *gap.b_entries[:2]]:
                gap.evidence.extend(evidence_for(store, entry.entry, 1, entry.controlled))
    proper = [g for g in gaps if not g.is_data_gap]
    data = [g for g in gaps if g.is_data_gap]
    return GapReport(
        a, b, as_of.isoformat(), technology or "", proper, pair.notes, graph_version(store), data, measure_kind
    )
