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


def validate_graph(
    data: rdflib.Graph, *, focus_nodes: list | None = None, inplace: bool = False, ontology: bool = True
) -> ValidationReport:
    """Validate ``data`` with the ontology's axioms applied as RDFS would apply them
    (``rdfs_entailments``: the statements a shape can read, not the whole closure).

    ``focus_nodes`` validates only those nodes, against the shapes that target them
    (a build re-validates what a change touched). ``inplace`` lets the ontology and
    the entailed statements be added to ``data`` itself instead of a copy. Without
    ``ontology`` the ontology's own statements are not mixed in (so its individuals
    are not validated again): for nodes whose shapes read only their own statements
    (``self_contained``), whose types the entailments already spell out."""
    onto = shared_ontology_graph()
    target = data if inplace else _copy(data)
    for triple in rdfs_entailments(_chain(data, onto) if ontology else iter(data), onto):
        target.add(triple)
    conforms, report_graph, _ = shacl_validate(
        target,
        shacl_graph=shapes_graph(),
        ont_graph=onto if ontology else None,
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


#: constraints that read only the focus node's own statements
_OWN = {SH.path, SH.minCount, SH.maxCount, SH.datatype, SH.minInclusive, SH.maxInclusive, SH.minExclusive,
        SH.maxExclusive, SH.lessThan, SH.lessThanOrEquals, SH.equals, SH.disjoint, SH.message, SH.pattern, SH.flags,
        SH.nodeKind, SH["in"], SH.hasValue, SH.minLength, SH.maxLength, SH.languageIn, SH.uniqueLang, SH.severity,
        SH.name, SH.description, rdflib.RDF.type}  # fmt: skip


def self_contained(classes: set, properties: set) -> bool:
    """Whether nodes of ``classes``, whose statements use ``properties``, validate
    alike on their own statements (and entailments) as inside the whole graph: the
    shapes that target them read no other node (no ``sh:class``, ``sh:node``...), and
    no shape targets the subjects or objects of those properties. A build then
    validates each batch's evidence records apart from the rest."""
    shapes = shapes_graph()
    onto = shared_ontology_graph()
    supers = {c: {c, *onto.transitive_objects(c, rdflib.RDFS.subClassOf)} for c in classes}
    wanted = {s for c in classes for s in supers[c]}
    for target in (SH.targetSubjectsOf, SH.targetObjectsOf):
        if any(p in properties for p in shapes.objects(None, target)):
            return False
    for shape in shapes.subjects(SH.targetClass, None):
        if not set(shapes.objects(shape, SH.targetClass)) & wanted:
            continue
        for p, o in shapes.predicate_objects(shape):
            if p == SH.property:
                if any(q not in _OWN or isinstance(v, rdflib.BNode) for q, v in shapes.predicate_objects(o)):
                    return False
            elif p not in _OWN | {SH.targetClass, rdflib.RDFS.label, rdflib.RDFS.comment}:
                return False
    return True
