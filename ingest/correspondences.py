"""Correspondences read from the parse: "this item matches ECCN 3A904 of the US list", "the
equivalent of PL9014": the entry a clause is about and a code of another state's list,
through a verb of correspondence, "equivalent to" or "the same ... as"."""

from __future__ import annotations

from functools import lru_cache

from spacy.language import Language
from spacy.matcher import DependencyMatcher
from spacy.tokens import Doc, Span, Token

from .code_lists import code_text
from .linking import country_code
from .named_entries import named_item, subject_code
from .owners import named_jurisdiction
from .state import DocumentState
from .syntax import clause_head, load_parser

_MATCH_VERBS = {"match", "correspond", "mirror", "equal", "reproduce", "follow", "track", "replicate"}


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


def _owner(parsed: Doc, code: Token) -> str | None:
    matcher = _matcher(load_parser())
    for _, tokens in matcher(parsed):
        if parsed[tokens[0]] in (code, code.head):
            owner = parsed[tokens[3]]
            return country_code(owner.text)
    return None


def corresponds(st: DocumentState, sent: Span, parsed: Doc, mentions, span, conf: float) -> None:
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
        code = code_text(c.ent)
        owner = _owner(parsed, c.token) or named_jurisdiction(sent, c.ent)
        if not owner or owner == st.jurisdiction:
            continue
        subject = named_item(st, verb) or subject_code(st, sent, verb, mentions, c) or st.entry
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
