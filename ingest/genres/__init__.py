"""Document understanding per genre: what instrument a text is, who issued it, where
it applies and when, read from the conventions of its genre rather than from our own
header fields (the header-field summary is one genre among the others, handled in
``preamble``). One module per genre; each has ``detect(text)`` and
``read(text, registry) -> Profile``, tried in the order below."""

from __future__ import annotations

import re
from dataclasses import replace

from ..jurisdictions import Registry
from ..records import Extraction
from . import canada, commentary, eu, federal_register, guidance, national, uk_si
from .common import Found, Profile, compliance_date

#: a heading that opens a list entry ("3B904 Cryogenic wafer probing ..."): a list, not commentary
_LIST_HEADING = re.compile(r"^[*\s]*(?:ECCN |Entry |Item )?\d[A-E]\d{3}\b")

#: Most specific conventions first; guidance and commentary first of all, because a guidance
#: page or an alert quotes the title blocks and captions of the rules it discusses.
GENRES = (guidance, commentary, federal_register, eu, uk_si, canada, national)


def understand(text: str, registry: Registry) -> Profile:
    """The profile of a document; genre ``unknown`` when no convention applies."""
    for module in GENRES:
        if module.detect(text):
            return _compliance(module.read(text, registry), text)
    return Profile("unknown")


def _compliance(profile: Profile, text: str) -> Profile:
    """When those already bound must conform ("must comply with this Order by ...", "the
    transition period ends on ..."), in any genre whose own reader did not say."""
    if "compliance" in profile.dates or not profile.title:
        return profile
    found = compliance_date(text)
    effective = profile.dates.get("effective")
    if found and not (effective and effective.value == found.value):
        profile.dates["compliance"] = found
    return profile


def unknown_as_commentary(
    profile: Profile, text: str, registry: Registry, headings: list[str], has_fields: bool
) -> Profile:
    """A text no genre recognises, with no header fields and no list heading, is read as
    commentary from its first block on (as ``is_commentary`` decides at its end): the
    instruments its paragraphs cite are reported, one paragraph at a time (``reported``)."""
    if profile.genre != "unknown" or has_fields or any(_LIST_HEADING.match(h) for h in headings):
        return profile
    from ..cfr import cfr_citation

    if cfr_citation(text) is not None:
        return profile  # eCFR text is its section's or part's (``cfr.identify``)
    return commentary.read(text, registry)


def is_commentary(st) -> bool:
    """An essay or alert, or a text in which no genre found an instrument and no header
    named one or an arrangement: what it says is reported, not enacted."""
    if st.profile.claims_only:
        return True
    unknown = st.profile.genre == "unknown" and not st.instrument and not st.arrangement and not st.fields
    return unknown and not any(
        _LIST_HEADING.match(st.source.block_text(b)) for b in st.source.blocks if b.kind == "heading"
    )


def treat_as_claims(out: Extraction, weight: float = commentary.CLAIM_WEIGHT) -> None:
    """An essay's or alert's facts are claims: each keeps its evidence with a lower
    confidence (below the default threshold, so it is held for review), and nothing
    it says becomes a control entry of its own."""
    # an alert or essay defines no entry: nothing it says is part of an instrument
    out.relations = [r for r in out.relations if r.type not in ("part_of", "in_list", "broader")]
    for r in out.relations:
        r.confidence = round(r.confidence * weight, 3)
        r.rule = f"claim.{r.rule}"
    # what another document settles later ("4D906 ... for commodities in 4A906.b") is claimed too
    out.pointers = [
        replace(p, confidence=round(p.confidence * weight, 3), rule=f"claim.{p.rule}") for p in out.pointers
    ]
    out.entities = [
        e for e in out.entities if not (e.type == "ControlEntry" and e.rule.startswith(("heading", "item", "line")))
    ]


__all__ = ["Found", "Profile", "GENRES", "understand", "unknown_as_commentary", "is_commentary", "treat_as_claims"]
