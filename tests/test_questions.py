"""DESIGN.md's questions 1 to 6 over the sample world, each by the library, the
CLI and the pages, with the entries and sentences behind the answers."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner

from qharmony.ontology.namespaces import ID, QH
from qharmony.queries.analysis.changes import changes
from qharmony.queries.analysis.gaps import compare_jurisdictions
from qharmony.queries.analysis.transfer import parse_value, transfer_check
from qharmony.queries.analysis.treatment import treatment
from qharmony.queries.analysis.treaty import treaty_implementation
from qharmony.queries.catalog import run_named
from qharmony.server.cli import main

# the DESIGN questions, asked of the sample graph
pytestmark = pytest.mark.slow

WASSENAAR = ID + "arrangement/wassenaar-arrangement"


def _cli(path, *args):
    result = CliRunner().invoke(main, [*args, "--store", str(path)])
    assert result.exit_code == 0, result.output
    return result.output


def test_q1_what_the_us_controls_that_japan_does_not(store, built_store_path, client):
    report = compare_jurisdictions(store, "US", "JP", date(2025, 1, 1))
    # Japan's sources are silent on cooling and wafer probers: data gaps, not coverage gaps
    assert not [g for g in report.gaps if g.kind == "coverage"]
    silent = {g.technology_label for g in report.data_gaps if g.a == "US"}
    assert {"cryogenic cooling system", "cryogenic wafer prober"} <= silent
    assert "quantum computer" not in silent  # Japan controls those from September 2024
    gap = next(g for g in report.data_gaps if g.technology_label == "cryogenic cooling system")
    assert gap.states["JP"]["status"] == "no_data" and gap.states["US"]["status"] == "controlled"
    assert any("600 microwatts" in ev["sentence"] for ev in gap.evidence)
    out = _cli(built_store_path, "gaps", "US", "JP", "--as-of", "2025-01-01")
    assert "[data] US controls cryogenic cooling system" in out
    page = client.get("/gaps?a=US&b=JP&as_of=2025-01-01")
    assert b"600 microwatts" in page.data


def test_q2_quantum_computer_thresholds_side_by_side(store, built_store_path, client):
    rows = run_named(store, "thresholds", {"technology": "qh:QuantumComputer"}).rows
    us = {
        (r["parameter"].value, r["comparator"].value, float(r["value"].value))
        for r in rows
        if r["jurisdiction"].value == "US"
    }
    assert ("physical_qubits", ">=", 34.0) in us and ("cnot_error", "<=", 1e-4) in us
    assert {r["jurisdiction"].value for r in rows} >= {"US", "GB", "CA"}
    report = compare_jurisdictions(store, "US", "CA", date(2025, 1, 1), QH + "QuantumComputer")
    # Canada's text names the error rate without a value: no side is declared stricter
    assert not [g for g in report.gaps if g.kind == "stringency"]
    assert any("without a limit" in n for n in report.notes)
    out = _cli(built_store_path, "query", "thresholds", "--param", "technology=qh:QuantumComputer")
    assert "physical_qubits" in out and "cnot_error" in out
    assert b"cnot_error" in client.get("/queries/thresholds?technology=qh%3AQuantumComputer").data
    cells = client.get("/matrix?format=json").get_json()["cells"]
    assert cells[QH + "QuantumComputer"]["US"]["status"] == "controlled"


def test_q3_wassenaar_states_without_a_quantum_computer_control(store, built_store_path, client):
    mid_2024 = treaty_implementation(store, WASSENAAR, date(2024, 6, 1))
    missing = {r["party"] for r in mid_2024.parties if r["status"] != "implemented"}
    assert {"DE", "US", "JP", "CA"} <= missing and not {"GB", "FR"} & missing
    states = {r["party"]: r["state"] for r in mid_2024.parties}
    assert states["ES"] == "uncertain"  # only its adoption date is known
    assert states["RU"] == "no_data"  # the graph holds no Russian list: never "not implemented"
    today = treaty_implementation(store, WASSENAAR, date(2026, 11, 21))
    missing_now = {r["party"] for r in today.parties if r["status"] != "implemented"}
    assert "RU" in missing_now and "DE" not in missing_now and "AT" not in missing_now
    page = client.get("/treaties/wassenaar-arrangement?as_of=2024-06-01&format=json").get_json()
    assert {r["party"] for r in page["parties"] if r["status"] != "implemented"} == missing
    out = _cli(built_store_path, "implementation", "--technology", "quantum_computer", "--as-of", "2024-06-01")
    assert "DE is party to the Wassenaar Arrangement" in out


def test_q4_dilution_refrigerator_from_germany_to_singapore(store, built_store_path, client):
    values = dict(parse_value(v) for v in ("cooling_power=700 uW", "temperature=90 mK"))
    check = transfer_check(store, QH + "CryogenicCooling", values, "DE", "SG", date(2026, 1, 1))
    places = {f.entry.jurisdiction for f in check.findings}
    assert places == {"DE"} and len(check.findings) == 2  # the German and the EU entry
    assert "licence is likely required" in check.licence and not check.exceptions
    assert any(g.b == "SG" and g.states["SG"]["status"] == "no_data" for g in check.gaps.data_gaps)
    us = transfer_check(store, QH + "CryogenicCooling", {**values, "duration": 49 * 3600}, "US", "SG", date(2026, 1, 1))
    assert {f.entry.code: f.verdict for f in us.findings}["3A904.a"] == "meets"
    out = _cli(
        built_store_path,
        "transfer",
        "--technology",
        "cryogenic_cooling",
        "--value",
        "cooling_power=700 uW",
        "--value",
        "temperature=90 mK",
        "--from",
        "DE",
        "--to",
        "SG",
    )
    assert "not legal advice" in out
    page = client.get(
        "/transfer?technology=CryogenicCooling&value=cooling_power%3D700+uW&value=temperature%3D90+mK&from=DE&to=SG"
    )
    assert page.status_code == 200 and b"may meet" in page.data


def test_q5_licence_exception_iec_and_reciprocity(store, built_store_path, client):
    given = treatment(store, date(2025, 1, 1))
    iec = {t.receiver for t in given if t.giver == "US" and "IEC" in t.measure_label}
    assert iec == {"AU", "CA", "DE", "ES", "FR", "GB", "IT", "JP"}
    assert "KR" not in iec
    jp = compare_jurisdictions(store, "US", "JP", date(2025, 1, 1))
    assert any(g.kind == "reciprocity" and g.a == "US" for g in jp.gaps)
    ca = compare_jurisdictions(store, "US", "CA", date(2025, 1, 1))
    assert not [g for g in ca.gaps if g.kind == "reciprocity"]  # Canada exempts the US
    out = _cli(built_store_path, "gaps", "US", "JP", "--kind", "reciprocity")
    assert "License Exception IEC" in out
    assert b"License Exception IEC" in client.get("/gaps?a=US&b=JP").data


def test_q6_what_changed_between_two_dates(store, built_store_path, client):
    report = changes(store, date(2024, 1, 1), date(2024, 12, 31))
    started = {(r["jurisdiction"], r["entry"]) for r in report.rows() if r["change"] == "came into force"}
    assert ("US", "4A906.a.1") in started and ("GB", "PL9014") in started
    late = changes(store, date(2025, 11, 1), date(2025, 12, 31))
    assert {r["jurisdiction"] for r in late.rows()} >= {"EU", "DE", "FR", "GB"}
    out = _cli(built_store_path, "changes", "2025-11-01", "2025-12-31")
    assert "EU  came into force" in out
    page = client.get("/changes?from=2025-11-01&to=2025-12-31&format=json").get_json()
    assert {c["jurisdiction"] for c in page["changes"]} == {r["jurisdiction"] for r in late.rows()}


def test_cli_page_export_and_json_api_give_identical_results(built_store_path, client):
    args = ["gaps", "US", "JP", "--as-of", "2025-01-01"]
    cli_json = _cli(built_store_path, *args, "--format", "json")
    page_json = client.get("/gaps?a=US&b=JP&as_of=2025-01-01&format=json").data.decode()
    api_json = client.get("/gaps?a=US&b=JP&as_of=2025-01-01", headers={"Accept": "application/json"}).data.decode()
    assert cli_json == page_json == api_json
    data = json.loads(cli_json)
    assert data["provenance"]["as_of"] == "2025-01-01"
    assert len(data["provenance"]["graph_version"]) == 64
    assert data["provenance"]["shacl"] == "conforms"
    cli_csv = _cli(built_store_path, *args, "--format", "csv")
    assert cli_csv == client.get("/gaps?a=US&b=JP&as_of=2025-01-01&format=csv").data.decode()


def test_xlsx_export_states_its_provenance(built_store_path, client, tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "gaps.xlsx"
    _cli(built_store_path, "gaps", "US", "JP", "--as-of", "2025-01-01", "--format", "xlsx", "-o", str(target))
    book = load_workbook(target)
    about = {row[0].value: row[1].value for row in book["About"].iter_rows()}
    assert about["as_of"] == "2025-01-01" and about["shacl"] == "conforms"
    assert book["Results"]["A1"].value == "kind"
    import io

    page = load_workbook(io.BytesIO(client.get("/gaps?a=US&b=JP&as_of=2025-01-01&format=xlsx").data))
    rows = lambda b: [[c.value for c in r] for r in b["Results"].iter_rows()]  # noqa: E731
    assert rows(page) == rows(book) and len(rows(book)) > 1
