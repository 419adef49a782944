"""The cache on disk beside the store: every text fetched, kept by name (one file per
version, never overwritten), and an index of what each URL last answered (its
validators, for conditional requests) and of each source's versions (URL,
retrieval time, publisher's date, SHA-256).

The index is written only when a sync has finished, so a sync that fails leaves it
as it was and the next one asks again."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .errors import SourceError


@dataclass
class Cache:
    """The cache folder and its index, loaded."""

    folder: Path
    urls: dict[str, dict[str, str]] = field(default_factory=dict)
    versions: dict[str, list[dict[str, str]]] = field(default_factory=dict)

    @property
    def index_path(self) -> Path:
        return self.folder / "index.json"

    @classmethod
    def open(cls, folder: Path) -> Cache:
        cache = cls(folder)
        if cache.index_path.exists():
            try:
                data = json.loads(cache.index_path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise SourceError(f"{cache.index_path}: cannot read the cache index ({exc})") from None
            cache.urls = data.get("urls", {})
            cache.versions = data.get("versions", {})
        return cache

    def body_path(self, name: str) -> Path:
        return self.folder / "bodies" / name

    def cached_body(self, url: str) -> bytes | None:
        """The body last fetched from ``url``, when it is on disk."""
        entry = self.urls.get(url)
        if not entry:
            return None
        path = self.body_path(entry["file"])
        return path.read_bytes() if path.exists() else None

    def remember(self, url: str, file: str, body: bytes, headers: dict[str, str]) -> None:
        """Keep a fresh body and its validators (in memory until ``save``)."""
        path = self.body_path(file)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
        entry = {"file": file}
        for key in ("etag", "last-modified"):
            if headers.get(key):
                entry[key] = headers[key]
        self.urls[url] = entry

    def text_path(self, document: str, suffix: str) -> Path:
        """Where one version's text lives: named by its document, so the reader
        names the document after the version."""
        return self.folder / "texts" / (document + suffix)

    def save(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.index_path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"urls": self.urls, "versions": self.versions}, indent=1, sort_keys=True), "utf-8")
        tmp.replace(self.index_path)
