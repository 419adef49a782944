"""Loud limits on the sample graph: a search whose hits are cut says so."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def test_search_says_when_it_shows_fewer_hits_than_it_found(client):
    data = client.get("/search.json?q=quantum").get_json()
    assert data["total"] > len(data["hits"]) == data["page_size"] and data["truncated"] is True
    narrow = client.get("/search.json?q=Wassenaar").get_json()
    assert narrow["total"] == len(narrow["hits"]) and narrow["truncated"] is False
    page = client.get("/search?q=quantum").get_data(as_text=True)
    assert f"page 1 of {data['pages']}" in page
