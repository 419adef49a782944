"""The gap engine on a fictional world whose answers are known by construction:
each gap kind, unit conversion, ranges and open bounds, and date boundaries."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from qharmony.ontology.files import ONTOLOGY_FILE, read_text
from qharmony.ontology.namespaces import ONTOLOGY_GRAPH, QH, document_graph
from qharmony.queries.analysis.bands import Box, compare
from qharmony.queries.analysis.changes import changes
from qharmony.queries.analysis.gaps import compare_jurisdictions
from qharmony.queries.analysis.matrix import matrix
from qharmony.queries.analysis.transfer import parse_value, transfer_check
from qharmony.queries.analysis.treaty import treaty_implementation
from qharmony.queries.store import open_store

FIXTURE = Path(__file__).parent / "fixtures" / "gap_world.ttl"
QC, COOL, CMOS = QH + "QuantumComputer", QH + "CryogenicCooling", QH + "CryoCMOS"


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    store = open_store(tmp_path_factory.mktemp("gapworld") / "store")
    store.load(read_text(ONTOLOGY_FILE).encode("utf-8"), "ttl", ONTOLOGY_GRAPH)
    store.load(FIXTURE.read_bytes(), "ttl", document_graph("fixture"))
    return store


def _kinds(report, technology=None):
    return {(g.kind, g.a, g.b) for g in report.gaps if technology is None or g.technology == technology}


def test_coverage_gap_when_one_side_has_no_control_in_force(world):
    report = compare_jurisdictions(world, "XA", "XB", date(2024, 3, 1), QC)
    assert ("coverage", "XA", "XB") in _kinds(report)


def test_an_entry_on_a_broader_class_covers_the_narrower_kinds(world):
    report = compare_jurisdictions(world, "XA", "XB", date(2024, 7, 1), CMOS)
    assert _kinds(report) == {("coverage", "XB", "XA")}


def test_stringency_reports_the_band_only_one_side_catches(world):
    report = compare_jurisdictions(world, "XA", "XB", date(2024, 7, 1), QC)
    [gap] = [g for g in report.gaps if g.kind == "stringency"]
    assert gap.details["verdict"] == "XA catches more"
    assert gap.details["a_only"] == ["cnot_error <= 0.001, 50 <= physical_qubits < 100"]
    assert gap.details["b_only"] == []


def test_units_are_normalised_before_comparing(world):
    # 500 µW at 100 mK against 0.5 mW at 0.1 K: the same scope, so no stringency gap
    report = compare_jurisdictions(world, "XA", "XB", date(2024, 7, 1), COOL)
    assert not [g for g in report.gaps if g.kind == "stringency"]


def test_timing_gap_reports_the_window_of_divergence(world):
    report = compare_jurisdictions(world, "XA", "XB", date(2024, 7, 1), QC)
    [gap] = [g for g in report.gaps if g.kind == "timing"]
    assert (gap.a, gap.b, gap.details["window"]) == ("XA", "XB", ["2024-01-01", "2024-06-01"])


def test_definition_gap_when_parameters_differ(world):
    report = compare_jurisdictions(world, "XA", "XC", date(2024, 2, 1), QC)
    [gap] = [g for g in report.gaps if g.kind == "definition"]
    assert gap.details == {"a_parameters": ["cnot_error", "physical_qubits"], "b_parameters": ["physical_qubits"]}


@pytest.mark.parametrize(
    ("day", "in_force"),
    [
        (date(2024, 5, 31), False),
        (date(2024, 6, 1), True),  # effective date is inclusive
    ],
)
def test_effective_date_boundary(world, day, in_force):
    report = compare_jurisdictions(world, "XA", "XB", day, QC)
    assert (("coverage", "XA", "XB") not in _kinds(report)) is in_force


@pytest.mark.parametrize(
    ("day", "in_force"),
    [
        (date(2024, 2, 29), True),
        (date(2024, 3, 1), False),  # repeal date ends it
    ],
)
def test_repeal_date_boundary(world, day, in_force):
    report = compare_jurisdictions(world, "XA", "XC", day, QC)
    assert (("coverage", "XA", "XC") not in _kinds(report)) is in_force


def test_implementation_gap_honours_join_dates_and_repeals(world):
    before = treaty_implementation(world, "https://w3id.org/qharmony/id/arrangement/xr", date(2024, 4, 1))
    status = {r["party"]: r["status"] for r in before.parties}
    assert status == {"XA": "implemented", "XB": "not implemented", "XC": "not implemented"}
    after = treaty_implementation(world, "https://w3id.org/qharmony/id/arrangement/xr", date(2024, 6, 1))
    assert {r["party"]: r["status"] for r in after.parties}["XD"] == "not implemented"
    assert {r["party"]: r["status"] for r in after.parties}["XB"] == "implemented"


def test_reciprocity_gap_and_its_end_when_the_return_favour_is_repealed(world):
    assert ("reciprocity", "XA", "XB") in _kinds(compare_jurisdictions(world, "XA", "XB", date(2024, 7, 1)))
    assert not {k for k in _kinds(compare_jurisdictions(world, "XA", "XC", date(2024, 2, 1))) if k[0] == "reciprocity"}
    assert ("reciprocity", "XA", "XC") in _kinds(compare_jurisdictions(world, "XA", "XC", date(2024, 4, 1)))


def test_matrix_marks_stricter_and_not_controlled(world):
    result = matrix(world, date(2024, 7, 1), baseline="XB", jurisdictions=["XA", "XB", "XC"])
    assert result.cells[QC]["XA"]["status"] == "stricter"
    assert "physical_qubits" in result.cells[QC]["XA"]["band"]  # the band only XA catches
    assert result.cells[QC]["XC"]["status"] == "not controlled"
    # XB's broad entry Q3 states no thresholds: the cell stays "controlled", not a guess
    assert result.cells[COOL]["XA"]["status"] == "controlled"
    same = matrix(world, date(2024, 7, 1), baseline="XA", jurisdictions=["XA", "XC"])
    assert same.cells[QC]["XA"]["status"] == "controlled"


def test_transfer_check_judges_each_entry_with_units(world):
    values = dict(parse_value(v) for v in ("cooling_power=0.7 mW", "temperature=90 mK"))
    result = transfer_check(world, COOL, values, "XA", "XB", date(2024, 7, 1))
    assert [f.verdict for f in result.findings] == ["meets"]
    assert result.exceptions and "unless" in result.licence
    warm = dict(parse_value(v) for v in ("cooling_power=700 uW", "temperature=2 K"))
    result = transfer_check(world, COOL, warm, "XA", "XD", date(2024, 7, 1))
    assert [f.verdict for f in result.findings] == ["does not meet"]


def test_change_report_lists_entries_that_started_and_stopped(world):
    report = changes(world, date(2024, 2, 1), date(2024, 7, 1))
    rows = {(r["change"], r["entry"]) for r in report.rows()}
    assert ("came into force", "Q1") in rows
    assert ("no longer in force", "A") in rows


def test_bands_with_open_bounds_and_ranges():
    def box(*limits):
        b = Box("x")
        for p, op, v in limits:
            b.add(p, op, v)
        return b

    a = [box(("q", ">=", 34), ("q", "<", 100)), box(("q", ">=", 2000))]
    b = [box(("q", ">", 50))]
    cmp = compare(a, b)
    assert [band.describe() for band in cmp.a_only] == ["34 <= q <= 50"]
    assert [band.describe() for band in cmp.b_only] == ["100 <= q < 2000"]


def test_each_gap_kind_is_one_registered_function(world):
    from qharmony.queries.analysis.gap import GAP_KINDS, Gap, gap_kind
    from qharmony.queries.analysis.gaps import KINDS

    assert set(KINDS) == {"coverage", "stringency", "implementation", "timing", "reciprocity", "definition"}
    assert all(GAP_KINDS[k].find.__name__ == k for k in KINDS)

    @gap_kind("test-only")
    def always(pair, tech):
        return [Gap("test-only", pair.a, pair.b, tech, pair.reg.label(tech), "found")]

    try:
        report = compare_jurisdictions(world, "XA", "XB", date(2024, 7, 1), QC, kinds=("test-only",))
        assert [(g.kind, g.technology) for g in report.gaps] == [("test-only", QC)]
    finally:
        del GAP_KINDS["test-only"]


def test_an_unknown_gap_kind_is_named_with_the_known_ones(world):
    with pytest.raises(ValueError, match="unknown gap kind 'cost'; known: coverage, "):
        compare_jurisdictions(world, "XA", "XB", date(2024, 7, 1), kinds=("cost",))


def test_every_analysis_answer_cites_its_graph_version_in_json(world):
    day = date(2024, 7, 1)
    answers = [
        compare_jurisdictions(world, "XA", "XB", day),
        matrix(world, day, baseline="XB"),
        treaty_implementation(world, "https://w3id.org/qharmony/id/arrangement/xr", day),
    ]
    for answer in answers:
        data = answer.to_json()
        assert "version" not in data and set(data["graph_version"]) == {"content_hash", "conforms", "pipeline"}
    gaps = answers[0].to_json()["gaps"]
    assert gaps and all(isinstance(e, dict) for g in gaps for e in g["a_entries"])
