"""The build: read, extract, map, reason, validate, and swap the result into the store.

The graph is assembled beside the store (``assembly``: a batch of documents at a time,
into a file); the store sees one ``replace`` at the end,
so a failed or killed build leaves the previous graph serving.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path

from qharmony.ontology.namespaces import GRAPH, slug
from qharmony.queries.review import Decision
from qharmony.queries.store import Store

from .assembly import REFERENCE_DOCUMENT, assemble, validation_quads
from .cache import CacheError, ExtractionCache, Manifest
from .delta import NotIncremental
from .documents import Planned, check_drops, document_graphs, planned_source, planned_stored, stored_graphs
from .jurisdictions import Jurisdiction
from .mapping import DEFAULT_MIN_CONFIDENCE, Quad
from .parallel import HERE, Workers
from .readers import READERS, ReaderError, SourceText, read_source
from .stages import STAGE_HOOKS, BuildReport, Progress, reached

__all__ = ["STAGE_HOOKS", "BuildReport", "Progress", "add_documents", "build", "remove_documents", "sample_corpus"]

#: the report's quads, under the name the tests and older callers import
_validation_quads = validation_quads


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
    reached("read")
    options = dict(progress=progress, min_confidence=min_confidence, reason=reason, decisions=decisions)
    options["workers"] = workers
    return assemble(
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
    reached("read")
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
    return assemble(store, planned, report, started, cache, sample=manifest.sample, jurisdictions=known, **options)


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
    reached("read")
    options = dict(
        progress=progress, min_confidence=manifest.min_confidence, reason=reason, decisions=decisions, workers=workers
    )
    return assemble(
        store, planned, report, started, cache, sample=manifest.sample, jurisdictions=manifest.jurisdictions, **options
    )
