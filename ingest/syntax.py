"""The parsed sentence as extraction's relation rules read it: the parser (loaded apart
from the main pipeline, which it would slow), our entities placed on its tokens, and the
few tree walks every rule shares (clause head, subjects, exception and negation scope)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .doc_cache import span_ents
from .pipeline import PARSER_COMPONENTS, shared_model

#: words that set what follows apart from the rest ("except X", "other than X", "not to X")
EXCLUDING = {"except", "excluding", "but", "other", "apart", "besides", "save", "not", "never", "no"}
INSTRUMENT_WORDS = {"notice", "regulation", "regulations", "rule", "order", "decree", "act", "instrument", "ordinance"}


class Parser:
    """The pinned model's tagger, parser and lemmatizer over plain texts: the
    components the pipeline keeps disabled, run on the model both share."""

    def __init__(self, nlp: Language):
        self.nlp = nlp
        self.vocab = nlp.vocab
        self.components = [nlp.get_pipe(n) for n in nlp.component_names if n in PARSER_COMPONENTS]

    def pipe(self, texts: Iterable[str], batch_size: int = 64) -> Iterator[Doc]:
        docs: Iterable[Doc] = (self.nlp.make_doc(t) for t in texts)
        for component in self.components:
            docs = component.pipe(docs, batch_size=batch_size)
        yield from docs

    def __call__(self, text: str) -> Doc:
        return next(iter(self.pipe([text])))


@lru_cache(maxsize=1)
def load_parser() -> Parser:
    """The pinned model with its tagger, parser and lemmatizer (not its NER)."""
    return Parser(shared_model())


#: what a rule does with a parsed sentence: (the walk's state when it asked, the parse)
ParsedRule = Callable[[object, Doc], None]


class ParseQueue:
    """Sentences waiting for the parser, across documents, so that it reads them in
    batches through ``nlp.pipe`` (one call per sentence costs twice as much).

    A rule asks with ``parse_then``; it runs at ``flush`` on a copy of the walk's state
    as it was when it asked (rules read only the state's scalar fields: instrument,
    jurisdiction, open entry, ...), and what it finds is put back into the extraction
    at the place where it asked, so the records come out in the same order as if the
    sentence had been parsed on the spot."""

    def __init__(self, batch_size: int = 64):
        self.batch_size = batch_size
        self.waiting: list[tuple[str, object, object, tuple[int, ...], ParsedRule]] = []

    def __len__(self) -> int:
        return len(self.waiting)

    def add(self, st, text: str, rule: ParsedRule) -> None:
        out = st.out
        here = tuple(len(getattr(out, name)) for name in _RECORDS)
        copy = replace(st, out=replace(out, **{name: [] for name in _RECORDS}))
        self.waiting.append((text, out, copy, here, rule))

    def flush(self) -> None:
        """Parse every waiting sentence, run its rule, and splice what it found in."""
        waiting, self.waiting = self.waiting, []
        if not waiting:
            return
        per_out: dict[int, tuple[object, list]] = {}
        parsed = load_parser().pipe((w[0] for w in waiting), batch_size=self.batch_size)
        for (_, out, copy, here, rule), doc in zip(waiting, parsed, strict=True):
            rule(copy, doc)
            per_out.setdefault(id(out), (out, []))[1].append((here, copy.out))
        for out, inserts in per_out.values():
            for i, name in enumerate(_RECORDS):
                records, spliced, done = getattr(out, name), [], 0
                for here, found in inserts:
                    spliced += records[done : here[i]]
                    spliced += getattr(found, name)
                    done = here[i]
                setattr(out, name, spliced + records[done:])


#: the lists of an ``Extraction`` a rule may add to
_RECORDS = ("entities", "relations", "pointers")


def parse_then(st, text: str, rule: ParsedRule) -> None:
    """Run ``rule`` on the parse of a sentence: at the next flush of the walk's
    queue (``st.parses``), or now when the walk has none."""
    if st.parses is None:
        rule(st, load_parser()(text))
    else:
        st.parses.add(st, text, rule)


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
        if node.lower_ in EXCLUDING or any(c.dep_ == "neg" for c in node.children):
            return True
        if node.pos_ in ("VERB", "AUX") and node is not token:
            return any(c.dep_ == "neg" for c in node.children)
    return False


def acting(token: Token) -> bool:
    """A state that does something in the clause ("when the United States issued its
    rule") is not a destination; one that "is eligible" is."""
    for node in [token, *token.ancestors]:
        if node.dep_ == "pobj" and node.head.lower_ in ("to", "into"):
            return False  # "Exports to the destinations listed in Schedule B, namely Japan, ... may be made"
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
    if not own:  # an unknown name read as a modifier of the verb: "Dunmoor/amod participates in ..."
        own = [c for c in verb.lefts if c.dep_ in ("amod", "npadvmod", "dep") and c.text[:1].isupper()]
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
