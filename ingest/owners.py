"""Whose list a code is on. An entry belongs to the list it is in: a country word just
before the code names its owner ("Canadian item 5506", "US ECCN 4A906"), else the
document's own jurisdiction; a country named as a destination next to a code never owns it."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from .doc_cache import doc_ents, span_ents
from .linking import CASE_SENSITIVE
from .state import DocumentState

_US_STYLE = re.compile(r"^\d[A-E]9\d\d")


def named_jurisdiction(sent: Span, code: Span) -> str | None:
    """The jurisdiction a code names itself: a country word just before it ("US ECCN
    4A906", "Canadian item 5506"), the ECCN keyword (US), or a PL number (GB)."""
    near = [
        e
        for e in span_ents(sent)
        if e.label_ == "JURISDICTION" and 0 <= code.start - e.end <= 3 and _owner_mark(e, code)
    ]
    if near:
        return near[-1].ent_id_
    before = sent.doc[code.start - 1].text.upper() if code.start else ""
    if before == "ECCN" or code[0].text.upper() == "ECCN":
        return "US"
    if code[-1].text.startswith("PL"):
        return "GB"
    return None


#: words between a country and a code that make the country the code's owner
_LIST_WORDS = {"eccn", "item", "entry", "code", "list", "control", "'s", "’s", "no", "no.", "number", "category"}


def _owner_mark(country: Span, code: Span) -> bool:
    """ "US ECCN 4A906", "Canadian item 5506", "Japan's entry 2A001": the country
    owns the code. "to Venezuela or North Korea 0A501 users": a destination next to a
    code, never its owner."""
    gap = [t.lower_ for t in country.doc[country.end : code.start]]
    if gap and all(w in _LIST_WORDS for w in gap):
        return True
    return not gap and country.text in CASE_SENSITIVE


def code_jurisdiction(st: DocumentState, sent: Span, code: Span) -> str | None:
    """Whose list a code is on: the one it names, else the document's jurisdiction,
    else a 900-series number (US), else the jurisdiction the text named last."""
    named = named_jurisdiction(sent, code)
    if named:
        return named
    if st.jurisdiction:
        return st.jurisdiction
    if _US_STYLE.match(code[-1].text):
        return "US"
    earlier = [e for e in doc_ents(sent.doc) if e.label_ == "JURISDICTION" and e.end <= code.start]
    return earlier[-1].ent_id_ if earlier else st.last_jurisdiction


def remember_jurisdiction(st: DocumentState, doc: Doc) -> None:
    """The last jurisdiction a block names, for codes in later blocks."""
    named = [e for e in doc_ents(doc) if e.label_ == "JURISDICTION"]
    if named:
        st.last_jurisdiction = named[-1].ent_id_
