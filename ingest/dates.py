"""Dates as legal texts write them, read into ISO form."""

from __future__ import annotations

import re
from datetime import date

_MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
_MONTHS.update({k[:3]: v for k, v in list(_MONTHS.items())})
_MONTHS["sept"] = 9

_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DMY = re.compile(r"\b(\d{1,2})\s+([A-Za-z]{3,9})\.?\s+(\d{4})\b")
_MDY = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2}),\s*(\d{4})\b")


def _make(year: str, month: int | None, day: str) -> date | None:
    if month is None:
        return None
    try:
        return date(int(year), month, int(day))
    except ValueError:
        return None


def find_dates(text: str) -> list[tuple[date, int, int]]:
    """Every date in the text with its span, in order."""
    found: list[tuple[date, int, int]] = []
    for m in _ISO.finditer(text):
        d = _make(m.group(1), int(m.group(2)), m.group(3))
        if d:
            found.append((d, m.start(), m.end()))
    for m in _DMY.finditer(text):
        d = _make(m.group(3), _MONTHS.get(m.group(2).lower()), m.group(1))
        if d:
            found.append((d, m.start(), m.end()))
    for m in _MDY.finditer(text):
        d = _make(m.group(3), _MONTHS.get(m.group(1).lower()), m.group(2))
        if d:
            found.append((d, m.start(), m.end()))
    return sorted(found, key=lambda f: f[1])


_MONTH_YEAR = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{4})\b")


def find_month(text: str) -> tuple[str, int, int] | None:
    """A month given without a day ("September 2024") as ``2024-09``, with its span.

    Legal summaries often know only the month an act took effect; keeping the month,
    rather than inventing a day, lets as-of answers say "not before October 2024".
    """
    for m in _MONTH_YEAR.finditer(text):
        month = _MONTHS.get(m.group(1).lower())
        if month:
            return f"{m.group(2)}-{month:02d}", m.start(), m.end()
    return None
