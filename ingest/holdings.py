"""What the graph holds, derived from the documents: a coverage statement per
instrument of each jurisdiction (partial unless someone declares it complete), the
kind of measure each instrument is, and the kind of each source document.

An answer can only say "not controlled" when a source says so or a holding is
complete; these statements are what lets it tell silence from absence.
"""

from __future__ import annotations

import re
from importlib import resources

import rdflib
from rdflib.namespace import RDF, RDFS, XSD

from qharmony.ontology.namespaces import DCTERMS, ELI, HOLDINGS_GRAPH, QH, entity, slug
from qharmony.queries.results import Term

from .mapping import Quad

_QH = rdflib.Namespace(QH)
_ELI = rdflib.Namespace(ELI)
_DCT = rdflib.Namespace(DCTERMS)

#: The instrument's kind as its document states it -> the kind of measure. First match wins.
MEASURE_KINDS = (
    (re.compile(r"\binvestment\b", re.I), "InvestmentScreeningMeasure"),
    (re.compile(r"\bdata[- ](?:transfer|protection|privacy)|\badequacy\b|\bprivacy\b", re.I), "DataTransferMeasure"),
    (re.compile(r"\bsanction", re.I), "OtherMeasure"),
)

#: What a document says of itself. A summary says it is one; official texts carry the
#: marks of their publication; anything else is commentary, never quoted as law.
_SUMMARY = re.compile(r"\bis a [\w-]+ summary\b|\bnot the official text\b|\bin our own words\b", re.I)
_OFFICIAL = re.compile(
    r"\[FR Doc\b|^\s*AGENCY:|Official Journal of the European Union|HAS ADOPTED THIS REGULATION|"
    r"^\s*STATUTORY INSTRUMENTS\b|^\s*Title 15\b.*Commerce|^\s*§\s*\d+\.\d+|Canada Gazette Part II",
    re.I | re.M,
)


def measure_kind(kind_text: str) -> str:
    """The measure kind (local name) an instrument kind names; export control by default."""
    for pattern, kind in MEASURE_KINDS:
        if pattern.search(kind_text):
            return kind
    return "ExportControlMeasure"


def document_kind(text: str) -> str:
    """The document kind (local name) of a source text, from what it says of itself."""
    head = text[:4000]
    if _SUMMARY.search(head):
        return "Summary"
    if _OFFICIAL.search(head):
        return "OfficialText"
    return "Commentary"


def _term(node) -> Term:
    if isinstance(node, rdflib.URIRef):
        return Term.iri(str(node))
    return Term.literal(str(node), str(node.datatype) if node.datatype else None, node.language)


def _value(data: rdflib.Graph, subject, prop):
    """One value of a property, the same one whatever order the graph was filled in
    (the least, where documents give several): ``Graph.value`` picks any, so an
    addition built on part of the graph could pick another than a full build."""
    values = sorted(data.objects(subject, prop))
    return values[0] if values else None


def _holding_date(data: rdflib.Graph, instrument) -> rdflib.Literal | None:
    """The date from which an instrument is held: its entry into force, as precise as
    the source gives it, else its adoption."""
    for prop in (_ELI.first_date_entry_in_force, _QH.effectiveMonth, _QH.attestedInForceOn, _ELI.date_document):
        value = _value(data, instrument, prop)
        if value is not None:
            return value
    return None


def derive_holdings(data: rdflib.Graph) -> list[Quad]:
    """Coverage statements, measure kinds and document kinds for the documents' data."""
    g = Term.iri(HOLDINGS_GRAPH)
    out: list[Quad] = []

    def add(s: str, p: str, o: Term) -> None:
        out.append((Term.iri(s), Term.iri(p), o, g))

    for doc in sorted(data.subjects(RDF.type, _QH.SourceDocument)):
        text = str(_value(data, doc, _QH.text) or "")
        add(str(doc), QH + "documentKind", Term.iri(QH + document_kind(text)))
    for instrument in sorted(data.subjects(RDF.type, _QH.LegalInstrument)):
        if _value(data, instrument, _QH.measureKind) is None:
            kind = measure_kind(str(_value(data, instrument, _QH.instrumentKind) or ""))
            add(str(instrument), QH + "measureKind", Term.iri(QH + kind))
        proposed = (instrument, RDF.type, _QH.ProposedInstrument) in data
        for place in sorted(data.objects(instrument, _QH.appliesIn)):
            code = _value(data, place, _QH.isoCode)
            if code is None or proposed:
                continue
            statement = entity("coverage", str(code), slug(str(instrument).rsplit("/", 1)[-1]))
            add(statement, str(RDF.type), Term.iri(QH + "CoverageStatement"))
            add(statement, QH + "coverageOf", Term.iri(str(place)))
            add(statement, QH + "holdsInstrument", Term.iri(str(instrument)))
            entries = set(data.subjects(_QH.partOf, instrument))
            for found in sorted({lst for e in entries for lst in data.objects(e, _QH.inList)}):
                add(statement, QH + "holdsList", Term.iri(str(found)))
            since = _holding_date(data, instrument)
            if since is not None:
                add(statement, QH + "holdingAsOf", _term(since))
            add(statement, QH + "completeHolding", Term.literal("false", str(XSD.boolean)))
            add(statement, QH + "declaredBy", Term.literal("build"))
            label = _value(data, instrument, RDFS.label) or instrument
            add(statement, str(RDFS.label), Term.literal(f"{code}: {label}"[:200], lang="en"))
    return out


def declared_holdings() -> list[Quad]:
    """The sample corpus's own coverage declarations (``corpus/holdings.ttl``)."""
    path = resources.files("qharmony.ingest").joinpath("corpus", "holdings.ttl")
    graph = rdflib.Graph()
    graph.parse(data=path.read_text(encoding="utf-8"), format="turtle")
    g = Term.iri(HOLDINGS_GRAPH)
    return [(_term(s), _term(p), _term(o), g) for s, p, o in sorted(graph)]
