"""Dates as users and sources write them, and the one rule for "in force on a date".

Every answer that depends on whether an instrument applies on a day (entity pages,
the gap engine, the matrix, transfer checks, change reports) asks ``in_force`` here,
so two pages can never disagree about the same instrument on the same day.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date

from qharmony.ontology.namespaces import XSD

from .results import Term

#: where the day an instrument applies from comes from, best first
ENTRY_INTO_FORCE = "entry into force"
MONTH_ONLY = "month only"
ADOPTION = "adoption date (entry into force not verified)"
ATTESTED = "shown in force by a consolidated text (entry into force not known)"

#: the states an instrument can be in on a day
PROPOSED = "proposed"
UNKNOWN = "unknown"
NOT_YET = "not yet in force"
IN_FORCE = "in force"
ENDED = "no longer in force"


def parse_day(value: str | None) -> date:
    """An as-of date as users write it: YYYY-MM-DD, or "today" (also when empty)."""
    text = (value or "").strip()
    if not text or text.lower() == "today":
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"expected a date YYYY-MM-DD or 'today', got {value!r}") from None


def as_of_term(day: date) -> Term:
    """A day as the typed literal queries compare against."""
    return Term.literal(day.isoformat(), XSD + "date")


@dataclass(frozen=True)
class InstrumentDates:
    """An instrument's dates as the graph holds them (ISO text, empty when absent)."""

    effective: str = ""  # eli:first_date_entry_in_force
    month: str = ""  # qh:effectiveMonth, when the sources give only the month
    adopted: str = ""  # eli:date_document
    repealed: str = ""  # eli:date_no_longer_in_force
    proposed: bool = False
    attested: str = ""  # qh:attestedInForceOn: a consolidated text of that day shows it in force

    @classmethod
    def from_row(cls, row: dict) -> InstrumentDates:
        """From a query row with ``effective``, ``month``, ``adopted``, ``repealed``
        and ``proposed`` columns (plain strings or terms)."""

        def text(key: str) -> str:
            value = row.get(key)
            if value is None:
                return ""
            return value.value if isinstance(value, Term) else str(value or "")

        return cls(
            text("effective")[:10],
            text("month")[:7],
            text("adopted")[:10],
            text("repealed")[:10],
            "proposed" in row,
            text("attested")[:10],
        )


@dataclass(frozen=True)
class InForce:
    """Whether an instrument applies on ``as_of``, and how sure the dates are."""

    state: str  # one of PROPOSED, UNKNOWN, NOT_YET, IN_FORCE, ENDED
    as_of: str
    since: str = ""  # the first day the rule counts it in force ("" when unknown)
    basis: str = ""  # ENTRY_INTO_FORCE, MONTH_ONLY or ADOPTION
    precision: str = ""  # "day" or "month": how precisely the sources date the start
    stated: str = ""  # the start as the sources give it: "2024-09-06" or "2024-09"
    until: str = ""  # the day it stopped applying, if any

    @property
    def in_force(self) -> bool:
        return self.state == IN_FORCE

    @property
    def inside_stated_month(self) -> bool:
        """True when the sources give only the month and ``as_of`` falls inside it:
        the day it took effect may or may not have come yet."""
        return self.precision == "month" and self.as_of[:7] == self.stated

    def to_json(self) -> dict:
        return asdict(self) | {"in_force": self.in_force, "inside_stated_month": self.inside_stated_month}


def _month_after(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    return date(year + mon // 12, mon % 12 + 1, 1).isoformat()


def in_force(dates: InstrumentDates, as_of: date) -> InForce:
    """The state of an instrument on a day. A month-only start counts from the first
    day of the next month (the month itself is not certain); an adoption date stands
    in for an unknown entry into force (unless a consolidated text already shows it in
    force on or before the day, which settles it), and failing that the day a consolidated text
    shows it in force (it may have applied earlier: before that day it is unknown, not
    "not yet"); a repeal date ends it on that day."""
    day = as_of.isoformat()
    if dates.effective:
        since, basis, precision, stated = dates.effective, ENTRY_INTO_FORCE, "day", dates.effective
    elif dates.month:
        since, basis, precision, stated = _month_after(dates.month), MONTH_ONLY, "month", dates.month
    elif dates.adopted and not (dates.attested and dates.attested <= day):
        since, basis, precision, stated = dates.adopted, ADOPTION, "day", dates.adopted
    elif dates.adopted:
        # a consolidated text showed it in force on or before this day: that settles
        # the day, and the adoption date is only the earliest it may have applied from
        since, basis, precision, stated = dates.adopted, ATTESTED, "day", dates.attested
    elif dates.attested:
        since, basis, precision, stated = dates.attested, ATTESTED, "day", dates.attested
    else:
        since = basis = precision = stated = ""
    if dates.proposed:
        state = PROPOSED
    elif dates.repealed and dates.repealed <= day:
        state = ENDED
    elif not since:
        state = UNKNOWN
    elif since <= day:
        state = IN_FORCE
    elif basis == ATTESTED:
        state = UNKNOWN
    else:
        state = NOT_YET
    return InForce(state, day, since, basis, precision, stated, dates.repealed)


_DATE_COLUMNS = ("effective", "month", "adopted", "repealed", "proposed", "attested")


def in_force_of_row(row: Mapping, as_of: date) -> InForce:
    """``in_force`` for a query row with the columns of ``InstrumentDates.from_row``.
    The rows of one instrument repeat its dates, so each distinct set of dates is
    weighed once per day (the rule is the same: this only remembers its answers)."""
    return _in_force_of(tuple(map(row.get, _DATE_COLUMNS)), as_of)


@functools.lru_cache(maxsize=16384)
def _in_force_of(values: tuple, as_of: date) -> InForce:
    row = {k: v for k, v in zip(_DATE_COLUMNS, values, strict=True) if v is not None}
    return in_force(InstrumentDates.from_row(row), as_of)
