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


def test_a_rebuild_back_to_a_kept_base_keeps_its_file_while_listed(small_store, tmp_path):
    # ``build --replace`` back to the first corpus after additions: the same content
    # hash is listed again as a whole version while a difference still needs it as a base
    store, folder = small_store, tmp_path / "versions"
    record_version(store, folder, content_hash="0" * 64, keep=2)
    first = _sorted_dump(store)
    previous = "0" * 64
    for k in (1, 2):
        added = _quad(k, 0).encode("utf-8")
        store.apply(b"", added)
        record_difference(store, folder, previous=previous, removed=b"", added=added, content_hash=str(k) * 64, keep=2)
        previous = str(k) * 64
    store.replace("".join(_quad(0, n) for n in range(5)).encode("utf-8"))
    record_version(store, folder, content_hash="0" * 64, keep=2)
    store.replace(_quad(9, 0).encode("utf-8"))
    record_version(store, folder, content_hash="9" * 64, keep=2)
    kept = {v.hash: v for v in list_versions(folder).versions}
    assert set(kept) == {"0" * 64, "9" * 64}
    assert sorted(read_version(folder, kept["0" * 64])) == first


def test_a_crash_while_dropping_versions_leaves_every_listed_version_readable(small_store, tmp_path, monkeypatch):
    import qharmony.queries.versions as versions

    store, folder = small_store, tmp_path / "versions"
    record_version(store, folder, content_hash="0" * 64, keep=2)
    dumps, previous = {"0" * 64: _sorted_dump(store)}, "0" * 64
    for k in (1, 2, 3):
        removed, added = _quad(k - 1, 0).encode("utf-8"), _quad(k, 0).encode("utf-8")
        store.apply(removed, added)
        dumps[str(k) * 64] = _sorted_dump(store)
        with monkeypatch.context() as m:
            if k == 3:  # killed when the joined difference is written, before the index is
                real = versions._write_list

                def killed(path, listed, real=real):
                    if path.name == INDEX:
                        raise KeyboardInterrupt
                    real(path, listed)

                m.setattr(versions, "_write_list", killed)
            try:
                record_difference(
                    store, folder, previous=previous, removed=removed, added=added, content_hash=str(k) * 64, keep=2
                )
            except KeyboardInterrupt:
                pass
        listed = list_versions(folder).versions
        for v in listed:
            assert sorted(read_version(folder, v)) == dumps[v.hash], (k, v.short)
        previous = str(k) * 64 if k < 3 else previous
    assert [v.hash for v in list_versions(folder).versions] == ["2" * 64, "1" * 64]


def test_a_reader_holding_an_old_listing_reads_a_version_joined_since(small_store, tmp_path):
    store, folder = small_store, tmp_path / "versions"
    record_version(store, folder, content_hash="0" * 64, keep=2)
    previous = "0" * 64
    for k in (1, 2, 3):
        removed, added = _quad(k - 1, 0).encode("utf-8"), _quad(k, 0).encode("utf-8")
        store.apply(removed, added)
        record_difference(
            store, folder, previous=previous, removed=removed, added=added, content_hash=str(k) * 64, keep=2
        )
        if k == 2:  # a reader lists the versions now and reads "2" after "3" is recorded
            held, expected = list_versions(folder).versions[0], _sorted_dump(store)
        previous = str(k) * 64
    assert held.base == "1" * 64 and not (folder / held.file).exists()  # "2" was joined onto "0"
    assert sorted(read_version(folder, held)) == expected


def test_joined_differences_read_back_when_a_later_one_adds_again_what_an_earlier_removed(small_store, tmp_path):
    store, folder = small_store, tmp_path / "versions"
    record_version(store, folder, content_hash="0" * 64, keep=1)
    steps = [  # (removed, added): the second adds back what the first removed, the third removes what it added
        (_quad(0, 1), _quad(1, 0)),
        (_quad(1, 0), _quad(0, 1) + _quad(2, 0)),
        (_quad(2, 0), _quad(1, 0)),
    ]
    previous = "0" * 64
    for k, (removed, added) in enumerate(steps, start=1):
        store.apply(removed.encode("utf-8"), added.encode("utf-8"))
        info = record_difference(
            store,
            folder,
            previous=previous,
            removed=removed.encode("utf-8"),
            added=added.encode("utf-8"),
            content_hash=str(k) * 64,
            keep=1,
        )
        (listed,) = list_versions(folder).versions
        assert listed.hash == info.hash and listed.base == "0" * 64  # joined onto the first dump
        assert sorted(read_version(folder, listed)) == _sorted_dump(store), k
        assert info.counts["statements"] == len(_sorted_dump(store))
        previous = info.hash


def test_an_addition_after_a_load_keeps_the_loaded_statements(small_store, tmp_path):
    # ``qharmony load`` writes the store without a new content hash: the newest version
    # is no longer the store's, so the addition after it is kept whole, not on it
    store, folder = small_store, tmp_path / "versions"
    record_version(store, folder, content_hash="0" * 64)
    store.load(b'<http://u/x> <http://u/y> "mine" .\n', "nt", graph="http://u/g")
    since = store.version_stamp  # just before the addition's swap
    added = _quad(1, 0).encode("utf-8")
    store.apply(b"", added)
    info = record_difference(
        store, folder, previous="0" * 64, removed=b"", added=added, content_hash="1" * 64, since=since
    )
    assert sorted(read_version(folder, info)) == _sorted_dump(store)
    assert info.counts["statements"] == store.count()
    # with no write between, the next addition is kept as its difference again
    since, added = store.version_stamp, _quad(2, 0).encode("utf-8")
    store.apply(b"", added)
    info = record_difference(
        store, folder, previous="1" * 64, removed=b"", added=added, content_hash="2" * 64, since=since
    )
    assert info.base == "1" * 64 and sorted(read_version(folder, info)) == _sorted_dump(store)
