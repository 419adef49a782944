"""Sentences that point across documents: an entry that corresponds to another
jurisdiction's entry, or that has no equivalent there; a state that joined an
arrangement on a date; an arrangement whose participants agreed a control."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from .dates import find_dates
from .doc_cache import doc_sents, doc_text, span_ents, span_text
from .owners import code_jurisdiction, named_jurisdiction
from .prefilter import Gated
from .readers import Block
from .state import CLAUSE_BREAK, NEGATION, DocumentState, hedged

_QUALIFIERS = [
    (Gated(r"\bsame (?:agreed )?text\b|\bidentical\b", re.I, ("same", "identical")), "same_text"),
    (Gated(r"\bnarrower than\b", re.I, ("narrower than",)), "narrower"),
    (Gated(r"\bbroader than\b", re.I, ("broader than",)), "broader"),
    (Gated(r"\b(?:partly|partially) overlap|\boverlaps? (?:partly|partially)\b", re.I, ("overlap",)), "partial"),
]
#: "has no equivalent", "there is no Canadian counterpart to", "lacks a matching entry",
#: "remains uncontrolled in Canada, unlike under ECCN 3C907": a jurisdiction without a
#: control that matches the entry
NO_EQUIVALENT = Gated(
    r"\bno (?:[\w-]+ ){0,2}(?:equivalent|counterpart|analogue|match)\b|\bno (?:corresponding|comparable|matching)\b|"
    # "has no control corresponding to ECCN 3A904", "no entry comparable with ..."
    r"\bno (?:[\w-]+ ){1,2}(?:corresponding|comparable|equivalent) (?:to|with)\b|\bno (?:[\w-]+ ){1,2}matching\b|"
    r"\b(?:lacks?|lacking|without|not (?:have|include|contain)) (?:an? |any )?(?:[\w-]+ ){0,2}"
    r"(?:equivalent|counterpart)\b|\buncontrolled\b[^.;]{0,80}\bunlike\b",
    re.I,
    ("equivalent", "counterpart", "analogue", "match", "corresponding", "comparable", "uncontrolled"),
)

_JOINED = re.compile(
    r"\b(?:joined|acceded|became (?:the |a )?[\w-]*\s*(?:participating state|participant|party|member))\b",
    re.I,
)
_AGREED = re.compile(r"\bagreed\b", re.I)


def _sentences(doc: Doc, block: Block):
    for sent in doc_sents(doc):
        yield sent, (block.start + sent.start_char, block.start + sent.end_char)


def _in(sent: Span, label: str) -> list[Span]:
    return [e for e in span_ents(sent) if e.label_ == label]


def correspondences(st: DocumentState, block: Block, doc: Doc, subject: str) -> None:
    """ "It uses the same agreed text as US ECCN 4A906.a" and "Canada has no equivalent"."""
    own = st.jurisdiction
    this = subject
    for sent, span in _sentences(doc, block):
        qualifier = next((q for rx, q in _QUALIFIERS if rx.search(span_text(sent))), None)
        if qualifier:
            targets = []
            base = subject.split(":", 1)[1].split(".")[0]
            for code in _in(sent, "CONTROL_CODE"):
                named = named_jurisdiction(sent, code)
                text = code[-1].text.rstrip(".")
                if named is None and text.split(".")[0] == base:
                    this = f"{own}:{text}"  # "Paragraph 4A906.a uses ..." names itself
                else:
                    targets.append((f"{named or own}:{text}", code))
            for canonical, code in targets:
                s, e = block.start + code.start_char, block.start + code.end_char
                st.entity("ControlEntry", canonical, s, e, 0.9, "ruler.code", code=canonical.split(":", 1)[1])
                st.relate(
                    "corresponds_to",
                    this,
                    "ControlEntry",
                    canonical,
                    "ControlEntry",
                    s,
                    e,
                    hedged(span_text(sent), 0.85),
                    "sentence.correspondence",
                    span,
                    qualifier,
                )
        if NO_EQUIVALENT.search(span_text(sent)) and not _in(sent, "CONTROL_CODE"):
            for place in _in(sent, "JURISDICTION"):
                if place.ent_id_ == own:
                    continue
                s, e = block.start + place.start_char, block.start + place.end_char
                st.entity("Jurisdiction", place.ent_id_, s, e, 0.9, "ruler.jurisdiction", span)
                st.relate(
                    "no_equivalent_in",
                    subject,
                    "ControlEntry",
                    place.ent_id_,
                    "Jurisdiction",
                    s,
                    e,
                    hedged(span_text(sent), 0.85),
                    "sentence.no_equivalent",
                    span,
                )


def arrangement_sentences(st: DocumentState, block: Block, doc: Doc) -> None:
    """Join dates of participants, and the controls the participants agreed."""
    for sent, span in _sentences(doc, block):
        if _JOINED.search(span_text(sent)):
            dates = find_dates(span_text(sent))
            for place in _in(sent, "JURISDICTION"):
                after = [d for d in dates if d[1] >= place.end_char - sent.start_char]
                if not after:
                    continue
                day = after[0][0].isoformat()
                s, e = block.start + place.start_char, block.start + place.end_char
                st.entity("Jurisdiction", place.ent_id_, s, e, 0.9, "ruler.jurisdiction", span)
                st.relate(
                    "party_since",
                    place.ent_id_,
                    "Jurisdiction",
                    {"arrangement": st.arrangement, "since": day},
                    "Membership",
                    s,
                    e,
                    hedged(span_text(sent), 0.85),
                    "sentence.joined",
                    span,
                )
        if _AGREED.search(span_text(sent)) and not NEGATION.search(span_text(sent)):
            for tech in _in(sent, "TECHNOLOGY"):
                s, e = block.start + tech.start_char, block.start + tech.end_char
                st.entity("Technology", tech.ent_id_, s, e, 0.95, "ruler.technology", span)
                st.relate(
                    "agreed_control",
                    st.arrangement,
                    "Treaty",
                    tech.ent_id_,
                    "Technology",
                    s,
                    e,
                    hedged(span_text(sent), 0.85),
                    "sentence.agreed",
                    span,
                )


def _clauses(sent: Span) -> list[tuple[int, int]]:
    """Character ranges (in the block) of a sentence's clauses."""
    text, cuts = span_text(sent), [0]
    cuts += [m.end() for m in CLAUSE_BREAK.finditer(text)]
    ends = [*cuts[1:], len(text)]
    return [(sent.start_char + a, sent.start_char + b) for a, b in zip(cuts, ends, strict=True)]


#: the EAR's 900-series numbers, which only the US list uses
_US_SERIES = re.compile(r"^\d[A-E]9\d\d")


#: "Unlike the United Kingdom and Germany, ... Canada has no counterpart": states a clause
#: compares the one lacking the entry with
_COMPARED = {"unlike", "like", "as in", "as with", "similar to", "as does", "as do"}


def _compared(place: Span) -> bool:
    """A state named after "unlike"/"like" (or coordinated with one so named) is a comparison."""
    doc = place.doc
    node = place.start
    # a comma before the state ends a fronted phrase ("unlike France, Canada has ...") unless a
    # list goes on after it ("unlike the UK, Germany and France")
    listed = place.end < len(doc) and doc[place.end].lower_ in ("and", "or", ",")
    while node >= 2 and doc[node - 1].lower_ in ("and", "or", "the") or (listed and doc[node - 1].text == ","):
        node -= 1  # "unlike the United Kingdom and Germany": back over the coordination
        while node > 0 and doc[node - 1].ent_type_ == "JURISDICTION":
            node -= 1
    words = [t.lower_ for t in doc[max(0, node - 2) : node]]
    return bool(words) and (words[-1] in _COMPARED or " ".join(words) in _COMPARED)


def missing_counterparts(st: DocumentState, block: Block, doc: Doc) -> None:
    """ "Canada has no equivalent to ECCN 3A904", "The Order has no counterpart to U.S. ECCN
    3B904": the entries a clause names, and the jurisdiction it says has no match for them
    (the one it names that owns none of them, else the document's own)."""
    if not NO_EQUIVALENT.search(doc_text(doc)):
        return
    for sent, span in _sentences(doc, block):
        codes_here = _in(sent, "CONTROL_CODE")
        if not codes_here or not NO_EQUIVALENT.search(span_text(sent)):
            continue
        for a, b in _clauses(sent):
            if not NO_EQUIVALENT.search(doc_text(doc)[a:b]):
                continue
            codes = [c for c in codes_here if a <= c.start_char < b]
            named = {p.ent_id_ for p in _in(sent, "JURISDICTION") if a <= p.start_char < b}
            entries = {}
            for code in codes:
                owner = named_jurisdiction(sent, code) or code_jurisdiction(st, sent, code)
                if owner in (named or {st.jurisdiction}) and not named_jurisdiction(sent, code):
                    # the state said to lack the entry does not own it: "Canada has no equivalent
                    # to 3A904" in a Canadian text is about the US 900-series entry
                    owner = "US" if _US_SERIES.match(code[-1].text) else None
                if owner:
                    entries[f"{owner}:{code[-1].text.rstrip('.')}"] = (owner, code)
            owners = {owner for owner, _ in entries.values()}
            places = [p for p in _in(sent, "JURISDICTION") if a <= p.start_char < b and p.ent_id_ not in owners
                      and not _compared(p)]  # fmt: skip
            lacking = [(p.ent_id_, p.start_char, p.end_char) for p in places]
            if not lacking and st.jurisdiction and st.jurisdiction not in owners:
                lacking = [(st.jurisdiction, None, None)]  # "The Order has no counterpart to ..."
            for entry, (_owner, code) in entries.items():
                s, e = block.start + code.start_char, block.start + code.end_char
                for place, ps, pe in lacking:
                    if ps is not None:
                        st.entity("Jurisdiction", place, block.start + ps, block.start + pe, 0.9, "ruler.jurisdiction")
                    st.relate("no_equivalent_in", entry, "ControlEntry", place, "Jurisdiction", s, e,
                              hedged(span_text(sent), 0.85), "sentence.no_equivalent", span)  # fmt: skip
