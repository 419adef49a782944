"""What a negation scopes out: "This notice does not control cryogenic CMOS circuits" (a
negated verb of control whose subject is the document or an entry), "annealers fall outside
4A906", "annealers are excluded from FX-4" (the technologies of the subject, outside the
entry the preposition names)."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from .code_lists import code_text
from .named_entries import named_item
from .prefilter import Gated
from .state import DocumentState
from .syntax import INSTRUMENT_WORDS, document_subject, subjects

NEGATED = Gated(
    r"\b(?:not|no longer|never)\b|\bexclud\w*|\boutside\b",
    re.I,
    ("not", "no longer", "never", "exclud", "outside"),
)
_ADD_LEMMAS = {"add", "impose", "introduce", "extend", "establish", "create", "place"}
_MEASURE_NOUNS = {"control", "requirement", "licence", "license", "restriction", "permit"}
#: a plural subject that is the document's list as a whole, not one entry of it
_LIST_PLURALS = {"entries", "items", "controls", "headings"}
_CONTROL_LEMMAS = {
    "concern",
    "address",
    "affect",
    "control",
    "cover",
    "apply",
    "include",
    "capture",
    "reach",
    "list",
    "catch",
    "extend",
    "regulate",
}


def negations(st: DocumentState, parsed: Doc, mentions, span, conf: float) -> None:
    """ "This notice does not control cryogenic CMOS circuits": a negated verb of control
    whose subject is the document (or an entry it names); only the technologies in the
    verb's own object are negated ("controls X but not Y" negates Y alone)."""
    for verb in parsed:
        if not any(c.dep_ == "neg" for c in verb.children):
            continue
        # "does not control X", or "does not add (impose) controls on X"
        measure = verb.lemma_ in _ADD_LEMMAS and any(
            c.dep_ == "dobj" and c.lemma_.lower() in _MEASURE_NOUNS for c in verb.children
        )
        if verb.lemma_ not in _CONTROL_LEMMAS and not measure:
            continue
        subject = None
        by_document = _document_agent(verb)
        pronoun = any(s.lower_ in ("it", "this") for s in subjects(verb))
        # "It does not reach X" in an alert's paragraph about one instrument: the instrument
        reported = pronoun and not st.entry and getattr(st.profile, "claims_only", False)
        if document_subject(verb) or pronoun and verb.dep_ == "conj" and document_subject(verb.head) or reported:
            subject, kind = st.instrument, "Instrument"
        elif by_document:  # "X are not controlled by this notice": the passive's subject is scoped out
            subject, kind = st.instrument, "Instrument"
        else:
            named = named_item(st, verb)
            code = [
                m for m in mentions if m.label == "CONTROL_CODE" and any(m.token in s.subtree for s in subjects(verb))
            ]
            if named or code:
                subject = named or f"{st.jurisdiction}:{code_text(code[0].ent)}"
                kind = "ControlEntry"
            elif st.entry and any(s.lower_ in ("entry", "item", "it", "this") for s in subjects(verb)):
                subject, kind = st.entry, "ControlEntry"
            elif not st.entry and any(s.lower_ in _LIST_PLURALS for s in subjects(verb)):
                # "The entries of Part Q do not apply to quantum sensors": the list as a whole
                subject, kind = st.instrument, "Instrument"
        if not subject:
            continue
        objects = [c for c in verb.children if c.dep_ in ("dobj", "prep", "attr", "xcomp")]
        if by_document:
            objects = [c for c in verb.children if c.dep_ == "nsubjpass"]
        for tech in (m for m in mentions if m.label == "TECHNOLOGY"):
            if not any(tech.token in o.subtree for o in objects):
                continue
            st.relate(
                "not_controlled",
                subject,
                kind,
                tech.ident,
                "Technology",
                tech.start,
                tech.end,
                conf,
                "parse.not_controlled",
                span,
            )


def _document_agent(verb: Token) -> bool:
    """The agent of a passive is this document ("... are not controlled by this notice",
    "by the present Order"), not another instrument or entry."""
    if not any(c.dep_ == "nsubjpass" for c in verb.children):
        return False
    for agent in (c for c in verb.children if c.dep_ == "agent" or c.lower_ == "by"):
        for noun in (p for p in agent.children if p.dep_ == "pobj"):
            if noun.lower_ in INSTRUMENT_WORDS and any(d.lower_ in ("this", "the", "present") for d in noun.children):
                return True
    return False


_OUTSIDE_VERBS = {"fall", "lie", "be", "remain", "stay"}
#: "annealers are excluded from FX-4", "sensors are carved out of it": a passive whose "from"
#: (or "out of") names the entry
_EXCLUDE_VERBS = {"exclude", "except", "omit", "remove", "exempt", "carve", "leave"}


def outside(st: DocumentState, parsed: Doc, mentions, span, conf: float) -> None:
    """ "adiabatic quantum computers ... fall outside it", "annealers are outside the scope
    of 4A906": the technologies of the verb's subject are not controlled by the entry the
    preposition names (a code there, else the code the sentence named before, else the
    open entry)."""
    codes = [m for m in mentions if m.label == "CONTROL_CODE"]
    for verb in parsed:
        prep = [c for c in verb.children if c.dep_ == "prep" and c.lower_ in ("outside", "beyond")]
        if verb.lemma_ in _EXCLUDE_VERBS and any(c.dep_ == "auxpass" for c in verb.children):
            prep = [c for c in verb.children if c.dep_ == "prep" and c.lower_ in ("from", "of")]
        elif verb.lemma_ not in _OUTSIDE_VERBS:
            continue
        if not prep:
            continue
        inside = [m for m in codes if m.token in prep[0].subtree]
        before = [m for m in codes if m.token.i < verb.i]
        target = (inside or before[-1:] or [None])[0]
        subject = f"{st.jurisdiction}:{code_text(target.ent)}" if target else st.entry
        if not subject:
            continue
        subjects_ = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if not subjects_ and verb.dep_ == "conj":  # "..., also called X, fall outside it": the head's
            subjects_ = [c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")]
        for tech in (m for m in mentions if m.label == "TECHNOLOGY"):
            if any(tech.token in x.subtree for x in subjects_):
                st.relate("not_controlled", subject, "ControlEntry", tech.ident, "Technology", tech.start, tech.end,
                          conf, "parse.outside", span)  # fmt: skip
