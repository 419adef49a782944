"""Choosing things from the graph by name: the options of a picker (a ``<datalist>``
of jurisdictions, technologies, arrangements...) and turning what a person typed (a
code, a prefixed name or a label) into the IRI a query binds."""

from __future__ import annotations

from collections.abc import Mapping

from qharmony.queries.catalog import NamedQuery
from qharmony.queries.errors import QueryError
from qharmony.queries.search import named, resolve_name
from qharmony.queries.store import Store

#: a word in a parameter's name -> the kind of entity it names in the search index
KINDS = {
    "jurisdiction": "jurisdiction",
    "technology": "technology",
    "arrangement": "arrangement",
    "entry": "control entry",
    "instrument": "legal instrument",
}


def picker_kind(name: str) -> str | None:
    """The kind of entity a parameter (or form field) called ``name`` picks."""
    lowered = name.lower()
    return next((kind for word, kind in KINDS.items() if word in lowered), None)


def options(store: Store, kind: str) -> list[tuple[str, str]]:
    """(value, label) pairs for a picker: jurisdictions by code with their name, other
    kinds by their name (with the jurisdiction where it tells two apart)."""
    if kind == "jurisdiction":
        return sorted(
            ((code, f"{title} ({code})") for _, title, code in named(store, kind) if code), key=lambda o: o[1]
        )
    return [(title, f"{title} ({code})" if code else title) for _, title, code in named(store, kind)]


def query_pickers(store: Store, query: NamedQuery) -> dict[str, list[tuple[str, str]]]:
    """Picker options for each parameter of a named query that names an entity."""
    found = {}
    for p in query.parameters:
        kind = picker_kind(p.name) if p.type in ("iri", "code") else None
        if kind:
            found[p.name] = options(store, kind)
    return found


def _looks_like_iri(value: str) -> bool:
    return value.startswith(("<", "/id/")) or (":" in value and " " not in value.strip())


def resolve_params(store: Store, query: NamedQuery, raw: Mapping[str, str]) -> dict[str, str]:
    """The parameters with each IRI parameter given as a code or a label replaced by
    the IRI it names; a name nothing matches is an error naming the parameter."""
    resolved = dict(raw)
    for p in query.parameters:
        value = (raw.get(p.name) or "").strip()
        if p.type != "iri" or not value or _looks_like_iri(value):
            continue
        iri = resolve_name(store, value, picker_kind(p.name) or "")
        if iri is None:
            kind = picker_kind(p.name) or "entity"
            raise QueryError(
                f"parameter '{p.name}': no {kind} called {value!r} in the graph; "
                "give a code (US), a name from the list, a prefixed name (qh:QuantumComputer) or an IRI"
            )
        resolved[p.name] = iri
    return resolved
