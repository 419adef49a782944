"""Destinations an instrument exempts, read from the parse: "This Order does not apply to
exports to Freedonia", "the requirement does not extend to shipments to Member States of the
European Union or to Iceland". The path is a negated verb of scope, its "to" phrase about
exports, and that phrase's own "to" phrase with the destinations (through coordination);
a destination an exception scopes back in ("other than Iceland") is not exempted."""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.matcher import DependencyMatcher
from spacy.tokens import Doc, Token

from .state import DocumentState
from .syntax import Mention, Parser, load_parser

#: the triage: a sentence that could carry such a path
CUE = re.compile(
    r"\bnot\b.*\b(?:appl(?:y|ies)|extends?|covers?|reach(?:es)?)\b.*\b(?:exports?|shipments?|transfers?)\b.*\bto\b",
    re.I,
)
_SCOPE_VERBS = ["apply", "extend", "cover", "reach"]
MOVES = ["export", "exports", "shipment", "shipments", "transfer", "transfers", "re-export", "reexport"]
#: words between the destination and "exports" that turn the destination into an exception
_BACK_IN = {"except", "excluding", "other", "but", "apart", "save", "besides"}


@lru_cache(maxsize=1)
def _matcher(parser: Parser) -> DependencyMatcher:
    """ "does not apply to exports to X" (the exports under the verb's "to") and "does not
    cover exports to X" (the exports its object); the last two nodes are the exports and
    the "to" of their destinations."""
    verb = [
        {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LEMMA": {"IN": _SCOPE_VERBS}}},
        {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "neg", "RIGHT_ATTRS": {"DEP": "neg"}},
    ]
    dest = {"LEFT_ID": "moves", "REL_OP": ">", "RIGHT_ID": "dest", "RIGHT_ATTRS": {"LOWER": "to"}}
    under_to = [
        *verb,
        {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "to", "RIGHT_ATTRS": {"DEP": "prep", "LOWER": "to"}},
        {"LEFT_ID": "to", "REL_OP": ">", "RIGHT_ID": "moves", "RIGHT_ATTRS": {"LOWER": {"IN": MOVES}}},
        dest,
    ]
    as_object = [
        *verb,
        {
            "LEFT_ID": "verb",
            "REL_OP": ">",
            "RIGHT_ID": "moves",
            "RIGHT_ATTRS": {"DEP": "dobj", "LOWER": {"IN": MOVES}},
        },
        dest,
    ]
    m = DependencyMatcher(parser.vocab)
    m.add("exempt_destination", [under_to, as_object])
    return m


def _scoped_back(token: Token, moves: Token) -> bool:
    """Is the destination inside an exception within the exempted phrase?"""
    for node in [token, *token.ancestors]:
        if node.i == moves.i:  # a new Token on each access: compare positions
            return False
        if node.lower_ in _BACK_IN:
            return True
    return False


def exempt_destinations(st: DocumentState, parsed: Doc, mentions: list[Mention], span, conf: float) -> None:
    """Each destination under the matched path is exempted by the document's instrument."""
    if not st.instrument:
        return
    places = [m for m in mentions if m.label == "JURISDICTION" and m.ident != st.jurisdiction]
    for _, tokens in _matcher(load_parser())(parsed):
        moves, dest = tokens[-2:]
        for m in places:
            inside = m.token in parsed[moves].subtree and m.token.i > parsed[dest].i
            if inside and not _scoped_back(m.token, parsed[moves]):
                st.entity("Jurisdiction", m.ident, m.start, m.end, 0.9, "ruler.jurisdiction", span)
                st.relate("exempt_destination", st.instrument, "Instrument", m.ident, "Jurisdiction", m.start, m.end,
                          conf, "parse.exempt_destination", span)  # fmt: skip
