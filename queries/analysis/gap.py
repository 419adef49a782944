"""A harmonisation gap, and the registry of gap kinds: one function per kind.

A kind is registered with ``@gap_kind(name)``. A per-technology kind is called once
for each technology kind compared, with the pair and the technology; a pair kind
once per comparison. Kinds run in the order they are registered, which is the order
gaps are listed in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from ..store import Store
from .bands import Box
from .regimes import EntryRef, Regimes

if TYPE_CHECKING:
    from .decided import Decided


#: the kind of a gap on one side's silence: A controls T, B is no_data or uncertain
DATA_GAP = "data"


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
    #: each side's determination (status, confidence, flags, entries), by jurisdiction
    states: dict[str, dict] = field(default_factory=dict)

    @property
    def is_data_gap(self) -> bool:
        """A gap on one side's silence or doubt: reported apart from the gaps proper."""
        return self.kind == DATA_GAP

    def to_json(self) -> dict:
        data = asdict(self)
        data["a_entries"] = [e.to_json() for e in self.a_entries]
        data["b_entries"] = [e.to_json() for e in self.b_entries]
        return data

    def row(self) -> dict:
        """One flat row for CSV and spreadsheets."""

        def codes(entries):
            return "; ".join(f"{e.code or e.label} ({e.stated or e.applies_from})" for e in entries)

        def side(code: str) -> dict:
            state = self.states.get(code, {})
            conf = state.get("confidence")
            return {
                "status": state.get("status", ""),
                "confidence": "" if conf is None else f"{conf:.2f}",
                "flags": "; ".join(state.get("flags", [])),
            }

        sa, sb = side(self.a), side(self.b)
        return {
            "kind": self.kind,
            "a": self.a,
            "b": self.b,
            "technology": self.technology_label,
            "summary": self.summary,
            "a_entries": codes(self.a_entries),
            "b_entries": codes(self.b_entries),
            **{f"a_{k}": v for k, v in sa.items()},
            **{f"b_{k}": v for k, v in sb.items()},
            "sources": " | ".join(_source(ev) for ev in self.evidence),
            "official_urls": " ".join(sorted({ev["official_url"] for ev in self.evidence if ev.get("official_url")})),
            # review (issue 16): whether the cited facts were checked by a person
            "review": " | ".join(_reviewed(ev.get("review", {})) for ev in self.evidence),
        }


def _source(ev: dict) -> str:
    """A cited sentence in an export: official text in quotation marks, a summary said
    to be one."""
    if ev.get("document_kind") == "OfficialText":
        return f"{ev['document_title']} (official text): \u201c{ev['sentence']}\u201d"
    kind = "summary" if ev.get("document_kind") == "Summary" else "commentary"
    return f"{ev['document_title']} ({kind}, not the official text): {ev['sentence']}"


def _reviewed(review: dict) -> str:
    if review.get("status", "extracted") == "extracted":
        return "extracted"
    return f"{review['status']} by {review.get('by', '?')} ({review.get('at', '')[:10]})"


@dataclass
class Pair:
    """What every gap kind reads: two jurisdictions' regimes and thresholds on a date."""

    store: Store
    reg: Regimes
    boxes: dict[str, Box]
    a: str
    b: str
    #: the one technology kind compared, or None for all
    technology: str | None = None
    #: caveats a kind found on the way (vague or missing thresholds)
    notes: list[str] = field(default_factory=list)
    #: each side's determination per technology (see ``decided``)
    decided: Decided | None = None


@dataclass(frozen=True)
class GapKind:
    name: str
    find: Callable[..., list[Gap]]
    per_technology: bool


#: kind name -> kind, in the order gaps are listed
GAP_KINDS: dict[str, GapKind] = {}


def gap_kind(name: str, per_technology: bool = True) -> Callable:
    """Register a function as the finder of one gap kind."""

    def register(find: Callable[..., list[Gap]]) -> Callable[..., list[Gap]]:
        if name in GAP_KINDS:
            raise ValueError(f"gap kind '{name}' is registered twice")
        GAP_KINDS[name] = GapKind(name, find, per_technology)
        return find

    return register
