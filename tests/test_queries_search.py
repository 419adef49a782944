"""Search a person can use: clean marked snippets, whole labels, pages, and facet
counts that follow the other filters."""

from __future__ import annotations

import pytest

from qharmony.queries.search import CLOSE, OPEN, marked_parts, plain_text, search, whole_label


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
