"""The documents of one build: which the store holds, which the build would drop,
and each document's extraction, taken from the cache when its bytes, the pipeline
and the corpus's jurisdictions are unchanged, and made by the pipeline otherwise.

A build is always made from a list of documents (``Planned``): those read from the
files given, and, for ``add`` and ``remove``, those the store was built from, known
from the cache's manifest. Only documents whose cache key changed are extracted.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from qharmony.ontology.namespaces import GRAPH, document_graph
from qharmony.queries.catalog import select_all
from qharmony.queries.store import Store

from .cache import CacheError, ExtractionCache, StoredDocument, entry_key, registry_fingerprint
from .jurisdictions import Jurisdiction, Registry, registry_for
from .parallel import HERE, Workers, extract_all
from .pointers import resolve as resolve_pointers
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
    document's record for the manifest, and how many were extracted afresh."""

    extractions: list[Extraction]
    documents: list[StoredDocument]
    extracted: int
    registry: Registry


def extract_planned(
    planned: Sequence[Planned],
    cache: ExtractionCache | None,
    *,
    jurisdictions: list[Jurisdiction] | None = None,
    progress: Progress | None = None,
    workers: Workers = HERE,
) -> Extracted:
    """Each planned document's extraction: from the cache where its key is there,
    from the pipeline otherwise, run where ``workers`` says (only the documents not
    in the cache are sent there; the pipeline is loaded only then). The registry of
    jurisdictions is made from every document's text, in name order, so it does not
    depend on which documents were cached or in what order the files were named."""
    tick = progress or (lambda stage, done, total: None)
    texts: dict[str, str] = {}
    previous: dict[int, Extraction] = {}
    for i, doc in enumerate(planned):
        texts[doc.name], cached = _text_of(doc, cache)
        if cached is not None:
            previous[i] = cached
    registry = registry_for([texts[n] for n in sorted(texts)], jurisdictions)
    fingerprint = registry_fingerprint(registry)
    keys = [entry_key(d.name, Path(d.path).suffix, d.sha256, fingerprint) for d in planned]
    found: dict[int, Extraction] = {}
    missing: list[int] = []
    for i, (doc, key) in enumerate(zip(planned, keys, strict=True)):
        if doc.stored is not None and doc.stored.key == key:
            hit = previous.get(i)
        else:
            hit = cache.get(key) if cache is not None else None
        if hit is not None:
            found[i] = hit
            continue
        if planned[i].source is None:
            planned[i].source = _reread(doc)
        missing.append(i)
    if missing:
        stream = extract_all([planned[i].source for i in missing], registry, workers)
        for n, (i, ex) in enumerate(zip(missing, stream, strict=True), start=1):
            found[i] = ex
            if cache is not None:
                cache.put(keys[i], ex)
            tick("extract", n, len(missing))
    records = [StoredDocument(d.name, d.path, d.sha256, k) for d, k in zip(planned, keys, strict=True)]
    extractions = [found[i] for i in range(len(planned))]
    # D/E entries "for items in 4A906.b" held by another document: once all are read
    resolve_pointers(extractions)
    return Extracted(extractions, records, len(missing), registry)


def document_graphs(names: Iterable[str]) -> set[str]:
    return {document_graph(n) for n in names}
