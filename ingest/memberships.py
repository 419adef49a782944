"""Membership in arrangements, read from syntax: who is party ("has taken part in",
"X and Y are parties to", founders, "the AUKUS partners, Australia, ..."), since when,
what the participants agreed to control, and which instrument implements them."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from .dates import find_dates
from .genres.own_state import formal_form_state
from .state import DocumentState
from .syntax import EXCLUDING, INSTRUMENT_WORDS, Mention, clause_head, document_subject, excluded, subjects

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
#: "the AUKUS partnership of Australia, the United Kingdom and the United States": the
#: arrangement named as a grouping of the states after its "of"
_RELATIVES = {"which", "who", "that"}
_GROUPING_NOUNS = {"partnership", "alliance", "pact", "grouping", "coalition"}
_IMPLEMENT_VERBS = {"implement", "transpose", "effect", "give", "apply", "enforce"}
_AGREE_VERBS = {"agree", "commit", "undertake", "decide", "consent"}


def _party_clause(verb: Token, treaty: Token) -> bool:
    """The verb (or its noun: "is a party to", "has taken part in") says membership."""
    if verb.lemma_ in _PARTY_VERBS:
        return True
    if verb.lemma_ == "be" and treaty.dep_ == "pobj" and treaty.head.lower_ == "in" and treaty.head.head == verb:
        return True  # "Switzerland, which is in the Arrangement"
    if any(c.dep_ in ("dobj", "attr", "acomp", "oprd") and c.lemma_.lower() in _PARTY_NOUNS for c in verb.children):
        return True  # "has taken part in", "became a participant in"
    if any(
        c.dep_ == "prep" and c.lower_ == "as" and any(g.lemma_.lower() in _PARTY_NOUNS for g in c.children)
        for c in verb.children
    ):
        return True  # "which X maintains as a State Party to the Convention"
    path = [treaty, *treaty.ancestors]
    nouns = [t for t in path[: path.index(verb)] if t.lemma_.lower() in _PARTY_NOUNS] if verb in path else []
    # "Singapore, not a participant in the Arrangement, waits": a negated noun says the opposite
    return bool(nouns) and not any(_negated_noun(n) for n in nouns)


def _negated_noun(noun: Token) -> bool:
    """ "not a participant", "no party", "non-member": the parse hangs the "not" on the noun or
    on the state before it."""
    doc = noun.doc
    before = doc[max(0, noun.left_edge.i - 2) : noun.i]
    return any(c.dep_ == "neg" or c.lower_ in ("no", "non") for c in noun.children) or any(
        t.dep_ == "neg" or t.lower_ in ("not", "never") for t in before
    )


def _own_state(st: DocumentState, heads: set[Token], treaty: Mention) -> list[Mention]:
    """ "The Grand Duchy has participated in ...": the document's own state by the form of its
    formal name (``genres.own_state.formal_form_state``)."""
    base = treaty.start - treaty.token.idx  # the sentence's offset in the source
    for h in heads:
        words = [t for t in h.subtree if t.i <= h.i]  # "The Kingdom, as a participant in ...": the name
        code = formal_form_state(" ".join(t.text for t in words[1:]), st.jurisdiction, st.registry)
        if words[0].lower_ == "the" and code:
            span = h.doc[words[0].i : words[-1].i + 1]
            return [Mention("JURISDICTION", code, base + span.start_char, base + span.end_char, h, span)]
    return []


def parties(st: DocumentState, parsed: Doc, mentions: list[Mention], span, conf: float) -> None:
    """ "Ruritania has taken part in the Accord since 2019", "X and Y are parties to T",
    "T's participants include X, Y and Z"."""
    places = [m for m in mentions if m.label == "JURISDICTION"]
    for t in (m for m in mentions if m.label == "TREATY"):
        _party_nouns(st, t, places, span, conf)
        for verb in _treaty_clauses(t.token):
            _party_clause_members(st, parsed, t, verb, places, span, conf)


def _treaty_clauses(treaty: Token) -> list[Token]:
    """The clause the arrangement sits in, and a relative clause on it ("the Wassenaar
    Arrangement, in which Quenmark has taken part since 2009")."""
    verb = clause_head(treaty)
    relative = [c for c in treaty.children if c.dep_ == "relcl" and c.pos_ in ("VERB", "AUX")]
    return [v for v in [verb, *relative] if v is not None and not any(c.dep_ == "neg" for c in v.children)]


def _party_clause_members(
    st: DocumentState, parsed: Doc, t: Mention, verb: Token, places: list[Mention], span, conf: float
) -> None:
    """Members by the clause: "X has taken part in T", "X and Y are parties to T", "T's
    participants include X, Y and Z"."""
    heads = set(subjects(verb))
    if verb.dep_ == "relcl" and heads and all(h.lower_ in _RELATIVES for h in heads):
        heads = {verb.head}  # "Switzerland, which is in the Arrangement": the antecedent
    if _party_clause(verb, t.token):
        members = [m for m in places if m.token in heads or any(m.token in s.subtree for s in heads)]
        if not members:
            members = _own_state(st, heads, t)
    elif verb.lemma_ in ("include", "comprise", "be") and any(
        s.lemma_.lower() in ("participant", "party", "member", "signatory") for s in heads
    ):
        members = [m for m in places if m.token in verb.subtree and not any(m.token in s.subtree for s in heads)]
    else:
        return
    for m in members:
        st.entity("Jurisdiction", m.ident, m.start, m.end, 0.9, "ruler.jurisdiction", span)
        st.entity("Treaty", t.ident, t.start, t.end, 0.9, "ruler.treaty", span)
        st.relate("party_to", m.ident, "Jurisdiction", t.ident, "Treaty", m.start, m.end, conf, "parse.party_to", span)
        dates = [
            d for d in find_dates(parsed.text) if parsed.text[: d[1]].rstrip().endswith(("on", "since", "from", "of"))
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
    grouping = noun is not None and noun.lemma_.lower() in _GROUPING_NOUNS
    if noun is None or noun.lemma_.lower() not in _PARTY_NOUNS | _GROUPING_NOUNS or noun.lemma_.lower() == "part":
        return
    allowed = {"appos", "conj", "cc", "punct", "compound"} | ({"pobj", "prep"} if grouping else set())
    for m in places:
        path = [m.token, *m.token.ancestors]
        if not grouping and noun.dep_ == "appos" and noun.head == m.token and not _negated_noun(noun):
            # "India, a participant in the Wassenaar Arrangement since 2017, ...": the noun set beside the state
            st.relate(
                "party_to", m.ident, "Jurisdiction", t.ident, "Treaty", m.start, m.end, conf, "parse.party_noun", span
            )
            continue
        if (
            noun in path
            and all(x.dep_ in allowed for x in path[: path.index(noun)])
            and (not grouping or any(x.lower_ in ("of", "between") for x in path[: path.index(noun)]))
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


#: a sentence about the document itself: "This Order ...", "These Regulations ...", "The
#: Decree ...", or "It ..." right after one (the parse of a long enacting formula is unreliable)
_ABOUT_DOCUMENT = re.compile(r"^\W*(?:(?:This|These|The) (?:" + "|".join(sorted(INSTRUMENT_WORDS)) + r")\b|It\b)", re.I)
#: "giving effect to", "implements", "transposes": the words of implementing an arrangement
_IMPLEMENTING = re.compile(r"\b(?:giv(?:e|es|ing) effect to|implement(?:s|ing)?|transpos(?:e|es|ing))\b", re.I)
_NEGATED = re.compile(r"\b(?:not|no|never|nor)\b", re.I)


def _implementing_sentence(text: str, at: int) -> bool:
    """ "This Order is made by ... for the purpose of giving effect to the controls agreed
    among the participating states of the Wassenaar Arrangement": the document is the
    sentence's subject, and the implementing words come before the arrangement, unnegated."""
    if not _ABOUT_DOCUMENT.match(text):
        return False
    words = [m for m in _IMPLEMENTING.finditer(text, 0, at)]
    return bool(words) and not _NEGATED.search(text, 0, at)


def implements(st: DocumentState, mentions: list[Mention], span, conf: float) -> None:
    for t in (m for m in mentions if m.label == "TREATY"):
        verb = clause_head(t.token)
        text = t.token.doc.text
        if verb is None or verb.lemma_ not in _IMPLEMENT_VERBS or not document_subject(verb):
            if not _implementing_sentence(text, t.token.idx):
                continue
        elif any(c.dep_ == "neg" for c in verb.children):
            continue
        st.relate(
            "implements", st.instrument, "Instrument", t.ident, "Treaty", t.start, t.end, conf, "parse.implements", span
        )


_UNION_MEMBER = {"member", "members"}
_INCLUDING = {"as", "including", "like", "among"}
_NOT_MEMBER = {"no", "not", "non", "former", "longer", "never", "ex", "candidate"}
_GROUP_DEPS = {"conj", "cc", "punct", "appos"}


def _the_union(st: DocumentState, parsed: Doc) -> list[Token]:
    """ "Member States of the Union": EU acts (and texts quoting their formula) call the EU
    "the Union"; it is the EU in an EU act, after the capitalised "Member States", or in a
    text that has named the EU before (the union last named: "both members of the Union")."""
    found = []
    for t in parsed:
        if t.text != "Union" or t.dep_ != "pobj" or t.head.lower_ != "of" or t.i < 1 or parsed[t.i - 1].lower_ != "the":
            continue
        noun = t.head.head
        formula = noun.text == "States" and noun.i > 0 and parsed[noun.i - 1].text == "Member"
        if st.jurisdiction == "EU" or formula or st.union_named:
            found.append(t)
    return found


def _member_phrase(token: Token) -> Token | None:
    """The noun phrase a "member" word heads: "members", "member states"."""
    if token.lower_ not in _UNION_MEMBER and token.lemma_.lower() != "member":
        return None
    return token.head if token.dep_ == "compound" else token


def _group(token: Token) -> list[Token]:
    """A state and those coordinated with it ("France or Germany")."""
    out = [token]
    node = token
    while node.dep_ == "conj":
        node = node.head
        out.append(node)
    out += [t for t in token.subtree if t.dep_ == "conj"]
    return out


def _appositive_states(phrase: Token, places: list[Mention]) -> list[Mention]:
    """ "France or Germany, both member states of the EU": the states a comma (and "both",
    "all", "each") sets right before the phrase; the parse often hangs the phrase elsewhere."""
    doc = phrase.doc
    comma = phrase.left_edge.i - 1  # "X and Y, both members ...", "X and Y (all members ...)"
    if comma < 1 or doc[comma].text not in (",", "("):
        return []
    roots = {m.token.i: m for m in places}
    found = []
    for i in range(comma - 1, -1, -1):
        token = doc[i]
        if i in roots:
            found.append(roots[i])
        elif not (
            token.lower_ in ("and", "or", ",", "the") or token.dep_ in ("compound", "det") and token.head.i in roots
        ):
            break
    return found


def union_context(st: DocumentState) -> bool:
    """The text is the Union's or has named it: its capitalised "Member States" are the EU's."""
    return st.jurisdiction == "EU" or st.union_named


def _member_states(phrase: Token) -> bool:
    """ "Member States", "Member State": the capitalised term of EU drafting, which texts on
    EU law keep ("other Member States, such as Germany"); it names the Union's members
    without naming the Union."""
    return phrase.text in ("States", "State") and phrase.i > 0 and phrase.doc[phrase.i - 1].text == "Member"


def _as_complement(phrase: Token, places: list[Mention]) -> list[Mention]:
    """ "Ireland is included as a member State of the Union", "X counts as a member": the
    subject of the verb the "as" phrase completes."""
    if phrase.dep_ != "pobj" or phrase.head.lower_ != "as" or phrase.head.head.pos_ not in ("VERB", "AUX"):
        return []
    verb = phrase.head.head
    if any(c.dep_ == "neg" or c.lower_ in _NOT_MEMBER for c in verb.subtree if c.i < phrase.head.i):
        return []  # "is no longer treated as a Member State", "was never counted as a member"
    heads = subjects(verb)
    return [m for m in places if any(m.token in _group(s) for s in heads)]


def _excepted(token: Token, phrase: Token) -> bool:
    """ "Member States other than France": an exception between the state and the member
    phrase. The clause's own negation is not the membership's ("exports to Portugal and
    Greece, both Member States, do not need a licence": both are members)."""
    for node in [token, *token.ancestors]:
        if node is phrase or node.pos_ in ("VERB", "AUX") and node is not token:
            return False
        if node.lower_ in EXCLUDING:
            return True
    return False


def unions(st: DocumentState, parsed: Doc, mentions: list[Mention], span, conf: float) -> None:
    """ "Germany is a member of the European Union", "France and Spain, both members of
    the EU", "EU member states such as Italy", "other Member States, such as Croatia" (in a
    text on EU law): membership of a union (member_of)."""
    unions_ = [m.token for m in mentions if m.label == "JURISDICTION" and m.ident == "EU"]
    unions_ += _the_union(st, parsed)
    places = [m for m in mentions if m.label == "JURISDICTION" and m.ident != "EU"]
    context = union_context(st) or bool(unions_)
    for token in parsed:
        phrase = _member_phrase(token)
        if phrase is None or not (
            any(u in phrase.subtree or u.head == phrase for u in unions_) or context and _member_states(phrase)
        ):
            continue
        if any(t.lower_ in _NOT_MEMBER for t in phrase.doc[max(0, phrase.left_edge.i - 2) : phrase.i]):
            continue  # "no longer a member of the EU", "non-member states", "former members"
        members = []
        verb = phrase.head if phrase.dep_ == "attr" else None
        if (
            verb is not None
            and verb.lemma_ in ("be", "become", "remain")
            and not any(c.dep_ == "neg" for c in verb.children)
        ):
            heads = subjects(verb)
            members += [m for m in places if any(m.token in _group(s) for s in heads)]
        for m in places:  # "member states such as Italy and Spain", "members, including France"
            path = [m.token, *m.token.ancestors]
            if phrase in path and any(t.lower_ in _INCLUDING for t in path[: path.index(phrase)]):
                members.append(m)
            elif phrase.dep_ == "appos" and phrase.head in _group(m.token):
                members.append(m)
        members += _appositive_states(phrase, places)
        members += _as_complement(phrase, places)
        for m in {id(m): m for m in members}.values():
            if _excepted(m.token, phrase):
                continue
            st.entity("Jurisdiction", m.ident, m.start, m.end, 0.9, "ruler.jurisdiction", span)
            st.relate("member_of", m.ident, "Jurisdiction", "EU", "Jurisdiction", m.start, m.end, conf,
                      "parse.member_of", span)  # fmt: skip
