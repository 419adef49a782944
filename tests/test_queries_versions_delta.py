"""An addition's version is kept as the difference it made, and every kept version
still reads back as the store's dump was when it was kept: however many additions
follow, whichever versions fall out of the last ``keep``, and without the store
being dumped for any addition."""

from __future__ import annotations

import pytest

from qharmony.queries.store import open_store
from qharmony.queries.versions import (
    BASES,
    INDEX,
    list_versions,
    read_version,
    record_difference,
    record_version,
)

G = "https://w3id.org/qharmony/graph/doc/"
DEC = "http://www.w3.org/2001/XMLSchema#decimal"


def _quad(doc: int, n: int) -> str:
    return f'<http://e/s{doc}> <http://e/p{n}> "0.{n}50"^^<{DEC}> <{G}d{doc}> .\n'


def _sorted_dump(store) -> list[str]:
    return sorted(store.dump("nq").decode("utf-8").splitlines())


@pytest.fixture
def small_store(tmp_path):
    s = open_store(tmp_path / "store")
    s.replace("".join(_quad(0, n) for n in range(5)).encode("utf-8"))
    yield s
    s.close()


def test_additions_are_kept_as_differences_that_read_back_as_the_dumps(small_store, tmp_path, monkeypatch):
    store = small_store
    folder, keep = tmp_path / "versions", 2
    first = record_version(store, folder, content_hash="0" * 64)
    expected = {first.hash: _sorted_dump(store)}
    previous = first.hash
    for k in range(1, 6):
        removed = _quad(k - 1, 0).encode("utf-8")  # each addition also removes one statement
        added = "".join(_quad(k, n) for n in range(3)).encode("utf-8")
        store.apply(removed, added)
        expected[str(k) * 64] = _sorted_dump(store)
        with monkeypatch.context() as m:
            m.setattr(type(store), "dump", lambda *a, **kw: pytest.fail("an addition's version dumped the store"))
            info = record_difference(
                store, folder, previous=previous, removed=removed, added=added, content_hash=str(k) * 64, keep=keep
            )
        assert info.base == previous and info.file.endswith(".delta.gz")
        assert info.counts["statements"] == len(expected[info.hash])
        assert info.documents == [f"d{d}" for d in range(k + 1)]
        kept = list_versions(folder).versions
        assert [v.hash for v in kept] == [str(j) * 64 for j in range(k, -1, -1)][:keep]
        for v in kept:
            assert sorted(read_version(folder, v)) == expected[v.hash], (k, v.short)
        files = {p.name for p in folder.iterdir()} - {INDEX, BASES}
        needed = {v.file for v in kept} | {f"{v.base}.nq.gz" for v in kept if v.base == first.hash}
        assert files == needed  # a dropped difference's file is gone; the first dump stays while needed
        previous = info.hash


def test_a_whole_build_after_additions_drops_the_bases_it_no_longer_needs(small_store, tmp_path):
    store = small_store
    folder = tmp_path / "versions"
    record_version(store, folder, content_hash="0" * 64)
    added = _quad(1, 1).encode("utf-8")
    store.apply(b"", added)
    record_difference(store, folder, previous="0" * 64, removed=b"", added=added, content_hash="1" * 64, keep=1)
    assert (folder / ("0" * 64 + ".nq.gz")).exists()  # the base of the one kept version
    full = record_version(store, folder, content_hash="2" * 64, keep=1)
    assert {p.name for p in folder.iterdir()} == {INDEX, BASES, full.file}
    assert sorted(read_version(folder, full)) == _sorted_dump(store)


def test_a_difference_not_from_the_newest_version_is_kept_as_a_dump(small_store, tmp_path):
    store = small_store
    folder = tmp_path / "versions"
    record_version(store, folder, content_hash="0" * 64)
    added = _quad(1, 1).encode("utf-8")
    store.apply(b"", added)
    info = record_difference(store, folder, previous="f" * 64, removed=b"", added=added, content_hash="1" * 64)
    assert not info.base and sorted(read_version(folder, info)) == _sorted_dump(store)
