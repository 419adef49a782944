"""Read technical thresholds out of a clause as regulations write them: number,
comparator, unit and parameter, with ranges and conditions.

Numbers come in many spellings: powers of ten with lost superscripts ("10 −4",
"2 × 10 −3"), markup (``10<sup>-4</sup>``), Unicode superscripts (1 × 10⁻³), words
("one in ten thousand"), percentages and decimal commas. Comparators too: "up to and
including", "at or below", "less (better) than". The parameter is named from the
ontology's vocabulary (``qh:TechnicalParameter``): the nearest cue of the right kind
of quantity names it. A figure that follows another in the same clause after "at" or
"for" ("a noise figure less than 0.015 dB ... at 1 K") is a condition of it.
Values are normalised through the unit table so thresholds compare numerically.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache

from qharmony.ontology import units

from .comparators import BEFORE_RX, comparator, may_compare
from .parameters import Parameter, parameters_for
from .prefilter import FOLDS_TO_ASCII, Gated, may_contain

#: spellings a text may write after a number -> (factor to the normalised unit,
#: normalised unit), from the one unit table (``ontology/units.py``); "count" and
#: "ratio" are how users write values, not words that follow numbers in texts
SPELLINGS: dict[str, tuple[Decimal, str]] = {
    name: (unit.factor, unit.normal) for name, unit in units.SPELLINGS.items() if name not in ("count", "ratio")
}
#: normalised unit -> QUDT unit local name
QUDT_UNITS = {normal: unit.qudt for normal, unit in units.NORMAL_UNITS.items()}

_MINUS = "-−–‐"
_UNIT_ALT = "|".join(sorted((re.escape(u) for u in SPELLINGS), key=len, reverse=True))
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
_EXP = (
    r"(?:\^|\*\*)\s*[" + _MINUS + r"+]?\d{1,2}"  # 10^-3
    r"|<sup>\s*[" + _MINUS + r"+]?\d{1,2}\s*</sup>"  # 10<sup>-4</sup>
    r"|[⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,2}"  # 10⁻⁴
    # 10 −4, 10-4: a superscript lost in copying; "10-40 GHz" is a range
    r"|\s?[" + _MINUS + r"]\s?\d{1,2}(?![\d.,]?\d|\s*(?:" + _UNIT_ALT + r")(?![A-Za-z]))"
)
_WORD_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "ten": 10,
    "hundred": 100,
    "a hundred": 100,
    "one hundred": 100,
    "thousand": 1000,
    "a thousand": 1000,
    "one thousand": 1000,
    "ten thousand": 10_000,
    "hundred thousand": 100_000,
    "a hundred thousand": 100_000,
    "one hundred thousand": 100_000,
    "million": 1_000_000,
    "a million": 1_000_000,
    "one million": 1_000_000,
}
_WORDS = "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True))
_NUMBER = re.compile(
    r"(?<![\w.,])(?:"
    # one in ten thousand, 1 in 10,000
    r"(?P<wnum>one|a|an|\d+)\s+in\s+(?:a\s+|an\s+)?(?P<wden>" + _WORDS + r"|\d{1,3}(?:,\d{3})+|\d+)(?![\w])"
    # (2 ×) 10^-3, 10 −4 (a lost superscript), 10<sup>-4</sup>, 10⁻⁴
    r"|(?:(?P<mant>\d+(?:[.,]\d+)?)\s*[×x*·]\s*)?(?P<ten>10)\s*(?P<exp>" + _EXP + r")(?![\d.,]\d)"
    # 1e-4, 1,100, 0,015 (a decimal comma), 4.5
    # "4,5 K": a comma before one, two or four and more digits is a decimal comma (a thousands
    # separator takes exactly three)
    r"|(?P<num>\d{1,3}(?:,\d{3})+(?![\d])|0,\d+|\d+,(?:\d{1,2}|\d{4,})(?![\d])|\d+(?:\.\d+)?)"
    r"(?:[eE](?P<e>[" + _MINUS + r"+]?\d+))?"
    r")"
)
_UNIT_AT = re.compile(r"[\s'‘’]*(?P<unit>" + _UNIT_ALT + r")(?![A-Za-z])")
_UNIT_ANY = re.compile(r"(?<![A-Za-z])(?P<unit>" + _UNIT_ALT + r")(?![A-Za-z])")
#: "34 to fewer than 100 physical qubits": a bare figure that opens a range whose upper
#: bound has its own comparator is the lower bound
_RANGE_FROM = re.compile(
    r"\s*(?:to|through|[" + _MINUS + r"])\s*(?:fewer than|less than|under|below|up to(?: and including)?)\s", re.I
)
#: the kinds of quantity a figure can be the condition of another in: the temperature,
#: period or frequency it is rated at ("600 µW at 0.1 K for more than 48 hours"); a count,
#: ratio or size after another figure is a limit of its own ("34 qubits ... when its C-NOT
#: error is 10-4 or less", "4.5 K or below, for wafers of 100 mm or more")
_CONDITION_UNITS = {"K", "s", "Hz"}
#: a temperature the text names as the item's own ("designed to operate at ...", "rated to
#: maintain ..."): a limit of the item, never the condition another figure is given at
_OWN_PROPERTIES = {"operating_temperature", "maintained_temperature"}
#: "34 or more physical qubits and cryogenic CMOS circuits rated for 4.5 K": a figure after a
#: coordination is a limit of the next item, not a condition of the one before
_COORDINATED = re.compile(
    r"(?<!\bat )(?<!\bto )\b(?:and|or)\b(?!\s+(?:more|less|fewer|below|above|lower|higher|greater|colder|warmer|"
    r"equal|including|over|under)\b)"
)
#: "600 µW of cooling power at or below 0.1 K": a comparator led by "at" sets a condition
_AT_COMPARATOR = re.compile(r"\bat or (?:below|above|under|over)\s*$", re.I)
#: the upper bound of a range that "from X" or "between X" opened
_RANGE_TO = re.compile(
    r"^\s*(?:up to and including|up to but (?:not including|excluding)|up to|to|through|and)\s*$", re.I
)
_DASH_RANGE = re.compile(r"^\s*[" + _MINUS + r"]\s*$")
#: a figure introduced by "at" or "for" right after another qualifies it
_CONDITION = re.compile(r"^[\s,]*(?:\([^()]*\)\s*)?(?:at|for|over|when|measured at)\b", re.I)
_CONDITION_WORD = re.compile(r"\b(?:at|for|over|when|during)\b", re.I)
_BARE_AT = re.compile(r"\bat\s*$", re.I)


#: a figure: a digit, or "one in", "a in" ("one in ten thousand"), looked for in that order
_DIGIT = re.compile(r"\d")
_ONE_IN = re.compile(r"\b(?:one|an?)\s+in\b", re.I)


@dataclass(frozen=True)
class Threshold:
    """A limit as read: ``value`` is in ``unit`` after normalisation; a condition
    names the parameter of the figure it qualifies in ``condition_of``."""

    parameter: str
    op: str
    value: float
    unit: str
    start: int
    end: int
    text: str
    condition_of: str = ""

    def to_json(self) -> dict:
        data = {"parameter": self.parameter, "op": self.op, "value": self.value, "unit": self.unit}
        if self.condition_of:
            data["condition_of"] = self.condition_of
        return data


def _exponent(raw: str) -> int:
    clean = re.sub(r"</?sup>|\s|\^|\*", "", raw).translate(_SUPERSCRIPT)
    return int(clean.translate({ord(c): "-" for c in _MINUS}))


def parse_number(match: re.Match[str]) -> Decimal | None:
    """The value of a number match, in whatever spelling it was written."""
    if match.group("wden"):
        num = match.group("wnum")
        den = match.group("wden")
        top = Decimal(num) if num.isdigit() else Decimal(1)
        bottom = Decimal(_WORD_NUMBERS[den]) if den in _WORD_NUMBERS else Decimal(den.replace(",", ""))
        return top / bottom if bottom else None
    if match.group("ten"):
        mantissa = Decimal((match.group("mant") or "1").replace(",", "."))  # "2,5 × 10-3"
        return mantissa.scaleb(_exponent(match.group("exp")))
    raw = match.group("num")
    try:
        decimal_comma = raw.startswith("0,") or re.fullmatch(r"\d+,(?:\d{1,2}|\d{4,})", raw)
        number = Decimal(raw.replace(",", ".") if decimal_comma else raw.replace(",", ""))
    except InvalidOperation:
        return None
    if match.group("e"):
        number = number.scaleb(_exponent(match.group("e")))
    return number


@cache  # one per cue of the vocabulary
def _cue_rx(cue: str) -> Gated:
    # each word in its inflections ("maintaining a temperature", "tested at")
    words = [
        re.escape(w[:-1]) + r"(?:e|es|ed|ing)" if w.endswith("e") and len(w) > 3 else re.escape(w) + r"(?:es|ed|ing)?"
        for w in re.split(r"[\s-]+", cue)
    ]
    return Gated(r"(?<![\w])" + r"[\s'‘’“”\"-]+".join(words) + r"s?(?![\w])", re.I, (cue_word(cue),))


def _name(unit: str, scope: str, after: str) -> str | None:
    """The parameter a number of ``unit`` is, from the last cue in ``scope`` (the
    words since the previous figure) or, failing that, right after the number."""
    # a specific parameter ("ambient temperature") beats the generic one ("temperature")
    for generic in (False, True):
        best: tuple[int, int, Parameter] | None = None
        for param in parameters_for(unit):
            if param.default != generic:
                continue
            for cue in param.cues:
                for m in _cue_rx(cue).finditer(scope):
                    key = (m.end(), len(cue))
                    if best is None or key > best[:2]:
                        best = (*key, param)
        if best:
            return best[2].name
    for param in parameters_for(unit):
        if any(_cue_rx(cue).search(after) for cue in param.cues):
            return param.name
    default = [p for p in parameters_for(unit) if p.default]
    return default[0].name if default else None


def find_thresholds(text: str) -> list[Threshold]:
    """All thresholds in one clause (an item or a sentence), in reading order."""
    found: list[Threshold] = []
    if not (_DIGIT.search(text) or _ONE_IN.search(text)) or not may_compare(text):
        return found
    clause_start = 0
    previous: Threshold | None = None
    primary: Threshold | None = None
    for match in _NUMBER.finditer(text):
        start, end = match.span()
        cut = text.rfind(";", clause_start, start)
        if cut >= 0:
            clause_start = cut + 1
            previous = primary = None
        gap = text[previous.end : start] if previous else ""
        op = comparator(text, start, end)
        in_range = previous is not None and bool(_RANGE_TO.match(gap) or _DASH_RANGE.match(gap))
        if op is None and not in_range and primary and (_BARE_AT.search(gap) or _CONDITION.match(gap)):
            op = "="  # "... at 1 K": the condition a figure is given for
        if in_range and (op is None or op == ">="):
            op = "<="
        if op is None and _RANGE_FROM.match(text, match.end()):
            op = ">="
        if op is None:
            continue
        number = parse_number(match)  # after the comparator: most numbers of a list have none
        if number is None:
            continue
        unit_match = _UNIT_AT.match(text, end)
        if match.group("wden") or (unit_match is None and _is_ratio(text, clause_start, start)):
            unit, factor = "ratio", Decimal(1)
        elif unit_match:
            factor, unit = SPELLINGS[unit_match.group("unit")]
            end = unit_match.end()
        else:
            clause_end = text.find(";", end)
            later = _UNIT_ANY.search(text, end, clause_end if clause_end >= 0 else len(text))
            if later is None or match.group("ten"):
                continue
            factor, unit = SPELLINGS[later.group("unit")]
        value = float(number * factor)
        scope_start = previous.end if previous else clause_start
        if in_range:
            parameter, condition = previous.parameter, previous.condition_of
        else:
            unit_text = unit_match.group("unit") if unit_match else ""
            parameter = _name(unit, text[scope_start:start] + " " + unit_text, text[end : end + 30])
            condition = ""
            if (
                primary
                and parameter
                and parameter != primary.parameter
                and unit in _CONDITION_UNITS
                and parameter not in _OWN_PROPERTIES
                and (_is_condition(gap) or _AT_COMPARATOR.search(gap))
                and not _COORDINATED.search(gap)
            ):
                condition = primary.parameter
        if parameter is None:
            continue
        threshold = Threshold(parameter, op, value, unit, start, end, text[start:end], condition)
        if _duplicate_range_start(found, threshold, text):
            continue
        found.append(threshold)
        previous = threshold
        if not condition:
            primary = threshold
    return found


def _is_condition(gap: str) -> bool:
    """Is a figure after ``gap`` a condition of the one before it? "at 1 K", "at or below
    0.1 K", and also "of cooling power at a temperature at or below 0.1 K" or ", sustained
    for more than 48 hours": an "at" or "for" in the words between, its own comparator
    ("at least", "at or below") aside."""
    if _CONDITION.match(gap):
        return True
    for pattern, _ in BEFORE_RX:
        gap = pattern.sub("", gap)
    return bool(_CONDITION_WORD.search(gap))


def _is_ratio(text: str, clause_start: int, start: int) -> bool:
    """A number without a unit is a ratio when a ratio parameter's cue precedes it."""
    cues = _ratio_cues()  # the gate asked of the whole text (kept), then of the words before
    if not cues.may(text):
        return False
    before = text[clause_start:start]
    return may_contain(before, cues.words) and cues.regex.search(before) is not None


def cue_word(cue: str) -> str:
    """What every match of ``_cue_rx(cue)`` holds: its last word, less the final "e" that
    an inflection may drop ("maintain" of "maintaining"), in lower case."""
    last = re.split(r"[\s-]+", cue)[-1]
    return (last[:-1] if last.endswith("e") and len(last) > 3 else last).lower()


@lru_cache(maxsize=1)
def _ratio_cues() -> Gated:
    """Every ratio parameter's cue as one pattern (``_cue_rx`` each): a match of any is a
    match of the alternation, found in one search instead of one per cue; and searched
    only where one of their words is ("error", "purity")."""
    cues = [cue for p in parameters_for("ratio") for cue in p.cues]
    words = tuple(sorted({cue_word(c) for c in cues}))
    # every match starts with a cue's first letter: a look-ahead for one fails most positions
    # at once, instead of trying each cue there (a third of the time the alternation took)
    firsts = "".join(sorted({re.escape(cue[0]) for cue in cues}))
    return Gated(f"(?=[{firsts}])(?:" + "|".join(f"(?:{_cue_rx(cue).pattern})" for cue in cues) + ")", re.I, words)


def _duplicate_range_start(found: list[Threshold], new: Threshold, text: str) -> bool:
    """ "any frequency from 2 GHz up to and including 15 GHz" once as the band an
    item works over and again as the band a figure holds over is two thresholds;
    the same figure read twice is one."""
    return any(t.start == new.start for t in found)


__all__ = ["FOLDS_TO_ASCII", "QUDT_UNITS", "SPELLINGS", "Threshold", "find_thresholds", "parse_number"]
