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


@pytest.mark.parametrize(
    "text,expected",
    [
        ("having a C-NOT error of less than or equal to 10 −4 ;", ("cnot_error", "<=", 1e-4, "ratio")),
        ("a two-qubit error of 2 × 10 −3 or less", ("cnot_error", "<=", 2e-3, "ratio")),
        ("a gate error not exceeding 10<sup>-4</sup>", ("cnot_error", "<=", 1e-4, "ratio")),
        ("a gate error at or below 1 × 10⁻³", ("cnot_error", "<=", 1e-3, "ratio")),
        ("a two-qubit error of one in ten thousand or less", ("cnot_error", "<=", 1e-4, "ratio")),
        ("an isotopic impurity under 0,08 %", ("isotopic_impurity", "<", 8e-4, "ratio")),
        (
            "designed to operate at an ambient temperature equal to or less (better) than 4.5 K",
            ("operating_temperature", "<=", 4.5, "K"),
        ),
        ("wafer diameters greater than or equal to 100 mm", ("wafer_diameter", ">=", 0.1, "m")),
        ("a gain of at least 20 dB", ("gain", ">=", 20.0, "dB")),
        ("rated to hold a temperature below 4 K", ("maintained_temperature", "<", 4.0, "K")),
    ],
)
def test_real_text_spellings(text, expected):
    [found] = find_thresholds(text)
    assert (found.parameter, found.op, found.unit) == (expected[0], expected[1], expected[3])
    assert found.value == pytest.approx(expected[2])


def test_a_range_gives_both_bounds_and_a_condition_names_its_figure():
    got = [
        t.to_json()
        for t in find_thresholds(
            "a noise figure below 0.2 dB over any frequency from 4 GHz up to and including 8 GHz at 20 mK"
        )
    ]
    assert got == [
        {"parameter": "noise_figure", "op": "<", "value": 0.2, "unit": "dB"},
        {"parameter": "frequency_band", "op": ">=", "value": 4e9, "unit": "Hz", "condition_of": "noise_figure"},
        {"parameter": "frequency_band", "op": "<=", "value": 8e9, "unit": "Hz", "condition_of": "noise_figure"},
        {"parameter": "temperature", "op": "=", "value": 0.02, "unit": "K", "condition_of": "noise_figure"},
    ]


def test_maintained_and_rating_temperatures_differ():
    got = [
        (t.parameter, t.condition_of)
        for t in find_thresholds(
            "coolers able to reach a temperature of 3 K or colder and giving a cooling power"
            " of at least 1 W at a temperature of 4.2 K"
        )
    ]
    assert got == [("maintained_temperature", ""), ("cooling_power", ""), ("temperature", "cooling_power")]


def test_a_lost_superscript_before_a_unit_is_a_range():
    assert [(t.op, t.value) for t in find_thresholds("between 10-40 GHz")] == [(">=", 1e10), ("<=", 4e10)]


def _comparator_contexts():
    """Every comparator phrase in the contexts the look-back reads: alone, after a word,
    inside a word, followed by up to five words and "of", with other spacing and case."""
    from qharmony.ingest import comparators as t

    phrases = [
        variant
        for words, _ in t.BEFORE_PHRASES
        for phrase in words.split("|")
        for variant in {phrase.replace("{opt}", ""), phrase.replace("{opt}", " (better)")}
    ]
    tails = ["", " ", "  ", " of ", " a temperature of ", " a b c d of ", " a b c d e of ", " of", " the "]
    heads = ["", " ", "(", ",", "x", "value ", "is not ", "1 K, "]
    for phrase in phrases:
        for head in heads:
            for tail in tails:
                yield head + phrase + tail
                yield (head + phrase + tail).upper()


def test_reversed_look_back_agrees_with_the_comparator_patterns():
    """``comparators.comparator`` matches the reversed text before a figure against one pattern;
    it must name the comparator that the first matching look-back pattern names."""
    from qharmony.ingest import comparators as t

    for before in _comparator_contexts():
        forward = next((op for rx, op in t.BEFORE_RX if rx.search(before)), None)
        text = before + "5 K"
        assert t.comparator(text, len(before), len(text) - 2) == forward, before


def test_every_comparator_contains_a_comparator_word():
    """``find_thresholds`` skips a text with no comparator word: each comparator it can
    read must contain one."""
    from qharmony.ingest import comparators as t

    phrases = [p.replace("{opt}", "") for words, _ in t.BEFORE_PHRASES + t.AFTER_PHRASES for p in words.split("|")]
    for phrase in phrases:
        assert any(word in phrase.lower() for word in t.COMPARATOR_WORDS), phrase
    assert t.may_compare("less than 5 K") and not t.may_compare("paragraph 740.2(a)(1) of 2024")
    assert t.may_compare("LESS THAN 5 K") and t.may_compare("leſs than 5 K")


@pytest.mark.parametrize("wording", ["built for use at", "intended for operation at"])
def test_a_temperature_an_item_is_made_to_be_used_at_is_its_operating_temperature(wording):
    assert _read(f"integrated circuits {wording} 4.5 K or less") == [("operating_temperature", "<=", 4.5, "K")]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("a gate error not above 0,3 %", [("cnot_error", "<=", 0.003, "ratio")]),
        ("coolers maintaining 2,5 K or colder", [("maintained_temperature", "<=", 2.5, "K")]),
        ("a noise figure of 0,25 dB or less", [("noise_figure", "<=", 0.25, "dB")]),
        ("1,200 or more physical qubits", [("physical_qubits", ">=", 1200.0, "count")]),
    ],
)
def test_decimal_commas_of_one_or_two_digits_and_not_above(text, expected):
    """A comma before one or two digits is a decimal comma (a thousands group has three);
    "not above" bounds from above; "maintaining" names the temperature a cooler holds."""
    assert _read(text) == expected


def test_the_share_of_other_isotopes_is_the_isotopic_impurity():
    assert _read("germanium in which isotopes other than germanium-70 make up less than 0,05 %") == [
        ("isotopic_impurity", "<", 0.0005, "ratio")
    ]
    assert _read("with other isotopes at 0.2% or less") == [("isotopic_impurity", "<=", 0.002, "ratio")]
