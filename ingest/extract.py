"""Turn a read document into entities and relations, using the spaCy pipeline and
the document's structure: header fields name the instrument, section headings open
control entries, and lettered items refine them (a threshold belongs to the item it
sits in).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from qharmony.ontology.namespaces import slug

from .crossrefs import arrangement_sentences, correspondences
from .preamble import FIELD_ALIASES, arrangement, finish_preamble
from .prose import mentions, prose_relations, remember_jurisdiction, threshold_mentions
from .readers import Block, SourceText
from .records import Extraction
from .walk import NEGATION, DocumentState, hedged

_ELIGIBLE = re.compile(r"\beligib", re.I)
_NOT_ELIGIBLE = re.compile(r"\bnot eligible\b|\bineligible\b|\bexcluded\b", re.I)
#: In list codes such as 4E906 the second character is the product group: D is
#: software and E technology, so such an entry controls only those kinds.
_GROUP_KINDS = {"D": {"quantum_software"}, "E": {"quantum_technology_knowhow"}}
_CODE_LEAD = re.compile(
    r"^(?:(?:ECCN|Entry|Item|Control entry)\s+)?(?P<code>\d[A-E]\d{3}|PL\d{4}|\d{4})\b[\s:.-]*(?P<rest>.*)$"
)
#: A heading for an entry whose list number the source did not give.
_EXCEPT = re.compile(r"\ball (?:other )?destinations? (?:except|other than|apart from)\b", re.I)
#: Parameters a text can name without giving a value.
_NAMED_PARAMETERS = {
    "cnot_error": re.compile(r"\b(?:C-?NOT |gate )?error(?: rate)?s?\b", re.I),
    "cooling_power": re.compile(r"\bcooling power\b", re.I),
}
#: Words that make a later technology mention the purpose of an earlier one.
_PURPOSE = {"for", "in"}
_UNCODED = re.compile(r"\s*\((?:entry )?code not verified\)\s*$", re.I)


def _open_entry(st: DocumentState, block: Block, doc: Doc) -> None:
    match = _CODE_LEAD.match(doc.text)
    st.items.clear()
    st.entry = None
    if not st.jurisdiction or not st.instrument:
        return
    if match:
        code = match.group("code")
        st.entry = f"{st.jurisdiction}:{code}"
        label = match.group("rest").strip() or code
        s, e = block.start + match.start("code"), block.start + match.start("code") + len(code)
        st.entity("ControlEntry", st.entry, s, e, 0.95, "heading.code", label=label, code=code)
    elif _UNCODED.search(doc.text) and st.control_list:
        # named by its subject, never by an invented number
        label = _UNCODED.sub("", doc.text).strip()
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
    techs = _technologies(st, doc, block, st.entry, 0.9, "heading.technology")
    st.entry_tech[st.entry] = techs


def _entry_links(st: DocumentState, entry: str, s: int, e: int, conf: float) -> None:
    st.relate("part_of", entry, "ControlEntry", st.instrument, "Instrument", s, e, conf, "structure.section")
    if st.control_list:
        st.relate("in_list", entry, "ControlEntry", st.control_list, "ControlList", s, e, conf, "structure.section")


def _technologies(st: DocumentState, doc: Doc, block: Block, subject: str, conf: float, rule: str) -> list[str]:
    found = []
    for sent in doc.sents:
        span = (block.start + sent.start_char, block.start + sent.end_char)
        negated = bool(NEGATION.search(sent.text))
        in_sentence = [e for e in doc.ents if e.label_ == "TECHNOLOGY" and sent.start <= e.start < sent.end]
        code = subject.split(":", 1)[-1]
        allowed = _GROUP_KINDS.get(code[1]) if re.match(r"\d[A-E]\d{3}", code) else None
        for ent in in_sentence:
            s, e = block.start + ent.start_char, block.start + ent.end_char
            st.entity("Technology", ent.ent_id_, s, e, 0.95, "ruler.technology", span)
            if allowed is not None and ent.ent_id_ not in allowed:
                continue
            if ent.start and doc[ent.start - 1].lower_ in _PURPOSE:
                continue  # "circuits used in quantum computers": a purpose, not a control
            rel = "not_controlled" if negated else "controls"
            st.relate(
                rel,
                subject,
                "ControlEntry",
                ent.ent_id_,
                "Technology",
                s,
                e,
                hedged(_UNCODED.sub("", sent.text), conf),
                rule,
                span,
            )
            if not negated and ent.ent_id_ not in found:
                found.append(ent.ent_id_)
    return found


def _item(st: DocumentState, block: Block, doc: Doc) -> None:
    if not st.entry:
        return
    base = st.entry.split(":", 1)[1].split(".")[0]
    parent = st.items.get(block.level - 1, f"{st.jurisdiction}:{base}")
    code = f"{base}.{block.label}"
    entry = f"{st.jurisdiction}:{code}"
    st.items[block.level] = entry
    for deeper in [k for k in st.items if k > block.level]:
        del st.items[deeper]
    text = doc.text
    s, e = block.start, block.end
    conf = hedged(text, 0.9)
    st.entity("ControlEntry", entry, s, e, conf, "item.code", label=text[:160], code=code)
    _entry_links(st, entry, s, e, conf)
    st.relate("broader", entry, "ControlEntry", parent, "ControlEntry", s, e, conf, "structure.item")
    techs = _technologies(st, doc, block, entry, 0.9, "item.technology")
    if not techs:
        techs = list(st.entry_tech.get(parent, []))
        for tech in techs:
            st.relate(
                "controls", entry, "ControlEntry", tech, "Technology", s, e, round(conf * 0.95, 3), "item.inherited"
            )
    st.entry_tech[entry] = techs
    _thresholds(st, doc, block, entry, conf, (s, e))
    correspondences(st, block, doc, entry)


def _thresholds(st: DocumentState, doc: Doc, block: Block, entry: str, conf: float, sentence: tuple[int, int]) -> None:
    """A threshold belongs to the item (or entry paragraph) it sits in. A parameter
    the text names without a value ("a low error rate") marks the entry's thresholds
    as incomplete, so no comparison treats the missing limit as no limit."""
    stated = {span._.threshold.parameter for span in doc.spans.get("thresholds", [])}
    for parameter, rx in _NAMED_PARAMETERS.items():
        match = rx.search(doc.text)
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
    for span in doc.spans.get("thresholds", []):
        found = span._.threshold
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


def _paragraph(st: DocumentState, block: Block, doc: Doc) -> None:
    if st.entry:
        _technologies(st, doc, block, st.entry, 0.85, "sentence.technology")
        _thresholds(st, doc, block, st.entry, hedged(doc.text, 0.85), (block.start, block.end))
        correspondences(st, block, doc, st.entry)
        _unverified_code(st, block, doc)
        return
    if st.arrangement:
        arrangement_sentences(st, block, doc)
        return
    if st.instrument and not st.exception:
        _exemptions(st, block, doc)
    if not st.exception:
        prose_relations(st, block, doc, _PURPOSE)
        threshold_mentions(st, block, doc)
    if st.exception:
        for sent in doc.sents:
            if not _ELIGIBLE.search(sent.text) or _NOT_ELIGIBLE.search(sent.text):
                continue
            span = (block.start + sent.start_char, block.start + sent.end_char)
            for ent in doc.ents:
                if ent.label_ == "JURISDICTION" and sent.start <= ent.start < sent.end:
                    s, e = block.start + ent.start_char, block.start + ent.end_char
                    st.entity("Jurisdiction", ent.ent_id_, s, e, 0.9, "ruler.jurisdiction", span)
                    st.relate(
                        "eligible_destination",
                        st.exception,
                        "LicenseException",
                        ent.ent_id_,
                        "Jurisdiction",
                        s,
                        e,
                        hedged(sent.text, 0.85),
                        "sentence.eligible",
                        span,
                    )


_CODE_UNVERIFIED = re.compile(r"\bcode\b[^.;]*\bnot (?:been )?verified\b|\bcode\b[^.;]*\bunverified\b", re.I)


def _unverified_code(st: DocumentState, block: Block, doc: Doc) -> None:
    """ "The code comes from a UK mirror and was not verified": the open entry's code
    is a lead, not a fact; it is kept, and flagged wherever the entry is cited."""
    if not st.entry:
        return
    for sent in doc.sents:
        if _CODE_UNVERIFIED.search(sent.text):
            span = (block.start + sent.start_char, block.start + sent.end_char)
            st.relate(
                "code_unverified", st.entry, "ControlEntry", "false", "Boolean", *span, 0.9, "sentence.code", span
            )


def _exemptions(st: DocumentState, block: Block, doc: Doc) -> None:
    """ "Permits are needed for all destinations except the United States": the
    instrument exempts that destination, a favourable treatment."""
    for sent in doc.sents:
        match = _EXCEPT.search(sent.text)
        if not match:
            continue
        span = (block.start + sent.start_char, block.start + sent.end_char)
        after = sent.start_char + match.end()
        for ent in sent.ents:
            if ent.label_ == "JURISDICTION" and ent.start_char >= after - 1:
                s, e = block.start + ent.start_char, block.start + ent.end_char
                st.entity("Jurisdiction", ent.ent_id_, s, e, 0.9, "ruler.jurisdiction", span)
                st.relate(
                    "exempt_destination",
                    st.instrument,
                    "Instrument",
                    ent.ent_id_,
                    "Jurisdiction",
                    s,
                    e,
                    hedged(sent.text, 0.85),
                    "sentence.exempt",
                    span,
                )


def _walk(st: DocumentState, blocks: Iterable[tuple[Block, Doc]]) -> None:
    for block, doc in blocks:
        if block.kind == "field":
            name = FIELD_ALIASES.get(block.name.lower())
            if name:
                st.fields[name] = (block, doc)
                continue
            # "Note: ..." or "Client alert: ..." is text, not a header we know
            block = Block("paragraph", block.start, block.end)
        finish_preamble(st)
        arrangement(st)
        mentions(st, block, doc)
        _block(st, block, doc)
        remember_jurisdiction(st, doc)
    finish_preamble(st)
    arrangement(st)


def _block(st: DocumentState, block: Block, doc: Doc) -> None:
    if block.kind == "heading":
        if block.level == 1:
            st.out.title = st.out.title or doc.text
        else:
            _open_entry(st, block, doc)
    elif block.kind == "item":
        _item(st, block, doc)
    else:
        _paragraph(st, block, doc)


def extract_documents(sources: Iterable[SourceText], nlp: Language, batch_size: int = 64) -> Iterator[Extraction]:
    """Extract from many documents through one ``nlp.pipe`` stream, in order."""
    sources = list(sources)

    def stream():
        for si, source in enumerate(sources):
            for bi, block in enumerate(source.blocks):
                yield source.block_text(block), (si, bi)

    current: list[tuple[Block, Doc]] = []
    index = 0
    for doc, (si, bi) in nlp.pipe(stream(), as_tuples=True, batch_size=batch_size):
        while si > index:
            yield _extract_one(sources[index], current)
            current, index = [], index + 1
        current.append((sources[si].blocks[bi], doc))
    while index < len(sources):
        yield _extract_one(sources[index], current)
        current, index = [], index + 1


def _extract_one(source: SourceText, blocks: list[tuple[Block, Doc]]) -> Extraction:
    fields = source.fields
    out = Extraction(source.name, source.text, path=source.path)
    if "source" in fields:
        out.source_url = source.block_text(fields["source"]).strip()
    st = DocumentState(source, out)
    _walk(st, blocks)
    _dedupe(out)
    return out


def _dedupe(out: Extraction) -> None:
    """One record per entity mention and per relation span; the most confident wins."""
    best: dict[tuple, object] = {}
    for e in out.entities:
        key = (e.type, e.id, e.start, e.end)
        if key not in best or e.confidence > best[key].confidence:
            best[key] = e
    out.entities = list(best.values())
    seen: dict[tuple, object] = {}
    for r in out.relations:
        key = (r.type, r.subject, str(r.object), r.start, r.end)
        if key not in seen or r.confidence > seen[key].confidence:
            seen[key] = r
    out.relations = list(seen.values())
