"""The one unit table: the spellings regulations and users write, normalised exactly."""

from __future__ import annotations

from decimal import Decimal

import pytest

from qharmony.ontology.namespaces import UNIT
from qharmony.ontology.units import NORMAL_UNITS, SPELLINGS, UnitError, lookup, normalise, parse, parse_quantity
from qharmony.queries.analysis.transfer import parse_value


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("700 uW", 0.0007, "W"),
        ("700 µW", 0.0007, "W"),
        ("0.7 mW", 0.0007, "W"),
        ("90 mK", 0.09, "K"),
        ("20 µK", 2e-5, "K"),
        ("2 GHz", 2e9, "Hz"),
        ("40 kHz", 40_000.0, "Hz"),
        ("0.015 dB", 0.015, "dB"),
        ("100 mm", 0.1, "m"),
        ("5 µm", 5e-6, "m"),
        ("0.08 %", 0.0008, "ratio"),
        ("0.08%", 0.0008, "ratio"),
        ("48 hours", 172_800.0, "s"),
        ("30 min", 1800.0, "s"),
        ("34 qubits", 34.0, "count"),
        ("1e-3 ratio", 0.001, "ratio"),
    ],
)
def test_written_quantities_normalise_to_one_unit_per_kind(text, value, unit):
    assert parse(text) == (value, unit)


def test_equal_quantities_in_different_units_are_equal_floats():
    # a float factor would make 700 µW and 0.7 mW differ in the last bit
    assert parse("700 uW") == parse("0.7 mW") == parse("0.0007 W")
    assert normalise(500, UNIT + "MicroW") == normalise(0.5, "MilliW") == (0.0005, "W")


def test_a_unit_is_found_by_spelling_qudt_name_or_iri():
    assert lookup("mK") is lookup("MilliK") is lookup(UNIT + "MilliK")
    assert lookup("mK").iri == UNIT + "MilliK"
    assert lookup("mK").kind == "ThermodynamicTemperature"


def test_every_normalised_unit_has_a_qudt_unit_of_factor_one():
    assert {n: u.qudt for n, u in NORMAL_UNITS.items()} == {
        "count": "NUM",
        "ratio": "UNITLESS",
        "K": "K",
        "W": "W",
        "s": "SEC",
        "Hz": "HZ",
        "dB": "DeciB",
        "m": "M",
        "T": "T",
    }
    for unit in SPELLINGS.values():
        assert unit.normal in NORMAL_UNITS


def test_an_unknown_unit_is_named_with_the_known_ones():
    with pytest.raises(UnitError) as err:
        parse("3 furlongs")
    message = str(err.value)
    assert "'furlongs'" in message and "mK" in message and "GHz" in message


def test_a_number_alone_has_no_unit():
    assert parse_quantity("34") == (Decimal(34), None)
    with pytest.raises(UnitError, match="has no unit"):
        parse("34")


def test_transfer_values_use_the_same_table():
    assert parse_value("cooling_power=700 uW") == ("cooling_power", 0.0007)
    assert parse_value("physical_qubits=34") == ("physical_qubits", 34.0)
    with pytest.raises(ValueError, match="unknown unit 'parsecs'"):
        parse_value("wafer=3 parsecs")
    with pytest.raises(ValueError, match="'many' is not a number"):
        parse_value("wafer=many mm")
    with pytest.raises(ValueError, match="expected PARAMETER=VALUE"):
        parse_value("=3 mm")


def test_every_spelling_extraction_reads_is_in_the_one_table():
    # while ingest/thresholds.py still lists its spellings (with the parameter each
    # names), its factors must be the table's; once it reads the table this holds by itself
    from qharmony.ingest import thresholds

    for spelling, (factor, normal, *_parameter) in getattr(thresholds, "UNITS", {}).items():
        assert (SPELLINGS[spelling].factor, SPELLINGS[spelling].normal) == (factor, normal), spelling
