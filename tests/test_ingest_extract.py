from __future__ import annotations

import pytest

from qharmony.ingest.extract import extract_documents
from qharmony.ingest.pipeline import load_pipeline
from qharmony.ingest.readers import read_source

TEXT = """# Fictional test regime

Jurisdiction: United States
Instrument: Test rule on quantum items
Citation: 99 FR 12345, amending 15 CFR part 774
Authority: Bureau of Industry and Security (BIS)
List: Commerce Control List
Effective: 2 March 2025

## 4A906 Quantum computers

a. Quantum computers, as follows:
a.1. with 34 or more, but fewer than 100, physical qubits and a C-NOT error of 1e-4 or less;

## 3A904 Cryogenic cooling systems

a. Dilution refrigerators giving at least 600 microwatts at 0.1 K or colder.

This entry does not control parametric amplifiers.
"""


@pytest.fixture(scope="module")
def extraction(tmp_path_factory):
    path = tmp_path_factory.mktemp("ex") / "test.md"
    path.write_text(TEXT, encoding="utf-8")
    (ex,) = list(extract_documents([read_source(path)], load_pipeline()))
    return ex


def _rels(ex, type_):
    return [(r.subject, r.object) for r in ex.relations if r.type == type_]


def test_instrument_and_dates(extraction):
    assert ("US:99-FR-12345", "US") in _rels(extraction, "applies_in")
    assert ("US:99-FR-12345", "2025-03-02") in _rels(extraction, "effective_on")


def test_items_inherit_technology_and_own_thresholds(extraction):
    assert ("US:4A906.a.1", "quantum_computer") in _rels(extraction, "controls")
    thresholds = [o for s, o in _rels(extraction, "has_threshold") if s == "US:4A906.a.1"]
    assert {"parameter": "physical_qubits", "op": ">=", "value": 34.0, "unit": "count"} in thresholds
    assert {"parameter": "cnot_error", "op": "<=", "value": 0.0001, "unit": "ratio"} in thresholds


def test_synonym_from_ontology_links_to_technology(extraction):
    assert ("US:3A904.a", "cryogenic_cooling") in _rels(extraction, "controls")


def test_negation_is_not_a_control(extraction):
    assert ("US:3A904", "parametric_amplifier") in _rels(extraction, "not_controlled")
    assert ("US:3A904", "parametric_amplifier") not in _rels(extraction, "controls")


def test_spans_point_at_the_text(extraction):
    for r in extraction.relations:
        assert 0 <= r.start < r.end <= len(extraction.text)
    code = next(e for e in extraction.entities if e.id == "US:4A906")
    assert extraction.text[code.start : code.end] == "4A906"


def test_prose_controls_abbreviations_and_country_groups(tmp_path):
    from qharmony.ingest.extract import extract_documents
    from qharmony.ingest.pipeline import load_pipeline
    from qharmony.ingest.readers import read_source

    path = tmp_path / "prose.md"
    path.write_text(
        "The Bureau of Industry and Security (BIS) adds ECCN 4A906. ECCN 4A906 controls "
        "quantum computers with 34 or more physical qubits. The Bureau also notes that "
        "exports to Country Group A:1 may wait. Item 5506 does not control cryogenic "
        "cooling systems.\n",
        encoding="utf-8",
    )
    [ex] = list(extract_documents([read_source(path)], load_pipeline()))
    relations = {(r.type, r.subject, str(r.object)) for r in ex.relations}
    assert ("controls", "US:4A906", "quantum_computer") in relations
    assert any(r[0] == "has_threshold" and r[1] == "US:4A906" for r in relations)
    authorities = [e for e in ex.entities if e.type == "Authority"]
    assert {e.text for e in authorities} >= {"Bureau of Industry and Security", "BIS", "The Bureau"}
    assert {e.id for e in authorities} == {"bureau-of-industry-and-security"}
    assert any(e.type == "CountryGroup" and e.id == "US:A:1" for e in ex.entities)
