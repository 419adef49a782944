"""Header fields ("Jurisdiction:", "Citation:", "Members:" ...) describe the instrument
or arrangement a document states; this turns them into entities and relations."""

from __future__ import annotations

import re

from qharmony.ontology.namespaces import slug

from .dates import find_dates, find_month
from .doc_cache import doc_text
from .identifiers import identifiers
from .instrument_ids import instrument_id, primary_citation
from .linking import country_code
from .profile_facts import apply_profile
from .readers import Block
from .state import DocumentState, ents, hedged

FIELD_ALIASES = {
    "jurisdiction": "jurisdiction",
    "state": "jurisdiction",
    "country": "jurisdiction",
    "instrument": "title",
    "title": "title",
    "citation": "citation",
    "kind": "kind",
    "authority": "authority",
    "issued by": "authority",
    "issuing authority": "authority",
    "issuing body": "authority",
    "competent authority": "authority",
    "reference": "citation",
    "number": "citation",
    "date of adoption": "adopted",
    "adopted on": "adopted",
    "dated": "adopted",
    "enacted": "adopted",
    "date of entry into force": "effective",
    "entry into force": "effective",
    "in force from": "effective",
    "effective date": "effective",
    "applies from": "effective",
    "compliance date": "compliance",
    "comply by": "compliance",
    "list": "list",
    "control list": "list",
    "adopted": "adopted",
    "made": "adopted",
    "signed": "adopted",
    "effective": "effective",
    "in force": "effective",
    "compliance": "compliance",
    "shown in force": "attested",
    "source": "source",
    "arrangement": "arrangement",
    "opened": "opened",
    "participants": "parties",
    "parties": "parties",
    "participating states": "parties",
    "exception": "exception",
    "implements": "implements",
    "repealed": "repealed",
    "no longer in force": "repealed",
    "members": "members",
    "member states": "members",
    "amends": "amends",
    "repeals": "repeals",
    "replaces": "repeals",
    "supersedes": "repeals",
    "reasons for control": "reasons",
    "reasons": "reasons",
}

#: Reasons for control as list texts abbreviate them.
REASONS = {
    "NS": "NS",
    "RS": "RS",
    "AT": "AT",
    "EI": "EI",
    "national security": "NS",
    "regional stability": "RS",
    "anti-terrorism": "AT",
}
_REASON = re.compile(r"\b(NS|RS|AT|EI|national security|regional stability|anti-terrorism)\b", re.I)


def finish_preamble(st: DocumentState) -> None:
    """Turn the header fields into the instrument, once, before the body starts; a
    document without them is understood from the conventions of its genre."""
    if st.instrument or st.arrangement or "arrangement" in st.fields:
        return
    if has_header_fields(st):
        if st.fields:
            _header_fields(st)
    elif st.profile is not None:
        apply_profile(st)


def has_header_fields(st: DocumentState) -> bool:
    """Is this one of our header-field summaries (a jurisdiction, title or
    arrangement field)? Then its fields, not its genre's conventions, say what it is."""
    wanted = {"jurisdiction", "title", "arrangement"}
    return any(b.kind == "field" and FIELD_ALIASES.get(b.name.lower()) in wanted for b in st.source.blocks)


def _header_fields(st: DocumentState) -> None:
    f = st.fields
    if "jurisdiction" in f:
        block, doc = f["jurisdiction"]
        found = ents(doc, "JURISDICTION")
        code = (
            found[0].ent_id_
            if found
            else (st.registry.code(doc_text(doc)) if st.registry else country_code(doc_text(doc)))
        )
        if code:
            st.jurisdiction = code
            st.entity("Jurisdiction", code, block.start, block.end, 0.95, "field.jurisdiction")
    title, citation = f.get("title"), f.get("citation")
    if title:
        block, label = title[0], title[1].text
    elif st.jurisdiction and (heading := _cited_title(st)):
        block, label = heading, st.source.block_text(heading)
    else:
        return
    citation_text = citation[1].text if citation else label
    st.instrument = instrument_id(st.jurisdiction, citation_text)
    source = f["source"][1].text if "source" in f else ""
    st.entity(
        "Instrument",
        st.instrument,
        block.start,
        block.end,
        0.95,
        "field.title",
        label=label,
        citation=citation[1].text if citation else "",
        kind=f["kind"][1].text if "kind" in f else "",
        source=source,
        identifiers=identifiers(citation[1].text if citation else "", source),
    )
    st.relate(
        "applies_in",
        st.instrument,
        "Instrument",
        st.jurisdiction,
        "Jurisdiction",
        block.start,
        block.end,
        0.95,
        "field.jurisdiction",
    )
    _authority(st)
    if "list" in f:
        block, doc = f["list"]
        st.control_list = f"{st.jurisdiction}:{slug(primary_citation(doc_text(doc)))}"
        st.entity("ControlList", st.control_list, block.start, block.end, 0.9, "field.list", label=doc_text(doc))
    _dates(st, st.instrument, "Instrument")
    _members(st)
    _instrument_links(st)
    if "reasons" in f:
        block, doc = f["reasons"]
        for m in _REASON.finditer(doc_text(doc)):
            code = REASONS.get(m.group(1)) or REASONS[m.group(1).lower()]
            st.reasons.append((code, block.start + m.start(), block.start + m.end()))
    if "exception" in f:
        block, doc = f["exception"]
        name = re.sub(r"\s*\(.*?\)", "", doc_text(doc)).strip()
        st.exception = f"{st.jurisdiction}:{slug(name)}"
        st.entity("LicenseException", st.exception, block.start, block.end, 0.9, "field.exception", label=doc_text(doc))
        st.relate(
            "part_of",
            st.exception,
            "LicenseException",
            st.instrument,
            "Instrument",
            block.start,
            block.end,
            0.9,
            "field.exception",
        )


def _cited_title(st: DocumentState) -> Block | None:
    """A summary whose fields name no instrument is about the one its title cites
    ("Lunaria: Order No. 5/2026 on quantum goods"): the citation's span in the title."""
    from .genres.national import _CITATION

    heading = next((b for b in st.source.blocks if b.kind == "heading"), None)
    if heading is None or heading.level != 1:
        return None
    found = _CITATION.search(st.source.block_text(heading))
    if not found:
        return None
    return Block("heading", heading.start + found.start("v"), heading.start + found.end("v"), 1)


def _authority(st: DocumentState) -> None:
    if "authority" not in st.fields:
        return
    block, doc = st.fields["authority"]
    auth = slug(re.sub(r"\s*\(.*?\)", "", doc_text(doc))).lower()
    st.entity("Authority", auth, block.start, block.end, 0.9, "field.authority", label=doc_text(doc))
    st.relate(
        "issued_by", st.instrument, "Instrument", auth, "Authority", block.start, block.end, 0.9, "field.authority"
    )


def _dates(st: DocumentState, subject: str, subject_type: str) -> None:
    roles = (
        ("adopted", "adopted_on"),
        ("effective", "effective_on"),
        ("compliance", "compliance_on"),
        ("repealed", "repealed_on"),
        ("attested", "attested_on"),
    )
    for role, rel in roles:
        if role not in st.fields:
            continue
        block, doc = st.fields[role]
        dates = find_dates(doc_text(doc))
        if dates:
            day, s, e = dates[0]
            st.entity("Date", day.isoformat(), block.start + s, block.start + e, 0.95, f"field.{role}")
            st.relate(
                rel,
                subject,
                subject_type,
                day.isoformat(),
                "Date",
                block.start + s,
                block.start + e,
                hedged(doc_text(doc), 0.95),
                f"field.{role}",
            )
            continue
        month = find_month(doc_text(doc))
        if month and role == "effective":
            value, s, e = month
            st.entity("Date", value, block.start + s, block.start + e, 0.9, "field.effective")
            st.relate(
                "effective_in_month",
                subject,
                subject_type,
                value,
                "Month",
                block.start + s,
                block.start + e,
                hedged(doc_text(doc), 0.9),
                "field.effective",
            )


def _names(st: DocumentState, field: str, label: str, entity_type: str, conf: float):
    """Each name of ``label`` in a header field, recorded as an entity with its span."""
    block, doc = st.fields[field]
    for ent in ents(doc, label):
        s, e = block.start + ent.start_char, block.start + ent.end_char
        st.entity(entity_type, ent.ent_id_, s, e, conf, f"ruler.{entity_type.lower()}")
        yield ent.ent_id_, s, e


def _members(st: DocumentState) -> None:
    if "members" not in st.fields:
        return
    for code, s, e in _names(st, "members", "JURISDICTION", "Jurisdiction", 0.95):
        st.relate("member_of", code, "Jurisdiction", st.jurisdiction, "Jurisdiction", s, e, 0.95, "field.members")


def _instrument_links(st: DocumentState) -> None:
    """Amends and repeals name another act by its citation; implements names a treaty."""
    for role in ("amends", "repeals"):
        if role in st.fields:
            block, doc = st.fields[role]
            target = instrument_id(st.jurisdiction, doc_text(doc))
            st.relate(
                role, st.instrument, "Instrument", target, "Instrument", block.start, block.end, 0.9, f"field.{role}"
            )
    if "implements" in st.fields:
        for treaty, s, e in _names(st, "implements", "TREATY", "Treaty", 0.9):
            st.relate("implements", st.instrument, "Instrument", treaty, "Treaty", s, e, 0.9, "field.implements")


def arrangement(st: DocumentState) -> None:
    """An "Arrangement:" header opens a treaty or arrangement with its parties."""
    f = st.fields
    if "arrangement" not in f or st.arrangement:
        return
    block, doc = f["arrangement"]
    treaties = ents(doc, "TREATY")
    st.arrangement = treaties[0].ent_id_ if treaties else slug(primary_citation(doc_text(doc))).lower()
    opened = ""
    if "opened" in f:
        dates = find_dates(f["opened"][1].text)
        opened = dates[0][0].isoformat() if dates else ""
    st.entity(
        "Treaty",
        st.arrangement,
        block.start,
        block.end,
        0.95,
        "field.arrangement",
        label=doc_text(doc),
        kind=f["kind"][1].text if "kind" in f else "",
        opened=opened,
        source=f["source"][1].text if "source" in f else "",
    )
    if "parties" in f:
        for code, s, e in _names(st, "parties", "JURISDICTION", "Jurisdiction", 0.95):
            st.relate("party_to", code, "Jurisdiction", st.arrangement, "Treaty", s, e, 0.95, "field.parties")
