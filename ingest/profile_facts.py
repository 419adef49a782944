"""The instrument, authority, jurisdiction and dates a genre reader found in a document
without our header fields (``genres``), turned into entities and relations with the
spans they were read from."""

from __future__ import annotations

from qharmony.ontology.namespaces import slug

from .instrument_ids import instrument_id
from .state import DocumentState


def apply_profile(st: DocumentState) -> None:
    """The instrument, authority, jurisdiction and dates a genre reader found, as
    entities and relations with the spans they were read from. Once per document."""
    p = st.profile
    if getattr(p, "applied", False) or not p.jurisdiction:
        p.applied = True
        return
    p.applied = True
    rule, conf = f"genre.{p.genre}", p.confidence
    j = p.jurisdiction
    st.jurisdiction = j.value
    st.entity("Jurisdiction", j.value, j.start, j.end, conf, f"{rule}.jurisdiction")
    if not p.title:
        return
    st.instrument = instrument_id(j.value, p.citation or p.title.value)
    t = p.title
    st.entity(
        "Instrument",
        st.instrument,
        t.start,
        t.end,
        conf,
        f"{rule}.title",
        label=t.value,
        citation=p.citation,
        kind=p.kind,
        identifiers=p.identifiers,
    )
    st.relate(
        "applies_in", st.instrument, "Instrument", j.value, "Jurisdiction", t.start, t.end, conf, f"{rule}.jurisdiction"
    )
    if p.authority:
        a = p.authority
        st.entity("Authority", p.authority_id, a.start, a.end, conf, f"{rule}.authority", label=a.value)
        st.relate(
            "issued_by",
            st.instrument,
            "Instrument",
            p.authority_id,
            "Authority",
            a.start,
            a.end,
            conf,
            f"{rule}.authority",
        )
    for a in p.bodies:
        st.entity("Authority", slug(a.value).lower(), a.start, a.end, conf, f"{rule}.authority", label=a.value)
    for a in p.co_authorities:
        ident = slug(a.value).lower()
        st.entity("Authority", ident, a.start, a.end, conf, f"{rule}.authority", label=a.value)
        st.relate(
            "issued_by", st.instrument, "Instrument", ident, "Authority", a.start, a.end, conf, f"{rule}.authority"
        )
    for cite, when in p.cited:
        other = instrument_id(j.value, cite.value)
        st.entity("Instrument", other, cite.start, cite.end, conf, f"{rule}.cited", label=cite.value)
        st.relate("adopted_on", other, "Instrument", when.value, "Date", when.start, when.end, conf, f"{rule}.cited")
    for cite, body in p.cited_issuers:
        other, ident = instrument_id(j.value, cite.value), slug(body).lower()
        st.entity("Instrument", other, cite.start, cite.end, conf, f"{rule}.cited", label=cite.value)
        st.entity("Authority", ident, cite.start, cite.end, conf, f"{rule}.cited", label=body)
        st.relate("issued_by", other, "Instrument", ident, "Authority", cite.start, cite.end, conf, f"{rule}.cited")
    for cite, when, body in p.amended_by:
        other, how = instrument_id(j.value, cite.value), f"{rule}.amended_by"
        st.entity("Instrument", other, cite.start, cite.end, conf, how, label=cite.value)
        st.relate("amends", other, "Instrument", st.instrument, "Instrument", cite.start, cite.end, conf, how)
        st.relate("applies_in", other, "Instrument", j.value, "Jurisdiction", cite.start, cite.end, conf, how)
        if when:
            st.relate("effective_on", other, "Instrument", when.value, "Date", when.start, when.end, conf, how)
        if body:
            ident = slug(body).lower()
            st.entity("Authority", ident, cite.start, cite.end, conf, how, label=body)
            st.relate("issued_by", other, "Instrument", ident, "Authority", cite.start, cite.end, conf, how)
    for role, targets in (("amends", p.amends), ("repeals", p.repeals)):
        for found in targets:
            target = instrument_id(j.value, found.value)
            st.entity("Instrument", target, found.start, found.end, conf, f"{rule}.{role}", label=found.value)
            st.relate(
                role, st.instrument, "Instrument", target, "Instrument", found.start, found.end, conf, f"{rule}.{role}"
            )
    roles = {"adopted": "adopted_on", "effective": "effective_on", "compliance": "compliance_on"}
    for role, found in p.dates.items():
        st.entity("Date", found.value, found.start, found.end, conf, f"{rule}.{role}")
        st.relate(
            roles[role],
            st.instrument,
            "Instrument",
            found.value,
            "Date",
            found.start,
            found.end,
            conf,
            f"{rule}.{role}",
        )
