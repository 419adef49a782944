"""The parsed sentence as extraction's relation rules read it: the parser (loaded apart
from the main pipeline, which it would slow), our entities placed on its tokens, and the
few tree walks every rule shares (clause head, subjects, exception and negation scope)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .doc_cache import span_ents
from .pipeline import _load_model

_EXCLUDING = {"except", "excluding", "but", "other", "apart", "besides", "save", "not", "never", "no"}
INSTRUMENT_WORDS = {"notice", "regulation", "regulations", "rule", "order", "decree", "act", "instrument", "ordinance"}


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


def place_mentions(parsed: Doc, sent: Span, base: int) -> list[Mention]:
    out = []
    for ent in span_ents(sent):
        span = parsed.char_span(
            ent.start_char - sent.start_char, ent.end_char - sent.start_char, alignment_mode="expand"
        )
        if span is not None:
            out.append(Mention(ent.label_, ent.ent_id_, base + ent.start_char, base + ent.end_char, span.root, ent))
    return out


def excluded(token: Token) -> bool:
    """Is the token under an exception or a negation ("except X", "other than X",
    "not to X")? Walks up to the clause's verb."""
    for node in [token, *token.ancestors]:
        if node.lower_ in _EXCLUDING or any(c.dep_ == "neg" for c in node.children):
            return True
        if node.pos_ in ("VERB", "AUX") and node is not token:
            return any(c.dep_ == "neg" for c in node.children)
    return False


def acting(token: Token) -> bool:
    """A state that does something in the clause ("when the United States issued its
    rule") is not a destination; one that "is eligible" is."""
    for node in [token, *token.ancestors]:
        if node.dep_ in ("nsubj", "nsubjpass", "poss"):
            verb = node.head
            return not any(c.lemma_ in ("eligible", "qualify", "entitle") for c in verb.subtree)
    return False


def clause_head(token: Token) -> Token | None:
    """The clause head above a token (the root too: the tagger sometimes reads
    "corresponds" or "issues" as a noun)."""
    for node in token.ancestors:
        if node.pos_ in ("VERB", "AUX") or node.dep_ == "ROOT":
            return node
    return None


def subjects(verb: Token) -> list[Token]:
    """The clause's subjects with their conjuncts; an infinitive or conjunct clause
    without one borrows its head's ("Ruritania agreed to ..." , "X and Y joined")."""
    own = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not own and verb.dep_ in ("xcomp", "conj", "advcl") and verb.head is not verb:
        return subjects(verb.head)
    out = []
    for s in own:
        out.append(s)
        out.extend(t for t in s.subtree if t.dep_ == "conj")
    return out


def document_subject(verb: Token) -> bool:
    """The clause is about this document ("This notice implements ...")."""
    return any(
        s.lower_ in INSTRUMENT_WORDS
        or any(c.lower_ in ("this", "these", "the") for c in s.children)
        and s.lower_ in INSTRUMENT_WORDS
        for s in subjects(verb)
    )
