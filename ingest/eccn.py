"""The layout of an ECCN-style list entry (eCFR Commerce Control List, and the EU,
UK and Wassenaar lists that share its drafting): the heading, its fixed sections
(License Requirements, Reason for Control, License Exceptions, Related Controls,
List of Items Controlled), the notes that follow the items, and the sentence kinds
that decide what a mention means there.

A technology named in a pointer ("For parametric amplifiers ..., see ECCN 3A901.b")
or a Related Controls section is about another entry, never the one around it; a
scope note ("This entry does not apply to adiabatic (or annealing) quantum
computers") is a ``not_controlled`` fact with the words that limit it; "For the
purposes of 3A901.a, ..." speaks about the paragraph it names.
"""

from __future__ import annotations

import re

from .prefilter import Gated

#: the one home of the Commerce Control List's numbering, which the EU, UK and Wassenaar
#: lists share: an ECCN (category figure, product group letter, three figures: "3A001")
BASE = r"\d[A-E]\d{3}"
#: a paragraph path below an ECCN, letters and figures alternating ("a", "e.3.b", "z.1.a"):
#: "e.g" and "i.e" after "5A002.a, " are abbreviations, not paragraphs
PATH = r"[a-z](?:\.\d{1,2}\.[a-z])*(?:\.\d{1,2})?"
#: an ECCN with or without its path ("4A906", "3A001.e.3.b")
CODE = rf"{BASE}(?:\.{PATH})?"
#: Section names inside an entry; they organise it and never open a new one.
SECTIONS = {
    "license requirements": "license_requirements",
    "reason for control": "reasons",
    "list based license exceptions": "license_exceptions",
    "license exceptions": "license_exceptions",
    "list of items controlled": "items",
    "items": "items",
    "related controls": "related_controls",
    "related definitions": "related_definitions",
    "special conditions for sta": "license_exceptions",
    # "Special Reporting: ... subject to reporting requirements in accordance with § 743.8"
    "special reporting": "special_reporting",
    "technical notes": "notes",
    "technical note": "notes",
    "notes": "notes",
    "note": "notes",
}
#: Sections whose mentions are never facts about the entry's own coverage.
POINTER_SECTIONS = {
    "license_requirements",
    "reasons",
    "license_exceptions",
    "related_controls",
    "related_definitions",
    "special_reporting",
}
_SECTION = re.compile(
    r"^\s*(?P<name>" + "|".join(sorted((re.escape(s) for s in SECTIONS), key=len, reverse=True)) + r")\b"
    r"\s*(?:\([^)]*\))?\s*(?::|$)",
    re.I,
)
_POINTER_TARGET = (
    r"(?:" + CODE + r"|Category\b|USML\b|Supplement\b|parts?\s+\d|§|\d+\s+CFR\b|paragraph"
    r"|the\s+(?:USML|ITAR|International Traffic))"
)
#: (behind the words every match holds: ``prefilter``)
_POINTER = Gated(
    r"\bsee\b(?:\s+also)?\s+(?:ECCNs?\s+|entry\s+|entries\s+)?"
    + _POINTER_TARGET
    + r"|\bcontrolled (?:by|under|in) (?:the )?USML\b",
    re.I,
    ("see", "usml"),
)
_SCOPE = Gated(
    r"\b(?:does|do|shall|will) not (?:apply to|control|include|cover|capture)\b|\bexcludes?\b|\bis not controlled\b",
    re.I,
    ("not ", "exclude"),
)
_PURPOSES = re.compile(r"^\s*For the purposes? of (?:this entry|(?:ECCN )?(?P<code>" + CODE + r"))", re.I)
_SUBJECT = re.compile(
    r"^\s*(?:Items (?:specified|controlled) (?:by|in|under) |ECCN )?(?P<code>" + CODE + r")\s+"
    r"(?:applies|apply|does|do|includes?|controls?|is|are|covers?)\b"
)
_ALL = Gated(r"\b(?:having|with|meeting|that have|which have) all (?:of )?the following\b", re.I, ("the following",))
_ANY = Gated(r"\b(?:having|with|containing|of|meeting) any (?:one )?of the following\b", re.I, ("the following",))
_EXCEPT = Gated(
    r"\((?:except|other than|excluding)\b[^()]*(?:\([^()]*\)[^()]*)*\)", re.I, ("(except", "(other than", "(excluding")
)
_NOT_BY = Gated(
    r"\bnot (?:controlled|specified|described|covered) (?:by|in|under) (?:ECCNs? )?"
    + CODE
    + r"(?:\s*(?:,|or|and|,\s*or|,\s*and)\s*(?:ECCNs? )?"
    + CODE
    + r")*",
    re.I,
    ("not controlled", "not specified", "not described", "not covered"),
)
_CODE_RX = re.compile(r"(?<![\w.])" + CODE + r"(?![\w])")


def section(text: str) -> str | None:
    """The entry section a heading or a labelled paragraph opens, if any."""
    match = _SECTION.match(text)
    return SECTIONS[match.group("name").lower()] if match else None


def is_pointer(sentence: str) -> bool:
    """ "see ECCN 3A901.b", "see Category XI of the USML": the sentence points to
    another entry, so what it names is covered there, not here."""
    return bool(_POINTER.search(sentence))


def scope_note(sentence: str) -> str | None:
    """The words after "does not apply to" (or "does not control"), when the
    sentence is a scope note; None otherwise."""
    match = _SCOPE.search(sentence)
    return sentence[match.end() :].strip(" .;:") if match else None


def subject_code(text: str) -> str | None:
    """The paragraph a note is about: "For the purposes of 3A901.a, ...",
    "4A906.c applies to ...", "Items specified by 4A906.b include ..."."""
    match = _PURPOSES.match(text) or _SUBJECT.match(text)
    return match.group("code") if match and match.group("code") else None


def combination(text: str) -> str:
    """How the sub-items of a paragraph combine: "all", "any" or ""."""
    if _ALL.search(text):
        return "all"
    if _ANY.search(text):
        return "any"
    return ""


def references(text: str) -> list[str]:
    """Entry codes a heading points to ("for the development of items controlled by
    3A901.b or 3B904"), leaving out those it excepts ("3A (except 3A901)") or sets
    aside ("not controlled by 5D002")."""
    return _CODE_RX.findall(_NOT_BY.sub(" ", _EXCEPT.sub(" ", text)))


def scope_words(scope: str, mention: str) -> str:
    """The words before the technology in a scope note: the kind it excludes."""
    head = scope.split(mention, 1)[0] if mention in scope else scope
    return re.sub(r"^(?:an?|the|any)\s+", "", head.strip(" ,"), flags=re.I).strip()
