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
from functools import partial

from spacy.tokens import Doc, Span

from .correspondences import corresponds
from .country_groups import GROUP_DEFINED
from .doc_cache import doc_ents, doc_sents, span_text
from .enactments import amends, issued, repeals
from .exemptions import CUE as EXEMPT_CUE
from .exemptions import exempt_destinations
from .licences import (
    ELIGIBLE_WORDS,
    EXCEPTION,
    bare_exceptions,
    destinations,
    ear_exception,
    exception_match,
    group_licence,
    group_members,
)
from .licences import introduce as introduce_exception
from .memberships import agreements, implements, parties, union_context, unions
from .named_entries import appositive_controls
from .negations import NEGATED, negations, outside
from .prefilter import Gated
from .readers import Block
from .state import DocumentState, hedged
from .syntax import parse_then, place_mentions

__all__ = ["bare_exceptions", "sentence_relations"]

#: the triage's cues, behind the words every match holds (``prefilter``)
_AMEND = Gated(r"\bamend(?:s|ed)?\b", re.I, ("amend",))
_REPEAL = Gated(
    r"\b(?:repeal|rescind|revok|withdr|cancel|supersed|abrogat|replac)\w*",
    re.I,
    ("repeal", "rescind", "revok", "withdr", "cancel", "supersed", "abrogat", "replac"),
)
#: what a relation read from a parsed sentence counts
CONF = 0.8
#: "is expected to follow", "would mirror": a forecast, not a statement ("may" grants leave)
_SPECULATIVE = re.compile(r"\b(?:expected|likely|appears?|seems?|anticipated|planned|would)\b", re.I)

_MATCH_CUE = Gated(
    r"\b(?:match\w*|correspond\w*|mirror\w*|equal\w*|equivalent|identical|same|reproduc\w*|counterparts?|twins?)\b",
    re.I,
    ("match", "correspond", "mirror", "equal", "equivalent", "identical", "same", "reproduc", "counterpart", "twin"),
)
_ISSUE_CUE = Gated(
    r"\b(?:this|these|the following|the annexed) (?:notice|regulations?|rule|order|decree|act|instrument|ordinance)\b",
    re.I,
    ("this ", "these ", "the following ", "the annexed "),
)
_MEMBER_CUE = Gated(r"\bmembers?\b", re.I, ("member",))
_UNION_CUE = re.compile(r"\bEU\b|\bEuropean Union\b|\bUnion\b")
_ENTRY_CUE = Gated(r"\b(?:entry|item|heading|ECCN|code)\b", re.I, ("entry", "item", "heading", "eccn", "code"))


def _rules_for(st: DocumentState, sent: Span, labels: set[str], carried: list[str]) -> set[str]:
    """Which rules could fire on a sentence, from its words and entity labels alone:
    the parser runs only when one could (most sentences of a long list need none)."""
    text = span_text(sent)
    rules = set()
    if "TREATY" in labels:
        rules |= {"parties", "agreements", "implements"}
    if (
        (st.instrument or ear_exception(st, text))
        and "JURISDICTION" in labels
        and (EXCEPTION.search(text) or carried and ELIGIBLE_WORDS.search(text))
    ):
        rules.add("destinations")
    if st.instrument and _REPEAL.search(text):
        rules.add("repeals")
    if st.instrument and _AMEND.search(text):
        rules.add("amends")
    if (
        st.instrument
        and _ISSUE_CUE.search(text)
        and re.search(r"\b(?:issu|mak|adopt|publish|promulgat|sign|approv|enact)", text, re.I)
    ):
        rules.add("issued")
    if st.instrument and "TECHNOLOGY" in labels and NEGATED.search(text):
        rules.add("negations")
    if st.instrument and "JURISDICTION" in labels and EXEMPT_CUE.search(text):
        rules.add("exemptions")
    if "JURISDICTION" in labels and st.jurisdiction and GROUP_DEFINED.search(text):
        rules.add("groups")
    if (
        "JURISDICTION" in labels
        and _MEMBER_CUE.search(text)
        and (_UNION_CUE.search(text) or "Member State" in text and union_context(st))
    ):
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
            (st.instrument or ear_exception(st, span_text(sent)))
            and not st.exception
            and "JURISDICTION" not in labels
            and EXCEPTION.search(span_text(sent))
        ):
            found = introduce_exception(st, sent, block)  # a licence introduced alone ("License Exception IEC.")
            if found:
                carried[:] = [found[0]]
                group_licence(st, sent, block, found[0], hedged(span_text(sent), CONF))
        rules = _rules_for(st, sent, labels, carried)
        if not rules:
            continue
        rule = partial(_parsed_rules, sent=sent, block=block, rules=rules, carried=list(carried))
        if "destinations" in rules and not st.exception:
            found = exception_match(st, sent)  # what destinations will carry, for the next sentences
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
        destinations(st, sent, block, mentions, span, conf, carried)
    if "amends" in rules:
        amends(st, parsed, block, sent, span, conf)
    if "repeals" in rules:
        repeals(st, parsed, block, sent, span, conf)
    if "issued" in rules:
        issued(st, parsed, block, sent, span, conf)
    if "negations" in rules:
        negations(st, parsed, mentions, span, conf)
        outside(st, parsed, mentions, span, conf)
    if "exemptions" in rules:
        exempt_destinations(st, parsed, mentions, span, conf)
    if "groups" in rules:
        group_members(st, sent, mentions, span, conf)
    if "unions" in rules:
        unions(st, parsed, mentions, span, conf)
    if "corresponds" in rules:
        corresponds(st, sent, parsed, mentions, span, conf)
    if "appositive" in rules:
        appositive_controls(st, sent, mentions, span, conf)
