"""Named SPARQL queries, one per ``rq/*.rq`` file, loaded by name.

Each file starts with a comment header::

    # title: Entries that control a technology
    # description: One line or more on what the query answers.
    # param: technology iri = qh:QuantumComputer -- the technology class
    # param: jurisdiction code optional -- ISO 3166 code, or EU
    # column: giverCode -- Giver

``column`` lines title a result column for people (tables, exports keep the name).

Parameters are bound as RDF terms in a trailing ``VALUES`` block (each value
serialised and escaped as a term, never spliced into the query), so a value cannot
change what the query does. Both backends bind the same way, so they give the same
rows. A trailing VALUES joins before projection; keep parameters out of aggregates.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from qharmony.ontology.namespaces import ID, PREFIXES, XSD

from .dates import parse_day
from .errors import QueryError
from .results import QueryResult, SelectResult, Term
from .store import Store

PARAM_TYPES = ("iri", "string", "code", "date", "integer", "decimal", "boolean")

_HEADER = re.compile(r"^#\s*(title|description|param|column):\s?(.*)$")
_COLUMN = re.compile(r"^(?P<name>[A-Za-z_]\w*)\s+--\s+(?P<title>.+)$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_]\w*)\s+(?P<type>\w+)"
    r"(?:\s+(?P<optional>optional)|\s*=\s*(?P<default>\S+))?"
    r"(?:\s+--\s+(?P<help>.*))?$"
)


@dataclass(frozen=True)
class Parameter:
    """A typed query parameter from an ``.rq`` header."""

    name: str
    type: str
    default: str | None = None
    required: bool = True
    help: str = ""

    def to_term(self, raw: str) -> Term:
        """Check a user's value against the type and make it an RDF term."""
        value = raw.strip()
        bad = f"parameter '{self.name}' must be {_DESCRIBE[self.type]}, got {raw!r}"
        if self.type == "iri":
            iri = expand_iri(value)
            if not re.match(r"^[a-z][a-z0-9+.-]*:[^\s<>\"{}|^`\\]+$", iri, re.IGNORECASE):
                raise QueryError(bad)
            return Term.iri(iri)
        if self.type == "code":
            if not re.fullmatch(r"[A-Z]{2}", value.upper()):
                raise QueryError(bad)
            return Term.literal(value.upper())
        if self.type == "date":
            try:
                return Term.literal(parse_day(value).isoformat(), XSD + "date")
            except ValueError:
                raise QueryError(bad) from None
        if self.type == "integer":
            if not re.fullmatch(r"[+-]?\d+", value):
                raise QueryError(bad)
            return Term.literal(str(int(value)), XSD + "integer")
        if self.type == "decimal":
            try:
                float(value)
            except ValueError:
                raise QueryError(bad) from None
            return Term.literal(value, XSD + "double")
        if self.type == "boolean":
            if value.lower() not in ("true", "false"):
                raise QueryError(bad)
            return Term.literal(value.lower(), XSD + "boolean")
        return Term.literal(raw)


_DESCRIBE = {
    "iri": "an IRI or a prefixed name such as qh:QuantumComputer",
    "string": "text",
    "code": "a two-letter ISO 3166 code such as US, or EU",
    "date": "a date written YYYY-MM-DD (or 'today')",
    "integer": "a whole number",
    "decimal": "a number",
    "boolean": "true or false",
}


def expand_iri(value: str) -> str:
    """Expand ``qh:Thing`` and ``qhid:entry/US/4A906`` style names; leave IRIs alone."""
    value = value.strip().removeprefix("<").removesuffix(">")
    prefix, _, local = value.partition(":")
    if prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    if value.startswith("/id/"):
        return ID + value[len("/id/") :]
    return value


@dataclass(frozen=True)
class NamedQuery:
    """A query from the catalog: its text and what it needs."""

    name: str
    title: str
    description: str
    text: str
    parameters: tuple[Parameter, ...] = field(default_factory=tuple)
    #: (variable, title) pairs from ``# column:`` lines
    columns: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    def bind(self, raw: Mapping[str, str] | None = None) -> dict[str, Term]:
        """Turn user strings into bound terms; unknown or missing names are errors."""
        raw = dict(raw or {})
        known = {p.name: p for p in self.parameters}
        unknown = sorted(set(raw) - set(known))
        if unknown:
            allowed = ", ".join(known) or "none"
            raise QueryError(f"query '{self.name}' has no parameter '{unknown[0]}'; known: {allowed}")
        bindings: dict[str, Term] = {}
        for param in self.parameters:
            value = raw.get(param.name)
            if value is None or value == "":
                value = param.default
            if value is None:
                if param.required:
                    raise QueryError(f"query '{self.name}' needs parameter '{param.name}'")
                continue
            bindings[param.name] = param.to_term(value)
        return bindings


def parse_query(name: str, text: str) -> NamedQuery:
    """Read the header of an ``.rq`` file."""
    fields: dict[str, list[str]] = {"title": [], "description": [], "param": [], "column": []}
    for line in text.splitlines():
        match = _HEADER.match(line.strip())
        if match:
            fields[match.group(1)].append(match.group(2).strip())
        elif line.strip() and not line.lstrip().startswith("#"):
            break
    params = []
    for spec in fields["param"]:
        match = _PARAM.match(spec)
        if not match or match.group("type") not in PARAM_TYPES:
            raise QueryError(
                f"query '{name}': bad parameter line {spec!r}; expected "
                f"'NAME TYPE [optional | = DEFAULT] -- help' with TYPE one of {', '.join(PARAM_TYPES)}"
            )
        params.append(
            Parameter(
                name=match.group("name"),
                type=match.group("type"),
                default=match.group("default"),
                required=not match.group("optional") and match.group("default") is None,
                help=(match.group("help") or "").strip(),
            )
        )
    columns = []
    for spec in fields["column"]:
        match = _COLUMN.match(spec)
        if not match:
            raise QueryError(f"query '{name}': bad column line {spec!r}; expected 'NAME -- Title'")
        columns.append((match.group("name"), match.group("title").strip()))
    title = " ".join(fields["title"]) or name.replace("_", " ")
    return NamedQuery(name, title, " ".join(fields["description"]), text, tuple(params), tuple(columns))


@lru_cache(maxsize=1)
def _bundled() -> dict[str, NamedQuery]:
    folder = resources.files("qharmony.queries").joinpath("rq")
    found = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            name = entry.name[:-3]
            found[name] = parse_query(name, entry.read_text(encoding="utf-8"))
    return found


def list_queries() -> list[NamedQuery]:
    """The bundled named queries, by name."""
    return list(_bundled().values())


def get_query(name: str) -> NamedQuery:
    """A named query, or a clear error listing the known names."""
    try:
        return _bundled()[name]
    except KeyError:
        raise QueryError(f"unknown query '{name}'; known: {', '.join(_bundled())}") from None


def load_query_file(path: str | Path) -> NamedQuery:
    """A query from a user's own ``.rq`` file, header optional."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"cannot read query file {path}: {exc}") from exc
    return parse_query(path.stem, text)


def resolve(name_or_path: str) -> NamedQuery:
    """A bundled query by name, or a file when the argument names one."""
    if name_or_path.endswith(".rq") or "/" in name_or_path:
        return load_query_file(name_or_path)
    return get_query(name_or_path)


def run_named(store: Store, name_or_path: str, params: Mapping[str, str] | None = None) -> QueryResult:
    """Run a named query (or a query file) with its parameters bound."""
    query = resolve(name_or_path)
    return store.query(query.text, query.bind(params))


def uncapped(store: Store) -> Store:
    """The store as the analyses read it: every row, however many. The row cap is
    for people's own queries (``/sparql``, ``qharmony query``); an analysis cut at it
    would be a wrong answer. A backend may offer ``uncapped()`` (embedded Oxigraph
    evaluates our own queries outside the query workers); otherwise a copy with the
    cap lifted."""
    view = getattr(store, "uncapped", None)
    if callable(view):
        return view()
    if getattr(store, "max_rows", 0) >= UNCAPPED_ROWS:
        return store
    lifted = copy.copy(store)
    lifted.max_rows = UNCAPPED_ROWS
    return lifted


#: more rows than any graph holds
UNCAPPED_ROWS = 2**62


def select_all(store: Store, name: str, bindings: Mapping[str, Term] | None = None) -> SelectResult:
    """Every row of a named query, never cut at the row cap (see ``uncapped``); an
    answer still cut (a remote endpoint's own limit) is an error, since a partial
    answer would be a wrong one for an analysis or an index."""
    result = uncapped(store).select(get_query(name).text, dict(bindings or {}))
    if result.truncated:
        raise QueryError(
            f"query '{name}' was cut short by the store ({len(result.rows)} rows); "
            "the endpoint limits its answers (raise its result limit to analyse a graph this large)"
        )
    return result


_ORDERED = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)
_PAGED = re.compile(r"\b(LIMIT|OFFSET)\s+\d+\s*$", re.IGNORECASE)


def select_pages(
    store: Store, name: str, bindings: Mapping[str, Term] | None = None, page_size: int | None = None
) -> list[dict[str, Term]]:
    """Every row of a named query however many there are, read page by page under the
    store's row cap (for an index that must be complete). The query must end in an
    ORDER BY, so that the pages neither overlap nor leave rows out."""
    query = get_query(name)
    body = query.text.rstrip()
    if not _ORDERED.search(body) or _PAGED.search(body):
        raise QueryError(f"query '{name}' must end in ORDER BY, without LIMIT or OFFSET, to be read page by page")
    size = page_size or store.max_rows
    rows: list[dict[str, Term]] = []
    while True:
        page = store.select(f"{body}\nLIMIT {size} OFFSET {len(rows)}\n", dict(bindings or {}))
        rows.extend(page.rows)
        if len(page.rows) < size and not page.truncated:
            return rows
