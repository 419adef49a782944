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
    slug,
)
from qharmony.ontology.reason import ReasoningReport, check_ontology
from qharmony.ontology.validate import ValidationReport, validate_graph
from qharmony.queries.loading import user_graphs
from qharmony.queries.results import Term
from qharmony.queries.review import Decision, decision_quads, stored_decisions
from qharmony.queries.serialize import rdflib_converter, term_from_rdflib
from qharmony.queries.store import Store

from .cache import CacheError, ExtractionCache, Manifest, ontology_fingerprint
from .decisions import ReviewOutcome, apply_decisions
from .delta import NotIncremental, content_hash, graph_hashes, meta_quads
from .documents import (
    Planned,
    check_drops,
    document_graphs,
    extract_planned,
    planned_source,
    planned_stored,
    stored_graphs,
)
from .holdings import declared_holdings, derive_holdings
from .jurisdictions import Jurisdiction, reference_extraction
from .mapping import DEFAULT_MIN_CONFIDENCE, Quad, map_all, to_nquads
from .parallel import HERE, Workers
from .pipeline import PIPELINE_VERSION
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
    #: how many documents were extracted afresh (the rest came from the build cache)
    extracted: int = 0
    #: documents the store held that this build dropped (``replace``, ``remove``)
    replaced: list[str] = field(default_factory=list)
    #: documents of the store that this build gave a new version of (``add``)
    updated: list[str] = field(default_factory=list)
    #: why an addition was built in full rather than by its difference (empty: it was not)
    full_because: str = ""
    #: seconds per stage: read, extract, map, reason, validate, store
    stages: dict[str, float] = field(default_factory=dict)


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
    """Read every file; a bad file is reported by name and the rest proceed."""
    sources = []
    for path in paths:
        try:
            sources.append(read_source(path))
        except ReaderError as exc:
            report.rejected.append(str(exc))
        except (ValueError, LookupError, RecursionError, MemoryError) as exc:
            # a reader's parser choking on what the file holds: that file's problem
            report.rejected.append(f"{path}: cannot read the file ({type(exc).__name__}: {exc})")
    return sources


def _to_rdflib(quads: Iterable[Quad], graph: rdflib.Graph | None = None) -> rdflib.Graph:
    """The union of the quads' graphs as one rdflib graph (added to ``graph``),
    built term by term rather than by writing and parsing N-Triples."""
    graph = rdflib.Graph() if graph is None else graph
    node = rdflib_converter()
    for s, p, o, _ in quads:
        graph.add((node(s), node(p), node(o)))
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


REFERENCE_DOCUMENT = "jurisdictions"


def _keeps(
    planned: Sequence[Planned], jurisdictions: list[Jurisdiction] | None, carry: Sequence[Quad] = ()
) -> set[str]:
    """The document graphs a build of ``planned`` writes."""
    names = [p.name for p in planned] + ([REFERENCE_DOCUMENT] if jurisdictions else [])
    return document_graphs(names) | {q[3].value for q in carry if q[3].value.startswith(GRAPH + "doc/")}


def _short(graphs: Iterable[str]) -> list[str]:
    return [g.removeprefix(GRAPH + "doc/") for g in graphs]


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
    replace: bool = False,
    cache: ExtractionCache | None = None,
    workers: Workers = HERE,
) -> BuildReport:
    """Build the graph from ``paths`` (default: the sample corpus) into ``store``.

    A store that holds documents these texts do not include is not silently cut
    down: the build raises ``WouldDrop`` naming them, unless ``replace`` says to
    drop them (``add_documents`` keeps them instead). With a ``cache``, documents
    whose bytes and pipeline are unchanged are not extracted again.

    ``jurisdictions`` are the user's beyond ISO 3166 (``load_jurisdictions``); the
    build honours their codes and names, and records them as a document of their own.
    The reviewers' decisions already in the store's audit graph, and ``decisions``,
    are applied to what is extracted and written back to the audit graph.
    ``carry``: statements to build in beside the texts' own, before inference and
    validation (a sync passes the documents it keeps and its texts' provenance).
    ``workers``: where the documents not in the cache are extracted (``parallel``)."""
    started = time.perf_counter()
    report = BuildReport()
    files = collect_paths(paths) if paths else sample_corpus()
    sources = read_all(files, report)
    if not sources:
        raise ReaderError("no readable documents: " + ("; ".join(report.rejected) or "none given"))
    planned = [planned_source(s) for s in sources]
    report.replaced = _short(check_drops(store, _keeps(planned, jurisdictions, carry), refuse=not replace))
    report.stages["read"] = time.perf_counter() - started
    _reached("read")
    options = dict(progress=progress, min_confidence=min_confidence, reason=reason, decisions=decisions)
    options["workers"] = workers
    return _build(
        store, planned, report, started, cache, sample=not paths, jurisdictions=jurisdictions, carry=carry, **options
    )


def _current_manifest(store: Store, cache: ExtractionCache | None) -> Manifest:
    """How the store's current graph was built, from the cache's manifest; a store
    with nothing built yet has an empty one."""
    from qharmony.queries.analysis.version import graph_version

    if cache is None:
        raise CacheError("adding or removing documents needs the build cache (see QHARMONY_BUILD_CACHE)")
    current = graph_version(store).content_hash
    manifest = cache.manifest(store.location)
    if not current and not stored_graphs(store):
        return Manifest("")
    if manifest is None or manifest.content_hash != current:
        raise CacheError(
            f"the build cache in {cache.folder} has no record of how the store's current graph was built "
            "(built by an older qharmony, by 'qharmony sources sync', or with another cache); "
            "rebuild it once from its files with 'qharmony build --replace PATH...'"
        )
    return manifest


def add_documents(
    store: Store,
    paths: Sequence[str | Path],
    *,
    cache: ExtractionCache | None,
    progress: Progress | None = None,
    min_confidence: float | None = None,
    reason: bool = True,
    jurisdictions: list[Jurisdiction] | None = None,
    decisions: Sequence[Decision] = (),
    workers: Workers = HERE,
) -> BuildReport:
    """Build ``paths`` into the store beside the documents it holds. A text whose
    document name the store already holds replaces that document's old version;
    the others are taken from the build cache, not extracted again."""
    started = time.perf_counter()
    report = BuildReport()
    manifest = _current_manifest(store, cache)
    sources = read_all(collect_paths(paths), report)
    if not sources:
        raise ReaderError("no readable documents: " + ("; ".join(report.rejected) or "none given"))
    fresh = [planned_source(s) for s in sources]
    names = {p.name for p in fresh}
    report.updated = [d.name for d in manifest.documents if d.name in names]
    planned = [planned_stored(d) for d in manifest.documents if d.name not in names] + fresh
    known = jurisdictions if jurisdictions is not None else manifest.jurisdictions
    check_drops(store, _keeps(planned, known), refuse=True)
    report.stages["read"] = time.perf_counter() - started
    _reached("read")
    confidence = manifest.min_confidence if min_confidence is None else min_confidence
    same = not report.updated and known == manifest.jurisdictions and confidence == manifest.min_confidence
    if same:
        from .adding import add_by_difference

        try:
            return add_by_difference(
                store, planned, report, started, cache, manifest, progress, decisions, workers=workers
            )
        except NotIncremental as why:
            report.full_because = str(why)
    options = dict(progress=progress, min_confidence=confidence, reason=reason, decisions=decisions, workers=workers)
    return _build(store, planned, report, started, cache, sample=manifest.sample, jurisdictions=known, **options)


def remove_documents(
    store: Store,
    names: Sequence[str],
    *,
    cache: ExtractionCache | None,
    progress: Progress | None = None,
    reason: bool = True,
    decisions: Sequence[Decision] = (),
    workers: Workers = HERE,
) -> BuildReport:
    """Rebuild the store without the documents ``names`` (as ``qharmony query
    documents`` and the build summary name them); the rest come from the cache."""
    started = time.perf_counter()
    report = BuildReport()
    manifest = _current_manifest(store, cache)
    by_name = {d.name: d for d in manifest.documents}
    by_name.update({slug(d.name): d for d in manifest.documents})
    unknown = [n for n in names if n not in by_name]
    if unknown:
        held = ", ".join(d.name for d in manifest.documents[:10]) + (" ..." if len(manifest.documents) > 10 else "")
        raise ValueError(f"not in the store: {', '.join(unknown)}; it holds {held or 'no documents'}")
    gone = {by_name[n].name for n in names}
    planned = [planned_stored(d) for d in manifest.documents if d.name not in gone]
    if not planned:
        raise ValueError("removing every document would leave nothing to build; build other texts with --replace")
    report.replaced = _short(
        check_drops(store, _keeps(planned, manifest.jurisdictions), refuse=True, allowed=document_graphs(gone))
    )
    report.stages["read"] = time.perf_counter() - started
    _reached("read")
    options = dict(
        progress=progress, min_confidence=manifest.min_confidence, reason=reason, decisions=decisions, workers=workers
    )
    return _build(
        store, planned, report, started, cache, sample=manifest.sample, jurisdictions=manifest.jurisdictions, **options
    )


def _build(
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
    tick = progress or (lambda stage, done, total: None)
    clock = [time.perf_counter()]

    def stage(name: str) -> None:
        now = time.perf_counter()
        report.stages[name] = report.stages.get(name, 0.0) + now - clock[0]
        clock[0] = now

    got = extract_planned(planned, cache, jurisdictions=jurisdictions, progress=tick, workers=workers)
    extractions = got.extractions
    report.documents = [ex.document for ex in extractions]
    report.extracted = got.extracted
    if jurisdictions:
        extractions.append(reference_extraction(jurisdictions, REFERENCE_DOCUMENT))
    stage("extract")
    # ---- review (issue 16): decisions made so far, applied before mapping
    known = {d.id: d for d in [*stored_decisions(store), *decisions]}
    report.review = apply_decisions(extractions, known.values())
    quads = [*map_all(extractions, min_confidence), *carry]
    # the extractions are not read again: let them go before the graph is assembled
    del extractions
    got.extractions = []
    quads.extend(decision_quads(known.values(), report.review.status(), report.review.replaced))
    data = _to_rdflib(quads)
    holdings = derive_holdings(data)
    if sample:
        holdings.extend(declared_holdings())
    quads.extend(holdings)
    _to_rdflib(holdings, data)
    if carry:
        quads = list(dict.fromkeys(quads))
    tick("map", 1, 1)
    stage("map")
    _reached("extracted")

    inferred = materialise(data)
    g_inf = Term.iri(INFERRED_GRAPH)
    quads.extend((*(term_from_rdflib(n) for n in t), g_inf) for t in sorted(inferred))
    report.inferred = len(inferred)
    tick("reason", 1, 1)
    stage("reason")
    _reached("inferred")

    for triple in inferred:
        data.add(triple)
    del inferred
    report.validation = validate_graph(data, inplace=True)
    del data  # with the entailments SHACL read: the largest thing a build holds
    quads, report.quarantined = _quarantine(quads, report.validation)
    quads.extend(_validation_quads(report.validation))
    tick("validate", 1, 1)
    stage("validate")
    _reached("validated")

    if reason:
        report.reasoning = check_ontology()
    g_onto = Term.iri(ONTOLOGY_GRAPH)
    quads.extend((*(term_from_rdflib(n) for n in t), g_onto) for t in _skolemised_ontology())
    hashes = graph_hashes(quads)
    report.content_hash = content_hash(hashes)
    meta = Term.iri(entity("build", "current"))
    g_meta = Term.iri(META_GRAPH)
    quads.extend(meta_quads(hashes))
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
    del quads
    report.triples = nquads.count(b"\n")
    stage("serialise")
    _reached("serialised")
    kept = user_graphs(store)
    store.replace(nquads + kept if kept else nquads)
    del nquads
    _reached("swapped")
    tick("store", 1, 1)
    stage("store")
    if cache is not None:
        record = Manifest(report.content_hash, got.documents, jurisdictions, sample, min_confidence)
        record.ontology = ontology_fingerprint()
        record.rounds = got.rounds
        cache.save_manifest(store.location, record)
        cache.prune()
    report.seconds = time.perf_counter() - started
    return report
