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

from .catalog import get_query
from .regimes import graph_version
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
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    filters: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict:
        return asdict(self)


def _build(store: Store) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(iri UNINDEXED, title, body, "
        "kind UNINDEXED, jurisdiction UNINDEXED, tokenize='unicode61')"
    )
    rows = store.select(get_query("search_index").text).rows
    db.executemany(
        "INSERT INTO docs VALUES (?, ?, ?, ?, ?)",
        [
            (
                r["s"].value,
                r["title"].value if "title" in r else "",
                r["body"].value if "body" in r else "",
                r["kind"].value,
                r["jurisdiction"].value if "jurisdiction" in r else "",
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
        f"FROM docs WHERE {where} ORDER BY bm25(docs, 0.0, 10.0, 1.0) LIMIT ?",
        [*args, limit],
    ).fetchall()
    result.hits = [Hit(*row) for row in rows]
    return result


def titles(store: Store, iris: list[str]) -> dict[str, str]:
    """The indexed title of each IRI that has one: the labels result tables show in
    place of raw IRIs, from the index search already keeps in step with the graph."""
    wanted = list(dict.fromkeys(iris))[:500]
    if not wanted:
        return {}
    db = _index(store)
    marks = ",".join("?" * len(wanted))
    rows = db.execute(f"SELECT iri, title FROM docs WHERE iri IN ({marks}) AND title != ''", wanted).fetchall()
    return dict(rows)
