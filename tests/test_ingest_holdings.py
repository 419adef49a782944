"""What the build derives about its holdings: the kind of each measure and of each
source document, and a partial coverage statement per instrument."""

from __future__ import annotations

import rdflib

from qharmony.ingest.holdings import declared_holdings, derive_holdings, document_kind, measure_kind
from qharmony.ontology.namespaces import QH


def test_measure_kinds_come_from_the_instrument_kind():
    assert measure_kind("final rule (investment control)") == "InvestmentScreeningMeasure"
    assert measure_kind("adequacy decision on data transfers") == "DataTransferMeasure"
    assert measure_kind("interim final rule") == "ExportControlMeasure"


def test_document_kinds_come_from_what_a_document_says_of_itself():
    assert (
        document_kind("# X\n\nThis is a qharmony summary, in our own words. It is not the official text.") == "Summary"
    )
    assert document_kind("[FR Doc. 2024-19633 Filed 9-5-24]\nAGENCY: Bureau of Industry and Security") == "OfficialText"
    assert document_kind("Quantum export controls are multiplying, a client alert says.") == "Commentary"


def test_each_instrument_gets_a_partial_holding_dated_as_its_source():
    data = rdflib.Graph().parse(
        format="turtle",
        data="""
@prefix qh: <https://w3id.org/qharmony/ontology#> .
@prefix ex: <http://ex.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:xe qh:isoCode "XE" .
ex:i a qh:LegalInstrument ; qh:appliesIn ex:xe ; qh:effectiveMonth "2024-09"^^xsd:gYearMonth ;
  qh:instrumentKind "final rule (investment control)" .
ex:e qh:partOf ex:i ; qh:inList ex:l .
""",
    )
    quads = derive_holdings(data)
    by_p = {}
    for _s, p, o, _g in quads:
        by_p.setdefault(p.value, []).append(o.value)
    assert by_p[QH + "holdingAsOf"] == ["2024-09"]
    assert by_p[QH + "completeHolding"] == ["false"]  # the build never claims completeness
    assert by_p[QH + "holdsList"] == ["http://ex.org/l"]
    assert by_p[QH + "measureKind"] == [QH + "InvestmentScreeningMeasure"]


def test_the_sample_corpus_declares_singapore_held_as_nothing():
    quads = declared_holdings()
    subjects = {s.value for s, p, o, _g in quads if o.value == QH + "CoverageStatement"}
    assert any(s.endswith("coverage/SG/declared") for s in subjects)
