"""The documents of one build: which the store holds, which the build would drop,
and each document's extraction, taken from the cache when its bytes, the pipeline
and the corpus's jurisdictions are unchanged, and made by the pipeline otherwise.

A build is always made from a list of documents (``Planned``): those read from the
files given, and, for ``add`` and ``remove``, those the store was built from, known
from the cache's manifest. Only documents whose cache key changed are extracted.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from qharmony.ontology.namespaces import GRAPH, document_graph
from qharmony.queries.catalog import select_all
from qharmony.queries.store import Store

from .cache import CacheError, ExtractionCache, StoredDocument, entry_key, registry_fingerprint
from .jurisdictions import Jurisdiction, Registry, arrangement_names, formal_names, registry_from
from .parallel import HERE, Workers, extract_all
from .pointers import settle, unchanged
from .readers import ReaderError, SourceText, read_source
from .records import Extraction

Progress = Callable[[str, int, int], None]


class WouldDrop(ValueError):
    """A build would remove documents the store holds without being told to."""


@dataclass
class Planned:
    """One document of a build: read from its file now (``source``), or known from
    the manifest with its last extraction's key (``stored``)."""

    name: str
    path: str
    sha256: str
    source: SourceText | None = None
    stored: StoredDocument | None = None


def planned_source(source: SourceText) -> Planned:
    """A document read now; its hash is of the file's bytes, what its reader read."""
    try:
        content = Path(source.path).read_bytes()
    except OSError:
        content = source.text.encode("utf-8")
    return Planned(source.name, source.path, hashlib.sha256(content).hexdigest(), source=source)


def planned_stored(doc: StoredDocument) -> Planned:
    return Planned(doc.name, doc.path, doc.sha256, stored=doc)


def stored_graphs(store: Store) -> list[str]:
    """The named graph of every source document in the store."""
    return [g for g in select_all(store, "stored_documents").values("graph") if g.startswith(GRAPH + "doc/")]


def check_drops(store: Store, keeps: Iterable[str], *, refuse: bool = True, allowed: Iterable[str] = ()) -> list[str]:
    """The documents the store holds that a build of ``keeps`` (graph IRIs) would
    drop; with ``refuse``, raises ``WouldDrop`` naming those not in ``allowed``."""
    kept, ok = set(keeps), set(allowed)
    dropped = [g for g in stored_graphs(store) if g not in kept]
    refused = [g for g in dropped if g not in ok] if refuse else []
    if refused:
        names = [g.removeprefix(GRAPH + "doc/") for g in refused]
        shown = ", ".join(names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "")
        raise WouldDrop(
            f"the store holds {len(names)} document{'s' if len(names) != 1 else ''} this build does not include "
            f"({shown}); to keep them and build these texts in beside them, use 'qharmony add'; to replace "
            "the store's documents with these texts, use 'qharmony build --replace'"
        )
    return dropped


def _text_of(doc: Planned, cache: ExtractionCache | None) -> tuple[str, Extraction | None]:
    """A document's text for the build's registry, and its cached extraction if any."""
    if doc.source is not None:
        return doc.source.text, None
    cached = cache.get(doc.stored.key) if cache and doc.stored else None
    if cached is None:
        source = _reread(doc)
        doc.source = source
        return source.text, None
    return cached.text, cached


def _reread(doc: Planned) -> SourceText:
    """The file of a stored document whose extraction is not cached, if it is
    unchanged; otherwise a clear error."""
    try:
        content = Path(doc.path).read_bytes()
    except OSError:
        content = b""
    if hashlib.sha256(content).hexdigest() != doc.sha256:
        raise CacheError(
            f"document {doc.name}: its extraction is not in the build cache and {doc.path} is gone or changed; "
            "rebuild the store from its files with 'qharmony build --replace PATH...'"
        )
    try:
        return read_source(Path(doc.path))
    except ReaderError as exc:
        raise CacheError(f"document {doc.name}: {exc}") from None


@dataclass
class Extracted:
    """What extraction gave a build: the extractions in document order, each
    document's record for the manifest, and how many were extracted afresh.

    A streaming build (``keep=False``) holds none of them: ``batches`` reads them
    back from the cache a batch at a time, each settled as with every other."""

    extractions: list[Extraction]
    documents: list[StoredDocument]
    extracted: int
    registry: Registry
    #: the round each entry came to control a quantum technology, for the manifest
    rounds: dict[str, int]
    #: the cache and keys ``batches`` reads the extractions from (streaming only)
    cache: ExtractionCache | None = None
    keys: list[str] = field(default_factory=list)

    def batches(self, size: int) -> Iterator[list[Extraction]]:
        """The extractions, ``size`` documents at a time, in document order, each batch
        settled against every document's rounds (``pointers.settle``'s ``known``), so
        a batch reads exactly as it does beside the whole corpus."""
        if self.extractions:
            for i in range(0, len(self.extractions), size):
                yield self.extractions[i : i + size]
            return
        for i in range(0, len(self.keys), size):
            part = zip(self.keys[i : i + size], self.documents[i : i + size], strict=True)
            batch = [self._read(key, doc) for key, doc in part]
            settle(batch, self.rounds)
            yield batch

    def _read(self, key: str, doc: StoredDocument) -> Extraction:
        found = self.cache.get(key) if self.cache is not None else None
        if found is None:
            raise CacheError(f"document {doc.name}: its extraction left the build cache during the build; build again")
        return found


def _skeleton(ex: Extraction) -> Extraction:
    """What settling the pointers reads of an extraction (its controls, the entries it
    defines by heading, its pointers), so a streaming build settles every document
    while holding only this much of each."""
    return Extraction(
        ex.document,
        "",
        entities=[e for e in ex.entities if e.type == "ControlEntry"],
        relations=[r for r in ex.relations if r.type == "controls"],
        pointers=list(ex.pointers),
    )


def extract_planned(
    planned: Sequence[Planned],
    cache: ExtractionCache | None,
    *,
    jurisdictions: list[Jurisdiction] | None = None,
    progress: Progress | None = None,
    workers: Workers = HERE,
    keep: bool = True,
) -> Extracted:
    """Each planned document's extraction: from the cache where its key is there,
    from the pipeline otherwise, run where ``workers`` says (only the documents not
    in the cache are sent there; the pipeline is loaded only then). The registry of
    jurisdictions is made from every document's text, in name order, so it does not
    depend on which documents were cached or in what order the files were named.
    Without ``keep`` (a streaming build; needs a ``cache``), each extraction is left
    in the cache and only what settling reads is held (``Extracted.batches``)."""
    tick = progress or (lambda stage, done, total: None)
    previous: dict[int, Extraction] = {}
    states: dict[str, list] = {}
    named: dict[str, list] = {}
    for i, doc in enumerate(planned):
        text, cached = _text_of(doc, cache)
        states[doc.name], named[doc.name] = formal_names(text), arrangement_names(text)
        if cached is not None:
            previous[i] = cached if keep else _skeleton(cached)
    order = sorted(states)
    registry = registry_from([states[n] for n in order], [named[n] for n in order], jurisdictions)
    fingerprint = registry_fingerprint(registry)
    keys = [entry_key(d.name, Path(d.path).suffix, d.sha256, fingerprint) for d in planned]
    found: dict[int, Extraction] = {}
    missing: list[int] = []
    for i, (doc, key) in enumerate(zip(planned, keys, strict=True)):
        if doc.stored is not None and doc.stored.key == key:
            hit = previous.get(i)
        else:
            hit = cache.get(key) if cache is not None else None
            hit = hit if keep or hit is None else _skeleton(hit)
        if hit is not None:
            found[i] = hit
            continue
        if planned[i].source is None:
            planned[i].source = _reread(doc)
        missing.append(i)
    previous.clear()
    _extract_missing(planned, missing, keys, found, cache, registry, tick, workers, keep=keep)
    extractions = [found.pop(i) for i in range(len(planned))]
    # D/E entries "for items in 4A906.b" held by another document: once all are read
    settled = settle(extractions)
    records = _records(planned, keys, [ex.document for ex in extractions], states, named, settled.pointers)
    if keep:
        return Extracted(extractions, records, len(missing), registry, settled.rounds)
    return Extracted([], records, len(missing), registry, settled.rounds, cache=cache, keys=keys)


def _records(docs, keys, names, states, named, pointers) -> list[StoredDocument]:
    """What the build's record keeps of each extracted document: its key, the states and
    arrangements its text names, and its pointers with the round each settled in (what
    an addition reads instead of every cached extraction)."""
    return [
        StoredDocument(
            d.name,
            d.path,
            d.sha256,
            k,
            [list(pair) for pair in states[d.name]],
            named[d.name],
            [list(p) for p in pointers.get(name, [])],
        )
        for d, k, name in zip(docs, keys, names, strict=True)
    ]


def _extract_missing(planned, missing, keys, found, cache, registry, tick, workers: Workers = HERE, keep=True) -> None:
    """Run the pipeline on the documents not in the cache (loaded only then), where
    ``workers`` says (``parallel``); without ``keep``, only their skeletons are held."""
    if not missing:
        return
    tick("extract", 0, len(missing))  # workers take seconds to start: say that extraction began
    stream = extract_all([planned[i].source for i in missing], registry, workers)
    for n, (i, ex) in enumerate(zip(missing, stream, strict=True), start=1):
        if cache is not None:
            cache.put(keys[i], ex)
        found[i] = ex if keep else _skeleton(ex)
        tick("extract", n, len(missing))


class StoreChanged(Exception):
    """Documents added to a store would change what its other documents read (a new
    state or arrangement in the registry, a pointer settled in another round): the
    message says which, and the caller builds in full."""


def extract_added(
    fresh: Sequence[Planned],
    manifest,
    cache: ExtractionCache | None,
    *,
    progress: Progress | None = None,
    workers: Workers = HERE,
) -> Extracted:
    """The extractions of documents added to a store, read from the manifest's
    record of the stored ones (the states and arrangements each names, its
    pointers and the rounds they settled in) rather than from every cached
    extraction. ``documents`` lists the stored documents' records then the new
    ones'. Raises ``StoreChanged`` when the stored documents would read otherwise."""
    tick = progress or (lambda stage, done, total: None)
    stored = list(manifest.documents)
    texts = {d.name: d.source.text for d in fresh}
    states = {d.name: [tuple(x) for x in d.states] for d in stored} | {n: formal_names(t) for n, t in texts.items()}
    named = {d.name: list(d.arrangements) for d in stored} | {n: arrangement_names(t) for n, t in texts.items()}
    order = sorted(states)
    registry = registry_from([states[n] for n in order], [named[n] for n in order], manifest.jurisdictions)
    fingerprint = registry_fingerprint(registry)
    for d in stored:
        if entry_key(d.name, Path(d.path).suffix, d.sha256, fingerprint) != d.key:
            raise StoreChanged(
                "the pipeline (its code, model or patterns) or the jurisdictions the corpus names changed, "
                "so the stored documents are read again"
            )
    keys = [entry_key(d.name, Path(d.path).suffix, d.sha256, fingerprint) for d in fresh]
    found: dict[int, Extraction] = {}
    missing = []
    for i, key in enumerate(keys):
        hit = cache.get(key) if cache is not None else None
        if hit is not None:
            found[i] = hit
        else:
            missing.append(i)
    _extract_missing(fresh, missing, keys, found, cache, registry, tick, workers)
    extractions = [found[i] for i in range(len(fresh))]
    settled = settle(extractions, manifest.rounds)
    if not all(unchanged(d.pointers, settled.rounds) for d in stored):
        raise StoreChanged("the new documents settle pointers of stored documents (software or technology entries)")
    records = _records(fresh, keys, [ex.document for ex in extractions], states, named, settled.pointers)
    return Extracted(extractions, [*stored, *records], len(missing), registry, settled.rounds)


def document_graphs(names: Iterable[str]) -> set[str]:
    return {document_graph(n) for n in names}
