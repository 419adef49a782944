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

_YEAR = re.compile(r"\d{4}")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
#: "6 September 2024", "12th March 2024", "1st day of May 2024"
_DMY = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?(?:\s+day\s+of)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b")
#: "September 6, 2024", "March 12th, 2024"
_MDY = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,\s*(\d{4})\b")
#: "14.11.2025", as the Official Journal dates its issues
_NUMERIC = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d.]\d)")


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
    if not _YEAR.search(text):
        return found  # every spelling below has a four-digit year; most blocks have none
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
    for m in _NUMERIC.finditer(text):
        month = int(m.group(2))
        d = _make(m.group(3), month if 1 <= month <= 12 else None, m.group(1))
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
