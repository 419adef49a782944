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
_ENGLISH = frozenset(_MONTHS)
_MONTHS.update({k[:3]: v for k, v in list(_MONTHS.items())})
_MONTHS["sept"] = 9
#: the months of the other languages export-control texts cite in (French arrêtés and the
#: Journal officiel, Spanish órdenes and the BOE, German and Italian decrees): "le 1er janvier
#: 2025", "26 de mayo de 2023", "1. Januar 2025", "1° luglio 2024"
_OTHER_MONTHS = (
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "januar februar märz april mai juni juli august september oktober november dezember",
    "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
)
for _names in _OTHER_MONTHS:
    for _i, _name in enumerate(_names.split(), start=1):
        _MONTHS.setdefault(_name, _i)
        _MONTHS.setdefault(_name.translate(str.maketrans("éûäè", "euae")), _i)  # "fevrier", "aout", "marz"
_MONTHS["setiembre"] = 9

_YEAR = re.compile(r"\d{4}")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
#: "6 September 2024", "12th March 2024", "1st day of May 2024"
_DMY = re.compile(
    r"\b(\d{1,2})(?P<suffix>st|nd|rd|th|er|º|°|\.)?(?:\s+day\s+of)?\s+(?:de\s+)?([^\W\d_]{3,10})\.?,?\s+"
    r"(?:de\s+)?(\d{4})\b"
)
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
        month = m.group(3).lower()
        if m.group("suffix") == "." and month in _ENGLISH:
            continue  # "section 5. January 2025": the German "1. Januar" only
        d = _make(m.group(4), _MONTHS.get(month), m.group(1))
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
