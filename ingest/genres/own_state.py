"""Whose a text is when it borrows another state's drafting: the one home of the rule that
a text is the state's it says it is of. A gazette or SI series of another state in the
Canadian or UK drafting names its state in its masthead, a heading of its series or its
enacting formula (``own_state``); a guidance page names it through its authority or its
opening lines (``page_state``); the SI and SOR numbers such a text cites are of its own
series (``own_series``); and the form of its formal name used alone ("the Kingdom", "the
Republic") is that state (``formal_form_state``). Citation style decides the owner only
when the text names no state of its own."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..jurisdictions import Registry
from .common import Found, authority_jurisdiction, masthead_state, state_in_line

if TYPE_CHECKING:  # the walk's state; this module reads three of its fields
    from ..state import DocumentState

#: the states whose citation styles other states' texts borrow (SI numbers, SOR numbers):
#: in a text of a state of its own, such a citation is that state's
BORROWED_STYLES = ("GB", "CA")

#: a heading that names the series or gazette of a state: "STATUTORY INSTRUMENTS OF THE REPUBLIC
#: OF X", "X Gazette Part II", "Official Journal of X", "Government of X"
_SERIES_LINE = re.compile(r"\b(?:statutory instruments|gazette|official journal|government|ministry)\b", re.I)
_ASIDE = re.compile(r"\s*\(.*?\)")
#: the longest line of a text's head read as a state's name
_HEAD_LINE = 100


def _state_line(line: str, registry: Registry) -> tuple[str, int, int] | None:
    """A line of the head that is a state's name and nothing more, in an aside or not, of a
    state ISO 3166 does not list: "(Republic of X, a fictional state, for testing)" under the
    Act's name says whose the text is. A title naming a state ("Order Respecting Exports to
    the Republic of X") is more than the name, and says nothing of the owner."""
    stripped = line.strip()
    if stripped.startswith("(") and stripped.endswith(")"):
        stripped = stripped[1:-1]
    name = re.split(r"[,;]", stripped)[0].strip()
    state = state_in_line(name, registry) if 3 < len(name) <= _HEAD_LINE else None
    if not state or registry.get(state[0]) is None or name[: state[1]].strip().lower() not in ("", "the"):
        return None
    if name[state[2] :].strip():
        return None
    at = line.index(name)
    return state[0], at + state[1], at + state[2]


def own_state(
    text: str, end: int, registry: Registry, default: str, formula: tuple[int, int] | None = None
) -> Found | None:
    """The state a text says it is of, when it is not the drafting's usual one (``default``): a
    state named in the masthead before ``end`` (the instrument's number or title), in a heading
    of the head that names its series or gazette ("2026 No. 4 / STATUTORY INSTRUMENTS OF THE
    REPUBLIC OF X"), or, for a state ISO 3166 does not list, in its enacting formula
    (``formula``: "The Council of State of the Principality of X, on the recommendation of ...").
    A citation's style never says this: "SOR/2026-7" in X's gazette is X's. A parenthetical
    ("(a fictional state, for testing)") is no part of a name."""
    found = masthead_state(text, end, registry, default)
    if found:
        return found
    offset = 0
    for line in text[:1500].splitlines(keepends=True)[:12]:
        if _SERIES_LINE.search(line):
            state = state_in_line(_ASIDE.sub(lambda m: " " * len(m.group()), line), registry)
            if state and state[0] != default:
                return Found(state[0], offset + state[1], offset + state[2])
        else:
            state = _state_line(line, registry)
            if state:
                return Found(state[0], offset + state[1], offset + state[2])
        offset += len(line)
    said = _said_fictional(text, registry)
    if said:
        return said
    if formula:
        # the formula's whole sentence: "... makes these Regulations in exercise of the powers
        # conferred by section 1 of the Act of the Kingdom of X."
        stop = text.find(".\n", formula[1], formula[1] + 600)
        formula = (formula[0], stop if stop > 0 else formula[1])
        words = _ASIDE.sub(lambda m: " " * len(m.group()), text[formula[0] : formula[1]])
        state = state_in_line(words, registry)
        if state and registry.get(state[0]) is not None:
            return Found(state[0], formula[0] + state[1], formula[0] + state[2])
    return None


#: a head's note that the text's state is made up: "(The Kingdom of X is a fictional state. ...)",
#: "The Isles of X are a fictional state; this order is written for testing."
_FICTIONAL = re.compile(
    r"(?P<name>(?:[Tt]he )?[A-Z][\w'-]*(?: (?:of|[A-Z][\w'-]*))*) (?:is|are) (?:a |an )?"
    r"(?:fictional|fictitious|imaginary|invented|made-up)\b"
)


def _said_fictional(text: str, registry: Registry) -> Found | None:
    """A state ISO 3166 does not list that the head says is fictional: the text is its own."""
    head = text[:1500]
    if "ictional" not in head and "ictitious" not in head and "maginary" not in head and "nvented" not in head:
        return None
    for m in _FICTIONAL.finditer(head):
        state = state_in_line(m.group("name"), registry)
        if state and registry.get(state[0]) is not None:
            return Found(state[0], m.start("name") + state[1], m.start("name") + state[2])
    return None


def page_state(text: str, authority: Found | None, registry: Registry) -> Found | None:
    """The state a page says it is of: its authority's ("... of the Republic of X"), else the
    first of its opening lines that names one."""
    code = authority_jurisdiction(authority.value, registry) if authority else None
    where = authority
    if not code:
        for line in text[:600].splitlines()[:6]:
            # asides blanked, not cut: the offsets stay those of the line
            state = state_in_line(_ASIDE.sub(lambda m: " " * len(m.group()), line), registry)
            if state:
                code, s, e = state
                offset = text.find(line)
                where = Found(line[s:e], offset + s, offset + e)
                break
    return Found(code, where.start, where.end) if code and where else None


def own_series(st: DocumentState) -> str | None:
    """The state whose own series a document's SI and SOR numbers are: the document's
    jurisdiction when it is a state ISO 3166 does not list (its texts borrow the UK's or
    Canada's drafting, citations too: "S.I. 2021/95" in X's order or notice is X's); else
    none, and a citation's style says whose it is."""
    code, registry = st.jurisdiction, st.registry
    if code and getattr(st.profile, "genre", "") == "uk_si":
        return code  # a series in the UK's drafting cites its own numbers ("GB" for the UK's)
    return code if code and registry is not None and registry.get(code) is not None else None


def formal_form_state(form: str, code: str | None, registry: Registry | None) -> str | None:
    """ "The Grand Duchy has participated in ...": the form of the document's own state's
    formal name ("Kingdom", "Republic"), used alone with "the", is that state, when the
    registry knows it by a name of that form ("Kingdom of X")."""
    from ..jurisdictions import STATE_FORMS

    state = registry.get(code) if registry is not None and code else None
    if state is None or form not in STATE_FORMS:
        return None
    return state.code if state.name.lower().startswith(form.lower() + " of ") else None
