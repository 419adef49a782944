"""A reviewer in real Chromium: sign in, find a threshold in the queue, correct it;
after a rebuild the entity page shows it corrected, by whom. Anonymous visitors are
sent to the sign-in form. Every request that is not to localhost is blocked."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from conftest import REVIEW_DOC, REVIEW_PASSWORD, reviewed_store, serving  # the one harness

from qharmony.ingest.build import build
from qharmony.queries.store import open_store
from qharmony.server.ledger import all_decisions

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DOC, PASSWORD = REVIEW_DOC, REVIEW_PASSWORD


@pytest.fixture(scope="module")
def reviewed_site(tmp_path_factory):
    """A small graph, a reviewer account and the explorer under waitress."""
    root = tmp_path_factory.mktemp("review-browser")
    docs = root / "docs"
    store, review_db = reviewed_store(root, min_confidence=0.7)  # the UK entry's facts are held
    config = {"STORE": str(store), "REVIEW_DB": str(review_db)}
    with serving(config) as url:
        yield {"root": root, "docs": docs, "url": url}


def test_a_reviewer_corrects_a_threshold_and_the_rebuild_keeps_it(tab, reviewed_site):
    url = reviewed_site["url"]
    tab.goto(url + "/review")
    assert urlparse(tab.url).path == "/review/login"  # anonymous: sent to sign in
    tab.fill("#name", "ana")
    tab.fill("#password", "not the password")
    tab.click("button[type=submit]")
    assert "wrong name or password" in tab.inner_text("main")
    tab.fill("#name", "ana")
    tab.fill("#password", PASSWORD)
    tab.click("button[type=submit]")
    assert tab.inner_text("h1") == "Review queue"

    tab.select_option("#relation", "qh:hasThreshold")
    tab.click("form.filters button[type=submit]")
    items = tab.locator("ol.review-queue li")
    assert items.count() == 1
    assert items.first.locator("mark").inner_text() == "34"  # the span, highlighted in its sentence
    items.first.locator("a").first.click()

    fact_path = urlparse(tab.url).path
    tab.check("input[value=correct]")
    tab.select_option("#op", ">")
    tab.fill("#value", "35")
    tab.fill("#reason", "checked against the instrument")
    tab.click("form.decide button[type=submit]")
    assert "correct recorded" in tab.inner_text("p.notice")
    assert "checked against the instrument" in tab.inner_text("table")

    decisions = all_decisions(reviewed_site["root"] / "review.sqlite")
    store = open_store(reviewed_site["root"] / "store")
    build(store, [reviewed_site["docs"]], reason=False, min_confidence=0.7, decisions=decisions)
    store.close()
    tab.goto(url + "/id/entry/GB/PL9014.a")
    badge = tab.locator("ol.evidence li", has_text="has threshold").locator(".badge.reviewed")
    assert badge.inner_text().startswith("corrected by ana")
    tab.goto(url + "/review/log")
    assert "applied" in tab.inner_text("table.review-log")
    # the review pages fit a phone too
    tab.set_viewport_size({"width": 375, "height": 800})
    for path in ("/review", "/review?show=all", "/review/log", fact_path, "/review/login"):
        tab.goto(url + path)
        assert tab.evaluate("document.documentElement.scrollWidth") <= 375, path
