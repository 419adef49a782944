"""One instrument amending another, however the sentence is built: active ("SI 2024/346
amends the Export Control Order 2008", "the act is understood to replace Annex I to
Regulation (EU) 2021/821"), passive ("Annex I ... was replaced by Delegated Regulation
(EU) 2025/2003", "the Order, as amended by ..."), a participle ("Regulation (EU) 2025/2003
amending Regulation (EU) 2021/821") or a nominalisation ("the rule's amendment of 15 CFR
part 774", "the replacement of Annex I by ...").

The parse says who does what: the amender is the verb's subject, the agent of a passive,
the possessor or "by" phrase of the noun, or the noun a participle qualifies; the amended
is the object, the passive subject or the "of"/"into" phrase. Instruments are those the
text names (citations and titles) and anaphors ("the Regulations", "the Order", "the
rule", "the act"), resolved before the parse to the instrument of that kind the text named
last, or the document's own. The text's own amendment with no amender named ("Annex I is
amended as follows", "These Regulations amend ...") is ``enactments.amends``'s."""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from dataclasses import dataclass, field
from functools import partial

from spacy.tokens import Doc, Span, Token

from .doc_cache import doc_sents, doc_text, span_text
from .prefilter import Gated
from .readers import Block
from .records import Entity
from .state import DocumentState, hedged
from .syntax import parse_then, subjects

#: verbs and nouns of amending; "insert" and "add" count only with an instrument as object
_CUE = Gated(
    r"\b(?:amend\w*|replac\w*|revis\w*|substitut\w*|insert\w*|modif\w*|supplement\w*)\b",
    re.I,
    ("amend", "replac", "revis", "substitut", "insert", "modif", "supplement"),
)
_VERBS = {"amend", "replace", "revise", "substitute", "insert", "modify", "supplement"}
_NOUNS = {"amendment", "replacement", "revision", "substitution", "insertion", "modification"}
#: an instrument named by its kind alone: "the Regulations", "this Order", "the parent Regulation"
_ANAPHOR = re.compile(
    r"\b(?:[Tt]he|[Tt]his|[Tt]hese|[Tt]hat|[Ii]ts)"
    r"(?: (?:same|parent|principal|amending|amended|new|present|Delegated|Implementing|interim final|final))?"
    r" (?P<kind>Regulations?|Order|Decree|[Rr]ule|Act|act|Directive|Ordinance|Notice|Law)\b"
    r"(?! (?:No\b|\d|\(|of \d|\d{4}))"
)
#: the kind words an instrument's labels give it
_KIND_WORDS = re.compile(r"\b(Regulations?|Order|Decree|Rule|Act|Directive|Ordinance|Notice|Law)\b", re.I)
CONF = 0.8


@dataclass(frozen=True)
class Named:
    """An instrument named in a sentence, by citation, title or anaphor (offsets in it)."""

    ident: str
    start: int
    end: int


def _kinds(label: str, ident: str) -> set[str]:
    found = {w.lower().rstrip("s") for w in _KIND_WORDS.findall(label)}
    if "-FR-" in ident:
        found.add("rule")
    if not found and re.search(r":(?:SI|SOR)-", ident):
        found |= {"regulation", "order"}  # a bare SI or SOR number is either
    return found


@dataclass
class _Instruments:
    """The Instrument entities of one ``out.entities`` list, read once each: in their
    order, by start, and by text (those of 6 characters or more, which later blocks look
    for by name)."""

    entities: list
    read: int = 0
    found: list[Entity] = field(default_factory=list)
    by_start: list[tuple[int, int]] = field(default_factory=list)
    by_text: dict[str, list[int]] = field(default_factory=dict)

    def update(self) -> None:
        for e in self.entities[self.read :]:
            if e.type == "Instrument":
                index = len(self.found)
                self.found.append(e)
                insort(self.by_start, (e.start, index))
                if len(e.text) >= 6:
                    self.by_text.setdefault(e.text, []).append(index)
        self.read = len(self.entities)

    def starting_in(self, start: int, end: int) -> list[Entity]:
        """Those that start in [start, end), in their order."""
        lo, hi = bisect_left(self.by_start, (start, -1)), bisect_left(self.by_start, (end, -1))
        return [self.found[i] for i in sorted(i for _, i in self.by_start[lo:hi])]

    def named_in(self, text: str) -> list[Entity]:
        """Those whose text (6 characters or more) ``text`` holds, in their order."""
        indices = [i for t, ids in self.by_text.items() if t in text for i in ids]
        return [self.found[i] for i in sorted(indices)]


def _instruments(st: DocumentState) -> _Instruments:
    """The document's Instrument entities so far. The walk only appends to
    ``out.entities``, so each record is read once (reading them all again for every block
    made this rule half of extraction's time on the real CCL, 11,000 entities over 6,700
    blocks); a list that was replaced, or is shorter, is read again."""
    entities = st.out.entities
    known = st.instruments_read
    if known is None or known.entities is not entities or known.read > len(entities):
        known = st.instruments_read = _Instruments(entities)
    known.update()
    return known


def _remember(st: DocumentState, block: Block, text: str) -> list[Named]:
    """The instruments this block names: by citation or title (their entities), and again
    by any name the text gave them before ("Decree No. 14/2026" where the page's title
    named it)."""
    instruments = _instruments(st)
    named = [Named(e.id, e.start, e.end) for e in instruments.starting_in(block.start, block.end)]
    texts = set()  # a text named again adds nothing: its first naming took every place it is at
    for e in instruments.named_in(text):
        if e.end <= block.start and e.text not in texts:
            texts.add(e.text)
            for m in re.finditer(re.escape(e.text), text):
                s = block.start + m.start()
                if not any(n.start <= s < n.end for n in named):
                    named.append(Named(e.id, s, s + len(e.text)))
    return sorted(named, key=lambda n: n.start)


def _learn(st: DocumentState, named: list[Named]) -> None:
    """Remember the instruments a block named with their kinds, last named last."""
    for n in named:
        kinds = st.instrument_kinds.pop(n.ident, set()) | _kinds(st.source.text[n.start : n.end], n.ident)
        st.instrument_kinds[n.ident] = kinds


#: what joins a kind word to the citation that names it: "the rule at 89 FR 83428", "the Order
#: (S.I. 2008/3231)", "the rule published at ..."
_NAMED_BY = re.compile(r"\s*(?:[,(]\s*)?(?:(?:published |printed )?(?:at|in)\s+)?")


def _resolve(st: DocumentState, kind: str, before: list[Named], taken: set[str]) -> str | None:
    """The instrument an anaphor means: the last one of its kind the text named before it
    (earlier in its block, else in an earlier block), else the document's own; never one
    its sentence already names (a sentence relating two instruments names each once)."""
    kind = kind.lower().rstrip("s")

    def fits(ident: str, label: str) -> bool:
        if ident in taken:
            return False
        known = st.instrument_kinds.get(ident)
        return kind == "act" or kind in (known if known is not None and not label else _kinds(label, ident))

    for n in reversed(before):
        if fits(n.ident, st.source.text[n.start : n.end]):
            return n.ident
    for ident in reversed(list(st.instrument_kinds)):
        if fits(ident, ""):
            return ident
    return st.instrument if st.instrument not in taken else None


def amendment_sentences(st: DocumentState, block: Block, doc: Doc) -> None:
    """Queue each sentence that names two instruments (or one and an anaphor) and a cue."""
    if st.instrument and st.instrument not in st.instrument_kinds:
        st.instrument_kinds[st.instrument] = _kinds(st.instrument.replace("-", " "), st.instrument)
    named = _remember(st, block, doc_text(doc))
    try:
        if _CUE.search(doc_text(doc)):
            _queue(st, block, doc, named)
    finally:
        _learn(st, named)


def _queue(st: DocumentState, block: Block, doc: Doc, named: list[Named]) -> None:
    for sent in doc_sents(doc):
        text = span_text(sent)
        if not _CUE.search(text):
            continue
        base = block.start + sent.start_char
        before = [n for n in named if n.start < base]
        here = [Named(n.ident, n.start - base, n.end - base) for n in named if base <= n.start < base + len(text)]
        resolved: list[Named] = []
        for m in _ANAPHOR.finditer(text):
            if any(n.start <= m.start() < n.end for n in here):
                continue
            if m.group(0).lower().startswith(("this", "these")):
                continue  # the text's own amendment ("These Regulations amend ..."): ``enactments.amends``
            if any(_NAMED_BY.fullmatch(text, m.end(), n.start) for n in here if n.start >= m.end()):
                continue  # "the rule at 89 FR 83428": the kind word of the citation after it
            earlier = before + [Named(n.ident, n.start + base, n.end + base) for n in here if n.end <= m.start()]
            # a kind word names another instrument than those its sentence names; "the act"
            # may be the one named just before it ("X came later, and the act replaced ...")
            taken = {n.ident for n in here if m.group("kind") != "act" or n in resolved}
            ident = _resolve(st, m.group("kind"), earlier, taken)
            if ident:
                resolved.append(Named(ident, m.start(), m.end()))
                here.append(resolved[-1])
        if len({n.ident for n in here}) >= 2 or (here and _own_passive(st, text, here)):
            rule = partial(_amends, sent=sent, block=block, named=sorted(here, key=lambda n: n.start))
            parse_then(st, text, rule)


#: an amendatory instruction's passive: "Section 740.2 is amended by adding ...", "Schedule 3 to the
#: Order is amended as follows"
_PASSIVE = re.compile(r"\b(?:is|are)\s+(?:hereby\s+|further\s+)?(?:amended|revised|modified|replaced)\b", re.I)


def _own_passive(st: DocumentState, text: str, here: list[Named]) -> bool:
    """In an instrument's own text (not a guidance page, alert or essay), a passive amendment
    without an agent is the document's own: the instruction amends what it names."""
    genre = getattr(st.profile, "genre", "")
    if not st.instrument or getattr(st.profile, "claims_only", False) or genre == "guidance":
        return False
    return any(n.ident != st.instrument for n in here) and bool(_PASSIVE.search(text))


def _amends(st: DocumentState, parsed: Doc, sent: Span, block: Block, named: list[Named]) -> None:
    base = block.start + sent.start_char
    placed = []
    for n in named:
        span = parsed.char_span(n.start, n.end, alignment_mode="expand")
        if span is not None:  # a mention's tokens: its parse may not be one phrase ("Decree No. 14/2026")
            placed.append((n, set(range(span.start, span.end))))
    conf = hedged(span_text(sent), CONF)
    done: set[tuple[str, str]] = set()
    for token in parsed:
        roles = _roles(token)
        if roles is None:
            continue
        amenders, amended = roles
        by = [n for n, ii in placed if ii & amenders]
        of = [n for n, ii in placed if ii & amended and not ii & amenders]
        if not by and not amenders and _passive(token) and _own_passive(st, span_text(sent), named):
            by = [Named(st.instrument, -1, -1)]  # "Section 740.2 is amended by adding ...": this rule
        for a in by[:1]:
            for b in of:
                if a.ident == b.ident or (a.ident, b.ident) in done:
                    continue
                done.add((a.ident, b.ident))
                s, e = base + b.start, base + b.end
                st.relate("amends", a.ident, "Instrument", b.ident, "Instrument", s, e, conf, "parse.amends",
                          (base, base + len(span_text(sent))))  # fmt: skip


def _passive(token: Token) -> bool:
    return token.lemma_.lower() in _VERBS and any(c.dep_ == "auxpass" for c in token.children)


def _under(tokens: list[Token]) -> set[int]:
    return {t.i for x in tokens for t in x.subtree}


def _roles(token: Token) -> tuple[set[int], set[int]] | None:
    """(the tokens that name the amender, those that name the amended) of a cue word."""
    lemma = token.lemma_.lower()
    if any(c.dep_ == "neg" for c in token.children):
        return None
    agent = [p for c in token.children if c.dep_ == "agent" or c.lower_ == "by" for p in c.children if p.dep_ == "pobj"]
    into = [p for c in token.children if c.lower_ in ("into", "to", "in") for p in c.children if p.dep_ == "pobj"]
    if lemma in _VERBS and token.pos_ in ("VERB", "AUX"):
        if any(c.dep_ == "auxpass" for c in token.children):
            return _under(agent), _under([c for c in token.children if c.dep_ == "nsubjpass"])
        if token.dep_ in ("acl", "amod", "advcl", "relcl") and not subjects(token):
            if agent:  # "the Order, as amended by SI 2024/346"
                return _under(agent), _under([token.head]) - _under([token])
            # "Regulation (EU) 2025/2003 amending Regulation (EU) 2021/821": the noun qualified amends
            objects = [c for c in token.children if c.dep_ == "dobj"]
            return _under([token.head]) - _under([token]), _under(objects)
        # the object, and the instrument a part of it belongs to when the parse hangs it on
        # the verb: "inserting three entries into Schedule 3 to the Order", "replace Annex I
        # to Regulation (EU) 2021/821"; what is inserted is not what is amended
        objects = [] if lemma == "insert" else [c for c in token.children if c.dep_ in ("dobj", "obj")]
        return _under(subjects(token)), _under(objects + into)
    if lemma in _NOUNS and token.pos_ in ("NOUN", "PROPN"):
        possessor = [c for c in token.children if c.dep_ == "poss"]
        after = token.right_edge.i + 1
        if not agent and after < len(token.doc) and token.doc[after].lower_ == "by":
            # "the amendment of X by Y": the parser often hangs the "by" on the verb instead
            agent = [c for c in token.doc[after].children if c.dep_ == "pobj"]
        amended = [p for c in token.children if c.lower_ in ("of", "to") for p in c.children if p.dep_ == "pobj"]
        return _under(possessor + agent), _under(amended)
    return None
