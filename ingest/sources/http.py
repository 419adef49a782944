"""A polite HTTP client for the publishers: conditional requests (ETag /
If-None-Match, Last-Modified / If-Modified-Since), a pause between requests to the
same host, bounded retries with backoff on 429 and 503 (honouring Retry-After), and
a body that is checked against its Content-Length, so a cut answer is never cached.
"""

from __future__ import annotations

import http.client
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

from .errors import SourceError

USER_AGENT = "qharmony-sources/0.1 (+https://w3id.org/qharmony/)"


@dataclass
class Response:
    """What a publisher answered: 200 with a body, or 304 (not modified)."""

    url: str
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")


@dataclass
class PoliteClient:
    """One client per sync: ``interval`` seconds between requests to a host,
    ``retries`` more attempts on 429/503 with a doubling wait from ``backoff`` seconds
    (or what Retry-After says, capped at ``max_wait``)."""

    interval: float = 1.0
    retries: int = 3
    backoff: float = 1.0
    max_wait: float = 60.0
    timeout: float = 30.0
    sleep: Callable[[float], None] = time.sleep
    _last: dict[str, float] = field(default_factory=dict)
    #: how many answers of each status this client received, for the sync summary
    statuses: dict[int, int] = field(default_factory=dict)

    def _pause(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None:
            wait = self.interval - (time.monotonic() - last)
            if wait > 0:
                self.sleep(wait)
        self._last[host] = time.monotonic()

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Response:
        """GET ``url``, conditionally when a validator is known; a clear
        ``SourceError`` naming the URL for anything but 200 or 304."""
        headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        host = urllib.parse.urlsplit(url).netloc
        for attempt in range(self.retries + 1):
            self._pause(host)
            try:
                with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=self.timeout) as r:
                    body = r.read()
                    answer = Response(url, r.status, body, {k.lower(): v for k, v in r.headers.items()})
            except urllib.error.HTTPError as exc:
                self.statuses[exc.code] = self.statuses.get(exc.code, 0) + 1
                if exc.code == 304:
                    return Response(url, 304, b"", {k.lower(): v for k, v in exc.headers.items()})
                if exc.code in (429, 503) and attempt < self.retries:
                    self.sleep(self._wait(exc.headers.get("Retry-After"), attempt))
                    continue
                raise SourceError(f"{url}: the publisher answered {exc.code} {exc.reason}") from None
            except http.client.IncompleteRead as exc:
                got = len(exc.partial)
                whole = got + (exc.expected or 0)
                raise SourceError(f"{url}: the answer was cut short ({got} bytes of {whole})") from None
            except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
                reason = getattr(exc, "reason", exc)
                raise SourceError(f"{url}: the publisher is unreachable ({reason})") from None
            self.statuses[answer.status] = self.statuses.get(answer.status, 0) + 1
            declared = answer.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) != len(answer.body):
                raise SourceError(f"{url}: the answer was cut short ({len(answer.body)} bytes of {declared})")
            return answer
        raise SourceError(f"{url}: the publisher kept answering 'busy' after {self.retries} retries")

    def _wait(self, retry_after: str | None, attempt: int) -> float:
        if retry_after and retry_after.strip().isdigit():
            return min(float(retry_after), self.max_wait)
        return min(self.backoff * 2**attempt, self.max_wait)
