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
