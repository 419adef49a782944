"""The one table of units: how regulations and users spell a unit, which QUDT unit
that is, and the factor to the normalised unit thresholds are stored and compared in.

Thresholds from different jurisdictions compare numerically only once they are in
one unit per quantity kind (K, W, s, Hz, dB, m, T, a ratio or a count). Factors are
exact decimals, so "700 uW" and "0.7 mW" normalise to the same float.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .namespaces import UNIT


class UnitError(ValueError):
    """A unit we do not know, so a value we cannot normalise."""


@dataclass(frozen=True)
class Unit:
    """One QUDT unit and how it relates to its normalised unit."""

    #: QUDT unit local name, e.g. ``MilliK`` for ``http://qudt.org/vocab/unit/MilliK``
    qudt: str
    #: the normalised unit's symbol, e.g. ``K``
    normal: str
    #: exact factor from this unit to the normalised one
    factor: Decimal
    #: QUDT quantity kind local name, e.g. ``ThermodynamicTemperature``
    kind: str

    @property
    def iri(self) -> str:
        return UNIT + self.qudt


# (QUDT local name, normalised unit, factor, quantity kind, spellings)
_TABLE: list[tuple[str, str, str, str, tuple[str, ...]]] = [
    ("NUM", "count", "1", "Count", ("count", "physical qubits", "qubits", "qubit")),
    ("UNITLESS", "ratio", "1", "DimensionlessRatio", ("ratio",)),
    ("PERCENT", "ratio", "0.01", "DimensionlessRatio", ("%", "percent", "per cent")),
    ("K", "K", "1", "ThermodynamicTemperature", ("K", "kelvin")),
    ("MilliK", "K", "0.001", "ThermodynamicTemperature", ("mK", "millikelvin")),
    ("MicroK", "K", "0.000001", "ThermodynamicTemperature", ("µK", "μK", "uK", "microkelvin")),
    ("KiloW", "W", "1000", "Power", ("kW", "kilowatts", "kilowatt")),
    ("W", "W", "1", "Power", ("W", "watts", "watt")),
    ("MilliW", "W", "0.001", "Power", ("mW", "milliwatts", "milliwatt")),
    ("MicroW", "W", "0.000001", "Power", ("µW", "μW", "uW", "microwatts", "microwatt")),
    ("SEC", "s", "1", "Time", ("s", "seconds", "second")),
    ("MilliSEC", "s", "0.001", "Time", ("ms", "milliseconds", "millisecond")),
    ("MicroSEC", "s", "0.000001", "Time", ("µs", "μs", "microseconds", "microsecond")),
    ("NanoSEC", "s", "0.000000001", "Time", ("ns", "nanoseconds", "nanosecond")),
    ("MIN", "s", "60", "Time", ("min", "minutes", "minute")),
    ("HR", "s", "3600", "Time", ("h", "hours", "hour")),
    ("HZ", "Hz", "1", "Frequency", ("Hz",)),
    ("KiloHZ", "Hz", "1000", "Frequency", ("kHz",)),
    ("MegaHZ", "Hz", "1000000", "Frequency", ("MHz",)),
    ("GigaHZ", "Hz", "1000000000", "Frequency", ("GHz",)),
    ("DeciB", "dB", "1", "Dimensionless", ("dB", "decibels", "decibel")),
    ("M", "m", "1", "Length", ("m", "metres", "metre", "meters", "meter")),
    ("CentiM", "m", "0.01", "Length", ("cm", "centimetres", "centimetre", "centimeters", "centimeter")),
    ("NanoM", "m", "0.000000001", "Length", ("nm", "nanometres", "nanometre", "nanometers", "nanometer")),
    ("MilliM", "m", "0.001", "Length", ("mm", "millimetres", "millimetre", "millimeters", "millimeter")),
    ("MicroM", "m", "0.000001", "Length", ("µm", "μm", "um", "micrometres", "micrometre", "micrometers", "micrometer")),
    # magnetometer resolutions; a bare "T" is left out (a "2 T" magnet of 3A201 is no quantum figure)
    ("T", "T", "1", "MagneticFluxDensity", ("tesla",)),
    ("MilliT", "T", "0.001", "MagneticFluxDensity", ("mT", "millitesla")),
    ("MicroT", "T", "0.000001", "MagneticFluxDensity", ("µT", "μT", "uT", "microtesla")),
    ("NanoT", "T", "0.000000001", "MagneticFluxDensity", ("nT", "nanotesla")),
    ("PicoT", "T", "0.000000000001", "MagneticFluxDensity", ("pT", "picotesla")),
    ("FemtoT", "T", "0.000000000000001", "MagneticFluxDensity", ("fT", "femtotesla")),
]

#: QUDT local name -> unit
UNITS: dict[str, Unit] = {q: Unit(q, normal, Decimal(f), kind) for q, normal, f, kind, _s in _TABLE}
#: spelling as written -> unit
SPELLINGS: dict[str, Unit] = {s: UNITS[q] for q, *_rest, spellings in _TABLE for s in spellings}
#: normalised unit symbol -> the QUDT unit it is (the unit stored on a threshold)
NORMAL_UNITS: dict[str, Unit] = {u.normal: u for u in UNITS.values() if u.factor == 1}

_QUANTITY = re.compile(r"^\s*(?P<num>[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*(?P<unit>.*?)\s*$")


def lookup(unit: str) -> Unit:
    """A unit from its spelling ("mK"), its QUDT local name ("MilliK") or its IRI."""
    found = SPELLINGS.get(unit) or UNITS.get(unit.removeprefix(UNIT))
    if found is None:
        raise UnitError(f"unknown unit {unit!r}; known: {', '.join(sorted(SPELLINGS))}")
    return found


def normalise(value: float | Decimal | str, unit: str) -> tuple[float, str]:
    """A value in its normalised unit: (90, "mK") -> (0.09, "K")."""
    found = lookup(unit)
    try:
        exact = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a number") from None
    return float(exact * found.factor), found.normal


def parse_quantity(text: str) -> tuple[Decimal, Unit | None]:
    """A number and its unit as people write them: "700 uW", "0.08 %", "48 hours";
    the unit is None when only a number is given."""
    match = _QUANTITY.match(text)
    if not match:
        raise ValueError(f"expected a number and a unit such as '90 mK', got {text!r}")
    unit = match.group("unit")
    return Decimal(match.group("num")), lookup(unit) if unit else None


def parse(text: str) -> tuple[float, str]:
    """A written quantity in its normalised unit: "2 GHz" -> (2e9, "Hz")."""
    number, unit = parse_quantity(text)
    if unit is None:
        raise UnitError(f"{text!r} has no unit; known: {', '.join(sorted(SPELLINGS))}")
    return float(number * unit.factor), unit.normal
