"""The store protocol: the only door to the graph.

Two backends sit behind it: embedded Oxigraph in a folder (``embedded``) and any
SPARQL 1.1 endpoint over HTTP (``remote``). Both cap rows and raise only the errors
in ``errors``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from .errors import QueryError
from .formats import FORMATS
from .results import QueryResult, SelectResult, Term, Triple

if TYPE_CHECKING:
    from .lanes import Limits
    from .wire import Delivered, Encoded, Offer, Wanted

#: subject, predicate, object, graph
Quad = tuple[Term, Term, Term, Term]

#: An RDF dataset named by the SPARQL protocol: default graph IRIs, named graph IRIs.
#: Either list may be empty; None for a side means "as the service defines it".
Dataset = tuple[list[str] | None, list[str] | None]

DEFAULT_MAX_ROWS = 10_000
DEFAULT_TIMEOUT = 30.0
#: Most characters of term values in one answer; the rest is cut and flagged.
DEFAULT_MAX_BYTES = 50_000_000

#: RDF formats accepted by ``load`` and produced by ``dump``: short name -> media type
#: (read from the one format table, ``formats.FORMATS``).
RDF_FORMATS = {name: f.media_type for name, f in FORMATS.items()}

_FORM = re.compile(
    r"^\s*(?:(?:PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b",
    re.IGNORECASE,
)
_COMMENT = re.compile(r"^\s*#.*$", re.MULTILINE)
_DISTINCT = re.compile(
    r"^\s*(?:(?:PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*SELECT\s+(?:DISTINCT|REDUCED)\b", re.IGNORECASE
)


def query_form(query: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE; empty when the text is none of them."""
    match = _FORM.match(_COMMENT.sub("", query))
    return match.group(1).upper() if match else ""


def selects_distinct(query: str) -> bool:
    """Whether the outermost SELECT asks for distinct (or reduced) rows."""
    return bool(_DISTINCT.match(_COMMENT.sub("", query)))


@runtime_checkable
class Store(Protocol):
    """What every backend offers; all results are our own types."""

    location: str
    max_rows: int

    def query(
        self, query: str, bindings: Mapping[str, Term] | None = None, dataset: Dataset | None = None
    ) -> QueryResult:
        """Run any query form; SELECT gives rows, ASK a bool, CONSTRUCT triples.
        ``dataset`` (from default-graph-uri / named-graph-uri) overrides FROM clauses."""

    def select(self, query: str, bindings: Mapping[str, Term] | None = None) -> SelectResult: ...

    def ask(self, query: str, bindings: Mapping[str, Term] | None = None) -> bool: ...

    def construct(self, query: str, bindings: Mapping[str, Term] | None = None) -> list[Triple]: ...

    def snapshot(self) -> Store:
        """A view that reads one graph version for as long as it is used: every query
        behind one answer goes through the same snapshot."""

    def update(self, update: str) -> None: ...

    def load(self, data: bytes, fmt: str, graph: str | None = None) -> None:
        """Add RDF in one of RDF_FORMATS, into ``graph`` for triple formats."""

    def replace(self, nquads: bytes | Path) -> None:
        """Swap in a whole new dataset, all at once: a failure leaves the old one.
        ``nquads`` is N-Quads text, or a file of it (a build's streamed output, which
        the embedded store loads without holding it in memory)."""

    def amend(self, quads: Sequence[Quad], updates: Sequence[tuple[str, Mapping[str, Term]]] = ()) -> None:
        """Add ``quads`` and run ``updates`` (each with its bound parameters) on the
        graph in service, together: readers see all of it or none of it. The one write
        a read-only handle allows (a reviewer's decision reaching the graph at once):
        the embedded store writes a copy of the generation in service, never that
        generation itself; a remote endpoint gets one update request."""

    def dump(self, fmt: str = "nq") -> bytes: ...

    def dump_spelling(self, nquads: bytes) -> list[str] | None:
        """These N-Quads as this store's own ``dump("nq")`` would spell them (a line a
        statement, each once), so a version can be kept from a difference and still
        equal a dump; None when the backend cannot know (a remote server's dump is
        its own to spell), and the caller dumps."""

    def count(self) -> int: ...

    def close(self) -> None: ...


class Reads:
    """select, ask and construct for a backend that has ``query``: one definition
    for both backends."""

    def query(self, query: str, bindings=None, dataset=None) -> QueryResult:
        raise NotImplementedError

    def encoded(
        self, query: str, dataset: Dataset | None, wanted: Wanted, delivery: Offer | None = None
    ) -> QueryResult | Encoded | Delivered:
        """The answer to a client's query, written as ``wanted`` where the backend
        writes it itself (``wire.Encoded``: the embedded store's query workers do),
        else our own types for the caller to write (``wire.encode``). With a
        ``delivery`` (``wire.Offer``, called for the ``Delivery`` where one is used),
        a backend may write the answer to the client itself (``wire.Delivered``: the
        embedded store's workers do); others ignore it."""
        return self.query(query, dataset=dataset)

    def select(self, query: str, bindings: Mapping[str, Term] | None = None) -> SelectResult:
        result = self.query(query, bindings)
        if not isinstance(result, SelectResult):
            raise QueryError(f"expected a SELECT query, got {query_form(query) or 'something else'}")
        return result

    def ask(self, query: str, bindings: Mapping[str, Term] | None = None) -> bool:
        result = self.query(query, bindings)
        if not isinstance(result, bool):
            raise QueryError(f"expected an ASK query, got {query_form(query) or 'something else'}")
        return result

    def construct(self, query: str, bindings: Mapping[str, Term] | None = None) -> list[Triple]:
        result = self.query(query, bindings)
        if not isinstance(result, list):
            raise QueryError(f"expected a CONSTRUCT or DESCRIBE query, got {query_form(query) or 'something else'}")
        return result


def is_remote(location: str) -> bool:
    return location.startswith(("http://", "https://"))


def open_store(
    location: str | Path,
    *,
    read_only: bool = False,
    max_rows: int = DEFAULT_MAX_ROWS,
    timeout: float = DEFAULT_TIMEOUT,
    update_url: str | None = None,
    graph_store_url: str | None = None,
    sandbox: Limits | None = None,
    warm: bool = True,
) -> Store:
    """Open the store at a folder path or a SPARQL endpoint URL. ``sandbox`` (embedded,
    read-only) runs every query in a worker process under those limits; ``warm``
    starts its spare workers now (else at the caller's ``sandbox.prestart``)."""
    location = str(location)
    if is_remote(location):
        from .remote import RemoteStore

        return RemoteStore(
            location,
            update_url=update_url,
            graph_store_url=graph_store_url,
            max_rows=max_rows,
            timeout=timeout,
            read_only=read_only,
        )
    from .embedded import EmbeddedStore

    return EmbeddedStore(
        Path(location), read_only=read_only, max_rows=max_rows, timeout=timeout, sandbox=sandbox, warm=warm
    )


def quads_text(quads: Sequence[Quad]) -> str:
    """Quads as N-Quads lines (each term escaped by ``Term.n3``)."""
    return "".join(f"{s.n3()} {p.n3()} {o.n3()} {g.n3()} .\n" for s, p, o, g in quads)


def values_clause(bindings: Mapping[str, Term]) -> str:
    """A VALUES block that binds parameters without formatting them into the query:
    each value is serialised and escaped as an RDF term."""
    if not bindings:
        return ""
    names = list(bindings)
    for name in names:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise ValueError(f"not a SPARQL variable name: {name!r}")
    head = " ".join("?" + n for n in names)
    row = " ".join(bindings[n].n3() for n in names)
    return f"\nVALUES ({head}) {{ ({row}) }}\n"


_OPEN_GROUP = re.compile(r"\b(?:WHERE|ASK)\s*\{", re.IGNORECASE)
_MASK = re.compile(r'#[^\n]*|"(?:[^"\\\n]|\\.)*"|<[^<>\s]*>')


def bind_values(query: str, bindings: Mapping[str, Term] | None) -> str:
    """The query with its parameters bound by a VALUES block at the start of the
    outermost WHERE group, where every FILTER and BIND of the query sees them.

    Comments, strings and IRIs are skipped when looking for the group, so a
    "where {" inside them cannot move the block.
    """
    block = values_clause(bindings or {})
    if not block:
        return query
    masked = _MASK.sub(lambda m: " " * len(m.group(0)), query)
    match = _OPEN_GROUP.search(masked)
    if not match:
        return query + block
    return query[: match.end()] + block + query[match.end() :]
