"""``sync``: ask every publisher for what is new, keep each new text as a version of
its own in the cache, and build the new versions into the store beside the documents
already there.

Everything is fetched and checked before the store is touched. A publisher that is
unreachable, errs, cuts its answer short or sends garbage fails its own sources
only: each is reported with a message naming the URL, the store keeps what it held
for them, the cache forgets what they answered (so the next sync asks again), and
the other sources are built as usual. A sync whose every source fails changes
nothing at all."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from qharmony.queries.review import Decision
from qharmony.queries.store import Store

from ..build import BuildReport, Progress, build
from ..jurisdictions import Jurisdiction
from ..mapping import DEFAULT_MIN_CONFIDENCE, Quad
from ..parallel import HERE, Workers
from . import ecfr, eurlex, federal_register, legislation
from .cache import Cache
from .config import Source
from .errors import SourceError
from .fetcher import Fetched, Fetcher
from .http import PoliteClient
from .provenance import carried_quads, provenance_quads

Connector = Callable[[Source, Fetcher, str, str, bool], list[Fetched]]
CONNECTORS: dict[str, Connector] = {
    "ecfr": ecfr.fetch,
    "fr": federal_register.fetch,
    "uksi": legislation.fetch,
    "eurlex": eurlex.fetch,
}
#: the default base URL of each kind's publisher (each is a setting)
DEFAULT_URLS: dict[str, str] = {
    "ecfr": ecfr.DEFAULT_URL,
    "fr": federal_register.DEFAULT_URL,
    "uksi": legislation.DEFAULT_URL,
    "eurlex": eurlex.DEFAULT_URL,
}


@dataclass
class SyncReport:
    """What a sync did: requests answered 200 and 304, the new versions recorded
    (their cache-index records) and the build that added them, if any."""

    fetched: int = 0
    not_modified: int = 0
    versions: list[dict[str, str]] = field(default_factory=list)
    build: BuildReport | None = None
    #: (source id, message) for each source whose publisher failed it
    failed: list[tuple[str, str]] = field(default_factory=list)


def _record(f: Fetched, document: str, retrieved: str, path: Path) -> dict[str, str]:
    return {
        "document": document,
        "source": f.source.id,
        "jurisdiction": f.source.jurisdiction,
        "url": f.url,
        "retrieved": retrieved,
        "publisher_date": f.publisher_date,
        "sha256": f.sha256,
        "citation": f.citation,
        "file": str(path),
    }


def sync(
    store: Store,
    sources: Sequence[Source],
    cache_folder: Path,
    *,
    base_urls: Mapping[str, str] | None = None,
    as_of: str | None = None,
    history: bool = False,
    client: PoliteClient | None = None,
    progress: Progress | None = None,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    jurisdictions: list[Jurisdiction] | None = None,
    decisions: Sequence[Decision] = (),
    now: dt.datetime | None = None,
    workers: Workers = HERE,
) -> SyncReport:
    """Fetch what is new for ``sources`` and build it into ``store``.

    ``as_of`` (YYYY-MM-DD, default today) picks the eCFR text in force on that day;
    ``history`` fetches every eCFR version up to then. ``jurisdictions`` and
    ``decisions`` go to the build as ``qharmony build`` passes them, so a synced text
    honours the user's jurisdictions and the reviewers' decisions. A text whose SHA-256 the
    cache already records for its source is not built again; a changed one becomes
    a new document (``{source}-{date}-{hash}``), and the old one stays."""
    if not sources:
        raise SourceError("no sources to sync: add one with 'qharmony sources add'")
    moment = now or dt.datetime.now(dt.UTC)
    as_of = as_of or moment.date().isoformat()
    try:
        dt.date.fromisoformat(as_of)
    except ValueError:
        raise SourceError(f"--as-of must be a date such as 2026-09-01, got {as_of!r}") from None
    urls = {**DEFAULT_URLS, **(base_urls or {})}
    cache = Cache.open(cache_folder)
    client = client or PoliteClient()
    fetcher = Fetcher(client, cache)
    tick = progress or (lambda stage, done, total: None)
    found: list[Fetched] = []
    report = SyncReport()
    for i, source in enumerate(sources, start=1):
        remembered = dict(cache.urls)
        try:
            found.extend(CONNECTORS[source.kind](source, fetcher, urls[source.kind].rstrip("/"), as_of, history))
        except SourceError as exc:
            cache.urls = remembered  # what this source's publisher answered is not kept
            report.failed.append((source.id, str(exc)))
        tick("fetch", i, len(sources))
    if len(report.failed) == len(sources):
        raise SourceError("; ".join(message for _, message in report.failed))
    report.fetched, report.not_modified = client.statuses.get(200, 0), client.statuses.get(304, 0)

    retrieved = moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")
    known = {(sid, r["sha256"]) for sid, records in cache.versions.items() for r in records}
    paths: list[Path] = []
    carry: list[Quad] = []
    for f in found:
        if not f.fresh or (f.source.id, f.sha256) in known:
            continue
        known.add((f.source.id, f.sha256))
        document = f"{f.source.id}-{f.publisher_date or moment.date().isoformat()}-{f.sha256[:8]}"
        path = cache.text_path(document, f.suffix)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f.body)
        record = _record(f, document, retrieved, path)
        report.versions.append(record)
        paths.append(path)
        carry.extend(provenance_quads(document, record))
    if paths:
        carry.extend(carried_quads(store.dump("nq"), [r["document"] for r in report.versions]))
        report.build = build(
            store,
            paths,
            progress=progress,
            min_confidence=min_confidence,
            jurisdictions=jurisdictions,
            decisions=decisions,
            carry=carry,
            workers=workers,
        )
        for record in report.versions:
            cache.versions.setdefault(record["source"], []).append(record)
    cache.save()
    return report
