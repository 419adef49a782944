"""How a term of a query result is shown in a table: an IRI by its label (from the
search index) with a link only where the link is safe, a literal as text with its
language or datatype as a hint, and a column by a title a person reads."""

from __future__ import annotations

import re

from qharmony.ontology.namespaces import ID, QH, XSD, compact
from qharmony.queries.results import Term
from qharmony.queries.search import titles

from .present import one
from .store import get_store

#: datatypes whose values read plainly (a date, a number): no hint beside them
PLAIN_TYPES = {XSD + t for t in ("date", "integer", "decimal", "double", "boolean", "string", "gYearMonth")}


def term_href(iri: str) -> str | None:
    """Where an IRI in a result links: our entities and terms to their pages, web IRIs
    as they are, anything else (urn:, javascript:, mailto:) nowhere."""
    if iri.startswith(ID):
        return "/id/" + iri[len(ID) :]
    if iri.startswith(QH) and len(iri) > len(QH):
        return "/ontology/" + iri[len(QH) :]
    if iri.startswith(("http://", "https://")):
        return iri
    return None


def iri_text(iri: str) -> str:
    """An IRI as a person reads it when it has no label: a prefixed name, or for our
    entities the path after ``id/`` (``entry/US/4A906``)."""
    if iri.startswith(ID):
        return iri[len(ID) :]
    return compact(iri)


def term_cell(term: Term | None, labels: dict[str, str] | None = None) -> dict:
    """What a result cell shows: text (an IRI's label where the graph has one), a link
    where one is safe, and a hint (the language or datatype of a literal)."""
    if term is None:
        return {"text": "", "href": None, "hint": "", "title": ""}
    if term.type == "uri":
        text = (labels or {}).get(term.value) or iri_text(term.value)
        return {"text": text, "href": term_href(term.value), "hint": "", "title": term.value}
    if term.type == "bnode":
        return {"text": "_:" + term.value, "href": None, "hint": "", "title": ""}
    hint = ""
    if term.lang and not term.lang.lower().startswith("en"):
        hint = "@" + term.lang
    elif term.datatype and term.datatype not in PLAIN_TYPES:
        hint = compact(term.datatype)
    return {"text": term.value, "href": None, "hint": hint, "title": ""}


def shown_variables(variables: list[str], rows: list[dict[str, Term]]) -> list[str]:
    """The columns a person needs: ``xLabel`` is left out beside an IRI column ``x``,
    whose cells already show that label (exports keep every column)."""
    iri_columns = {v for v in variables if any(r.get(v) is not None and r[v].type == "uri" for r in rows)}
    return [v for v in variables if not (v.endswith("Label") and v[: -len("Label")] in iri_columns)]


def table_rows(variables: list[str], rows: list[dict[str, Term]]) -> list[list[dict]]:
    """Cells for rows of a result, with one label lookup for all their IRIs."""
    labels = titles(get_store(), [t.value for r in rows for t in r.values() if t.type == "uri"])
    return [[term_cell(r.get(v), labels) for v in variables] for r in rows]


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def column_title(variable: str, titles_given: dict[str, str] | None = None) -> str:
    """A column's title: the query header's ``# column:`` line for it, else the
    variable name in words (``giverCode`` -> "Giver code")."""
    if titles_given and variable in titles_given:
        return titles_given[variable]
    words = _CAMEL.sub(" ", variable).replace("_", " ").lower()
    return words[:1].upper() + words[1:]


def threshold_cell(row: dict[str, Term]) -> dict:
    """A row's threshold (parameter, comparator, value) in legal notation."""
    try:
        value = float(row["value"].value) if "value" in row else 0.0
        text = one(row["parameter"].value, row["comparator"].value, value)
    except (KeyError, ValueError):
        text = ""
    return {"text": text, "href": None, "hint": "", "title": ""}
