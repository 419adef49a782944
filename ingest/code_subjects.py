"""Entries a text names by code with their subject in parentheses, as guidance pages and
notices list them in running prose: "Items RQ-101 (quantum computers), RQ-102 (dilution
refrigerators) and RQ-103 (cryogenic wafer probers) need a licence". The code is an
entry of the document's own jurisdiction, and it controls the technology its
parenthesis names. Essays and alerts name entries too, but their facts stay claims."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from .code_lists import code_text
from .doc_cache import doc_ents, doc_text, span_sent
from .readers import Block
from .state import DocumentState, hedged
from .thresholds import find_thresholds

#: a national code of the shape lists use (RQ-101, SY-Q1, BD-7.1), then its subject
CODED = re.compile(r"\b(?P<code>[A-Z]{1,4}-[A-Z]?\d{1,4}(?:\.\d{1,3})*)\s*\((?P<subject>[^()]{3,80})\)")


#: an amendment that takes the entry out of the list: "Omit entry RX-14 (quantum sensors)",
#: "delete item RQ-3 (...)", "Item RQ-3 (...) is removed"; the entry no longer controls its subject
_REMOVED_BEFORE = re.compile(r"\b(?:[Oo]mit|[Dd]elet|[Rr]emov|[Rr]evok|[Rr]epeal|[Ss]trik)\w*\b[^.;]{0,40}$")
_REMOVED_AFTER = re.compile(r"\s*(?:is|are|shall be) (?:hereby )?(?:deleted|removed|omitted|revoked|repealed|struck)\b")


#: a lettered paragraph of an amending text that is an instruction on an entry it names: "(c) omit
#: entry K-4.7", "(a) in item 12 (...), for ... substitute ...", "(b) after entry 4 insert—"
_INSTRUCTION = re.compile(
    r"^\s*(?:\(?[a-z]{1,3}\)|\(?[ivx]{1,5}\)|[a-z][.)])?\s*(?:(?:in|after|before|for)\s+(?:entry|item|paragraph|heading)"
    r"\s+\S*\d|(?:omit|delete|remove|revoke|repeal|strike out|substitute|renumber|insert)\b)",
    re.I,
)


def amending_instruction(text: str) -> bool:
    """The paragraph instructs an amendment of an entry it names, opening no paragraph of one."""
    return bool(_INSTRUCTION.match(text))


def coded_subjects(st: DocumentState, block: Block, doc: Doc) -> bool:
    """True when the paragraph names such entries (it then speaks of them, not of the
    entry a heading opened before it)."""
    if not st.jurisdiction:
        return False
    found = False
    text = doc_text(doc)
    if "(" not in text:
        return False  # every rule here reads a parenthesis
    techs = [e for e in doc_ents(doc) if e.label_ == "TECHNOLOGY"]
    for m in CODED.finditer(text) if techs else ():
        inside = [t for t in techs if m.start("subject") <= t.start_char and t.end_char <= m.end("subject")]
        if not inside:
            continue  # "(see below)", "(2025)": not a subject
        entry = f"{st.jurisdiction}:{m.group('code')}"
        found = found or entry != st.entry
        s, e = block.start + m.start("code"), block.start + m.end("code")
        st.entity("ControlEntry", entry, s, e, 0.85, "regex.coded_subject", label=m.group("subject"))
        sentence_start = max(text.rfind(".", 0, m.start()), text.rfind(";", 0, m.start())) + 1
        removed = bool(_REMOVED_BEFORE.search(text[sentence_start : m.start()]) or _REMOVED_AFTER.match(text, m.end()))
        for tech in inside:
            ts, te = block.start + tech.start_char, block.start + tech.end_char
            st.entity("Technology", tech.ent_id_, ts, te, 0.9, "ruler.technology")
            st.relate("not_controlled" if removed else "controls", entry, "ControlEntry", tech.ent_id_, "Technology",
                      ts, te, hedged(text, 0.8), "regex.coded_subject", (block.start, block.end))  # fmt: skip
    entries = {f"{st.jurisdiction}:{m.group('code')}" for m in CODED.finditer(text)} if techs else set()
    if len(entries) == 1:
        _substituted(st, block, doc, entries.pop())
    _subject_then_code(st, block, doc)
    return found


#: an amendment by substitution: for "at least 50 physical qubits" substitute "at least 34 ..."
_SUBSTITUTE = re.compile(
    r"\b[Ff]or\s+[“\"‘'](?P<old>[^”\"’']{2,200})[”\"’']\s*,?\s+substitute\s+[“\"‘'](?P<new>[^”\"’']{2,200})[”\"’']"
)


def _substituted(st: DocumentState, block: Block, doc: Doc, entry: str) -> None:
    """ "in entry K-4.1 (quantum computers), for "at least 50 ..." substitute "at least 34 ...":
    the entry's threshold is the new figure; the replaced one is no longer its limit."""
    text = doc_text(doc)
    for m in _SUBSTITUTE.finditer(text):
        for found in find_thresholds(m.group("new")):  # the new words alone: the old figure is gone
            s, e = block.start + m.start("new") + found.start, block.start + m.start("new") + found.end
            conf = hedged(text, 0.8)
            st.entity("Threshold", f"{entry}/{found.parameter}{found.op}", s, e, conf, "thresholds",
                      threshold=found.to_json())  # fmt: skip
            st.relate("has_threshold", entry, "ControlEntry", found.to_json(), "Threshold", s, e, conf,
                      "regex.substitution", (block.start, block.end))  # fmt: skip


def _subject_then_code(st: DocumentState, block: Block, doc: Doc) -> None:
    """ "Quantum computers (ECCN 4A906)", "dilution refrigerators (entry FX-7)": a
    technology and, in the parenthesis right after it, the one code that lists it."""
    from .owners import code_jurisdiction

    text = doc_text(doc)
    ents = [e for e in doc_ents(doc) if e.label_ in ("TECHNOLOGY", "CONTROL_CODE")]
    for tech, code in zip(ents, ents[1:], strict=False):
        if tech.label_ != "TECHNOLOGY" or code.label_ != "CONTROL_CODE":
            continue
        between = text[tech.end_char : code.start_char]
        after = text[code.end_char : code.end_char + 2]
        if not re.fullmatch(r"\s*\((?:ECCN |[Ee]ntry |[Ii]tem )?", between) or not after.startswith(")"):
            continue
        sent = span_sent(code) if doc.has_annotation("SENT_START") else doc[:]
        where = code_jurisdiction(st, sent, code)
        if not where:
            continue
        entry = f"{where}:{code_text(code)}"
        ts, te = block.start + tech.start_char, block.start + tech.end_char
        st.relate("controls", entry, "ControlEntry", tech.ent_id_, "Technology", ts, te,
                  hedged(text, 0.8), "regex.subject_code", (block.start, block.end))  # fmt: skip
