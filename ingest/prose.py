"""Mentions in running prose, where no header or section structure says what a sentence
is about: the jurisdictions, technologies, arrangements, codes, instruments, country
groups, dates and defined authorities a text names, each with its span. What a sentence
says an entry controls is ``prose_controls``."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from qharmony.ontology.namespaces import slug

from .authorities import authorities
from .citations import COMMISSION_DOCUMENT, block_citations
from .code_lists import code_text
from .country_groups import named_groups, us_groups
from .dates import find_dates
from .doc_cache import doc_ents, doc_text, span_sent
from .genres.national import national_citations
from .genres.own_state import own_series
from .licences import named_exceptions
from .owners import code_jurisdiction
from .readers import Block
from .records import Pointer
from .state import DocumentState
from .titles import titled_instruments


def mentions(st: DocumentState, block: Block, doc: Doc) -> None:
    """Everything the text names is an entity mention, with its span."""
    sentences = None  # whether the doc has sentence starts: asked once, not once per code
    for ent in doc_ents(doc):
        s, e = block.start + ent.start_char, block.start + ent.end_char
        if ent.label_ == "JURISDICTION":
            st.entity("Jurisdiction", ent.ent_id_, s, e, 0.9, "ruler.mention")
        elif ent.label_ == "TECHNOLOGY":
            st.entity("Technology", ent.ent_id_, s, e, 0.9, "ruler.mention")
        elif ent.label_ == "TREATY":
            st.entity("Treaty", ent.ent_id_, s, e, 0.9, "ruler.mention")
        elif ent.label_ == "CONTROL_CODE":
            if sentences is None:
                sentences = doc.has_annotation("SENT_START")
            sent = span_sent(ent) if sentences else doc[:]
            where = code_jurisdiction(st, sent, ent)
            if where:
                code = f"{where}:{code_text(ent)}"
                st.entity("ControlEntry", code, s, e, 0.85, "ruler.code")
                _kind_word(st, block, doc, ent, code)
    text = doc_text(doc)
    authorities(st, block, text)
    _named_instruments(st, block, text)
    for c in block_citations(doc, own_series(st)):
        if c.ident != st.instrument:  # "Annex I to Regulation (EU) 2021/821": named in passing
            s, e = block.start + c.start, block.start + c.end
            st.entity("Instrument", c.ident, s, e, 0.8, "citation.mention", label=c.words, citation=c.words)
            if COMMISSION_DOCUMENT.match(c.ident):  # "C(2023) 441", "COM(2024) 25 final": the Commission's
                st.relate("issued_by", c.ident, "Instrument", "european-commission", "Authority", s, e, 0.8,
                          "citation.commission_document")  # fmt: skip
    named_exceptions(st, block, text, doc)
    for s, e, name in us_groups(text):  # the EAR's shape is the US's in any text
        st.entity("CountryGroup", f"US:{name}", block.start + s, block.start + e, 0.9, "regex.country_group")
    for s, e, name in named_groups(text) if st.jurisdiction else ():
        ident = f"{st.jurisdiction}:{slug(name)}"
        st.entity("CountryGroup", ident, block.start + s, block.start + e, 0.85, "regex.named_group", label=name)
    for day, s, e in find_dates(text):
        st.entity("Date", day.isoformat(), block.start + s, block.start + e, 0.85, "dates.mention")


def _named_instruments(st: DocumentState, block: Block, text: str) -> None:
    """Instruments a block names by title are entity mentions (``titles``). The document's
    own instrument is labelled by its own title line, not by the short title its text
    cites it by ("may be cited as the ... Regulations 2024"): one label per instrument. A
    citation in a state's numbered series is that state's, in any of its texts."""
    for s, e, ident, title, rule in titled_instruments(st, text, remember=True):
        if ident == st.instrument:
            continue
        conf = 0.85 if rule == "title.citation" else 0.8
        st.entity("Instrument", ident, block.start + s, block.start + e, conf, rule, label=title)
    # a state's numbered series ("Notice to Exporters No. 1129", "Decree 31 of 2026") in any text
    # of that state; the US cites its law by FR page and CFR part (a "General Order No. 6" is a
    # paragraph of 15 CFR 736, not an instrument of its own)
    if st.jurisdiction not in (None, "", "US") and not getattr(st.profile, "claims_only", False):
        for s, e, ident, words in national_citations(st.jurisdiction, text):
            if ident != st.instrument:
                st.entity("Instrument", ident, block.start + s, block.start + e, 0.8, "national.cited", label=words)


#: "4D906 software", "4E906 technology": the product group's word after its code
_KIND_WORDS = {("D", "software"): "quantum_software", ("E", "technology"): "quantum_technology_knowhow"}
_ECCN_SHAPE = re.compile(r"\d[A-E]\d{3}")


def _kind_word(st: DocumentState, block: Block, doc: Doc, ent: Span, code: str) -> None:
    """A software or technology entry named with its kind ("releases of 4E906
    technology"): that is quantum software or know-how when the entry controls it, which
    another document of the build may say (``pointers.resolve``)."""
    raw = ent[-1].text
    if raw[1:2] not in ("D", "E") or ent.end >= len(doc) or not _ECCN_SHAPE.match(raw):
        return  # only an ECCN of group D or E has a kind word
    word = doc[ent.end]
    kind = _KIND_WORDS.get((raw[1:2], word.lower_))
    if kind:
        s, e = block.start + word.idx, block.start + word.idx + len(word.text)
        st.out.pointers.append(Pointer(code, (code,), (kind,), s, e, 0.85, "mention.kind", (s, e)))


def threshold_mentions(st: DocumentState, block: Block, doc: Doc) -> None:
    """Thresholds named outside any entry are still entity mentions."""
    for t in doc.spans.get("thresholds", []):
        found = t._.threshold
        st.entity(
            "Threshold",
            f"?/{found.parameter}{found.op}",
            block.start + found.start,
            block.start + found.end,
            0.8,
            "thresholds.mention",
            threshold=found.to_json(),
        )
