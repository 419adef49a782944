"""``qharmony load`` adds a file beside what the store holds, without rewriting it:
the new generation shares the previous one's data files (hard links), and a file
that does not parse changes nothing."""

from __future__ import annotations

import pytest

from qharmony.queries.errors import QueryError
from qharmony.queries.loading import load_files
from qharmony.queries.store import open_store


def _sst_inodes(folder) -> set[int]:
    return {path.stat().st_ino for path in folder.glob("*.sst")}


def test_load_adds_beside_the_data_without_rewriting_it(tmp_path):
    big = tmp_path / "big.ttl"
    big.write_text("".join(f"<http://ex.org/s{i}> <http://ex.org/p> {i} .\n" for i in range(20_000)))
    small = tmp_path / "small.nt"
    small.write_text("<http://ex.org/x> <http://ex.org/p> <http://ex.org/y> .\n")
    store = open_store(tmp_path / "store")
    assert load_files(store, [big], "http://ex.org/big") == [20_000]
    before = store.generation
    assert load_files(store, [small], "http://ex.org/small") == [1]
    after = store.generation
    assert store.count() == 20_001 and after != before
    shared = _sst_inodes(tmp_path / "store" / before) & _sst_inodes(tmp_path / "store" / after)
    assert shared, "the new generation copied the data instead of linking it"
    store.close()  # as 'qharmony load' ends: RocksDB may still purge files while a writer is open
    reader = open_store(tmp_path / "store", read_only=True)
    assert reader.ask("ASK { GRAPH <http://ex.org/small> { <http://ex.org/x> ?p ?o } }")


def test_a_file_that_does_not_parse_changes_nothing(tmp_path):
    good = tmp_path / "good.nt"
    good.write_text("<http://ex.org/x> <http://ex.org/p> <http://ex.org/y> .\n")
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://ex.org/x> <http://ex.org/p> .\n")
    store = open_store(tmp_path / "store")
    load_files(store, [good], "http://ex.org/g")
    before = store.dump("nq")
    with pytest.raises(QueryError, match="bad.ttl"):
        load_files(store, [good, bad], "http://ex.org/h")
    assert store.dump("nq") == before
