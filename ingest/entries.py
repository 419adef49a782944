"""Control entries from a list's structure: a heading opens an entry, lettered
paragraphs and table rows refine it and take their full id from it (``a.1`` under
4A906 is 4A906.a.1), and the notes after the items speak about the entry or the
paragraph they name. A threshold belongs to the paragraph it sits in.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from qharmony.ontology.namespaces import slug

from . import eccn
from .country_groups import US_GROUP, US_GROUP_LIST
from .crossrefs import correspondences
from .doc_cache import doc_ents, doc_sents, doc_text, span_text
from .parameters import characteristic_parameters
from .preamble import REASONS
from .prose_controls import licensed
from .readers import Block
from .readers.base import LEAD_LINE
from .records import Pointer
from .state import NEGATION, DocumentState, hedged
from .thresholds import Threshold

#: In list codes such as 4E906 the second character is the product group: D is
#: software and E technology, so such an entry controls only those kinds.
_GROUP_KINDS = {"D": {"quantum_software"}, "E": {"quantum_technology_knowhow"}}
_KIND_WORD = re.compile(r"\b(?:software|technology)\b", re.I)
_CODE_LEAD = re.compile(
    r"^(?:(?:ECCN|Entry|Item|Control entry)\s+)?(?P<code>\d[A-E]\d{3}|PL\d{4}|\d{4})\b[\s:.-]*(?P<rest>.*)$", re.S
)
_RESERVED = re.compile(r"^\s*(?:(?:through|to) [a-z](?:\.\d+)*\.?\s*)?\[Reserved\]", re.I)
#: A heading for an entry whose list number the source did not give.
#: Parameters a text can name without giving a value.
_NAMED_PARAMETERS = {  # only read in entries that control a technology
    "cnot_error": re.compile(r"\b(?:C-?NOT |gate )?error(?: rate)?s?\b", re.I),
    "cooling_power": re.compile(r"\bcooling power\b", re.I),
}
#: Words that make a later technology mention the purpose of an earlier one.
PURPOSE = {"for", "in"}
_UNCODED = re.compile(r"\s*\((?:entry )?code not verified\)\s*$", re.I)
_REASON_CODES = re.compile(r"\b(" + "|".join(k for k in REASONS if k.isupper()) + r")\b")


def open_entry(st: DocumentState, block: Block, doc: Doc, lead: re.Match | None = None) -> None:
    """A heading (or, with ``lead``, a line of a list) that opens an entry."""
    match = lead or _CODE_LEAD.match(doc_text(doc))
    heading_lead = None
    if match is None and block.kind == "heading":
        # a heading led by a code of another shape ("## RQ-101 Quantum computers"): set
        # apart as a heading, it needs no list to introduce it
        heading_lead = match = LEAD_LINE.match(doc_text(doc))
    st.items.clear()
    st.entry = None
    st.entry_from_line = lead is not None
    st.numbered = None
    st.entry_list = bool(_OPENS_LIST.search(doc_text(doc)))
    if not st.jurisdiction or not st.instrument:
        return
    if match:
        code = match.group("code")
        st.entry = f"{st.jurisdiction}:{code}"
        label = (doc_text(doc)[match.end() :] if lead or heading_lead else match.group("rest")).strip() or code
        s, e = block.start + match.start("code"), block.start + match.start("code") + len(code)
        st.entity("ControlEntry", st.entry, s, e, 0.95, "line.code" if lead else "heading.code", label=label, code=code)
    elif _UNCODED.search(doc_text(doc)) and (st.control_list or st.fields):
        # named by its subject, never by an invented number
        label = _UNCODED.sub("", doc_text(doc)).strip()
        st.entry = f"{st.jurisdiction}:[{slug(label).lower()}]"
        s, e = block.start, block.start + len(label)
        st.entity("ControlEntry", st.entry, s, e, 0.9, "heading.uncoded", label=label)
    else:
        return
    _entry_links(st, st.entry, s, e, 0.9)
    for reason, rs, re_ in st.reasons:
        st.relate(
            "reason_for_control", st.entry, "ControlEntry", reason, "ReasonForControl", rs, re_, 0.9, "field.reasons"
        )
    # an entry known only by its subject ("(entry code not verified)") is itself unverified
    uncoded = st.entry.split(":", 1)[1].startswith("[")
    techs = _technologies(st, doc, block, st.entry, 0.75 if uncoded else 0.9, "heading.technology")
    techs += _referenced_kinds(st, doc_text(doc), st.entry, s, e, 0.85, block.start)
    st.entry_tech[st.entry] = techs
    st.section = None
    if lead:  # a line of a list states the entry's limits and its counterparts itself
        _thresholds(st, doc, block, st.entry, 0.9, (block.start, block.end))
        correspondences(st, block, doc, st.entry)
    elif techs and not st.entry_list:
        # a heading that is the whole entry ("7A103 Parametric signal amplifiers with a noise
        # figure below 0.02 dB"), not one that opens a list of items, states its limits
        _thresholds(st, doc, block, st.entry, 0.9, (block.start, block.end))


def _referenced_kinds(st: DocumentState, text: str, entry: str, s: int, e: int, conf: float, at: int) -> list[str]:
    """Software (D) and technology (E) entries "for the development or production of
    items controlled by 4A906.b" are quantum software or know-how when an entry they
    point to controls a quantum technology; entries they except do not count."""
    code = entry.split(":", 1)[-1]
    kinds = _GROUP_KINDS.get(code[1]) if re.match(r"\d[A-E]\d{3}", code) else None
    if not kinds:
        return []
    targets = [f"{st.jurisdiction}:{ref}" for ref in eccn.references(text)]
    targets = [t for t in targets if t != entry]
    for target in targets:
        if not st.entry_tech.get(target):
            continue  # a whole entry counts only when it, not one of its items, is quantum
        for kind in sorted(kinds):
            st.relate("controls", entry, "ControlEntry", kind, "Technology", s, e, conf, "structure.reference")
        return sorted(kinds)
    if targets:  # entries of another document (4D906 "for the commodities in 4A906.b")
        word = _KIND_WORD.search(text)
        mention = (at + word.start(), at + word.end()) if word else None
        st.out.pointers.append(
            Pointer(entry, tuple(targets), tuple(sorted(kinds)), s, e, conf, "structure.reference", mention)
        )
    return []


def _entry_links(st: DocumentState, entry: str, s: int, e: int, conf: float) -> None:
    """An entry is part of the instrument that defines it; an agency's guidance page
    explains a rule's entries and defines none."""
    if getattr(st.profile, "genre", "") == "guidance":
        return
    st.relate("part_of", entry, "ControlEntry", st.instrument, "Instrument", s, e, conf, "structure.section")
    if st.control_list:
        st.relate("in_list", entry, "ControlEntry", st.control_list, "ControlList", s, e, conf, "structure.section")


def _technologies(st: DocumentState, doc: Doc, block: Block, subject: str, conf: float, rule: str) -> list[str]:
    found: list[str] = []
    named = [e for e in doc_ents(doc) if e.label_ == "TECHNOLOGY"]
    if not named:
        return found  # most items name no technology: no sentence of theirs is read
    for sent in doc_sents(doc):
        in_sentence = [e for e in named if sent.start <= e.start < sent.end]
        if not in_sentence:
            continue
        span = (block.start + sent.start_char, block.start + sent.end_char)
        if eccn.is_pointer(span_text(sent)):
            continue  # "For parametric amplifiers ..., see ECCN 3A901.b": covered there
        negated = bool(NEGATION.search(span_text(sent)))
        scope = eccn.scope_note(span_text(sent)) if negated else None
        code = subject.split(":", 1)[-1]
        allowed = _GROUP_KINDS.get(code[1]) if re.match(r"\d[A-E]\d{3}", code) else None
        for ent in in_sentence:
            s, e = block.start + ent.start_char, block.start + ent.end_char
            st.entity("Technology", ent.ent_id_, s, e, 0.95, "ruler.technology", span)
            if allowed is not None and ent.ent_id_ not in allowed:
                continue
            if ent.start and doc[ent.start - 1].lower_ in PURPOSE and not licensed(doc, ent):
                continue  # "circuits used in quantum computers": a purpose, not a control
            rel = "not_controlled" if negated else "controls"
            qualifier = eccn.scope_words(scope, ent.text) if scope else ""
            st.relate(
                rel,
                subject,
                "ControlEntry",
                ent.ent_id_,
                "Technology",
                s,
                e,
                hedged(_UNCODED.sub("", span_text(sent)), conf),
                "note.scope" if qualifier else rule,
                span,
                qualifier,
            )
            if not negated and ent.ent_id_ not in found:
                found.append(ent.ent_id_)
    return found


#: an entry line or heading that opens a list of its own: "Quantum technologies:", "as follows"
_OPENS_LIST = re.compile(r"(?::|\bas follows\W*|\bthe following\W*)\s*$", re.I)
#: "1. Quantum computers, as follows:": a numbered paragraph of an entry's list
_NUMBERED = re.compile(r"^\s*\(?(?P<n>\d{1,2})[.)]\s+(?=\S)")


def numbered_item(st: DocumentState, text: str) -> Block | None:
    """A numbered paragraph that is an item of the open entry (Canadian drafting: "5506.
    ...: 1. Quantum computers, as follows: a. ..."): only inside an entry whose line
    opened a list, numbered from 1 in order, so that the numbered sections of an order
    ("2 The List is amended ...") and notes are never read as items. Its letters nest
    under it (``7706.1.a``)."""
    m = _NUMBERED.match(text) if st.entry and st.entry_list else None
    if not m:
        return None
    expected = str(int(st.numbered) + 1) if st.numbered else "1"
    if m.group("n") != expected:
        return None
    return Block("item", 0, 0, level=1, label=m.group("n"))


def item(st: DocumentState, block: Block, doc: Doc, found_here: list[Threshold] | None = None) -> str | None:
    """A lettered paragraph (or a table row led by its letter path) of the open entry;
    returns its id."""
    if not st.entry or _RESERVED.match(doc_text(doc)):
        return None  # "f. through y. [Reserved]" opens no paragraph
    st.section = "items" if st.section else None  # lettered paragraphs are the items, whatever came before
    if block.label.isdigit():
        st.numbered = block.label
    elif st.numbered and block.label[:1].isalpha():  # "a." under "1.": 7706.1.a
        block = Block(block.kind, block.start, block.end, block.level + 1, f"{st.numbered}.{block.label}")
    base = _base_code(st)
    parent = st.items.get(block.level - 1, f"{st.jurisdiction}:{base}")
    code = f"{base}.{block.label}"
    entry = f"{st.jurisdiction}:{code}"
    st.items[block.level] = entry
    for deeper in [k for k in st.items if k > block.level]:
        del st.items[deeper]
    text = doc_text(doc)
    s, e = block.start, block.end
    conf = hedged(text, 0.9)
    st.entity(
        "ControlEntry", entry, s, e, conf, "item.code", label=text[:160], code=code, combines=eccn.combination(text)
    )
    _entry_links(st, entry, s, e, conf)
    st.relate("broader", entry, "ControlEntry", parent, "ControlEntry", s, e, conf, "structure.item")
    techs = _technologies(st, doc, block, entry, 0.9, "item.technology")
    techs += _referenced_kinds(st, text, entry, s, e, 0.85, block.start)
    techs += _characteristic(st, doc, block, entry, techs, conf)
    if not techs:
        techs = list(st.entry_tech.get(parent, []))
        for tech in techs:
            st.relate(
                "controls", entry, "ControlEntry", tech, "Technology", s, e, round(conf * 0.95, 3), "item.inherited"
            )
    else:
        _roll_up(st, entry, techs, s, e, conf)
    st.entry_tech[entry] = techs
    _thresholds(st, doc, block, entry, conf, (s, e), found_here)
    correspondences(st, block, doc, entry)
    return entry


def _base_code(st: DocumentState) -> str:
    """The code of the open entry that its paragraphs extend: 4A906 for 4A906.a, and a
    national code as a whole (Q-1.01, whose dot is part of the code)."""
    code = st.entry.split(":", 1)[1]
    return code.split(".")[0] if re.match(r"\d[A-E]\d{3}|PL\d{4}|\d{4}\b", code) else code


def _characteristic(st: DocumentState, doc: Doc, block: Block, entry: str, techs: list[str], conf: float) -> list[str]:
    """A threshold on a parameter that identifies a technology (an isotopic impurity
    limit identifies an isotopically enriched material) names it when the text does not."""
    if techs:
        return []
    named = characteristic_parameters()
    found = []
    for span in doc.spans.get("thresholds", []):
        tech = named.get(span._.threshold.parameter)
        if tech and tech not in found:
            found.append(tech)
            s, e = block.start + span._.threshold.start, block.start + span._.threshold.end
            conf_kind = round(conf * 0.9, 3)
            st.relate("controls", entry, "ControlEntry", tech, "Technology", s, e, conf_kind, "threshold.kind")
    return found


def _thresholds(
    st: DocumentState,
    doc: Doc,
    block: Block,
    entry: str,
    conf: float,
    sentence: tuple[int, int],
    found_here: list[Threshold] | None = None,
) -> None:
    """A threshold belongs to the item (or entry paragraph) it sits in. A parameter
    the text names without a value ("a low error rate") marks the entry's thresholds
    as incomplete, so no comparison treats the missing limit as no limit.
    ``found_here``: the thresholds read otherwise (a table row's, under its column heads)."""
    if found_here is None:
        found_here = [span._.threshold for span in doc.spans.get("thresholds", [])]
    stated = {t.parameter for t in found_here}
    for parameter, rx in _NAMED_PARAMETERS.items() if st.entry_tech.get(entry) else ():
        match = rx.search(doc_text(doc))
        if match and parameter not in stated:
            st.relate(
                "thresholds_incomplete",
                entry,
                "ControlEntry",
                parameter,
                "Parameter",
                block.start + match.start(),
                block.start + match.end(),
                conf,
                "sentence.unstated_parameter",
                sentence,
            )
    for found in found_here:
        ts, te = block.start + found.start, block.start + found.end
        st.entity(
            "Threshold", f"{entry}/{found.parameter}{found.op}", ts, te, conf, "thresholds", threshold=found.to_json()
        )
        st.relate(
            "has_threshold",
            entry,
            "ControlEntry",
            found.to_json(),
            "Threshold",
            ts,
            te,
            conf,
            "qharmony_thresholds_v1",
            sentence,
        )


def entry_paragraph(st: DocumentState, block: Block, doc: Doc) -> None:
    """A paragraph inside an entry: a section label ("Related Controls: ..."), or
    a note about the entry or one of its paragraphs. Pointer sections name other
    entries; notes carry scope and naming; thresholds sit in the items, so a note's
    numbers (those of an exclusion, say) are not the entry's limits."""
    named = eccn.section(doc_text(doc))
    if named:
        st.section = named
        if named == "reasons":
            for m in _REASON_CODES.finditer(doc_text(doc)):
                s, e = block.start + m.start(), block.start + m.end()
                st.relate(
                    "reason_for_control", st.entry, "ControlEntry", REASONS[m.group(1)], "ReasonForControl", s, e, 0.9,
                    "section.reasons",
                )  # fmt: skip
    if st.section == "license_exceptions":
        _exception_lines(st, block, doc)
    if st.section in eccn.POINTER_SECTIONS:
        return
    subject = st.entry
    code = eccn.subject_code(doc_text(doc))
    base = _base_code(st)
    if code and code.split(".")[0] == base:
        subject = f"{st.jurisdiction}:{code}"
    techs = _technologies(st, doc, block, subject, 0.85, "note.technology" if st.section else "sentence.technology")
    if techs and subject not in st.entry_tech:
        st.entry_tech[subject] = techs
    if techs and subject != st.entry:
        _roll_up(st, subject, techs, block.start, block.end, 0.85)
    if st.section is None:
        _thresholds(st, doc, block, st.entry, hedged(doc_text(doc), 0.85), (block.start, block.end))
    correspondences(st, block, doc, st.entry)


def _roll_up(st: DocumentState, entry: str, techs: list[str], s: int, e: int, conf: float) -> None:
    """What a paragraph controls, its entry controls: 3A901.b controls parametric
    amplifiers, so ECCN 3A901 does (as the list's readers say)."""
    base = st.entry if st.entry and entry.startswith(st.entry + ".") else entry.split(".", 1)[0]
    if base == entry:
        return
    # kept apart from what the entry's own text controls, so that a software entry
    # "for items controlled by 5A002" does not become quantum through 5A002.c
    known = st.rolled_up.setdefault(base, list(st.entry_tech.get(base, [])))
    for tech in techs:
        if tech not in known:
            known.append(tech)
            st.relate(
                "controls", base, "ControlEntry", tech, "Technology", s, e, round(conf * 0.95, 3), "structure.rollup"
            )


_EXCEPTION_LINE = re.compile(r"^(?P<code>[A-Z]{3}):\s*(?P<value>.*)$", re.M)
_NOT_AVAILABLE = re.compile(r"^\s*(?:N/?A|No)\b", re.I)


def _exception_lines(st: DocumentState, block: Block, doc: Doc) -> None:
    """ "IEC: Yes, see § 740.24", "STA: ... Country Group A:5 or A:6": the licence
    exceptions an entry names (N/A lines name none) and the country groups they cite."""
    text = doc_text(doc)
    for m in _EXCEPTION_LINE.finditer(text):
        if _NOT_AVAILABLE.match(m.group("value")):
            continue
        ident = f"{st.jurisdiction}:{m.group('code')}"
        start = block.start + m.start("code")
        st.entity("LicenseException", ident, start, start + 3, 0.85, "section.license_exception", label=m.group("code"))
    for m in US_GROUP_LIST.finditer(text):
        for g in US_GROUP.finditer(m.group("list")):
            start = block.start + m.start("list") + g.start()
            st.entity(
                "CountryGroup", f"{st.jurisdiction}:{g.group()}", start, start + len(g.group()), 0.9, "section.groups"
            )
