"""The SPARQL editor in real Chromium, at desktop and phone widths: a typed query
shows its rows in the page and is shared by URL, a bad query shows its error beside
the kept query, payloads in results stay text, and the plain form works without
JavaScript."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WIDTHS = [1280, 375]
QUERY = """PREFIX qh: <https://w3id.org/qharmony/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?entry ?code WHERE {
  ?entry qh:controlsTechnology qh:QuantumComputer ;
         skos:notation ?code .
}
ORDER BY ?code"""


def _type_query(tab, text: str) -> None:
    tab.click(".cm-content")
    tab.keyboard.press("Control+A")
    tab.keyboard.press("Delete")
    tab.keyboard.insert_text(text)
    tab.keyboard.press("Escape")  # close the completion list, as a person would


def _no_sideways_scroll(tab) -> None:
    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= tab.viewport_size["width"], f"{tab.url} scrolls sideways: {width}px"


@pytest.mark.parametrize("width", WIDTHS)
def test_a_typed_query_shows_rows_in_the_page_and_a_link_reproduces_it(new_tab, live_url, width):
    tab = new_tab(width)
    tab.goto(live_url + "/sparql")
    assert tab.locator(".cm-editor .cm-line").count() > 3, "the editor did not replace the textarea"
    _type_query(tab, QUERY)
    assert tab.locator(".cm-content span").count() > 3, "no syntax highlighting"
    requests: list[str] = []
    tab.on("request", lambda r: requests.append(urlparse(r.url).path))
    tab.keyboard.press("Control+Enter")
    tab.wait_for_selector("#results table.results tbody tr")
    assert "4A906" in tab.inner_text("#results")
    assert tab.locator("#results a[href^='/id/entry/']").count() > 0
    # the links show labels as soon as the rows do: they come with the answer, in one request
    first = tab.locator("#results a[data-iri]").first
    assert " " in first.inner_text() and first.get_attribute("title").startswith("https://w3id.org/qharmony/id/")
    assert [path for path in requests if not path.startswith("/static/")] == ["/sparql"]
    shared = tab.url
    assert parse_qs(urlparse(shared).query)["query"] == [QUERY]
    _no_sideways_scroll(tab)
    if width == 1280 and os.environ.get("QHARMONY_SCREENSHOT_DIR"):
        tab.screenshot(path=str(Path(os.environ["QHARMONY_SCREENSHOT_DIR"]) / "sparql-editor.png"))
    other = new_tab(width)
    other.goto(shared)
    other.wait_for_selector("#results table.results tbody tr")
    assert "4A906" in other.inner_text("#results")
    assert QUERY in other.evaluate("document.getElementById('query').value")
    assert other.evaluate("window.__csp || []") == []


@pytest.mark.parametrize("width", WIDTHS)
def test_a_bad_query_shows_its_error_beside_the_kept_query(new_tab, live_url, width):
    tab = new_tab(width)
    tab.goto(live_url + "/sparql")
    bad = "SELECT ?s WHERE { ?s ?p }"
    _type_query(tab, bad)
    tab.click("#run")
    tab.wait_for_selector("#query-error:not([hidden])")
    assert "Error 400" in tab.inner_text("#query-error")
    assert tab.evaluate("document.getElementById('query').value") == bad
    assert tab.inner_text(".cm-content").strip() == bad
    _no_sideways_scroll(tab)


def test_payloads_in_results_stay_text(new_tab, live_url):
    tab = new_tab(1280)
    tab.goto(live_url + "/sparql")
    payload = (
        'SELECT ?text ?link WHERE { BIND("<img src=x onerror=window.__pwned=1><script>window.__pwned=2</script>" '
        "AS ?text) BIND(<javascript:window.__pwned=3> AS ?link) }"
    )
    _type_query(tab, payload)
    tab.keyboard.press("Control+Enter")
    tab.wait_for_selector("#results table.results tbody tr")
    assert "<img src=x" in tab.inner_text("#results td >> nth=0")
    assert tab.locator("#results img, #results script").count() == 0
    assert tab.locator("#results a[href^='javascript']").count() == 0
    tab.reload()  # the server-rendered table of the same URL
    tab.wait_for_selector("#results table.results tbody tr")
    assert tab.locator("#results img, #results script").count() == 0
    assert tab.locator("#results a[href^='javascript']").count() == 0
    assert tab.evaluate("window.__pwned") is None


def test_results_are_paged_and_download_as_csv_tsv_and_json(new_tab, live_url, tmp_path):
    tab = new_tab(1280)
    tab.goto(live_url + "/sparql")
    _type_query(tab, "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 120")
    tab.keyboard.press("Control+Enter")
    tab.wait_for_selector("#results table.results tbody tr")
    assert "Rows 1–50 of 120" in tab.inner_text("#results")
    assert tab.locator("#results tbody tr").count() == 50
    tab.click("#results .pager >> text=Next")
    assert "Rows 51–100 of 120" in tab.inner_text("#results")
    for fmt, first in (("CSV", "s,p,o"), ("TSV", "?s\t?p\t?o"), ("JSON", "{")):
        with tab.expect_download() as download:
            tab.click(f"#results .result-meta >> text={fmt}")
        target = tmp_path / fmt
        download.value.save_as(target)
        text = target.read_text(encoding="utf-8")
        assert text.startswith(first), (fmt, text[:80])
        assert download.value.suggested_filename == f"query-results.{fmt.lower()}"


def test_examples_and_prefixes_fill_the_editor(new_tab, live_url):
    tab = new_tab(1280)
    tab.goto(live_url + "/sparql")
    tab.select_option("#example", "arrangement_parties")
    assert "qh:hasParty" in tab.inner_text(".cm-content")
    _type_query(tab, "SELECT * WHERE { ?s a qh:Arrangement }")
    tab.click("#add-prefixes")
    text = tab.evaluate("document.getElementById('query').value")
    assert text.startswith("PREFIX qh: <https://w3id.org/qharmony/ontology#>")
    assert "PREFIX skos:" in text
    tab.click("#run")
    tab.wait_for_selector("#results table.results tbody tr")
    tab.wait_for_function("() => document.getElementById('results').textContent.includes('Wassenaar')")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_plain_form_works_without_javascript(new_tab, live_url, width):
    tab = new_tab(width, javascript=False)
    tab.goto(live_url + "/sparql")
    tab.select_option("#example", "arrangement_parties")
    tab.click("#load-example")
    assert "qh:hasParty" in tab.input_value("#query")
    tab.click("#run")
    tab.wait_for_selector("#results table.results tbody tr")
    assert "AQuA" in tab.inner_text("#results")
    assert "Page 1 of" in tab.inner_text("#results .pager")
    assert "query=" in tab.url
    _no_sideways_scroll(tab)
    tab.fill("#query", "SELECT nonsense")
    tab.click("#run")
    assert "Error 400" in tab.inner_text("#query-error")
    assert tab.input_value("#query") == "SELECT nonsense"
