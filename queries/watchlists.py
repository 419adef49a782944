"""Saved watchlists: a named set of jurisdictions, technologies, entries and
arrangements with its own feed. They are a user's, not the graph's, so they live in a
JSON file beside the store (``QHARMONY_WATCHLISTS``), never in the shared graph."""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import asdict
from pathlib import Path

from .feeds import Topic


class WatchlistError(ValueError):
    """A watchlist that is unknown, empty or unreadable (a user error)."""


def load_watchlists(path: Path) -> dict[str, Topic]:
    """Watchlist id -> topic; none when the file does not exist yet."""
    path = Path(path)
    if not path.exists():
        return {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return {key: Topic(**value) for key, value in raw.items()}
    except (OSError, ValueError, TypeError) as exc:
        raise WatchlistError(f"cannot read the watchlists in {path}: {exc}") from None


def save_watchlist(path: Path, topic: Topic) -> str:
    """Store a watchlist and return its id (the last part of its feed URL)."""
    if topic.everything:
        raise WatchlistError("a watchlist needs at least one jurisdiction, technology, entry or arrangement")
    path = Path(path)
    lists = load_watchlists(path)
    key = uuid.uuid4().hex[:12]
    lists[key] = topic
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps({k: asdict(v) for k, v in lists.items()}, indent=1), encoding="utf-8")
    os.replace(tmp, path)
    return key


def get_watchlist(path: Path, key: str) -> Topic:
    lists = load_watchlists(path)
    if key not in lists:
        raise WatchlistError(f"no watchlist '{key}'; saved: {', '.join(sorted(lists)) or 'none'}")
    return lists[key]
