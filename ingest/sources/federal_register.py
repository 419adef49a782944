"""The Federal Register API: a document's metadata by number
(``/api/v1/documents/{number}.json``), whose ``full_text_xml_url`` is the text."""

from __future__ import annotations

from .config import Source
from .errors import SourceError
from .fetcher import Fetched, Fetcher, check_xml, load_json

DEFAULT_URL = "https://www.federalregister.gov"


def fetch(source: Source, fetcher: Fetcher, base: str, as_of: str, history: bool) -> list[Fetched]:
    """The document's full-text XML (a Federal Register document has one text)."""
    number = source.fields["document"]
    meta_url = f"{base}/api/v1/documents/{number}.json"
    body, _, _ = fetcher.get(meta_url)
    meta = load_json(meta_url, body)
    xml_url = meta.get("full_text_xml_url")
    if not isinstance(xml_url, str) or not xml_url.startswith(("http://", "https://")):
        raise SourceError(f"{meta_url}: the document has no full_text_xml_url")
    text, fresh, _ = fetcher.get(xml_url)
    check_xml(xml_url, text)
    citation = str(meta.get("citation") or f"FR Doc. {number}")
    return [Fetched(source, xml_url, text, fresh, str(meta.get("publication_date") or ""), ".xml", citation)]
