"""Graph versions kept beside the store: after each build, the whole dataset as gzip
N-Quads with a line of metadata, so two builds can be compared long after the store
swapped one for the other. Only the last ``keep`` versions are kept.

The folder holds ``index.json`` (newest last) and one ``<hash>.nq.gz`` per version;
both are written to a temporary name and moved into place, so a killed build never
leaves a half-written version listed.
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

    @property
    def short(self) -> str:
        return self.hash[:16]

    @property
    def file(self) -> str:
        return f"{self.hash}.nq.gz"

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


def list_versions(folder: Path) -> VersionList:
    """The kept versions, newest first (none when the folder does not exist yet)."""
    index = Path(folder) / INDEX
    if not index.exists():
        return VersionList(str(folder), [])
    try:
        raw = json.loads(index.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise VersionError(f"cannot read the version index {index}: {exc}") from None
    return VersionList(str(folder), [VersionInfo(**item) for item in reversed(raw)])


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
    info = VersionInfo(content_hash, stamp, docs, counts, conforms, pipeline)
    _atomic_write(folder / info.file, gzip.compress(nquads, mtime=0))
    _keep(folder, kept, info, keep)
    return info


def _keep(folder: Path, kept: list[VersionInfo], info: VersionInfo, keep: int) -> None:
    """List ``info`` as the newest version; drop the oldest beyond ``keep``."""
    kept = [v for v in kept if v.hash != info.hash] + [info]
    dropped, kept = kept[: -max(1, keep)], kept[-max(1, keep) :]
    _atomic_write(folder / INDEX, json.dumps([asdict(v) for v in kept], indent=1).encode("utf-8"))
    for old in dropped:
        (folder / old.file).unlink(missing_ok=True)


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
) -> VersionInfo:
    """Keep an embedded (Oxigraph) store's dataset after an addition as a version made
    from the newest kept one (the dataset ``previous`` names) without the ``removed``
    N-Quads and with the ``added`` ones, each spelled as the store spells it (compressed
    at zlib's fastest level: a larger file, read the same way), instead of
    dumping the store: an addition to a large store then costs what it changes plus
    one compression. When the newest version is not ``previous``, a statement names a
    blank node, or the result's size is not the store's, the store is dumped as
    ``record_version`` does."""
    folder = Path(folder)
    kept = list(reversed(list_versions(folder).versions))  # oldest first
    if kept and kept[-1].hash == content_hash:
        return kept[-1]

    def dumped() -> VersionInfo:
        return record_version(
            store, folder, content_hash=content_hash, keep=keep, conforms=conforms, pipeline=pipeline, built=built
        )

    from .embedded import stored_spelling  # the spelling is the embedded backend's

    # a blank node's label is the store's to choose: the difference cannot name it
    if not kept or kept[-1].hash != previous or b"_:" in removed or b"_:" in added:
        return dumped()
    before = kept[-1]
    old_lines = read_version(folder, before)
    gone = set(stored_spelling(removed))
    lines = [line for line in old_lines if line not in gone]
    present = set(lines)
    fresh = [line for line in stored_spelling(added) if line not in present]
    if len(present) != len(lines) or len(lines) + len(fresh) != store.count():
        return dumped()
    minus, _ = count_quads([line for line in old_lines if line in gone])
    plus, new_documents = count_quads(fresh)
    counts = dict(before.counts)
    for key in ("data", "inferred"):
        counts[key] = counts.get(key, 0) - minus[key] + plus[key]
    counts["statements"] = len(lines) + len(fresh)
    documents = sorted(set(before.documents) | set(new_documents))  # an addition removes no document
    counts["documents"] = len(documents)
    stamp = (built or datetime.now(UTC)).replace(microsecond=0).isoformat()
    info = VersionInfo(content_hash, stamp, documents, counts, conforms, pipeline)
    data = ("\n".join(lines + fresh) + "\n").encode("utf-8")
    _atomic_write(folder / info.file, gzip.compress(data, compresslevel=1, mtime=0))
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
    """A kept version's statements as N-Quads lines."""
    path = Path(folder) / info.file
    try:
        return gzip.decompress(path.read_bytes()).decode("utf-8").splitlines()
    except OSError as exc:
        raise VersionError(f"version {info.short}: cannot read {path}: {exc}") from None
