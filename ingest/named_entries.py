"""Which entry a clause is about when it names one in prose: "Item RQ-102 matches ...", a
code inside the clause's subject, a bare code of the document's own list; and an entry
noun in apposition to a code whose "for" phrase names what it controls ("the entry for
quantum computers, ECCN 4A906")."""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from .code_lists import code_text
from .owners import named_jurisdiction
from .patterns import NATIONAL_CODE_REGEX
from .state import DocumentState
from .syntax import Mention, excluded, subjects


def code_id(st: DocumentState, sent: Span, m: Mention) -> str | None:
    owner = named_jurisdiction(sent, m.ent) or st.jurisdiction
    return f"{owner}:{code_text(m.ent)}" if owner else None


def subject_code(st: DocumentState, sent: Span, verb: Token | None, mentions, other: Mention) -> str | None:
    """A code inside the clause's subject ("The American entry ..., ECCN 4A906, is ..."),
    or a code of the document's own list standing alone as the subject ("FX-7 matches ...")."""
    if verb is None:
        return None
    heads = subjects(verb)
    for m in mentions:
        if m.label == "CONTROL_CODE" and m is not other and any(m.token in s.subtree for s in heads):
            return code_id(st, sent, m)
    for s in heads:
        if st.jurisdiction and _BARE_CODE.match(s.text):
            return f"{st.jurisdiction}:{s.text}"
    return None


_BARE_CODE = re.compile(NATIONAL_CODE_REGEX)


_ENTRY_NOUNS = {"entry", "item", "heading", "eccn", "code", "control", "category"}


def appositive_controls(st: DocumentState, sent: Span, mentions, span, conf: float) -> None:
    """ "the entry for quantum computers, ECCN 4A906": a code in apposition to an
    entry noun whose "for" phrase names a technology."""
    techs = [m for m in mentions if m.label == "TECHNOLOGY"]
    for m in (m for m in mentions if m.label == "CONTROL_CODE"):
        # up the noun phrase to its clause ("ECCN 4A906" may hang off "computers" or "entry"),
        # and the appositions along the way ("ECCN 4A906, the entry for ...")
        chain = [m.token]
        for node in m.token.ancestors:
            if node.pos_ in ("VERB", "AUX") or node.dep_ == "ROOT" and node.pos_ not in ("NOUN", "PROPN"):
                break
            chain.append(node)
        nouns = [*chain, *[ch for node in chain for ch in node.children if ch.dep_ == "appos"]]
        for noun in (n for n in nouns if n.lemma_.lower() in _ENTRY_NOUNS):
            preps = [ch for ch in noun.children if ch.dep_ == "prep" and ch.lower_ in ("for", "on", "covering")]
            for tech in (t for t in techs if any(t.token in p.subtree for p in preps)):
                entry = code_id(st, sent, m)
                if entry and not excluded(tech.token):
                    st.relate(
                        "controls",
                        entry,
                        "ControlEntry",
                        tech.ident,
                        "Technology",
                        tech.start,
                        tech.end,
                        conf,
                        "parse.appositive_control",
                        span,
                    )


_ITEM_WORDS = {"item", "entry", "heading", "subheading", "code"}


def named_item(st: DocumentState, verb: Token | None) -> str | None:
    """ "Item RQ-102 matches ...": an entry the subject names by its code."""
    if verb is None:
        return None
    for s in subjects(verb):
        words = [t for t in s.subtree]
        for i, t in enumerate(words[:-1]):
            if t.lower_ in _ITEM_WORDS and any(ch.isdigit() for ch in words[i + 1].text):
                return f"{st.jurisdiction}:{words[i + 1].text.rstrip('.')}"
    return None
