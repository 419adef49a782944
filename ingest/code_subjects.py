"""Entries a text names by code with their subject in parentheses, as guidance pages and
notices list them in running prose: "Items RQ-101 (quantum computers), RQ-102 (dilution
refrigerators) and RQ-103 (cryogenic wafer probers) need a licence". The code is an
entry of the document's own jurisdiction, and it controls the technology its
parenthesis names. Essays and alerts name entries too, but their facts stay claims."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from .doc_cache import doc_ents, doc_text
from .readers import Block
from .state import DocumentState, hedged

#: a national code of the shape lists use (RQ-101, SY-Q1, BD-7.1), then its subject
_CODED = re.compile(r"\b(?P<code>[A-Z]{1,4}-[A-Z]?\d{1,4}(?:\.\d{1,3})*)\s*\((?P<subject>[^()]{3,80})\)")


def coded_subjects(st: DocumentState, block: Block, doc: Doc) -> bool:
    """True when the paragraph names such entries (it then speaks of them, not of the
    entry a heading opened before it)."""
    if not st.jurisdiction:
        return False
    found = False
    text = doc_text(doc)
    techs = [e for e in doc_ents(doc) if e.label_ == "TECHNOLOGY"] if "(" in text else []
    for m in _CODED.finditer(text) if techs else ():
        inside = [t for t in techs if m.start("subject") <= t.start_char and t.end_char <= m.end("subject")]
        if not inside:
            continue  # "(see below)", "(2025)": not a subject
        entry = f"{st.jurisdiction}:{m.group('code')}"
        found = found or entry != st.entry
        s, e = block.start + m.start("code"), block.start + m.end("code")
        st.entity("ControlEntry", entry, s, e, 0.85, "regex.coded_subject", label=m.group("subject"))
        for tech in inside:
            ts, te = block.start + tech.start_char, block.start + tech.end_char
            st.entity("Technology", tech.ent_id_, ts, te, 0.9, "ruler.technology")
            st.relate("controls", entry, "ControlEntry", tech.ent_id_, "Technology", ts, te,
                      hedged(text, 0.8), "regex.coded_subject", (block.start, block.end))  # fmt: skip
    return found
