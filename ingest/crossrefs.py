"""Sentences that point across documents: an entry that corresponds to another
jurisdiction's entry, or that has no equivalent there; a state that joined an
arrangement on a date; an arrangement whose participants agreed a control."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from .code_lists import code_text
from .dates import find_dates
from .doc_cache import doc_ents, doc_sents, doc_text, span_ents, span_text
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
    r"(?:equivalent|counterpart)\b|\buncontrolled\b[^.;]{0,80}\bunlike\b|"
    # "Lorovia has nothing equivalent", "neither Canada nor Japan has a counterpart to ..."
    r"\bnothing (?:equivalent|comparable|corresponding|similar|matching)\b|"
    r"\bneither\b[^.;]{0,60}\bnor\b[^.;]{0,40}\b(?:has|have) (?:an? |any )?(?:[\w-]+ ){0,2}"
    r"(?:equivalent|counterpart)\b",
    re.I,
    ("equivalent", "counterpart", "analogue", "match", "corresponding", "comparable", "uncontrolled"),
)
#: a clause that says one list's code matches another's, in the words drafters use: "matches",
#: "corresponds to", "mirrors", "is the equivalent of", "is derived from", "is modelled on",
#: "follows the agreed figures", "reproduces", "is aligned with", "the US counterpart of X is Y"
#: (a code that "follows" or "tracks" another may do so in numbering or in time only); each
#: match holds one of the distinctive stems the prefilter looks for
_CORRESPONDS = Gated(
    r"\b(?:match(?:es|ed)?|correspond(?:s|ed)? (?:to|with)|mirror(?:s|ed)?|equivalent (?:of|to)|"
    r"counterpart (?:of|to|in)|twin of|(?:derived|adapted|taken|copied|transposed) from|"
    r"(?:modell?ed|based|patterned) (?:on|upon|after)|"
    r"(?:follow(?:s|ed)?|track(?:s|ed)?) the (?:[\w-]+ ){0,2}(?:wording|text|figures|terms|thresholds|parameters|"
    r"definitions?|scope)|reproduc(?:es|ed)|"
    r"replicat(?:es|ed)|aligned (?:with|to)|identical (?:to|with)|the same (?:[\w-]+ ){0,3}as|"
    r"cop(?:ies|ied))\b",
    re.I,
    ("match", "correspond", "mirror", "equivalent", "counterpart", "twin", "derived", "adapted", "taken",
     "transposed", "modeled", "modelled", "based", "patterned", "follow", "track", "reproduc", "replicat",
     "aligned", "identical", "same", "cop"),
)  # fmt: skip
#: "The American counterpart of ZK-2 is ECCN 3B904": the word of correspondence before both codes
_COUNTERPART_OF = re.compile(r"\b(?:counterpart|equivalent|twin|analogue) (?:of|to|for) (?:(?:entry|item) )?$", re.I)
#: what makes a clause deny or qualify a match ("does not match", "unlike", "except that")
_NOT_MATCHING = re.compile(
    r"\b(?:not|no|never|neither|nor|unlike|differs?|different|except|than|whereas|if|whether|but|"
    r"strict\w*|loose\w*|tighter|lower|higher|narrower|broader)\b|\?",
    re.I,
)
#: a line or sentence led by its code ("PL9014: quantum computers, with the same bands as
#: ECCN 4A906"): that code is what the later clauses of the sentence speak about
_HEAD_CODE = re.compile(r"^[ \t]*(?:[-*+•][ \t]+)?(?:\*\*)?[^\s:]{2,16}(?:\*\*)?[ \t]*(?::|[-–—][ \t])")

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
    whole = doc_text(doc)  # a sentence's words are its block's: a block without them has no such sentence
    if not (NO_EQUIVALENT.may(whole) or any(rx.may(whole) for rx, _ in _QUALIFIERS)):
        return
    for sent, span in _sentences(doc, block):
        qualifier = next((q for rx, q in _QUALIFIERS if rx.search(span_text(sent))), None)
        if qualifier:
            targets = []
            base = subject.split(":", 1)[1].split(".")[0]
            for code in _in(sent, "CONTROL_CODE"):
                named = named_jurisdiction(sent, code)
                text = code_text(code)
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
                    owner = "US" if _US_SERIES.match(code_text(code)) else None
                if owner:
                    entries[f"{owner}:{code_text(code)}"] = (owner, code)
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


def clause_correspondences(st: DocumentState, block: Block, doc: Doc) -> None:
    """ "MV3.1 matches ECCN 3A904.a", "Entry ZK-2 is derived from US ECCN 3B904", "The US
    counterpart of ZK-2 is ECCN 3B904": in one clause, a code, a word of correspondence,
    then a code of another state's list (each code's owner as ``owners`` decides). Read
    from the words and the codes' order, not the parse: the small parser reads a bare code
    as a number ("ZK-2 mirrors ..." as a modifier of "mirrors") and loses the subject.
    A denied, compared or conditional clause says nothing."""
    # a sentence needs two codes: most blocks have fewer (cheaper to count than to search)
    if sum(e.label_ == "CONTROL_CODE" for e in doc_ents(doc)) < 2 or not _CORRESPONDS.search(doc_text(doc)):
        return
    for sent, span in _sentences(doc, block):
        codes_here = _in(sent, "CONTROL_CODE")
        if len(codes_here) < 2 or not _CORRESPONDS.search(span_text(sent)):
            continue
        text = doc_text(doc)
        head = codes_here[0] if _HEAD_CODE.match(text, sent.start_char, codes_here[0].end_char + 3) else None
        for a, b in _clauses(sent):
            codes = [c for c in codes_here if a <= c.start_char < b]
            if head is not None and head not in codes:
                codes.insert(0, head)
            if len(codes) < 2 or _NOT_MATCHING.search(text, a, b):
                continue
            owners = [_listed_owner(sent, c) or code_jurisdiction(st, sent, c) for c in codes]
            for i, (left, right) in enumerate(zip(codes, codes[1:], strict=False)):
                cue = _CORRESPONDS.search(text, max(left.end_char, a), right.start_char)
                if not cue and re.fullmatch(
                    r"\s+(?:is|are|was|being)\s+(?:(?:the )?\w+ )?", text[left.end_char : right.start_char]
                ):
                    cue = _COUNTERPART_OF.search(text, a, left.start_char)  # "the US counterpart of X is Y"
                first, second = owners[i], owners[i + 1]
                if not cue or not first or not second or first == second:
                    continue
                if text[left.end_char : cue.start()].count(",") > 1:
                    continue  # the cue belongs to a later code of a list ("A, B and C ... match X")
                target = f"{second}:{code_text(right)}"
                s, e = block.start + right.start_char, block.start + right.end_char
                st.entity("ControlEntry", target, s, e, 0.85, "ruler.code", code=target.split(":", 1)[1])
                st.relate(
                    "corresponds_to",
                    f"{first}:{code_text(left)}",
                    "ControlEntry",
                    target,
                    "ControlEntry",
                    s,
                    e,
                    hedged(span_text(sent), 0.8),
                    "clause.corresponds",
                    span,
                )


def _listed_owner(sent: Span, code: Span) -> str | None:
    """ "paragraph 5A002.c of the United States list", "item 5506 in Canada's list": the
    state named in the phrase right after the code."""
    doc = sent.doc
    if code.end >= sent.end or doc[code.end].lower_ not in ("of", "in", "on", "under"):
        return None
    for e in span_ents(sent):
        if e.start > code.end + 4:
            break
        if e.start > code.end and e.label_ == "CONTROL_CODE":
            return None
        if e.start > code.end and e.label_ == "JURISDICTION":
            return e.ent_id_
    return None
