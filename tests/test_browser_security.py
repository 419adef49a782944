"""Poisoned data in real Chromium: a ``javascript:`` IRI loaded with ``qharmony load``
never runs, on any page that shows it, not even when every link is clicked."""

from __future__ import annotations

import threading

import pytest
from click.testing import CliRunner
from conftest import FLAGS, _chromium

from qharmony.server.cli import main

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ID = "https://w3id.org/qharmony/id/"
POISON = f"""
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix qh: <https://w3id.org/qharmony/ontology#> .
<{ID}test/poisoned> rdfs:label "Poisoned entity" ;
    rdfs:seeAlso <javascript:alert(document.domain)> ;
    qh:relatedTo <JavaScript:alert('related')> , <{ID}test/other> .
<javascript:alert('referrer')> rdfs:seeAlso <{ID}test/poisoned> ; rdfs:label "A referrer" .
<{ID}test/other> rdfs:label "Other" .
"""
PAGES = [
    "/id/test/poisoned",
    f"/queries/entity_outgoing?entity={ID}test/poisoned",
    f"/queries/entity_incoming?entity={ID}test/poisoned",
]


@pytest.fixture(scope="module")
def poisoned_url(tmp_path_factory):
    from waitress.server import create_server

    from qharmony.server.app import create_app

    folder = tmp_path_factory.mktemp("poisoned")
    data = folder / "poison.ttl"
    data.write_text(POISON, encoding="utf-8")
    store = folder / "store"
    out = CliRunner().invoke(main, ["load", str(data), "--graph", ID + "graph-test", "--store", str(store)])
    assert out.exit_code == 0, out.output
    app = create_app({"STORE": str(store), "RATE_REQUESTS": 0, "RATE_QUERY_SECONDS": 0})
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()


@pytest.fixture(scope="module")
def browser():
    executable = _chromium()
    if executable is None:
        pytest.skip("no Chromium on this machine (apt-get install chromium, or set QHARMONY_CHROMIUM)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=executable, args=FLAGS, headless=True)
        yield chromium
        chromium.close()


def _watch(browser):
    context = browser.new_context()
    tab = context.new_page()
    fired: list[str] = []

    def dialog(d):
        fired.append(d.message)
        d.dismiss()

    tab.on("dialog", dialog)
    return context, tab, fired


def test_the_detector_sees_a_javascript_link_run(browser):
    """The control: in this browser a javascript: href does run when clicked, so the
    test below would notice one."""
    context, tab, fired = _watch(browser)
    tab.set_content('<a id="x" href="javascript:alert(1)">x</a>')
    tab.click("#x")
    tab.wait_for_timeout(200)
    context.close()
    assert fired == ["1"]


@pytest.mark.parametrize("path", PAGES)
def test_a_javascript_iri_never_runs_even_when_every_link_is_clicked(browser, poisoned_url, path):
    context, tab, fired = _watch(browser)
    try:
        tab.goto(poisoned_url + path)
        assert "alert(" in tab.inner_text("main")  # the IRI is shown, as text
        hrefs = tab.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        svg = tab.eval_on_selector_all("svg a", "els => els.map(e => e.getAttribute('href'))")
        assert not [h for h in hrefs + svg if "script:" in h.lower()]
        count = tab.locator("main a").count()
        assert count > 0
        for i in range(count):
            link = tab.locator("main a").nth(i)
            href = link.get_attribute("href") or ""
            if not link.is_visible() or (href.startswith(("http:", "https:")) and not href.startswith(poisoned_url)):
                continue  # a link off this machine cannot carry script and has nowhere to go here
            link.click()
            tab.wait_for_load_state("load")
            if tab.url != poisoned_url + path:
                tab.goto(poisoned_url + path)
        tab.wait_for_timeout(200)
    finally:
        context.close()
    assert fired == [], f"a script ran from poisoned data on {path}: {fired}"
