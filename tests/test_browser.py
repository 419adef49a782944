"""The explorer in real Chromium (Playwright driving the system browser), with every
request that is not to localhost blocked: the journey a user takes, forms with
labels that work from the keyboard, and the README's screenshots."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture()
def page(new_tab):
    return new_tab(1280)


def _shot(tab, name: str) -> None:
    folder = os.environ.get("QHARMONY_SCREENSHOT_DIR")
    if folder:
        tab.screenshot(path=str(Path(folder) / name), full_page=False)


def test_the_journey_from_search_to_a_csv(page, live_url, tmp_path):
    page.goto(live_url + "/")
    assert "Quantum technology export controls" in page.inner_text("h1")
    page.click("nav >> text=Search")
    page.fill("#q", "quantum computer")
    page.keyboard.press("Enter")
    page.wait_for_selector("ol.hits li")
    assert "result" in page.inner_text("main")
    _shot(page, "search.png")
    page.click(".facets a >> text=United States")
    page.click("ol.hits li a >> text=4A906.a.1")
    page.wait_for_selector(".source mark")
    marks = page.locator(".source mark").all_inner_texts()
    assert "34" in marks
    # every sample document is our summary: shown as one, never quoted as the rule's words
    assert page.locator("blockquote.source").count() == 0
    assert "summary (our own words)" in page.inner_text("ol.evidence").lower()
    assert page.locator("svg.diagram").count() == 1
    assert "in force since" in page.inner_text("dl.keyfacts")
    _shot(page, "entity-page.png")
    page.goto(live_url + "/queries/entries_controlling")
    page.click("form button[type=submit]")
    page.wait_for_selector("table.results tbody tr")
    page.click("table.results thead th >> nth=0")
    with page.expect_download() as download:
        page.click("text=CSV")
    target = tmp_path / "rows.csv"
    download.value.save_as(target)
    header = target.read_text(encoding="utf-8").splitlines()[0]
    assert "entry" in header


def test_forms_have_labels_and_work_from_the_keyboard(page, live_url):
    for path in ("/search", "/gaps", "/transfer", "/queries/thresholds", "/sparql"):
        page.goto(live_url + path)
        unlabelled = page.evaluate("""() => Array.from(
            document.querySelectorAll('main input, main select, main textarea'))
            .filter(el => el.type !== 'hidden' && !(el.labels && el.labels.length)
                    && !el.getAttribute('aria-label')).map(el => el.name || el.id)""")
        assert unlabelled == [], f"{path}: fields without a label: {unlabelled}"
    page.goto(live_url + "/gaps")
    page.focus("#a")
    page.keyboard.type("US")
    page.keyboard.press("Tab")
    page.keyboard.type("JP")
    page.keyboard.press("Enter")
    page.wait_for_selector("ol.gaps li")
    # JP's sources are silent on what the US controls beyond its two entries: data gaps, apart
    assert "data gap" in page.inner_text("ol.data-gaps").lower()
