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

from qharmony.ontology.namespaces import QH

from .analysis.answers import answer
from .analysis.version import graph_version
from .catalog import select_all, select_pages
from .results import Term, cell
from .store import Store

_WORD = re.compile(r"[\w]+", re.UNICODE)
_lock = threading.Lock()
_indexes: dict[tuple[str, str], sqlite3.Connection] = {}
PAGE_SIZE = 20
FACETS = ("kind", "jurisdiction")
#: what SQLite puts around a matched word; control characters never occur in the text
OPEN, CLOSE = "\x02", "\x03"
_MARKDOWN = [
    (re.compile(r"\[([^\]\n]*)\]\([^)\s]*\)"), r"\1"),  # [text](url) -> text
    (re.compile(r"^\s{0,3}#{1,6}\s*", re.M), ""),  # headings
    (re.compile(r"^\s{0,3}>\s?", re.M), ""),  # quotes
    (re.compile(r"^\s*(?:[-*+]|\d+\.)\s+(?=\S)", re.M), ""),  # list bullets
    (re.compile(r"(\*\*|__|`)"), ""),  # bold, code
    (re.compile(r"(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)"), ""),  # *emphasis*
    (re.compile(r"<[^>\n]{1,80}>"), ""),  # stray tags
    (re.compile(r"[\x00-\x08\x0b-\x1f]"), " "),
    (re.compile(r"\s+"), " "),
]


def plain_text(text: str) -> str:
    """Text as a person reads it: Markdown marks and tags dropped, whitespace folded,
    so a snippet never shows ``##`` or ``**``."""
    for pattern, replacement in _MARKDOWN:
        text = pattern.sub(replacement, text)
    return text.strip()


#: lengths at which the build cuts labels (ingest/extract.py, ingest/mapping.py)
_CUT_AT = (160, 200)


def whole_label(label: str) -> str:
    """A label the build cut at a fixed length, trimmed back to its last whole word
    with an ellipsis, so no title ends mid-word ("reported in a secon")."""
    if len(label) in _CUT_AT and " " in label and not label.endswith((".", ")", ";", ":")):
        return label.rsplit(" ", 1)[0].rstrip(",;:") + " …"
    return label


def marked_parts(text: str) -> list[tuple[str, bool]]:
    """Split SQLite's marked text into (text, is_match) runs, for ``<mark>`` in pages."""
    parts: list[tuple[str, bool]] = []
    for i, chunk in enumerate(re.split(f"[{OPEN}{CLOSE}]", text)):
        if chunk:
            parts.append((chunk, i % 2 == 1))
    return parts


@dataclass
class Hit:
    iri: str
    title: str
    kind: str
    jurisdiction: str
    snippet: str
    title_parts: list[tuple[str, bool]] = field(default_factory=list)
    snippet_parts: list[tuple[str, bool]] = field(default_factory=list)


@dataclass
class SearchResult:
    """One page of hits; facet counts each follow every filter but their own."""

    query: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    #: True when ``total`` is more than the hits shown (the page limit cut them)
    truncated: bool = False
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    filters: dict[str, str] = field(default_factory=dict)
    page: int = 1
    pages: int = 1
    page_size: int = PAGE_SIZE
    names: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict:
        return asdict(self)


def _build(store: Store) -> sqlite3.Connection:
    """The whole index: every row of ``search_index``, however many pages it takes."""
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(iri UNINDEXED, title, body, "
        "kind UNINDEXED, jurisdiction UNINDEXED, tokenize='unicode61')"
    )
    rows = _every_row(store)
    db.executemany(
        "INSERT INTO docs VALUES (?, ?, ?, ?, ?)",
        [
            (
                r["s"].value,
                plain_text(whole_label(cell(r, "title"))),
                # GROUP_CONCAT has no order in SPARQL (engines differ): sorted here
                plain_text(" | ".join(sorted(cell(r, "body").split(" | ")))),
                r["kind"].value,
                cell(r, "jurisdiction"),
            )
            for r in rows
        ],
    )
    db.commit()
    return db


def _every_row(store: Store) -> list[dict]:
    """Every row of ``search_index``: in one evaluation where the backend answers our
    own queries uncapped (embedded Oxigraph), else page by page under the endpoint's
    cap. Each page re-evaluates and re-sorts the whole query, so paging costs pages
    times the graph: at 1M triples a page ran past the query timeout, and every page
    with a jurisdiction picker failed."""
    if callable(getattr(store, "uncapped", None)):
        return select_all(store, "search_index").rows
    return select_pages(store, "search_index")


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


def _where(match: str, filters: dict[str, str], skip: str = "") -> tuple[str, list[str]]:
    """The WHERE clause for a search under ``filters``, leaving out the ``skip`` facet."""
    clauses, args = ["docs MATCH ?"], [match]
    for column in FACETS:
        value = filters.get(column, "")
        if value and column != skip:
            clauses.append(f"{column} = ?")
            args.append("" if value == "none" else value)
    return " AND ".join(clauses), args


def search(
    store: Store, text: str, kind: str = "", jurisdiction: str = "", page: int = 1, limit: int = PAGE_SIZE
) -> SearchResult:
    """Ranked hits for ``text`` (BM25, titles weighted 10 to 1 over text), one page."""
    filters = {"kind": kind, "jurisdiction": jurisdiction.upper() if jurisdiction != "none" else "none"}
    result = SearchResult(text, filters=filters, page_size=limit)
    match = fts_query(text)
    if not match:
        return result
    db = _index(store)
    for column in FACETS:
        where, args = _where(match, filters, skip=column)
        counts = db.execute(
            f"SELECT {column}, COUNT(*) FROM docs WHERE {where} GROUP BY {column} ORDER BY COUNT(*) DESC, {column}",
            args,
        ).fetchall()
        result.facets[column] = {value or "none": n for value, n in counts}
    where, args = _where(match, filters)
    result.total = db.execute(f"SELECT COUNT(*) FROM docs WHERE {where}", args).fetchone()[0]
    result.pages = max(1, -(-result.total // limit))
    result.page = min(max(page, 1), result.pages)
    rows = db.execute(
        f"SELECT iri, highlight(docs, 1, '{OPEN}', '{CLOSE}'), kind, jurisdiction, "
        f"snippet(docs, 2, '{OPEN}', '{CLOSE}', ' … ', 16) "
        f"FROM docs WHERE {where} ORDER BY bm25(docs, 0.0, 10.0, 1.0), iri LIMIT ? OFFSET ?",
        [*args, limit, (result.page - 1) * limit],
    ).fetchall()
    for iri, title, hit_kind, hit_jurisdiction, snippet in rows:
        result.hits.append(
            Hit(
                iri,
                re.sub(f"[{OPEN}{CLOSE}]", "", title),
                hit_kind,
                hit_jurisdiction,
                re.sub(f"[{OPEN}{CLOSE}]", "", snippet),
                marked_parts(title),
                marked_parts(snippet),
            )
        )
    result.truncated = result.total > len(result.hits)  # more pages
    codes = [c for c in result.facets.get("jurisdiction", {}) if c != "none"]
    result.names = {c: n for c, n in _jurisdiction_names(db, codes).items()}
    return result


def _jurisdiction_names(db: sqlite3.Connection, codes: list[str]) -> dict[str, str]:
    """Names of jurisdictions by code, from their indexed titles, for facet labels."""
    if not codes:
        return {}
    marks = ",".join("?" * len(codes))
    rows = db.execute(
        f"SELECT jurisdiction, title FROM docs WHERE kind = 'jurisdiction' AND jurisdiction IN ({marks})", codes
    ).fetchall()
    return dict(rows)


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


def named(store: Store, kind: str) -> list[tuple[str, str, str]]:
    """(IRI, title, jurisdiction code) of every indexed entity of a kind, by title:
    the choices of a picker. Kept per graph version (``analysis.answers``), and read
    for that kind alone (``picker_names``, ``technology_names``: the index's rows of
    the kind without the text it indexes), so the first page with a picker after a
    restart builds no index: at 1M triples the whole index was 16 s of the first /gaps."""
    return answer(store, "named", (kind,), lambda: _named(store, kind))


#: the kinds ``named`` reads on their own: kind -> the class of its members
_PICKED = {
    "control entry": QH + "ControlEntry",
    "legal instrument": QH + "LegalInstrument",
    "jurisdiction": QH + "Jurisdiction",
    "arrangement": QH + "Arrangement",
    "authority": QH + "Authority",
    "licence exception": QH + "LicenceException",
    "control list": QH + "ControlList",
}


def _named(store: Store, kind: str) -> list[tuple[str, str, str]]:
    if kind == "technology":
        rows = select_all(store, "technology_names").rows
    elif kind in _PICKED:
        rows = select_all(store, "picker_names", {"type": Term.iri(_PICKED[kind])}).rows
    else:  # a kind only the index holds (source documents)
        found = _index(store).execute(
            "SELECT iri, title, jurisdiction FROM docs WHERE kind = ? AND title != '' ORDER BY title", [kind]
        )
        return [tuple(r) for r in found.fetchall()]
    # titles as the index writes them, by title; equal titles in the index's order (by IRI)
    named = [(r["s"].value, plain_text(whole_label(cell(r, "title"))), cell(r, "jurisdiction")) for r in rows]
    named.sort(key=lambda r: r[0])
    return [r for r in sorted(named, key=lambda r: r[1]) if r[1]]


def resolve_name(store: Store, text: str, kind: str = "") -> str | None:
    """The IRI a person means by a code or a name ("US", "united states",
    "Wassenaar"): a jurisdiction's ISO code first, then an exact title, then an exact
    code or notation in the indexed text; None when nothing or more than one matches."""
    value = text.strip()
    if not value:
        return None
    db = _index(store)
    kinds = [kind] if kind else ["jurisdiction", "technology", "arrangement", "control entry", "legal instrument"]
    marks = ",".join("?" * len(kinds))
    if len(value) == 2 and value.isalpha():
        row = db.execute(
            "SELECT iri FROM docs WHERE kind = 'jurisdiction' AND jurisdiction = ?", [value.upper()]
        ).fetchone()
        if row and (not kind or kind == "jurisdiction"):
            return row[0]
    for column in ("title", "body"):
        rows = db.execute(f"SELECT iri, {column} FROM docs WHERE kind IN ({marks})", kinds).fetchall()
        if column == "title":
            found = {iri for iri, t in rows if t.casefold() == value.casefold()}
        else:
            found = {iri for iri, b in rows if value.casefold() in (p.strip().casefold() for p in b.split("|"))}
        if len(found) == 1:
            return found.pop()
    return None
