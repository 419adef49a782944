"""Evidence records, inferred and validated a batch of documents at a time.

Most of a build's statements are evidence: one record per extracted statement (its
document, span, sentence, confidence, rule, fingerprint), about a node of its own that
only its document's graph names and nothing points at. Their rules conclude only about
the record itself (``infer.nonlocal_properties``: none of them joins) and the shapes
that target records read only the record's own statements (``validate.self_contained``),
so each batch's records are materialised and validated with that batch, and only the
facts (entries, instruments, thresholds, documents...) are kept for the whole-corpus
graph that holdings, inference and SHACL read. The result is what one run over
everything gives; a record that something points at, or that uses a property with a
joining rule, stays in the whole graph.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import rdflib

from qharmony.ontology.infer import materialise, nonlocal_properties, rdfs_entailments
from qharmony.ontology.namespaces import ID
from qharmony.ontology.validate import ValidationReport, ValidationResult, self_contained, validate_graph
from qharmony.queries.serialize import rdflib_converter

from .mapping import Quad

EVIDENCE = ID + "evidence/"
#: records' statements inferred and validated together: each SHACL run costs setting up
#: the shapes, so records wait for a chunk this size (a few batches' worth)
CHUNK = 15_000


@lru_cache(maxsize=1)
def _joining() -> frozenset[str]:
    return frozenset(str(p) for p in nonlocal_properties())


@dataclass
class Apart:
    """What the evidence records of the batches so far gave: their inferred triples
    go to the spool as they come; their SHACL results and the types their statements
    entail for other nodes (a value's class from a range) wait for the whole graph."""

    results: list[ValidationResult] = field(default_factory=list)
    conforms: bool = True
    inferred: int = 0
    #: entailed statements about nodes outside the records, for the whole graph's SHACL
    entailed: set = field(default_factory=set)
    checked: dict = field(default_factory=dict)


def split(quads: Sequence[Quad]) -> tuple[list[Quad], list[Quad]]:
    """The batch's quads that stay for the whole graph, and those of evidence records
    that can be handled apart."""
    joining = _joining()
    held_back = {q[2].value for q in quads if q[2].value.startswith(EVIDENCE) and not q[0].value.startswith(EVIDENCE)}
    for q in quads:
        if q[0].value.startswith(EVIDENCE) and q[1].value in joining:
            held_back.add(q[0].value)
    apart = [q for q in quads if q[0].value.startswith(EVIDENCE) and q[0].value not in held_back]
    if not apart:
        return list(quads), []
    whole = [q for q in quads if not q[0].value.startswith(EVIDENCE) or q[0].value in held_back]
    return whole, apart


def handle(apart: Sequence[Quad], state: Apart) -> set | None:
    """Materialise and validate one batch's records; their inferred triples (rdflib),
    or ``None`` when the shapes read more than a record's own statements (the caller
    then keeps the records in the whole graph)."""
    node = rdflib_converter()
    local = rdflib.Graph()
    for s, p, o, _ in apart:
        local.add((node(s), node(p), node(o)))
    classes = frozenset(local.objects(None, rdflib.RDF.type))
    properties = frozenset(local.predicates())
    key = (classes, properties)
    if key not in state.checked:
        state.checked[key] = self_contained(set(classes), set(properties))
    if not state.checked[key]:
        return None
    inferred = materialise(local)
    subjects = set(local.subjects())
    state.entailed |= {t for t in rdfs_entailments(local) if t[0] not in subjects}
    for triple in inferred:
        local.add(triple)
    # every target, not ``focus_nodes`` (pySHACL's focus check grows with their number
    # times the targets'), without the ontology's individuals; the results about the
    # records' values are not theirs
    report = validate_graph(local, inplace=True, ontology=False)
    own = {str(n) for n in subjects}
    results = [r for r in report.results if r.focus in own]
    state.results += results
    state.conforms = state.conforms and not any(r.severity == "Violation" for r in results)
    state.inferred += len(inferred)
    return inferred


def merged(whole: ValidationReport, state: Apart) -> ValidationReport:
    """The whole graph's report with the records' results, in the report's order."""
    results = sorted([*whole.results, *state.results], key=lambda r: (r.shape, r.focus, r.path))
    return ValidationReport(whole.conforms and state.conforms, results)
