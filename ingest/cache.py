"""The extraction cache: what extraction made of one document, kept beside the store
and reused for as long as the document's bytes and the pipeline are unchanged.

An entry's key is a hash of everything its extraction depends on: the file's bytes
and name, the pipeline version (our code, the spaCy and model versions, the pattern
files: ``pipeline_fingerprint``) and the jurisdictions the build knows (the user's and
those discovered in the corpus: ``registry_fingerprint``). A change to any of them
gives a new key, so a stale entry is never read; unused entries age out.

The cache also keeps one manifest per store: which documents the store was built
from and under which keys, so ``add`` and ``remove`` can rebuild without the files.
Entries are pickles: the cache is local state of the same trust as the store itself.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import time
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path

from .jurisdictions import Jurisdiction, Registry
from .records import Extraction
from .version import MODEL_PACKAGES, PIPELINE_VERSION

#: Entries not used by a build for this long are removed by ``prune``.
UNUSED_FOR = 14 * 24 * 3600.0


#: modules of ``qharmony.ingest`` that run after extraction (mapping, holdings, review,
#: inference and validation, the build's orchestration, where extraction runs): what
#: they do is not in a cached extraction, so a change to them keeps the cache (the
#: next build maps again without extracting); it is in the graph a store holds, so
#: ``ontology_fingerprint`` hashes them and an addition to a store built by other
#: code is a full build. ``tests/test_build_cache.py`` checks extraction imports none.
AFTER_EXTRACTION = frozenset(
    {
        "adding.py",
        "assembly.py",
        "build.py",
        "cache.py",
        "decisions.py",
        "delta.py",
        "documents.py",
        "evidence.py",
        "extraction_daemon.py",
        "fingerprints.py",
        "holdings.py",
        "mapping.py",
        "parallel.py",
        "stages.py",
    }
)


def _ingest_files(after_extraction: bool) -> list[tuple[str, Path]]:
    root = Path(str(resources.files("qharmony.ingest")))
    out = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if not path.is_file() or rel.startswith(("corpus/", "sources/")) or "__pycache__" in rel:
            continue
        kept = path.suffix in (".py", ".json", ".jsonl", ".toml", ".txt", ".csv")
        if kept and (rel in AFTER_EXTRACTION) == after_extraction:
            out.append((rel, path))
    return out


@lru_cache(maxsize=1)
def pipeline_fingerprint() -> str:
    """A hash of what extraction's output depends on besides its input: the pipeline
    version, the code and pattern files of ``qharmony.ingest`` (bar the sample corpus,
    the publisher connectors and the modules that run after extraction), the ontology
    (its labels and cues are what extraction recognises), and the installed spaCy and
    model versions."""
    digest = hashlib.sha256(PIPELINE_VERSION.encode())
    for rel, path in _ingest_files(after_extraction=False):
        digest.update(rel.encode() + b"\0" + path.read_bytes() + b"\0")
    # the ontology's technology labels and parameter cues are extraction's vocabulary
    digest.update(resources.files("qharmony.ontology").joinpath("qharmony.ttl").read_bytes())
    for package in ("spacy", *MODEL_PACKAGES):
        try:
            digest.update(f"{package}={metadata.version(package.replace('_', '-'))}".encode())
        except metadata.PackageNotFoundError:
            continue
    return digest.hexdigest()


@lru_cache(maxsize=1)
def ontology_fingerprint() -> str:
    """A hash of the ontology, the shapes and the code that reasons and validates
    with them, and of the modules that make the graph from extractions
    (``AFTER_EXTRACTION``): what a stored graph depends on besides its extractions."""
    digest = hashlib.sha256()
    root = Path(str(resources.files("qharmony.ontology")))
    for path in sorted(root.iterdir()):
        if path.suffix in (".py", ".ttl"):
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for rel, path in _ingest_files(after_extraction=True):
        digest.update(rel.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def registry_fingerprint(registry: Registry) -> str:
    """A hash of the jurisdictions and arrangements a build knows beyond the built-in lists."""
    data = {"extra": [asdict(j) for j in registry.extra], "arrangements": sorted(registry.arrangements.items())}
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=list).encode()).hexdigest()


def entry_key(name: str, suffix: str, content_sha256: str, registry: str) -> str:
    """The key of one document's extraction under this pipeline and registry, from
    the SHA-256 of the file's bytes."""
    digest = hashlib.sha256()
    for part in (pipeline_fingerprint(), registry, name, suffix.lower(), content_sha256):
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()


@dataclass
class StoredDocument:
    """One document a store was built from: its name, the file it came from, the
    hash of that file and the cache key of its extraction."""

    name: str
    path: str
    sha256: str
    key: str
    #: what the document adds to a build beyond its own graph, so that an addition
    #: reads this record instead of every cached extraction: the states and
    #: arrangements its text names (``formal_names``, ``arrangement_names``), and its
    #: pointers' eligible targets with the round each settled in (``pointers.settle``)
    states: list[list[str]] | None = None
    arrangements: list[str] | None = None
    pointers: list[list] | None = None


@dataclass
class Manifest:
    """What one store was built from, so it can be rebuilt with a document more or
    less without the files: the documents in build order, the user's jurisdictions,
    whether the sample corpus's declared holdings were built in, and the settings."""

    content_hash: str
    documents: list[StoredDocument] = field(default_factory=list)
    jurisdictions: list[Jurisdiction] | None = None
    sample: bool = False
    min_confidence: float = 0.5
    #: ``ontology_fingerprint`` when the store was built
    ontology: str = ""
    #: the round in which each entry came to control a quantum technology
    #: (``pointers.Settlement.rounds``); None: not recorded (an older qharmony)
    rounds: dict[str, int] | None = None
    #: ``registry_fingerprint`` of the build
    registry: str = ""
    #: the store's statements after the build (an addition counts on from it rather
    #: than counting the store); 0: not recorded
    statements: int = 0
    #: the store's ``version_stamp`` when ``statements`` was counted: a write since
    #: (``qharmony load``) makes the count unknown; "": the store has no stamp
    store_stamp: str = ""

    def to_json(self) -> dict:
        """As ``asdict``, a level deep: a document's fields are strings and lists of
        plain values (``asdict`` copied every one of them, a third of a second of an
        addition at 30x the corpus)."""
        data = dict(vars(self))
        data["documents"] = [dict(vars(d)) for d in self.documents]
        if self.jurisdictions is not None:
            data["jurisdictions"] = [asdict(j) for j in self.jurisdictions]
        return data

    @classmethod
    def from_json(cls, data: dict) -> Manifest:
        jurisdictions = data.get("jurisdictions")
        return cls(
            content_hash=data["content_hash"],
            documents=[StoredDocument(**d) for d in data.get("documents", [])],
            jurisdictions=None if jurisdictions is None else [Jurisdiction(**j) for j in jurisdictions],
            sample=bool(data.get("sample")),
            min_confidence=float(data.get("min_confidence", 0.5)),
            ontology=str(data.get("ontology", "")),
            rounds=data.get("rounds"),
            registry=str(data.get("registry", "")),
            statements=int(data.get("statements", 0)),
            store_stamp=str(data.get("store_stamp", "")),
        )

    def indexed(self) -> bool:
        """Whether every document's record says what it adds beyond its graph."""
        return self.rounds is not None and all(
            d.states is not None and d.arrangements is not None and d.pointers is not None for d in self.documents
        )


class CacheError(ValueError):
    """The cache cannot serve what was asked; the message says what to do."""


class ExtractionCache:
    """A folder of extraction results by key, and manifests by store location."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self.hits = 0
        self.misses = 0

    def _entry(self, key: str) -> Path:
        return self.folder / "extractions" / key[:2] / f"{key}.pickle"

    def get(self, key: str) -> Extraction | None:
        path = self._entry(key)
        try:
            with open(path, "rb") as fh:
                found = pickle.load(fh)
        except FileNotFoundError:
            self.misses += 1
            return None
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            self.misses += 1  # a damaged or outdated entry: extract again
            return None
        os.utime(path)  # used: keep it past ``prune``
        self.hits += 1
        return found if isinstance(found, Extraction) else None

    def put(self, key: str, extraction: Extraction) -> None:
        _atomic_write(self._entry(key), pickle.dumps(extraction, protocol=pickle.HIGHEST_PROTOCOL))

    def prune(self, unused_for: float = UNUSED_FOR) -> int:
        """Remove entries no build has used for ``unused_for`` seconds; how many went."""
        cutoff, removed = time.time() - unused_for, 0
        for path in (self.folder / "extractions").glob("*/*.pickle"):
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
            except OSError:
                continue
        return removed

    # ------------------------------------------------------------ manifests
    def _manifest_path(self, location: str) -> Path:
        return self.folder / "manifests" / (hashlib.sha256(location.encode()).hexdigest()[:24] + ".json")

    def manifest(self, location: str) -> Manifest | None:
        path = self._manifest_path(location)
        try:
            return Manifest.from_json(json.loads(path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise CacheError(f"cannot read the build manifest {path}: {exc}") from None

    def save_manifest(self, location: str, manifest: Manifest) -> None:
        data = json.dumps({"store": location, **manifest.to_json()}, separators=(",", ":"), default=list)
        _atomic_write(self._manifest_path(location), data.encode("utf-8"))


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
