"""Authorities a text names: a body defined with its abbreviation ("the Bureau of Industry
and Security (BIS)", which then also answers to "BIS" and "the Bureau"), a body of the
known list named in full ("the Export Control Joint Unit"), and the known abbreviations.
One home for what counts as an authority's name, read by every genre."""

from __future__ import annotations

import re
from functools import lru_cache

from qharmony.ontology.namespaces import slug

from .readers import Block
from .state import DocumentState
from .thresholds import FOLDS_TO_ASCII

_DEFINED = re.compile(
    r"\b(?:the )?((?:[A-Z][a-z]+|of|and|for|the)(?: (?:[A-Z][a-z]+|of|and|for|the)){1,8}) "
    r"\(([A-Z]{2,6})\)"
)
#: head words that make a defined name a body's name, not another defined term
AUTHORITY_WORDS = {
    "Bureau",
    "Ministry",
    "Department",
    "Commission",
    "Office",
    "Agency",
    "Council",
    "Secretariat",
    "Directorate",
    "Authority",
    "Minister",
}


@lru_cache(maxsize=1)
def _known_authorities() -> list[str]:
    """Export-control bodies known by name, as texts capitalise them ("the Export Control
    Joint Unit"); the parent departments are named in the list only to say whose they are."""
    from .genres.common import AUTHORITY_JURISDICTIONS

    keep = ("unit", "bureau", "office", "agency", "directorate", "global affairs", "bundesamt")
    small = {"of", "and", "for", "für", "und"}
    names = [n for n in AUTHORITY_JURISDICTIONS if any(k in n for k in keep)]
    return [" ".join(w if w in small else w.capitalize() for w in n.split()) for n in names]


@lru_cache(maxsize=1)
def _known_authority_patterns() -> tuple[re.Pattern[str], list[tuple[re.Pattern[str], str]]]:
    """The known bodies as one pattern (most blocks name none) and one each, with ids."""
    names = _known_authorities()
    each = [(re.compile(r"\b" + re.escape(n) + r"\b"), slug(n).lower()) for n in names]
    return re.compile("|".join(r"\b" + re.escape(n) + r"\b" for n in names) or "(?!)"), each


@lru_cache(maxsize=512)
def _word_pattern(short: str) -> re.Pattern[str]:
    """An abbreviation as a whole word; "the Bureau" in any case (it opens sentences)."""
    return re.compile(r"\b" + re.escape(short) + r"\b", re.I if short.startswith("the ") else 0)


#: the abbreviation part of ``_DEFINED``, alone: it tries its name words at every capital
_DEFINED_TAIL = re.compile(r" \([A-Z]{2,6}\)")


@lru_cache(maxsize=1)
def _abbreviations() -> tuple[tuple[str, str], ...]:
    """The known bodies' abbreviations (``genres.common``, imported late: it imports us)."""
    from .genres.common import AUTHORITY_ABBREVIATIONS

    return tuple(AUTHORITY_ABBREVIATIONS.items())


#: the last word of an act's name: a name ending in one names an instrument, not a body
_INSTRUMENT_KINDS = {"Regulation", "Regulations", "Directive", "Decision", "Recommendation", "Order", "Act", "Rule",
                     "Notice", "Decree", "Ordinance"}  # fmt: skip


def authorities(st: DocumentState, block: Block, text: str) -> None:
    """ "the Bureau of Industry and Security (BIS)" defines BIS and "the Bureau"."""
    for m in _DEFINED.finditer(text) if " (" in text and _DEFINED_TAIL.search(text) else ():
        raw, abbreviation = m.group(1), m.group(2)
        name = raw.removeprefix("The ")
        start = m.start(1) + (len(raw) - len(name))
        words = set(name.split())
        if not words & AUTHORITY_WORDS or name.split()[-1] in _INSTRUMENT_KINDS:
            continue  # "Commission Delegated Regulation (EU) ...": an act, not a body defined as "EU"
        ident = slug(name).lower()
        st.abbreviations[abbreviation] = ident
        for head in words & AUTHORITY_WORDS:
            st.abbreviations[f"the {head}"] = ident
        st.entity(
            "Authority", ident, block.start + start, block.start + m.end(1), 0.9, "regex.defined_term", label=name
        )
    anyone, each = _known_authority_patterns()
    for rx, ident in each if any(n in text for n in _known_authorities()) and anyone.search(text) else ():
        for m in rx.finditer(text):
            st.entity("Authority", ident, block.start + m.start(), block.start + m.end(), 0.85, "gazetteer.authority")
    for short, name in _abbreviations():
        if short not in st.abbreviations and short in text:
            for m in _word_pattern(short).finditer(text):
                s, e = block.start + m.start(), block.start + m.end()
                st.entity("Authority", slug(name).lower(), s, e, 0.8, "gazetteer.abbreviation")
    low = None
    for short, ident in st.abbreviations.items():
        if short.startswith("the "):  # matched in any case
            low = text.lower() if low is None else low
            if short.lower() not in low and not any(c in text for c in FOLDS_TO_ASCII):
                continue
        elif short not in text:
            continue
        for m in _word_pattern(short).finditer(text):
            st.entity("Authority", ident, block.start + m.start(), block.start + m.end(), 0.85, "abbreviation")
