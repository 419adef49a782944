"""The build: read, extract, map, reason, validate, and swap the result into the store.

Everything is assembled in memory first; the store sees one ``replace`` at the end,
so a failed or killed build leaves the previous graph serving.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import rdflib
from rdflib.compare import to_canonical_graph

from qharmony.ontology.files import ontology_graph
from qharmony.ontology.infer import materialise
from qharmony.ontology.namespaces import (
    GENID,
    GRAPH,
    INFERRED_GRAPH,
    META_GRAPH,
    ONTOLOGY_GRAPH,
    QH,
    QUARANTINE_GRAPH,
    RDF,
    SH,
    VALIDATION_GRAPH,
    XSD,
    entity,
)
from qharmony.ontology.reason import ReasoningReport, check_ontology
from qharmony.ontology.validate import ValidationReport, validate_graph
from qharmony.queries.loading import user_graphs
from qharmony.queries.results import Term
from qharmony.queries.review import Decision, decision_quads, stored_decisions
from qharmony.queries.serialize import ntriples, term_from_rdflib
from qharmony.queries.store import Store

from .decisions import ReviewOutcome, apply_decisions
from .extract import extract_documents
from .holdings import declared_holdings, derive_holdings
from .jurisdictions import Jurisdiction, reference_extraction
from .mapping import DEFAULT_MIN_CONFIDENCE, Quad, map_all, to_nquads
from .pipeline import PIPELINE_VERSION, load_pipeline
from .pointers import resolve as resolve_pointers
from .readers import READERS, ReaderError, SourceText, read_source

Progress = Callable[[str, int, int], None]

#: Called with the name of each point the build reaches (``read``, ``extracted``,
#: ``inferred``, ``validated``, ``serialised`` just before the swap, ``swapped`` just
#: after it). Empty in normal use; the kill-during-build test stops a build at each.
STAGE_HOOKS: list[Callable[[str], None]] = []


def _reached(stage: str) -> None:
    for hook in STAGE_HOOKS:
        hook(stage)


@dataclass
class BuildReport:
    """What a build did, for the CLI to summarise and the explorer to show."""

    documents: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    triples: int = 0
    inferred: int = 0
    validation: ValidationReport | None = None
    quarantined: list[str] = field(default_factory=list)
    reasoning: ReasoningReport | None = None
    #: what reviewers' decisions did: applied, orphaned (issue 16)
    review: ReviewOutcome | None = None
    content_hash: str = ""
    seconds: float = 0.0


def sample_corpus() -> list[Path]:
    """The bundled sample documents."""
    folder = resources.files("qharmony.ingest").joinpath("corpus")
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith((".md", ".txt")) and p.name != "README.md")


def collect_paths(paths: Sequence[str | Path]) -> list[Path]:
    """Files named, and the readable files inside folders named."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in READERS and p.name != "README.md"))
        else:
            found.append(path)
    return found


def read_all(paths: Iterable[Path], report: BuildReport) -> list[SourceText]:
    """Read every file; a bad file is reported and the rest proceed."""
    sources = []
    for path in paths:
        try:
            sources.append(read_source(path))
        except ReaderError as exc:
            report.rejected.append(str(exc))
    return sources


def _to_rdflib(quads: Iterable[Quad]) -> rdflib.Graph:
    """The union of the quads' graphs as one rdflib graph."""
    graph = rdflib.Graph()
    graph.parse(data=ntriples(q[:3] for q in quads), format="nt")
    return graph


def _skolemised_ontology() -> rdflib.Graph:
    """The ontology with blank nodes replaced by stable IRIs (RDF 1.1 skolemisation),
    so that two builds store exactly the same triples."""
    canonical = to_canonical_graph(ontology_graph())
    base = GENID
    out = rdflib.Graph()
    for triple in canonical:
        out.add(tuple(rdflib.URIRef(base + str(n)) if isinstance(n, rdflib.BNode) else n for n in triple))
    return out


def _validation_quads(validation: ValidationReport) -> list[Quad]:
    """The SHACL report with stable IRIs instead of blank nodes."""
    g = Term.iri(VALIDATION_GRAPH)
    report = entity("validation", "report")
    quads: list[Quad] = [
        (Term.iri(report), Term.iri(RDF + "type"), Term.iri(SH + "ValidationReport"), g),
        (
            Term.iri(report),
            Term.iri(SH + "conforms"),
            Term.literal(str(validation.conforms).lower(), XSD + "boolean"),
            g,
        ),
    ]
    for r in validation.results:
        key = "|".join([r.focus, r.shape, r.path, r.message, r.value])
        node = Term.iri(entity("validation", hashlib.sha1(key.encode()).hexdigest()[:16]))
        quads.append((Term.iri(report), Term.iri(SH + "result"), node, g))
        quads.append((node, Term.iri(RDF + "type"), Term.iri(SH + "ValidationResult"), g))
        quads.append((node, Term.iri(SH + "resultSeverity"), Term.iri(SH + r.severity), g))
        quads.append((node, Term.iri(SH + "resultMessage"), Term.literal(r.message), g))
        if r.focus.startswith(("http://", "https://")):
            quads.append((node, Term.iri(SH + "focusNode"), Term.iri(r.focus), g))
        if r.shape:
            quads.append((node, Term.iri(SH + "sourceShape"), Term.iri(r.shape), g))
        if r.path.startswith(("http://", "https://")):
            quads.append((node, Term.iri(SH + "resultPath"), Term.iri(r.path), g))
        if r.value:
            quads.append((node, Term.iri(SH + "value"), Term.literal(r.value), g))
    return quads


def _quarantine(quads: list[Quad], validation: ValidationReport) -> tuple[list[Quad], list[str]]:
    """Move statements about nodes that violate a shape into a quarantine record.

    The failing statements are kept as N-Quads text on the record, next to the
    report, so they are neither lost nor visible as facts.
    """
    failing = {r.focus for r in validation.results if r.severity == "Violation"}
    if not failing:
        return quads, []
    kept: list[Quad] = []
    held: dict[str, list[Quad]] = {f: [] for f in failing}
    for quad in quads:
        if quad[0].value in failing and quad[3].value.startswith(GRAPH + "doc/"):
            held[quad[0].value].append(quad)
        else:
            kept.append(quad)
    g = Term.iri(QUARANTINE_GRAPH)
    for focus, moved in held.items():
        record = Term.iri(entity("quarantine", hashlib.sha1(focus.encode()).hexdigest()[:16]))
        kept.append((record, Term.iri(RDF + "type"), Term.iri(QH + "QuarantineRecord"), g))
        if focus.startswith(("http://", "https://")):
            kept.append((record, Term.iri(QH + "focusNode"), Term.iri(focus), g))
        kept.append((record, Term.iri(QH + "heldData"), Term.literal(to_nquads(moved).decode("utf-8")), g))
    return kept, sorted(failing)


def build(
    store: Store,
    paths: Sequence[str | Path] | None = None,
    *,
    progress: Progress | None = None,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    reason: bool = True,
    jurisdictions: list[Jurisdiction] | None = None,
    decisions: Sequence[Decision] = (),
    carry: Sequence[Quad] = (),
) -> BuildReport:
    """Build the graph from ``paths`` (default: the sample corpus) into ``store``.

    ``jurisdictions`` are the user's beyond ISO 3166 (``load_jurisdictions``); the
    build honours their codes and names, and records them as a document of their own.
    The reviewers' decisions already in the store's audit graph, and ``decisions``,
    are applied to what is extracted and written back to the audit graph.
    ``carry``: statements to build in beside the texts' own, before inference and
    validation (a sync passes the documents it keeps and its texts' provenance)."""

    started = time.perf_counter()
    report = BuildReport()
    tick = progress or (lambda stage, done, total: None)
    files = collect_paths(paths) if paths else sample_corpus()
    sources = read_all(files, report)
    if not sources:
        raise ReaderError("no readable documents: " + ("; ".join(report.rejected) or "none given"))
    _reached("read")
    nlp = load_pipeline()
    extractions = []
    for i, ex in enumerate(extract_documents(sources, nlp, jurisdictions=jurisdictions), start=1):
        extractions.append(ex)
        report.documents.append(ex.document)
        tick("extract", i, len(sources))
    resolve_pointers(extractions)  # D/E entries "for items in 4A906.b" held by another document
    if jurisdictions:
        extractions.append(reference_extraction(jurisdictions))
    # ---- review (issue 16): decisions made so far, applied before mapping
    known = {d.id: d for d in [*stored_decisions(store), *decisions]}
    report.review = apply_decisions(extractions, known.values())
    quads = [*map_all(extractions, min_confidence), *carry]
    quads.extend(decision_quads(known.values(), report.review.status(), report.review.replaced))
    quads.extend(derive_holdings(_to_rdflib(quads)))
    if carry:
        quads = list(dict.fromkeys(quads))
    if not paths:
        quads.extend(declared_holdings())

    tick("map", 1, 1)
    _reached("extracted")

    data = _to_rdflib(quads)
    inferred = materialise(data)
    g_inf = Term.iri(INFERRED_GRAPH)
    quads.extend((*(term_from_rdflib(n) for n in t), g_inf) for t in sorted(inferred))
    report.inferred = len(inferred)
    tick("reason", 1, 1)
    _reached("inferred")

    for triple in inferred:
        data.add(triple)
    report.validation = validate_graph(data)
    quads, report.quarantined = _quarantine(quads, report.validation)
    quads.extend(_validation_quads(report.validation))
    tick("validate", 1, 1)
    _reached("validated")

    if reason:
        report.reasoning = check_ontology()
    g_onto = Term.iri(ONTOLOGY_GRAPH)
    quads.extend((*(term_from_rdflib(n) for n in t), g_onto) for t in _skolemised_ontology())
    data_nq = to_nquads(q for q in quads if q[3].value.startswith(GRAPH + "doc/"))
    report.content_hash = hashlib.sha256(data_nq).hexdigest()
    meta = Term.iri(entity("build", "current"))
    g_meta = Term.iri(META_GRAPH)
    quads.extend(
        [
            (meta, Term.iri(QH + "contentHash"), Term.literal(report.content_hash), g_meta),
            (meta, Term.iri(QH + "pipelineVersion"), Term.literal(PIPELINE_VERSION), g_meta),
            (
                meta,
                Term.iri(QH + "conforms"),
                Term.literal(str(report.validation.conforms).lower(), XSD + "boolean"),
                g_meta,
            ),
        ]
    )
    nquads = to_nquads(quads)
    report.triples = nquads.count(b"\n")
    _reached("serialised")
    store.replace(nquads + user_graphs(store))
    _reached("swapped")
    tick("store", 1, 1)
    report.seconds = time.perf_counter() - started
    return report
