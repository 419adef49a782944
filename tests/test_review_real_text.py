"""Issue 16's acceptance on real regulation text, in real Chromium: a store built from
ECCN 3A904 as the eCFR gives it (cut from ``../shared/corpus/us-ccl-2026-07-23.txt``
at test time, never copied into the project); a signed-in reviewer corrects the
cooling power of 3A904.a in the browser; SPARQL shows the correction at once; after a
full rebuild with ``qharmony build`` it is still applied, shown as reviewed on the
entity page and in the determination, present in the export and in the audit graph.

The extractor reads 3A904.a right (600 µW); the correction here (to 650 µW) stands in
for a wrong reading and takes exactly the path a real one would.
"""

from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from conftest import serving  # the one harness: Chromium (the tab fixture) and waitress

from qharmony.server.accounts import add_user
from qharmony.server.cli import main

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CCL = Path(__file__).parent.parent.parent / "shared" / "corpus" / "us-ccl-2026-07-23.txt"
PASSWORD = "a long enough password"
COOLING = """PREFIX qh: <https://w3id.org/qharmony/ontology#>
SELECT ?op ?v WHERE { GRAPH ?g { <https://w3id.org/qharmony/id/entry/US/3A904.a> qh:hasThreshold ?t .
  ?t qh:parameter "cooling_power" ; qh:comparator ?op ; qh:value ?v }
  FILTER(STRSTARTS(STR(?g), "https://w3id.org/qharmony/graph/doc/")) }"""
CONTROLS_FACT = """PREFIX qh: <https://w3id.org/qharmony/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?fp WHERE { ?e rdf:subject <https://w3id.org/qharmony/id/entry/US/3A904.a> ;
  rdf:predicate qh:controlsTechnology ; qh:fingerprint ?fp }"""
AUDIT = """PREFIX qh: <https://w3id.org/qharmony/ontology#>
SELECT ?action ?status ?value WHERE { GRAPH <https://w3id.org/qharmony/graph/review> {
  ?d qh:reviewAction "correct", ?action ; qh:reviewStatus ?status ; qh:correctedValue ?value } }"""


def _eccn(text: str, code: str) -> str:
    """The list's heading lines and one ECCN, up to the next ECCN heading."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(code + " "))
    heading = re.compile(r"^\d[A-E]\d{3}\b")
    end = next(i for i in range(start + 1, len(lines)) if heading.match(lines[i]) and not lines[i].startswith(code))
    return "\n".join([*lines[:2], "", *lines[start:end]]) + "\n"


def _run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _sparql(url: str, query: str) -> list[tuple[str, ...]]:
    request = urllib.request.Request(
        url + "/sparql?" + urllib.parse.urlencode({"query": query}),
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        rows = json.load(response)["results"]["bindings"]
    return [tuple(r[k]["value"] for k in sorted(r)) for r in rows]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    if not CCL.exists():
        pytest.skip(f"the real CCL is not at {CCL} (../shared/corpus absent)")
    root = tmp_path_factory.mktemp("review-real")
    docs = root / "docs"
    docs.mkdir()
    (docs / "ccl-3a904.txt").write_text(_eccn(CCL.read_text(encoding="utf-8"), "3A904"), encoding="utf-8")
    store = root / "store"
    _run("build", str(docs), "--store", str(store))  # the review file sits beside it: store.review.sqlite
    add_user(root / "store.review.sqlite", "ana", PASSWORD)
    with serving({"STORE": str(store)}) as url:
        yield {"root": root, "docs": docs, "store": store, "url": url}


def test_a_threshold_read_from_the_ccl_is_corrected_in_the_browser_and_survives_a_full_rebuild(tab, site):
    url = site["url"]
    assert _sparql(url, COOLING) == [(">=", "0.0006")]  # as the eCFR text gives it: 600 µW

    tab.goto(url + "/review/login")
    tab.fill("#name", "ana")
    tab.fill("#password", PASSWORD)
    tab.click("button[type=submit]")
    # signed in: every page's navigation now offers the review queue
    tab.goto(url + "/id/entry/US/3A904.a")
    assert tab.locator("nav[aria-label=Main] a[href='/review']").count() == 1
    claim = tab.locator("ol.evidence li", has_text="has threshold").filter(has=tab.locator("mark", has_text="600"))
    claim.first.locator("a.review-link").click()
    assert "600" in tab.inner_text("blockquote.source mark")  # the span, in the sentence of the real text

    tab.check("input[value=correct]")
    tab.fill("#value", "650")
    tab.fill("#unit", "µW")
    tab.fill("#reason", "checked against the eCFR text")
    tab.click("form.decide button[type=submit]")
    assert "applied to the graph" in tab.inner_text("p.notice")

    # at once, before any build: SPARQL sees the corrected value and the audit record
    assert _sparql(url, COOLING) == [(">=", "0.00065")]
    assert [a for a, s, _v in _sparql(url, AUDIT)] == ["correct"]

    # and, from the command line, the fact the determination rests on is accepted
    ((controls,),) = _sparql(url, CONTROLS_FACT)
    _run(
        "review", "accept", controls, "--reason", "read in the eCFR", "--reviewer", "ana", "--store", str(site["store"])
    )

    # a full rebuild, as a user runs it: every text read again, decisions applied again
    out = _run("build", str(site["docs"]), "--store", str(site["store"]))
    assert "2 decisions applied" in out
    assert _sparql(url, COOLING) == [(">=", "0.00065")]
    (action, status, value) = _sparql(url, AUDIT)[0]
    assert (action, status) == ("correct", "applied") and json.loads(value)["value"] == pytest.approx(0.00065)

    tab.goto(url + "/id/entry/US/3A904.a")
    badge = tab.locator("ol.evidence li", has_text="has threshold").locator(".badge.reviewed")
    assert any(text.startswith("corrected by ana") for text in badge.all_inner_texts())
    assert "650 µW" in tab.inner_text("dl.keyfacts")
    determination = json.loads(_run("determine", "US", "--technology", "cryogenic_cooling", "--format", "json",
                                    "--store", str(site["store"])))  # fmt: skip
    (row,) = determination["rows"]
    mine = [ev["review"]["status"] for ev in row["evidence"] if ev["entry"].endswith("/3A904.a")]
    assert mine == ["accepted"] and row["review"]["accepted"] == 1  # 3A904.b's evidence stays as extracted
    tab.goto(url + "/determine?j=US&technology=cryogenic_cooling")
    assert "1 accepted" in tab.inner_text("td.review-summary")
    assert "accepted by ana" in tab.inner_text("table.determinations")

    # in the export: the corrected threshold in the document's graph, the decision in graph/review
    export = site["root"] / "export.nq"
    _run("export", "--format", "nq", "-o", str(export), "--store", str(site["store"]))
    dumped = ox.Store()
    dumped.load(export.read_bytes(), format=ox.RdfFormat.N_QUADS)
    assert [(str(r["op"].value), float(r["v"].value)) for r in dumped.query(COOLING)] == [(">=", 0.00065)]
    assert len(list(dumped.query(AUDIT))) == 1
