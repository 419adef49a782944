"""legislation.gov.uk: a UK statutory instrument's XML (``/uksi/{year}/{number}/data.xml``,
Crown Legislation Markup Language); the publisher's date is its Last-Modified.

A source may name a version: ``made`` (the instrument as made,
``/uksi/{year}/{number}/made/data.xml``) or a date (the revised text in force that
day, ``/uksi/{year}/{number}/{date}/data.xml``); without one, the latest text."""

from __future__ import annotations

from .config import Source
from .fetcher import Fetched, Fetcher, check_xml, header_date

DEFAULT_URL = "https://www.legislation.gov.uk"


def fetch(source: Source, fetcher: Fetcher, base: str, as_of: str, history: bool) -> list[Fetched]:
    """The instrument's current XML."""
    year, number = source.fields["year"], source.fields["number"]
    version = source.fields.get("version")
    url = f"{base}/uksi/{year}/{number}/" + (f"{version}/" if version else "") + "data.xml"
    text, fresh, answer = fetcher.get(url)
    check_xml(url, text)
    return [Fetched(source, url, text, fresh, header_date(answer, ""), ".xml", f"SI {year}/{number}")]
