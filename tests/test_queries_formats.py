"""The one table of RDF formats: every name it gives works in rdflib and pyoxigraph,
and one function writes N-Triples and canonical N-Quads."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from qharmony.queries.errors import QueryError
from qharmony.queries.formats import DATASET_FORMATS, FORMATS, SUFFIXES, rdf_format
from qharmony.queries.loading import format_of
from qharmony.queries.results import Term
from qharmony.queries.serialize import convert_dataset, ntriples, triples_to

S, P = Term.iri("http://example.org/s"), Term.iri("http://example.org/p")
QUADS = [
    (S, P, Term.literal("b"), Term.iri("http://example.org/g2")),
    (S, P, Term.literal("a", lang="en"), Term.iri("http://example.org/g1")),
]


@pytest.mark.parametrize("name", list(FORMATS))
def test_every_format_is_known_to_rdflib_and_pyoxigraph(name):
    fmt = FORMATS[name]
    data = convert_dataset(ntriples(QUADS).encode("utf-8"), name)
    # JSON-LD can hold graphs, but we write a single graph in it
    assert ox.RdfFormat.from_media_type(fmt.media_type).supports_datasets or not fmt.dataset
    parsed = list(ox.parse(data, format=ox.RdfFormat.from_media_type(fmt.media_type)))
    assert len(parsed) == 2
    if not fmt.dataset:
        assert len(rdflib.Graph().parse(data=triples_to([q[:3] for q in QUADS], name), format=fmt.rdflib)) == 2


def test_suffixes_name_their_format_and_unknown_ones_are_listed():
    assert format_of(Path("x.owl")) == "rdf" and format_of(Path("x.JSON")) == "jsonld"
    assert DATASET_FORMATS == {"nq", "trig"} and set(SUFFIXES) >= {".ttl", ".nq", ".trig", ".jsonld"}
    with pytest.raises(QueryError, match=r"unknown RDF file type '\.csv'; known: .*\.ttl"):
        format_of(Path("x.csv"))
    with pytest.raises(ValueError, match="unknown RDF format 'n3'; known: nq, trig"):
        rdf_format("n3")


def test_one_line_writer_for_triples_and_canonical_quads():
    assert ntriples([QUADS[0][:3]]) == '<http://example.org/s> <http://example.org/p> "b" .\n'
    lines = ntriples(QUADS, sort=True).splitlines()
    assert lines == sorted(lines) and lines[0].endswith('"a"@en <http://example.org/g1> .')
