from __future__ import annotations

import pytest

from qharmony.ingest.thresholds import find_thresholds


def _read(text):
    return [(t.parameter, t.op, t.value, t.unit) for t in find_thresholds(text)]


def test_range_carries_the_unit_forward():
    got = _read(
        "34 or more, but fewer than 100, fully controlled, connected and working "
        "physical qubits with a C-NOT error of 1e-4 or less"
    )
    assert got == [
        ("physical_qubits", ">=", 34.0, "count"),
        ("physical_qubits", "<", 100.0, "count"),
        ("cnot_error", "<=", 0.0001, "ratio"),
    ]


@pytest.mark.parametrize("spelling", ["1e-4", "1 × 10−4", "1 x 10^-4", "1E-4"])
def test_scientific_notation_spellings(spelling):
    assert _read(f"a C-NOT error not exceeding {spelling}") == [("cnot_error", "<=", 0.0001, "ratio")]


@pytest.mark.parametrize(
    "text,value,unit",
    [
        ("at least 600 microwatts", 0.0006, "W"),
        ("at least 600 µW", 0.0006, "W"),
        ("at least 0.6 mW", 0.0006, "W"),
        ("at 100 mK or colder", 0.1, "K"),
        ("at 0.1 K or colder", 0.1, "K"),
    ],
)
def test_units_are_normalised(text, value, unit):
    (found,) = find_thresholds(text)
    assert found.value == pytest.approx(value) and found.unit == unit


def test_numbers_without_comparator_are_not_thresholds():
    assert _read("Regulation (EU) 2021/821 of 20 May 2021, Article 9") == []


def test_powers_of_ten_as_regulations_write_them():
    from qharmony.ingest.thresholds import find_thresholds

    for text, value in (
        ("a C-NOT error of 10^-3 or less", 1e-3),
        ("a C-NOT error of 10-4 or less", 1e-4),
        ("a C-NOT error of 1 × 10−3 or less", 1e-3),
    ):
        [found] = find_thresholds(text)
        assert (found.parameter, found.op) == ("cnot_error", "<=")
        assert abs(found.value - value) < 1e-12
