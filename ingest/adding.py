"""``add`` by difference: extract the new documents, compute what they change
(``delta.add_delta``) and swap that into the store, instead of a full build. Used by
``build.add_documents`` when the addition qualifies; otherwise it builds in full."""

from __future__ import annotations

import time
from collections.abc import Sequence

from qharmony.ontology.namespaces import GRAPH, META_GRAPH, QH, entity
from qharmony.queries.analysis.version import graph_version
from qharmony.queries.neighbourhood import statements
from qharmony.queries.results import Term
from qharmony.queries.review import Decision, stored_decisions

from .assembly import validation_quads as _validation_quads
from .cache import ExtractionCache, Manifest, ontology_fingerprint
from .delta import NotIncremental, add_delta, content_hash, graph_hashes, meta_quads
from .documents import Planned, StoreChanged, extract_added, extract_planned
from .mapping import map_all, to_nquads
from .parallel import HERE, Workers
from .stages import BuildReport, Progress
from .stages import reached as _reached


def _stored_hashes(store) -> dict[str, str]:
    rows = statements(store, META_GRAPH, ["p"], [(Term.iri(QH + "graphHash"),)])
    return {s.value: o.value for s, p, o, g in rows if g.value == META_GRAPH}


def _difference(store, remove: list, add: list, removed: bytes, added: bytes) -> tuple[bytes, bytes] | None:
    """What the swap changes, read before it and spelled as the store's dump spells it:
    the removed lines the store holds and the addition does not state again (gone),
    and the added lines the store does not hold yet (new; a holding or an inference
    may be stated already). The exact difference a kept version records. None when
    the store cannot spell its dump, or a blank node (the store's to label) makes the
    lines unlike the store's: the version is then dumped and the store counted."""
    if b"_:" in removed or b"_:" in added:
        return None
    removing, adding = store.dump_spelling(removed), store.dump_spelling(added)
    if removing is None or adding is None:
        return None
    held_rows = statements(store, GRAPH, ["s", "p", "o"], [q[:3] for q in [*remove, *add]])
    held = set(store.dump_spelling(to_nquads(held_rows)) or [])
    stated = set(adding)
    gone = sorted({line for line in removing if line in held and line not in stated})
    new = [line for line in dict.fromkeys(adding) if line not in held]
    return "".join(f"{line}\n" for line in gone).encode("utf-8"), "".join(f"{line}\n" for line in new).encode("utf-8")


def _statements_after(store, before: int, difference: tuple[bytes, bytes] | None) -> int:
    """The store's statements after the swap, counted on from the manifest's by the
    exact difference (``_difference``): counting the store reads all of it. Counted
    when the manifest does not say or there is no exact difference."""
    if not before or difference is None:
        return store.count()
    gone, new = difference
    return before - gone.count(b"\n") + new.count(b"\n")


def add_by_difference(
    store,
    planned: Sequence[Planned],
    report: BuildReport,
    started: float,
    cache: ExtractionCache | None,
    manifest: Manifest,
    progress: Progress | None,
    decisions: Sequence[Decision],
    *,
    workers: Workers = HERE,
) -> BuildReport:
    """Add the planned documents that the manifest does not hold by the difference
    they make; ``NotIncremental`` when that would not equal a full build."""
    if not hasattr(store, "apply"):
        raise NotIncremental("this store takes whole datasets only")
    if decisions or stored_decisions(store):
        raise NotIncremental("reviewers' decisions are applied by a full build")
    if manifest.ontology != ontology_fingerprint():
        raise NotIncremental("the ontology or shapes changed since the store was built")
    if graph_version(store).conforms is not True:
        raise NotIncremental("the graph did not conform to the shapes: quarantine is decided by a full build")
    clock = time.perf_counter()
    stored = {d.name: d.key for d in manifest.documents}
    if manifest.indexed():  # what the stored documents add is in the manifest: read only the new ones
        try:
            added = [p for p in planned if p.name not in stored]
            got = extract_added(added, manifest, cache, progress=progress, workers=workers)
        except StoreChanged as why:
            raise NotIncremental(str(why)) from None
        fresh = got.extractions
        report.documents = [d.name for d in got.documents]
    else:  # a manifest of an older qharmony: every cached extraction is read once
        got = extract_planned(planned, cache, jurisdictions=manifest.jurisdictions, progress=progress, workers=workers)
        if any(d.name in stored and stored[d.name] != d.key for d in got.documents):
            raise NotIncremental(
                "the pipeline (its code, model or patterns) or the jurisdictions the corpus names changed, "
                "so the stored documents are read again"
            )
        fresh = [ex for ex, d in zip(got.extractions, got.documents, strict=True) if d.name not in stored]
        report.documents = [ex.document for ex in got.extractions]
    report.extracted = got.extracted
    report.stages["extract"] = time.perf_counter() - clock
    _reached("extracted")

    clock = time.perf_counter()
    quads = map_all(fresh, manifest.min_confidence)
    delta = add_delta(store, fresh, quads, _validation_quads)
    report.stages["difference"] = time.perf_counter() - clock
    _reached("validated")

    clock = time.perf_counter()
    own = graph_hashes(quads)
    hashes = {**_stored_hashes(store), **own}
    if len(hashes) != len([d for d in got.documents]):
        raise NotIncremental("the store's record of its documents' hashes is incomplete")
    report.content_hash = content_hash(hashes)
    meta, g_meta = Term.iri(entity("build", "current")), Term.iri(META_GRAPH)
    old = graph_version(store).content_hash
    remove = [*delta.remove, (meta, Term.iri(QH + "contentHash"), Term.literal(old), g_meta)]
    add = [
        *delta.add,
        *meta_quads(own),
        (meta, Term.iri(QH + "contentHash"), Term.literal(report.content_hash), g_meta),
    ]
    _reached("serialised")
    removed, added = to_nquads(remove), to_nquads(add)
    difference = _difference(store, remove, add, removed, added)  # read before the swap
    report.since = getattr(store, "version_stamp", "")  # "": a store with no stamp
    store.apply(removed, added)
    if difference is not None:
        report.difference = (old, *difference)
    _reached("swapped")
    report.stages["store"] = time.perf_counter() - clock
    report.inferred = delta.inferred
    report.validation = delta.validation
    # a write since the manifest counted (``qharmony load``) makes its count unknown
    counted = manifest.statements if manifest.store_stamp == report.since else 0
    report.triples = _statements_after(store, counted, difference)
    if cache is not None:
        record = Manifest(
            report.content_hash, got.documents, manifest.jurisdictions, manifest.sample, manifest.min_confidence
        )
        record.ontology = manifest.ontology
        record.rounds = got.rounds
        record.statements = report.triples
        record.store_stamp = getattr(store, "version_stamp", "")
        cache.save_manifest(store.location, record)
    report.seconds = time.perf_counter() - started
    return report
