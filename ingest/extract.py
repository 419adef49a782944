"""Turn a read document into entities and relations, using the spaCy pipeline and
the document's structure: header fields name the instrument, section headings open
control entries, and lettered items refine them (a threshold belongs to the item it
sits in).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc

from qharmony.ontology.namespaces import slug

from .dates import find_dates
from .linking import country_code
from .readers import Block, SourceText
from .records import Entity, Extraction, Relation

_HEDGES = re.compile(
    r"\b(not verified|unverified|believed|reportedly|reported|inferred|assumed|not read)\b", re.I
)
_NEGATION = re.compile(
    r"\b(does not (?:control|cover|list)|do not (?:control|cover|list)|not controlled|"
    r"no longer|removed|rescinded|no (?:control|equivalent|entry)|not covered|not listed)\b",
    re.I,
)
_ELIGIBLE = re.compile(r"\beligib", re.I)
_NOT_ELIGIBLE = re.compile(r"\bnot eligible\b|\bineligible\b|\bexcluded\b", re.I)
#: In list codes such as 4E906 the second character is the product group: D is
#: software and E technology, so such an entry controls only those kinds.
_GROUP_KINDS = {"D": {"quantum_software"}, "E": {"quantum_technology_knowhow"}}
_CODE_LEAD = re.compile(
    r"^(?:(?:ECCN|Entry|Item|Control entry)\s+)?(?P<code>\d[A-E]\d{3}|PL\d{4}|\d{4})\b[\s:.-]*(?P<rest>.*)$"
)

FIELD_ALIASES = {
    "jurisdiction": "jurisdiction", "instrument": "title", "title": "title",
    "citation": "citation", "kind": "kind", "authority": "authority", "issued by": "authority",
    "list": "list", "control list": "list", "adopted": "adopted", "made": "adopted",
    "signed": "adopted", "effective": "effective", "in force": "effective",
    "compliance": "compliance", "source": "source", "arrangement": "arrangement",
    "opened": "opened", "participants": "parties", "parties": "parties",
    "participating states": "parties", "exception": "exception", "implements": "implements",
    "repealed": "repealed", "no longer in force": "repealed",
}


def _primary(text: str) -> str:
    """The part of a citation before its first top-level comma or semicolon, without a
    trailing parenthesis: '89 FR 72926, FR Doc ...' -> '89 FR 72926'."""
    depth = 0
    for i, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")")
        if depth == 0 and ch in ",;":
            text = text[:i]
            break
    return re.sub(r"\s*\([^()]*\)\s*$", "", text.strip()).strip() or text.strip()


def _hedged(text: str, confidence: float) -> float:
    return round(confidence * 0.7, 3) if _HEDGES.search(text) else confidence


@dataclass
class _State:
    """What the walk through one document knows so far."""

    source: SourceText
    out: Extraction
    fields: dict[str, tuple[Block, Doc]] = field(default_factory=dict)
    jurisdiction: str | None = None
    instrument: str | None = None
    exception: str | None = None
    arrangement: str | None = None
    control_list: str | None = None
    entry: str | None = None
    entry_tech: dict[str, list[str]] = field(default_factory=dict)
    items: dict[int, str] = field(default_factory=dict)

    def entity(self, type_: str, id_: str, start: int, end: int, conf: float, rule: str,
               sentence: tuple[int, int] | None = None, **attributes) -> None:
        text = self.source.text[start:end]
        self.out.entities.append(
            Entity(type_, id_, text, start, end, conf, rule,
                   {k: v for k, v in attributes.items() if v}, sentence)
        )

    def relate(self, type_: str, subject: str, subject_type: str, obj, object_type: str,
               start: int, end: int, conf: float, rule: str,
               sentence: tuple[int, int] | None = None) -> None:
        self.out.relations.append(
            Relation(type_, subject, subject_type, obj, object_type, start, end, conf, rule,
                     sentence)
        )


def _ents(doc: Doc, label: str) -> list:
    return [e for e in doc.ents if e.label_ == label]


def _finish_preamble(st: _State) -> None:
    """Header fields describe the instrument (or arrangement) the document states."""
    if not st.fields or st.instrument or st.arrangement:
        return
    f = st.fields
    jur_field = f.get("jurisdiction")
    if jur_field:
        block, doc = jur_field
        ents = _ents(doc, "JURISDICTION")
        code = ents[0].ent_id_ if ents else country_code(doc.text)
        if code:
            st.jurisdiction = code
            st.entity("Jurisdiction", code, block.start, block.end, 0.95, "field.jurisdiction")
    title = f.get("title")
    citation = f.get("citation")
    if title and st.jurisdiction:
        key_text = (citation[1].text if citation else title[1].text)
        key = _primary(key_text)
        st.instrument = f"{st.jurisdiction}:{slug(key)}"
        block = title[0]
        kind = f["kind"][1].text if "kind" in f else ""
        st.entity(
            "Instrument", st.instrument, block.start, block.end, 0.95, "field.title",
            label=title[1].text, citation=citation[1].text if citation else "", kind=kind,
            source=f["source"][1].text if "source" in f else "",
        )
        st.relate("applies_in", st.instrument, "Instrument", st.jurisdiction, "Jurisdiction",
                  block.start, block.end, 0.95, "field.jurisdiction")
    if "authority" in f and st.instrument:
        block, doc = f["authority"]
        auth = slug(re.sub(r"\s*\(.*?\)", "", doc.text)).lower()
        st.entity("Authority", auth, block.start, block.end, 0.9, "field.authority",
                  label=doc.text)
        st.relate("issued_by", st.instrument, "Instrument", auth, "Authority",
                  block.start, block.end, 0.9, "field.authority")
    if "list" in f and st.jurisdiction:
        block, doc = f["list"]
        st.control_list = f"{st.jurisdiction}:{slug(_primary(doc.text))}"
        st.entity("ControlList", st.control_list, block.start, block.end, 0.9, "field.list",
                  label=doc.text)
    for role, rel in (("adopted", "adopted_on"), ("effective", "effective_on"),
                      ("compliance", "compliance_on"), ("repealed", "repealed_on")):
        if role in f and (st.instrument or st.arrangement):
            block, doc = f[role]
            dates = find_dates(doc.text)
            if dates:
                day, s, e = dates[0]
                st.entity("Date", day.isoformat(), block.start + s, block.start + e, 0.95,
                          f"field.{role}")
                st.relate(rel, st.instrument, "Instrument", day.isoformat(), "Date",
                          block.start + s, block.start + e, _hedged(doc.text, 0.95),
                          f"field.{role}")
    if "exception" in f and st.instrument:
        block, doc = f["exception"]
        name = re.sub(r"\s*\(.*?\)", "", doc.text).strip()
        st.exception = f"{st.jurisdiction}:{slug(name)}"
        st.entity("LicenseException", st.exception, block.start, block.end, 0.9,
                  "field.exception", label=doc.text)
        st.relate("part_of", st.exception, "LicenseException", st.instrument, "Instrument",
                  block.start, block.end, 0.9, "field.exception")


def _arrangement(st: _State) -> None:
    f = st.fields
    if "arrangement" not in f:
        return
    block, doc = f["arrangement"]
    treaties = _ents(doc, "TREATY")
    st.arrangement = treaties[0].ent_id_ if treaties else slug(doc.text).lower()
    kind = f["kind"][1].text if "kind" in f else ""
    opened = ""
    if "opened" in f:
        dates = find_dates(f["opened"][1].text)
        opened = dates[0][0].isoformat() if dates else ""
    st.entity("Treaty", st.arrangement, block.start, block.end, 0.95, "field.arrangement",
              label=doc.text, kind=kind, opened=opened,
              source=f["source"][1].text if "source" in f else "")
    if "parties" in f:
        pblock, pdoc = f["parties"]
        for ent in _ents(pdoc, "JURISDICTION"):
            s, e = pblock.start + ent.start_char, pblock.start + ent.end_char
            st.entity("Jurisdiction", ent.ent_id_, s, e, 0.95, "ruler.jurisdiction")
            st.relate("party_to", ent.ent_id_, "Jurisdiction", st.arrangement, "Treaty",
                      s, e, 0.95, "field.parties")


def _open_entry(st: _State, block: Block, doc: Doc) -> None:
    match = _CODE_LEAD.match(doc.text)
    st.items.clear()
    if not match or not st.jurisdiction or not st.instrument:
        st.entry = None
        return
    code = match.group("code")
    st.entry = f"{st.jurisdiction}:{code}"
    label = match.group("rest").strip() or code
    s = block.start + match.start("code")
    st.entity("ControlEntry", st.entry, s, s + len(code), 0.95, "heading.code",
              label=label, code=code)
    _entry_links(st, st.entry, s, s + len(code), 0.95)
    techs = _technologies(st, doc, block, st.entry, 0.9, "heading.technology")
    st.entry_tech[st.entry] = techs


def _entry_links(st: _State, entry: str, s: int, e: int, conf: float) -> None:
    st.relate("part_of", entry, "ControlEntry", st.instrument, "Instrument", s, e, conf,
              "structure.section")
    if st.control_list:
        st.relate("in_list", entry, "ControlEntry", st.control_list, "ControlList", s, e, conf,
                  "structure.section")


def _technologies(st: _State, doc: Doc, block: Block, subject: str, conf: float,
                  rule: str) -> list[str]:
    found = []
    for sent in doc.sents:
        span = (block.start + sent.start_char, block.start + sent.end_char)
        negated = bool(_NEGATION.search(sent.text))
        in_sentence = [
            e for e in doc.ents if e.label_ == "TECHNOLOGY" and sent.start <= e.start < sent.end
        ]
        code = subject.split(":", 1)[-1]
        allowed = _GROUP_KINDS.get(code[1]) if re.match(r"\d[A-E]\d{3}", code) else None
        for ent in in_sentence:
            s, e = block.start + ent.start_char, block.start + ent.end_char
            st.entity("Technology", ent.ent_id_, s, e, 0.95, "ruler.technology", span)
            if allowed is not None and ent.ent_id_ not in allowed:
                continue
            rel = "not_controlled" if negated else "controls"
            st.relate(rel, subject, "ControlEntry", ent.ent_id_, "Technology", s, e,
                      _hedged(sent.text, conf), rule, span)
            if not negated and ent.ent_id_ not in found:
                found.append(ent.ent_id_)
    return found


def _item(st: _State, block: Block, doc: Doc) -> None:
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
    conf = _hedged(text, 0.9)
    st.entity("ControlEntry", entry, s, e, conf, "item.code", label=text[:160], code=code)
    _entry_links(st, entry, s, e, conf)
    st.relate("broader", entry, "ControlEntry", parent, "ControlEntry", s, e, conf,
              "structure.item")
    techs = _technologies(st, doc, block, entry, 0.9, "item.technology")
    if not techs:
        techs = list(st.entry_tech.get(parent, []))
        for tech in techs:
            st.relate("controls", entry, "ControlEntry", tech, "Technology", s, e,
                      round(conf * 0.95, 3), "item.inherited")
    st.entry_tech[entry] = techs
    for span in doc.spans.get("thresholds", []):
        found = span._.threshold
        ts, te = s + found.start, s + found.end
        st.entity("Threshold", f"{entry}/{found.parameter}{found.op}", ts, te, conf,
                  "thresholds", threshold=found.to_json())
        st.relate("has_threshold", entry, "ControlEntry", found.to_json(), "Threshold",
                  ts, te, conf, "qharmony_thresholds_v1", (s, e))


def _paragraph(st: _State, block: Block, doc: Doc) -> None:
    if st.entry:
        _technologies(st, doc, block, st.entry, 0.85, "sentence.technology")
        return
    if st.exception:
        for sent in doc.sents:
            if not _ELIGIBLE.search(sent.text) or _NOT_ELIGIBLE.search(sent.text):
                continue
            span = (block.start + sent.start_char, block.start + sent.end_char)
            for ent in doc.ents:
                if ent.label_ == "JURISDICTION" and sent.start <= ent.start < sent.end:
                    s, e = block.start + ent.start_char, block.start + ent.end_char
                    st.entity("Jurisdiction", ent.ent_id_, s, e, 0.9, "ruler.jurisdiction", span)
                    st.relate("eligible_destination", st.exception, "LicenseException",
                              ent.ent_id_, "Jurisdiction", s, e, _hedged(sent.text, 0.85),
                              "sentence.eligible", span)


def _walk(st: _State, blocks: Iterable[tuple[Block, Doc]]) -> None:
    for block, doc in blocks:
        if block.kind == "field":
            name = FIELD_ALIASES.get(block.name.lower())
            if name:
                st.fields[name] = (block, doc)
            continue
        _finish_preamble(st)
        if not st.arrangement:
            _arrangement(st)
        if block.kind == "heading":
            if block.level == 1:
                st.out.title = st.out.title or doc.text
                continue
            _open_entry(st, block, doc)
        elif block.kind == "item":
            _item(st, block, doc)
        else:
            _paragraph(st, block, doc)
    _finish_preamble(st)
    if not st.arrangement:
        _arrangement(st)


def extract_documents(sources: Iterable[SourceText], nlp: Language,
                      batch_size: int = 64) -> Iterator[Extraction]:
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
    st = _State(source, out)
    _walk(st, blocks)
    return out
