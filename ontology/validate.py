"""Validate data against the SHACL shapes with pySHACL.

The report is kept, both as plain results a person can read and as the W3C
validation-report graph a program can process.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import rdflib
from pyshacl import validate as shacl_validate
from rdflib.namespace import SH

from .files import ontology_graph, shapes_graph


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


def validate_graph(data: rdflib.Graph) -> ValidationReport:
    """Validate ``data`` with the ontology's subclass axioms applied (RDFS inference)."""
    conforms, report_graph, _ = shacl_validate(
        data,
        shacl_graph=shapes_graph(),
        ont_graph=ontology_graph(),
        inference="rdfs",
        abort_on_first=False,
        allow_warnings=True,
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
