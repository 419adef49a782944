"""Who issued an instrument and which instruments it amends or repeals, read from the parse: "The
Ministry of X issues this notice", "This Order is made by the Minister", "Notice No. 2/2023
is repealed", "This Order revokes SOR/2021-4"."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from qharmony.ontology.namespaces import slug

from .authorities import AUTHORITY_WORDS
from .citations import citations_with_ids
from .readers import Block
from .state import DocumentState
from .syntax import INSTRUMENT_WORDS, document_subject
from .titles import titled_instruments

_ISSUE_VERBS = {"issue", "make", "adopt", "publish", "promulgate", "sign", "approve", "enact"}
_REPEAL_VERBS = {"repeal", "rescind", "revoke", "withdraw", "cancel", "supersede", "abrogate"}


def issued(st: DocumentState, parsed: Doc, block: Block, sent: Span, span, conf: float) -> None:
    """ "The Ministry of X issues this notice", "This Order is made by the Minister"; and the
    enacting formula "The Minister for X, in exercise of the powers ..., makes the following
    Order" (or "the annexed Order"), when the genre's reader found no body of its own."""
    formula = not getattr(st.profile, "authority", None)
    for verb in parsed:
        if verb.lemma_ not in _ISSUE_VERBS or any(c.dep_ == "neg" for c in verb.children):
            continue
        objects = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
        if not any(o.lower_ in INSTRUMENT_WORDS and _own(o, formula) for o in objects):
            continue
        agents = [c for c in verb.children if c.dep_ == "nsubj"]
        agents += [p for c in verb.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
        for agent in agents:
            end = next((t.i for t in agent.subtree if t.is_punct and t.i > agent.i), agent.right_edge.i + 1)
            phrase = parsed[agent.left_edge.i : end]
            words = phrase.text.split()
            if not set(words) & AUTHORITY_WORDS:
                continue
            name = re.sub(r"^(?:the|The) ", "", phrase.text)
            s = block.start + sent.start_char + phrase.start_char + (len(phrase.text) - len(name))
            ident = slug(name).lower()
            st.entity("Authority", ident, s, s + len(name), 0.85, "parse.authority", label=name)
            st.relate(
                "issued_by",
                st.instrument,
                "Instrument",
                ident,
                "Authority",
                s,
                s + len(name),
                conf,
                "parse.issued_by",
                span,
            )


def _own(instrument: Token, formula: bool) -> bool:
    """ "this notice", "these Regulations"; in an enacting formula "the following Order"."""
    words = {d.lower_ for d in instrument.children}
    return bool(words & {"this", "these"} or formula and words & {"following", "annexed"})


def _passive(token: Token) -> bool:
    """ "is revoked", "the revoked Order", and "is hereby superseded" (read as a complement)."""
    return any(c.dep_ == "auxpass" for c in token.children) or token.dep_ in ("amod", "acomp")


_AMEND_VERBS = {"amend"}


def repeals(st: DocumentState, parsed: Doc, block: Block, sent: Span, span, conf: float) -> None:
    """ "Notice No. 2/2023 is repealed", "This Order revokes SOR/2021-4", "The Strategic Goods
    Order 2021 is revoked": the instrument the verb's subject (passive) or object (active)
    cites. The citation is looked for in the words before or after the verb rather than in
    the parse's noun phrase, which "No." often cuts in two."""
    for token in parsed:
        if token.lemma_ in _REPEAL_VERBS and not any(c.dep_ == "neg" for c in token.children):
            _acted_on(st, parsed, block, sent, span, conf, token, "repeals")
        elif token.lemma_ == "replace" and _replaces_whole(token):
            _acted_on(st, parsed, block, sent, span, conf, token, "repeals")


#: a part of an instrument: replacing it amends the instrument, it repeals nothing
_PARTS = re.compile(
    r"\b(?:Annex|Schedule|Part|Article|Section|Appendix|entry|entries|item|items|paragraph|text)\b", re.I
)


def _replaces_whole(token: Token) -> bool:
    """ "This Notice replaces Notice No. 2/2023": the document, active, replacing a whole
    instrument; "Annex I to Regulation (EU) 2021/821 is replaced" amends it."""
    if _passive(token) or any(c.dep_ == "neg" for c in token.children) or not document_subject(token):
        return False
    objects = [c for c in token.children if c.dep_ == "dobj"]
    return bool(objects) and not any(_PARTS.search(o.text) for o in objects)


def amends(st: DocumentState, parsed: Doc, block: Block, sent: Span, span, conf: float) -> None:
    """ "The Export Control Order 2008(b) is amended as follows", "Annex I to Regulation (EU)
    2021/821 is amended", "These Regulations amend Schedule 3 to the ... Order 2016": the
    instrument a passive verb's subject or an active verb's object names, when the verb
    is the text's own amendment (no "as amended by", no agent, a subject that is the
    document for the active)."""
    for token in parsed:
        if token.lemma_ not in _AMEND_VERBS or any(c.dep_ in ("neg", "agent", "mark") for c in token.children):
            continue
        if token.i > 0 and parsed[token.i - 1].lower_ == "as":
            continue  # "the Order, as amended by ...": a history, not this text's amendment
        if _passive(token) or document_subject(token):
            _acted_on(st, parsed, block, sent, span, conf, token, "amends")


def _acted_on(st: DocumentState, parsed: Doc, block: Block, sent: Span, span, conf, token, relation: str) -> None:
    """The first instrument cited (or named by a title) in the verb's subject (passive) or
    object (active) words."""
    at = block.start + sent.start_char
    passive = _passive(token)
    lo, hi = (0, token.idx) if passive else (token.idx + len(token.text), len(parsed.text))
    cited = citations_with_ids(st, parsed.text, lo, hi)
    cited = [(c.start, c.start + len(c.words.rstrip(".")), c.ident) for c in cited]  # no closing full stop
    titled = [(s, e, ident) for s, e, ident, *_ in titled_instruments(st, parsed.text)
              if lo <= s < hi and ident != st.instrument]  # fmt: skip
    found = sorted(cited) or sorted(titled)
    for s_, e_, target in found[:1]:
        if target == st.instrument:
            continue
        s, e = at + s_, at + e_
        rule = f"parse.{relation}"
        st.entity("Instrument", target, s, e, 0.85, rule, label=parsed.text[s_:e_])
        st.relate(relation, st.instrument, "Instrument", target, "Instrument", s, e, conf, rule, span)
        if relation == "repeals":
            _repealed_on(st, parsed.text, token.idx, at, target, span, conf)


#: "is repealed from the same date", "revoked on the day this Order comes into force": the
#: repealing text's own entry into force
_SAME_DAY = re.compile(
    r"\b(?:from|on|with effect from|as from|as of) the (?:same (?:date|day)|(?:date|day) (?:on which )?"
    r"th(?:is|ese) [A-Za-z]+ (?:comes?|enters?) into (?:force|effect))\b"
)


def _repealed_on(st: DocumentState, text: str, verb: int, at: int, target: str, span, conf: float) -> None:
    """The day a repeal takes effect: the date the words after the verb give ("is repealed
    with effect from 1 October 2027"; not "This notice applies from X and supersedes Y"), or
    the repealing text's own when they say "from the same date"."""
    from .genres.common import effective_date

    found = effective_date(text[verb:])
    text = text[verb:]
    if found:
        day, s, e = found.value, at + verb + found.start, at + verb + found.end
        st.entity("Date", day, s, e, conf, "parse.repealed_on")
    elif _SAME_DAY.search(text):
        own = [r for r in st.out.relations if r.type == "effective_on" and r.subject == st.instrument]
        if not own:
            return
        day, s, e = str(own[0].object), own[0].start, own[0].end
    else:
        return
    st.relate("repealed_on", target, "Instrument", day, "Date", s, e, conf, "parse.repealed_on", span)
