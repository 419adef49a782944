"""The resident extraction process: a real process with the real model, reached over a
Unix socket that only this user can open; what it extracts is what this process
extracts, an addition through it gives the graph of a full build, an older version's
process is told to stop, and where it cannot serve, extraction runs here."""

from __future__ import annotations

import socket
import stat
import tempfile
import threading
from pathlib import Path

import pytest
from test_build_incremental import DOCS, corpus, graph_hash

from qharmony.ingest import extraction_daemon as daemon
from qharmony.ingest.build import add_documents, build, sample_corpus
from qharmony.ingest.cache import ExtractionCache
from qharmony.ingest.jurisdictions import registry_from
from qharmony.ingest.parallel import HERE, Workers, extract_all
from qharmony.ingest.readers import read_source
from qharmony.queries.store import open_store

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """The folder of one resident process for the module's tests, stopped at the end."""
    where = tmp_path_factory.mktemp("cache") / "daemon"
    yield where
    daemon.stop(where)


def _old_version(folder, told: list) -> socket.socket:
    """A listener at another version's socket name that records what it is told."""
    folder.mkdir(parents=True, exist_ok=True)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(folder / "extract-0000older0000version.sock"))
    listener.listen(1)

    def answer():
        conn, _ = listener.accept()
        with conn:
            told.append(daemon._receive(conn))

    threading.Thread(target=answer, daemon=True).start()
    return listener


def test_extractions_through_the_resident_process_are_this_process_s(folder):
    sources = [read_source(p) for p in corpus(*DOCS)]
    registry = registry_from([], [], None)
    told: list = []
    old = _old_version(folder, told)
    remote = list(extract_all(sources, registry, Workers(daemon=folder)))
    assert told == [("stop",)]  # the older version's process was told to go
    old.close()
    assert remote == list(extract_all(sources, registry, HERE))
    path = daemon.socket_path(folder)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(folder.stat().st_mode) == 0o700
    with daemon.connect(folder, start=False) as conn:  # the same process serves the next command
        fingerprint, again = daemon.extract_remote(conn, sources[:1], registry)
    assert again == remote[:1] and fingerprint == daemon.pipeline_fingerprint()


def test_an_addition_through_the_resident_process_equals_a_full_build(tmp_path, folder):
    cache = ExtractionCache(tmp_path / "cache")
    store = open_store(tmp_path / "s")
    build(store, corpus(*DOCS[:2]), reason=False, cache=cache, workers=Workers(daemon=folder))
    added = add_documents(store, corpus(DOCS[2]), cache=cache, reason=False, workers=Workers(daemon=folder))
    assert added.extracted == 1 and added.full_because == ""
    full = open_store(tmp_path / "full")
    report = build(full, corpus(*DOCS), reason=False)
    assert added.content_hash == report.content_hash and graph_hash(store) == graph_hash(full)


def test_where_no_process_can_listen_extraction_runs_here(tmp_path):
    too_long = tmp_path / ("x" * 120)
    with pytest.raises(daemon.Unavailable, match="too long"):
        daemon.connect(too_long)
    source = [read_source(sample_corpus()[0])]
    registry = registry_from([], [], None)
    assert list(extract_all(source, registry, Workers(daemon=too_long))) == list(extract_all(source, registry, HERE))
    assert not too_long.exists()


def test_a_cache_folder_that_cannot_be_made_means_extraction_here_not_a_traceback():
    with tempfile.TemporaryDirectory(prefix="qh") as short:  # a test's tmp_path is too long for a socket
        blocker = Path(short) / "f"
        blocker.write_text("not a folder")
        with pytest.raises(daemon.Unavailable, match="cannot start"):
            daemon.connect(blocker / "daemon")
        source = [read_source(sample_corpus()[0])]
        registry = registry_from([], [], None)
        here = list(extract_all(source, registry, HERE))
        assert list(extract_all(source, registry, Workers(daemon=blocker / "daemon"))) == here
