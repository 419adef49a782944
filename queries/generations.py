"""The folder of generations behind an embedded store: each ``gen-*`` a complete
Oxigraph store, and ``CURRENT`` naming the one in service. New generations get
unique names, CURRENT is replaced atomically (one swap at a time, across processes),
and what a killed build or an old swap left is removed. ``EmbeddedStore`` reads and
writes the graph through them; this module knows only folders and files."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import time
import uuid
from pathlib import Path

import pyoxigraph as ox

from .errors import StoreUnavailable

#: Seconds after which a generation folder CURRENT does not name counts as abandoned.
ABANDONED_AFTER = 600.0


class Generations:
    """The generation folder handling of ``EmbeddedStore`` (a mixin: it uses the
    store's ``path``, ``read_only`` and ``_generation``)."""

    path: Path
    read_only: bool
    _generation: str | None

    def _init_pointer(self) -> None:
        self._pointer_path = str(self.path / "CURRENT")
        self._pointer_seen: tuple[str | None, int | None] = (None, None)
        self._pointer_key: tuple[int, int, int] | None = None

    @property
    def _pointer(self) -> Path:
        return self.path / "CURRENT"

    def _read_pointer(self) -> tuple[str | None, int | None]:
        """The generation CURRENT names and when it was written; the file is read
        only when its time changed (a request costs one ``stat``)."""
        try:
            info = os.stat(self._pointer_path)
            key = (info.st_ino, info.st_mtime_ns, info.st_ctime_ns)  # every write is a new file
            if key == self._pointer_key:
                return self._pointer_seen
            seen = (self._pointer.read_text(encoding="utf-8").strip() or None, info.st_mtime_ns)
        except FileNotFoundError:
            return None, None
        self._pointer_key, self._pointer_seen = key, seen
        return seen

    def _open_generation(self, name: str) -> ox.Store:
        target = self.path / name
        if not target.is_dir():
            raise StoreUnavailable(f"store folder {self.path} names generation {name}, which is missing")
        try:
            return ox.Store.read_only(str(target)) if self.read_only else ox.Store(str(target))
        except OSError as exc:
            raise StoreUnavailable(
                f"cannot open the store in {self.path}: {exc} (is another qharmony process writing to it?)"
            ) from exc

    def _new_generation_name(self) -> str:
        return f"gen-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"

    def _open_generation_new(self, name: str) -> ox.Store:
        try:
            return ox.Store(str(self.path / name))
        except OSError as exc:
            raise StoreUnavailable(f"cannot create a store in {self.path}: {exc}") from exc

    def _write_pointer(self, name: str) -> None:
        tmp = self.path / "CURRENT.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(name + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self._pointer)

    def _remove_abandoned_generations(self, min_age: float = ABANDONED_AFTER) -> None:
        """Remove what a killed build left: generation folders that CURRENT does not
        name, untouched for ``min_age`` seconds and not locked by a process that has
        them open (Oxigraph holds an fcntl lock on a writable store's LOCK file)."""
        now = time.time()
        for child in self.path.glob("gen-*"):
            if child.name == self._generation or now - child.stat().st_mtime < min_age:
                continue
            lock = child / "LOCK"
            try:
                with open(lock, "a") as fh:
                    fcntl.lockf(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    fcntl.lockf(fh, fcntl.LOCK_UN)
            except FileNotFoundError:
                pass
            except OSError:
                continue  # another process is writing it
            shutil.rmtree(child, ignore_errors=True)

    def _remove_stale_generations(self, keep: set[str]) -> None:
        for child in self.path.glob("gen-*"):
            if child.name not in keep:
                shutil.rmtree(child, ignore_errors=True)

    @contextlib.contextmanager
    def _swap_lock(self):
        """One swap of CURRENT at a time, across processes."""
        self.path.mkdir(parents=True, exist_ok=True)
        with open(self.path / "SWAP.lock", "a") as fh:
            fcntl.lockf(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.lockf(fh, fcntl.LOCK_UN)

    def _remove_unlocked_generations(self, keep: set[str]) -> None:
        """Generations neither in ``keep`` nor open for writing by another process
        (a build filling its new generation holds its LOCK)."""
        for child in self.path.glob("gen-*"):
            if child.name in keep:
                continue
            try:
                with open(child / "LOCK", "a") as fh:
                    fcntl.lockf(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    fcntl.lockf(fh, fcntl.LOCK_UN)
            except FileNotFoundError:
                pass
            except OSError:
                continue
            shutil.rmtree(child, ignore_errors=True)
