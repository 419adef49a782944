"""Whose list a code is on. An entry belongs to the list it is in: a country word just
before the code names its owner ("Canadian item 5506", "US ECCN 4A906"), else the
document's own jurisdiction; a country named as a destination next to a code never owns it."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from .code_lists import code_text
from .doc_cache import doc_ents, owner_memo, span_ents
from .linking import CASE_SENSITIVE
from .state import DocumentState

_US_STYLE = re.compile(r"^\d[A-E]9\d\d")


def named_jurisdiction(sent: Span, code: Span) -> str | None:
    """The jurisdiction a code names itself: a country word just before it ("US ECCN
    4A906", "Canadian item 5506"), the ECCN keyword (US), or a PL number (GB). Kept per
    sentence and code for the doc: the mentions, a missing counterpart and a list of
    codes coordinated with this one each ask."""
    memo = owner_memo(sent.doc)
    key = (sent.start, sent.end, code.start, code.end)
    if key not in memo:
        memo[key] = _named_jurisdiction(sent, code)
    return memo[key]


def _named_jurisdiction(sent: Span, code: Span) -> str | None:
    near = [
        e
        for e in span_ents(sent)
        if e.label_ == "JURISDICTION" and 0 <= code.start - e.end <= 3 and _owner_mark(e, code)
    ]
    if near:
        return near[-1].ent_id_
    before = sent.doc[code.start - 1].text.upper() if code.start else ""
    if before in ("ECCN", "ECCNS") or code[0].text.upper() in ("ECCN", "ECCNS"):
        return "US"
    if code_text(code).startswith("PL"):
        return "GB"
    first = _coordinated_with(sent, code)
    return named_jurisdiction(sent, first) if first is not None else None


_JOINERS = {",", "and", "or", "to", "through"}


def _coordinated_with(sent: Span, code: Span) -> Span | None:
    """The code this one is coordinated with ("U.S. ECCNs 3A904, 3B904 and 3C907": 3A904 for
    3C907), whose owner the whole list shares."""
    doc, i = sent.doc, code.start - 1
    while i > sent.start and doc[i].lower_ in _JOINERS:
        i -= 1
    if i == code.start - 1:
        return None
    for e in span_ents(sent):
        if e.label_ == "CONTROL_CODE" and e.end == i + 1:
            return _coordinated_with(sent, e) or e
    return None


#: words between a country and a code that make the country the code's owner
_LIST_WORDS = {"eccn", "item", "entry", "code", "list", "control", "'s", "’s", "no", "no.", "number", "category"}
_LIST_WORDS |= {"eccns", "items", "entries", "codes"}


def _owner_mark(country: Span, code: Span) -> bool:
    """ "US ECCN 4A906", "Canadian item 5506", "Japan's entry 2A001": the country
    owns the code. "to Venezuela or North Korea 0A501 users": a destination next to a
    code, never its owner."""
    gap = [t.lower_ for t in country.doc[country.end : code.start]]
    if gap and all(w in _LIST_WORDS for w in gap):
        return True
    return not gap and country.text in CASE_SENSITIVE


def code_jurisdiction(st: DocumentState, sent: Span, code: Span) -> str | None:
    """Whose list a code is on: the one it names, else a 900-series ECCN (the EAR's own
    series: a Canadian order or a UK guidance page citing "3A904" cites the US list; the
    Wassenaar lists and those copying them number 0xx-5xx), else the document's
    jurisdiction, else the jurisdiction the text named last."""
    named = named_jurisdiction(sent, code)
    if named:
        return named
    if _US_STYLE.match(code_text(code)):
        return "US"
    if st.jurisdiction:
        return st.jurisdiction
    earlier = [e for e in doc_ents(sent.doc) if e.label_ == "JURISDICTION" and e.end <= code.start]
    return earlier[-1].ent_id_ if earlier else st.last_jurisdiction


def remember_jurisdiction(st: DocumentState, doc: Doc) -> None:
    """The last jurisdiction a block names, for codes in later blocks; whether the text
    has named the EU, for "the Union" in later blocks."""
    named = [e for e in doc_ents(doc) if e.label_ == "JURISDICTION"]
    if named:
        st.last_jurisdiction = named[-1].ent_id_
        st.union_named = st.union_named or any(e.ent_id_ == "EU" for e in named)
