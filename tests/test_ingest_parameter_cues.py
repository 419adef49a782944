"""Parameters named from the words drafters use around a figure: a temperature an item
is "designed to operate below", "for use at or below" or "rated to work at" is its
operating temperature; a "band from 2 GHz to 6 GHz" is a frequency band."""

from __future__ import annotations

from qharmony.ingest.thresholds import find_thresholds


def _named(text: str) -> set[tuple[str, str]]:
    return {(t.parameter, t.op) for t in find_thresholds(text)}


def test_the_temperature_an_item_works_at_is_its_operating_temperature():
    assert _named("Mixers designed to operate below 2 K.") == {("operating_temperature", "<")}
    assert _named("Controllers for use at or below 3 K.") == {("operating_temperature", "<=")}
    assert _named("Logic rated to work at 6 K or colder.") == {("operating_temperature", "<=")}


def test_a_band_of_frequencies_is_a_frequency_band():
    assert _named("Amplifiers usable in a band from 2 GHz to 6 GHz.") == {
        ("frequency_band", ">="),
        ("frequency_band", "<="),
    }


TABLE = """NOTICE TO EXPORTERS No. 2/2034
Export Licensing Bureau of the Republic of Halmora (a fictional state, for testing)

Issued: 4 April 2034

The Bureau adds the following entries to the Halmora Control List:

| Entry | Goods | Parameter | Limit |
|---|---|---|---|
| HL-7 | Dilution refrigerators | Cooling power at 0.05 K | ≥ 300 µW |
| HL-8 | Wafer probers designed to test devices | — | at 3 K or less |
"""


def test_a_limit_column_takes_its_quantity_from_the_cell_before_it(tmp_path):
    from extracting import extract_text

    ex = extract_text(tmp_path, TABLE, "notice.md")
    limits = {
        (r.subject.split(":", 1)[1], r.object["parameter"], r.object["op"])
        for r in ex.relations
        if r.type == "has_threshold"
    }
    assert ("HL-7", "cooling_power", ">=") in limits
    assert ("HL-7", "temperature", "=") in limits  # the condition the cooling power is rated at


def test_notations_of_real_texts():
    assert _named("an amplifier noise figure better than 0.3 dB") == {("noise_figure", "<")}
    assert _named("a gain of 15 decibels or greater") == {("gain", ">=")}
    assert _named("for wafers of 150 millimetres or larger") == {("wafer_diameter", ">=")}
    [error] = find_thresholds("a C-NOT error rate not exceeding 3,5 × 10-4")
    assert (error.parameter, error.op) == ("cnot_error", "<=") and abs(error.value - 3.5e-4) < 1e-12
