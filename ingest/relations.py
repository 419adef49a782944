"""Relations a sentence carries in its syntax, read with spaCy's dependency parser and
DependencyMatcher rather than from one wording: who is party to an arrangement, what
an instrument implements, who issued it, what the participants agreed, which
destinations a licence serves (through coordination and appositions, leaving out
those an exception or a negation scopes away), which foreign entry an entry matches,
and which instrument a text repeals.

The parser is slow, so it runs only on sentences with a trigger word, in a second
pipeline that extraction's own pipeline never loads.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.matcher import DependencyMatcher
from spacy.tokens import Doc, Span, Token

from qharmony.ontology.namespaces import slug

from .dates import find_dates
from .linking import country_code
from .pipeline import _load_model
from .prose import named_jurisdiction
from .readers import Block
from .state import DocumentState, hedged

TRIGGER = re.compile(
    r"\b(?:part|particip\w*|member\w*|join\w*|acced\w*|accession|signator\w*|signed|ratif\w*|party|parties|"
    r"implement\w*|give effect|gives effect|transpos\w*|issue[sd]?|adopt\w*|licen[cs]e|exception|eligib\w*|"
    r"leave|export\w*|ship\w*|match\w*|correspond\w*|mirror\w*|equivalent|repeal\w*|rescind\w*|rescission|"
    r"revok\w*|agree[sd]?|commit\w*|undert\w*|same|entry|item)\b",
    re.I,
)
_PARTY_VERBS = {"participate", "join", "accede", "sign", "ratify", "adhere", "belong", "enter"}
_PARTY_NOUNS = {"party", "member", "participant", "state", "signatory", "partner", "part"}
_IMPLEMENT_VERBS = {"implement", "transpose", "effect", "give", "apply", "enforce"}
_ISSUE_VERBS = {"issue", "make", "adopt", "publish", "promulgate", "sign", "approve", "enact"}
_AGREE_VERBS = {"agree", "commit", "undertake", "decide", "consent"}
_MATCH_VERBS = {"match", "correspond", "mirror", "equal", "reproduce", "follow", "track", "replicate"}
_REPEAL_VERBS = {"repeal", "rescind", "revoke", "withdraw", "cancel"}
_EXCLUDING = {"except", "excluding", "but", "other", "apart", "besides", "save", "not", "never", "no"}
_INSTRUMENT_WORDS = {"notice", "regulation", "regulations", "rule", "order", "decree", "act", "instrument", "ordinance"}
_EXCEPTION = re.compile(
    r"\b(?:(?:General|Open General(?: Export)?|Individual) Licen[cs]e|License Exception|Licence Exception)"
    r" (?P<name>[A-Z]{2,5}(?:-\d+)?|\d+|GL-?\w+)\b|\bGeneral (?:Export )?Authori[sz]ation (?P<eu>EU\d{3})\b"
)
_ELIGIBLE_WORDS = re.compile(r"\beligib\w*|\bmay (?:be )?(?:exported|shipped|sent)\b|\bqualif\w*", re.I)
_REPEAL = re.compile(r"\b(?:repeal|rescind|revok|withdr|cancel)\w*", re.I)
_GROUP = re.compile(r"\bcountries (?:of|in|listed in) (?P<name>(?:Schedule|Group|Annex|Country Group) [A-Z0-9:]+)\b")
#: what a relation read from a parsed sentence counts
CONF = 0.8
#: "is expected to follow", "would mirror": a forecast, not a statement ("may" grants leave)
_SPECULATIVE = re.compile(r"\b(?:expected|likely|appears?|seems?|anticipated|planned|would)\b", re.I)


@lru_cache(maxsize=1)
def load_parser() -> Language:
    """The pinned model with its tagger, parser and lemmatizer (not its NER)."""
    return _load_model(["ner"])


@dataclass
class Mention:
    """One of our entities, placed on a token of the parsed sentence."""

    label: str
    ident: str
    start: int
    end: int
    token: Token
    ent: Span


def _place(parsed: Doc, sent: Span, base: int) -> list[Mention]:
    out = []
    for ent in sent.ents:
        span = parsed.char_span(
            ent.start_char - sent.start_char, ent.end_char - sent.start_char, alignment_mode="expand"
        )
        if span is not None:
            out.append(Mention(ent.label_, ent.ent_id_, base + ent.start_char, base + ent.end_char, span.root, ent))
    return out


def _excluded(token: Token) -> bool:
    """Is the token under an exception or a negation ("except X", "other than X",
    "not to X")? Walks up to the clause's verb."""
    for node in [token, *token.ancestors]:
        if node.lower_ in _EXCLUDING or any(c.dep_ == "neg" for c in node.children):
            return True
        if node.pos_ in ("VERB", "AUX") and node is not token:
            return any(c.dep_ == "neg" for c in node.children)
    return False


def _acting(token: Token) -> bool:
    """A state that does something in the clause ("when the United States issued its
    rule") is not a destination; one that "is eligible" is."""
    for node in [token, *token.ancestors]:
        if node.dep_ in ("nsubj", "nsubjpass", "poss"):
            verb = node.head
            return not any(c.lemma_ in ("eligible", "qualify", "entitle") for c in verb.subtree)
    return False


def _verb(token: Token) -> Token | None:
    """The clause head above a token (the root too: the tagger sometimes reads
    "corresponds" or "issues" as a noun)."""
    for node in token.ancestors:
        if node.pos_ in ("VERB", "AUX") or node.dep_ == "ROOT":
            return node
    return None


def _subjects(verb: Token) -> list[Token]:
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subjects and verb.dep_ in ("xcomp", "conj", "advcl") and verb.head is not verb:
        return _subjects(verb.head)
    out = []
    for s in subjects:
        out.append(s)
        out.extend(t for t in s.subtree if t.dep_ == "conj")
    return out


def _party_clause(verb: Token, treaty: Token) -> bool:
    """The verb (or its noun: "is a party to", "has taken part in") says membership."""
    if verb.lemma_ in _PARTY_VERBS:
        return True
    if any(c.dep_ in ("dobj", "attr", "acomp", "oprd") and c.lemma_.lower() in _PARTY_NOUNS for c in verb.children):
        return True  # "has taken part in", "became a participant in"
    path = [treaty, *treaty.ancestors]
    return any(t.lemma_.lower() in _PARTY_NOUNS for t in path[: path.index(verb)] if verb in path)


def _matcher(nlp: Language) -> DependencyMatcher:
    """ "ECCN 3A904 of the US list" and "US ECCN 3A904": a code with its owner."""
    m = DependencyMatcher(nlp.vocab)
    m.add(
        "code_of_list",
        [
            [
                {"RIGHT_ID": "code", "RIGHT_ATTRS": {}},
                {"LEFT_ID": "code", "REL_OP": ">", "RIGHT_ID": "of", "RIGHT_ATTRS": {"LOWER": {"IN": ["of", "in"]}}},
                {
                    "LEFT_ID": "of",
                    "REL_OP": ">",
                    "RIGHT_ID": "list",
                    "RIGHT_ATTRS": {"LOWER": {"IN": ["list", "lists", "ccl"]}},
                },
                {
                    "LEFT_ID": "list",
                    "REL_OP": ">",
                    "RIGHT_ID": "owner",
                    "RIGHT_ATTRS": {"DEP": {"IN": ["compound", "amod", "poss", "nmod"]}},
                },
            ]
        ],
    )
    return m


_MATCH_CUE = re.compile(
    r"\b(?:match\w*|correspond\w*|mirror\w*|equal\w*|equivalent|identical|same|reproduc\w*)\b", re.I
)
_ISSUE_CUE = re.compile(r"\b(?:this|these) (?:notice|regulations?|rule|order|decree|act|instrument|ordinance)\b", re.I)
_ENTRY_CUE = re.compile(r"\b(?:entry|item|heading|ECCN|code)\b", re.I)


def _rules_for(st: DocumentState, sent: Span, labels: set[str], carried: list[str]) -> set[str]:
    """Which rules could fire on a sentence, from its words and entity labels alone:
    the parser runs only when one could (most sentences of a long list need none)."""
    text = sent.text
    rules = set()
    if "TREATY" in labels:
        rules |= {"parties", "agreements", "implements"}
    if (
        st.instrument
        and "JURISDICTION" in labels
        and (_EXCEPTION.search(text) or carried and _ELIGIBLE_WORDS.search(text))
    ):
        rules.add("destinations")
    if st.instrument and _REPEAL.search(text):
        rules.add("repeals")
    if (
        st.instrument
        and _ISSUE_CUE.search(text)
        and re.search(r"\b(?:issu|mak|adopt|publish|promulgat|sign|approv|enact)", text, re.I)
    ):
        rules.add("issued")
    if st.instrument and "TECHNOLOGY" in labels and _NEGATED.search(text):
        rules.add("negations")
    if "CONTROL_CODE" in labels and _MATCH_CUE.search(text):
        rules.add("corresponds")
    if {"CONTROL_CODE", "TECHNOLOGY"} <= labels and _ENTRY_CUE.search(text) and "," in text:
        rules.add("appositive")
    return rules


def sentence_relations(st: DocumentState, block: Block, doc: Doc) -> None:
    """Every relation the parsed sentences of a block carry."""
    carried: list[str] = []  # a licence named in an earlier sentence of the block
    ents = list(doc.ents)
    starts = [e.start for e in ents]
    for sent in doc.sents:
        # the sentence's entity labels by bisection: Span.ents rescans the whole block
        labels = {e.label_ for e in ents[bisect_left(starts, sent.start) : bisect_left(starts, sent.end)]}
        if st.instrument and not st.exception and "JURISDICTION" not in labels and _EXCEPTION.search(sent.text):
            found = _exception(st, sent, block)  # a licence introduced alone ("License Exception IEC.")
            if found:
                carried[:] = [found[0]]
        rules = _rules_for(st, sent, labels, carried)
        if not rules:
            continue
        parsed = load_parser()(sent.text)
        mentions = _place(parsed, sent, block.start)
        span = (block.start + sent.start_char, block.start + sent.end_char)
        conf = hedged(sent.text, CONF)
        if _SPECULATIVE.search(sent.text):
            conf = round(conf * 0.7, 3)
        if "parties" in rules:
            _parties(st, parsed, mentions, span, conf)
            _agreements(st, mentions, span, conf)
            if st.instrument:
                _implements(st, mentions, span, conf)
        if "destinations" in rules:
            _destinations(st, sent, block, mentions, span, conf, carried)
        if "repeals" in rules:
            _repeals(st, parsed, block, sent, span, conf)
        if "issued" in rules:
            _issued(st, parsed, block, sent, span, conf)
        if "negations" in rules:
            _negations(st, parsed, mentions, span, conf)
        if "corresponds" in rules:
            _corresponds(st, sent, parsed, mentions, span, conf)
        if "appositive" in rules:
            _appositive_controls(st, sent, mentions, span, conf)


def _parties(st: DocumentState, parsed: Doc, mentions: list[Mention], span, conf: float) -> None:
    """ "Ruritania has taken part in the Accord since 2019", "X and Y are parties to T",
    "T's participants include X, Y and Z"."""
    for t in (m for m in mentions if m.label == "TREATY"):
        verb = _verb(t.token)
        if verb is None or any(c.dep_ == "neg" for c in verb.children):
            continue
        places = [m for m in mentions if m.label == "JURISDICTION"]
        _party_nouns(st, t, places, span, conf)
        subjects = set(_subjects(verb))
        if _party_clause(verb, t.token):
            members = [m for m in places if m.token in subjects or any(m.token in s.subtree for s in subjects)]
        elif verb.lemma_ in ("include", "comprise", "be") and any(
            s.lemma_.lower() in ("participant", "party", "member", "signatory") for s in subjects
        ):
            members = [m for m in places if m.token in verb.subtree and not any(m.token in s.subtree for s in subjects)]
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


def _agreements(st: DocumentState, mentions: list[Mention], span, conf: float) -> None:
    """ "The participants in the Accord agreed to control quantum computers and ..."."""
    for t in (m for m in mentions if m.label == "TREATY"):
        verb = _verb(t.token)
        while verb is not None and verb.lemma_ not in _AGREE_VERBS and verb.dep_ in ("xcomp", "ccomp", "conj"):
            verb = verb.head
        if verb is None or verb.lemma_ not in _AGREE_VERBS or any(c.dep_ == "neg" for c in verb.children):
            continue
        if not any(t.token in s.subtree for s in _subjects(verb)):
            continue
        for tech in (m for m in mentions if m.label == "TECHNOLOGY" and m.token in verb.subtree):
            if _excluded(tech.token):
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


def _document_subject(verb: Token) -> bool:
    """The clause is about this document ("This notice implements ...")."""
    return any(
        s.lower_ in _INSTRUMENT_WORDS
        or any(c.lower_ in ("this", "these", "the") for c in s.children)
        and s.lower_ in _INSTRUMENT_WORDS
        for s in _subjects(verb)
    )


def _implements(st: DocumentState, mentions: list[Mention], span, conf: float) -> None:
    for t in (m for m in mentions if m.label == "TREATY"):
        verb = _verb(t.token)
        if verb is None or verb.lemma_ not in _IMPLEMENT_VERBS or not _document_subject(verb):
            continue
        if any(c.dep_ == "neg" for c in verb.children):
            continue
        st.relate(
            "implements", st.instrument, "Instrument", t.ident, "Treaty", t.start, t.end, conf, "parse.implements", span
        )


def _exception(st: DocumentState, sent: Span, block: Block) -> tuple[str, int, int] | None:
    m = _EXCEPTION.search(sent.text)
    if not m:
        return None
    if m.group(0).startswith(("License Exception", "Licence Exception")) and st.jurisdiction != "US":
        return None  # an EAR exception named in another state's text is not its measure
    ident = f"{st.jurisdiction}:{slug(m.group(0))}"
    s, e = block.start + sent.start_char + m.start(), block.start + sent.start_char + m.end()
    st.entity("LicenseException", ident, s, e, 0.9, "parse.exception", label=m.group(0))
    if getattr(st.profile, "genre", "") != "guidance":  # a guidance page names, never defines, a licence
        st.relate("part_of", ident, "LicenseException", st.instrument, "Instrument", s, e, 0.9, "parse.exception")
    return ident, s, e


def _destinations(st: DocumentState, sent: Span, block: Block, mentions, span, conf: float, carried: list[str]) -> None:
    """A licence and the destinations it serves, wherever coordination and apposition
    put them; a destination scoped out by "except", "other than" or a negation is not
    one. "The countries of Schedule B" is a country group."""
    found = None if st.exception else _exception(st, sent, block)
    if found:
        carried[:] = [found[0]]
    elif carried and _ELIGIBLE_WORDS.search(sent.text):
        found = (carried[0], 0, 0)  # "License Exception IEC. ... are eligible destinations"
    if not found:
        return
    exception = found[0]
    group = _GROUP.search(sent.text)
    if group:
        s = block.start + sent.start_char + group.start("name")
        st.entity(
            "CountryGroup",
            f"{st.jurisdiction}:{slug(group.group('name'))}",
            s,
            s + len(group.group("name")),
            0.85,
            "parse.group",
        )
    for m in (m for m in mentions if m.label == "JURISDICTION"):
        if m.ident == st.jurisdiction or _excluded(m.token) or _acting(m.token):
            continue
        st.entity("Jurisdiction", m.ident, m.start, m.end, 0.9, "ruler.jurisdiction", span)
        st.relate(
            "eligible_destination",
            exception,
            "LicenseException",
            m.ident,
            "Jurisdiction",
            m.start,
            m.end,
            conf,
            "parse.destination",
            span,
        )


def _owner(parsed: Doc, code: Token) -> str | None:
    matcher = _matcher(load_parser())
    for _, tokens in matcher(parsed):
        if parsed[tokens[0]] in (code, code.head):
            owner = parsed[tokens[3]]
            return country_code(owner.text)
    return None


def _corresponds(st: DocumentState, sent: Span, parsed: Doc, mentions, span, conf: float) -> None:
    """ "This item matches ECCN 3A904 of the US list": the open entry and a code of
    another list, through a verb of correspondence or "equivalent to"."""
    for c in (m for m in mentions if m.label == "CONTROL_CODE"):
        verb = _verb(c.token)
        cue = verb is not None and verb.lemma_ in _MATCH_VERBS
        cue = cue or any(t.lower_ in ("equivalent", "corresponding", "identical") for t in c.token.ancestors)
        # "uses the same qubit bands as PL9014"
        cue = cue or any(
            t.lower_ == "as" and any(ch.lower_ == "same" for ch in t.head.subtree) for t in c.token.ancestors
        )
        if not cue or (verb is not None and any(ch.dep_ == "neg" for ch in verb.children)):
            continue
        code = c.ent[-1].text.rstrip(".")
        owner = _owner(parsed, c.token) or named_jurisdiction(sent, c.ent)
        if not owner or owner == st.jurisdiction:
            continue
        subject = _named_item(st, verb) or _subject_code(st, sent, verb, mentions, c) or st.entry
        if not subject:
            continue
        target = f"{owner}:{code}"
        st.entity("ControlEntry", target, c.start, c.end, 0.85, "parse.code", code=code)
        st.relate(
            "corresponds_to",
            subject,
            "ControlEntry",
            target,
            "ControlEntry",
            c.start,
            c.end,
            conf,
            "parse.corresponds",
            span,
        )


def _code_id(st: DocumentState, sent: Span, m: Mention) -> str | None:
    owner = named_jurisdiction(sent, m.ent) or st.jurisdiction
    return f"{owner}:{m.ent[-1].text.rstrip('.')}" if owner else None


def _subject_code(st: DocumentState, sent: Span, verb: Token | None, mentions, other: Mention) -> str | None:
    """A code inside the clause's subject ("The American entry ..., ECCN 4A906, is ...")."""
    if verb is None:
        return None
    subjects = _subjects(verb)
    for m in mentions:
        if m.label == "CONTROL_CODE" and m is not other and any(m.token in s.subtree for s in subjects):
            return _code_id(st, sent, m)
    return None


_ENTRY_NOUNS = {"entry", "item", "heading", "eccn", "code", "control", "category"}


def _appositive_controls(st: DocumentState, sent: Span, mentions, span, conf: float) -> None:
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
                entry = _code_id(st, sent, m)
                if entry and not _excluded(tech.token):
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


def _named_item(st: DocumentState, verb: Token | None) -> str | None:
    """ "Item RQ-102 matches ...": an entry the subject names by its code."""
    if verb is None:
        return None
    for s in _subjects(verb):
        words = [t for t in s.subtree]
        for i, t in enumerate(words[:-1]):
            if t.lower_ in _ITEM_WORDS and any(ch.isdigit() for ch in words[i + 1].text):
                return f"{st.jurisdiction}:{words[i + 1].text.rstrip('.')}"
    return None


_NEGATED = re.compile(r"\b(?:not|no longer|never)\b|\bexclud\w*|\bfalls? outside\b", re.I)
_ADD_LEMMAS = {"add", "impose", "introduce", "extend", "establish", "create", "place"}
_MEASURE_NOUNS = {"control", "requirement", "licence", "license", "restriction", "permit"}
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


def _negations(st: DocumentState, parsed: Doc, mentions, span, conf: float) -> None:
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
        pronoun = any(s.lower_ in ("it", "this") for s in _subjects(verb)) and verb.dep_ == "conj"
        if _document_subject(verb) or pronoun and _document_subject(verb.head):
            subject, kind = st.instrument, "Instrument"
        else:
            named = _named_item(st, verb)
            code = [
                m for m in mentions if m.label == "CONTROL_CODE" and any(m.token in s.subtree for s in _subjects(verb))
            ]
            if named or code:
                subject = named or f"{st.jurisdiction}:{code[0].ent[-1].text.rstrip('.')}"
                kind = "ControlEntry"
            elif st.entry and any(s.lower_ in ("entry", "item", "it", "this") for s in _subjects(verb)):
                subject, kind = st.entry, "ControlEntry"
        if not subject:
            continue
        objects = [c for c in verb.children if c.dep_ in ("dobj", "prep", "attr", "xcomp")]
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


def _issued(st: DocumentState, parsed: Doc, block: Block, sent: Span, span, conf: float) -> None:
    """ "The Ministry of X issues this notice", "This Order is made by the Minister"."""
    from .prose import _AUTHORITY_WORDS

    for verb in parsed:
        if verb.lemma_ not in _ISSUE_VERBS or any(c.dep_ == "neg" for c in verb.children):
            continue
        objects = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
        if not any(
            o.lower_ in _INSTRUMENT_WORDS and any(d.lower_ in ("this", "these") for d in o.children) for o in objects
        ):
            continue
        agents = [c for c in verb.children if c.dep_ == "nsubj"]
        agents += [p for c in verb.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
        for agent in agents:
            end = next((t.i for t in agent.subtree if t.is_punct and t.i > agent.i), agent.right_edge.i + 1)
            phrase = parsed[agent.left_edge.i : end]
            words = phrase.text.split()
            if not set(words) & _AUTHORITY_WORDS:
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


_OTHER_CITATION = re.compile(r"\b(?:SOR/\d{4}-\d+|SI \d{4}/\d+|\d+ FR \d+)")


def _repeals(st: DocumentState, parsed: Doc, block: Block, sent: Span, span, conf: float) -> None:
    """ "Notice No. 2/2023 is repealed", "This Order revokes SOR/2021-4"."""
    from .genres.national import _CITATION
    from .preamble import instrument_id

    for token in parsed:
        if token.lemma_ not in _REPEAL_VERBS or any(c.dep_ == "neg" for c in token.children):
            continue
        objects = [c for c in token.children if c.dep_ in ("dobj", "nsubjpass")]
        if not objects:
            continue
        # one phrase over all objects: the parser may split "Notice ... No. 3/2022" in two
        phrase = parsed[min(o.left_edge.i for o in objects) : max(o.right_edge.i for o in objects) + 1]
        cite = _CITATION.search(phrase.text) or _OTHER_CITATION.search(phrase.text)
        if not cite:
            continue
        target = instrument_id(st.jurisdiction, cite.group(0))
        if target == st.instrument:
            continue
        s = block.start + sent.start_char + phrase.start_char + cite.start()
        e = s + len(cite.group(0))
        st.entity("Instrument", target, s, e, 0.85, "parse.repeals", label=cite.group(0))
        st.relate("repeals", st.instrument, "Instrument", target, "Instrument", s, e, conf, "parse.repeals", span)
