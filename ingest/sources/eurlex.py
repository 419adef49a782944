"""EUR-Lex: an act by CELEX number as XHTML
(``/legal-content/EN/TXT/HTML/?uri=CELEX:{celex}``); the publisher's date is its
Last-Modified."""

from __future__ import annotations

from .config import Source
from .fetcher import Fetched, Fetcher, check_html, header_date

DEFAULT_URL = "https://eur-lex.europa.eu"


def fetch(source: Source, fetcher: Fetcher, base: str, as_of: str, history: bool) -> list[Fetched]:
    """The act's English text."""
    celex = source.fields["celex"]
    url = f"{base}/legal-content/EN/TXT/HTML/?uri=CELEX:{celex}"
    text, fresh, answer = fetcher.get(url)
    check_html(url, text)
    return [Fetched(source, url, text, fresh, header_date(answer, ""), ".html", f"CELEX {celex}")]
