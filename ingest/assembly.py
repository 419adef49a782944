"""A full build's graph, assembled a batch of documents at a time.

Extraction leaves each document's result in the build cache and keeps only what
settling pointers across documents reads (``documents.extract_planned(keep=False)``);
then each batch is read back, settled, reviewed and mapped, its document graphs
hashed and its quads written to a spool file on disk, and dropped. What follows reads
the data as one graph (holdings, inference and SHACL need every statement of a node),
which holds each distinct triple once, rather than every document's quads, their
N-Quads text and every extraction at once. The store takes the spool as a file
(``Store.replace``): the embedded store loads it without holding it in memory.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Iterable, Sequence
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
    document_graph,
    entity,
)
from qharmony.ontology.reason import check_ontology
from qharmony.ontology.validate import ValidationReport, validate_graph
from qharmony.queries.loading import user_graphs
from qharmony.queries.results import Term
from qharmony.queries.review import Decision, decision_quads, stored_decisions
from qharmony.queries.serialize import ntriples, rdflib_converter, term_from_rdflib
from qharmony.queries.store import Store

from . import evidence
from .cache import ExtractionCache, Manifest, ontology_fingerprint
from .decisions import Review
from .delta import content_hash, meta_quads
from .documents import Planned, extract_planned
from .holdings import declared_holdings, derive_holdings
from .jurisdictions import Jurisdiction, reference_extraction
from .mapping import Quad, map_extraction
from .parallel import HERE, Workers
from .stages import BuildReport, Progress, reached
from .version import PIPELINE_VERSION

#: documents mapped and written out together: the unit that bounds a build's memory
BATCH = 32
REFERENCE_DOCUMENT = "jurisdictions"
_DOC = GRAPH + "doc/"
_INFERRED = Term.iri(INFERRED_GRAPH)


def to_rdflib(quads: Iterable[Quad], graph: rdflib.Graph | None = None) -> rdflib.Graph:
    """The union of the quads' graphs as one rdflib graph (added to ``graph``),
    built term by term rather than by writing and parsing N-Triples."""
    graph = rdflib.Graph() if graph is None else graph
    node = rdflib_converter()
    for s, p, o, _ in quads:
        graph.add((node(s), node(p), node(o)))
    return graph


def skolemised_ontology() -> rdflib.Graph:
    """The ontology with blank nodes replaced by stable IRIs (RDF 1.1 skolemisation),
    so that two builds store exactly the same triples."""
    canonical = to_canonical_graph(ontology_graph())
    out = rdflib.Graph()
    for triple in canonical:
        out.add(tuple(rdflib.URIRef(GENID + str(n)) if isinstance(n, rdflib.BNode) else n for n in triple))
    return out


def validation_quads(validation: ValidationReport) -> list[Quad]:
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


class Spool:
    """The N-Quads a build writes, in a temporary file beside nothing it replaces, and
    the hash of each document graph (its canonical N-Quads) as its batch is written."""

    def __init__(self) -> None:
        fd, name = tempfile.mkstemp(prefix="qharmony-build-", suffix=".nq")
        self.path = Path(name)
        self.file = os.fdopen(fd, "w", encoding="utf-8")
        self.lines = 0
        self.hashes: dict[str, str] = {}

    def write(self, quads: Iterable[Quad]) -> None:
        text = ntriples(quads)
        self.lines += text.count("\n")
        self.file.write(text)

    def write_documents(self, quads: Sequence[Quad]) -> None:
        """A batch's quads; each document graph lies wholly in one batch, so its hash
        is final here."""
        lines = [ntriples([quad]) for quad in quads]  # each quad written out once
        by_graph: dict[str, list[str]] = {}
        for quad, line in zip(quads, lines, strict=True):
            if quad[3].value.startswith(_DOC):
                by_graph.setdefault(quad[3].value, []).append(line)
        for graph, graph_lines in by_graph.items():
            self.hashes[graph] = hashlib.sha256("".join(sorted(graph_lines)).encode("utf-8")).hexdigest()
        self.lines += len(lines)
        self.file.write("".join(lines))

    def quarantine(self, failing: set[str]) -> dict[str, list[str]]:
        """Take the document statements about ``failing`` nodes out of the spool (as
        their N-Quads lines, by node) and hash again the graphs they leave."""
        self.file.close()
        marks = {f"<{f}>": f for f in failing} | {f"_:{f}": f for f in failing}
        held: dict[str, list[str]] = {f: [] for f in failing}
        touched: set[str] = set()
        kept = self.path.with_suffix(".kept.nq")
        with open(self.path, encoding="utf-8") as src, open(kept, "w", encoding="utf-8") as out:
            for line in src:
                subject, graph = line.split(" ", 1)[0], line.rsplit(" ", 2)[-2]
                if subject in marks and graph.startswith("<" + _DOC):
                    held[marks[subject]].append(line)
                    touched.add(graph[1:-1])
                    self.lines -= 1
                else:
                    out.write(line)
        os.replace(kept, self.path)
        graphs: dict[str, list[str]] = {g: [] for g in touched}
        with open(self.path, encoding="utf-8") as src:
            for line in src:
                graph = line.rsplit(" ", 2)[-2][1:-1]
                if graph in graphs:
                    graphs[graph].append(line)
        for graph, lines in graphs.items():
            if lines:
                self.hashes[graph] = hashlib.sha256("".join(sorted(lines)).encode("utf-8")).hexdigest()
            else:
                self.hashes.pop(graph, None)
        self.file = open(self.path, "a", encoding="utf-8")
        return held

    def close(self) -> Path:
        self.file.close()
        return self.path

    def remove(self) -> None:
        self.file.close()
        self.path.unlink(missing_ok=True)


def _quarantine(spool: Spool, validation: ValidationReport) -> list[str]:
    """Move statements about nodes that violate a shape into a quarantine record.

    The failing statements are kept as N-Quads text on the record, next to the
    report, so they are neither lost nor visible as facts."""
    failing = {r.focus for r in validation.results if r.severity == "Violation"}
    if not failing:
        return []
    held = spool.quarantine(failing)
    g = Term.iri(QUARANTINE_GRAPH)
    records: list[Quad] = []
    for focus, moved in held.items():
        record = Term.iri(entity("quarantine", hashlib.sha1(focus.encode()).hexdigest()[:16]))
        records.append((record, Term.iri(RDF + "type"), Term.iri(QH + "QuarantineRecord"), g))
        if focus.startswith(("http://", "https://")):
            records.append((record, Term.iri(QH + "focusNode"), Term.iri(focus), g))
        records.append((record, Term.iri(QH + "heldData"), Term.literal("".join(sorted(moved))), g))
    spool.write(records)
    return sorted(failing)


def _map_batches(got, review: Review, spool: Spool, data: rdflib.Graph, min_confidence: float, extra, carry, apart):
    """Map each batch of extractions (with ``extra`` ones last), write it to the spool
    and add its triples to ``data``, bar the evidence records handled ``apart``
    (``evidence``); the documents' names, in order. ``carry``: quads
    to build in beside them (a sync's provenance), each with its document's batch, so
    that a document graph is hashed whole."""
    names: list[str] = []
    pending: dict[str, list[Quad]] = {}
    for quad in dict.fromkeys(carry):
        pending.setdefault(quad[3].value if quad[3].value.startswith(_DOC) else "", []).append(quad)
    seen_shared: set[Quad] = set()  # the shared reference graph: each statement once
    waiting: list[Quad] = []  # evidence records, handled apart a chunk at a time
    for batch in [*got.batches(BATCH), *([extra] if extra else [])]:
        review.apply(batch)
        quads: list[Quad] = []
        seen: set[Quad] = set()
        for ex in batch:
            names.append(ex.document)
            own, reference = map_extraction(ex, min_confidence)
            for quad in [*own, *pending.pop(document_graph(ex.document), [])]:
                if quad not in seen:
                    seen.add(quad)
                    quads.append(quad)
            for quad in reference:
                if quad not in seen_shared:
                    seen_shared.add(quad)
                    quads.append(quad)
        spool.write_documents(quads)
        whole, records = evidence.split(quads)
        to_rdflib(whole, data)
        waiting.extend(records)
        if len(waiting) >= evidence.CHUNK:
            _handle_apart(waiting, apart, spool, data)
    _handle_apart(waiting, apart, spool, data)
    rest = [q for quads in pending.values() for q in quads if q not in seen_shared]
    spool.write_documents(rest)
    to_rdflib(rest, data)
    return names


def _handle_apart(records: list[Quad], apart, spool: Spool, data: rdflib.Graph) -> None:
    """Infer and validate the evidence records waiting (``evidence.handle``); those
    the shapes must read with the rest go to the whole graph after all."""
    if not records:
        return
    inferred = evidence.handle(records, apart)
    if inferred is None:
        to_rdflib(records, data)
    else:
        spool.write((*(term_from_rdflib(n) for n in t), _INFERRED) for t in inferred)
    records.clear()


def assemble(
    store: Store,
    planned: Sequence[Planned],
    report: BuildReport,
    started: float,
    cache: ExtractionCache | None,
    *,
    sample: bool,
    progress: Progress | None,
    min_confidence: float,
    reason: bool,
    jurisdictions: list[Jurisdiction] | None,
    decisions: Sequence[Decision],
    carry: Sequence[Quad] = (),
    workers: Workers = HERE,
) -> BuildReport:
    """Everything after reading: extract (or take from the cache), review, map,
    derive holdings, infer, validate, quarantine, and one swap into the store."""
    spool = Spool()
    scratch = None
    try:
        if cache is None:  # the extractions wait in a cache of this build's own
            scratch = tempfile.TemporaryDirectory(prefix="qharmony-extractions-")
        _assemble(store, planned, report, cache, scratch, spool, sample, progress, min_confidence, reason,
                  jurisdictions, decisions, carry, workers)  # fmt: skip
    finally:
        spool.remove()
        if scratch is not None:
            scratch.cleanup()
    report.seconds = time.perf_counter() - started
    return report


def _assemble(store, planned, report, cache, scratch, spool, sample, progress, min_confidence, reason,
              jurisdictions, decisions, carry, workers) -> None:  # fmt: skip
    tick = progress or (lambda stage, done, total: None)
    clock = [time.perf_counter()]

    def stage(name: str) -> None:
        now = time.perf_counter()
        report.stages[name] = report.stages.get(name, 0.0) + now - clock[0]
        clock[0] = now

    where = cache if cache is not None else ExtractionCache(scratch.name)
    got = extract_planned(planned, where, jurisdictions=jurisdictions, progress=tick, workers=workers, keep=False)
    report.extracted = got.extracted
    stage("extract")
    # ---- review (issue 16): decisions made so far, applied before mapping
    known = {d.id: d for d in [*stored_decisions(store), *decisions]}
    review = Review(known.values())
    data = rdflib.Graph()
    extra = [reference_extraction(jurisdictions, REFERENCE_DOCUMENT)] if jurisdictions else []
    apart = evidence.Apart()
    names = _map_batches(got, review, spool, data, min_confidence, extra, carry, apart)
    report.documents = names[: len(planned)]
    report.review = review.outcome()
    tail = decision_quads(known.values(), report.review.status(), report.review.replaced)
    holdings = derive_holdings(data)
    if sample:
        holdings.extend(declared_holdings())
    tail.extend(holdings)
    to_rdflib(tail, data)
    spool.write(tail)
    del tail, holdings
    tick("map", 1, 1)
    stage("map")
    reached("extracted")

    inferred = materialise(data)
    spool.write((*(term_from_rdflib(n) for n in t), _INFERRED) for t in sorted(inferred))
    report.inferred = len(inferred) + apart.inferred
    tick("reason", 1, 1)
    stage("reason")
    reached("inferred")

    for triple in (*inferred, *apart.entailed):
        data.add(triple)
    del inferred
    report.validation = evidence.merged(validate_graph(data, inplace=True), apart)
    del data  # with the entailments SHACL read: the largest thing a build holds
    report.quarantined = _quarantine(spool, report.validation)
    spool.write(validation_quads(report.validation))
    tick("validate", 1, 1)
    stage("validate")
    reached("validated")

    if reason:
        report.reasoning = check_ontology()
    g_onto = Term.iri(ONTOLOGY_GRAPH)
    spool.write((*(term_from_rdflib(n) for n in t), g_onto) for t in skolemised_ontology())
    report.content_hash = content_hash(spool.hashes)
    meta = Term.iri(entity("build", "current"))
    g_meta = Term.iri(META_GRAPH)
    conforms = Term.literal(str(report.validation.conforms).lower(), XSD + "boolean")
    spool.write(meta_quads(spool.hashes))
    spool.write(
        [
            (meta, Term.iri(QH + "contentHash"), Term.literal(report.content_hash), g_meta),
            (meta, Term.iri(QH + "pipelineVersion"), Term.literal(PIPELINE_VERSION), g_meta),
            (meta, Term.iri(QH + "conforms"), conforms, g_meta),
        ]
    )
    report.triples = spool.lines
    stage("serialise")
    reached("serialised")
    kept = user_graphs(store)
    if kept:
        spool.file.write(kept.decode("utf-8"))
    store.replace(spool.close())
    reached("swapped")
    tick("store", 1, 1)
    stage("store")
    if cache is not None:
        record = Manifest(report.content_hash, got.documents, jurisdictions, sample, min_confidence)
        record.ontology = ontology_fingerprint()
        record.rounds = got.rounds
        record.statements = store.count()
        record.store_stamp = getattr(store, "version_stamp", "")
        cache.save_manifest(store.location, record)
        cache.prune()
