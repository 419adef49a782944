"""The SPARQL 1.1 Protocol's query operation, without Flask: reading a request (from a
WSGI environ, or a Flask request: the same attributes), choosing the answer's
format, preparing the query and writing the answer.

Why apart from the blueprint (``sparql.py``): the front door (``front.py``) answers
``/sparql`` queries with this module alone, so a query is answered with little work
per request and before ``serve`` has imported the pages (Flask, rdflib). The
blueprint uses the same functions for what it still serves (the editor page, the
service description, ``labels=1``), so there is one home for each rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from io import BytesIO
from urllib.parse import parse_qs, quote

from qharmony.ontology.namespaces import TRUNCATED
from qharmony.queries.errors import QueryError, StoreError
from qharmony.queries.lanes import public_queries
from qharmony.queries.results import QueryResult
from qharmony.queries.screen import check_services, screen_query
from qharmony.queries.store import Dataset, query_form
from qharmony.queries.wire import MEDIA, Delivered, Encoded, Offer, Wanted, encode, kind_of

from .negotiation import RDF_MEDIA, RDF_SUFFIX
from .security import content_disposition

TABULAR = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
BOOLEAN = {k: v for k, v in TABULAR.items() if v in ("json", "xml")}
#: ``format=`` names (a download link) -> media type; they override Accept
FORMAT_MEDIA = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    **RDF_SUFFIX,
}
#: media types a program asks /sparql for; a request preferring any of them gets data
DATA_MEDIA = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "application/json",
    "application/xml",
    "text/csv",
    "text/tab-separated-values",
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "application/rdf+xml",
)
#: per result kind: the media it may be sent as, its default, and its name in errors
CHOICES = {
    "select": (TABULAR, "application/sparql-results+json", "SELECT"),
    "boolean": (BOOLEAN, "application/sparql-results+json", "ASK"),
    "graph": (RDF_MEDIA, "text/turtle", "CONSTRUCT or DESCRIBE"),
}
_COMMENTS = re.compile(r"^\s*#.*$", re.M)
_BASE = re.compile(r"\s*BASE\b", re.I)
_ABSOLUTE_IRI = re.compile(r'^[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>"{}|^`\\]*$')
_SIMPLE_MEDIA = re.compile(r"^[A-Za-z0-9.+\-]+/[A-Za-z0-9.+\-]+$")


class ProtocolError(StoreError):
    """A request the protocol does not allow; the status says which kind."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


# ------------------------------------------------------------------ reading requests
class Params(dict):
    """Parameters by name, each a list of values: the part of a MultiDict we use."""

    def getlist(self, name: str) -> list[str]:
        return list(super().get(name, ()))

    def get(self, name: str, default=None):
        values = super().get(name)
        return values[0] if values else default


class Accept(list):
    """An Accept header as (media type, quality) pairs, and ``best_match`` as
    werkzeug's: a missing or one-type header is read here; any other is handed to
    werkzeug (imported then: browsers and the editor send those)."""

    def __init__(self, header: str | None):
        self.header = header
        if not header:
            super().__init__()
            self._full = None
        elif _SIMPLE_MEDIA.match(header):
            super().__init__([(header.lower(), 1)])
            self._full = None
        else:
            from werkzeug.datastructures import MIMEAccept
            from werkzeug.http import parse_accept_header

            self._full = parse_accept_header(header, MIMEAccept)
            super().__init__(self._full)

    def best_match(self, matches: list[str], default: str | None = None) -> str | None:
        if self._full is not None:
            return self._full.best_match(matches, default)
        if self:
            wanted = self[0][0]
            return next((m for m in matches if m.lower() == wanted), default)
        return default


class LightRequest:
    """What the protocol reads from a request, straight from the WSGI environ: the
    attribute names of a Flask request, so the same functions read both."""

    def __init__(self, environ: dict):
        self.environ = environ
        self.method = environ.get("REQUEST_METHOD", "GET")
        content_type = environ.get("CONTENT_TYPE", "")
        self.mimetype, _, rest = content_type.partition(";")
        self.mimetype = self.mimetype.strip().lower()
        self.mimetype_params = _content_type_params(rest)
        query_string = environ.get("QUERY_STRING", "").encode("latin-1", "replace").decode("utf-8", "replace")
        self.args = Params(parse_qs(query_string, keep_blank_values=True))
        self._data: bytes | None = None
        self.form = Params()
        if self.method == "POST" and self.mimetype == "application/x-www-form-urlencoded":
            self.form = Params(parse_qs(self.get_data().decode("utf-8", "replace"), keep_blank_values=True))
        self.values = Params({**self.form, **self.args})
        for name, values in self.form.items():
            if name in self.args:
                self.values[name] = self.args.getlist(name) + values
        self.accept_mimetypes = _accept(environ.get("HTTP_ACCEPT"))
        scheme = environ.get("wsgi.url_scheme", "http")
        self.host_url, self.base_url = _urls(
            scheme, _host(environ, scheme), environ.get("SCRIPT_NAME", ""), environ.get("PATH_INFO", "")
        )
        self.url_root = self.host_url
        self.remote_addr = environ.get("REMOTE_ADDR")

    def get_data(self) -> bytes:
        """The body, read once; put back in the environ for whoever reads it next."""
        if self._data is None:
            try:
                length = int(self.environ.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            self._data = self.environ["wsgi.input"].read(length) if length > 0 else b""
            self.environ["wsgi.input"] = BytesIO(self._data)
        return self._data


@lru_cache(maxsize=64)
def _urls(scheme: str, host: str, script: str, path: str) -> tuple[str, str]:
    """The host URL and the base URL of a request (werkzeug's ``host_url`` and
    ``base_url``): the same few for every request a server gets, so worked out once."""
    host_url = f"{scheme}://{host}{quote(script.rstrip('/'))}/"
    return host_url, host_url + quote(path.lstrip("/"))


@lru_cache(maxsize=64)
def _accept(header: str | None) -> Accept:
    """An Accept header read once per spelling (clients send the same few; do not
    change what it gives)."""
    return Accept(header)


def _content_type_params(rest: str) -> dict[str, str]:
    params = {}
    for part in rest.split(";"):
        name, sep, value = part.partition("=")
        if sep:
            params[name.strip().lower()] = value.strip().strip('"')
    return params


def _host(environ: dict, scheme: str) -> str:
    """The host (and a port that is not the scheme's default), as werkzeug names it."""
    host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
    if not environ.get("HTTP_HOST"):
        host = f"{host}:{environ.get('SERVER_PORT', '')}"
    default = {"http": ":80", "https": ":443"}.get(scheme)
    return host[: -len(default)] if default and host.endswith(default) else host


def _one(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise ProtocolError(f"give exactly one '{name}' parameter, not {len(values)}")
    return values[0] if values else None


def _graph_uris(req, name: str) -> list[str] | None:
    """Dataset IRIs from the URL and a form body; a value that carries a second,
    encoded parameter ("...data1.rdf&named-graph-uri=...") is split leniently."""
    values = req.args.getlist(name)
    if req.mimetype == "application/x-www-form-urlencoded":
        values += req.form.getlist(name)
    found: list[str] = []
    for value in values:
        found.extend(v for v in value.split(f"&{name}=") if v)
    for iri in found:
        if not _ABSOLUTE_IRI.match(iri):
            raise ProtocolError(f"'{name}' must be an absolute IRI, got {iri!r}")
    return found or None


def _refuse_updates(req) -> None:
    """An ``update`` anywhere (URL or form) is refused, whatever else the request holds."""
    in_form = req.mimetype == "application/x-www-form-urlencoded" and "update" in req.form
    if "update" in req.args or in_form or req.mimetype == "application/sparql-update":
        raise ProtocolError("updates are not accepted: this endpoint is read-only", 403)


def operation(req) -> tuple[str | None, Dataset]:
    """The query text and protocol dataset of a request, or a ProtocolError."""
    _refuse_updates(req)
    if req.method in ("GET", "HEAD"):  # HEAD: the same answer, its body left unsent
        query = _one(req.args.getlist("query"), "query")
    elif req.mimetype == "application/x-www-form-urlencoded":
        query = _one(req.form.getlist("query") + req.args.getlist("query"), "query")
        if query is None:
            raise ProtocolError("the form has no 'query' field")
    elif req.mimetype == "application/sparql-query":
        charset = (req.mimetype_params.get("charset") or "utf-8").lower()
        if charset not in ("utf-8", "utf8"):
            raise ProtocolError(f"the query must be sent as UTF-8, not {charset}", 415)
        try:
            query = req.get_data().decode("utf-8")
        except UnicodeDecodeError:
            raise ProtocolError("the request body is not valid UTF-8") from None
        if req.args.getlist("query"):
            raise ProtocolError("give the query either in the body or in the URL, not both")
    else:
        given = req.mimetype or "no content type"
        raise ProtocolError(
            f"unsupported content type ({given}); POST a query as application/sparql-query "
            "or as the 'query' field of application/x-www-form-urlencoded",
            415,
        )
    return query, (_graph_uris(req, "default-graph-uri"), _graph_uris(req, "named-graph-uri"))


def wants_page(req) -> bool:
    """True for a browser's navigation (text/html named, at least as wanted as data)."""
    if req.values.get("format"):
        return False
    named = {media: q for media, q in req.accept_mimetypes}
    html = max(named.get("text/html", 0), named.get("application/xhtml+xml", 0))
    data = max((q for media, q in named.items() if media in DATA_MEDIA), default=0)
    return html > 0 and html >= data


# ------------------------------------------------------------------ formats
def choose_media(req, kind: str) -> tuple[str, dict[str, str]]:
    """The media type to answer a ``kind`` result with: ``format=`` when given (then
    as a download), else the best match for Accept; and the headers that go with it."""
    choices, default, form = CHOICES[kind]
    name = req.values.get("format", "")
    if not name:
        return req.accept_mimetypes.best_match(list(choices)) or default, {}
    media = FORMAT_MEDIA.get(name)
    if media not in choices:
        allowed = sorted(k for k, v in FORMAT_MEDIA.items() if v in choices)
        raise ProtocolError(f"parameter 'format': {name!r} does not fit a {form} query; use {', '.join(allowed)}")
    return media, {"Content-Disposition": content_disposition(f"query-results.{name}")}


def prepare(query: str, base_url: str, allow: list[str], own_urls: list[str]) -> str:
    """The client's query as it is run: a query form checked, relative IRIs resolved
    against the endpoint (the base the protocol suggests), screened, SERVICE checked."""
    if not query_form(query):
        raise QueryError(
            "not a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE); updates are refused by this read-only endpoint"
        )
    if not _BASE.match(_COMMENTS.sub("", query)):
        query = f"BASE <{base_url}>\n{query}"
    check_services(screen_query(query).services, allow, own_urls)
    return query


@dataclass
class Reply:
    """An answer to send: status, headers and body; ``delivered`` when a query worker
    has written it to the client already (``wire.Delivered``: the body is then the
    answer's if the worker gave it back, else empty)."""

    body: bytes
    media: str
    headers: dict[str, str] = field(default_factory=dict)
    status: int = 200
    delivered: Delivered | None = None


def content_type(media: str) -> str:
    """The Content-Type header of a media type, with a charset where werkzeug adds one."""
    if media.startswith("text/") or media.endswith("+xml") or media == "application/xml":
        return f"{media}; charset=utf-8"
    return media


def formats(req) -> tuple[dict[str, tuple[str, dict[str, str]] | ProtocolError], Wanted]:
    """For each result kind, the media and headers to answer with (or the error to
    raise if the answer is of that kind), and the formats for ``Store.encoded``: the
    same for every request with the same Accept and ``format=``, so worked out once
    for each (shared: callers copy the headers before adding to them)."""
    accept, name = req.accept_mimetypes, req.values.get("format", "")
    if isinstance(accept, Accept) and _worth_keeping(accept.header, name):  # ours (a Flask request's is werkzeug's)
        return _formats_for(accept.header, name)
    return _formats(_Chosen(accept, name))


#: the longest Accept header whose choices are kept (browsers and clients send under 300)
_KEPT_ACCEPT_CHARS = 1024


def _worth_keeping(header: str | None, name: str) -> bool:
    """Only a known ``format=`` and a short Accept are kept: a client could otherwise
    fill the cache with errors that quote megabytes of made-up format names."""
    return (not name or name in FORMAT_MEDIA) and (header is None or len(header) <= _KEPT_ACCEPT_CHARS)


@lru_cache(maxsize=64)
def _formats_for(header: str | None, name: str):
    return _formats(_Chosen(_accept(header), name))


def _formats(req) -> tuple[dict[str, tuple[str, dict[str, str]] | ProtocolError], Wanted]:
    chosen: dict[str, tuple[str, dict[str, str]] | ProtocolError] = {}
    wanted: Wanted = {}
    for kind in CHOICES:
        try:
            chosen[kind] = choose_media(req, kind)
        except ProtocolError as exc:  # raised only if the answer is of this kind
            chosen[kind] = exc
            continue
        if kind != "graph":
            wanted[kind] = TABULAR[chosen[kind][0]]
    return chosen, wanted


class _Chosen:
    """What ``choose_media`` reads of a request: its Accept and its ``format=``."""

    def __init__(self, accept: Accept, name: str):
        self.accept_mimetypes, self.values = accept, Params({"format": [name]} if name else {})


#: how a caller offers to have an answer written to the client by the query worker:
#: given the client's query and, per result kind a worker writes, the media type and
#: headers of its answer, a ``wire.Offer`` (or None, not this time)
Direct = Callable[[str, dict[str, tuple[str, dict[str, str]]]], Offer | None]


def answer(req, store, allow: list[str], direct: Direct | None = None) -> Reply:
    """Run the request's query on ``store`` (a snapshot) and write its answer: by the
    query worker where the store has them (``Store.encoded``), else here. With
    ``direct``, the worker may write it to the client itself (``Reply.delivered``)."""
    query, dataset = operation(req)
    if query is None:
        raise ProtocolError("the request has no query")
    chosen, wanted = formats(req)
    text = prepare(query, req.base_url, allow, [req.host_url, req.url_root])
    delivery = None
    if direct is not None:
        delivery = direct(query, {kind: (MEDIA[fmt], chosen[kind][1]) for kind, fmt in wanted.items()})
    with public_queries():  # a client's text: the long-query cap and the lanes apply
        result = store.encoded(text, dataset, wanted, delivery)
    if isinstance(result, Delivered):
        media, headers = chosen[result.kind]
        kept = result.answer
        return Reply(kept.body if kept else b"", MEDIA[wanted[result.kind]], dict(headers), delivered=result)
    return write(result, req, (chosen, wanted))


def write(result: QueryResult | Encoded, req, chosen_formats=None) -> Reply:
    """The reply for an answer, in the format the request asks for (written already
    when it is ``Encoded``); a ProtocolError when that format does not fit its kind.
    ``chosen_formats``: what ``formats(req)`` gave, when the caller has it already."""
    chosen, wanted = chosen_formats or formats(req)
    kind = result.kind if isinstance(result, Encoded) else kind_of(result)
    if isinstance(chosen[kind], ProtocolError):  # shared: raised as a copy of its own
        raise ProtocolError(str(chosen[kind]), chosen[kind].status)
    media, headers = chosen[kind]
    headers = dict(headers)  # the chosen formats are shared by requests
    if kind == "graph":
        return graph_reply(result, media, headers)
    if not isinstance(result, Encoded):
        result = encode(result, wanted)
    if result.truncated:
        headers["X-Qharmony-Truncated"] = "true"
    return Reply(result.body, result.media, headers)


def graph_reply(triples: list, media: str, headers: dict[str, str] | None = None) -> Reply:
    """CONSTRUCT and DESCRIBE answers; a cut one says so in a header and, in the
    line-based formats, in a comment at the top of the body."""
    from qharmony.queries.serialize import triples_to  # rdflib: only when a graph is asked for

    body = triples_to(triples, RDF_MEDIA[media])
    headers = dict(headers or {})
    if getattr(triples, "truncated", False):
        headers["X-Qharmony-Truncated"] = "true"
        if media in ("text/turtle", "application/n-triples"):
            body = f"# truncated: this answer was cut at {len(triples):,} triples ({TRUNCATED})\n".encode() + body
    return Reply(body, media, headers)
