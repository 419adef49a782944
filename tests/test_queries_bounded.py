"""The proof that a query costs no more than the rows it returns (``queries.bounded``):
what it lets the server evaluate in its own process, and what it leaves to a worker."""

from __future__ import annotations

import pytest

from qharmony.queries.bounded import is_bounded

BOUNDED = [
    "SELECT ?p ?o WHERE { <http://ex.org/e> ?p ?o }",
    "ASK { <http://ex.org/e> ?p ?o }",
    "SELECT ?e ?code WHERE { ?e <http://www.w3.org/2004/02/skos/core#notation> ?code } LIMIT 20",
    "BASE <http://127.0.0.1/sparql>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    "SELECT * { ?e skos:notation '4A906' . }",
    "SELECT ?s WHERE { ?s a <http://ex.org/C> }  # a comment\n",
    'ASK WHERE { ?s <http://ex.org/n> "3"^^<http://www.w3.org/2001/XMLSchema#integer> }',
    "SELECT ?s { ?s <http://ex.org/n> 3 }",
]
UNBOUNDED = {
    "two patterns": "SELECT * { ?a ?p ?b . ?c ?q ?d }",
    "a join": "SELECT * { ?a <http://ex.org/p> ?b . ?b ?q ?c }",
    "a variable twice": "SELECT * { ?x ?x ?o }",
    "a variable twice, subject and object": "ASK { ?x <http://ex.org/p> ?x }",
    "order by": "SELECT * { ?s ?p ?o } ORDER BY ?o",
    "distinct": "SELECT DISTINCT ?o { ?s ?p ?o }",
    "offset": "SELECT * { ?s ?p ?o } OFFSET 900000",
    "limit and offset": "SELECT * { ?s ?p ?o } LIMIT 5 OFFSET 900000",
    "an aggregate": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }",
    "group by": "SELECT ?p { ?s ?p ?o } GROUP BY ?p",
    "a filter": "SELECT * { ?s ?p ?o FILTER(REGEX(STR(?o), 'x')) }",
    "a path": "SELECT * { ?s <http://ex.org/p>+ ?o }",
    "an alternative path": "SELECT * { ?s <http://ex.org/p>|<http://ex.org/q> ?o }",
    "a nested group": "SELECT * { { ?s ?p ?o } }",
    "optional": "SELECT * { ?s ?p ?o OPTIONAL { ?o ?q ?r } }",
    "a graph pattern": "SELECT * { GRAPH ?g { ?s ?p ?o } }",
    "service": "SELECT * { SERVICE <http://other.example/sparql> { ?s ?p ?o } }",
    "from": "SELECT * FROM <http://ex.org/g> { ?s ?p ?o }",
    "values after": "SELECT * { ?s ?p ?o } VALUES ?s { <http://ex.org/a> }",
    "a language tag": "SELECT * { ?s ?p 'x'@en }",
    "a predicate list": "SELECT * { ?s <http://ex.org/p> ?o ; <http://ex.org/q> ?r }",
    "an object list": "SELECT * { ?s <http://ex.org/p> ?o , ?r }",
    "a blank node": "SELECT * { [] ?p ?o }",
    "construct": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "describe": "DESCRIBE <http://ex.org/e>",
    "a sub-select": "SELECT * { SELECT * { ?s ?p ?o } }",
    "a keyword as a term": "SELECT * { ?s ?p FILTER }",
    "not a query": "INSERT DATA { <http://a> <http://b> <http://c> }",
    "a limit that is not a number": "SELECT * { ?s ?p ?o } LIMIT ?x",
    "two limits": "SELECT * { ?s ?p ?o } LIMIT 5 LIMIT 6",
    "empty": "",
}


@pytest.mark.parametrize("query", BOUNDED)
def test_one_triple_pattern_cut_at_the_row_cap_is_bounded(query):
    assert is_bounded(query)


@pytest.mark.parametrize("name", sorted(UNBOUNDED))
def test_anything_else_goes_to_a_worker(name):
    assert not is_bounded(UNBOUNDED[name])


def test_strings_iris_and_comments_hide_no_second_pattern():
    """What looks like structure inside a string, an IRI or a comment is not read."""
    assert is_bounded("SELECT * { ?s ?p '} . ?a ?b ?c . {' }")
    assert is_bounded("SELECT * { ?s <http://ex.org/a#b.c> ?o }  # } ORDER BY ?o")
    assert not is_bounded("SELECT * { ?s ?p ?o }\n# a comment\nORDER BY ?o")


def test_texts_that_once_slipped_past_or_stalled_the_proof_go_to_a_worker():
    """Each of these was wrongly proved one pattern, or took the proof seconds (a regular
    expression that can split a run of ``#`` or of spaces many ways stalls every request
    while it runs): now each is refused at once, and a worker, with its timeout, takes it."""
    from qharmony.queries.evaluation import top_level

    texts = [
        "PREFIX x: <http://x/>\nSELECT * { ?s x:\\#t ?o . ?a ?b ?c\n?o }",  # an escape that hid a second pattern
        "SELECT * { _:b ?p _:b }",  # one blank node twice: a filter over a whole index
        "SELECT * { ?s ?p ?o " + "#" * 60 + "\n FILTER",
        "SELECT * { ?s ?p x:" + "\u00e9" * 60 + " ",
        "SELECT ?v" + " " * 3900 + "{ ?a ?b ?c . ?d ?e ?f }",
        "SELECT * { ?s ?p ?o } LIMIT " + "9" * 5000,
    ]
    for text in texts:
        assert not is_bounded(text)
    assert top_level("SELECT * { ?s ?p ?o } LIMIT " + "9" * 5000).limit is None  # no int() of 5,000 digits
