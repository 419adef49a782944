"""Settings: one table, each with a default and a help line; resolved as code default,
then ``QHARMONY_*`` environment, then what a caller passes (a test, a CLI option).

The explorer and the command line both read this table and open the store through
``server/store.py``, so a setting means the same thing everywhere. The store's own
defaults (row cap, timeout) are defined once, in ``queries/store.py``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from qharmony.queries.lanes import Limits
from qharmony.queries.store import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT, is_remote

DEFAULT_STORE = ".qharmony/store"
ENV_PREFIX = "QHARMONY_"


@dataclass(frozen=True)
class Setting:
    """One setting: its name (``QHARMONY_`` + name in the environment), default,
    value type and the help line shown by ``qharmony settings`` and the README."""

    name: str
    default: object
    help: str
    kind: type = str

    @property
    def env(self) -> str:
        return ENV_PREFIX + self.name

    def parse(self, raw: str) -> object:
        """A value from the environment, or a clear error naming the variable."""
        if self.kind is str:
            return raw
        try:
            return self.kind(raw)
        except ValueError:
            what = "a whole number" if self.kind is int else "a number"
            raise ValueError(f"{self.env} must be {what}, got {raw!r}") from None


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "STORE",
        DEFAULT_STORE,
        "Folder of the embedded Oxigraph store, or the query URL of a SPARQL 1.1 endpoint.",
    ),
    Setting(
        "STORE_UPDATE_URL",
        None,
        "SPARQL Update URL of a remote endpoint; unset, derived from the query URL (.../update; Virtuoso: .../sparql).",
    ),
    Setting(
        "STORE_GRAPH_STORE_URL",
        None,
        "Graph Store Protocol URL of a remote endpoint; unset, derived (.../store; Virtuoso: .../sparql-graph-crud).",
    ),
    Setting("MAX_ROWS", DEFAULT_MAX_ROWS, "Most rows a query returns; larger answers are cut and flagged.", int),
    Setting(
        "TIMEOUT",
        DEFAULT_TIMEOUT,
        "Seconds a query may run (embedded) or a remote endpoint may take to answer.",
        float,
    ),
    # ---- limits of a public endpoint (README: "Limits and fair use")
    Setting("QUERY_WORKERS", Limits.workers, "Most worker processes evaluating queries at once.", int),
    Setting("QUERY_CPU_SECONDS", Limits.cpu_seconds, "CPU seconds one query may use, then it is stopped.", int),
    Setting("QUERY_MEMORY_MB", Limits.memory_mb, "Memory (MB) one query may use, then it is stopped.", int),
    Setting("MAX_RESULT_BYTES", Limits.max_bytes, "Most characters of values in one answer; cut and flagged.", int),
    Setting("LONG_QUERY_SECONDS", Limits.long_after, "A query running longer than this is a long query.", float),
    Setting(
        "MAX_LONG_QUERIES",
        Limits.max_long,
        "Most long /sparql queries at once; another gets 503, Retry-After (pages are not capped).",
        int,
    ),
    Setting(
        "RESERVED_WORKERS",
        Limits.reserve,
        "Warm query workers kept for pages and cheap queries; expensive-looking /sparql queries never take them.",
        int,
    ),
    Setting("RATE_REQUESTS", 300, "Requests per client per minute, then 429 and Retry-After (0: no limit).", int),
    Setting("RATE_QUERY_SECONDS", 60.0, "Seconds of work per client per minute, then 429 (0: no limit).", float),
    Setting(
        "SERVICE_ALLOW",
        "",
        "Space-separated IRI prefixes that SPARQL SERVICE may call; empty (the default): SERVICE is refused.",
    ),
    # ---- review (issue 16)
    Setting(
        "REVIEW_DB",
        None,
        "SQLite file of reviewers' accounts and decisions; unset, beside the store folder (STORE.review.sqlite).",
    ),
    Setting("REVIEW_SIGNIN_ATTEMPTS", 5, "Failed sign-ins per client or account in 15 minutes before 429.", int),
    Setting(
        "TRUST_PROXY",
        0,
        "Reverse proxies in front of the explorer whose X-Forwarded-For/-Proto/-Host to believe (0: none).",
        int,
    ),
    # -- issue 17: versions kept, watchlists (server/watch.py, server/watch_cli.py)
    Setting(
        "VERSIONS",
        None,
        "Folder of the kept graph versions; unset, beside the store (STORE + '-versions', or .qharmony/versions).",
    ),
    Setting("KEEP_VERSIONS", 5, "How many graph versions (gzip N-Quads dumps) to keep for diffs and feeds.", int),
    Setting(
        "WATCHLISTS",
        None,
        "JSON file of saved watchlists; unset, watchlists.json in the versions folder. Never in the shared graph.",
    ),
    # ---- incremental builds (issue 15)
    Setting(
        "EXTRACTION_DAEMON",
        900,
        "Seconds the resident extraction process (the spaCy model kept loaded, on a Unix socket in the build "
        "cache) waits for the next build or add before it exits; 0: each command extracts in its own process.",
        int,
    ),
    Setting(
        "BUILD_CACHE",
        None,
        "Folder of the build cache (extraction results, what each store was built from); unset, beside the "
        "store (STORE + '-cache', or .qharmony/cache). Safe to delete: the next build extracts everything again.",
    ),
    # ---- sources (issue 18)
    Setting(
        "SOURCES",
        None,
        "The sources file (TOML) that 'qharmony sources' reads and writes; unset, sources.toml beside the store.",
    ),
    Setting("FETCH_INTERVAL", 1.0, "Seconds 'sources sync' waits between two requests to the same publisher.", float),
    Setting("ECFR_URL", "https://www.ecfr.gov", "Base URL of the eCFR (its versioner API)."),
    Setting("FR_URL", "https://www.federalregister.gov", "Base URL of the Federal Register API."),
    Setting("LEGISLATION_URL", "https://www.legislation.gov.uk", "Base URL of legislation.gov.uk."),
    Setting("EURLEX_URL", "https://eur-lex.europa.eu", "Base URL of EUR-Lex."),
)


def beside_store(config: Mapping[str, object], setting: str, suffix: str, remote_name: str) -> Path:
    """Where a file or folder of the store's is kept: ``setting`` when it is set, else
    beside an embedded store's folder (``store`` + ``suffix``), else in ``.qharmony``
    for a remote store (``remote_name``). The one rule for every such place."""
    if config.get(setting):
        return Path(str(config[setting]))
    store = str(config["STORE"])
    if is_remote(store):
        return Path(".qharmony") / remote_name
    path = Path(store)
    return path.with_name(path.name + suffix)


def build_cache_folder(config: Mapping[str, object]) -> Path:
    """Where the build cache is kept."""
    return beside_store(config, "BUILD_CACHE", "-cache", "cache")


def versions_folder(config: Mapping[str, object]) -> Path:
    """Where graph versions are kept."""
    return beside_store(config, "VERSIONS", "-versions", "versions")


def watchlists_file(config: Mapping[str, object]) -> Path:
    """Where saved watchlists are kept."""
    if config.get("WATCHLISTS"):
        return Path(str(config["WATCHLISTS"]))
    return versions_folder(config) / "watchlists.json"


def load_config(
    overrides: Mapping[str, object] | None = None, environ: Mapping[str, str] | None = None
) -> dict[str, object]:
    """Resolve every setting: code default, then environment, then ``overrides``
    (entries whose value is None are ignored, so an unset CLI option changes nothing)."""
    env = os.environ if environ is None else environ
    config: dict[str, object] = {}
    for s in SETTINGS:
        raw = env.get(s.env)
        config[s.name] = s.parse(raw) if raw not in (None, "") else s.default
    config.update({k: v for k, v in (overrides or {}).items() if v is not None})
    return config
