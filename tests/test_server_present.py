"""Values as a person reads them; the graph and JSON keep the machine values."""

from __future__ import annotations

import pytest

from qharmony.server.present import day, quantity, readable, scientific, thresholds_text


@pytest.mark.parametrize(
    ("labels", "text"),
    [
        ("physical_qubits >= 34 count; physical_qubits < 100 count", "34 to 99 physical qubits"),
        ("cnot_error <= 0.0001 ratio", "C-NOT error ≤ 1 × 10⁻⁴"),
        ("duration > 172800 s", "for more than 48 hours"),
        ("cooling_power >= 0.0006 W; temperature <= 0.1 K", "cooling power ≥ 600 µW at ≤ 0.1 K"),
        ("physical_qubits >= 1100 count", "1,100 or more physical qubits"),
        (
            "physical_qubits < 2000 count; cnot_error <= 0.006 ratio",
            "fewer than 2,000 physical qubits, C-NOT error ≤ 6 × 10⁻³",
        ),
        ("frequency >= 1000000000 Hz", "frequency ≥ 1 GHz"),
        ("wafer_diameter >= 0.3 m", "wafer diameter ≥ 300 mm"),
        ("temperature < 4.5 K", "temperature < 4.5 K"),
    ],
)
def test_thresholds_in_legal_notation(labels, text):
    assert thresholds_text(labels) == text


def test_units_a_person_reads():
    assert quantity("temperature", 0.09) == "90 mK"
    assert quantity("cooling_power", 0.0007) == "700 µW"
    assert quantity("cooling_power", 1.5) == "1.5 W"
    assert quantity("duration", 90) == "90 seconds"
    assert quantity("duration", 3600) == "1 hour"
    assert scientific(0.0015) == "1.5 × 10⁻³"
    assert scientific(0.05) == "0.05"


def test_threshold_expressions_inside_sentences_are_rewritten_and_the_rest_kept():
    assert readable("cooling_power >= 1.5 not met (cooling_power = 0.0007)") == (
        "cooling power ≥ 1.5 W not met (cooling power of 700 µW)"
    )
    assert readable("the band cnot_error <= 0.001, 50 <= physical_qubits < 100 only") == (
        "the band C-NOT error ≤ 1 × 10⁻³, 50 to 99 physical qubits only"
    )
    assert readable("US controls cryogenic CMOS (in force from 2024-09-06)") == (
        "US controls cryogenic CMOS (in force from 2024-09-06)"
    )


def test_a_label_that_is_not_a_threshold_is_left_alone():
    assert thresholds_text("a low error rate") == "a low error rate"


def test_dates_are_as_precise_as_their_source():
    assert day("2024-09-06") == "6 September 2024"
    assert day("2024-09") == "September 2024"
    assert day("adoption date (entry into force not verified)") == "adoption date (entry into force not verified)"
