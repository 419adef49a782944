"""Graph versions kept beside the store: after each build, the whole dataset as gzip
N-Quads with a line of metadata, so two builds can be compared long after the store
swapped one for the other. Only the last ``keep`` versions are kept.

An addition (``qharmony add``) keeps its version as a difference instead: the
statements it removed and added, on the version before it (``base``), so keeping it
costs what changed, never the store's size. Reading such a version reads its base
and applies the difference. When the base falls out of the last ``keep``, the two
differences are joined into one on the base's own base (small: what the additions
changed), and a whole dump still needed as a base stays in ``bases.json``.

The folder holds ``index.json`` (newest last), ``bases.json``, one ``<hash>.nq.gz``
per whole version and one ``<hash>.delta.gz`` per difference (``+ `` and ``- ``
before each N-Quads line; a difference joined onto an older base is written under a
name of its own, ``<hash>.<base>.delta.gz``); each is written to a temporary name and
moved into place, the lists are written after the files they name and before any file
no listed version uses is deleted, so a killed build never leaves a listed version
unreadable, and a reader whose version was joined meanwhile re-reads the index.
"""

from __future__ import annotations

import gzip
import json
import os
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from qharmony.ontology.namespaces import GRAPH, INFERRED_GRAPH

from .nquads import parse_line
from .store import Store

INDEX = "index.json"
#: versions no longer listed that a listed one is a difference from
BASES = "bases.json"
DEFAULT_KEEP = 5


class VersionError(ValueError):
    """An unknown or ambiguous version reference (a user error)."""


@dataclass
class VersionInfo:
    """One kept build: its content hash (the graph version answers cite), when it was
    built, the documents it was built from and its statement counts."""

    hash: str
    built: str
    documents: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    conforms: bool | None = None
    pipeline: str = ""
    base: str = ""  # the version this one is a difference from ("": a whole dump)
    #: a joined difference's own file name (never the file it replaces, which a reader may be reading)
    name: str = ""
    #: the store's ``version_stamp`` when this version was recorded of it: a difference
    #: is kept from it only if the store was not written since ("": not known)
    store: str = ""

    @property
    def short(self) -> str:
        return self.hash[:16]

    @property
    def file(self) -> str:
        if self.name:
            return self.name
        return f"{self.hash}.delta.gz" if self.base else f"{self.hash}.nq.gz"

    def to_json(self) -> dict:
        return asdict(self) | {"short": self.short}


@dataclass
class VersionList:
    """The kept versions, newest first, and where they are kept."""

    folder: str
    versions: list[VersionInfo]

    def to_json(self) -> dict:
        return {"folder": self.folder, "versions": [v.to_json() for v in self.versions]}

    def to_csv(self) -> str:
        lines = ["version,built,documents,statements,data,inferred,conforms"]
        for v in self.versions:
            c = v.counts
            lines.append(
                f"{v.short},{v.built},{len(v.documents)},{c.get('statements', 0)},"
                f"{c.get('data', 0)},{c.get('inferred', 0)},{v.conforms}"
            )
        return "\n".join(lines) + "\n"


def _doc_name(graph: str) -> str:
    return graph[len(GRAPH + "doc/") :] if graph.startswith(GRAPH + "doc/") else ""


def count_quads(lines: list[str]) -> tuple[dict[str, int], list[str]]:
    """Statement counts of a dump (all, in document graphs, inferred) and its documents."""
    docs: set[str] = set()
    data = inferred = 0
    for line in lines:
        quad = parse_line(line)
        graph = quad.graph if quad else ""
        if graph == INFERRED_GRAPH:
            inferred += 1
        elif name := _doc_name(graph):
            data += 1
            docs.add(name)
    return {"statements": len(lines), "data": data, "inferred": inferred, "documents": len(docs)}, sorted(docs)


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _read_list(path: Path) -> list[VersionInfo]:
    if not path.exists():
        return []
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise VersionError(f"cannot read the version index {path}: {exc}") from None
    return [VersionInfo(**item) for item in raw]


def _write_list(path: Path, versions: list[VersionInfo]) -> None:
    _atomic_write(path, json.dumps([asdict(v) for v in versions], indent=1).encode("utf-8"))


def list_versions(folder: Path) -> VersionList:
    """The kept versions, newest first (none when the folder does not exist yet)."""
    return VersionList(str(folder), list(reversed(_read_list(Path(folder) / INDEX))))


def record_version(
    store: Store,
    folder: Path,
    *,
    content_hash: str,
    keep: int = DEFAULT_KEEP,
    conforms: bool | None = None,
    pipeline: str = "",
    built: datetime | None = None,
) -> VersionInfo:
    """Keep the store's current dataset as a version; drop the oldest beyond ``keep``.
    A build whose content hash equals the newest version's adds nothing."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    kept = list(reversed(list_versions(folder).versions))  # oldest first
    if kept and kept[-1].hash == content_hash:
        return kept[-1]
    nquads = store.dump("nq")
    lines = nquads.decode("utf-8").splitlines()
    counts, docs = count_quads(lines)
    stamp = (built or datetime.now(UTC)).replace(microsecond=0).isoformat()
    info = VersionInfo(content_hash, stamp, docs, counts, conforms, pipeline, store=getattr(store, "version_stamp", ""))
    _atomic_write(folder / info.file, gzip.compress(nquads, mtime=0))
    _keep(folder, kept, info, keep)
    return info


def _keep(folder: Path, kept: list[VersionInfo], info: VersionInfo, keep: int) -> None:
    """List ``info`` as the newest version; drop the oldest beyond ``keep``. A kept
    difference whose base is dropped is joined to the base's own difference (in a file
    of its own); a whole dump is kept as a base (``bases.json``) while a listed
    difference needs it. The new files are written first, then the lists (bases
    first, as the union of the old and new, so a crash between leaves every listed
    version readable), and only then is a file no listed version uses deleted."""
    old_bases = {v.hash: v for v in _read_list(folder / BASES)}
    known_files = {v.file for v in kept} | {b.file for b in old_bases.values()}
    items = [v for v in kept if v.hash != info.hash] + [info]  # a difference's dependants read ``info`` by its hash
    drop = max(0, len(items) - max(1, keep))
    bases = dict(old_bases)
    if not info.base:
        bases.pop(info.hash, None)  # the listed version owns the dump now
    for i in range(drop):  # oldest first: a version's dependants come after it
        old = items[i]
        for j in range(i + 1, len(items)):
            if old.base and items[j].base == old.hash:
                known_files.add(items[j].file)
                items[j] = _joined(folder, old, items[j])
        if not old.base:
            bases[old.hash] = old
    kept = items[drop:]
    listed = {v.hash for v in kept}
    needed = {v.base for v in kept}
    bases = {h: b for h, b in bases.items() if h in needed and h not in listed}
    _write_list(folder / BASES, list(({**old_bases, **bases}).values()))
    _write_list(folder / INDEX, kept)
    _write_list(folder / BASES, list(bases.values()))
    used = {v.file for v in kept} | {b.file for b in bases.values()}
    for name in known_files - used:
        (folder / name).unlink(missing_ok=True)


def _read_delta(folder: Path, info: VersionInfo) -> tuple[set[str], list[str]]:
    """A difference's removed lines and added lines."""
    path = folder / info.file
    try:
        lines = gzip.decompress(path.read_bytes()).decode("utf-8").splitlines()
    except OSError as exc:
        raise VersionError(f"version {info.short}: cannot read {path}: {exc}") from None
    return {line[2:] for line in lines if line[:2] == "- "}, [line[2:] for line in lines if line[:2] == "+ "]


def _write_delta(folder: Path, info: VersionInfo, gone, fresh) -> None:
    text = "".join(f"- {line}\n" for line in sorted(gone)) + "".join(f"+ {line}\n" for line in fresh)
    _atomic_write(folder / info.file, gzip.compress(text.encode("utf-8"), compresslevel=1, mtime=0))


def _joined(folder: Path, first: VersionInfo, second: VersionInfo) -> VersionInfo:
    """``second`` (a difference from ``first``) as one difference from ``first``'s base."""
    gone1, fresh1 = _read_delta(folder, first)
    gone2, fresh2 = _read_delta(folder, second)
    # a line the first removed and the second added again stays removed from the base
    # and is added once: the base part and the added part never repeat a line
    fresh = list(dict.fromkeys([line for line in fresh1 if line not in gone2] + fresh2))
    gone = gone1 | gone2
    name = f"{second.hash}.{first.base[:16]}.delta.gz"
    joined = VersionInfo(**{**asdict(second), "base": first.base, "name": name})
    _write_delta(folder, joined, gone, fresh)
    return joined


def record_difference(
    store: Store,
    folder: Path,
    *,
    previous: str,
    removed: bytes,
    added: bytes,
    content_hash: str,
    keep: int = DEFAULT_KEEP,
    conforms: bool | None = None,
    pipeline: str = "",
    built: datetime | None = None,
    since: str | None = None,
) -> VersionInfo:
    """Keep the store's dataset after an addition as a difference from the newest kept
    version (the dataset ``previous`` names): the ``removed`` N-Quads (each in that
    version) and the ``added`` ones (none in it), spelled as the store's dump spells
    them (``Store.dump_spelling``). It reads and writes what changed, never the
    store. ``since``: the store's ``version_stamp`` just before the addition (None:
    not checked); a store
    written after the newest version was recorded (``qharmony load``) is not that
    version plus the difference. When that is so, the newest version is not
    ``previous``, a statement names a blank
    node, or the store cannot say how its dump spells them, the store is dumped as
    ``record_version`` does."""
    folder = Path(folder)
    kept = list(reversed(list_versions(folder).versions))  # oldest first
    if kept and kept[-1].hash == content_hash:
        return kept[-1]
    # a blank node's label is the store's to choose: the difference cannot name it
    gone = None if b"_:" in removed or b"_:" in added else store.dump_spelling(removed)
    fresh = None if gone is None else store.dump_spelling(added)
    listed = any(v.hash == content_hash for v in kept)  # a dataset kept before is kept whole again
    written = since is not None and bool(kept) and kept[-1].store != since  # the store changed since it was kept
    if not kept or kept[-1].hash != previous or gone is None or fresh is None or listed or written:
        return record_version(
            store, folder, content_hash=content_hash, keep=keep, conforms=conforms, pipeline=pipeline, built=built
        )
    before = kept[-1]
    minus, _ = count_quads(gone)
    plus, new_documents = count_quads(fresh)
    counts = dict(before.counts)
    for key in ("data", "inferred"):
        counts[key] = counts.get(key, 0) - minus[key] + plus[key]
    counts["statements"] = counts.get("statements", 0) - len(gone) + len(fresh)
    documents = sorted(set(before.documents) | set(new_documents))  # an addition removes no document
    counts["documents"] = len(documents)
    stamp = (built or datetime.now(UTC)).replace(microsecond=0).isoformat()
    now = getattr(store, "version_stamp", "")
    info = VersionInfo(content_hash, stamp, documents, counts, conforms, pipeline, base=before.hash, store=now)
    _write_delta(folder, info, gone, fresh)
    _keep(folder, kept, info, keep)
    return info


def resolve_version(folder: Path, ref: str) -> VersionInfo:
    """A version from a hash prefix (4 characters or more), ``latest``, ``previous``,
    or ``~N`` (N builds before the latest)."""
    versions = list_versions(folder).versions
    if not versions:
        raise VersionError(f"no graph versions are kept in {folder}; run 'qharmony build' first")
    ref = ref.strip().lower()
    back = {"latest": 0, "current": 0, "previous": 1}.get(ref)
    if back is None and ref.startswith("~") and ref[1:].isdigit():
        back = int(ref[1:])
    if back is not None:
        if back >= len(versions):
            raise VersionError(f"version '{ref}': only {len(versions)} versions are kept")
        return versions[back]
    if len(ref) < 4:
        raise VersionError(f"version '{ref}': give at least 4 characters of the hash, or latest, previous, ~N")
    found = [v for v in versions if v.hash.startswith(ref)]
    if len(found) != 1:
        known = ", ".join(v.short for v in versions)
        what = "is ambiguous" if found else "is not kept"
        raise VersionError(f"version '{ref}' {what}; kept: {known}")
    return found[0]


def read_version(folder: Path, info: VersionInfo) -> list[str]:
    """A kept version's statements as N-Quads lines (a difference applied to its base).
    A version whose file went while it was read (another process joined it onto an
    older base and listed it anew) is read once more as the index lists it now."""
    folder = Path(folder)
    try:
        return _read_version(folder, info)
    except VersionError:
        now = {v.hash: v for v in _read_list(folder / INDEX)}.get(info.hash)
        if now is None or now == info:
            raise
        return _read_version(folder, now)


def _read_version(folder: Path, info: VersionInfo) -> list[str]:
    if info.base:
        known = {v.hash: v for v in _read_list(folder / INDEX) + _read_list(folder / BASES)}
        if info.base not in known:
            raise VersionError(f"version {info.short}: the version it was kept from ({info.base[:16]}) is gone")
        gone, fresh = _read_delta(folder, info)
        return [line for line in _read_version(folder, known[info.base]) if line not in gone] + fresh
    path = folder / info.file
    try:
        return gzip.decompress(path.read_bytes()).decode("utf-8").splitlines()
    except OSError as exc:
        raise VersionError(f"version {info.short}: cannot read {path}: {exc}") from None
