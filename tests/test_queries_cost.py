"""The guess before dispatch: which /sparql queries go to a worker of their own
instead of a warm one reserved for cheap queries."""

from __future__ import annotations

import pytest

from qharmony.queries.cost import looks_expensive

EXPENSIVE = {
    "cartesian": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }",
    "two groups": "SELECT * WHERE { { ?a ?p ?b } { ?c ?q ?d } }",
    "in a graph": "SELECT * WHERE { GRAPH ?g { ?a ?p ?b . ?c ?q ?d } }",
    "filter does not join": "ASK { ?a ?p ?b . ?c ?q ?d FILTER(?b = ?d) }",
    "closure": "SELECT ?x WHERE { <http://ex.org/a> <http://ex.org/p>+ ?x }",
    "prefixed closure": "PREFIX ex: <http://ex.org/> SELECT ?x WHERE { ex:a (ex:p|ex:q)* ?x }",
    "sub-select": "SELECT * WHERE { { SELECT ?s WHERE { ?s ?p ?o } } ?s ?q ?v }",
}
CHEAP = {
    "ask": "ASK { ?s ?p ?o }",
    "empty": "ASK {}",
    "star": "SELECT * WHERE { ?s ?p ?o } LIMIT 10",
    "count": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "joined": "SELECT ?c WHERE { ?e a ?t ; <http://ex.org/code> ?c . ?t ?x ?c }",
    "chain": "SELECT * WHERE { ?a ?p ?b . ?b ?q ?c . ?c ?r ?d }",
    "optional": "SELECT * WHERE { ?a ?p ?b OPTIONAL { ?x ?y ?z } }",
    "union": "SELECT * WHERE { { ?a ?p ?b } UNION { ?a ?q ?c } }",
    "values": "SELECT * WHERE { VALUES ?a { <http://ex.org/a> } ?a ?p ?b }",
    "bind joins": "SELECT * WHERE { ?a ?p ?b BIND(?b AS ?c) ?c ?q ?d }",
    "exists": "SELECT * WHERE { ?a ?p ?b FILTER NOT EXISTS { ?x ?y ?z } }",
    "bound triple": "ASK { <http://ex.org/a> <http://ex.org/p> <http://ex.org/b> . ?s ?p ?o }",
    "construct template": "CONSTRUCT { ?a <http://ex.org/p> 1 . ?b <http://ex.org/q> 2 } WHERE { ?a ?p ?b }",
    "arithmetic": "SELECT (?n * 2 AS ?m) WHERE { ?s <http://ex.org/n> ?n }",
    "strings hide braces": 'SELECT * WHERE { ?s ?p "{ ?x ?y ?z }" }',
}


@pytest.mark.parametrize("name", EXPENSIVE)
def test_shapes_that_grow_without_bound_look_expensive(name):
    assert looks_expensive(EXPENSIVE[name])


@pytest.mark.parametrize("name", CHEAP)
def test_connected_patterns_look_cheap(name):
    assert not looks_expensive(CHEAP[name])
