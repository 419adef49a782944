"""Screening a query before any engine sees it: size, nesting depth, operator
chains, SERVICE targets and dataset clauses, read from the tokens outside strings,
IRIs and comments.

Why: pyoxigraph parses and evaluates recursively, and deep enough nesting overflows
its stack and kills the whole process (3,000 nested ``{ }``, 1,000 nested
``FILTER EXISTS``, 10,000 ``!``, 20,000 ``1+1+...``). A cheap lexical pass refuses
such a query with a message before it is parsed. The limits sit an order of
magnitude below the depths that crash, and far above what a hand-written query uses.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from .errors import QueryError

#: Most characters in one query.
MAX_QUERY_CHARS = 200_000
#: Most brackets ``{ ( [`` open at once.
MAX_DEPTH = 100
#: Most operators (``! && || + - * / = < >``, ``UNION``, ``/ |`` in paths) inside one bracket.
MAX_CHAIN = 500

#: the characters U+00B7 (U+00C0) to U+FFFF, written as "none below, none above
#: the plane": the same set, compiled at once (a class ranging over 65,000 characters
#: costs the compiler tens of milliseconds, at every start of a server and a worker)
_FROM_B7 = r"[^\x00-\xb6\U00010000-\U0010ffff]"
_FROM_C0 = r"[^\x00-\xbf\U00010000-\U0010ffff]"
#: a prefixed name's local part: its characters, ``%`` escapes and the backslash
#: escapes of PN_LOCAL_ESC (``x:\#type`` is one name; read as ``x:\`` and a comment,
#: it hid the rest of its line, a SERVICE call too, from the screen)
_LOCAL = r"(?:[\w.\-:%]|\\[_~.\-!$&'()*+,;=/?\#@%]|{B7})*"
#: the tokens as pyoxigraph reads them; a comment ends at a line feed or a carriage
#: return (read to the line feed only, ``#\rSERVICE <...>`` hid a SERVICE call); an
#: IRI may hold ``\u`` and ``\U`` escapes, as pyoxigraph accepts (refused, the rest of
#: its line read as a comment)
_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\r\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
      |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
  | (?P<var>[?$](?:[A-Za-z0-9_]|{B7})+)
  | (?P<name>(?:[A-Za-z_]|{C0})(?:[\w.\-]|{B7})*(?::{LOCAL})?|:{LOCAL})
  | (?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+)
  | (?P<open>[{(\[])
  | (?P<close>[})\]])
  | (?P<op>&&|\|\||!=|<=|>=|\^\^|[!+\-*/=<>|^])
  | (?P<space>\s+)
  | (?P<other>.)
    """.replace("{LOCAL}", _LOCAL)
    .replace("{B7}", _FROM_B7)
    .replace("{C0}", _FROM_C0),
    re.VERBOSE | re.DOTALL,
)


@dataclass
class Screened:
    """What the screen learned about a query that passed it."""

    #: SERVICE targets as absolute IRIs (relative ones resolved against the base)
    services: list[str] = field(default_factory=list)
    #: True when the query names its own dataset (FROM or FROM NAMED)
    has_dataset_clause: bool = False


def query_tokens(query: str):
    """(kind, text) of each token outside comments and white space. A short text's
    tokens are kept for the few texts seen last: the screen, the cost guess and the
    worker's reading of the top level each go over the same text."""
    return iter(_kept_tokens(query)) if len(query) <= CACHED_CHARS else _tokens(query)


def _tokens(query: str):
    for match in _TOKEN.finditer(query):
        kind = match.lastgroup
        if kind not in ("comment", "space"):
            yield kind, match.group()


@functools.lru_cache(maxsize=64)
def _kept_tokens(query: str) -> tuple[tuple[str, str], ...]:
    return tuple(_tokens(query))


def screen_query(query: str, *, base: str | None = None) -> Screened:
    """Refuse a query that is too large, nested too deep or chains too many
    operators, with a QueryError naming the limit; otherwise say what it uses (the
    same object for the same text: do not change it)."""
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(f"the query has {len(query):,} characters; the limit is {MAX_QUERY_CHARS:,}")
    if len(query) <= CACHED_CHARS and _plainly_within(query):
        return _NOTHING
    return (_screened if len(query) <= CACHED_CHARS else _screen)(query, base)


#: what the screen learns of a query that names no SERVICE and no FROM
_NOTHING = Screened()
_OPERATOR_CHARS = "!&|+-*/=<>^"


@functools.lru_cache(maxsize=512)  # a text is screened on its way in and again by the store
def _plainly_within(query: str) -> bool:
    """True when counting characters anywhere in the text (strings, IRIs and comments
    too) shows every limit holds and neither SERVICE nor FROM appears: each count is
    at least what the screen's reading of the tokens would find, so the screen would
    pass it and learn nothing (``_NOTHING``). A fresh short query is then screened
    without being read token by token; any other goes the whole way."""
    if query.count("{") + query.count("(") + query.count("[") > MAX_DEPTH:
        return False
    upper = query.upper()
    if "SERVICE" in upper or "FROM" in upper:
        return False
    return sum(map(query.count, _OPERATOR_CHARS)) + upper.count("UNION") <= MAX_CHAIN


def _screen(query: str, base: str | None) -> Screened:
    prefixes: dict[str, str] = {}
    out = Screened()
    chains = [0]
    tokens = list(query_tokens(query))
    for i, (kind, text) in enumerate(tokens):
        if kind == "open":
            chains.append(0)
            if len(chains) - 1 > MAX_DEPTH:
                raise QueryError(
                    f"the query nests brackets more than {MAX_DEPTH} deep; simplify it (this limit protects the server)"
                )
        elif kind == "close":
            if len(chains) > 1:
                chains.pop()
        elif kind == "op" or (kind == "name" and text.upper() == "UNION"):
            chains[-1] += 1
            if chains[-1] > MAX_CHAIN:
                raise QueryError(
                    f"the query chains more than {MAX_CHAIN} operators in one expression or group; "
                    "split it (this limit protects the server)"
                )
        elif kind == "name":
            word = text.upper()
            if word == "BASE" and i + 1 < len(tokens) and tokens[i + 1][0] == "iri":
                base = urljoin(base or "", tokens[i + 1][1][1:-1])
            elif word == "PREFIX" and i + 2 < len(tokens) and tokens[i + 2][0] == "iri":
                prefixes[tokens[i + 1][1].rstrip(":")] = urljoin(base or "", tokens[i + 2][1][1:-1])
            elif word == "FROM":
                out.has_dataset_clause = True
            elif word == "SERVICE":
                out.services.append(_service_target(tokens, i, prefixes, base))
    return out


#: A short text's screen is kept (for the 512 seen last): a query is screened on its
#: way to a worker and again in it, and clients send the same ones again.
CACHED_CHARS = 4000
_screened = functools.lru_cache(maxsize=512)(_screen)


def _service_target(tokens: list[tuple[str, str]], i: int, prefixes: dict[str, str], base: str | None) -> str:
    j = i + 1
    if j < len(tokens) and tokens[j] == ("name", tokens[j][1]) and tokens[j][1].upper() == "SILENT":
        j += 1
    if j >= len(tokens):
        raise QueryError("SERVICE needs an endpoint IRI")
    kind, text = tokens[j]
    if kind == "var":
        raise QueryError(f"SERVICE {text}: a variable endpoint is not allowed; name the endpoint IRI")
    if kind == "iri":
        return urljoin(base or "", text[1:-1])
    if kind == "name" and ":" in text:
        prefix, _, local = text.partition(":")
        if prefix not in prefixes:
            raise QueryError(f"SERVICE {text}: the prefix '{prefix}:' is not declared")
        return prefixes[prefix] + local
    raise QueryError(f"SERVICE must be followed by an endpoint IRI, not {text!r}")


def check_services(targets: list[str], allow: list[str], own_urls: list[str]) -> None:
    """Refuse SERVICE unless every target starts with an allowed prefix and does not
    lead back to this server (which would let one request occupy it many times)."""
    if not targets:
        return
    if not allow:
        raise QueryError(
            f"SERVICE <{targets[0]}>: federated queries are off on this endpoint "
            "(an operator can allow endpoints with QHARMONY_SERVICE_ALLOW)"
        )
    own = {_origin(u) for u in own_urls if u}
    for target in targets:
        if not any(target.startswith(prefix) for prefix in allow):
            raise QueryError(f"SERVICE <{target}>: that endpoint is not allowed; allowed prefixes: {', '.join(allow)}")
        if _origin(target) in own:
            raise QueryError(f"SERVICE <{target}>: a query may not call this server back")


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    try:
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    except ValueError:
        port = None
    host = (parts.hostname or "").lower()
    if host in ("localhost", "::1", "0.0.0.0") or host.startswith("127."):
        host = "loopback"
    return parts.scheme, host, port
