"""Values as a person reads them: thresholds in legal notation with the units a
person uses ("34 to 99 physical qubits", "C-NOT error ≤ 1 × 10⁻⁴", "for more than
48 hours", "cooling power ≥ 600 µW at ≤ 0.1 K").

The graph and the JSON keep machine values (SI units, ``cnot_error <= 0.0001``);
only pages use this module, through the Jinja filters ``threshold``, ``thresholds``
and ``readable`` (which rewrites threshold expressions inside a sentence, such as a
gap's band or a transfer check's reason).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from flask import Blueprint


@dataclass(frozen=True)
class Quantity:
    """How one parameter of the threshold vocabulary reads: its name and SI unit."""

    name: str
    unit: str  # the SI unit the graph stores values in


PARAMETERS = {
    # the threshold vocabulary of the ontology (qh:parameterName, qh:normalisedUnit)
    "physical_qubits": Quantity("physical qubits", "count"),
    "cnot_error": Quantity("C-NOT error", "ratio"),
    "operating_temperature": Quantity("operating temperature", "K"),
    "maintained_temperature": Quantity("maintained temperature", "K"),
    "temperature": Quantity("temperature", "K"),
    "cooling_power": Quantity("cooling power", "W"),
    "power": Quantity("power", "W"),
    "duration": Quantity("duration", "s"),
    "frequency_band": Quantity("frequency band", "Hz"),
    "frequency": Quantity("frequency", "Hz"),
    "noise_figure": Quantity("noise figure", "dB"),
    "gain": Quantity("gain", "dB"),
    "wafer_diameter": Quantity("wafer diameter", "m"),
    "length": Quantity("length", "m"),
    "isotopic_impurity": Quantity("isotopic impurity", "ratio"),
    "magnetic_sensitivity": Quantity("magnetic sensitivity", "T"),
}
#: the units a person may type for each parameter in the transfer check
TYPED_UNITS = {
    "physical_qubits": "a count, no unit",
    "cnot_error": "a ratio, no unit (0.001)",
    "temperature": "K or mK",
    "cooling_power": "W, mW or uW",
    "duration": "s, min or h",
    "frequency": "Hz, kHz, MHz or GHz",
    "noise_figure": "dB",
    "wafer_diameter": "mm",
}
SYMBOL = {"<=": "≤", ">=": "≥", "<": "<", ">": ">", "=": "="}
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
_PREFIXES = [(1e9, "G"), (1e6, "M"), (1e3, "k"), (1.0, ""), (1e-3, "m"), (1e-6, "µ"), (1e-9, "n")]


def number(value: float) -> str:
    """A plain number: no float noise, thousands separated (1,100; 0.006; 4.5)."""
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:.6g}"


def scientific(value: float) -> str:
    """Small ratios the way lists print them: 1 × 10⁻⁴, 6 × 10⁻³."""
    if value == 0 or 0.01 <= abs(value) < 1000:
        return number(value)
    exponent = math.floor(math.log10(abs(value)))
    mantissa = round(value / 10**exponent, 6)
    return f"{number(mantissa)} × 10{str(exponent).translate(_SUPERSCRIPT)}"


def with_prefix(value: float, unit: str) -> str:
    """An SI value with the prefix that keeps the number between 1 and 1000."""
    for factor, prefix in _PREFIXES:
        if abs(value) >= factor * 0.9999999 or factor == _PREFIXES[-1][0]:
            return f"{number(round(value / factor, 6))} {prefix}{unit}"
    return f"{number(value)} {unit}"


def quantity(parameter: str, value: float) -> str:
    """A value of ``parameter`` in the unit a person reads (600 µW, 90 mK, 48 hours)."""
    unit = PARAMETERS[parameter].unit if parameter in PARAMETERS else ""
    if unit == "count":
        return number(value)
    if unit == "ratio":
        return scientific(value)
    if unit == "K":
        return f"{number(round(value * 1000, 6))} mK" if value < 0.1 else f"{number(value)} K"
    if unit == "s":
        for seconds, word in ((86400 * 365, "year"), (3600, "hour"), (60, "minute")):
            if value >= seconds and value % seconds == 0 and not (word == "year" and value % 86400):
                n = int(value // seconds)
                return f"{n:,} {word}{'' if n == 1 else 's'}"
        return f"{number(value)} seconds"
    if unit == "m":
        return f"{number(round(value * 1000, 6))} mm"
    if unit == "dB":
        return f"{number(value)} dB"
    if unit in ("W", "Hz"):
        return with_prefix(value, unit)
    return number(value)


def one(parameter: str, op: str, value: float) -> str:
    """One limit in legal notation."""
    q = PARAMETERS.get(parameter, Quantity(parameter.replace("_", " "), ""))
    amount = quantity(parameter, value)
    if op == "unstated":
        return f"{q.name}: no limit stated in the source"
    if q.unit == "count":
        return {
            ">=": f"{amount} or more {q.name}",
            ">": f"more than {amount} {q.name}",
            "<": f"fewer than {amount} {q.name}",
            "<=": f"{amount} or fewer {q.name}",
        }.get(op, f"{q.name} {SYMBOL.get(op, op)} {amount}")
    if q.unit == "s":
        return {
            ">": f"for more than {amount}",
            ">=": f"for {amount} or more",
            "<": f"for less than {amount}",
            "<=": f"for {amount} or less",
        }.get(op, f"{q.name} {SYMBOL.get(op, op)} {amount}")
    return f"{q.name} {SYMBOL.get(op, op)} {amount}"


def _count_range(parameter: str, low: tuple[str, float], high: tuple[str, float]) -> str:
    """Two limits on a count as one range: >= 34 and < 100 is "34 to 99"."""
    first = low[1] if low[0] == ">=" else low[1] + 1
    last = high[1] - 1 if high[0] == "<" else high[1]
    return f"{number(first)} to {number(last)} {PARAMETERS[parameter].name}"


def combined(limits: list[tuple[str, str, float]]) -> str:
    """Several limits of one entry as one phrase: a count's two limits as a range,
    cooling power "at" its temperature; the rest joined with commas."""
    by_param: dict[str, list[tuple[str, float]]] = {}
    for parameter, op, value in limits:
        by_param.setdefault(parameter, []).append((op, value))
    parts: list[str] = []
    for parameter, items in by_param.items():
        lows = [i for i in items if i[0] in (">", ">=")]
        highs = [i for i in items if i[0] in ("<", "<=")]
        if PARAMETERS.get(parameter, Quantity("", "")).unit == "count" and len(lows) == 1 and len(highs) == 1:
            parts.append(_count_range(parameter, lows[0], highs[0]))
        else:
            parts.extend(one(parameter, op, value) for op, value in items)
    if "cooling_power" in by_param and "temperature" in by_param and len(by_param["temperature"]) == 1:
        t_op, t_value = by_param["temperature"][0]
        at = f" at {SYMBOL.get(t_op, t_op)} {quantity('temperature', t_value)}"
        parts = [p + at if p.startswith("cooling power") else p for p in parts if not p.startswith("temperature ")]
    return ", ".join(parts)


_NUM = r"[-+]?\d[\d,]*(?:\.\d+)?(?:[eE][-+]?\d+)?"
_PARAM = "|".join(PARAMETERS)
_UNIT = r"(?:\s(?:count|ratio|W|K|s|Hz|dB|m|T)\b)?"
_OP = r"<=|>=|<|>|="
_LIMIT = re.compile(rf"\b({_PARAM})\s*({_OP})\s*({_NUM}){_UNIT}")
_RANGE = re.compile(rf"({_NUM})\s*(<=|<)\s*({_PARAM})\s*(<=|<)\s*({_NUM}){_UNIT}")
_LABEL = re.compile(rf"^\s*({_PARAM}|\w+)\s*({_OP}|unstated)\s*({_NUM})?{_UNIT}\s*$")


def _float(text: str) -> float:
    return float(text.replace(",", ""))


def parse_limits(text: str) -> list[tuple[str, str, float]] | None:
    """``cnot_error <= 0.0001 ratio; physical_qubits >= 34 count`` as limits, or None
    when a part is not a threshold label."""
    limits = []
    for part in re.split(r"[;,]\s*(?=[a-z_]+\s*(?:<|>|=|unstated))", text.strip()):
        match = _LABEL.match(part)
        if not match:
            return None
        limits.append((match.group(1), match.group(2), _float(match.group(3)) if match.group(3) else 0.0))
    return limits


def thresholds_text(text: str) -> str:
    """An entry's threshold labels (joined with "; ") as one legal phrase."""
    limits = parse_limits(text) if text else None
    return combined(limits) if limits else text


def readable(text: str) -> str:
    """A sentence with every threshold expression in it made readable; the rest of
    the sentence unchanged."""
    if not text:
        return text

    def a_range(m: re.Match) -> str:
        low, low_op, parameter, high_op, high = m.groups()
        flipped = {"<=": ">=", "<": ">"}[low_op]
        return combined([(parameter, flipped, _float(low)), (parameter, high_op, _float(high))])

    def a_limit(m: re.Match) -> str:
        parameter, op, value = m.groups()
        if op == "=":
            return f"{PARAMETERS[parameter].name} of {quantity(parameter, _float(value))}"
        return one(parameter, op, _float(value))

    return _LIMIT.sub(a_limit, _RANGE.sub(a_range, text))


_MONTHS = "January February March April May June July August September October November December".split()
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")


def day(text: str) -> str:
    """A date as precise as its source, in words: 2024-09-06 is "6 September 2024",
    a month-only 2024-09 stays "September 2024"; anything else is left as it is."""
    match = _ISO_DAY.match(str(text or "").strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        return text
    year, month, dd = match.groups()
    words = f"{_MONTHS[int(month) - 1]} {year}"
    return f"{int(dd)} {words}" if dd else words


bp = Blueprint("present", __name__)
bp.app_template_filter("day")(day)
bp.app_template_filter("threshold")(thresholds_text)
bp.app_template_filter("thresholds")(thresholds_text)
bp.app_template_filter("readable")(readable)
