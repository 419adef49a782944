"""An addition's difference is what the swap really changes: a statement it removes
and states again (a validation result re-stated under its stable IRI) stays in the
store, so the kept version keeps it and the count carried on in the manifest does
not go down."""

from __future__ import annotations

from qharmony.ingest.adding import _difference, _statements_after
from qharmony.ingest.mapping import to_nquads
from qharmony.queries.results import Term
from qharmony.queries.store import open_store
from qharmony.queries.versions import read_version, record_difference, record_version

VALIDATION = "https://w3id.org/qharmony/graph/validation"


def _quad(subject: str, value: str) -> tuple:
    return (Term.iri(subject), Term.iri("http://e/p"), Term.literal(value), Term.iri(VALIDATION))


def test_a_statement_removed_and_stated_again_stays_in_the_version_and_the_count(tmp_path):
    store = open_store(tmp_path / "store")
    try:
        store.replace(to_nquads([_quad("http://e/r1", "warn"), _quad("http://e/r2", "other")]))
        before, folder = store.count(), tmp_path / "versions"
        record_version(store, folder, content_hash="0" * 64)
        remove = [_quad("http://e/r1", "warn"), _quad("http://e/r2", "other")]
        add = [_quad("http://e/r1", "warn"), _quad("http://e/r3", "new")]
        removed, added = to_nquads(remove), to_nquads(add)
        difference = _difference(store, remove, add, removed, added)
        store.apply(removed, added)
        assert _statements_after(store, before, difference) == store.count() == 2
        gone, new = difference
        info = record_difference(store, folder, previous="0" * 64, removed=gone, added=new, content_hash="1" * 64)
        dump = sorted(store.dump("nq").decode("utf-8").splitlines())
        assert sorted(read_version(folder, info)) == dump
        assert info.counts["statements"] == len(dump)
    finally:
        store.close()
