"""Answers computed once per graph version: determinations, matrices and pairwise
gaps (and the facts they are made of) are kept under a key naming the data they were
computed from and their parameters, served from there, and never served for other
data.

The key is what names the data in service and the code answering from it: for an
embedded store its generation and the time ``CURRENT`` was written (a build swaps the
generation, an in-place write rewrites ``CURRENT``), known from one ``stat`` and no
query; for another backend the graph version (the build's content hash) and its
statement count. A new version is a new key, so nothing stale is served and nothing
needs to be told to forget.

Kept in memory (the last ``MEMORY_SLOTS`` answers) and, for an embedded store, as
pickles in its ``answers/`` folder, one sub-folder per version, so a new process
(the next ``qharmony matrix``, a restarted ``serve``) starts warm. The folder is the
store's own local state, of the same trust as the store; a file that cannot be read
is computed again, and a folder that cannot be written leaves the answer in memory
only. Answers handed out are shared: callers read them and do not change them.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import os
import pickle
import shutil
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import TypeVar

from ..store import Store
from .version import graph_version

T = TypeVar("T")

#: how many answers one process keeps in memory
MEMORY_SLOTS = 64
#: a version folder not written for this long, and not the current one, is removed
STALE_AFTER = 600.0

_memory: OrderedDict[tuple, object] = OrderedDict()
_locks: dict[tuple, threading.Lock] = {}
_guard = threading.Lock()


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of the code answers are computed by (the queries package, its analysis
    modules, the named queries and the ontology's units and vocabulary they read), so
    an answer kept by another version of qharmony is never served."""
    digest = hashlib.sha256()
    package = resources.files("qharmony.queries")
    folders = (
        (package, ".py"),
        (package.joinpath("analysis"), ".py"),
        (package.joinpath("rq"), ".rq"),
        (resources.files("qharmony.ontology"), ".py"),
    )
    for folder, suffix in folders:
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.name.endswith(suffix):
                digest.update(entry.name.encode() + b"\0" + entry.read_bytes())
    return digest.hexdigest()[:16]


def version_id(store: Store) -> str:
    """What names the data a store serves now, and the code that answers from it
    (see the module docstring). An embedded store's stamp names its data exactly (every
    write changes it), so its key needs no query; another backend's also cites the
    content hash, read each time."""
    stamp = getattr(store, "version_stamp", None)
    if stamp is not None:
        return f"{store.location}|{stamp}|{code_fingerprint()}"
    return f"{graph_version(store).content_hash}|{store.location}|{store.count()} statements|{code_fingerprint()}"


def _digest(value: object) -> str:
    return hashlib.sha256(repr(value).encode("utf-8")).hexdigest()[:32]


def _file(store: Store, version: str, name: str, params: tuple) -> Path | None:
    folder = getattr(store, "answers_folder", None)
    if folder is None:
        return None
    return Path(folder) / _digest(version) / f"{name}-{_digest(params)}.pickle"


def _read(path: Path | None, key: tuple) -> tuple[bool, object]:
    if path is None:
        return False, None
    collecting = gc.isenabled()
    gc.disable()  # a matrix is tens of thousands of small objects: no collection mid-load
    try:
        with open(path, "rb") as fh:
            stored_key, value = pickle.load(fh)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        return False, None
    finally:
        if collecting:
            gc.enable()
    return (True, value) if stored_key == key else (False, None)


def _write(path: Path | None, key: tuple, value: object) -> None:
    """Keep an answer on disk; written to a temporary name and moved into place, so a
    reader never sees half a file. Older versions' folders are removed."""
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
        with open(tmp, "wb") as fh:
            pickle.dump((key, value), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        _remove_stale(path.parent)
    except (OSError, pickle.PicklingError):
        return


def _remove_stale(current: Path) -> None:
    now = time.time()
    for folder in current.parent.iterdir():
        if folder != current and folder.is_dir():
            try:
                if now - folder.stat().st_mtime > STALE_AFTER:
                    shutil.rmtree(folder, ignore_errors=True)
            except OSError:
                continue


def _without_collections(compute: Callable[[], T]) -> T:
    """``compute()`` with the cyclic garbage collector paused: an analysis builds
    hundreds of thousands of rows and terms that all live until it ends (and hold no
    cycles), and every full collection meanwhile walks all of them again: at 1M
    triples that was a second of a cold matrix. Resumed by the call that paused it."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        return compute()
    finally:
        if collecting:
            gc.enable()


def _remember(key: tuple, value: object) -> None:
    with _guard:
        _memory[key] = value
        _memory.move_to_end(key)
        while len(_memory) > MEMORY_SLOTS:
            _memory.popitem(last=False)


def answer(store: Store, name: str, params: tuple, compute: Callable[[], T]) -> T:
    """The answer ``name`` with ``params`` for the data ``store`` serves: from memory,
    else from the store's answers folder, else computed (once, however many requests
    ask at the same time) and kept in both."""
    version = version_id(store)
    key = (version, name, params)
    with _guard:
        if key in _memory:
            _memory.move_to_end(key)
            return _memory[key]  # type: ignore[return-value]
        lock = _locks.setdefault(key, threading.Lock())
    with lock:
        with _guard:
            if key in _memory:
                return _memory[key]  # type: ignore[return-value]
        path = _file(store, version, name, params)
        found, value = _read(path, key)
        if not found:
            value = _without_collections(compute)
            _write(path, key, value)
        _remember(key, value)
    with _guard:
        _locks.pop(key, None)
    return value  # type: ignore[return-value]


def is_known(store: Store, name: str, params: tuple) -> bool:
    """Whether ``answer`` would serve this from memory or the answers folder now."""
    version = version_id(store)
    key = (version, name, params)
    with _guard:
        if key in _memory:
            return True
    path = _file(store, version, name, params)
    return path is not None and path.is_file()


def forget_memory() -> None:
    """Drop what this process keeps in memory (the answers folder stays): for
    benchmarks that time a process's first answer from disk."""
    with _guard:
        _memory.clear()
