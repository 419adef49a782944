"""legislation.gov.uk: a UK statutory instrument's XML (``/uksi/{year}/{number}/data.xml``,
Crown Legislation Markup Language); the publisher's date is its Last-Modified."""

from __future__ import annotations

from .config import Source
from .fetcher import Fetched, Fetcher, check_xml, header_date

DEFAULT_URL = "https://www.legislation.gov.uk"


def fetch(source: Source, fetcher: Fetcher, base: str, as_of: str, history: bool) -> list[Fetched]:
    """The instrument's current XML."""
    year, number = source.fields["year"], source.fields["number"]
    url = f"{base}/uksi/{year}/{number}/data.xml"
    text, fresh, answer = fetcher.get(url)
    check_xml(url, text)
    return [Fetched(source, url, text, fresh, header_date(answer, ""), ".xml", f"SI {year}/{number}")]
