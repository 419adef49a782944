"""Full-text search over the graph with SQLite FTS5, which Python ships: labels,
codes, citations, technology names (with their alternative labels, so "dilution
refrigerator" finds cryogenic cooling entries) and source text, ranked by BM25, with
facets by kind and jurisdiction.

The index is built from the store and kept in step with it: each search checks the
graph version (the content hash of the last build) and rebuilds when it changed.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from dataclasses import asdict, dataclass, field

from .analysis.version import graph_version
from .catalog import select_pages
from .results import cell
from .store import Store

_WORD = re.compile(r"[\w]+", re.UNICODE)
_lock = threading.Lock()
_indexes: dict[tuple[str, str], sqlite3.Connection] = {}


@dataclass
class Hit:
    iri: str
    title: str
    kind: str
    jurisdiction: str
    snippet: str


@dataclass
class SearchResult:
    query: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    #: True when ``total`` is more than the hits shown (the page limit cut them)
    truncated: bool = False
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    filters: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict:
        return asdict(self)


def _build(store: Store) -> sqlite3.Connection:
    """The whole index: every row of ``search_index``, however many pages it takes."""
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(iri UNINDEXED, title, body, "
        "kind UNINDEXED, jurisdiction UNINDEXED, tokenize='unicode61')"
    )
    rows = select_pages(store, "search_index")
    db.executemany(
        "INSERT INTO docs VALUES (?, ?, ?, ?, ?)",
        [
            (
                r["s"].value,
                cell(r, "title"),
                cell(r, "body"),
                r["kind"].value,
                cell(r, "jurisdiction"),
            )
            for r in rows
        ],
    )
    db.commit()
    return db


def _index(store: Store) -> sqlite3.Connection:
    key = (store.location, graph_version(store).content_hash)
    with _lock:
        if key not in _indexes:
            for stale in [k for k in _indexes if k[0] == store.location]:
                _indexes.pop(stale).close()
            _indexes[key] = _build(store)
        return _indexes[key]


def fts_query(text: str) -> str:
    """User words as quoted FTS5 terms (so no operator syntax leaks in); the last
    word also matches as a prefix, for search-as-you-type."""
    words = _WORD.findall(text)
    if not words:
        return ""
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def search(store: Store, text: str, kind: str = "", jurisdiction: str = "", limit: int = 50) -> SearchResult:
    result = SearchResult(text, filters={"kind": kind, "jurisdiction": jurisdiction})
    match = fts_query(text)
    if not match:
        return result
    db = _index(store)
    where, args = "docs MATCH ?", [match]
    base = f"SELECT kind, jurisdiction FROM docs WHERE {where}"
    for column in ("kind", "jurisdiction"):
        counts = db.execute(
            f"SELECT {column}, COUNT(*) FROM ({base}) GROUP BY {column} ORDER BY COUNT(*) DESC", args
        ).fetchall()
        result.facets[column] = {value or "none": n for value, n in counts}
    if kind:
        where += " AND kind = ?"
        args.append(kind)
    if jurisdiction:
        where += " AND jurisdiction = ?"
        args.append(jurisdiction.upper())
    result.total = db.execute(f"SELECT COUNT(*) FROM docs WHERE {where}", args).fetchone()[0]
    rows = db.execute(
        f"SELECT iri, title, kind, jurisdiction, snippet(docs, 2, '[', ']', ' … ', 12) "
        f"FROM docs WHERE {where} ORDER BY bm25(docs, 0.0, 10.0, 1.0), iri LIMIT ?",
        [*args, limit],
    ).fetchall()
    result.hits = [Hit(*row) for row in rows]
    result.truncated = result.total > len(result.hits)
    return result
