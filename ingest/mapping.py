"""Map extraction records to RDF quads: one named graph per source document,
deterministic IRIs, and an evidence record (document, span, sentence, confidence,
rule) for every statement.

Statements below the confidence threshold are not asserted: their evidence is kept,
marked as held for review, so a person can confirm them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from qharmony.ontology.namespaces import (
    DCTERMS,
    ELI,
    PROV,
    QH,
    RDF,
    RDFS,
    REFERENCE_GRAPH,
    SKOS,
    UNIT,
    WIKIDATA_ENTITY,
    XSD,
    document_graph,
    entity,
)
from qharmony.queries.results import Term
from qharmony.queries.serialize import ntriples

from .fingerprints import fact_fingerprint
from .linking import WIKIDATA, country_label, is_union
from .patterns import technology_labels
from .records import Entity, Extraction, Relation
from .state import is_hedged
from .thresholds import QUDT_UNITS
from .version import PIPELINE_VERSION

DEFAULT_MIN_CONFIDENCE = 0.5

Quad = tuple[Term, Term, Term, Term]

_PREDICATES = {
    "part_of": QH + "partOf",
    "in_list": QH + "inList",
    "controls": QH + "controlsTechnology",
    "not_controlled": QH + "doesNotControl",
    "has_threshold": QH + "hasThreshold",
    "issued_by": QH + "issuedBy",
    "applies_in": QH + "appliesIn",
    "party_to": QH + "partyTo",
    "implements": QH + "implements",
    "eligible_destination": QH + "eligibleDestination",
    "broader": SKOS + "broader",
    "adopted_on": ELI + "date_document",
    "effective_on": ELI + "first_date_entry_in_force",
    "repealed_on": ELI + "date_no_longer_in_force",
    "compliance_on": QH + "complianceDate",
    "effective_in_month": QH + "effectiveMonth",
    "attested_on": QH + "attestedInForceOn",
    "code_unverified": QH + "codeVerified",
    "member_of": QH + "memberOf",
    "amends": ELI + "amends",
    "repeals": ELI + "repeals",
    "reason_for_control": QH + "reasonForControl",
    "no_equivalent_in": QH + "noEquivalentIn",
    "agreed_control": QH + "agreedControlOn",
    "party_since": QH + "hasMembership",
    "exempt_destination": QH + "exemptDestination",
    "thresholds_incomplete": QH + "unstatedParameter",
}

#: corresponds_to, refined by its qualifier
_CORRESPONDENCE = {
    "same_text": QH + "sameAgreedText",
    "narrower": QH + "narrowerThan",
    "broader": QH + "broaderThan",
    "partial": QH + "partiallyOverlaps",
    "": QH + "correspondsTo",
}

#: Reasons for control by their list abbreviations.
REASON_IRIS = {
    "NS": QH + "NationalSecurity",
    "RS": QH + "RegionalStability",
    "AT": QH + "AntiTerrorism",
    "EI": QH + "EncryptionItems",
}

#: Identifier kinds read from citations, and how each is stated.
_IDENTIFIERS = {
    "celex": (QH + "celexNumber", False),
    "celex_inferred": (QH + "inferredCelexNumber", False),
    "eli": (QH + "eliIdentifier", True),
    "fr": (QH + "federalRegisterCitation", False),
    "cfr": (QH + "cfrCitation", False),
    "uksi": (QH + "legislationGovUkIdentifier", True),
}

_ARRANGEMENT_KINDS = [
    (re.compile(r"export.control", re.I), "ExportControlRegime"),
    (re.compile(r"security|defen[cs]e", re.I), "SecurityPartnership"),
    (re.compile(r"data", re.I), "DataTransferFramework"),
    (re.compile(r"bilateral", re.I), "BilateralAgreement"),
]


def _iri(value: str) -> Term:
    return Term.iri(value)


def _lit(value, datatype: str | None = None) -> Term:
    return Term.literal(str(value), datatype)


def technology_iri(slug_: str) -> str:
    for found_slug, iri in technology_labels().values():
        if found_slug == slug_:
            return iri
    return QH + "QuantumTechnology"


def entity_iri(type_: str, canonical) -> str:
    """The IRI of an extracted entity, from its canonical id: same id, same IRI."""
    if type_ == "Jurisdiction":
        return entity("jurisdiction", canonical)
    if type_ == "Technology":
        return technology_iri(canonical)
    if type_ == "Treaty":
        return entity("arrangement", canonical)
    if type_ == "Authority":
        return entity("authority", canonical)
    if type_ == "ReasonForControl":
        return REASON_IRIS[canonical]
    if type_ in ("ControlEntry", "Instrument", "ControlList", "LicenseException"):
        kind = {
            "ControlEntry": "entry",
            "Instrument": "instrument",
            "ControlList": "list",
            "LicenseException": "exception",
        }[type_]
        jurisdiction, _, local = str(canonical).partition(":")
        if local.startswith("[") and local.endswith("]"):
            # an entry known by its subject only: kept apart from numbered entries
            return entity(kind, jurisdiction, "unnumbered", local[1:-1])
        return entity(kind, jurisdiction, local)
    raise ValueError(f"no IRI rule for entity type {type_}")


def threshold_iri(entry: str, threshold: dict) -> str:
    op = {"<": "lt", "<=": "le", ">": "gt", ">=": "ge", "=": "eq"}[threshold["op"]]
    jurisdiction, _, code = entry.partition(":")
    local = f"{threshold['parameter']}-{op}"
    if threshold.get("condition_of"):
        local += f"-of-{threshold['condition_of']}"  # "at 1 K" for the noise figure
    return entity("threshold", jurisdiction, code, local)


class _Emitter:
    def __init__(self, graph: str):
        self.graph = _iri(graph)
        self.quads: list[Quad] = []

    def add(self, s: str, p: str, o: Term, graph: Term | None = None) -> None:
        self.quads.append((_iri(s), _iri(p), o, graph or self.graph))


_OWNER = re.compile(r"^(?:[A-Z]{2}):")


def _describe_entity(em: _Emitter, ref: _Emitter, e: Entity) -> None:
    a = e.attributes
    if e.type == "Jurisdiction":
        iri = entity_iri("Jurisdiction", e.id)
        ref.add(iri, RDF + "type", _iri(QH + ("Union" if is_union(e.id) else "State")))
        ref.add(iri, RDFS + "label", Term.literal(a.get("label") or country_label(e.id), lang="en"))
        for alias in a.get("aliases", []):  # names of a jurisdiction beyond ISO 3166
            ref.add(iri, SKOS + "altLabel", Term.literal(alias, lang="en"))
        ref.add(iri, QH + "isoCode", _lit(e.id))
        if e.id in WIKIDATA:
            ref.add(iri, QH + "wikidataItem", _iri(WIKIDATA_ENTITY + WIKIDATA[e.id]))
    elif e.type == "Instrument":
        iri = entity_iri("Instrument", e.id)
        em.add(iri, RDF + "type", _iri(QH + "LegalInstrument"))
        em.add(iri, RDFS + "label", Term.literal(a.get("label", e.text), lang="en"))
        owner = e.id.partition(":")[0]
        if owner:  # an instrument's id names whose law it is, also for one a text only cites
            em.add(iri, QH + "appliesIn", _iri(entity_iri("Jurisdiction", owner)))
        if a.get("citation"):
            em.add(iri, DCTERMS + "bibliographicCitation", _lit(a["citation"]))
        if a.get("kind"):
            em.add(iri, QH + "instrumentKind", _lit(a["kind"]))
            if re.search(r"\b(?:proposed|draft)\b", a["kind"], re.I):
                em.add(iri, RDF + "type", _iri(QH + "ProposedInstrument"))
        if a.get("source", "").startswith("http"):
            em.add(iri, DCTERMS + "source", _iri(a["source"]))
        for key, value in a.get("identifiers", {}).items():
            prop, is_iri = _IDENTIFIERS[key]
            em.add(iri, prop, _iri(value) if is_iri else _lit(value))
    elif e.type == "ControlEntry" and e.rule.startswith(("heading", "item")):
        iri = entity_iri("ControlEntry", e.id)
        em.add(iri, RDF + "type", _iri(QH + "ControlEntry"))
        if "code" in a:
            em.add(iri, SKOS + "notation", _lit(a["code"]))
        else:
            em.add(iri, QH + "codeVerified", _lit("false", XSD + "boolean"))
        if a.get("combines"):
            em.add(iri, QH + "itemsCombine", _lit(a["combines"]))
        label = f"{a.get('code', '')} {a.get('label', '')}".strip()
        if "code" not in a:
            label += " (entry code not verified)"
        em.add(iri, RDFS + "label", Term.literal(label[:200], lang="en"))
    elif e.type in ("Authority", "ControlList", "LicenseException"):
        iri = entity_iri(e.type, e.id)
        cls = {"Authority": "Authority", "ControlList": "ControlList", "LicenseException": "LicenceException"}[e.type]
        em.add(iri, RDF + "type", _iri(QH + cls))
        em.add(iri, RDFS + "label", Term.literal(a.get("label", e.text), lang="en"))
    elif e.type == "Treaty":
        iri = entity_iri("Treaty", e.id)
        cls = next((c for rx, c in _ARRANGEMENT_KINDS if rx.search(a.get("kind", ""))), "Arrangement")
        em.add(iri, RDF + "type", _iri(QH + cls))
        em.add(iri, RDFS + "label", Term.literal(a.get("label", e.text), lang="en"))
        if a.get("opened"):
            em.add(iri, QH + "openedOn", _lit(a["opened"], XSD + "date"))
        if a.get("source", "").startswith("http"):
            em.add(iri, DCTERMS + "source", _iri(a["source"]))


def _object_term(em: _Emitter, r: Relation) -> Term:
    if r.object_type == "Date":
        return _lit(r.object, XSD + "date")
    if r.object_type == "Boolean":
        return _lit(r.object, XSD + "boolean")
    if r.object_type == "Parameter":
        return _lit(r.object)
    if r.object_type == "Month":
        return _lit(r.object, XSD + "gYearMonth")
    if r.object_type == "Membership":
        m = r.object
        iri = entity("membership", r.subject, m["arrangement"])
        em.add(iri, RDF + "type", _iri(QH + "Membership"))
        em.add(iri, QH + "member", _iri(entity_iri("Jurisdiction", r.subject)))
        em.add(iri, QH + "organisation", _iri(entity_iri("Treaty", m["arrangement"])))
        em.add(iri, QH + "since", _lit(m["since"], XSD + "date"))
        return _iri(iri)
    if r.object_type == "Threshold":
        t = r.object
        iri = threshold_iri(r.subject, t)
        em.add(iri, RDF + "type", _iri(QH + "Threshold"))
        em.add(iri, QH + "parameter", _lit(t["parameter"]))
        em.add(iri, QH + "comparator", _lit(t["op"]))
        em.add(iri, QH + "value", _lit(repr(float(t["value"])), XSD + "double"))
        em.add(iri, QH + "unit", _iri(UNIT + QUDT_UNITS[t["unit"]]))
        em.add(iri, RDFS + "label", Term.literal(f"{t['parameter']} {t['op']} {t['value']:g} {t['unit']}", lang="en"))
        if t.get("condition_of"):
            em.add(iri, QH + "conditionOf", _lit(t["condition_of"]))
        return _iri(iri)
    return _iri(entity_iri(r.object_type, r.object))


def _evidence(
    em: _Emitter, ex: Extraction, triple: tuple[Term, Term, Term], r: Relation, doc_iri: str, held: bool
) -> None:
    """The evidence record of one statement; with its fingerprint, and the decision
    of a reviewer where one was applied (``ingest/decisions.py``)."""
    key = "|".join([ex.document, *(t.value for t in triple), str(r.start), str(r.end)])
    iri = entity("evidence", ex.document, hashlib.sha1(key.encode()).hexdigest()[:16])
    em.add(iri, RDF + "type", _iri(QH + "Evidence"))
    em.add(iri, RDF + "type", _iri(RDF + "Statement"))
    em.add(iri, RDF + "subject", triple[0])
    em.add(iri, RDF + "predicate", triple[1])
    em.add(iri, RDF + "object", triple[2])
    em.add(iri, QH + "sourceDocument", _iri(doc_iri))
    em.add(iri, QH + "charStart", _lit(r.start, XSD + "integer"))
    em.add(iri, QH + "charEnd", _lit(r.end, XSD + "integer"))
    s_start, s_end = r.sentence or (r.start, r.end)
    em.add(iri, QH + "sentence", _lit(ex.text[s_start:s_end]))
    em.add(iri, QH + "sentenceStart", _lit(s_start, XSD + "integer"))
    em.add(iri, QH + "confidence", _lit(f"{r.confidence:.3f}", XSD + "decimal"))
    em.add(iri, QH + "foundBy", _lit(r.rule))
    em.add(iri, PROV + "wasGeneratedBy", _iri(entity("run", PIPELINE_VERSION)))
    if is_hedged(ex.text[s_start:s_end]):
        em.add(iri, QH + "hedgedWording", _lit("true", XSD + "boolean"))
    if held:
        em.add(iri, QH + "heldForReview", _lit("true", XSD + "boolean"))
    if r.type == "not_controlled" and r.qualifier:
        em.add(iri, QH + "scope", _lit(r.qualifier))
    # ---- review (issue 16): the fact's fingerprint, and the decision applied to it
    em.add(iri, QH + "fingerprint", _lit(r.review.fingerprint if r.review else fact_fingerprint(ex, r)))
    if r.review:
        em.add(iri, QH + "reviewDecision", _iri(r.review.decision))
        em.add(iri, QH + "reviewAction", _lit(r.review.action))


def map_extraction(ex: Extraction, min_confidence: float = DEFAULT_MIN_CONFIDENCE) -> tuple[list[Quad], list[Quad]]:
    """Quads for one document's graph, and quads for the shared reference graph."""
    em = _Emitter(document_graph(ex.document))
    ref = _Emitter(REFERENCE_GRAPH)
    doc_iri = entity("document", ex.document)
    em.add(doc_iri, RDF + "type", _iri(QH + "SourceDocument"))
    em.add(doc_iri, DCTERMS + "title", Term.literal(ex.title or ex.document, lang="en"))
    em.add(doc_iri, QH + "text", _lit(ex.text))
    if ex.source_url.startswith("http"):
        em.add(doc_iri, DCTERMS + "source", _iri(ex.source_url))
    em.add(doc_iri, PROV + "wasGeneratedBy", _iri(entity("run", PIPELINE_VERSION)))
    owned = {r.subject for r in ex.relations if r.type == "applies_in"}
    for e in ex.entities:
        _describe_entity(em, ref, e)
        if e.type in ("Instrument", "Treaty"):
            em.add(doc_iri, QH + "describes", _iri(entity_iri(e.type, e.id)))
        if e.type == "Instrument" and e.id not in owned and _OWNER.match(e.id):
            # an instrument a text only names ("the Export Control Act 2002", "31 CFR part
            # 850") is its owner's law: the owner is in its id, read from the citing text
            owner = e.id.split(":", 1)[0]
            em.add(entity_iri("Instrument", e.id), QH + "appliesIn", _iri(entity_iri("Jurisdiction", owner)))
    for r in ex.relations:
        subject = _iri(entity_iri(r.subject_type, r.subject))
        predicate = _PREDICATES.get(r.type, "")
        if r.type == "part_of" and r.subject_type == "LicenseException":
            predicate = QH + "measureOf"
        elif r.type == "corresponds_to":
            predicate = _CORRESPONDENCE[r.qualifier]
        triple = (subject, _iri(predicate), _object_term(em, r))
        # a reviewer's accept or correction asserts the fact whatever its confidence;
        # a rejection never does
        action = r.review.action if r.review else ""
        held = r.confidence < min_confidence and not action
        if not held and action != "reject":
            em.quads.append((*triple, em.graph))
        _evidence(em, ex, triple, r, doc_iri, held)
    return em.quads, ref.quads


def map_all(extractions: Iterable[Extraction], min_confidence: float = DEFAULT_MIN_CONFIDENCE) -> list[Quad]:
    """All quads of all documents, without duplicates, in a stable order."""
    seen: set[Quad] = set()
    out: list[Quad] = []
    for ex in extractions:
        doc_quads, ref_quads = map_extraction(ex, min_confidence)
        for quad in (*doc_quads, *ref_quads):
            if quad not in seen:
                seen.add(quad)
                out.append(quad)
    return out


def to_nquads(quads: Iterable[Quad]) -> bytes:
    """Canonical N-Quads (sorted), so the same quads always hash the same."""
    return ntriples(quads, sort=True).encode("utf-8")
