"""Atom feeds (RFC 4287) of what changes: one feed entry per change the graph learned
between two kept versions (an entity's statements added or removed), and one per
entry that came into force or stopped being in force by the calendar.

A feed is about a ``Topic``: jurisdictions, technologies, entries and arrangements,
or everything when it names none. A saved watchlist is a topic with a name.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from xml.etree import ElementTree as ET

from qharmony.ontology.namespaces import ID, entity

from .analysis.changes import changes
from .diff import EntityChange, VersionDiff, diff_versions
from .exports import DISCLAIMER
from .nquads import literal_value
from .store import Store
from .versions import VersionInfo, list_versions, read_version

ATOM = "http://www.w3.org/2005/Atom"
MEDIA = "application/atom+xml"
#: the calendar reaches back this far: every entry in force came into force after it
_EPOCH = date(1990, 1, 1)


@dataclass
class Topic:
    """What a feed follows; empty lists everywhere mean everything."""

    name: str = "everything"
    jurisdictions: list[str] = field(default_factory=list)
    technologies: list[str] = field(default_factory=list)  # technology class IRIs
    entries: list[str] = field(default_factory=list)  # entry IRIs
    arrangements: list[str] = field(default_factory=list)  # arrangement IRIs

    @property
    def everything(self) -> bool:
        return not (self.jurisdictions or self.technologies or self.entries or self.arrangements)

    def to_json(self) -> dict:
        return asdict(self)

    def _in_jurisdiction(self, iri: str) -> bool:
        if not iri.startswith(ID):
            return False
        parts = iri[len(ID) :].split("/")
        return any(iri == entity("jurisdiction", j) or (len(parts) > 2 and parts[1] == j) for j in self.jurisdictions)

    def matches_change(self, change: EntityChange) -> bool:
        """Whether a change between versions is about this topic."""
        if self.everything:
            return True
        named = change.mentions
        return (
            any(self._in_jurisdiction(i) for i in named)
            or bool(named & set(self.technologies))
            or bool(named & set(self.entries))
            or bool(named & set(self.arrangements))
        )

    def matches_entry(self, jurisdiction: str, technology: str, entry: str) -> bool:
        """Whether an entry coming into (or out of) force is about this topic."""
        if self.everything:
            return True
        return jurisdiction in self.jurisdictions or technology in self.technologies or entry in self.entries


@dataclass
class FeedEntry:
    id: str
    title: str
    updated: str  # RFC 3339
    summary: str
    content: str
    link: str
    category: str


@dataclass
class Feed:
    id: str
    title: str
    subtitle: str
    updated: str
    self_link: str
    alternate: str
    entries: list[FeedEntry]

    def to_json(self) -> dict:
        return asdict(self)


def _stamp(value: str) -> str:
    """An RFC 3339 date-time from an ISO date or date-time (UTC when it has no zone)."""
    if len(value) == 10:
        return value + "T00:00:00Z"
    return datetime.fromisoformat(value).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@lru_cache(maxsize=32)
def _cached_diff(folder: str, old: str, new: str) -> VersionDiff:
    kept = {v.hash: v for v in list_versions(Path(folder)).versions}
    a, b = kept[old], kept[new]
    return diff_versions(a, read_version(Path(folder), a), b, read_version(Path(folder), b))


def version_pairs(folder: Path) -> list[tuple[VersionInfo, VersionInfo]]:
    """Each kept version with the one before it, newest first."""
    kept = list_versions(folder).versions
    return list(zip(kept[1:], kept, strict=False))


def _placeless(change: EntityChange) -> bool:
    """A change that names no jurisdiction at all (a new authority, a technology label)."""
    return not any(i.startswith(ID) and len(i[len(ID) :].split("/")) > 2 for i in change.mentions) and not any(
        i.startswith(ID + "jurisdiction/") for i in change.mentions
    )


def topic_changes(d: VersionDiff, topic: Topic) -> list[EntityChange]:
    """The changes of a diff about a topic; a change that names no jurisdiction comes
    with the documents whose other changes are about the topic (the new authority of a
    Japanese list is news to whoever watches Japan)."""
    chosen = [e for e in d.entities if topic.matches_change(e)]
    relevant = {doc for e in chosen for doc in e.documents}
    ids = {id(e) for e in chosen}
    extra = [e for e in d.entities if id(e) not in ids and _placeless(e) and set(e.documents) <= relevant]
    return [e for e in d.entities if id(e) in ids or e in extra]


def _change_entry(d: VersionDiff, e: EntityChange, base: str) -> FeedEntry:
    key = hashlib.sha256(f"{d.old.hash}|{d.new.hash}|{e.entity}".encode()).hexdigest()[:16]
    lines = [f"{e.summary}: {e.label}", f"Entity: {e.entity}", f"Source documents: {', '.join(e.documents)}"]
    for s in e.statements:
        sign = "+" if s.change == "added" else "-"
        lines.append(f"{sign} {literal_value(s.subject)} {literal_value(s.predicate)} {literal_value(s.object)}")
    lines.append(f"Graph versions {d.old.short} -> {d.new.short}.")
    return FeedEntry(
        entity("change", d.new.short, key),
        f"{e.summary}: {e.label}",
        _stamp(d.new.built),
        f"{e.summary} ({len(e.statements)} statements; source: {', '.join(e.documents)})",
        "\n".join(lines),
        f"{base}/versions/{d.old.short}...{d.new.short}",
        "graph change",
    )


def _calendar_entries(store: Store, topic: Topic, today: date, base: str, technologies: dict[str, str]) -> list:
    by_label = {label: iri for iri, label in technologies.items()}
    out, seen = [], set()
    for c in changes(store, _EPOCH, today).changes:
        e = c.entry
        if not topic.matches_entry(c.jurisdiction, by_label.get(c.technology, c.technology), e["entry"]):
            continue
        when = e.get("applies_from") or ""
        key = hashlib.sha256(f"{c.change}|{c.jurisdiction}|{e['entry']}|{c.technology}|{when}".encode()).hexdigest()[
            :16
        ]
        if key in seen:
            continue
        seen.add(key)
        name = e["code"] or e["label"]
        out.append(
            FeedEntry(
                entity("calendar", key),
                f"{c.jurisdiction} {name} {c.change} ({c.technology})",
                _stamp(when) if when else _stamp(today.isoformat()),
                f"{name} ({e['instrument_label']}) {c.change} on {e.get('stated') or when} ({e['basis']}).",
                f"{name}: {e['label']}\nInstrument: {e['instrument_label']}\n{c.change}: {when} ({e['basis']})",
                f"{base}/id/{e['entry'][len(ID) :]}" if e["entry"].startswith(ID) else e["entry"],
                "in force" if c.change == "came into force" else "no longer in force",
            )
        )
    return out


def build_feed(
    store: Store,
    folder: Path,
    topic: Topic,
    *,
    path: str,
    base: str = "",
    today: date | None = None,
    technologies: dict[str, str] | None = None,
) -> Feed:
    """The feed of a topic: changes between kept versions, then the calendar."""
    today = today or date.today()
    entries = []
    for old, new in version_pairs(folder):
        d = _cached_diff(str(folder), old.hash, new.hash)
        entries.extend(_change_entry(d, e, base) for e in topic_changes(d, topic))
    entries.extend(_calendar_entries(store, topic, today, base, technologies or {}))
    entries.sort(key=lambda e: (e.updated, e.id), reverse=True)
    newest = list_versions(folder).versions
    updated = max([e.updated for e in entries] + ([_stamp(newest[0].built)] if newest else []), default="")
    return Feed(
        entity("feed", *path.strip("/").split("/")),
        f"qharmony: {topic.name}",
        f"Changes in the graph and entries coming into or out of force. {DISCLAIMER}",
        updated or _stamp(today.isoformat()),
        base + path,
        base + "/versions",
        entries,
    )


def to_atom(feed: Feed) -> bytes:
    """The feed as Atom XML."""
    ET.register_namespace("", ATOM)

    def sub(parent, tag: str, text: str | None = None, **attrs) -> ET.Element:
        el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            el.text = text
        return el

    root = ET.Element(f"{{{ATOM}}}feed")
    sub(root, "id", feed.id)
    sub(root, "title", feed.title)
    sub(root, "subtitle", feed.subtitle)
    sub(root, "updated", feed.updated)
    sub(root, "link", rel="self", type=MEDIA, href=feed.self_link)
    sub(root, "link", rel="alternate", type="text/html", href=feed.alternate)
    author = sub(root, "author")
    sub(author, "name", "qharmony")
    sub(root, "generator", "qharmony")
    for e in feed.entries:
        node = sub(root, "entry")
        sub(node, "id", e.id)
        sub(node, "title", e.title)
        sub(node, "updated", e.updated)
        sub(node, "link", rel="alternate", type="text/html", href=e.link)
        sub(node, "category", term=e.category)
        sub(node, "summary", e.summary, type="text")
        sub(node, "content", e.content, type="text")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
