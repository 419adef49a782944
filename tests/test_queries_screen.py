"""The lexical screen in front of every query: the queries that crashed pyoxigraph are
refused with a message, every named query passes, and SERVICE is off unless allowed."""

from __future__ import annotations

from importlib import resources

import pytest

from qharmony.queries.errors import QueryError
from qharmony.queries.screen import MAX_CHAIN, MAX_DEPTH, check_services, screen_query

#: Each of these killed the server process (exit 139) before the screen existed.
CRASHERS = {
    "3,000 nested { }": "SELECT * WHERE " + "{" * 3000 + "}" * 3000,
    "5,000 nested BIND((": "SELECT * WHERE { BIND(" + "(" * 5000 + "1" + ")" * 5000 + " AS ?x) }",
    "1,000 nested FILTER EXISTS": "SELECT * WHERE { " + "FILTER EXISTS { " * 1000 + "}" * 1000 + " }",
    "3,000 nested OPTIONAL": "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o " * 3000 + "}" * 3000 + " }",
    "3,000 sub-SELECTs": "SELECT * WHERE " + "{ SELECT * WHERE " * 3000 + "{}" + "}" * 3000,
    "10,000 !": "SELECT * WHERE { FILTER(" + "!" * 10000 + "true) }",
    "20,000 1+1": "SELECT * WHERE { BIND(" + "+".join(["1"] * 20000) + " AS ?x) }",
    "10,000 UNION": "SELECT * WHERE { " + " UNION ".join(["{?s ?p ?o}"] * 10000) + " }",
}


@pytest.mark.parametrize("name", CRASHERS)
def test_queries_that_crashed_the_engine_are_refused_with_the_limit(name):
    with pytest.raises(QueryError) as err:
        screen_query(CRASHERS[name])
    message = str(err.value)
    assert str(MAX_DEPTH) in message or str(MAX_CHAIN) in message
    assert err.value.status == 400


def test_a_huge_query_is_refused_by_size():
    with pytest.raises(QueryError, match="characters"):
        screen_query("ASK { " + "?s ?p ?o . " * 30_000 + "}")


def test_every_named_query_passes_the_screen():
    folder = resources.files("qharmony.queries") / "rq"
    names = [f for f in folder.iterdir() if f.name.endswith(".rq")]
    assert names
    for path in names:
        screen_query(path.read_text(encoding="utf-8"))


def test_brackets_and_operators_inside_strings_iris_and_comments_do_not_count():
    deep = "{" * 500 + "!" * 1000
    screen_query(f"SELECT * WHERE {{ BIND(\"{deep}\" AS ?x) BIND('''{deep}''' AS ?y) }}  # {deep}\n")
    screen_query(f"SELECT * WHERE {{ ?s <http://ex.org/{'%7B' * 100}> ?o }}")


def test_depth_just_under_the_limit_passes():
    screen_query("SELECT * WHERE " + "{" * MAX_DEPTH + "}" * MAX_DEPTH)
    with pytest.raises(QueryError):
        screen_query("SELECT * WHERE " + "{" * (MAX_DEPTH + 1) + "}" * (MAX_DEPTH + 1))


def test_service_targets_are_found_resolved_and_variables_refused():
    found = screen_query(
        "PREFIX ex: <http://ex.org/> SELECT * WHERE { SERVICE SILENT ex:sparql { ?s ?p ?o } "
        "service <http://other.org/q> { ?a ?b ?c } ?x <http://ex.org/SERVICE> 'SERVICE <http://no/>' }"
    )
    assert found.services == ["http://ex.org/sparql", "http://other.org/q"]
    relative = screen_query("SELECT * WHERE { SERVICE <sparql> {} }", base="http://127.0.0.1:8321/sparql")
    assert relative.services == ["http://127.0.0.1:8321/sparql"]
    with pytest.raises(QueryError, match="variable"):
        screen_query("SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }")
    with pytest.raises(QueryError, match="not declared"):
        screen_query("SELECT * WHERE { SERVICE nope:x { } }")


def test_service_is_off_by_default_and_allowlisted_by_prefix():
    with pytest.raises(QueryError, match="off"):
        check_services(["http://ex.org/sparql"], [], ["http://127.0.0.1:8321/"])
    check_services(["http://ex.org/sparql"], ["http://ex.org/"], ["http://127.0.0.1:8321/"])
    with pytest.raises(QueryError, match="not allowed"):
        check_services(["http://evil.org/sparql"], ["http://ex.org/"], ["http://127.0.0.1:8321/"])
    check_services([], [], [])


def test_service_back_to_the_server_is_refused_even_when_allowed():
    own = ["http://127.0.0.1:8321/"]
    for loop in ("http://127.0.0.1:8321/sparql", "http://localhost:8321/sparql", "http://127.0.0.2:8321/sparql"):
        with pytest.raises(QueryError, match="call this server back"):
            check_services([loop], ["http://"], own)
    check_services(["http://127.0.0.1:7878/query"], ["http://127.0.0.1:7878/"], own)  # another port: allowed


def test_from_is_noticed_so_the_query_dataset_is_used():
    assert screen_query("SELECT * FROM <http://g> WHERE { ?s ?p ?o }").has_dataset_clause
    assert screen_query("SELECT * FROM NAMED <http://g> WHERE { GRAPH ?g { ?s ?p ?o } }").has_dataset_clause
    assert not screen_query("SELECT * WHERE { ?s <http://ex.org/FROM> 'FROM <x>' }").has_dataset_clause


def test_names_and_variables_beyond_ascii_are_one_token_each():
    """The name classes run from U+00B7/U+00C0 to U+FFFF (written so that they
    compile at once); a character beyond the plane is a token of its own."""
    from qharmony.queries.screen import query_tokens

    tokens = list(query_tokens("SELECT ?naïve ?中文 WHERE { ex:é·x ?p \U0001f600 } # ¶"))
    assert tokens == [
        ("name", "SELECT"),
        ("var", "?naïve"),
        ("var", "?中文"),
        ("name", "WHERE"),
        ("open", "{"),
        ("name", "ex:é·x"),
        ("var", "?p"),
        ("other", "\U0001f600"),
        ("close", "}"),
    ]
    assert list(query_tokens("?a\u00b6")) == [("var", "?a"), ("other", "\u00b6")]


def test_the_quick_pass_by_character_counts_learns_what_reading_the_tokens_learns():
    """A short text passed by counting characters (``_plainly_within``) is one the
    reading of its tokens passes too, learning the same (no SERVICE, no FROM); the
    texts just past a limit, or naming SERVICE or FROM anywhere, are read whole."""
    from qharmony.queries import screen

    folder = resources.files("qharmony.queries") / "rq"
    texts = [f.read_text(encoding="utf-8") for f in folder.iterdir() if f.name.endswith(".rq")]
    texts += list(CRASHERS.values()) + [
        "SELECT * WHERE " + "{" * MAX_DEPTH + "}" * MAX_DEPTH,
        "SELECT * WHERE { FILTER(" + "!" * MAX_CHAIN + "true) }",
        "SELECT * WHERE { SERVICE <http://other.example/sparql> { ?s ?p ?o } }",
        "SELECT * FROM <http://ex.org/g> WHERE { ?s ?p ?o }",
        "SELECT * WHERE { ?s <http://ex.org/p> 'service from union' }",
    ]
    quick = 0
    for text in texts:
        if len(text) > screen.CACHED_CHARS or not screen._plainly_within(text):
            continue
        quick += 1
        read = screen._screen(text, None)  # raises if the reading refuses it: it must not
        assert read.services == [] and not read.has_dataset_clause, text
    assert quick >= 5
    for refused in ("{" * (MAX_DEPTH + 1), "!" * (MAX_CHAIN + 1), "SERVICE", "from", "union " * (MAX_CHAIN + 1)):
        assert not screen._plainly_within(f"SELECT * WHERE {{ ?s ?p '{refused}' }}")


def test_a_carriage_return_ends_a_comment_so_nothing_hides_behind_one():
    """pyoxigraph ends a comment at a carriage return as at a line feed: what follows
    one is read as the query (``#\\rSERVICE <...>`` called that endpoint unscreened)."""
    from qharmony.queries.bounded import is_bounded

    hidden = "SELECT * WHERE { #\rSERVICE <http://other.example/sparql> { ?s ?p ?o } }"
    assert screen_query(hidden).services == ["http://other.example/sparql"]
    with pytest.raises(QueryError, match="SERVICE"):
        check_services(screen_query(hidden).services, [], [])
    with pytest.raises(QueryError, match=str(MAX_DEPTH)):
        screen_query("SELECT * WHERE { ?s ?p ?o } #\r" + "{" * 200)
    assert not is_bounded("SELECT * { ?s ?p ?o } #x\rORDER BY ?o")
    assert is_bounded("SELECT * { ?s ?p ?o } #x\r\n")


def test_an_escape_in_a_name_or_an_iri_hides_nothing_behind_it():
    """pyoxigraph reads ``x:\\#type`` as one prefixed name and ``<http://x/\\u0041#>``
    as one IRI: read as a name ending at the backslash (or a refused IRI) and a
    comment, each hid the rest of its line, a SERVICE call too, from the screen."""
    import pyoxigraph as ox

    in_name = "PREFIX x: <http://x/>\nSELECT * { ?s x:\\#t ?o . SERVICE <http://other.example/a> { ?a ?b ?c }\n}"
    in_iri = "PREFIX y: <http://x/\\u0041#> SELECT * { SERVICE <http://other.example/b> { ?a ?b ?c } }"
    assert screen_query(in_name).services == ["http://other.example/a"]
    assert screen_query(in_iri).services == ["http://other.example/b"]
    for text, call in ((in_name, "SERVICE <http://other.example/a>"), (in_iri, "SERVICE <http://other.example/b>")):
        ox.Store().query(text.replace(call, ""))  # pyoxigraph takes the text as a query: it parses
    with pytest.raises(QueryError, match=str(MAX_DEPTH)):
        screen_query("SELECT * WHERE { ?s <http://x/\\u0041#> ?o " + "{" * 200 + "}")
