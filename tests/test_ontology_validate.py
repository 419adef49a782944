"""The SHACL report reaches people once: as the validation graph the build stores,
which the validation page and ``qharmony validate --report`` read. Nothing else
carries a second serialised copy of it."""

from __future__ import annotations

import dataclasses

import rdflib
from rdflib.namespace import SH as _SH

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


def _full_rdfs_results(data: rdflib.Graph) -> list[tuple]:
    """The results of pySHACL with its own full RDFS closure: what validate_graph
    must give without computing it."""
    from pyshacl import validate

    from qharmony.ontology.files import ontology_graph, shapes_graph
    from qharmony.ontology.validate import _shape_name, _text

    _, graph, _ = validate(
        data,
        shacl_graph=shapes_graph(),
        ont_graph=ontology_graph(),
        inference="rdfs",
        abort_on_first=False,
        allow_warnings=True,
    )
    results = graph.subjects(rdflib.RDF.type, _SH.ValidationResult)
    return sorted(
        (
            _text(graph, r, _SH.focusNode),
            _shape_name(graph, r),
            _text(graph, r, _SH.resultPath),
            _text(graph, r, _SH.value),
        )
        for r in results
    )


def _ours(report: ValidationReport) -> list[tuple]:
    return sorted((r.focus, r.shape, r.path, r.value) for r in report.results)


#: nodes typed only through a property's domain or range, or a sub-property: an
#: RDFS closure makes them targets, and so must the statements validate_graph adds
UNTYPED = """
@prefix qh: <https://w3id.org/qharmony/ontology#> .
@prefix ex: <http://ex.org/> .
ex:i qh:appliesIn ex:nowhere .
ex:e qh:partOf ex:i ; qh:hasThreshold ex:t .
ex:t qh:value -3 .
ex:m qh:member ex:zz .
"""


def test_entailed_types_give_the_results_of_a_full_rdfs_closure():
    data = rdflib.Graph().parse(data=BROKEN + UNTYPED, format="turtle")
    ours = _ours(validate_graph(data))
    assert ours == _full_rdfs_results(data)
    assert any(focus == "http://ex.org/i" for focus, *_ in ours)  # typed by qh:appliesIn's domain


def test_validating_chosen_focus_nodes_gives_their_results_only():
    data = rdflib.Graph().parse(data=BROKEN + UNTYPED, format="turtle")
    everything = _ours(validate_graph(data))
    chosen = {"http://ex.org/zz", "http://ex.org/i"}
    some = _ours(validate_graph(data, focus_nodes=[rdflib.URIRef(n) for n in chosen]))
    assert some == [r for r in everything if r[0] in chosen] and some
