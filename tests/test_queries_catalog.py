from __future__ import annotations

import pytest

from qharmony.queries.catalog import get_query, list_queries, parse_query, run_named
from qharmony.queries.errors import QueryError
from qharmony.queries.results import SelectResult
from qharmony.queries.store import query_form

ENTITY = "qhid:entry/US/4A906.a.1"


def test_every_query_has_a_header():
    for q in list_queries():
        assert q.title and q.description, q.name


@pytest.mark.slow
@pytest.mark.parametrize("name", [q.name for q in list_queries()])
def test_every_query_parses_and_runs(store, name):
    query = get_query(name)
    examples = {
        "entity": ENTITY,
        "entry": ENTITY,
        "instrument": "https://w3id.org/qharmony/id/instrument/US/15-CFR-740.24",
        "resource": ENTITY,
        "term": "https://w3id.org/qharmony/ontology#QuantumComputer",
        "graph": "https://w3id.org/qharmony/graph/ontology",
        "fingerprint": "0" * 24,
        "prefix": "https://w3id.org/qharmony/graph/",
        "type": "https://w3id.org/qharmony/ontology#ControlEntry",
    }
    params = {p.name: examples[p.name] for p in query.parameters if p.name in examples}
    result = run_named(store, name, params)
    form = query_form(query.text)
    expected = {"SELECT": SelectResult, "ASK": bool, "CONSTRUCT": list}[form]
    assert isinstance(result, expected)
    if form != "SELECT":
        assert result, f"{name} finds nothing about its example"


def test_parameters_are_typed_and_named_in_errors():
    query = get_query("entries_controlling")
    with pytest.raises(QueryError, match="parameter 'jurisdiction'"):
        query.bind({"jurisdiction": "USA"})
    with pytest.raises(QueryError, match="no parameter 'colour'; known: technology, jurisdiction"):
        query.bind({"colour": "red"})
    bound = query.bind({"jurisdiction": "us"})
    assert bound["jurisdiction"].value == "US"
    assert bound["technology"].value.endswith("#QuantumComputer")


def test_unknown_query_lists_known_names():
    with pytest.raises(QueryError, match="known: .*entries_controlling"):
        get_query("nope")


def test_bad_parameter_line_is_reported():
    with pytest.raises(QueryError, match="bad parameter line"):
        parse_query("x", "# title: X\n# param: a nonsense-type\nSELECT * {}")


@pytest.mark.slow
def test_entries_controlling_filters_by_jurisdiction(store):
    codes = run_named(store, "entries_controlling", {"jurisdiction": "US"}).values("code")
    assert "4A906.a.1" in codes and all(c.startswith("4A906") for c in codes)
    cooling = run_named(
        store, "entries_controlling", {"technology": "qh:CryogenicCooling", "jurisdiction": "US"}
    ).values("code")
    assert "3A904.a" in cooling
