"""Relations a sentence carries in its syntax, read with spaCy's dependency parser and
DependencyMatcher rather than from one wording: who issued an instrument, which
destinations a licence serves (through coordination and appositions, leaving out
those an exception or a negation scopes away), which foreign entry an entry matches,
what a negation scopes out, and which instrument a text repeals; membership of
arrangements is read in ``memberships``.

The parser is slow, so it runs only on sentences one of the rules could fire on
(``_rules_for``), in a second pipeline that extraction's own pipeline never loads.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache, partial

from spacy.language import Language
from spacy.matcher import DependencyMatcher
from spacy.tokens import Doc, Span, Token

from qharmony.ontology.namespaces import slug

from .doc_cache import doc_ents, doc_sents, span_text
from .linking import country_code
from .memberships import agreements, implements, parties, unions
from .patterns import NATIONAL_CODE_REGEX
from .prose import named_jurisdiction
from .readers import Block
from .state import DocumentState, hedged
from .syntax import (
    INSTRUMENT_WORDS,
    Mention,
    acting,
    clause_head,
    document_subject,
    excluded,
    load_parser,
    parse_then,
    place_mentions,
    subjects,
)
from .titles import titled_instruments

_ISSUE_VERBS = {"issue", "make", "adopt", "publish", "promulgate", "sign", "approve", "enact"}
_MATCH_VERBS = {"match", "correspond", "mirror", "equal", "reproduce", "follow", "track", "replicate"}
_REPEAL_VERBS = {"repeal", "rescind", "revoke", "withdraw", "cancel", "supersede", "abrogate"}
_EXCEPTION = re.compile(
    r"\b(?:(?:General|Open(?: General| Individual)?(?: Export)?|Individual) Licen[cs]e"
    r"|License Exception|Licence Exception)"
    r" (?P<name>[A-Z]{2,5}(?:-\d+)?|\d+|GL-?\w+)\b|\bGeneral (?:Export )?Authori[sz]ation (?P<eu>EU\d{3})\b"
    r"|\b(?:Open )?General (?:Export )?Authori[sz]ation (?P<national>[A-Z]{2,5}-?\d{1,3})\b"
    r"|\bGeneral Order No\. \d+\b"  # the EAR's general licences in Supplement No. 1 to part 736
)
_ELIGIBLE_WORDS = re.compile(
    r"\beligib\w*|\bmay (?:be )?(?:exported|shipped|sent)\b|\bqualif\w*|\bavailable (?:for|to)\b", re.I
)
_REPEAL = re.compile(r"\b(?:repeal|rescind|revok|withdr|cancel|supersed|abrogat)\w*", re.I)
_GROUP = re.compile(r"\bcountries (?:of|in|listed in) (?P<name>(?:Schedule|Group|Annex|Country Group) [A-Z0-9:]+)\b")
#: a clause that turns to something else: what follows it is not among the licence's destinations
_CONTRAST = re.compile(r"[,;]\s*(?:while|whereas|but|although|though)\b|;")
#: what a relation read from a parsed sentence counts
CONF = 0.8
#: "is expected to follow", "would mirror": a forecast, not a statement ("may" grants leave)
_SPECULATIVE = re.compile(r"\b(?:expected|likely|appears?|seems?|anticipated|planned|would)\b", re.I)


@lru_cache(maxsize=1)
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
    r"\b(?:match\w*|correspond\w*|mirror\w*|equal\w*|equivalent|identical|same|reproduc\w*|counterparts?|twins?)\b",
    re.I,
)
_ISSUE_CUE = re.compile(r"\b(?:this|these) (?:notice|regulations?|rule|order|decree|act|instrument|ordinance)\b", re.I)
_MEMBER_CUE = re.compile(r"\bmembers?\b", re.I)
_UNION_CUE = re.compile(r"\bEU\b|\bEuropean Union\b|\bUnion\b")
_ENTRY_CUE = re.compile(r"\b(?:entry|item|heading|ECCN|code)\b", re.I)


def _rules_for(st: DocumentState, sent: Span, labels: set[str], carried: list[str]) -> set[str]:
    """Which rules could fire on a sentence, from its words and entity labels alone:
    the parser runs only when one could (most sentences of a long list need none)."""
    text = span_text(sent)
    rules = set()
    if "TREATY" in labels:
        rules |= {"parties", "agreements", "implements"}
    if (
        (st.instrument or _ear_exception(st, text))
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
    if "JURISDICTION" in labels and _MEMBER_CUE.search(text) and _UNION_CUE.search(text):
        rules.add("unions")
    if "CONTROL_CODE" in labels and _MATCH_CUE.search(text):
        rules.add("corresponds")
    if {"CONTROL_CODE", "TECHNOLOGY"} <= labels and _ENTRY_CUE.search(text) and "," in text:
        rules.add("appositive")
    return rules


def sentence_relations(st: DocumentState, block: Block, doc: Doc) -> None:
    """Every relation the parsed sentences of a block carry."""
    carried: list[str] = []  # a licence named in an earlier sentence of the block
    ents = list(doc_ents(doc))
    starts = [e.start for e in ents]
    for sent in doc_sents(doc):
        # the sentence's entity labels by bisection: Span.ents rescans the whole block
        labels = {e.label_ for e in ents[bisect_left(starts, sent.start) : bisect_left(starts, sent.end)]}
        if (
            (st.instrument or _ear_exception(st, span_text(sent)))
            and not st.exception
            and "JURISDICTION" not in labels
            and _EXCEPTION.search(span_text(sent))
        ):
            found = _exception(st, sent, block)  # a licence introduced alone ("License Exception IEC.")
            if found:
                carried[:] = [found[0]]
        rules = _rules_for(st, sent, labels, carried)
        if not rules:
            continue
        rule = partial(_parsed_rules, sent=sent, block=block, rules=rules, carried=list(carried))
        if "destinations" in rules and not st.exception:
            found = _exception_match(st, sent)  # what _destinations will carry, for the next sentences
            if found:
                carried[:] = [found[1]]
        parse_then(st, span_text(sent), rule)


def _parsed_rules(
    st: DocumentState, parsed: Doc, sent: Span, block: Block, rules: set[str], carried: list[str]
) -> None:
    """The rules that fire on one sentence, on its parse."""
    mentions = place_mentions(parsed, sent, block.start)
    span = (block.start + sent.start_char, block.start + sent.end_char)
    conf = hedged(span_text(sent), CONF)
    if _SPECULATIVE.search(span_text(sent)):
        conf = round(conf * 0.7, 3)
    if "parties" in rules:
        parties(st, parsed, mentions, span, conf)
        agreements(st, mentions, span, conf)
        if st.instrument:
            implements(st, mentions, span, conf)
    if "destinations" in rules:
        _destinations(st, sent, block, mentions, span, conf, carried)
    if "repeals" in rules:
        _repeals(st, parsed, block, sent, span, conf)
    if "issued" in rules:
        _issued(st, parsed, block, sent, span, conf)
    if "negations" in rules:
        _negations(st, parsed, mentions, span, conf)
        _outside(st, parsed, mentions, span, conf)
    if "unions" in rules:
        unions(st, parsed, mentions, span, conf)
    if "corresponds" in rules:
        _corresponds(st, sent, parsed, mentions, span, conf)
    if "appositive" in rules:
        _appositive_controls(st, sent, mentions, span, conf)


def _ear_exception(st: DocumentState, text: str) -> bool:
    """An essay with no instrument of its own may still name an EAR licence exception
    ("License Exception IEC"), which is the United States' whoever names it."""
    return st.jurisdiction is None and bool(re.search(r"\bLicen[cs]e Exception [A-Z]{3}\b", text))


def _exception_match(st: DocumentState, sent: Span) -> tuple[re.Match, str] | None:
    """The licence a sentence names, and its id."""
    m = _EXCEPTION.search(span_text(sent))
    if not m:
        return None
    ear = m.group(0).startswith(("License Exception", "Licence Exception"))
    if ear and st.jurisdiction not in ("US", None):
        return None  # an EAR exception named in another state's text is not its measure
    return m, f"{'US' if ear else st.jurisdiction}:{slug(m.group(0))}"


def _exception(st: DocumentState, sent: Span, block: Block) -> tuple[str, int, int] | None:
    found = _exception_match(st, sent)
    if not found:
        return None
    m, ident = found
    s, e = block.start + sent.start_char + m.start(), block.start + sent.start_char + m.end()
    st.entity("LicenseException", ident, s, e, 0.9, "parse.exception", label=m.group(0))
    if st.instrument and getattr(st.profile, "genre", "") != "guidance" and _defines(st, m):  # guidance names one
        st.relate("part_of", ident, "LicenseException", st.instrument, "Instrument", s, e, 0.9, "parse.exception")
    return ident, s, e


#: the EAR's licence exceptions (15 CFR part 740) by symbol: "RPL is restricted to ..."
EAR_EXCEPTIONS = ("LVS GBS CIV TSR APP TMP RPL GOV GFT TSU BAG AVS APR ENC AGR CCD STA SCP NAC IEC ACE").split()
_BARE_EXCEPTION = re.compile(
    r"\b(?P<name>" + "|".join(sorted(set(EAR_EXCEPTIONS))) + r")\b(?= (?:is|are) (?:not )?(?:restricted|available|"
    r"authorized|eligible)\b)"
)
#: a word the pattern needs: most blocks have none, and a substring test is cheap
_BARE_EXCEPTION_WORDS = ("restricted", "available", "authorized", "eligible")


def _defines(st: DocumentState, m: re.Match) -> bool:
    """Is the licence the instrument's own? A CFR section defines the one its heading
    names ("§ 740.24 Implemented Export Control (IEC)") and only names the others."""
    if "-CFR-" not in (st.instrument or ""):
        return True
    title = st.source.text[:300].split("\n\n", 2)
    name = (m.group("name") or m.group("eu") or "").strip()
    return bool(name) and any(f"({name})" in line or m.group(0) in line for line in title[:2])


def bare_exceptions(st: DocumentState, block: Block, text: str) -> None:
    """ "TMP is restricted to ...; RPL is restricted to ...": EAR licence exceptions
    named by their symbol alone, in US text."""
    if st.jurisdiction != "US" or not any(w in text for w in _BARE_EXCEPTION_WORDS):
        return
    for m in _BARE_EXCEPTION.finditer(text):
        s, e = block.start + m.start("name"), block.start + m.end("name")
        st.entity("LicenseException", f"US:{m.group('name')}", s, e, 0.85, "regex.exception", label=m.group("name"))


def _destinations(st: DocumentState, sent: Span, block: Block, mentions, span, conf: float, carried: list[str]) -> None:
    """A licence and the destinations it serves, wherever coordination and apposition
    put them; a destination scoped out by "except", "other than" or a negation is not
    one. "The countries of Schedule B" is a country group."""
    found = None if st.exception else _exception(st, sent, block)
    if found:
        carried[:] = [found[0]]
    elif carried and _ELIGIBLE_WORDS.search(span_text(sent)):
        found = (carried[0], 0, 0)  # "License Exception IEC. ... are eligible destinations"
    if not found:
        return
    exception = found[0]
    group = _GROUP.search(span_text(sent))
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
    contrast = _CONTRAST.search(span_text(sent), max(0, found[1] - block.start - sent.start_char))
    stop = block.start + sent.start_char + contrast.start() if contrast else span[1]
    for m in (m for m in mentions if m.label == "JURISDICTION"):
        if m.ident == st.jurisdiction or excluded(m.token) or acting(m.token) or m.start >= stop:
            continue  # "..., while British law requires a licence for exports to the United States"
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
        verb = clause_head(c.token)
        cue = verb is not None and verb.lemma_ in _MATCH_VERBS
        cue = cue or any(
            t.lower_ in ("equivalent", "corresponding", "identical", "counterpart", "twin") for t in c.token.ancestors
        )
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
    """A code inside the clause's subject ("The American entry ..., ECCN 4A906, is ..."),
    or a code of the document's own list standing alone as the subject ("FX-7 matches ...")."""
    if verb is None:
        return None
    heads = subjects(verb)
    for m in mentions:
        if m.label == "CONTROL_CODE" and m is not other and any(m.token in s.subtree for s in heads):
            return _code_id(st, sent, m)
    for s in heads:
        if st.jurisdiction and _BARE_CODE.match(s.text):
            return f"{st.jurisdiction}:{s.text}"
    return None


_BARE_CODE = re.compile(NATIONAL_CODE_REGEX)


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


def _named_item(st: DocumentState, verb: Token | None) -> str | None:
    """ "Item RQ-102 matches ...": an entry the subject names by its code."""
    if verb is None:
        return None
    for s in subjects(verb):
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
        pronoun = any(s.lower_ in ("it", "this") for s in subjects(verb))
        # "It does not reach X" in an alert's paragraph about one instrument: the instrument
        reported = pronoun and not st.entry and getattr(st.profile, "claims_only", False)
        if document_subject(verb) or pronoun and verb.dep_ == "conj" and document_subject(verb.head) or reported:
            subject, kind = st.instrument, "Instrument"
        else:
            named = _named_item(st, verb)
            code = [
                m for m in mentions if m.label == "CONTROL_CODE" and any(m.token in s.subtree for s in subjects(verb))
            ]
            if named or code:
                subject = named or f"{st.jurisdiction}:{code[0].ent[-1].text.rstrip('.')}"
                kind = "ControlEntry"
            elif st.entry and any(s.lower_ in ("entry", "item", "it", "this") for s in subjects(verb)):
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


_OUTSIDE_VERBS = {"fall", "lie", "be", "remain", "stay"}


def _outside(st: DocumentState, parsed: Doc, mentions, span, conf: float) -> None:
    """ "adiabatic quantum computers ... fall outside it", "annealers are outside the scope
    of 4A906": the technologies of the verb's subject are not controlled by the entry the
    preposition names (a code there, else the code the sentence named before, else the
    open entry)."""
    codes = [m for m in mentions if m.label == "CONTROL_CODE"]
    for verb in parsed:
        prep = [c for c in verb.children if c.dep_ == "prep" and c.lower_ in ("outside", "beyond")]
        if verb.lemma_ not in _OUTSIDE_VERBS or not prep:
            continue
        inside = [m for m in codes if m.token in prep[0].subtree]
        before = [m for m in codes if m.token.i < verb.i]
        target = (inside or before[-1:] or [None])[0]
        subject = f"{st.jurisdiction}:{target.ent[-1].text.rstrip('.')}" if target else st.entry
        if not subject:
            continue
        subjects_ = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if not subjects_ and verb.dep_ == "conj":  # "..., also called X, fall outside it": the head's
            subjects_ = [c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")]
        for tech in (m for m in mentions if m.label == "TECHNOLOGY"):
            if any(tech.token in x.subtree for x in subjects_):
                st.relate("not_controlled", subject, "ControlEntry", tech.ident, "Technology", tech.start, tech.end,
                          conf, "parse.outside", span)  # fmt: skip


def _issued(st: DocumentState, parsed: Doc, block: Block, sent: Span, span, conf: float) -> None:
    """ "The Ministry of X issues this notice", "This Order is made by the Minister"."""
    from .prose import _AUTHORITY_WORDS

    for verb in parsed:
        if verb.lemma_ not in _ISSUE_VERBS or any(c.dep_ == "neg" for c in verb.children):
            continue
        objects = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
        if not any(
            o.lower_ in INSTRUMENT_WORDS and any(d.lower_ in ("this", "these") for d in o.children) for o in objects
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
    """ "Notice No. 2/2023 is repealed", "This Order revokes SOR/2021-4", "The Strategic Goods
    Order 2021 is revoked": the instrument the verb's subject (passive) or object (active)
    cites. The citation is looked for in the words before or after the verb rather than in
    the parse's noun phrase, which "No." often cuts in two."""
    from .genres.national import _CITATION
    from .preamble import instrument_id

    at = block.start + sent.start_char
    for token in parsed:
        if token.lemma_ not in _REPEAL_VERBS or any(c.dep_ == "neg" for c in token.children):
            continue
        passive = any(c.dep_ == "auxpass" for c in token.children) or token.dep_ == "amod"
        lo, hi = (0, token.idx) if passive else (token.idx + len(token.text), len(parsed.text))
        cited = [(m.start(), m.end(), m.group(0)) for rx in (_CITATION, _OTHER_CITATION)
                 for m in rx.finditer(parsed.text, lo, hi)]  # fmt: skip
        titled = [(s, e, ident) for s, e, ident, *_ in titled_instruments(st, parsed.text)
                  if lo <= s < hi and ident != st.instrument]  # fmt: skip
        found = sorted((s, e - len(c) + len(c.rstrip(".")), c.rstrip(".")) for s, e, c in cited) or sorted(titled)
        for s_, e_, cite in found[:1]:
            target = cite if cite in {t for *_, t in titled} else instrument_id(st.jurisdiction, cite)
            if target == st.instrument:
                continue
            s, e = at + s_, at + e_
            st.entity("Instrument", target, s, e, 0.85, "parse.repeals", label=parsed.text[s_:e_])
            st.relate("repeals", st.instrument, "Instrument", target, "Instrument", s, e, conf, "parse.repeals", span)
