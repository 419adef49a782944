"""The explorer's pages in real Chromium at desktop and phone widths: search worth
using, no sideways scrolling anywhere, the navigation, the skip link and print."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WIDTHS = [1280, 375]
PAGES = [
    "/",
    "/search?q=quantum+computer",
    "/gaps?a=US&b=JP&as_of=2025-01-01",
    "/matrix",
    "/treaties",
    "/treaties/wassenaar-arrangement",
    "/transfer?technology=CryogenicCooling&value=cooling_power%3D700+uW&value=temperature%3D90+mK&from=DE&to=SG",
    "/changes?from=2023-01-01&to=2026-01-01",
    "/queries",
    "/queries/controls",
    "/ontology",
    "/ontology/appliesIn",
    "/validation",
    "/sparql",
    "/id/entry/US/4A906.a.1",
    "/id/jurisdiction/US",
    "/matrix?as_of=2025-01-01",
    "/determine",
    "/determine?j=US&as_of=2025-01-01",
    "/coverage",
    "/versions",
    "/watchlists",
    "/portfolio",
    "/review/login",
]


def test_every_page_of_the_navigation_is_tried():
    """The sideways-scrolling check below covers each page the navigation links to."""
    from qharmony.server.layout import NAV, REVIEW_NAV

    tried = {path.split("?")[0] for path in PAGES}
    assert {path for path, _ in NAV} <= tried
    assert {path + "/login" for path, _ in REVIEW_NAV} <= tried  # the review pages sit behind sign-in


def _screenshot(tab, name: str) -> None:
    """README screenshots, when QHARMONY_SCREENSHOT_DIR names a folder (docs/)."""
    folder = os.environ.get("QHARMONY_SCREENSHOT_DIR")
    if folder:
        tab.screenshot(path=str(Path(folder) / name))


def _scroll_width(tab) -> int:
    return tab.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("width", WIDTHS)
def test_search_marks_matches_pages_and_facets_follow_filters(new_tab, live_url, width):
    tab = new_tab(width)
    tab.goto(live_url + "/search?q=quantum+computer")
    text = tab.inner_text("ol.hits")
    assert "[" not in text and "##" not in text
    assert tab.locator("ol.hits mark").count() > 5
    total = int(tab.inner_text("p.summary").split()[0])
    assert total > 20 and "page 1 of" in tab.inner_text("p.summary")
    tab.click("nav.pager >> text=Next")
    assert "page 2 of" in tab.inner_text("p.summary")
    # choose a jurisdiction: the kind counts follow it, the filter is shown and removable
    tab.click(".facets a >> text=United States")
    chip = tab.locator("a.chip")
    assert "jurisdiction: United States" in chip.inner_text()
    kinds = tab.locator(".facets ul >> nth=0").locator(".count").all_inner_texts()
    us_total = int(tab.inner_text("p.summary").split()[0])
    assert us_total < total
    assert sum(int(n) for n in kinds) == us_total
    assert tab.locator(".facets a[aria-current=true]").inner_text() == "United States"
    chip.click()
    assert tab.locator("a.chip").count() == 0
    assert int(tab.inner_text("p.summary").split()[0]) == total
    assert _scroll_width(tab) <= width


# the narrowest phone and a desktop: a page that fits 360 px fits the 375 of WIDTHS
@pytest.mark.parametrize("width", [1280, 360])
def test_no_page_scrolls_sideways(new_tab, live_url, width):
    tab = new_tab(width)
    wide = []
    for path in PAGES:
        response = tab.goto(live_url + path)
        assert response.status < 500, path
        if _scroll_width(tab) > width:
            wide.append((path, _scroll_width(tab)))
    assert wide == [], f"pages wider than {width}px: {wide}"
    assert tab.evaluate("window.__csp || []") == []


def test_navigation_marks_the_current_page_and_the_skip_link_reaches_the_content(new_tab, live_url):
    tab = new_tab(1280)
    tab.goto(live_url + "/matrix")
    assert tab.locator("nav[aria-label=Main] a[aria-current=page]").inner_text() == "Matrix"
    tab.goto(live_url + "/treaties/wassenaar-arrangement")
    assert tab.locator("nav[aria-label=Main] a[aria-current=page]").inner_text() == "Treaties"
    tab.keyboard.press("Tab")
    skip = tab.locator("a.skip")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.bounding_box()["y"] >= 0  # visible when focused
    tab.keyboard.press("Enter")
    assert tab.evaluate("document.activeElement.id") == "main"
    tab.keyboard.press("Tab")
    outline = tab.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "focus is not visible"


def test_printed_gaps_page_has_no_navigation_or_form_and_cites_its_graph(new_tab, live_url):
    tab = new_tab(1280)
    tab.goto(live_url + "/gaps?a=US&b=JP&as_of=2025-01-01")
    tab.emulate_media(media="print")
    assert not tab.locator("header.top").is_visible()
    assert not tab.locator("main form").is_visible()
    assert tab.locator("ol.gaps li").first.is_visible()
    footer = tab.inner_text("footer")
    assert "2025-01-01" in footer and "graph version" in footer and "/gaps?a=US" in footer
    assert len(tab.pdf()) > 1000


@pytest.mark.parametrize("width", WIDTHS)
def test_the_matrix_names_groups_and_labels_its_cells(new_tab, live_url, width):
    tab = new_tab(width)
    tab.goto(live_url + "/matrix?baseline=JP")
    groups = tab.locator("table.matrix tr.groups th").all_inner_texts()
    assert groups[1] == "Baseline" and "European Union and its member states" in groups
    names = tab.locator("table.matrix tr.names th").all_inner_texts()
    assert names[0].startswith("Japan") and any(n.startswith("Germany") for n in names)
    # every cell says its state in words, so it reads without colour
    cells = tab.locator("table.matrix td.cell")
    words = set(cells.all_inner_texts())
    # the state word leads; flags and a low confidence follow on their own line
    assert {w.split("\n")[0].split(" +")[0].strip() for w in words} <= {
        "controlled",
        "not controlled",
        "no data",
        "uncertain",
        "stricter",
        "looser",
        "differs",
        "same as baseline",
    }
    assert tab.locator(".legend li").count() >= 4
    # the headers stay in view when the matrix scrolls
    tab.locator(".matrix-wrap").evaluate("el => { el.scrollTop = 200; el.scrollLeft = 400; }")
    corner = tab.locator("table.matrix tbody th").first.bounding_box()
    wrap = tab.locator(".matrix-wrap").bounding_box()
    assert abs(corner["x"] - wrap["x"]) < 3
    assert tab.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", WIDTHS)
def test_a_matrix_cell_shows_the_band_where_thresholds_differ(new_tab, live_url, width):
    tab = new_tab(width)
    tab.goto(live_url + "/matrix?as_of=2025-01-01")
    names = tab.locator("table.matrix tr.names th").all_inner_texts()
    germany = next(i for i, n in enumerate(names) if n.startswith("Germany"))
    row = tab.locator("table.matrix tbody tr", has=tab.locator("th", has_text="cryogenic CMOS"))
    cell = row.locator("td.cell").nth(germany)
    # DE's list reads "below 4.5 K" where the US reads "4.5 K or below": the US catches 4.5 K itself
    assert "state-looser" in cell.get_attribute("class").split()
    assert cell.inner_text().startswith("looser")
    assert cell.locator(".band").inner_text() == "only in US: operating temperature of 4.5 K"
    assert tab.evaluate("document.documentElement.scrollWidth") <= width
    if width == 1280:
        cell.scroll_into_view_if_needed()
        _screenshot(tab, "matrix.png")


@pytest.mark.parametrize("width", WIDTHS)
def test_timelines_for_a_jurisdiction_a_technology_and_an_arrangement(new_tab, live_url, width):
    tab = new_tab(width)
    tab.goto(live_url + "/ontology/QuantumComputer")
    svg = tab.locator("svg.timeline")
    assert svg.count() == 1
    assert tab.locator("svg.timeline .in-force").count() > 5
    assert tab.locator("svg.timeline .month").count() >= 2  # JP 2024 is known only to the month: drawn as such
    assert "JP: Amendment of the METI ordinance" in svg.text_content()
    if width == 1280:
        svg.scroll_into_view_if_needed()
        _screenshot(tab, "timeline.png")
    assert tab.evaluate("document.documentElement.scrollWidth") <= width
    for path in ("/id/jurisdiction/CA", "/id/arrangement/wassenaar-arrangement"):
        tab.goto(live_url + path)
        assert tab.locator("svg.timeline g.lane").count() >= 1, path
        assert tab.evaluate("document.documentElement.scrollWidth") <= width
    tab.goto(live_url + "/id/jurisdiction/CA")
    assert tab.locator("svg.timeline .proposed-lane").count() == 1  # the proposed second tranche
    tab.click("svg.timeline a >> nth=0")
    assert "/id/instrument/CA/" in tab.url


PAYLOAD = '"><img src=/x onerror="window.__pwned=1"><script>window.__pwned=2</script>'


def test_a_payload_in_a_parameter_is_shown_never_run(new_tab, live_url):
    from urllib.parse import quote

    tab = new_tab(1280)
    p = quote(PAYLOAD)
    for path in (
        f"/search?q={p}",
        f"/search?q=quantum&kind={p}",
        f"/gaps?a=US&b={p}",
        f"/transfer?technology=CryogenicCooling&from=DE&to=SG&value={p}",
        f"/queries/controls?jurisdiction={p}",
        f"/matrix?baseline={p}",
        f"/sparql?query={p}",
    ):
        tab.goto(live_url + path)
        assert tab.evaluate("window.__pwned") is None, path
        assert tab.locator("main img, main script").count() == 0, path
    tab.goto(live_url + f"/gaps?a=US&b={p}")
    assert tab.input_value("#b") == PAYLOAD  # the form keeps what was typed, as text


def test_jurisdictions_are_picked_by_name(new_tab, live_url):
    tab = new_tab(375)
    tab.goto(live_url + "/gaps")
    options = tab.locator("#b-options option")
    assert options.count() > 30
    assert "Japan (JP)" in options.all_text_contents()
    tab.fill("#a", "United States")
    tab.fill("#b", "Japan")
    tab.fill("#as_of", "2025-01-01")
    tab.click("main form button[type=submit]")
    tab.wait_for_selector("ol.gaps li")
    # the sample holds no complete Japanese list: JP's silence is a data gap, not a coverage gap
    listed = tab.inner_text("main")
    assert "timing" in listed and "data gap" in listed


@pytest.mark.parametrize("width", WIDTHS)
def test_the_seven_questions_are_answered_from_links_and_pickers(new_tab, live_url, width):
    tab = new_tab(width)
    tab.goto(live_url + "/")
    links = tab.locator("ol.questions a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert len(hrefs) >= 7
    # where each question's answer shows on the page its link opens
    answers = {
        "/gaps?": "ol.gaps li",
        "/queries/thresholds": "table.results tbody tr",
        "/matrix": "table.matrix td.cell",
        "/treaties/": "main table tbody tr",
        "/transfer?": "p.verdict",
        "/id/exception/": "table.facts tbody tr",
        "/queries/favourable_treatment": "table.results tbody tr",
        "/changes?": "section.change-day",
        "/id/entry/": "ol.evidence .source",
    }
    for href in hrefs:
        selector = next(v for k, v in answers.items() if k in href)
        response = tab.goto(live_url + href)
        assert response.status == 200, href
        assert tab.locator(selector).count() > 0, (href, selector)
        assert tab.evaluate("document.documentElement.scrollWidth") <= width, href
