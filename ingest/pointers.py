"""Software (D) and technology (E) entries that point to entries of other documents:
4D906 is "software ... for the commodities in 4A906.b or 4A906.c", and an eCFR page
or a Federal Register rule that holds 4D906 need not hold 4A906. Once every document
of a build is read, a pointer whose target controls a quantum technology (as a list
entry, read from the structure of the document that defines it) makes the pointing
entry control quantum software or know-how. Resolved to a fixed point: 4E906 points
to 4D906, which points to 4A906.b."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .records import Entity, Extraction, Pointer, Relation

#: how a list entry's own technology is read: its heading, its items, its table row,
#: a characteristic limit, or a pointer already settled; never a roll-up from one of
#: its paragraphs (5A002.c is quantum, 5A002 as a whole is not) nor a claim
_STRUCTURAL = {
    "heading.technology",
    "item.technology",
    "item.inherited",
    "table.technology",
    "threshold.kind",
    "structure.reference",
    "note.technology",
}
_MIN_CONFIDENCE = 0.5


_SOFTWARE_OR_TECHNOLOGY = re.compile(r"^[A-Z@]*:?\d[DE]\d{3}$")


def _quantum_entries(extractions: list[Extraction]) -> set[str]:
    """Entries that control a quantum technology by their own text; a software or
    technology entry also through its paragraphs, since it can control nothing else."""
    return {
        r.subject
        for ex in extractions
        for r in ex.relations
        if r.type == "controls"
        and r.confidence >= _MIN_CONFIDENCE
        and (r.rule in _STRUCTURAL or r.rule == "structure.rollup" and _SOFTWARE_OR_TECHNOLOGY.match(r.subject))
    }


def _roll_up(ex: Extraction, p: Pointer, kind: str) -> None:
    """What a paragraph of an entry this document defines controls, the entry does
    (4E906.a is know-how for 4A906.b, so 4E906 is); as ``entries._roll_up`` does."""
    base = p.entry.split(".", 1)[0]
    defined = any(e.type == "ControlEntry" and e.id == base and e.rule.startswith("heading") for e in ex.entities)
    if base == p.entry or not defined:
        return
    if any(r.type == "controls" and r.subject == base and r.object == kind for r in ex.relations):
        return
    conf = round(p.confidence * 0.95, 3)
    ex.relations.append(Relation("controls", base, "ControlEntry", kind, "Technology", p.start, p.end, conf,
                                 "structure.rollup"))  # fmt: skip


def _eligible(p: Pointer) -> list[str]:
    """The targets that settle a pointer once they control a quantum technology."""
    return [t for t in p.targets if t != p.entry or p.mention]


def _settle_one(ex: Extraction, p: Pointer) -> None:
    for kind in p.kinds:
        if p.mention:
            s, e = p.mention
            ex.entities.append(Entity("Technology", kind, ex.text[s:e], s, e, p.confidence, p.rule))
        ex.relations.append(
            Relation("controls", p.entry, "ControlEntry", kind, "Technology", p.start, p.end,
                     p.confidence, p.rule)
        )  # fmt: skip
        _roll_up(ex, p, kind)


@dataclass
class Settlement:
    """What settling the pointers found, for the build cache to keep: the round in
    which each entry came to control a quantum technology (0: by its own text), and
    for each document each pointer's eligible targets and the round it settled in."""

    rounds: dict[str, int] = field(default_factory=dict)
    pointers: dict[str, list[tuple[list[str], int | None]]] = field(default_factory=dict)


def settle(extractions: Iterable[Extraction], known: Mapping[str, int] | None = None) -> Settlement:
    """Add the ``controls`` relations that pointers across documents settle (the
    extractions change in place), in rounds: each round reads the entries that
    control a quantum technology as the previous round left them.

    ``known``: the rounds of entries of documents not given here (a store's, when
    documents are added to it): entry ``e`` counts from round ``known[e]`` on, as it
    did when those documents were settled with the rest."""
    extractions = list(extractions)
    known = dict(known or {})
    last = max(known.values(), default=0)
    out = Settlement()
    settled: set[tuple[str, int, int, str]] = set()
    settled_in: dict[tuple[int, int], int] = {}
    k = 0
    while True:
        quantum = _quantum_entries(extractions) | {e for e, r in known.items() if r <= k}
        for entry in quantum:
            out.rounds.setdefault(entry, k)
        added = False
        for i, ex in enumerate(extractions):
            for j, p in enumerate(ex.pointers):
                key = (ex.document, p.start, p.end, p.entry)
                if key in settled or not any(t in quantum for t in _eligible(p)):
                    continue
                settled.add(key)
                settled_in[i, j] = k
                added = True
                _settle_one(ex, p)
        if not added and k >= last:
            break
        k += 1
    for i, ex in enumerate(extractions):
        out.pointers[ex.document] = [(_eligible(p), settled_in.get((i, j))) for j, p in enumerate(ex.pointers)]
    return out


def unchanged(pointers: Iterable[tuple[list[str], int | None]], rounds: Mapping[str, int]) -> bool:
    """Whether pointers settled before (with their rounds) settle in the same rounds
    under ``rounds``: then their document's extraction is as it was."""
    for targets, was in pointers:
        now = min((rounds[t] for t in targets if t in rounds), default=None)
        if now != was:
            return False
    return True


def resolve(extractions: Iterable[Extraction]) -> list[Extraction]:
    """Add the ``controls`` relations that pointers across documents settle; returns
    the extractions, changed in place."""
    extractions = list(extractions)
    settle(extractions)
    return extractions
