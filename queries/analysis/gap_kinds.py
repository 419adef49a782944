"""The six gap kinds of the design, one function each: coverage, stringency,
definition and timing per technology kind; implementation and reciprocity per pair.

A new kind is one more function here with ``@gap_kind`` and its test.
"""

from __future__ import annotations

from ..store import Store
from .bands import Box, compare
from .commitments import commitments
from .decided import state_json
from .determine import CONTROLLED, NO_DATA, NOT_CONTROLLED
from .gap import DATA_GAP, Gap, Pair, gap_kind
from .kinds import EXPORT_CONTROL
from .regimes import EntryRef, Regimes
from .treatment import treatment


def _earliest(entries: list[EntryRef]) -> str:
    return min(e.applies_from for e in entries)


def _as_stated(entries: list[EntryRef]) -> str:
    """The earliest start as precisely as its source gives it: "2024-09", not a made-up day."""
    first = min(entries, key=lambda e: e.applies_from)
    return first.stated or first.applies_from


def _both_control(pair: Pair, tech: str) -> bool:
    """Only coverage is asked of a technology one side does not control at all."""
    return bool(pair.reg.entries(pair.a, tech) and pair.reg.entries(pair.b, tech))


def _leaf_boxes(pair: Pair, code: str, tech: str) -> tuple[list[EntryRef], list[Box]]:
    leaves = pair.reg.leaves(code, tech)
    return leaves, [pair.boxes[e.entry] for e in leaves if e.entry in pair.boxes]


def _parameters(boxes: list[Box]) -> list[str]:
    return sorted({p for box in boxes for p in (*box.limits, *box.unstated)})


@gap_kind("coverage")
def coverage(pair: Pair, tech: str) -> list[Gap]:
    """One side controls a technology kind on the date and the other does not, by a
    source or a complete list; where the other side is "no data" or "uncertain", a
    data gap (reported apart): the graph cannot tell whether it controls it."""
    decided, label = pair.decided, pair.reg.label(tech)
    for this, other in ((pair.a, pair.b), (pair.b, pair.a)):
        mine, theirs = decided.state(this, tech), decided.state(other, tech)
        if mine.status != CONTROLLED or theirs.status == CONTROLLED:
            continue
        entries = pair.reg.entries(this, tech)
        held = f"{this} controls {label}" + (f" (in force from {_earliest(entries)})" if entries else "")
        states = {this: state_json(mine), other: state_json(theirs)}
        if theirs.status == NOT_CONTROLLED:
            summary = f"{held}; {other} does not on {pair.reg.as_of}: {theirs.reason}."
            return [Gap("coverage", this, other, tech, label, summary, entries, states=states)]
        what = "no data" if theirs.status == NO_DATA else "only uncertain evidence"
        summary = f"{held}; for {other} the graph has {what} on {pair.reg.as_of}: {theirs.reason}."
        return [Gap(DATA_GAP, this, other, tech, label, summary, entries, states=states)]
    return []


def _stringency_notes(pair: Pair, label: str, sides: list[tuple[list[EntryRef], list[Box]]]) -> bool:
    """Say why thresholds cannot be compared; True when they can be."""
    boxes = [box for _leaves, side in sides for box in side]
    vague = [box for box in boxes if not box.exact]
    if vague:
        names = sorted({p for box in vague for p in box.unstated})
        pair.notes.append(
            f"{label}: an entry names {', '.join(names)} without a limit, so which "
            "side catches more cannot be told from the sources."
        )
    complete = all(len(side) == len(leaves) for leaves, side in sides)
    if not complete:
        missing = [e.code or e.label for leaves, _side in sides for e in leaves if e.entry not in pair.boxes]
        pair.notes.append(
            f"{label}: thresholds of {', '.join(missing)} are not in the sources, "
            "so stringency is compared only where both sides state them."
        )
    return complete and all(side for _leaves, side in sides) and not vague


@gap_kind("stringency")
def stringency(pair: Pair, tech: str) -> list[Gap]:
    """Both sides control a kind, with thresholds that catch different items."""
    if not _both_control(pair, tech):
        return []
    a, b, label = pair.a, pair.b, pair.reg.label(tech)
    (la, ba), (lb, bb) = sides = [_leaf_boxes(pair, a, tech), _leaf_boxes(pair, b, tech)]
    if not _stringency_notes(pair, label, sides):
        return []
    cmp = compare(ba, bb)
    if not (cmp.a_only or cmp.b_only):
        return []
    parts = []
    if cmp.a_only:
        parts.append(f"{a} catches items {b} does not: " + "; ".join(band.describe() for band in cmp.a_only))
    if cmp.b_only:
        parts.append(f"{b} catches items {a} does not: " + "; ".join(band.describe() for band in cmp.b_only))
    verdict = {"a catches more": f"{a} catches more", "b catches more": f"{b} catches more"}.get(
        cmp.verdict, cmp.verdict
    )
    details = {
        "verdict": verdict,
        "a_only": [band.describe() for band in cmp.a_only],
        "b_only": [band.describe() for band in cmp.b_only],
    }
    return [Gap("stringency", a, b, tech, label, f"{verdict}. " + ". ".join(parts) + ".", la, lb, details)]


@gap_kind("definition")
def definition(pair: Pair, tech: str) -> list[Gap]:
    """Both sides control a kind, but define it by different parameters."""
    if not _both_control(pair, tech):
        return []
    a, b, label = pair.a, pair.b, pair.reg.label(tech)
    (la, ba), (lb, bb) = _leaf_boxes(pair, a, tech), _leaf_boxes(pair, b, tech)
    pa, pb = _parameters(ba), _parameters(bb)
    if not (pa and pb and pa != pb):
        return []
    summary = f"{a} defines {label} by {', '.join(pa)}; {b} by {', '.join(pb)}."
    return [Gap("definition", a, b, tech, label, summary, la, lb, {"a_parameters": pa, "b_parameters": pb})]


@gap_kind("timing")
def timing(pair: Pair, tech: str) -> list[Gap]:
    """Both sides control a kind, from different dates: they diverged in between."""
    if not _both_control(pair, tech):
        return []
    reg, label = pair.reg, pair.reg.label(tech)
    ea, eb = reg.entries(pair.a, tech), reg.entries(pair.b, tech)
    fa, fb = _earliest(ea), _earliest(eb)
    if fa == fb:
        return []
    first, later = (pair.a, pair.b) if fa < fb else (pair.b, pair.a)
    bases = {e.basis for e in (*ea, *eb) if e.basis != "entry into force"}
    caveat = f" (some dates are approximate: {', '.join(sorted(bases))})" if bases else ""
    shown = {code: _as_stated(entries) for code, entries in ((pair.a, ea), (pair.b, eb))}
    summary = (
        f"{first} controlled {label} from {shown[first]}, {later} only from "
        f"{shown[later]}: they diverged for that window{caveat}."
    )
    own, others = (ea, eb) if first == pair.a else (eb, ea)
    return [Gap("timing", first, later, tech, label, summary, own, others, {"window": [min(fa, fb), max(fa, fb)]})]


def implementation_gaps(
    store: Store, reg: Regimes, places: set[str] | None = None, arrangement: str | None = None, decided=None
) -> list[Gap]:
    """Parties to an arrangement that agreed a control on T, and do not control T: by
    a source or a complete list an implementation gap; on silence or doubt, a data gap."""
    from .decided import decided_regimes

    gaps = []
    found = commitments(store, reg.as_of, arrangement)
    parties = sorted({p for c in found for p in c.parties if places is None or p in places})
    decided = decided or decided_regimes(store, reg.as_of, parties)
    for c in found:
        for party in c.parties:
            if places is not None and party not in places:
                continue
            state = decided.states.get(party, {}).get(c.technology)
            if state is None or state.status == CONTROLLED:
                continue
            label = reg.label(c.technology)
            if state.status == NOT_CONTROLLED:
                kind, how = "implementation", f"{party} does not control it on {reg.as_of}: {state.reason}"
            else:
                kind = DATA_GAP
                how = f"whether {party} controls it on {reg.as_of} the graph cannot tell: {state.reason}"
            summary = f"{party} is party to the {c.name}, whose participants agreed a control on {label}; {how}."
            gaps.append(
                Gap(
                    kind,
                    party,
                    c.name,
                    c.technology,
                    label,
                    summary,
                    details={"arrangement": c.arrangement},
                    states={party: state_json(state)},
                )
            )
    return gaps


@gap_kind("implementation", per_technology=False)
def implementation(pair: Pair) -> list[Gap]:
    """Either side agreed in an arrangement to control a kind it does not control."""
    found = implementation_gaps(pair.store, pair.reg, {pair.a, pair.b}, decided=pair.decided)
    return [g for g in found if not pair.technology or g.technology == pair.technology]


@gap_kind("reciprocity", per_technology=False)
def reciprocity(pair: Pair) -> list[Gap]:
    """One side gives the other favourable treatment that is not returned (asked
    only when all technologies are compared: treatment is not per technology)."""
    if pair.technology or (pair.decided and pair.decided.kind != EXPORT_CONTROL):
        return []  # licence exceptions and exemptions are export-control treatment
    given = treatment(pair.store, pair.reg.as_of)
    gaps = []
    for giver, receiver in ((pair.a, pair.b), (pair.b, pair.a)):
        out = [t for t in given if t.giver == giver and t.receiver == receiver]
        back = [t for t in given if t.giver == receiver and t.receiver == giver]
        if out and not back:
            names = ", ".join(sorted({t.measure_label for t in out}))
            summary = (
                f"{giver} gives {receiver} favourable treatment ({names}); the graph "
                f"shows no favourable treatment of {giver} by {receiver}."
            )
            gaps.append(
                Gap("reciprocity", giver, receiver, "", "", summary, details={"given": [t.to_json() for t in out]})
            )
    return gaps
