"""Search a person can use: clean marked snippets, whole labels, pages, facet counts
that follow the other filters; and an index of the whole graph even when the store
caps rows per answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from qharmony.ontology.files import ONTOLOGY_FILE, read_text
from qharmony.ontology.namespaces import ONTOLOGY_GRAPH, document_graph
from qharmony.queries.catalog import get_query, select_pages
from qharmony.queries.errors import QueryError
from qharmony.queries.search import CLOSE, OPEN, marked_parts, plain_text, search, whole_label
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


def test_plain_text_drops_markdown_and_folds_whitespace():
    text = "## 4A506 **Quantum** computers\n\n- a. see [the rule](https://x.example/r) and *this*\n> quoted"
    assert plain_text(text) == "4A506 Quantum computers a. see the rule and this quoted"


def test_marked_parts_split_on_the_match_markers():
    assert marked_parts(f"a {OPEN}b{CLOSE} c") == [("a ", False), ("b", True), (" c", False)]


def test_a_label_cut_by_the_build_ends_on_a_whole_word():
    cut = ("4A906.a.7 Supporting 1,100 or more fully controlled qubits " * 4)[:160]
    assert len(cut) == 160 and not cut.endswith(" ")
    trimmed = whole_label(cut)
    assert trimmed.endswith(" …") and cut.startswith(trimmed[:-2])
    assert whole_label("Quantum computers") == "Quantum computers"


@pytest.mark.slow
def test_snippets_are_clean_and_facets_follow_the_other_filters(store):
    everything = search(store, "quantum computer")
    assert everything.total > everything.page_size  # there is a second page
    for hit in everything.hits:
        assert "[" not in hit.snippet and "##" not in hit.snippet and "**" not in hit.snippet
        assert any(marked for _, marked in hit.snippet_parts + hit.title_parts)
    us = search(store, "quantum computer", jurisdiction="US")
    assert sum(us.facets["kind"].values()) == us.total
    assert us.facets["kind"] != everything.facets["kind"]
    # the jurisdiction facet ignores its own filter, so other jurisdictions stay choosable
    assert us.facets["jurisdiction"] == everything.facets["jurisdiction"]
    entries = search(store, "quantum computer", kind="control entry")
    assert entries.facets["jurisdiction"]["US"] == search(store, "quantum computer", "control entry", "US").total
    assert us.names["US"] == "United States"


@pytest.mark.slow
def test_pages_do_not_overlap_and_cover_every_hit(store):
    first = search(store, "quantum computer", page=1)
    second = search(store, "quantum computer", page=2)
    seen = [h.iri for p in range(1, first.pages + 1) for h in search(store, "quantum computer", page=p).hits]
    assert second.page == 2 and not {h.iri for h in first.hits} & {h.iri for h in second.hits}
    assert len(seen) == len(set(seen)) == first.total
    assert search(store, "quantum computer", page=999).page == first.pages


@pytest.mark.slow
def test_pickers_offer_what_the_index_holds_of_each_kind(store):
    """A picker's options are read for their kind alone (no index built), and are
    exactly the index's entities of that kind, titles and codes, in its order."""
    from qharmony.queries import search as search_module

    for kind in ("jurisdiction", "technology", "arrangement", "control entry", "legal instrument"):
        index = search_module._index(store).execute(
            "SELECT iri, title, jurisdiction FROM docs WHERE kind = ? AND title != '' ORDER BY title, iri", [kind]
        )
        expected = [tuple(r) for r in index.fetchall()]
        assert expected, f"no {kind} in the index: the comparison would prove nothing"
        assert search_module._named(store, kind) == expected
