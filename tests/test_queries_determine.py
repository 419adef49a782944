"""The determination on a fictional world whose answers are known by construction:
each of the four states, the flags, measure kinds, complete holdings, union members,
the month boundary, and unknown input."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from qharmony.ontology.files import ONTOLOGY_FILE, read_text
from qharmony.ontology.namespaces import ONTOLOGY_GRAPH, QH, document_graph
from qharmony.queries.analysis import determine as d
from qharmony.queries.analysis.transfer import parse_value, transfer_check
from qharmony.queries.analysis.vocabulary import (
    UnknownValue,
    resolve_jurisdiction,
    resolve_technology_kind,
    technology_tree,
)
from qharmony.queries.store import open_store

FIXTURE = Path(__file__).parent / "fixtures" / "determination_world.ttl"
QC, COOL, SOFT, KNOW = QH + "QuantumComputer", QH + "CryogenicCooling", QH + "QuantumSoftware", QH + "QuantumKnowHow"
WAFER, ISO, SENSOR, CMOS = (
    QH + "CryogenicWaferProber",
    QH + "IsotopicallyEnrichedMaterial",
    QH + "QuantumSensor",
    QH + "CryoCMOS",
)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    store = open_store(tmp_path_factory.mktemp("detworld") / "store")
    store.load(read_text(ONTOLOGY_FILE).encode("utf-8"), "ttl", ONTOLOGY_GRAPH)
    store.load(FIXTURE.read_bytes(), "ttl", document_graph("fixture"))
    return store


def _one(world, code, tech, day, kind="export_control"):
    report = d.determine(world, code, tech, day, kind)
    assert len(report.determinations) == 1
    return report.determinations[0]


def test_an_entry_in_force_on_plain_evidence_is_controlled(world):
    found = _one(world, "XE", QC, date(2024, 6, 1))
    assert found.status == d.CONTROLLED and found.codes == ["Q1"]
    assert found.confidence == pytest.approx(0.9) and found.flags == []
    assert found.evidence and found.evidence[0]["document_kind"] == "OfficialText"


def test_only_hedged_evidence_is_uncertain_never_controlled(world):
    found = _one(world, "XE", COOL, date(2024, 6, 1))
    assert found.status == d.UNCERTAIN and d.HEDGED in found.flags
    assert found.confidence == pytest.approx(0.6) and found.confidence_level == "medium"


def test_a_source_that_excludes_it_makes_it_not_controlled(world):
    found = _one(world, "XE", ISO, date(2024, 6, 1))
    assert found.status == d.NOT_CONTROLLED and "excludes" in found.reason


def test_silence_is_no_data_never_not_controlled(world):
    assert _one(world, "XE", CMOS, date(2024, 6, 1)).status == d.NO_DATA
    nothing = d.determine(world, "XF", None, date(2024, 6, 1))
    assert {x.status for x in nothing.determinations} == {d.NO_DATA}
    assert "holds no list" in nothing.determinations[0].reason


@pytest.mark.parametrize(
    "day,status",
    [
        (date(2024, 8, 31), d.NO_DATA),  # before the month: not yet, and nothing else settles it
        (date(2024, 9, 1), d.UNCERTAIN),  # the month has begun, the day is unknown
        (date(2024, 9, 15), d.UNCERTAIN),
        (date(2024, 9, 30), d.UNCERTAIN),
        (date(2024, 10, 1), d.CONTROLLED),  # the whole month is past
    ],
)
def test_a_month_only_date_at_the_month_boundary(world, day, status):
    found = _one(world, "XE", SOFT, day)
    assert found.status == status
    if status != d.NO_DATA:
        assert d.MONTH_PRECISION in found.flags and d.CODE_NOT_VERIFIED in found.flags
        assert found.entries[0].stated == "2024-09"  # as precise as its source, never a made-up day


def test_an_adoption_date_standing_in_is_uncertain_and_flagged(world):
    found = _one(world, "XE", KNOW, date(2024, 6, 1))
    assert found.status == d.UNCERTAIN and d.ADOPTION_STANDS_IN in found.flags


def test_an_undated_entry_is_uncertain_with_its_date_unknown(world):
    found = _one(world, "XE", WAFER, date(2024, 6, 1))
    assert found.status == d.UNCERTAIN and d.DATE_UNKNOWN in found.flags


def test_an_investment_rule_creates_no_export_control(world):
    assert _one(world, "XE", SENSOR, date(2024, 6, 1)).status == d.NO_DATA
    assert _one(world, "XE", SENSOR, date(2024, 6, 1), "investment_screening").status == d.CONTROLLED


def test_a_complete_holding_settles_silence_from_its_date(world):
    assert _one(world, "XG", CMOS, date(2024, 6, 1)).status == d.NOT_CONTROLLED
    assert "complete list" in _one(world, "XG", CMOS, date(2024, 6, 1)).reason
    assert _one(world, "XG", CMOS, date(2023, 6, 1)).status == d.NO_DATA
    assert _one(world, "XG", QC, date(2024, 6, 1)).status == d.CONTROLLED


def test_national_and_union_entries_overlap_once_each(world):
    found = _one(world, "XM", COOL, date(2024, 6, 1))
    assert found.status == d.CONTROLLED and sorted(found.codes) == ["M1", "U1"]
    assert found.overlaps and d.MAY_BE_SUPERSEDED in found.flags


def test_a_movement_inside_a_union_is_not_an_export_under_its_lists(world):
    values = dict([parse_value("cooling_power=1 W")])
    inside = transfer_check(world, COOL, values, "XM", "XN", date(2024, 6, 1))
    assert {f.verdict for f in inside.findings} == {"not an export"}
    assert inside.union_rules and "Article 2" in " ".join(r["rule"] for r in inside.union_rules)
    assert inside.licence.startswith("Not an export")
    outside = transfer_check(world, COOL, values, "XM", "XE", date(2024, 6, 1))
    assert "not an export" not in {f.verdict for f in outside.findings}


def test_unknown_values_are_errors_with_the_known_ones_and_a_suggestion(world):
    with pytest.raises(UnknownValue, match="did you mean 'GB'"):
        resolve_jurisdiction(world, "UK")
    with pytest.raises(UnknownValue, match="known: .*XE"):
        resolve_jurisdiction(world, "QQQ")
    assert resolve_jurisdiction(world, "sg") == "SG"  # ISO knows it; the graph holds nothing of it
    tree = technology_tree(world)
    assert resolve_technology_kind(tree, "qkd") == QH + "QuantumKeyDistribution"
    with pytest.raises(UnknownValue, match="known: cryo_cmos"):
        resolve_technology_kind(tree, "teleporter")


def test_a_value_without_its_unit_is_rejected():
    units = {"cooling_power": "W", "physical_qubits": "count"}
    with pytest.raises(ValueError, match="needs a unit"):
        parse_value("cooling_power=700", units)
    with pytest.raises(ValueError, match="measured in W"):
        parse_value("cooling_power=700 mK", units)
    assert parse_value("physical_qubits=50", units) == ("physical_qubits", 50.0)
    with pytest.raises(ValueError, match="unknown parameter 'colour'"):
        parse_value("colour=3", units)
