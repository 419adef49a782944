"""Entries set as lines rather than headings: a line led by a list code and its
description, in an instrument's own text ("PL9014 Quantum computers ..." quoted as
inserted Schedule text, "5506. Emerging technologies, as follows:" in a Canadian order,
"RQ-101  Quantum computers ..." in a ministry's notice). Such a line opens an entry
exactly as an ECCN heading does, and the entry closes at the next paragraph of
ordinary prose, so that the text after a list is never read as part of its last entry.

A known list shape (ECCN, UK PL, a Canadian four-digit item) opens an entry wherever
an instrument sets it as a line; a code of any other shape only where the text has
introduced a list ("the following items", "as follows", "insert"), and never in an
essay or alert, which name entries but define none.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from .doc_cache import doc_text
from .readers import Block
from .readers.base import LEAD_LINE
from .state import DocumentState

#: list shapes that are entry codes wherever they lead a line of an instrument
_KNOWN = re.compile(r"^(?:\d[A-E]\d{3}(?:\.[a-z](?:\.\d+)*)?|PL\d{4}|[1-9]\d{3})$")
#: words that introduce a list of entries
_INTRODUCES = re.compile(
    r"\b(?:the following|as follows|insert(?:ed)?|add(?:s|ed|ing)?\b[^.]{0,80}\b(?:items?|entries|goods)|"
    r"(?:items?|entries) (?:are|is) (?:added|inserted)|(?:listed|set out|shown) below|"
    r"(?:list|table|schedule)\b[^.]{0,20}\bbelow)\b|"
    # "The Regulation lists three quantum entries:", a sentence about entries that opens a list
    r"\b(?:entries|items)\b[^.]*:\s*$",
    re.I,
)
#: a paragraph that ends by announcing entries: "... is extended by these entries:", or by a
#: licence requirement whose object is the list below ("Exporters need an authorisation to
#: export:", "A licence is required for the export of:")
_INTRO_COLON = re.compile(
    r"\b(?:entries|items|goods|codes|list)\b[^.:]{0,40}:\s*$|"
    r"\b(?:licen[cs]es?|authori[sz]ations?|permits?)\b[^.:]{0,60}\bexport(?:s|ing|ation)?\b[^.:]{0,20}:\s*$",
    re.I,
)
#: a bullet of a list the text introduced, led by a code and a comma or dash ("- FX-4, quantum
#: computers with 60 or more physical qubits;")
_BULLET_LEAD = re.compile(
    r"^[ \t]*(?:[-*+•]|\d{1,2}[.)])[ \t]+(?:\*\*)?"
    r"(?P<code>\d[A-E]\d{3}(?:\.[a-z](?:\.\d+)*)?|PL\d{4}|[A-Z]{1,4}-[A-Z]?\d{1,4}(?:[./-]\d{1,4})*)"
    r"(?:\*\*)?(?:[,:.]|[ \t]+[-–—])[ \t]+(?=[“\"‘(]?[A-Za-z])"
)
#: legislation.gov.uk's annotation markers: F (textual amendment), C, E, I, M, X notes
_ANNOTATION = re.compile(r"^[CEFIMX]\d{1,4}$")
#: ``LEAD_LINE`` from a position inside the line (after such a marker)
_LEAD_AFTER = re.compile(LEAD_LINE.pattern.removeprefix("^"))
#: a paragraph that still belongs to the entry before it
_NOTE = re.compile(r"^\s*(?:Note|N\.B\.|Technical Note|Nota)\b", re.I)
#: "* * * * *": the Federal Register's mark for text left out; the entry goes on after it
_STARS = re.compile(r"^\s*(?:\*\s*){3,}$")
_TIGHT = re.compile(r"[.:)][ \t]+|[ \t]{2,}|\t")


def lead_code(st: DocumentState, text: str) -> re.Match | None:
    """The code a line leads with, when it opens an entry of this document's list."""
    if getattr(st.profile, "claims_only", False) or not (st.jurisdiction and st.instrument):
        return None
    m = LEAD_LINE.match(text) or (_BULLET_LEAD.match(text) if st.list_introduced else None)
    if m and getattr(st.profile, "genre", "") == "uk_si" and _ANNOTATION.match(m.group("code")):
        # "**F2** PL9014 Quantum computers ...": a revised SI's annotation marker leads the line,
        # the entry's code comes after it; an F-note itself ("F1 Words omitted ...") opens nothing
        m = _LEAD_AFTER.match(text, m.end())
        if m is None or _ANNOTATION.match(m.group("code")):
            return None
    if not m:
        return None
    rest = text[m.end() :]
    bullet = m.re is _BULLET_LEAD  # a bullet sets its code apart whatever follows it
    lower = rest.lstrip('“"‘(')[:1].islower()
    listed = st.list_introduced and text.rstrip().endswith((";", ".", ":"))
    if not bullet and lower and not listed and not _TIGHT.fullmatch(text[m.end("code") : m.end()]):
        # "RQ-7 entries ..." in running text; a list sets its lines apart, or the text has
        # introduced one ("the goods below:" / "ZX.01 quantum computers with ...;")
        return None
    if _KNOWN.match(m.group("code")) or st.list_introduced or _INTRODUCES.search(rest):
        return m
    return None


#: a section heading that names what follows as entries: "1. Entries", "New controlled items"
_LIST_HEADING = re.compile(r"^[\s\d.]*(?:[A-Z]\w* ){0,2}(?i:entries|items|list of (?:entries|items|goods))\s*$")


def note_list(st: DocumentState, text: str, heading: bool = False) -> None:
    """Remember that the text has introduced a list ("adds the following items"), or that
    a section heading says its lines are entries ("2. Entries")."""
    if st.list_introduced:
        return
    if _LIST_HEADING.match(text) if heading else (_INTRODUCES.search(text) or _INTRO_COLON.search(text)):
        st.list_introduced = True


def closes_lead_entry(st: DocumentState, block: Block, doc: Doc) -> bool:
    """An entry opened by a line ends at the next paragraph of prose (a note, and the
    stars that mark omitted text, stay inside it)."""
    return bool(
        st.entry
        and st.entry_from_line
        and block.kind == "paragraph"
        and not _NOTE.match(doc_text(doc))
        and not _STARS.match(doc_text(doc))
    )
