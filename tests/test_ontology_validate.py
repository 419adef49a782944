"""The SHACL report reaches people once: as the validation graph the build stores,
which the validation page and ``qharmony validate --report`` read. Nothing else
carries a second serialised copy of it."""

from __future__ import annotations

import dataclasses

import rdflib

from qharmony.ingest.build import _validation_quads
from qharmony.ontology.namespaces import SH
from qharmony.ontology.validate import ValidationReport, validate_graph

BROKEN = """
@prefix qh: <https://w3id.org/qharmony/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <http://ex.org/> .
ex:zz a qh:State ; rdfs:label "Nowhere" ; qh:isoCode "ZZZ" .
ex:w a qh:Arrangement ; rdfs:label "Solo" ; qh:hasParty ex:zz .
"""


def test_every_result_is_in_the_stored_report_graph():
    report = validate_graph(rdflib.Graph().parse(data=BROKEN, format="turtle"))
    assert not report.conforms and len(report.results) >= 2
    quads = _validation_quads(report)
    nodes = {q[0].value for q in quads if q[2].value == SH + "ValidationResult"}
    messages = {q[2].value for q in quads if q[1].value == SH + "resultMessage"}
    assert len(nodes) == len(report.results)
    assert messages == {r.message for r in report.results}


def test_the_report_keeps_no_unread_serialisation():
    assert [f.name for f in dataclasses.fields(ValidationReport)] == ["conforms", "results"]
