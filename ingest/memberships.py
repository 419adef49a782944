"""Membership in arrangements, read from syntax: who is party ("has taken part in",
"X and Y are parties to", founders, "the AUKUS partners, Australia, ..."), since when,
what the participants agreed to control, and which instrument implements them."""

from __future__ import annotations

from spacy.tokens import Doc, Token

from .dates import find_dates
from .state import DocumentState
from .syntax import Mention, clause_head, document_subject, excluded, subjects

_PARTY_VERBS = {
    "participate",
    "join",
    "accede",
    "sign",
    "ratify",
    "adhere",
    "belong",
    "enter",
    # founders: "Australia, the United Kingdom and the United States announced AUKUS"
    "found",
    "establish",
    "launch",
    "conclude",
    "form",
    "create",
    "announce",
}
_PARTY_NOUNS = {"party", "member", "participant", "state", "signatory", "partner", "part"}
_IMPLEMENT_VERBS = {"implement", "transpose", "effect", "give", "apply", "enforce"}
_AGREE_VERBS = {"agree", "commit", "undertake", "decide", "consent"}


def _party_clause(verb: Token, treaty: Token) -> bool:
    """The verb (or its noun: "is a party to", "has taken part in") says membership."""
    if verb.lemma_ in _PARTY_VERBS:
        return True
    if any(c.dep_ in ("dobj", "attr", "acomp", "oprd") and c.lemma_.lower() in _PARTY_NOUNS for c in verb.children):
        return True  # "has taken part in", "became a participant in"
    path = [treaty, *treaty.ancestors]
    return any(t.lemma_.lower() in _PARTY_NOUNS for t in path[: path.index(verb)] if verb in path)


def parties(st: DocumentState, parsed: Doc, mentions: list[Mention], span, conf: float) -> None:
    """ "Ruritania has taken part in the Accord since 2019", "X and Y are parties to T",
    "T's participants include X, Y and Z"."""
    for t in (m for m in mentions if m.label == "TREATY"):
        verb = clause_head(t.token)
        if verb is None or any(c.dep_ == "neg" for c in verb.children):
            continue
        places = [m for m in mentions if m.label == "JURISDICTION"]
        _party_nouns(st, t, places, span, conf)
        heads = set(subjects(verb))
        if _party_clause(verb, t.token):
            members = [m for m in places if m.token in heads or any(m.token in s.subtree for s in heads)]
        elif verb.lemma_ in ("include", "comprise", "be") and any(
            s.lemma_.lower() in ("participant", "party", "member", "signatory") for s in heads
        ):
            members = [m for m in places if m.token in verb.subtree and not any(m.token in s.subtree for s in heads)]
        else:
            continue
        for m in members:
            st.entity("Jurisdiction", m.ident, m.start, m.end, 0.9, "ruler.jurisdiction", span)
            st.entity("Treaty", t.ident, t.start, t.end, 0.9, "ruler.treaty", span)
            st.relate(
                "party_to", m.ident, "Jurisdiction", t.ident, "Treaty", m.start, m.end, conf, "parse.party_to", span
            )
            dates = [
                d
                for d in find_dates(parsed.text)
                if parsed.text[: d[1]].rstrip().endswith(("on", "since", "from", "of"))
            ]
            if dates:
                membership = {"arrangement": t.ident, "since": dates[0][0].isoformat()}
                st.relate(
                    "party_since",
                    m.ident,
                    "Jurisdiction",
                    membership,
                    "Membership",
                    m.start,
                    m.end,
                    conf,
                    "parse.party_since",
                    span,
                )


def _party_nouns(st: DocumentState, t: Mention, places: list[Mention], span, conf: float) -> None:
    """ "the AUKUS partners, Australia, the United Kingdom and the United States", "the
    participants in the Accord (X and Y)": states in apposition to a party noun of T."""
    node = t.token
    noun = node.head if node.dep_ in ("compound", "poss", "nmod", "amod") else None
    if node.dep_ == "pobj" and node.head.dep_ == "prep":
        noun = node.head.head  # "participants in the Accord"
    if noun is None or noun.lemma_.lower() not in _PARTY_NOUNS or noun.lemma_.lower() == "part":
        return
    for m in places:
        path = [m.token, *m.token.ancestors]
        if noun in path and all(
            x.dep_ in ("appos", "conj", "cc", "punct", "compound") for x in path[: path.index(noun)]
        ):
            st.relate(
                "party_to", m.ident, "Jurisdiction", t.ident, "Treaty", m.start, m.end, conf, "parse.party_noun", span
            )


def agreements(st: DocumentState, mentions: list[Mention], span, conf: float) -> None:
    """ "The participants in the Accord agreed to control quantum computers and ..."."""
    for t in (m for m in mentions if m.label == "TREATY"):
        verb = clause_head(t.token)
        while verb is not None and verb.lemma_ not in _AGREE_VERBS and verb.dep_ in ("xcomp", "ccomp", "conj"):
            verb = verb.head
        if verb is None or verb.lemma_ not in _AGREE_VERBS or any(c.dep_ == "neg" for c in verb.children):
            continue
        if not any(t.token in s.subtree for s in subjects(verb)):
            continue
        for tech in (m for m in mentions if m.label == "TECHNOLOGY" and m.token in verb.subtree):
            if excluded(tech.token):
                continue
            st.relate(
                "agreed_control",
                t.ident,
                "Treaty",
                tech.ident,
                "Technology",
                tech.start,
                tech.end,
                conf,
                "parse.agreed",
                span,
            )


def implements(st: DocumentState, mentions: list[Mention], span, conf: float) -> None:
    for t in (m for m in mentions if m.label == "TREATY"):
        verb = clause_head(t.token)
        if verb is None or verb.lemma_ not in _IMPLEMENT_VERBS or not document_subject(verb):
            continue
        if any(c.dep_ == "neg" for c in verb.children):
            continue
        st.relate(
            "implements", st.instrument, "Instrument", t.ident, "Treaty", t.start, t.end, conf, "parse.implements", span
        )
