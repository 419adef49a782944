"""Any SPARQL 1.1 endpoint over HTTP: Protocol for query and update, Graph Store
Protocol for bulk data. A timeout is always set.
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

import rdflib

from qharmony.ontology.namespaces import GRAPH

from .errors import QueryError, QueryTimeout, StoreError, StoreUnavailable
from .formats import DATASET_FORMATS
from .results import QueryResult, Term, Triples, select_from_json
from .screen import screen_query
from .serialize import convert_dataset, term_from_rdflib
from .store import (
    DEFAULT_MAX_ROWS,
    DEFAULT_TIMEOUT,
    RDF_FORMATS,
    Dataset,
    Quad,
    Reads,
    bind_values,
    query_form,
)

STAGING = GRAPH + "staging/"
_PREFIX_LINE = re.compile(r"^\s*PREFIX\s+\S*\s*<[^>]*>\s*$", re.MULTILINE | re.IGNORECASE)


def _derive(url: str, leaf: str) -> str:
    for tail in ("/query", "/sparql"):
        if url.endswith(tail):
            return url[: -len(tail)] + "/" + leaf
    return url.rstrip("/") + "/" + leaf


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
        self.update_url = update_url or _derive(query_url, "update")
        self.graph_store_url = graph_store_url or _derive(query_url, "store")
        self.location = query_url
        self.max_rows = max_rows
        self.timeout = timeout
        self.read_only = read_only

    # ------------------------------------------------------------ HTTP
    def _request(
        self,
        url: str,
        *,
        data: bytes | None = None,
        content_type: str | None = None,
        accept: str | None = None,
        method: str | None = None,
    ) -> bytes:
        headers = {}
        if content_type:
            headers["Content-Type"] = content_type
        if accept:
            headers["Accept"] = accept
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
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
        form = query_form(query)
        text = bind_values(query, bindings)
        screen_query(text)
        url = self.query_url
        if dataset is not None:
            params = [("default-graph-uri", g) for g in dataset[0] or []]
            params += [("named-graph-uri", g) for g in dataset[1] or []]
            if params:
                url += ("&" if "?" in url else "?") + urllib.parse.urlencode(params)
        if form in ("CONSTRUCT", "DESCRIBE"):
            body = self._request(
                url,
                data=text.encode("utf-8"),
                content_type="application/sparql-query",
                accept="application/n-triples",
            )
            graph = rdflib.Graph().parse(data=body, format="nt")
            triples = Triples()
            for s, p, o in graph:
                if len(triples) >= self.max_rows:
                    triples.truncated = True
                    break
                triples.append((term_from_rdflib(s), term_from_rdflib(p), term_from_rdflib(o)))
            return triples
        body = self._request(
            url,
            data=text.encode("utf-8"),
            content_type="application/sparql-query",
            accept="application/sparql-results+json",
        )
        try:
            data = json.loads(body)
        except ValueError as exc:
            raise StoreError(f"{self.query_url} sent results that are not SPARQL JSON") from exc
        if "boolean" in data:
            return bool(data["boolean"])
        return select_from_json(data, self.max_rows)

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
        if fmt not in RDF_FORMATS:
            raise QueryError(f"unknown RDF format {fmt!r}; known: {', '.join(RDF_FORMATS)}")
        nquads = self._request(self.graph_store_url, accept="application/n-quads")
        return nquads if fmt == "nq" else convert_dataset(nquads, fmt)

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

    def _put_graph(self, graph: str, ntriples: bytes) -> None:
        url = self.graph_store_url + "?" + urllib.parse.urlencode({"graph": graph})
        self._request(url, data=ntriples, content_type="application/n-triples", method="PUT")

    def load(self, data: bytes, fmt: str, graph: str | None = None) -> None:
        self._writable()
        if fmt not in RDF_FORMATS:
            raise QueryError(f"unknown RDF format {fmt!r}; known: {', '.join(RDF_FORMATS)}")
        url = self.graph_store_url
        if fmt not in DATASET_FORMATS:
            url += "?" + (urllib.parse.urlencode({"graph": graph}) if graph else "default")
        self._request(url, data=data, content_type=RDF_FORMATS[fmt], method="POST")

    def _graph_names(self, prefix: str) -> list[str]:
        result = self.select(
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), ?prefix)) }",
            {"prefix": Term.literal(prefix)},
        )
        return result.values("g")

    def replace(self, nquads: bytes) -> None:
        """Stage every graph under a fresh name, then swap them in with one update
        request, which the endpoint applies as a whole. Graphs outside the qharmony
        graph namespace (an integrator's own data) are left alone."""
        self._writable()
        dataset = rdflib.Dataset()
        try:
            dataset.parse(data=nquads, format="nquads")
        except Exception as exc:  # rdflib raises several parser error types
            raise QueryError(f"the new dataset does not parse: {exc}") from exc
        for stale in self._graph_names(STAGING):
            self.update(f"DROP SILENT GRAPH {Term.iri(stale).n3()}")
        build = uuid.uuid4().hex[:12]
        moves: list[str] = []
        new_graphs: set[str] = set()
        for graph in dataset.graphs():
            name = str(graph.identifier)
            if name == str(rdflib.graph.DATASET_DEFAULT_GRAPH_ID) or len(graph) == 0:
                continue
            staging = f"{STAGING}{build}/{len(moves)}"
            self._put_graph(staging, graph.serialize(format="nt", encoding="utf-8"))
            moves.append(f"MOVE SILENT {Term.iri(staging).n3()} TO {Term.iri(name).n3()}")
            new_graphs.add(name)
        drops = [
            f"DROP SILENT GRAPH {Term.iri(g).n3()}"
            for g in self._graph_names(GRAPH)
            if g not in new_graphs and not g.startswith(STAGING)
        ]
        self.update(" ;\n".join([*drops, *moves]))

    def close(self) -> None:
        pass
