"""Evidence packs: the ZIP's manifest verifies (and catches a changed file), the memo
cites every gap with the jurisdiction's citation convention and says it is not legal
advice, and it renders in Chromium; citations never invent what the graph lacks."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from click.testing import CliRunner

from qharmony.queries.citations import cite_row
from qharmony.queries.pack import MANIFEST, verify_pack
from qharmony.queries.results import Term


def _row(**values) -> dict[str, Term]:
    return {k: Term.literal(v) for k, v in values.items()}


def test_us_citation_follows_the_cfr_convention():
    row = _row(
        code="4A906.a.1",
        listLabel="Commerce Control List (15 CFR part 774, Supplement No. 1)",
        jurisdiction="US",
        fr="89 FR 72926",
    )
    assert cite_row("e", row).text == "15 CFR part 774, Supp. No. 1, ECCN 4A906.a.1 (as added by 89 FR 72926)"


def test_eu_citation_uses_the_oj_reference_but_never_invents_its_date():
    row = _row(
        code="4A506",
        jurisdiction="EU",
        instrumentLabel="Commission Delegated Regulation (EU) 2025/2003 amending Regulation (EU) 2021/821",
        eli="http://data.europa.eu/eli/reg_del/2025/2003/oj",
        listLabel="Annex I to Regulation (EU) 2021/821",
        adopted="2025-09-08",
    )
    c = cite_row("e", row)
    assert c.text == (
        "Commission Delegated Regulation (EU) 2025/2003, OJ L, 2025/2003, "
        "Annex I to Regulation (EU) 2021/821, entry 4A506"
    )
    assert "11.2025" not in c.text
    assert "the graph does not record the Official Journal publication date" in c.caveats


def test_an_entry_without_a_code_is_cited_by_its_subject_and_says_so():
    c = cite_row("e", _row(label="Quantum computers", jurisdiction="JP", bibliographic="Ordinance X", verified="false"))
    assert c.text == 'Ordinance X, entry "Quantum computers"'
    assert any("not verified" in x for x in c.caveats)


@pytest.fixture(scope="module")
def us_jp_pack(built_store_path, tmp_path_factory) -> bytes:
    from qharmony.server.cli import main

    out = tmp_path_factory.mktemp("pack") / "pack.zip"
    args = ["gaps", "US", "JP", "--as-of", "2025-01-01", "--format", "pack", "-o", str(out)]
    result = CliRunner().invoke(main, [*args, "--store", str(built_store_path)])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


@pytest.mark.slow
def test_pack_manifest_verifies_and_catches_a_changed_file(us_jp_pack):
    assert verify_pack(us_jp_pack) == []
    with zipfile.ZipFile(io.BytesIO(us_jp_pack)) as z:
        names = set(z.namelist())
        files = {n: z.read(n) for n in names}
    assert {"memo.html", "memo.css", "about.json", "data/result.json", "data/result.csv", "data/result.xlsx"} <= names
    assert {"data/sources.json", "data/citations.json", MANIFEST} <= names
    listed = {line.split("  ", 1)[1] for line in files[MANIFEST].decode().splitlines()}
    assert listed == names - {MANIFEST}
    files["data/result.csv"] += b"tampered\n"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for n, data in files.items():
            z.writestr(n, data)
    assert verify_pack(out.getvalue()) == ["data/result.csv: SHA-256 differs from the manifest"]


@pytest.mark.slow
def test_pack_memo_cites_every_gap(us_jp_pack, store):
    from qharmony.queries.analysis.gaps import compare_jurisdictions
    from qharmony.queries.dates import parse_day

    report = compare_jurisdictions(store, "US", "JP", parse_day("2025-01-01"))
    gaps = [*report.gaps, *report.data_gaps]
    with zipfile.ZipFile(io.BytesIO(us_jp_pack)) as z:
        memo = z.read("memo.html").decode()
        about = json.loads(z.read("about.json"))
        citations = json.loads(z.read("data/citations.json"))["citations"]
        sources = json.loads(z.read("data/sources.json"))["sources"]
    assert gaps and memo.count('<section class="finding"') == len(gaps)
    assert "Decision support, not legal advice" in memo
    assert about["as_of"] == "2025-01-01" and about["graph_version"] == report.version.content_hash
    assert about["shacl"] == "conforms"
    for gap in gaps:
        assert gap.summary in memo.replace("&#39;", "'")
    assert any(c["text"].startswith("15 CFR part 774, Supp. No. 1, ECCN 4A906") for c in citations)
    assert all(s["sentence"] and s["document_title"] for s in sources)
    assert any(s["document_url"].startswith("https://") for s in sources)


@pytest.mark.slow
def test_gaps_page_answers_format_pack(client):
    response = client.get("/gaps?a=US&b=JP&as_of=2025-01-01&format=pack")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert verify_pack(response.data) == []
    assert "attachment" in response.headers["Content-Disposition"]


@pytest.mark.slow
@pytest.mark.browser
def test_memo_renders_in_chromium_with_every_gap_cited(us_jp_pack, tmp_path):
    import os
    import shutil

    exe = os.environ.get("QHARMONY_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(exe):
        pytest.skip("no Chromium on this machine (apt-get install chromium, or set QHARMONY_CHROMIUM)")
    from playwright.sync_api import sync_playwright

    with zipfile.ZipFile(io.BytesIO(us_jp_pack)) as z:
        z.extractall(tmp_path)
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=flags, headless=True)
        page = browser.new_page()
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto((tmp_path / "memo.html").as_uri())
        findings = page.locator("section.finding")
        assert findings.count() > 0
        for i in range(findings.count()):
            section = findings.nth(i)
            assert section.locator("h2").inner_text()
            assert section.locator(".citation").count() > 0 or "absence of an entry" in section.inner_text()
        assert "not legal advice" in page.locator(".warning").inner_text()
        # the print stylesheet from the pack is applied (no inline styles, nothing remote)
        assert page.eval_on_selector(".warning", "e => getComputedStyle(e).borderTopWidth") == "2px"
        assert all(u.startswith("file://") for u in requests)
        assert page.pdf(format="A4")[:4] == b"%PDF"
        browser.close()


@pytest.mark.slow
def test_a_pack_reads_each_instrument_citation_once(store):
    """Citing many entries of a few instruments asks for each instrument's citation
    facts once, not once per entry; the citations are those cited one at a time."""
    from qharmony.queries.analysis.matrix import matrix
    from qharmony.queries.catalog import get_query
    from qharmony.queries.citations import cite_entry, citer
    from qharmony.queries.dates import parse_day

    asked: list[str] = []

    class Counting:
        def __init__(self, inner):
            self._inner = inner

        def __getattr__(self, name):
            return getattr(self._inner, name)

        def uncapped(self):
            return self

        def select(self, query, bindings=None):
            asked.append(query)
            return self._inner.uncapped().select(query, bindings)

    cells = matrix(store, parse_day("2025-01-01")).cells
    entries = [(e["entry"], e["jurisdiction"]) for row in cells.values() for c in row.values() for e in c["entries"]]
    instruments = {e["instrument"] for row in cells.values() for c in row.values() for e in c["entries"]}
    assert len(set(entries)) > len(instruments) > 1, "the sample cites too little for the count to mean anything"
    cite = citer(Counting(store))
    cited = [cite(entry, place) for entry, place in entries]
    assert asked.count(get_query("instrument_citation").text) <= len(instruments)
    assert cited == [cite_entry(store, entry, place) for entry, place in entries]
