"""Turn a read document into entities and relations, using the spaCy pipeline and
the document's structure: header fields name the instrument, section headings open
control entries, and lettered items refine them (a threshold belongs to the item it
sits in).
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from spacy.language import Language
from spacy.tokens import Doc

from . import eccn
from .amendments import amendment_sentences
from .cfr import cited_cfr, source_note
from .cfr import identify as identify_cfr
from .citations import cited_dates
from .code_shapes import FAMILIES
from .code_shapes import families as code_families
from .code_subjects import amending_instruction, coded_subjects
from .crossrefs import arrangement_sentences, clause_correspondences, missing_counterparts
from .doc_cache import TEXT, doc_ents, doc_sents, doc_text, release, span_ents, span_text
from .entries import PURPOSE, entry_paragraph, item, numbered_item, open_entry
from .genres import is_commentary, treat_as_claims, understand, unknown_as_commentary
from .item_context import note_hand_over, orphan_entry
from .jurisdictions import Jurisdiction, Registry, label_jurisdictions, registry_for
from .leads import closes_lead_entry, lead_code, note_list
from .owners import remember_jurisdiction
from .preamble import FIELD_ALIASES, arrangement, finish_preamble
from .prefilter import Gated
from .prose import mentions, threshold_mentions
from .prose_controls import carry_subject, prose_relations
from .quantum_limits import drop_unquantum_limits
from .readers import Block, SourceText
from .records import Extraction
from .relations import bare_exceptions, sentence_relations
from .reported import cited_owners, paragraph_instrument
from .state import DocumentState, hedged
from .state_names import use_registry
from .syntax import ParseQueue
from .tables import end_table, row
from .titles import footnoted_titles

_ELIGIBLE = re.compile(r"\beligib", re.I)
_NOT_ELIGIBLE = re.compile(r"\bnot eligible\b|\bineligible\b|\bexcluded\b", re.I)
_EXCEPT = re.compile(
    r"\b(?:all|any) (?:other )?(?:destinations?|countries|country) (?:except|other than|apart from|but)\b", re.I
)
#: "Exports ... to the United States do not need a permit", "no licence is needed for exports
#: to X": the instrument exempts the destinations named after "to"
_NO_LICENCE = re.compile(
    r"\b(?:do|does|will|shall) not (?:need|require) an? (?:export )?(?:permit|licen[cs]e)\b|"
    r"\b(?:needs?|requires?) no (?:export )?(?:permit|licen[cs]e)\b|"
    r"\bno (?:export )?(?:permit|licen[cs]e) (?:is|will be) (?:needed|required)\b|"
    r"\b(?:permits?|licen[cs]es?) (?:is|are) not (?:needed|required)\b|"
    r"\bexempt(?:ed)? from (?:the |any )?(?:export )?(?:licen[cs](?:e|ing)|permit)|\b(?:licen[cs]e|permit)-free\b|"
    r"\b(?:is|are) (?:also |fully )?exempt(?:ed)?\b(?! from)",
    re.I,
)
_UNDER_EXCEPTION = re.compile(r"\b(?:General|Open) (?:Export )?(?:Licen[cs]e|Authori[sz]ation)|License Exception", re.I)


def _paragraph(st: DocumentState, block: Block, doc: Doc) -> None:
    if st.entry:
        entry_paragraph(st, block, doc)
        _unverified_code(st, block, doc)
        return
    if st.arrangement:
        arrangement_sentences(st, block, doc)
        return
    if st.instrument and not st.exception:
        _exemptions(st, block, doc)
    if not st.exception:
        prose_relations(st, block, doc, PURPOSE)
        threshold_mentions(st, block, doc)
    if st.exception:
        for sent in doc_sents(doc):
            if not _ELIGIBLE.search(span_text(sent)) or _NOT_ELIGIBLE.search(span_text(sent)):
                continue
            span = (block.start + sent.start_char, block.start + sent.end_char)
            for ent in doc_ents(doc):
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
                        hedged(span_text(sent), 0.85),
                        "sentence.eligible",
                        span,
                    )


_CODE_UNVERIFIED = Gated(r"\bcode\b[^.;]*\bnot (?:been )?verified\b|\bcode\b[^.;]*\bunverified\b", re.I, ("verified",))


def _unverified_code(st: DocumentState, block: Block, doc: Doc) -> None:
    """ "The code comes from a UK mirror and was not verified": the open entry's code
    is a lead, not a fact; it is kept, and flagged wherever the entry is cited."""
    if not st.entry or not _CODE_UNVERIFIED.may(doc_text(doc)):
        return
    for sent in doc_sents(doc):
        if _CODE_UNVERIFIED.search(span_text(sent)):
            span = (block.start + sent.start_char, block.start + sent.end_char)
            st.relate(
                "code_unverified", st.entry, "ControlEntry", "false", "Boolean", *span, 0.9, "sentence.code", span
            )


def _exemptions(st: DocumentState, block: Block, doc: Doc) -> None:
    """ "Permits are needed for all destinations except the United States": the
    instrument exempts that destination, a favourable treatment."""
    for sent in doc_sents(doc):
        match = _EXCEPT.search(span_text(sent))
        unneeded = None if match else _NO_LICENCE.search(span_text(sent))
        if unneeded and _UNDER_EXCEPTION.search(span_text(sent)):
            unneeded = None  # leave under a licence: an eligible destination, read elsewhere
        if not (match or unneeded):
            continue
        span = (block.start + sent.start_char, block.start + sent.end_char)
        after = sent.start_char + match.end() if match else 0
        for ent in span_ents(sent):
            if ent.label_ != "JURISDICTION" or ent.ent_id_ == st.jurisdiction:
                continue
            if unneeded and not any(t.lower_ == "to" for t in doc[max(0, ent.start - 3) : ent.start]):
                continue  # only a destination ("to the United States") is exempted
            if ent.start_char >= after - 1:
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
                    hedged(span_text(sent), 0.85),
                    "sentence.exempt",
                    span,
                )


def _walk(st: DocumentState, blocks: Iterable[tuple[Block, Doc]]) -> None:
    if not any(b.kind == "field" for b, _ in blocks):
        identify_cfr(st, st.source.text)
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
        paragraph_instrument(st, block, doc_text(doc))
        mentions(st, block, doc)
        bare_exceptions(st, block, doc_text(doc))
        cited_cfr(st, block.start, doc_text(doc))
        cited_dates(st, block.start, doc)
        if block.kind == "item" and amending_instruction(doc_text(doc)):
            # "(c) omit entry K-4.7 (...)": an instruction of an amending text, not a paragraph
            # of the entry a line opened before it
            block = Block("paragraph", block.start, block.end)
            st.entry, st.entry_from_line = None, False
            st.items.clear()
        if block.kind == "paragraph" and coded_subjects(st, block, doc):
            st.entry, st.entry_from_line = None, False  # the paragraph is about other entries
            st.items.clear()
        if block.kind == "paragraph" and source_note(st, block.start, doc_text(doc)):
            continue  # "[89 FR 72937, Sept. 6, 2024, as amended at ...]" dates the section
        _block(st, block, doc)
        missing_counterparts(st, block, doc)
        clause_correspondences(st, block, doc)
        amendment_sentences(st, block, doc)
        carry_subject(st, block, doc)
        if not (st.entry and st.section in eccn.POINTER_SECTIONS):
            # requirement and exception lines of a list entry say what they are by
            # their section; parsing them finds nothing and costs most of the time
            sentence_relations(st, block, doc)
        remember_jurisdiction(st, doc)
    finish_preamble(st)
    arrangement(st)


def _block(st: DocumentState, block: Block, doc: Doc) -> None:
    if block.kind != "row":
        end_table(st)
    if block.kind == "heading" and st.entry and eccn.section(doc_text(doc)):
        st.section = eccn.section(doc_text(doc))  # "License Requirements" organises the open entry
    elif block.kind == "heading":
        if block.level == 1:
            st.out.title = st.out.title or doc_text(doc)
        else:
            note_list(st, doc_text(doc), heading=True)
            open_entry(st, block, doc)
    elif block.kind == "item" and (st.entry or _orphan_item(st)):
        note_hand_over(st, block, st.last_paragraph)
        item(st, block, doc)
    elif block.kind == "paragraph" and (numbered := numbered_item(st, doc_text(doc))):
        item(st, Block("item", block.start, block.end, numbered.level, numbered.label), doc)
    elif block.kind == "paragraph" and (lead := lead_code(st, doc_text(doc))):
        open_entry(st, block, doc, lead)
    elif not (block.kind == "row" and row(st, block, doc)):
        if closes_lead_entry(st, block, doc):
            st.entry, st.entry_from_line = None, False
            st.items.clear()
        if block.kind == "paragraph":
            note_list(st, doc_text(doc))
        _paragraph(st, block, doc)  # prose, or a row that is not an entry
    st.last_paragraph = doc_text(doc) if block.kind == "paragraph" else ""


def _orphan_item(st: DocumentState) -> bool:
    """A lettered paragraph before any entry heading of an instrument's list (a quoted piece
    of the CCL that starts inside an entry): its ECCN from its siblings' citations."""
    if not (st.jurisdiction and st.instrument) or getattr(st.profile, "claims_only", False):
        return False
    base = orphan_entry(st)
    if base:
        st.entry = f"{st.jurisdiction}:{base}"
    return bool(base)


def extract_documents(
    sources: Iterable[SourceText],
    nlp: Language,
    batch_size: int = 64,
    jurisdictions: list[Jurisdiction] | None = None,
    registry: Registry | None = None,
) -> Iterator[Extraction]:
    """Extract from many documents through one ``nlp.pipe`` stream, in order.

    ``jurisdictions`` are the user's beyond ISO 3166; states the texts name that
    neither pycountry nor that list knows are added with user-assigned codes.
    ``registry``: the build's own, made from every text of the corpus, when only
    some of its documents are extracted here (the rest come from the cache)."""
    with fewer_collections():
        yield from _extract_documents(list(sources), nlp, batch_size, jurisdictions, registry)


#: the collector's first threshold while extracting (Python's default is 700)
GC_THRESHOLD = 10_000


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Extraction allocates many small objects that live until their document is done
    (spans, records): at the default threshold the collector ran about 260 times over the
    real CCL, twice over the whole heap, a tenth of extraction's time (0.5 s of 5)."""
    old = gc.get_threshold()
    gc.set_threshold(max(old[0], GC_THRESHOLD), *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)


def _extract_documents(
    sources: list[SourceText],
    nlp: Language,
    batch_size: int,
    jurisdictions: list[Jurisdiction] | None,
    registry: Registry | None,
) -> Iterator[Extraction]:
    if registry is None:
        registry = registry_for((s.text for s in sources), jurisdictions)
    use_registry(nlp, registry)

    def stream():
        for si, source in enumerate(sources):
            codes = code_families(source.text)  # entry codes of the shapes this text introduces
            for bi, block in enumerate(source.blocks):
                text = source.block_text(block)
                doc = nlp.make_doc(text)
                doc.user_data[TEXT] = text  # the walk reads it often; spaCy rebuilds it per read
                doc.user_data[FAMILIES] = codes
                yield doc, (si, bi)

    # documents walked, finished once the parser has read the sentences they queued
    queue, walked = ParseQueue(batch_size), []

    def finish() -> Iterator[Extraction]:
        queue.flush()
        for st, docs in walked:
            out = _finish(st, registry)
            for doc in docs:
                release(doc)
            yield out
        walked.clear()

    def walk(index: int, blocks: list[tuple[Block, Doc]]) -> Iterator[Extraction]:
        walked.append((_walk_one(sources[index], blocks, registry, queue), [doc for _, doc in blocks]))
        if len(queue) >= batch_size or len(walked) >= batch_size:
            yield from finish()

    current: list[tuple[Block, Doc]] = []
    index = 0
    for doc, (si, bi) in nlp.pipe(stream(), as_tuples=True, batch_size=batch_size):
        while si > index:
            yield from walk(index, current)
            current, index = [], index + 1
        current.append((sources[si].blocks[bi], doc))
    while index < len(sources):
        yield from walk(index, current)
        current, index = [], index + 1
    yield from finish()


def _walk_one(
    source: SourceText, blocks: list[tuple[Block, Doc]], registry: Registry, queue: ParseQueue | None = None
) -> DocumentState:
    fields = source.fields
    out = Extraction(source.name, source.text, path=source.path)
    if "source" in fields:
        out.source_url = source.block_text(fields["source"]).strip()
    st = DocumentState(source, out, registry=registry, parses=queue)
    st.profile = understand(source.text, registry)
    headings = [source.block_text(b) for b in source.blocks if b.kind == "heading"]
    has_fields = any(b.kind == "field" and b.name.lower() in FIELD_ALIASES for b in source.blocks)
    st.profile = unknown_as_commentary(st.profile, source.text, registry, headings, has_fields)
    owner = st.profile.jurisdiction.value if st.profile.jurisdiction else None
    st.titles.update(footnoted_titles(source.text, owner))
    _walk(st, blocks)
    return st


def _finish(st: DocumentState, registry: Registry) -> Extraction:
    """What is decided on the whole document, once every sentence is read."""
    out = st.out
    if is_commentary(st):
        cited_owners(st)
        treat_as_claims(out)
    else:
        _explanatory_notes(out)
    label_jurisdictions(out, registry)
    drop_unquantum_limits(out)
    _dedupe(out)
    return out


#: "(This note is not part of the Regulations)", "(This statement is not part of the Order.)"
_NOT_LAW = re.compile(r"\(This (?:note|statement|summary) (?:is|does) not (?:form )?part of the \w+\.?\)", re.I)
#: what a fact read in an instrument's explanatory note or impact statement counts
NOTE_WEIGHT = 0.9


def _explanatory_notes(out: Extraction) -> None:
    """An SI's Explanatory Note and a Gazette order's Regulatory Impact Analysis
    Statement explain the instrument and are not part of it: what they say counts a
    little less than the instrument's own words."""
    note = _NOT_LAW.search(out.text)
    if not note:
        return
    for r in out.relations:
        if r.start >= note.start():
            r.confidence = round(r.confidence * NOTE_WEIGHT, 3)


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
