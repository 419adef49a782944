"""The limits of an ECCN that controls nothing quantum are no thresholds of ours.

A quoted piece of the Commerce Control List carries figures in every paragraph (a HEMT's
frequency in 3E003.g, a magnet's bore in 3A001.e.3.b, a column's length in 1B228.d); the
graph records thresholds of the entries that control a quantum technology only. Which
ECCNs those are is known once the whole document is read (3A901.a's limit comes before
3A901.b names parametric amplifiers), so the filter runs when a document is finished."""

from __future__ import annotations

import re

from .eccn import BASE
from .records import Extraction

#: an entry of the CCL's numbering, its ECCN first: "US:3A001.e.3.b"
_ECCN = re.compile(rf"^(?P<owner>[^:]+):(?P<eccn>{BASE})\b")


def _eccn(entry: str) -> str | None:
    m = _ECCN.match(entry)
    return f"{m.group('owner')}:{m.group('eccn')}" if m else None


def drop_unquantum_limits(out: Extraction) -> None:
    """Remove the thresholds (relations and entities) of the paragraphs a document defines
    of ECCNs of which it says nothing controls (or excludes) a technology; pointers settled
    later may still make a software or technology entry quantum, and those keep theirs.
    A commentary naming an entry's limits in prose ("Paragraph 4A906.a.2 reaches systems of
    50 or more qubits") defines no paragraph, and keeps them."""
    # an ECCN the text scopes against a quantum technology ("... are not included") is about it too
    techs = ("controls", "not_controlled")
    quantum = {eccn for r in out.relations if r.type in techs and (eccn := _eccn(str(r.subject))) is not None}
    quantum |= {eccn for p in out.pointers if (eccn := _eccn(p.entry)) is not None}
    defined = {str(r.subject) for r in out.relations if r.type == "part_of"}
    dropped = {
        str(r.subject)
        for r in out.relations
        if r.type == "has_threshold"
        and str(r.subject) in defined
        and (eccn := _eccn(str(r.subject))) is not None
        and eccn not in quantum
    }
    if not dropped:
        return
    out.relations[:] = [r for r in out.relations if not (r.type == "has_threshold" and str(r.subject) in dropped)]
    out.entities[:] = [e for e in out.entities if not (e.type == "Threshold" and e.id.rsplit("/", 1)[0] in dropped)]
