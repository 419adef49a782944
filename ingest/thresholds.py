"""Read technical thresholds out of a clause: number, comparator, unit, parameter.

Values are normalised to SI units (W, K, s, Hz), qubit counts and ratios, so that
thresholds from different jurisdictions compare numerically.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

#: unit spelling -> (SI factor, normalised unit, parameter)
UNITS: dict[str, tuple[Decimal, str, str]] = {}
for _names, _factor, _unit, _param in [
    (("physical qubits", "qubits", "qubit"), "1", "count", "physical_qubits"),
    (("mK", "millikelvin"), "0.001", "K", "temperature"),
    (("K", "kelvin"), "1", "K", "temperature"),
    (("µW", "μW", "uW", "microwatts", "microwatt"), "0.000001", "W", "cooling_power"),
    (("mW", "milliwatts", "milliwatt"), "0.001", "W", "cooling_power"),
    (("W", "watts", "watt"), "1", "W", "cooling_power"),
    (("hours", "hour", "h"), "3600", "s", "duration"),
    (("GHz",), "1000000000", "Hz", "frequency"),
    (("MHz",), "1000000", "Hz", "frequency"),
    (("Hz",), "1", "Hz", "frequency"),
    (("dB",), "1", "dB", "noise_figure"),
    (("mm",), "0.001", "m", "wafer_diameter"),
]:
    for _name in _names:
        UNITS[_name] = (Decimal(_factor), _unit, _param)

#: normalised unit -> QUDT unit local name
QUDT_UNITS = {"count": "NUM", "ratio": "UNITLESS", "K": "K", "W": "W", "s": "SEC", "Hz": "HZ", "dB": "DeciB", "m": "M"}

_MINUS = "-−–"
_NUMBER = (
    r"(?:(?P<ten>10)\s*(?:\^|\*\*)\s*(?P<exp0>[" + _MINUS + r"+]?\d+)"
    r"|(?P<tenm>10)[" + _MINUS + r"](?P<expm>\d{1,2})(?![\d.,])"
    r"|(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
    r"(?:\s*(?:[eE](?P<exp1>[" + _MINUS + r"+]?\d+)"
    r"|\s*[×x*]\s*10\s*\^?\s*(?P<exp2>[" + _MINUS + r"+]?\d+)))?)"
)
_UNIT_ALT = "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True))
_UNIT = re.compile(r"\s*(?:fully controlled, connected and working\s+)?(?P<unit>" + _UNIT_ALT + r")(?![A-Za-z])")
_NUM_RE = re.compile(r"(?<![\w.])" + _NUMBER + r"(?![\w.]*[A-Z]\d)")

# negated forms ("not exceeding") are tried before the plain ones ("exceeding")
_BEFORE = [
    (
        re.compile(
            r"(?:not more than|no more than|not exceeding|does not exceed|do not exceed"
            r"|at most|up to|a maximum of|at or below)\s*$",
            re.I,
        ),
        "<=",
    ),
    (re.compile(r"(?:at least|not less than|no less than|no fewer than|a minimum of|minimum)\s*$", re.I), ">="),
    (re.compile(r"(?:fewer than|less than|below|under|lower than|colder than)\s*$", re.I), "<"),
    (re.compile(r"(?:more than|greater than|exceeding|above|over|beyond|higher than|warmer than)\s*$", re.I), ">"),
]
_AFTER = [
    (re.compile(r"^[\s,]*(?:\w+\s+){0,1}(?:or more|or greater|or higher|or above|and above|or warmer)", re.I), ">="),
    (re.compile(r"^[\s,]*(?:\w+\s+){0,1}(?:or less|or lower|or fewer|or below|or colder|and below)", re.I), "<="),
]
_ERROR = re.compile(r"(?:C-?NOT|CNOT|two-qubit gate|gate)\s+error(?:\s+rate)?", re.I)


@dataclass(frozen=True)
class Threshold:
    """A limit as read: ``value`` is in ``unit`` after normalisation."""

    parameter: str
    op: str
    value: float
    unit: str
    start: int
    end: int
    text: str

    def to_json(self) -> dict:
        return {"parameter": self.parameter, "op": self.op, "value": self.value, "unit": self.unit}


def parse_number(match: re.Match[str]) -> Decimal | None:
    """Numbers as regulations write them, including powers of ten: 10^-3, 10-3 (a
    superscript lost in copying), 1e-4 and 1 × 10−4."""
    if match.group("ten") or match.group("tenm"):
        exp = match.group("exp0") or "-" + match.group("expm")
        return Decimal(1).scaleb(int(exp.translate({ord("−"): "-", ord("–"): "-"})))
    try:
        number = Decimal(match.group("num").replace(",", ""))
    except InvalidOperation:
        return None
    exp = match.group("exp1") or match.group("exp2")
    if exp:
        number = number.scaleb(int(exp.translate({ord("−"): "-", ord("–"): "-"})))
    return number


def _comparator(text: str, start: int, end: int) -> str | None:
    before = text[max(0, start - 40) : start]
    after = text[end : end + 30]
    for pattern, op in _AFTER:
        if pattern.search(after):
            return op
    for pattern, op in _BEFORE:
        if pattern.search(before):
            return op
    return None


def find_thresholds(text: str) -> list[Threshold]:
    """All thresholds in one clause (an item or a sentence)."""
    found: list[Threshold] = []
    for match in _NUM_RE.finditer(text):
        number = parse_number(match)
        if number is None:
            continue
        op = _comparator(text, match.start(), match.end())
        if op is None:
            continue
        unit_match = _UNIT.match(text, match.end())
        clause_end = min([i for i in (text.find(";", match.end()),) if i >= 0] or [len(text)])
        end = match.end()
        error_before = _ERROR.search(text[max(0, match.start() - 40) : match.start()])
        if unit_match and not error_before:
            factor, unit, parameter = UNITS[unit_match.group("unit")]
            end = unit_match.end()
        elif error_before:
            factor, unit, parameter = Decimal(1), "ratio", "cnot_error"
        else:
            # "34 or more, but fewer than 100, ... qubits": the unit comes later
            later = re.compile(r"(?P<unit>" + _UNIT_ALT + r")(?![A-Za-z])").search(text, match.end(), clause_end)
            if not later or not re.search(r"\d", text[match.end() : later.start()]):
                if not later:
                    continue
            factor, unit, parameter = UNITS[later.group("unit")]
        value = float(number * factor)
        found.append(Threshold(parameter, op, value, unit, match.start(), end, text[match.start() : end]))
    return found
