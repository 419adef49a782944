"""Any SPARQL 1.1 endpoint over HTTP: Protocol for query and update, Graph Store
Protocol for bulk data, one graph at a time. A timeout is always set.

Tested against the Oxigraph server and OpenLink Virtuoso 7; what differs between
engines lives in ``dialect``. Queries are posted as forms (every engine answers
those), ``DISTINCT`` answers are made distinct again after reading (Virtuoso can
repeat rows), and a swap is checked after it is made.
"""

from __future__ import annotations

import json
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path

import rdflib

from qharmony.ontology.namespaces import GRAPH

from .dialect import GENERIC, Dialect, detect
from .errors import QueryError, QueryTimeout, StoreError, StoreUnavailable
from .formats import DATASET_FORMATS
from .nquads import may_name_blank_nodes, parse_line
from .remote_pieces import dataset_pieces, file_pieces, graphs_of
from .results import QueryResult, SelectResult, Term, Triples, select_from_json
from .screen import screen_query
from .serialize import convert_dataset, ntriples, term_from_rdflib
from .store import (
    DEFAULT_MAX_ROWS,
    DEFAULT_TIMEOUT,
    RDF_FORMATS,
    Dataset,
    Quad,
    Reads,
    bind_values,
    query_form,
    selects_distinct,
)

STAGING = GRAPH + "staging/"
#: a graph no build makes: naming it as the only graph of a dataset makes that part empty
NO_GRAPH = GRAPH + "none"
_FORM_TYPE = "application/x-www-form-urlencoded"
_PREFIX_LINE = re.compile(r"^\s*PREFIX\s+\S*\s*<[^>]*>\s*$", re.MULTILINE | re.IGNORECASE)


def quads_insert(quads: Sequence[Quad]) -> str:
    """The body of an INSERT DATA for quads: one GRAPH block per quad, terms escaped."""
    return " ".join(f"GRAPH {g.n3()} {{ {s.n3()} {p.n3()} {o.n3()} . }}" for s, p, o, g in quads)


class RemoteStore(Reads):
    """A SPARQL 1.1 endpoint with separate query, update and graph-store URLs."""

    def __init__(
        self,
        query_url: str,
        *,
        update_url: str | None = None,
        graph_store_url: str | None = None,
        max_rows: int = DEFAULT_MAX_ROWS,
        timeout: float = DEFAULT_TIMEOUT,
        read_only: bool = False,
    ):
        self.query_url = query_url
        self._update_url = update_url
        self._graph_store_url = graph_store_url
        self.location = query_url
        self.max_rows = max_rows
        self.timeout = timeout
        self.read_only = read_only
        self._dialect: Dialect | None = None
        self._prologue = ""

    # ------------------------------------------------------------ the engine
    @property
    def dialect(self) -> Dialect:
        """The engine's conventions, asked of the endpoint once (its Server header)."""
        if self._dialect is None:
            headers: dict[str, str] = {}
            self._request(self.query_url + ("&" if "?" in self.query_url else "?") + "query=ASK%7B%7D", headers=headers)
            dialect = detect(headers.get("server", ""))
            hidden = list(dialect.own_graphs)
            if dialect.own_graphs_query:
                hidden += self._read(dialect.own_graphs_query, [], GENERIC).values("g")
            self._prologue = dialect.prologue(sorted(set(hidden)))
            self._dialect = dialect
        return self._dialect

    @property
    def update_url(self) -> str:
        return self._update_url or self.dialect.derive(self.query_url, self.dialect.update)

    @property
    def graph_store_url(self) -> str:
        return self._graph_store_url or self.dialect.derive(self.query_url, self.dialect.graph_store)

    # ------------------------------------------------------------ HTTP
    def _request(
        self,
        url: str,
        *,
        data: bytes | None = None,
        content_type: str | None = None,
        accept: str | None = None,
        method: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> bytes:
        """One request; the answer's headers go into ``headers`` (lower-case names)."""
        sent = {}
        if content_type:
            sent["Content-Type"] = content_type
        if accept:
            sent["Accept"] = accept
        request = urllib.request.Request(url, data=data, headers=sent, method=method)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                if headers is not None:
                    headers.update({k.lower(): v for k, v in response.headers.items()})
                return response.read()
        except urllib.error.HTTPError as exc:
            body = exc.read().decode("utf-8", "replace").strip()[:500]
            if exc.code in (400, 415):
                raise QueryError(f"the endpoint refused the request: {body or exc.reason}") from exc
            if exc.code in (502, 503, 504):
                raise StoreUnavailable(f"{url} is unavailable: {exc.code} {exc.reason}") from exc
            raise StoreError(f"{url} answered {exc.code} {exc.reason}: {body}") from exc
        except TimeoutError as exc:
            raise QueryTimeout(f"{url} did not answer within {self.timeout:g} s") from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, (TimeoutError, socket.timeout)):
                raise QueryTimeout(f"{url} did not answer within {self.timeout:g} s") from exc
            raise StoreUnavailable(f"cannot reach the SPARQL endpoint {url}: {exc.reason}") from exc
        except OSError as exc:
            raise StoreUnavailable(f"cannot reach the SPARQL endpoint {url}: {exc}") from exc

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"the store {self.location} is open read-only")

    # ------------------------------------------------------------ reading
    def query(
        self, query: str, bindings: Mapping[str, Term] | None = None, dataset: Dataset | None = None
    ) -> QueryResult:
        text = bind_values(query, bindings)
        screen_query(text)
        params = []
        if dataset is not None and dataset != (None, None):
            # as the embedded store reads it: the default graph is only the graphs
            # named (none: empty), and [] named graphs means none; an engine given no
            # default-graph-uri would read its whole default graph instead
            default, named = dataset
            params = [("default-graph-uri", g) for g in default or [NO_GRAPH]]
            if named is not None:
                params += [("named-graph-uri", g) for g in named or [NO_GRAPH]]
        dialect = self.dialect
        return self._read(
            self._prologue + dialect.prepare(text), params, dialect, query_form(query), selects_distinct(query)
        )

    def _read(
        self, text: str, params: list, dialect: Dialect, form: str = "SELECT", distinct: bool = False
    ) -> QueryResult:
        """Post a query as a form (Virtuoso does not answer application/sparql-query)
        and read the answer in our types, each term in its standard spelling."""
        data = urllib.parse.urlencode([("query", text), *params]).encode("utf-8")
        headers: dict[str, str] = {}
        if form in ("CONSTRUCT", "DESCRIBE"):
            body = self._request(
                self.query_url, data=data, content_type=_FORM_TYPE, accept="application/n-triples", headers=headers
            )
            try:
                graph = rdflib.Graph().parse(data=body, format="nt")
            except Exception as exc:  # rdflib raises several parser error types
                raise StoreError(f"{self.query_url} sent triples that are not N-Triples: {exc}") from exc
            triples = Triples()
            triples.truncated = bool(dialect.cut_header and dialect.cut_header in headers)
            for s, p, o in graph:
                if len(triples) >= self.max_rows:
                    triples.truncated = True
                    break
                triples.append(tuple(dialect.canonical(term_from_rdflib(t)) for t in (s, p, o)))
            return triples
        body = self._request(
            self.query_url,
            data=data,
            content_type=_FORM_TYPE,
            accept="application/sparql-results+json",
            headers=headers,
        )
        try:
            answer = json.loads(body)
        except ValueError as exc:
            raise StoreError(f"{self.query_url} sent results that are not SPARQL JSON") from exc
        if "boolean" in answer:
            return bool(answer["boolean"])
        result = select_from_json(answer)
        # the engine's own row limit cut it: a partial answer, flagged as our cap's is
        cut = bool(dialect.cut_header and dialect.cut_header in headers)
        rows, seen = [], set()
        for row in result.rows:
            row = {k: dialect.canonical(v) for k, v in row.items()}
            if distinct:
                key = tuple(sorted(row.items()))
                if key in seen:
                    continue
                seen.add(key)
            if len(rows) >= self.max_rows:
                return SelectResult(result.variables, rows, True)
            rows.append(row)
        return SelectResult(result.variables, rows, cut)

    def snapshot(self) -> RemoteStore:
        """A remote endpoint has no generations to pin; a swap there is one update."""
        return self

    def count(self) -> int:
        result = self.select(
            # named graphs only: with a union default graph the default graph repeats them
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
        )
        return int(result.rows[0]["n"].value) if result.rows else 0

    def dump(self, fmt: str = "nq") -> bytes:
        """Every named graph but the engine's own, fetched one by one from the graph
        store (the protocol has no request for a whole dataset)."""
        if fmt not in RDF_FORMATS:
            raise QueryError(f"unknown RDF format {fmt!r}; known: {', '.join(RDF_FORMATS)}")
        statements = []
        for name in sorted(self._graph_names()):
            graph = Term.iri(name)
            statements += [(*triple, graph) for triple in self._get_graph(name)]
        nquads = ntriples(statements).encode("utf-8")
        return nquads if fmt == "nq" else convert_dataset(nquads, fmt)

    def dump_spelling(self, nquads: bytes) -> None:
        """Unknown: the server writes its own dump."""
        return None

    def _get_graph(self, name: str) -> list[tuple[Term, Term, Term]]:
        url = self.graph_store_url + "?" + urllib.parse.urlencode({"graph": name})
        body = self._request(url, accept="application/n-triples")
        try:
            graph = rdflib.Graph().parse(data=body, format="nt")
        except Exception as exc:  # rdflib raises several parser error types
            raise StoreError(f"{url} sent a graph that is not N-Triples: {exc}") from exc
        canonical = self.dialect.canonical
        return [tuple(canonical(term_from_rdflib(t)) for t in triple) for triple in graph]

    # ------------------------------------------------------------ writing
    def update(self, update: str) -> None:
        self._writable()
        self._request(self.update_url, data=update.encode("utf-8"), content_type="application/sparql-update")

    def amend(self, quads: Sequence[Quad], updates: Sequence[tuple[str, Mapping[str, Term]]] = ()) -> None:
        """One update request, which the endpoint applies as a whole (also from a
        read-only handle: the explorer's one write, a reviewer's decision)."""
        parts = [f"INSERT DATA {{ {quads_insert(quads)} }}"] if quads else []
        prefixes: dict[str, None] = {}
        for text, bindings in updates:
            # every PREFIX goes to the top: some engines refuse a prologue after ';'
            prefixes.update(dict.fromkeys(m.group(0).strip() for m in _PREFIX_LINE.finditer(text)))
            parts.append(_PREFIX_LINE.sub("", bind_values(text, bindings)))
        if parts:
            body = "\n".join(prefixes) + "\n" + " ;\n".join(parts)
            self._request(self.update_url, data=body.encode("utf-8"), content_type="application/sparql-update")

    def apply(self, remove: bytes, add: bytes) -> None:
        """Take a build's difference (N-Quads to remove, to add) in one update request,
        DELETE DATA then INSERT DATA, which the endpoint applies as a whole: adding a
        document to a remote store sends what changes, never the whole dataset."""
        self._writable()
        parts = []
        for operation, data in (("DELETE DATA", remove), ("INSERT DATA", add)):
            quads = [q for q in map(parse_line, data.decode("utf-8").splitlines()) if q is not None]
            body = " ".join(
                f"GRAPH <{q.graph}> {{ {q.subject} {q.predicate} {q.object} . }}"
                if q.graph
                else f"{q.subject} {q.predicate} {q.object} ."
                for q in quads
            )
            if body:
                parts.append(f"{operation} {{ {body} }}")
        if parts:
            self._request(
                self.update_url, data=" ;\n".join(parts).encode("utf-8"), content_type="application/sparql-update"
            )

    def _send_graph(self, graph: str | None, ntriples_data: bytes, method: str) -> None:
        query = urllib.parse.urlencode({"graph": graph}) if graph else "default"
        url = self.graph_store_url + "?" + query
        self._request(url, data=ntriples_data, content_type=RDF_FORMATS["nt"], method=method)

    def load(self, data: bytes, fmt: str, graph: str | None = None) -> None:
        """Add RDF through the graph store, one graph per request: a dataset format is
        split into its graphs first (the protocol has no request for several)."""
        self._writable()
        if fmt not in RDF_FORMATS:
            raise QueryError(f"unknown RDF format {fmt!r}; known: {', '.join(RDF_FORMATS)}")
        if fmt not in DATASET_FORMATS:
            self._request(
                self.graph_store_url + "?" + (urllib.parse.urlencode({"graph": graph}) if graph else "default"),
                data=data,
                content_type=RDF_FORMATS[fmt],
                method="POST",
            )
            return
        for name, triples in graphs_of(data, fmt):
            self._send_graph(name, triples.serialize(format="nt", encoding="utf-8"), "POST")

    def _graph_names(self, prefix: str = "") -> list[str]:
        """Named graphs (the engine's own hidden), those starting with ``prefix``."""
        if not prefix:  # Virtuoso: no string starts with ""
            return self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").values("g")
        result = self.select(
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), ?prefix)) }",
            {"prefix": Term.literal(prefix)},
        )
        return result.values("g")

    def _graph_sizes(self, names: list[str]) -> dict[str, int]:
        """How many statements each of these graphs holds (absent: none)."""
        if not names:
            return {}
        values = " ".join(Term.iri(n).n3() for n in names)
        result = self.select(
            f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"
        )
        return {row["g"].value: int(row["n"].value) for row in result.rows}

    def replace(self, nquads: bytes | Path) -> None:
        """Stage every graph under a fresh name, then swap them in with one update
        request, which the endpoint applies as a whole; then check that every graph
        arrived whole and no staging graph is left, and fail loudly if not. Graphs
        outside the qharmony graph namespace that the new dataset does not name (an
        integrator's own data) are left alone. A file (a build's output) is read a
        line at a time and sent in pieces of about ``SEND_BYTES`` (the first of a graph
        PUT, the next ones POSTed to it), so memory holds a piece, not the dataset;
        a file that may name a blank node is sent graph by graph as a whole, so that a
        blank node stays one node."""
        self._writable()
        if isinstance(nquads, Path) and may_name_blank_nodes(nquads):
            nquads = nquads.read_bytes()
        pieces = file_pieces(nquads, SEND_BYTES) if isinstance(nquads, Path) else dataset_pieces(nquads)
        for stale in self._graph_names(STAGING):
            self.update(f"DROP SILENT GRAPH {Term.iri(stale).n3()}")
        build = uuid.uuid4().hex[:12]
        staged: dict[str, str] = {}
        expected: dict[str, int] = {}
        try:
            for name, data, count in pieces:
                first = name not in staged
                if first:
                    staged[name] = f"{STAGING}{build}/{len(staged)}"
                self._send_graph(staged[name], data, "PUT" if first else "POST")
                expected[name] = expected.get(name, 0) + count
        except QueryError:
            for staging in staged.values():  # a line that does not parse: nothing of it stays
                self.update(f"DROP SILENT GRAPH {Term.iri(staging).n3()}")
            raise
        moves = [f"MOVE {Term.iri(staging).n3()} TO {Term.iri(name).n3()}" for name, staging in staged.items()]
        drops = [
            f"DROP SILENT GRAPH {Term.iri(g).n3()}"
            for g in self._graph_names(GRAPH)
            if g not in expected and not g.startswith(STAGING)
        ]
        if drops or moves:
            self.update(" ;\n".join([*drops, *moves]))
        self._check_swap(expected, build)

    def _check_swap(self, expected: dict[str, int], build: str) -> None:
        left = self._graph_names(f"{STAGING}{build}/")
        found = self._graph_sizes(list(expected))
        wrong = [g for g, n in expected.items() if found.get(g, 0) != n]
        if left or wrong:
            shown = ", ".join(f"{g} ({found.get(g, 0)} of {expected[g]})" for g in wrong[:5])
            raise StoreError(
                f"{self.update_url} did not swap the new graphs in: "
                f"{len(left)} staging graph(s) left, {len(wrong)} graph(s) incomplete{': ' + shown if shown else ''}"
            )

    def close(self) -> None:
        pass


#: bytes of N-Triples a replace from a file holds before sending them
SEND_BYTES = 8 * 1024 * 1024
