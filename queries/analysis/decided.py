"""Regimes as the determination decides them: for the analyses built on entries in
force (gaps, the matrix, treaty pages, transfer checks, change reports), only the
entries of the asked kind of measure that a determination found ``controlled`` count,
and each jurisdiction and technology carries its determination beside them.

So an investment rule never yields an export gap, an undated or hedged entry is
"uncertain" rather than "in force", and silence is "no data" rather than "no control".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..store import Store
from .determine import CONTROLLED, Determination, decide, facts_for, facts_for_all
from .facts import entry_rows
from .kinds import EXPORT_CONTROL
from .regimes import Regimes, regimes_of, technologies
from .vocabulary import technology_tree


@dataclass
class Decided:
    """Entries in force that a determination counts, and every determination made."""

    reg: Regimes
    kind: str = EXPORT_CONTROL
    states: dict[str, dict[str, Determination]] = field(default_factory=dict)

    def state(self, code: str, technology: str) -> Determination:
        return self.states[code][technology]


def decided_regimes(
    store: Store,
    as_of: date,
    jurisdictions: list[str] | None = None,
    technology: str | None = None,
    kind: str = EXPORT_CONTROL,
    also: tuple[str, ...] = (),
) -> Decided:
    """The regimes on ``as_of`` (of the named jurisdictions, or of all that have
    entries, and ``also`` these) restricted to what the determinations count as
    controlled."""
    many = jurisdictions is None or len(jurisdictions) > 2
    if many:  # one read of every place's entries
        rows = entry_rows(store)
    else:
        rows = [r for code in jurisdictions or () for r in facts_for(store, code).entries]
    reg = regimes_of(rows, as_of, technologies(store), technology)
    if jurisdictions is not None and many:
        reg.by_place = {code: found for code, found in reg.by_place.items() if code in jurisdictions}
    tree = technology_tree(store)
    places = sorted({*(jurisdictions or reg.places()), *also})
    techs = [technology] if technology else sorted(tree)
    out = Decided(reg, kind)
    every = facts_for_all(store, places) if many else {code: facts_for(store, code) for code in places}
    for code, facts in every.items():
        out.states[code] = {t: decide(facts, tree[t], tree, as_of, kind) for t in techs if t in tree}
    for code in list(reg.by_place):
        by_tech = reg.by_place[code]
        for tech in list(by_tech):
            d = out.states.get(code, {}).get(tech)
            counted = d.readable if d and d.status == CONTROLLED else {}
            kept = [e for e in by_tech[tech] if e.entry in counted]
            for e in kept:
                b = counted[e.entry]
                e.stated, e.state, e.flags, e.confidence = b.stated, b.state, b.flags, b.confidence
            if kept:
                by_tech[tech] = kept
            else:
                del by_tech[tech]
    return out


def state_json(d: Determination) -> dict:
    """What a gap row, matrix cell, transfer or treaty row says of one side."""
    return {
        "status": d.status,
        "confidence": d.confidence,
        "confidence_level": d.confidence_level,
        "flags": d.flags,
        "entries": d.codes,
        "reason": d.reason,
        "official_urls": sorted({b.official_url for b in d.entries if b.official_url}),
    }
