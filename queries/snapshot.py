"""A read-only view of one generation of an embedded store: what its ``snapshot()``
and ``uncapped()`` give, so every query behind one answer reads the same graph even
if a build swaps it meanwhile; uncapped, the analyses' own queries are never cut."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import StoreError
from .results import QueryResult, Term
from .store import Dataset, Quad, Reads
from .wire import Delivered, Encoded, Offer, Wanted

if TYPE_CHECKING:
    import pyoxigraph as ox

    from .embedded import EmbeddedStore

#: The row and size cap of an uncapped view: more than any graph holds.
UNCAPPED = 2**62


class Snapshot(Reads):
    """One generation of an embedded store, for reading: what ``snapshot()`` gives."""

    def __init__(
        self,
        owner: EmbeddedStore,
        store: ox.Store,
        generation: str | None,
        stamp: int | None = None,
        uncapped: bool = False,
    ):
        self._owner, self._store, self.generation = owner, store, generation
        self._stamp, self._uncapped = stamp, uncapped
        self.location = owner.location
        self.max_rows = UNCAPPED if uncapped else owner.max_rows

    def query(
        self, query: str, bindings: Mapping[str, Term] | None = None, dataset: Dataset | None = None
    ) -> QueryResult:
        return self._owner._query_generation(self._store, self.generation, query, bindings, dataset, self._uncapped)

    def encoded(
        self, query: str, dataset: Dataset | None, wanted: Wanted, delivery: Offer | None = None
    ) -> QueryResult | Encoded | Delivered:
        if self._uncapped:
            return self.query(query, dataset=dataset)
        return self._owner._encoded_generation(self._store, self.generation, query, dataset, wanted, delivery)

    def snapshot(self) -> Snapshot:
        return self

    def uncapped(self) -> Snapshot:
        """This snapshot's graph, answers never cut (see ``EmbeddedStore.uncapped``)."""
        if self._uncapped:
            return self
        return Snapshot(self._owner, self._store, self.generation, self._stamp, uncapped=True)

    @property
    def version_stamp(self) -> str:
        return f"{self.generation}@{self._stamp}"

    @property
    def answers_folder(self) -> Path:
        return self._owner.answers_folder

    def count(self) -> int:
        return len(self._store)

    def dump(self, fmt: str = "nq") -> bytes:
        from .ox_spelling import dump_store  # imported here: pyoxigraph only when a snapshot dumps

        return dump_store(self._store, fmt)

    def _refuse(self, *args, **kwargs) -> None:
        raise StoreError("a snapshot is read-only")

    def amend(self, quads: Sequence[Quad], updates: Sequence[tuple[str, Mapping[str, Term]]] = ()) -> None:
        """Amends the store in service (a new generation); this snapshot keeps reading its own."""
        self._owner.amend(quads, updates)

    update = load = replace = _refuse

    def close(self) -> None:
        pass
