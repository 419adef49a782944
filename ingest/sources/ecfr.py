"""The eCFR versioner: the dates on which a part changed
(``/api/versioner/v1/versions/title-{title}.json``) and the part as XML on a date
(``/api/versioner/v1/full/{date}/title-{title}.xml?part={part}``, optionally
``&section=``). The date in the URL is the change date in force on the day asked,
so the same text keeps the same URL, and ETags can tell us it has not changed."""

from __future__ import annotations

from .config import Source
from .errors import SourceError
from .fetcher import Fetched, Fetcher, check_xml, load_json

DEFAULT_URL = "https://www.ecfr.gov"


def change_dates(versions: dict, source: Source) -> list[str]:
    """The dates on which the source's part (or section) changed, oldest first."""
    part, section = source.fields["part"], source.fields.get("section")
    dates = set()
    for v in versions.get("content_versions", []):
        if not isinstance(v, dict) or str(v.get("part", "")) != part or not v.get("date"):
            continue
        if section and str(v.get("identifier", "")) != section:
            continue
        dates.add(str(v["date"]))
    return sorted(dates)


def fetch(source: Source, fetcher: Fetcher, base: str, as_of: str, history: bool) -> list[Fetched]:
    """The text in force on ``as_of``; with ``history``, every version up to then."""
    title, part = source.fields["title"], source.fields["part"]
    versions_url = f"{base}/api/versioner/v1/versions/title-{title}.json"
    body, _, _ = fetcher.get(versions_url)
    dates = [d for d in change_dates(load_json(versions_url, body), source) if d <= as_of]
    if not dates:
        raise SourceError(f"{versions_url}: no version of {title} CFR part {part} on or before {as_of}")
    citation = f"{title} CFR " + (source.fields["section"] if "section" in source.fields else f"part {part}")
    out = []
    for date in dates if history else dates[-1:]:
        url = f"{base}/api/versioner/v1/full/{date}/title-{title}.xml?part={part}"
        if "section" in source.fields:
            url += f"&section={source.fields['section']}"
        text, fresh, _ = fetcher.get(url)
        check_xml(url, text)
        out.append(Fetched(source, url, text, fresh, date, ".xml", citation))
    return out
