"""Sentences that say what an entry controls, where no header or section structure says
what a sentence is about: "ECCN 4A906 controls quantum computers with 34 or more physical
qubits", a heading or lead-in that gives the paragraphs after it their entry
(``carry_subject``), and the technologies and thresholds a sentence pairs with its codes."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from . import eccn
from .code_lists import code_text, respective
from .code_subjects import CODED as _CODED
from .crossrefs import NO_EQUIVALENT
from .doc_cache import doc_ents, doc_sents, doc_text, span_ents, span_sent, span_text
from .owners import code_jurisdiction
from .readers import Block
from .state import NEGATION, DocumentState, clause_at, clause_index, clause_negated, hedged

CONTROL_VERB = re.compile(
    r"\b(?:controls?|controlled|covers?|covered|captures?|lists?|listed|adds?|added|"
    r"subject to|applies to|restricts?|catch(?:es)?|caught|captured|bundles?|brings? together|includes?|"
    r"reach(?:es)?|encompass(?:es)?|regulates?|"
    # nominal and phrasal: "coverage of X ... under ECCN Y", "X falls under 3C907", "come under"
    r"coverage|(?:falls?|fell|comes?|came) (?:squarely )?(?:under|within)|"
    # "a licence is needed for quantum computers ...", "requires a licence for ..."
    r"licen[cs]es? (?:is |are )?(?:needed|required)|(?:needs?|requires?) an? (?:individual )?(?:export )?licen[cs]e)\b",
    re.I,
)

#: in an ECCN the second character is the product group: D software, E technology; such an
#: entry for quantum items controls quantum software or know-how, never the items themselves
_PRODUCT_GROUP_KINDS = {"D": "quantum_software", "E": "quantum_technology_knowhow"}
_ECCN = re.compile(rf"^{eccn.BASE}\b")


def _one_code(st: DocumentState, doc: Doc) -> Span | None:
    """The one entry a paragraph names, when it names exactly one ("**Quantum computers
    (ECCN 4A906).** The new entry appears to capture ..."): its later sentences speak of it."""
    codes = [e for e in doc_ents(doc) if e.label_ == "CONTROL_CODE"]
    if not codes or len({code_text(e) for e in codes}) != 1 or not doc.has_annotation("SENT_START"):
        return None
    return codes[0]


#: a code of another shape the sentence names itself ("Entry RQ-101 controls ..."), and a
#: negation of any wording: a sentence that carries the paragraph's code is read cautiously
_OWN_CODE = re.compile(r"\b(?:[Ee]ntry|[Ii]tem) [A-Z0-9][\w./-]*\d")
_ANY_NEGATION = re.compile(r"(?<!-)\b(?:[Nn]ot|no longer|never|neither|nor)\b|\b[Ee]xclud\w*")  # not C-NOT


#: a sentence whose subject points back ("It does not reach ...", "Unlike the UK rule, the
#: item does not cover ..."): after the entry's own sentence, its negations are the entry's
_ANAPHOR = re.compile(r"^(?:[A-Z][^,;:]{0,60},\s*)?(?:[Ii]t|[Tt]he (?:item|entry|heading)|[Tt]his (?:item|entry))\s")


def _speaks_of(subject: Span | None, sent: Span) -> bool:
    """Whether a sentence without a code is about the code named earlier in its paragraph."""
    text = span_text(sent)
    return (
        subject is not None
        and subject.start < sent.start
        and not eccn.is_pointer(text)
        and not _OWN_CODE.search(text)
        # a negating sentence speaks of the code only through a pronoun right after the
        # code's own sentence ("Item 5506 covers ... . It does not reach ..."); "it" after a
        # sentence about the order is the order
        and (not _ANY_NEGATION.search(text) or bool(_ANAPHOR.match(text)) and subject.sent.end == sent.start)
    )


def carry_subject(st: DocumentState, block: Block, doc: Doc) -> None:
    """In a guidance page, an alert or a summary, a heading or a title line ("<dt>Quantum
    computers (ECCN 4A906)</dt>", "Does ECCN 4A906 cover quantum annealers?") that names one
    entry gives the paragraph after it its subject; a sentence that names one entry and a
    control and opens a list ("ECCN 3C907 covers epitaxial materials of:") gives it to each
    paragraph of the list, up to the next heading or the next paragraph naming a code."""
    codes_here = [e for e in doc_ents(doc) if e.label_ == "CONTROL_CODE"]
    if st.carried_list == "open" and block.kind != "heading" and not codes_here:
        # still in the list the lead-in opened; an item that does not end in ";", "," or
        # "or"/"and" was its last
        if not re.search(r"(?:[;,]|\b(?:or|and))\s*$", doc_text(doc)):
            st.carried, st.carried_list = None, ""
        return
    st.carried, st.carried_list = None, ""
    profile = st.profile
    usual = getattr(profile, "genre", "") == "guidance" or getattr(profile, "claims_only", False) or st.fields
    if st.entry or not usual:
        return  # a convention of question-and-answer pages, alerts and summaries, not of instruments
    text = doc_text(doc).strip()
    title_like = block.kind == "heading" or (len(text.split()) <= 14 and text[-1:] not in ".;:")
    lead_in = not title_like and text.endswith(":") and bool(CONTROL_VERB.search(text))
    codes = codes_here if title_like or lead_in else []
    if len({code_text(e) for e in codes}) == 1:
        sent = span_sent(codes[0]) if doc.has_annotation("SENT_START") else doc[:]
        where = code_jurisdiction(st, sent, codes[0])
        st.carried = f"{where}:{code_text(codes[0])}" if where else None
        st.carried_list = "open" if lead_in and st.carried is not None else ""


def _characteristic(sent: Span, doc: Doc) -> list[tuple[str, tuple[int, int]]]:
    """The technologies a sentence's thresholds identify when it names none (an isotopic
    impurity limit identifies an isotopically enriched material), as the list's items do."""
    from .parameters import characteristic_parameters

    named = characteristic_parameters()
    found: dict[str, tuple[int, int]] = {}
    for t in doc.spans.get("thresholds", []):
        tech = named.get(t._.threshold.parameter)
        if tech and sent.start_char <= t.start_char < sent.end_char:
            found.setdefault(tech, (t.start_char, t.end_char))
    return list(found.items())


_BARE_NATIONAL = re.compile(r"\b[A-Z]{1,4}-[A-Z]?\d")


def _clauses(doc: Doc):
    """The sentences of a block, a sentence that names codes in several clauses cut at its
    semicolons ("PL9014 covers quantum computers ...; PL9013 bundles cryogenic cooling
    ..."): each clause pairs its own codes with its own technologies."""
    for sent in doc_sents(doc):
        cuts = [t.i for t in sent if t.text == ";"] if ";" in span_text(sent) else []
        codes = [e for e in span_ents(sent) if e.label_ == "CONTROL_CODE"] if cuts else []
        if len(codes) < 2:
            yield sent
            continue
        start = sent.start
        for cut in [*cuts, sent.end]:
            if cut > start:
                yield doc[start:cut]
            start = cut + 1


_LICENSING = {"needed", "required", "licence", "license", "licences", "licenses", "permit", "permits", "authorisation",
              "authorization"}  # fmt: skip


_IN_WORDS = {"in", "under"}
_CODE_NOUNS = {"eccn", "entry", "item", "paragraph", "heading", "subheading"}


def _held_in(st: DocumentState, block: Block, doc: Doc, sent: Span, techs: list[Span]) -> None:
    """ "cryogenic cooling systems in ECCN 3A904, wafer probers in 3B904": a technology and
    the code right after its "in" or "under" are an entry and what it controls, whatever
    the verb of the sentence (a list of entries by subject often has none)."""
    text = span_text(sent)
    for tech in techs:
        code = held_in(doc, tech)
        if code is None:
            continue
        where = code_jurisdiction(st, sent, code)
        if not where:
            continue
        negated = clause_negated(text, tech.start_char - sent.start_char)
        s, e = block.start + tech.start_char, block.start + tech.end_char
        span = (block.start + sent.start_char, block.start + sent.end_char)
        st.relate("not_controlled" if negated else "controls", f"{where}:{code_text(code)}", "ControlEntry",
                  tech.ent_id_, "Technology", s, e, hedged(text, 0.8), "sentence.held_in", span)  # fmt: skip


def held_in(doc: Doc, tech: Span) -> Span | None:
    """The code right after a technology's "in" or "under" ("wafer probers in ECCN 3B904"), or
    after the entry word the technology modifies ("its quantum-computer entry PL9014", "the
    cryogenic cooling entry, ECCN 3A904": an entry named by its subject, then its code)."""
    i = tech.end
    if i + 1 < len(doc) and doc[i].lower_ in _CODE_NOUNS - {"eccn"}:
        at = i + (2 if doc[i + 1].text == "," else 1)
        at += 1 if at < len(doc) and doc[at].lower_ == "eccn" else 0
        for ent in doc_ents(doc):
            if ent.label_ == "CONTROL_CODE" and ent.start in (at, at - 1):
                return ent
        return None
    if i + 1 >= len(doc) or doc[i].lower_ not in _IN_WORDS:
        return None
    for ent in doc_ents(doc):
        if ent.label_ != "CONTROL_CODE":
            continue
        if ent.start == i + 1 or ent.start == i + 2 and doc[i + 1].lower_ in _CODE_NOUNS:
            return ent
    return None


def licensed(doc: Doc, tech: Span) -> bool:
    """ "a licence is needed for quantum computers": the "for" of a licence requirement
    names what it controls, not a purpose."""
    return tech.start >= 2 and doc[tech.start - 2].lower_ in _LICENSING


def named_for(doc: Doc, tech: Span) -> Span | None:
    """The code a technology names as its entry's subject: "ECCN 4A906 for quantum computers",
    "a new entry, 3A904, for cryogenic cooling systems" (the code right before "for", past a
    comma). A "for" after other words is a purpose ("software for quantum computers")."""
    if tech.start < 2 or doc[tech.start - 1].lower_ != "for":
        return None
    before = doc[tech.start - 2] if doc[tech.start - 2].text != "," else doc[tech.start - 3] if tech.start > 2 else None
    for ent in doc_ents(doc):
        if ent.label_ == "CONTROL_CODE" and before is not None and ent.start <= before.i < ent.end:
            return ent
    return None


def _inside(sent: Span, ent: Span) -> bool:
    return sent.start <= ent.start < sent.end


#: a clause that speaks of the document itself ("by this notice", "the present Order")
_SELF = re.compile(
    r"\b(?:this|the present)\s+(?:notice|order|regulations?|rule|decree|act|instrument|ordinance|circular)\b", re.I
)


def _parenthesised_by(doc: Doc, tech: Span, codes: list) -> Span | None:
    """The code a technology names in parentheses right after it: "3A904 (cryogenic cooling)"."""
    for code in codes:
        if code is None or not (code.end <= tech.start <= code.end + 2):
            continue
        if doc[code.end].text == "(" and all(t.text != ")" for t in doc[code.end : tech.start]):
            return code
    return None


def _other_clause(text: str, sent: Span, code: Span, tech: Span, clause_codes: set[int]) -> bool:
    """A technology in another clause of the sentence than the code, when that clause names
    a code of its own, is that code's."""
    if not (_inside(sent, code) and _inside(sent, tech)):
        return False
    here = clause_index(text, tech.start_char - sent.start_char)
    if here == clause_index(text, code.start_char - sent.start_char):
        return False
    # "X are not controlled by this notice; Y has no match for ECCN 3A904": the document's own
    return here in clause_codes or bool(_SELF.search(clause_at(text, tech.start_char - sent.start_char)))


def prose_relations(st: DocumentState, block: Block, doc: Doc, purpose: set[str]) -> None:
    """ "ECCN 4A906 controls quantum computers ...": the code, the verb, the items. A
    sentence with the verb and no code speaks of the one entry its paragraph names (or the
    heading before it, ``carry_subject``), and of the technologies named with it."""
    subject = _one_code(st, doc)
    carried = st.carried if subject is None and not any(e.label_ == "CONTROL_CODE" for e in doc_ents(doc)) else None

    def techs_in(sent: Span) -> list[Span]:
        return [
            e
            for e in span_ents(sent)
            if e.label_ == "TECHNOLOGY"
            and not (e.start and doc[e.start - 1].lower_ in purpose and not licensed(doc, e) and not named_for(doc, e))
        ]

    known: set[str] | None = None
    for sent in _clauses(doc):
        codes = [e for e in span_ents(sent) if e.label_ == "CONTROL_CODE"]
        techs = techs_in(sent)
        if not codes and techs and st.jurisdiction and _BARE_NATIONAL.search(span_text(sent)):
            # "Quantum annealers are not caught by FX-4": a code the text named as an entry before
            if known is None:
                known = {e.id for e in st.out.entities if e.type == "ControlEntry"}
            codes = [doc[t.i : t.i + 1] for t in sent if f"{st.jurisdiction}:{t.text}" in known]
        if not codes and _speaks_of(subject, sent):
            codes = [subject]  # "The new entry appears to capture machines with 34 or more qubits"
            if subject.sent != sent and not NEGATION.search(span_text(sent)):
                techs = [*techs_in(subject.sent), *techs]
        _held_in(st, block, doc, sent, techs)
        verb = CONTROL_VERB.search(span_text(sent)) or (carried and st.carried_list and not codes)
        if not (codes or carried) or not verb or _CODED.search(span_text(sent)):
            continue  # codes with their subjects in parentheses pair themselves (``code_subjects``)
        span = (block.start + sent.start_char, block.start + sent.end_char)
        negated = bool(NEGATION.search(span_text(sent)))
        conf = hedged(span_text(sent), 0.8)
        entries, named = ([], []) if codes else ([carried], [None])
        for code in codes:
            where = code_jurisdiction(st, sent, code)
            entry = f"{where}:{code_text(code)}" if where else None
            if entry and entry not in entries:  # "What does item 5506 control? Item 5506 controls ..."
                entries.append(entry)
                named.append(code)
        text = span_text(sent)
        clause_codes = {clause_index(text, c.start_char - sent.start_char) for c in codes if _inside(sent, c)}
        pairs = respective([c for c in named if c is not None], techs) if None not in named else None
        for entry, code_span in zip(entries, named, strict=True):
            code = entry.split(":", 1)[1]
            kind = _PRODUCT_GROUP_KINDS.get(code[1:2]) if _ECCN.match(code) else None
            for tech in techs:
                bound = named_for(doc, tech) or held_in(doc, tech)
                if bound is not None and code_span is not None and bound.start != code_span.start:
                    continue  # "ECCN 4A906 for quantum computers and ECCN 3A901 for cryo-CMOS": each its own
                if pairs and pairs[code_span.start] is not tech:
                    continue  # "ECCNs X, Y and Z, which cover A, B and C": each its own
                owner = _parenthesised_by(doc, tech, named)
                if owner is not None and code_span is not None and owner.start != code_span.start:
                    continue  # "ECCN 3A904 (cryogenic cooling) or ECCN 3B904 (wafer probers)": each its own
                if code_span is not None and _other_clause(text, sent, code_span, tech, clause_codes):
                    continue  # "5506 covers quantum computers, yet ... ECCN 3A904": each its own
                if _inside(sent, tech) and clause_at(text, tech.start_char - sent.start_char).rstrip().endswith("?"):
                    continue  # "Are dilution refrigerators covered?" asks; the answer states
                s, e = block.start + tech.start_char, block.start + tech.end_char
                if kind:  # "ECCN 4E906 for technology for ... quantum computer components": know-how
                    st.entity("Technology", kind, s, e, 0.8, "sentence.product_group")
                denied = clause_negated(text, tech.start_char - sent.start_char) if _inside(sent, tech) else negated
                if (
                    denied
                    and _inside(sent, tech)
                    and NO_EQUIVALENT.search(clause_at(text, tech.start_char - sent.start_char))
                ):
                    # "Canada has no control matching ECCN 3A904 (cryogenic cooling)": the "no" is the
                    # missing counterpart's (``crossrefs.missing_counterparts``), not the entry's
                    denied = False
                st.relate(
                    "not_controlled" if denied else "controls",
                    entry,
                    "ControlEntry",
                    kind or tech.ent_id_,
                    "Technology",
                    s,
                    e,
                    conf,
                    "sentence.prose_control",
                    span,
                )
        # the one code's own clause decides: "4A906.a.1 covers machines of 34 or more qubits; the
        # heading's computers do not include annealers" states the limits of 4A906.a.1
        own = named[0] if len(named) == 1 and named[0] is not None and _inside(sent, named[0]) else None
        if own is not None:
            negated = clause_negated(text, own.start_char - sent.start_char)
        characteristic = [] if techs or negated or len(entries) != 1 else _characteristic(sent, doc)
        for tech, (s, e) in characteristic:  # "ECCN 3C907 covers epitaxial materials ... impurity below 0.08%"
            st.relate("controls", entries[0], "ControlEntry", tech, "Technology", block.start + s, block.start + e,
                      round(conf * 0.9, 3), "sentence.threshold_kind", span)  # fmt: skip
        if len(entries) == 1 and (techs or characteristic) and not negated:
            for t in doc.spans.get("thresholds", []):
                if sent.start_char <= t.start_char < sent.end_char and not (
                    own is not None and clause_negated(text, t.start_char - sent.start_char)
                ):
                    found = t._.threshold
                    s, e = block.start + found.start, block.start + found.end
                    st.entity(
                        "Threshold",
                        f"{entries[0]}/{found.parameter}{found.op}",
                        s,
                        e,
                        conf,
                        "thresholds",
                        threshold=found.to_json(),
                    )
                    st.relate(
                        "has_threshold",
                        entries[0],
                        "ControlEntry",
                        found.to_json(),
                        "Threshold",
                        s,
                        e,
                        conf,
                        "qharmony_thresholds_v1",
                        span,
                    )
