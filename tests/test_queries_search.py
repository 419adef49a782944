"""Search indexes the whole graph even when the store caps rows per answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from qharmony.ontology.files import ONTOLOGY_FILE, read_text
from qharmony.ontology.namespaces import ONTOLOGY_GRAPH, document_graph
from qharmony.queries.catalog import get_query, select_pages
from qharmony.queries.errors import QueryError
from qharmony.queries.search import search
from qharmony.queries.store import open_store

FIXTURE = Path(__file__).parent / "fixtures" / "gap_world.ttl"


def _world(path: Path, max_rows: int):
    store = open_store(path, max_rows=max_rows)
    store.load(read_text(ONTOLOGY_FILE).encode("utf-8"), "ttl", ONTOLOGY_GRAPH)
    store.load(FIXTURE.read_bytes(), "ttl", document_graph("fixture"))
    return store


def test_a_capped_store_still_gets_a_complete_index(tmp_path):
    roomy, capped = _world(tmp_path / "roomy", 10_000), _world(tmp_path / "capped", 4)
    whole = roomy.select(get_query("search_index").text).rows
    # the capped store answers 4 rows at a time: a single query would be cut
    assert len(whole) > 4 and capped.select(get_query("search_index").text).truncated
    assert select_pages(capped, "search_index") == whole
    for words in ("Brevonia", "Calvaria Law", "quantum computers"):
        assert search(capped, words).to_json() == search(roomy, words).to_json()
    assert search(capped, "Calvaria Law").total >= 1


def test_paging_needs_an_ordered_query(tmp_path):
    with pytest.raises(QueryError, match="'graph_counts' must end in ORDER BY"):
        select_pages(_world(tmp_path / "w", 4), "graph_counts")
