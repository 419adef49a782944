"""Validate data against the SHACL shapes with pySHACL.

The report is kept, both as plain results a person can read and as the W3C
validation-report graph a program can process.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import rdflib
from pyshacl import validate as shacl_validate
from rdflib.namespace import SH

from .files import shapes_graph, shared_ontology_graph
from .infer import rdfs_entailments


@dataclass(frozen=True)
class ValidationResult:
    """One violated constraint, worded for people."""

    focus: str
    shape: str
    path: str
    message: str
    severity: str
    value: str = ""


@dataclass
class ValidationReport:
    """The outcome of one validation run."""

    conforms: bool
    results: list[ValidationResult] = field(default_factory=list)


def _text(graph: rdflib.Graph, node, prop) -> str:
    value = graph.value(node, prop)
    return "" if value is None else str(value)


def _shape_name(graph: rdflib.Graph, result) -> str:
    shape = graph.value(result, SH.sourceShape)
    parent = None
    if isinstance(shape, rdflib.BNode):
        # property shapes are blank nodes: name the node shape that holds them
        parent = shapes_graph().value(None, SH.property, shape)
    named = parent if parent is not None else shape
    return "" if named is None or isinstance(named, rdflib.BNode) else str(named)


def _copy(graph: rdflib.Graph) -> rdflib.Graph:
    out = rdflib.Graph()
    for triple in graph:
        out.add(triple)
    return out


def _chain(*graphs: rdflib.Graph):
    for graph in graphs:
        yield from graph


def validate_graph(data: rdflib.Graph, *, focus_nodes: list | None = None, inplace: bool = False) -> ValidationReport:
    """Validate ``data`` with the ontology's axioms applied as RDFS would apply them
    (``rdfs_entailments``: the statements a shape can read, not the whole closure).

    ``focus_nodes`` validates only those nodes, against the shapes that target them
    (a build re-validates what a change touched). ``inplace`` lets the ontology and
    the entailed statements be added to ``data`` itself instead of a copy."""
    onto = shared_ontology_graph()
    target = data if inplace else _copy(data)
    for triple in rdfs_entailments(_chain(data, onto), onto):
        target.add(triple)
    conforms, report_graph, _ = shacl_validate(
        target,
        shacl_graph=shapes_graph(),
        ont_graph=onto,
        inference="none",
        inplace=True,
        abort_on_first=False,
        allow_warnings=True,
        focus_nodes=focus_nodes,
    )
    results = []
    for result in report_graph.subjects(rdflib.RDF.type, SH.ValidationResult):
        severity = report_graph.value(result, SH.resultSeverity)
        results.append(
            ValidationResult(
                focus=_text(report_graph, result, SH.focusNode),
                shape=_shape_name(report_graph, result),
                path=_text(report_graph, result, SH.resultPath),
                message=_text(report_graph, result, SH.resultMessage),
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                value=_text(report_graph, result, SH.value),
            )
        )
    results.sort(key=lambda r: (r.shape, r.focus, r.path))
    return ValidationReport(bool(conforms), results)
