"""Fetching through the cache: a conditional GET that answers the body (fresh, or the
cached one on 304), and the checks that keep garbage out of the cache's texts: XML
that does not parse, JSON that does not load, HTML that is not HTML."""

from __future__ import annotations

import email.utils
import hashlib
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from .cache import Cache
from .config import Source
from .errors import SourceError
from .http import PoliteClient, Response


@dataclass
class Fetched:
    """One text a connector found for a source: ``fresh`` when the publisher sent it
    now (200), not when it answered 304 and the cache supplied it."""

    source: Source
    url: str
    body: bytes
    fresh: bool
    publisher_date: str
    suffix: str
    citation: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()


class Fetcher:
    """The client and the cache, together: what connectors call."""

    def __init__(self, client: PoliteClient, cache: Cache) -> None:
        self.client = client
        self.cache = cache

    def get(self, url: str) -> tuple[bytes, bool, Response]:
        """The body of ``url``: asked conditionally when the cache holds it."""
        cached = self.cache.cached_body(url)
        entry = self.cache.urls.get(url, {}) if cached is not None else {}
        answer = self.client.get(url, etag=entry.get("etag"), last_modified=entry.get("last-modified"))
        if answer.status == 304:
            if cached is None:
                raise SourceError(f"{url}: the publisher answered 'not modified' to a request that had no validator")
            return cached, False, answer
        if answer.status != 200:
            raise SourceError(f"{url}: the publisher answered {answer.status}")
        if not answer.body.strip():
            raise SourceError(f"{url}: the publisher answered with an empty body")
        key = hashlib.sha256(url.encode()).hexdigest()[:16] + "-" + hashlib.sha256(answer.body).hexdigest()[:16]
        self.cache.remember(url, key, answer.body, answer.headers)
        return answer.body, True, answer


def check_xml(url: str, body: bytes) -> None:
    """A clear error unless ``body`` is well-formed XML."""
    try:
        ET.fromstring(body)
    except ET.ParseError as exc:
        line, column = exc.position
        start = body[:40].decode("utf-8", "replace")
        raise SourceError(f"{url}: the answer is not XML (line {line}, column {column}; it starts {start!r})") from None


def check_html(url: str, body: bytes) -> None:
    """A clear error unless ``body`` looks like an HTML or XHTML page."""
    head = body[:4096].lower()
    if b"<html" not in head and b"<body" not in head:
        start = body[:40].decode("utf-8", "replace")
        raise SourceError(f"{url}: the answer is not an HTML page (it starts {start!r})")


def load_json(url: str, body: bytes) -> dict:
    """The JSON object of ``body``, or a clear error."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        start = body[:40].decode("utf-8", "replace")
        raise SourceError(f"{url}: the answer is not JSON (it starts {start!r})") from None
    if not isinstance(data, dict):
        raise SourceError(f"{url}: the answer is JSON but not an object")
    return data


def header_date(answer: Response, fallback: str) -> str:
    """The publisher's date from Last-Modified (YYYY-MM-DD), else ``fallback`` (we never
    put our own date in its place: without one, the version has no publisher's date)."""
    raw = answer.last_modified
    if raw:
        try:
            return email.utils.parsedate_to_datetime(raw).date().isoformat()
        except (TypeError, ValueError):
            pass
    return fallback
