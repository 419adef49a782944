"""Truth tests on the sample world: known answers from ../shared/reference/, through
the library, the CLI, the pages and their JSON twins, which must agree row for row."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from click.testing import CliRunner

from qharmony.ontology.namespaces import QH
from qharmony.queries.analysis.determine import CODE_NOT_VERIFIED, STATES, determine
from qharmony.queries.analysis.gaps import compare_jurisdictions
from qharmony.queries.analysis.matrix import matrix
from qharmony.queries.analysis.transfer import parameter_units, parse_value, transfer_check
from qharmony.queries.exports import export_result
from qharmony.server.cli import main

pytestmark = pytest.mark.slow

QC, QKD, COOL, SENSOR = (
    QH + "QuantumComputer",
    QH + "QuantumKeyDistribution",
    QH + "CryogenicCooling",
    QH + "QuantumSensor",
)
TREASURY = "89-FR-90398"


def _cli(store_path, *args):
    out = CliRunner().invoke(main, [*args, "--store", str(store_path)])
    assert out.exit_code == 0, out.output
    return out.output


def test_us_quantum_cryptography_is_controlled_by_5a002c(store):
    found = determine(store, "US", QKD, date(2026, 8, 1)).determinations[0]
    assert found.status == "controlled" and found.codes == ["5A002.c"]


def test_singapore_is_no_data_for_every_technology(store, client):
    report = determine(store, "SG", None, date(2025, 1, 1))
    assert report.determinations and {d.status for d in report.determinations} == {"no_data"}
    rows = client.get("/determine?j=SG&as_of=2025-01-01&format=json").get_json()["rows"]
    assert {r["status"] for r in rows} == {"no_data"}
    transfer = client.get(
        "/transfer?technology=cryogenic_cooling&value=cooling_power%3D700+uW&from=SG&to=US&format=json"
    ).get_json()
    assert transfer["state"]["status"] == "no_data" and "no control" not in transfer["licence"].lower()


def test_a_germany_to_france_transfer_is_not_an_export_under_annex_i(store):
    units = parameter_units(store)
    values = dict(parse_value(v, units) for v in ("cooling_power=700 uW", "temperature=90 mK"))
    result = transfer_check(store, COOL, values, "DE", "FR", date(2026, 1, 1))
    annex = [f for f in result.findings if "2025/2003" in f.entry.instrument_label]
    assert annex and {f.verdict for f in annex} == {"not an export"}
    assert any("Article 2(2)" in r["rule"] for r in result.union_rules)
    assert result.licence.startswith("Not an export")
    assert result.overlaps  # the German national entry is counted beside the EU one once, as an overlap
    abroad = transfer_check(store, COOL, values, "DE", "SG", date(2026, 1, 1))
    assert "not an export" not in {f.verdict for f in abroad.findings}


def test_the_treasury_rule_creates_no_export_control(store):
    us = determine(store, "US", None, date(2025, 6, 1))
    assert all(TREASURY not in b.instrument for d in us.determinations for b in d.entries)
    assert determine(store, "US", SENSOR, date(2025, 6, 1)).determinations[0].status == "no_data"
    screening = determine(store, "US", SENSOR, date(2025, 6, 1), "investment_screening").determinations[0]
    assert screening.status == "controlled" and TREASURY in screening.entries[0].instrument
    cells = matrix(store, date(2025, 6, 1)).cells[SENSOR]["US"]
    assert cells["state"] == "no_data"


@pytest.mark.parametrize("day,status", [(date(2024, 9, 15), "uncertain"), (date(2024, 10, 15), "controlled")])
def test_japans_2024_quantum_computer_control(store, client, day, status):
    found = determine(store, "JP", QC, day).determinations[0]
    assert found.status == status
    assert found.entries[0].stated == "2024-09"  # September 2024 stays a month
    page = client.get(f"/determine?j=JP&technology=quantum_computer&as_of={day}&format=json").get_json()
    assert page["rows"][0]["status"] == status


def test_eu_4a506_carries_code_not_verified_into_gaps_matrix_and_exports(store):
    report = compare_jurisdictions(store, "EU", "US", date(2026, 1, 1), QC)
    eu_sides = [g.states["EU"] for g in report.gaps + report.data_gaps if "EU" in g.states]
    assert eu_sides and all(CODE_NOT_VERIFIED in s["flags"] for s in eu_sides)
    assert "4A506" in eu_sides[0]["entries"]
    cell = matrix(store, date(2026, 1, 1)).cells[QC]["EU"]
    assert CODE_NOT_VERIFIED in cell["flags"]
    exported = export_result(report, "csv", "Gaps EU vs US").decode("utf-8")
    assert CODE_NOT_VERIFIED in exported
    assert CODE_NOT_VERIFIED in export_result(matrix(store, date(2026, 1, 1)), "csv", "Matrix").decode("utf-8")


def test_us_jp_coverage_gaps_rest_on_a_source_or_a_complete_list(store, built_store_path):
    report = compare_jurisdictions(store, "US", "JP", date(2025, 1, 1))
    for gap in report.gaps:
        if gap.kind == "coverage":
            other = gap.b if gap.a == "US" else gap.a
            assert gap.states[other]["status"] == "not_controlled"
            assert "a source says so" in gap.states[other]["reason"] or "complete list" in gap.states[other]["reason"]
    assert report.data_gaps
    for gap in report.data_gaps:
        assert gap.states["JP"]["status"] in ("no_data", "uncertain")
    data = json.loads(_cli(built_store_path, "gaps", "US", "JP", "--as-of", "2025-01-01", "--format", "json"))
    assert [g["technology"] for g in data["data_gaps"]] == [g.technology for g in report.data_gaps]
    assert [g["kind"] for g in data["gaps"]] == [g.kind for g in report.gaps]


def test_cli_page_and_json_twin_agree_row_for_row(client, built_store_path):
    cli = json.loads(_cli(built_store_path, "determine", "US", "--as-of", "2025-01-01", "--format", "json"))
    page = client.get("/determine?j=US&as_of=2025-01-01&format=json").get_json()
    assert cli["rows"] == page["rows"]
    for row in cli["rows"]:
        assert row["status"] in STATES and isinstance(row["flags"], list) and isinstance(row["entries"], list)
        assert {"jurisdiction", "technology", "confidence", "as_of", "graph_version"} <= set(row)
    cli_csv = _cli(built_store_path, "gaps", "US", "JP", "--as-of", "2025-01-01", "--format", "csv")
    page_csv = client.get("/gaps?a=US&b=JP&as_of=2025-01-01&format=csv").get_data(as_text=True)
    assert list(csv.reader(io.StringIO(cli_csv))) == list(csv.reader(io.StringIO(page_csv)))


def test_unknown_input_is_an_error_naming_the_value(client, built_store_path):
    out = CliRunner().invoke(main, ["determine", "UK", "--store", str(built_store_path)])
    assert out.exit_code == 1 and "'UK'" in out.output and "did you mean 'GB'" in out.output
    assert "Traceback" not in out.output
    for path in (
        "/determine?j=XX",
        "/gaps?a=XX&b=JP",
        "/transfer?technology=cryo&from=DE&to=UK",
        "/determine?j=US&x=1",
    ):
        r = client.get(path + "&format=json")
        assert r.status_code == 400, path
    r = client.get("/transfer?technology=cryogenic_cooling&value=cooling_power%3D700&from=DE&to=SG&format=json")
    assert r.status_code == 400 and "needs a unit" in r.get_json()["error"]


def test_summaries_are_never_quoted_as_the_regulations_words(client):
    html = client.get("/determine?j=JP&as_of=2025-01-01").get_data(as_text=True)
    assert "Summary (our own words)" in html and "official instrument" in html
    assert "“" not in html.split("<table", 1)[1]  # every sample document is a summary: nothing is quoted


def test_a_source_saying_not_controlled_is_cited(store):
    found = determine(store, "CA", COOL, date(2025, 1, 1)).determinations[0]
    assert found.status == "not_controlled"
    assert any("does not control" in ev["sentence"] for ev in found.evidence)
    silent = determine(store, "CA", QH + "QuantumComputerAssembly", date(2025, 1, 1)).determinations[0]
    assert silent.status == "no_data"  # the sources are silent on assemblies: never "not controlled"


def test_a_user_declares_a_complete_holding_with_qharmony_load(built_store_path, tmp_path):
    import shutil

    copy = tmp_path / "store"
    shutil.copytree(built_store_path, copy)
    declaration = tmp_path / "mine.ttl"
    declaration.write_text(
        """@prefix qh: <https://w3id.org/qharmony/ontology#> .
@prefix id: <https://w3id.org/qharmony/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
id:jurisdiction\\/XQ a qh:State ; qh:isoCode "XQ" ; rdfs:label "Quarnia (fictional)"@en .
id:coverage\\/XQ\\/mine a qh:CoverageStatement ; qh:coverageOf id:jurisdiction\\/XQ ;
    qh:holdingAsOf "2024-01-01"^^xsd:date ; qh:completeHolding true ; qh:declaredBy "user" .
""",
        encoding="utf-8",
    )
    _cli(copy, "load", str(declaration), "--graph", "https://example.org/my-holdings")
    after = json.loads(_cli(copy, "determine", "XQ", "--as-of", "2025-01-01", "--format", "json"))
    assert {r["status"] for r in after["rows"]} == {"not_controlled"}
    before = json.loads(_cli(copy, "determine", "XQ", "--as-of", "2023-06-01", "--format", "json"))
    assert {r["status"] for r in before["rows"]} == {"no_data"}
    gaps = json.loads(_cli(copy, "gaps", "US", "XQ", "--as-of", "2025-01-01", "--format", "json"))
    assert any(g["kind"] == "coverage" for g in gaps["gaps"])
    assert "user" in _cli(copy, "coverage", "XQ")
