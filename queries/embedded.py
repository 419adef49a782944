"""Embedded Oxigraph on disk, with whole-dataset swaps.

The folder holds generations (``gen-*``), each a complete Oxigraph store, and a
``CURRENT`` file naming the one in service (``generations``). A build writes a new
generation and replaces ``CURRENT`` atomically only when it is complete, so a killed
build leaves the previous graph intact and served. Readers notice a new ``CURRENT``
and reopen; a snapshot (``snapshot``) keeps reading the generation it was taken on.
"""

from __future__ import annotations

import dataclasses
import queue
import shutil
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox

from .bounded import bounded_shape
from .errors import QueryError, QueryTimeout, StoreError, StoreMissing, StoreUnavailable
from .evaluation import _term, evaluate, evaluate_encoded
from .formats import DATASET_FORMATS
from .generations import Generations
from .nquads import line_chunks, may_name_blank_nodes
from .ox_spelling import OX_FORMATS, dump_store, ox_term, stored_spelling
from .results import QueryResult, Term
from .sandbox import Limits, WorkerPool
from .screen import screen_query
from .snapshot import UNCAPPED, Snapshot
from .store import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_ROWS,
    DEFAULT_TIMEOUT,
    Dataset,
    Quad,
    Reads,
    bind_values,
    quads_text,
)
from .wire import Delivered, Encoded, Offer, Wanted

#: Seconds one of the analyses' own queries may run (at least; the timeout for people's
#: queries when that is longer): they are bounded by the data, not by what a user typed.
ANALYSIS_TIMEOUT = 300.0
#: bytes of N-Quads handed to one bulk load: Oxigraph's bulk loader holds what it is
#: given (and its index runs) in memory, so a build's file goes in pieces of this size
LOAD_CHUNK = 8 * 1024 * 1024


class EmbeddedStore(Generations, Reads):
    """An Oxigraph store in a folder; read-only when serving. With ``sandbox`` limits
    (read-only only), every query runs in a worker process under them but those
    ``bounded`` proves cheap; ``warm=False`` leaves starting the spares to the caller
    (``sandbox.prestart``: ``serve`` listens and answers first)."""

    def __init__(
        self,
        path: Path,
        *,
        read_only: bool = False,
        max_rows: int = DEFAULT_MAX_ROWS,
        timeout: float = DEFAULT_TIMEOUT,
        sandbox: Limits | None = None,
        warm: bool = True,
    ):
        self.path = Path(path)
        self._init_pointer()
        self.timeout = timeout
        self.location = str(self.path)
        self.read_only = read_only
        self.max_rows = max_rows
        self.max_bytes = sandbox.max_bytes if sandbox else DEFAULT_MAX_BYTES
        if sandbox is not None and not read_only:
            raise StoreError("query workers need the store open read-only")
        self.sandbox = WorkerPool(self.path, dataclasses.replace(sandbox, max_rows=max_rows)) if sandbox else None
        self._store: ox.Store | None = None
        self._generation: str | None = None
        self._pointer_stamp: int | None = None
        if self.sandbox is not None and warm and self._read_pointer()[0] is not None:
            # the spares start first: they open the store while this process does
            self.sandbox.prestart(self._read_pointer()[0])
        try:
            self._refresh()
        except BaseException:
            if self.sandbox is not None:
                self.sandbox.close()
            raise
        if not read_only:
            self._remove_abandoned_generations()

    def _refresh(self) -> ox.Store:
        """Open the generation CURRENT names, reopening when a build swapped it."""
        name, stamp = self._read_pointer()
        if self._store is not None and stamp == self._pointer_stamp:
            return self._store
        if name is None:
            if self.read_only and not self.path.is_dir():
                raise StoreMissing(
                    f"there is no store in {self.path}; check --store (or QHARMONY_STORE), "
                    "or build one with qharmony build"
                )
            if self.read_only:
                self._store, self._generation = ox.Store(), None
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                name = self._new_generation_name()
                self._store = self._open_generation_new(name)
                self._write_pointer(name)
                name, stamp = self._read_pointer()
                self._generation = name
            self._pointer_stamp = stamp
            return self._store
        if name != self._generation or self._store is None:
            self._store = None
            self._store = self._open_generation(name)
            self._generation = name
        self._pointer_stamp = stamp
        return self._store

    @property
    def generation(self) -> str | None:
        return self._generation

    @property
    def version_stamp(self) -> str:
        """Names the data in service now: the generation, and when CURRENT was last
        written (an in-place write rewrites it), so an answer computed from it is
        known stale once either changes."""
        self._refresh()
        return f"{self._generation}@{self._pointer_stamp}"

    @property
    def answers_folder(self) -> Path:
        """Where answers precomputed per graph version are kept (``analysis.answers``)."""
        return self.path / "answers"

    # ------------------------------------------------------------ reading
    def query(
        self, query: str, bindings: Mapping[str, Term] | None = None, dataset: Dataset | None = None
    ) -> QueryResult:
        return self._query_generation(self._refresh(), self._generation, query, bindings, dataset)

    def encoded(
        self, query: str, dataset: Dataset | None, wanted: Wanted, delivery: Offer | None = None
    ) -> QueryResult | Encoded | Delivered:
        """The answer written as ``wanted`` (``wire``) by the query worker that
        evaluated it, or our own types where it cannot be (a graph; no workers);
        with a ``delivery``, written to the client by that worker where it can be."""
        return self._encoded_generation(self._refresh(), self._generation, query, dataset, wanted, delivery)

    def _encoded_generation(
        self, store, generation, query, dataset, wanted, delivery: Offer | None = None
    ) -> QueryResult | Encoded | Delivered:
        if self.sandbox is None:
            return self._query_generation(store, generation, query, None, dataset)
        screen_query(query)
        shape = bounded_shape(query)
        if shape is not None:  # one triple pattern, cut at the row cap: no worker needed (``bounded``)
            try:
                return evaluate_encoded(store, query, dataset, wanted, self.max_rows, self.max_bytes, shape)
            except StoreError:
                raise
            except Exception as exc:  # as a worker reports it: the query's failure, as text
                raise QueryError(f"the query failed: {exc}") from exc
        return self.sandbox.run(generation, query, dataset, wanted, delivery() if delivery else None)

    def _query_generation(
        self,
        store: ox.Store,
        generation: str | None,
        query: str,
        bindings: Mapping[str, Term] | None,
        dataset: Dataset | None,
        uncapped: bool = False,
    ) -> QueryResult:
        text = bind_values(query, bindings)
        screen_query(text)
        if uncapped:
            return self._in_thread(store, text, dataset, UNCAPPED, UNCAPPED, max(self.timeout, ANALYSIS_TIMEOUT))
        if self.sandbox is not None:
            return self.sandbox.run(generation, text, dataset)
        return self._in_thread(store, text, dataset)

    def _in_thread(
        self,
        store: ox.Store,
        text: str,
        dataset: Dataset | None,
        max_rows: int = 0,
        max_bytes: int = 0,
        timeout: float = 0.0,
    ) -> QueryResult:
        """Evaluate in a worker thread (Oxigraph releases the GIL), so a query that
        runs past the timeout is answered with QueryTimeout while other requests go on.
        The thread cannot be cancelled; it finishes in the background. Serving uses
        worker processes instead (``sandbox``), which can be."""
        outcome: queue.Queue = queue.Queue(maxsize=1)

        def work() -> None:
            try:
                rows, size = max_rows or self.max_rows, max_bytes or self.max_bytes
                whole = rows >= UNCAPPED and size >= UNCAPPED
                outcome.put((True, evaluate(store, text, dataset, rows, size, whole=whole)))
            except BaseException as exc:  # handed to the caller below
                outcome.put((False, exc))

        # a daemon thread: an abandoned query never keeps the process from exiting
        threading.Thread(target=work, name="qharmony-query", daemon=True).start()
        try:
            ok, value = outcome.get(timeout=timeout or self.timeout)
        except queue.Empty:
            raise QueryTimeout(
                f"the query ran longer than {timeout or self.timeout:g} s and was abandoned; "
                "narrow it, or raise QHARMONY_TIMEOUT"
            ) from None
        if ok:
            return value
        raise value

    def snapshot(self) -> Snapshot:
        """A read-only view pinned to the generation in service now, so that every
        query behind one answer reads the same graph even if a build swaps it."""
        return Snapshot(self, self._refresh(), self._generation, self._pointer_stamp)

    def uncapped(self) -> Snapshot:
        """A snapshot whose answers are never cut, for the analyses: they run only our
        own named queries, so they are evaluated here rather than in a query worker,
        and a graph larger than the row cap meant for ``/sparql`` users is analysed
        whole."""
        return Snapshot(self, self._refresh(), self._generation, self._pointer_stamp, uncapped=True)

    def count(self) -> int:
        return len(self._refresh())

    def match(
        self, patterns: list[tuple], graph_prefix: str, limit: int | None = None, keep=None
    ) -> list[tuple[Term, Term, Term, Term]]:
        """The statements in named graphs under ``graph_prefix`` that match any of
        ``patterns`` ((s, p, o) with None for any), read straight from the store's
        indexes: what a build reads back about the nodes a change touched. ``limit``:
        at most that many per pattern (is a node used at all, without reading every use);
        ``keep(graph IRI)``: only the graphs it accepts count."""
        store = self._refresh()
        found: list[tuple[Term, Term, Term, Term]] = []
        for pattern in dict.fromkeys(patterns):
            s, p, o = (None if t is None else ox_term(t) for t in pattern)
            n = 0
            for quad in store.quads_for_pattern(s, p, o):
                graph = quad.graph_name
                if (
                    isinstance(graph, ox.NamedNode)
                    and graph.value.startswith(graph_prefix)
                    and (keep is None or keep(graph.value))
                ):
                    found.append((_term(quad.subject), _term(quad.predicate), _term(quad.object), _term(graph)))
                    n += 1
                    if limit is not None and n >= limit:
                        break
        return found

    def dump(self, fmt: str = "nq") -> bytes:
        return dump_store(self._refresh(), fmt)

    def dump_spelling(self, nquads: bytes) -> list[str]:
        return stored_spelling(nquads)

    # ------------------------------------------------------------ writing
    def _writable(self) -> ox.Store:
        if self.read_only:
            raise StoreError(f"the store in {self.path} is open read-only")
        return self._refresh()

    def update(self, update: str) -> None:
        store = self._writable()
        try:
            store.update(update)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL update syntax error: {exc}") from exc
        except OSError as exc:
            raise StoreUnavailable(f"store write failed: {exc}") from exc
        store.flush()
        self._written()

    def load(self, data: bytes, fmt: str, graph: str | None = None) -> None:
        """Add the data as a new generation: a copy of the current one made of hard
        links to its immutable files (cheap, whatever the store's size), the data
        loaded into it, then swapped in. Readers see all of it or none of it, and
        the store is never rewritten."""
        if fmt not in OX_FORMATS:
            raise QueryError(f"unknown RDF format {fmt!r}; known: {', '.join(OX_FORMATS)}")
        target = None
        if fmt not in DATASET_FORMATS:
            target = ox.NamedNode(graph) if graph else ox.DefaultGraph()
        self.change([], lambda fresh: fresh.bulk_load(data, format=OX_FORMATS[fmt], to_graph=target))

    def change(self, drop_graphs: list[str], write) -> None:
        """Apply a change to a copy of the current generation and swap it in:
        ``drop_graphs`` are cleared, then ``write(store)`` adds to the pyoxigraph
        store (a build's delta, a user's file). A failure leaves the current one."""
        current = self._writable()
        name = self._new_generation_name()
        try:
            current.flush()
            current.backup(str(self.path / name))
            fresh = ox.Store(str(self.path / name))
        except OSError as exc:
            shutil.rmtree(self.path / name, ignore_errors=True)
            raise StoreUnavailable(f"cannot copy the store in {self.path}: {exc}") from exc
        try:
            for graph in drop_graphs:
                fresh.remove_graph(ox.NamedNode(graph))
            write(fresh)
            fresh.flush()
        except (SyntaxError, ValueError) as exc:
            del fresh
            shutil.rmtree(self.path / name, ignore_errors=True)
            raise QueryError(f"cannot parse the data: {exc}") from exc
        except OSError as exc:
            del fresh
            shutil.rmtree(self.path / name, ignore_errors=True)
            raise StoreUnavailable(f"store write failed: {exc}") from exc
        self._swap_to(name, fresh)

    def apply(self, remove: bytes, add: bytes) -> None:
        """Take a build's difference as a new generation: a linked copy of the
        current one without the ``remove`` N-Quads and with the ``add`` ones."""

        def write(fresh: ox.Store) -> None:
            for quad in ox.parse(remove, format=ox.RdfFormat.N_QUADS):
                fresh.remove(quad)
            fresh.bulk_load(add, format=ox.RdfFormat.N_QUADS)

        self.change([], write)

    def _written(self) -> None:
        """An in-place write changed the generation in service: CURRENT is rewritten
        (same name, new time), so its version stamp changes and answers kept for the
        old data are not served for the new."""
        if self._generation is not None:
            self._write_pointer(self._generation)
            self._pointer_stamp = self._read_pointer()[1]

    def replace(self, nquads: bytes | Path) -> None:
        if self.read_only:
            raise StoreError(f"the store in {self.path} is open read-only")
        self.path.mkdir(parents=True, exist_ok=True)
        name = self._new_generation_name()
        fresh = self._open_generation_new(name)
        try:
            if isinstance(nquads, Path) and not may_name_blank_nodes(nquads):
                for part in line_chunks(nquads, LOAD_CHUNK):  # never the whole file in memory
                    fresh.bulk_load(part, format=ox.RdfFormat.N_QUADS)
            elif isinstance(nquads, Path):  # one load: a blank node is one node across the file
                fresh.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
            else:
                fresh.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
            fresh.flush()
        except SyntaxError as exc:
            del fresh
            shutil.rmtree(self.path / name, ignore_errors=True)
            raise QueryError(f"the new dataset does not parse: {exc}") from exc
        self._swap_to(name, fresh)

    def _swap_to(self, name: str, fresh: ox.Store) -> None:
        previous = self._generation
        with self._swap_lock():
            self._write_pointer(name)
        self._store, self._generation = fresh, name
        self._pointer_stamp = self._read_pointer()[1]
        self._remove_stale_generations({name, previous} - {None})

    def amend(self, quads: Sequence[Quad], updates: Sequence[tuple[str, Mapping[str, Term]]] = ()) -> None:
        """Copy the generation in service (a RocksDB checkpoint: hard links, fast),
        add the quads and run the updates on the copy, and swap it in, unless a build
        swapped in another generation meanwhile (then nothing changes and the caller
        is told). Allowed on a read-only handle: the generation in service is never
        written."""
        with self._swap_lock():
            name, _ = self._read_pointer()
            if name is None:
                raise StoreMissing(f"there is no graph in {self.path} to amend; build one with qharmony build")
            fresh_name = self._new_generation_name()
            target = self.path / fresh_name
            try:
                ox.Store.read_only(str(self.path / name)).backup(str(target))
                fresh = ox.Store(str(target))
                if quads:
                    fresh.load(quads_text(quads).encode("utf-8"), format=ox.RdfFormat.N_QUADS)
                for text, bindings in updates:
                    fresh.update(bind_values(text, bindings))
                fresh.flush()
                del fresh
            except (OSError, SyntaxError) as exc:
                shutil.rmtree(target, ignore_errors=True)
                raise StoreUnavailable(f"cannot amend the store in {self.path}: {exc}") from exc
            if self._read_pointer()[0] != name:
                shutil.rmtree(target, ignore_errors=True)
                raise StoreUnavailable("a build swapped in a new graph meanwhile; it applies the decisions itself")
            self._write_pointer(fresh_name)
            self._remove_unlocked_generations({fresh_name, name})

    def close(self) -> None:
        if self.sandbox is not None:
            self.sandbox.close()
        self._store = None
