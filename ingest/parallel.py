"""Extraction in this process, across local processes, or on a Dask cluster: one
function, ``extract_all``, that yields each document's extraction in the order given,
wherever it ran, so the build, ``add`` and ``sources sync`` do not care where.

A document's extraction depends only on its text and the build's registry (not on
the documents batched beside it), so the graph is the same however the work is
split. Workers load the spaCy model once per process and receive the registry once;
documents go to them in chunks of similar size, a few chunks ahead of the one being
consumed, so memory in the parent is bounded by the window, not by the corpus.
A worker that fails, or dies, becomes one ``ExtractionFailed`` naming the file and
the cause; the build raises before its swap, so the store keeps what it held.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from .cache import pipeline_fingerprint
from .jurisdictions import Registry
from .readers import SourceText
from .records import Extraction


def load_pipeline():
    """The spaCy pipeline, imported on first use: a build or addition whose documents
    are all in the cache, or extracted by the resident extraction process, never
    imports spaCy."""
    from .pipeline import load_pipeline as load

    return load()


def extract_documents(sources, nlp, *, registry):
    from .extract import extract_documents as extract

    return extract(sources, nlp, registry=registry)


#: seconds to wait for a Dask scheduler to answer, and for it to have a worker
CONNECT_TIMEOUT = 10.0
#: at most this many documents in one chunk sent to a worker
MAX_CHUNK = 32


class ExtractionFailed(ValueError):
    """A document could not be extracted; the message names its file and why."""


@dataclass(frozen=True)
class Workers:
    """Where extraction runs: here (``jobs`` 1), across ``jobs`` local processes,
    or on the Dask cluster whose scheduler is at ``scheduler`` (``jobs`` ignored).
    With ``jobs`` 1, ``daemon`` names the folder of a resident extraction process
    (``extraction_daemon``) to use, started when none runs; None: this process."""

    jobs: int = 1
    scheduler: str | None = None
    daemon: Path | None = None
    #: seconds the resident process waits for the next request before it exits
    daemon_idle: float = 900.0

    def __post_init__(self) -> None:
        if not isinstance(self.jobs, int) or self.jobs < 1:
            raise ValueError(f"jobs must be a whole number of processes, 1 or more; got {self.jobs!r}")
        if self.scheduler is not None and not self.scheduler.strip():
            raise ValueError("scheduler must be the address of a Dask scheduler, such as tcp://10.0.0.5:8786")


HERE = Workers()


@dataclass(frozen=True)
class _Failure:
    """What a worker sends back instead of extractions: plain strings, so any
    failure crosses the process boundary (an exception object may not pickle)."""

    path: str
    cause: str


def _cause(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _where(source: SourceText) -> str:
    return source.path or source.name


def extract_all(sources: Sequence[SourceText], registry: Registry, workers: Workers = HERE) -> Iterator[Extraction]:
    """Each source's extraction, in the order of ``sources``, made where ``workers``
    says. Raises ``ExtractionFailed`` naming the first document that failed."""
    if not sources:
        return iter(())
    if workers.scheduler:
        return _on_dask(sources, registry, workers.scheduler)
    if workers.jobs > 1 and len(sources) > 1:
        return _on_processes(sources, registry, workers.jobs)
    if workers.daemon is not None:
        return _on_daemon(sources, registry, workers.daemon, workers.daemon_idle)
    return _here(sources, registry)


# ---------------------------------------------------------------- in this process
def _here(sources: Sequence[SourceText], registry: Registry) -> Iterator[Extraction]:
    """One ``nlp.pipe`` stream over every document, as a build has always run."""
    if not sources:
        return
    nlp = load_pipeline()
    done = 0
    try:
        for extraction in extract_documents(sources, nlp, registry=registry):
            done += 1
            yield extraction
    except Exception as exc:  # a fault of ours on some text: name the document
        failure = _culprit(sources[done:], nlp, registry, exc)
        raise ExtractionFailed(f"{failure.path}: extraction failed ({failure.cause})") from None


def _culprit(sources: Sequence[SourceText], nlp, registry: Registry, exc: BaseException) -> _Failure:
    """The first of ``sources`` that fails on its own (the stream batches several),
    or the first of them with the stream's error."""
    for source in sources:
        try:
            list(extract_documents([source], nlp, registry=registry))
        except Exception as alone:
            return _Failure(_where(source), _cause(alone))
    return _Failure(_where(sources[0]) if sources else "?", _cause(exc))


# ---------------------------------------------------------------- in the resident process
def _on_daemon(sources: Sequence[SourceText], registry: Registry, folder: Path, idle: float) -> Iterator[Extraction]:
    """The chunks extracted one after another by the resident process in ``folder``
    (started if none runs); what it cannot take (it does not start, or stops
    answering) is extracted here, so the result is the same either way."""
    from . import extraction_daemon as daemon

    try:
        conn = daemon.connect(folder, idle=idle)
    except daemon.Unavailable:
        yield from _here(sources, registry)
        return
    expected, done = pipeline_fingerprint(), 0
    with conn:
        for part in chunks(sources, 1):
            try:
                fingerprint, got = daemon.extract_remote(conn, part, registry)
            except daemon.Unavailable:
                break
            if isinstance(got, _Failure):
                raise ExtractionFailed(f"{got.path}: extraction failed ({got.cause})")
            if fingerprint != expected:
                break  # cannot happen by the socket's name; then this process does it
            done += len(part)
            yield from got
    yield from _here(sources[done:], registry)


# ---------------------------------------------------------------- in a worker
#: a local worker process's registry, and the queue it tells which chunk it starts
#: (both given once, when the process starts)
_registry: Registry | None = None
_running = None
#: one extraction at a time per process: spaCy's pipeline is not thread-safe, and a
#: Dask worker may run several tasks on threads of one process
_lock = threading.Lock()


def _extract_chunk(sources: Sequence[SourceText], registry: Registry) -> tuple[str, list[Extraction] | _Failure]:
    """A worker's task: the chunk's extractions, or what failed, with this worker's
    pipeline fingerprint so the parent can refuse a worker that runs another one."""
    with _lock:
        try:
            fingerprint = pipeline_fingerprint()
            nlp = load_pipeline()
        except Exception as exc:  # no model, another spaCy: every document of the chunk fails alike
            return "", _Failure(_where(sources[0]), f"the worker cannot load the pipeline ({_cause(exc)})")
        try:
            return fingerprint, list(extract_documents(sources, nlp, registry=registry))
        except Exception as exc:
            return fingerprint, _culprit(sources, nlp, registry, exc)


def _start_process(registry: Registry, running) -> None:
    global _registry, _running
    _registry, _running = registry, running
    try:
        load_pipeline()  # once per process, before the first chunk arrives
    except Exception:
        pass  # reported by the first chunk, naming its file


def _process_task(index: int, sources: Sequence[SourceText]) -> tuple[str, list[Extraction] | _Failure]:
    _running.put((os.getpid(), index))
    return _extract_chunk(sources, _registry)


def _dask_task(sources: Sequence[SourceText], registry: Registry) -> tuple[str, list[Extraction] | _Failure]:
    return _extract_chunk(sources, registry)


# ---------------------------------------------------------------- the parent's side
def chunks(sources: Sequence[SourceText], workers: int) -> list[list[SourceText]]:
    """Consecutive runs of documents of about equal text length, about four per
    worker (so a long document does not leave the others idle at the end)."""
    target = max(1, math.ceil(sum(len(s.text) for s in sources) / (workers * 4)))
    out: list[list[SourceText]] = [[]]
    size = 0
    for source in sources:
        if out[-1] and (size >= target or len(out[-1]) >= MAX_CHUNK):
            out.append([])
            size = 0
        out[-1].append(source)
        size += len(source.text)
    return out


def _succeeded(future: Future) -> bool:
    return future.done() and not future.cancelled() and future.exception() is None


def _in_order(
    parts: list[list[SourceText]],
    submit: Callable[[int, list[SourceText]], Future],
    window: int,
    expected: str,
    died: Callable[[BaseException, set[int]], ExtractionFailed | None],
) -> Iterator[Extraction]:
    """Submit chunks ``window`` ahead and yield their extractions in order;
    ``died`` turns a lost worker into an error, given the chunks not yet done."""
    pending: deque[tuple[int, Future]] = deque()
    following = iter(enumerate(parts))
    for index, part in following:
        pending.append((index, submit(index, part)))
        if len(pending) >= window:
            break
    while pending:
        index, future = pending.popleft()
        try:
            fingerprint, got = future.result()
        except Exception as exc:
            unfinished = {index} | {i for i, f in pending if not _succeeded(f)}
            failure = died(exc, unfinished)
            if failure is None:
                raise
            raise failure from None
        if isinstance(got, _Failure):
            raise ExtractionFailed(f"{got.path}: extraction failed on a worker ({got.cause})")
        if fingerprint != expected:
            raise ExtractionFailed(
                f"{_where(parts[index][0])}: the worker runs another pipeline than this machine (another "
                "qharmony, spaCy or model version); install the same versions on every worker"
            )
        yield from got
        for next_index, part in following:
            pending.append((next_index, submit(next_index, part)))
            break


def _process_context():
    """Processes forked from a fresh server process that has imported extraction
    (forkserver: a worker then starts in a fraction of a second instead of importing
    spaCy and our modules again), or started fresh where there is no forkserver.
    Never a fork of this process: it has threads, an open store and a loaded model."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__, f"{__package__}.extract", f"{__package__}.pipeline"])
        return context
    return multiprocessing.get_context("spawn")


def _on_processes(sources: Sequence[SourceText], registry: Registry, jobs: int) -> Iterator[Extraction]:
    """``jobs`` worker processes (``_process_context``), each loading the model once."""
    context = _process_context()
    parts = chunks(sources, jobs)
    running = context.SimpleQueue()  # (pid, chunk) as each worker starts a chunk
    pool = ProcessPoolExecutor(
        min(jobs, len(parts)), mp_context=context, initializer=_start_process, initargs=(registry, running)
    )

    last: dict[int, int] = {}  # each worker's latest chunk

    def drain() -> None:  # read as we go: a full pipe would stop the workers
        while not running.empty():
            pid, chunk = running.get()
            last[pid] = chunk

    def died(exc: BaseException, unfinished: set[int]) -> ExtractionFailed | None:
        if not isinstance(exc, BrokenProcessPool):
            return None
        drain()
        # the process that died on its own, not one the pool stopped after it
        codes = {pid: p.exitcode for pid, p in dict(getattr(pool, "_processes", None) or {}).items()}
        dead = {pid for pid, code in codes.items() if code not in (None, 0, -signal.SIGTERM)}
        at_work = {c for pid, c in last.items() if pid in dead or not dead} & unfinished or {min(unfinished)}
        held = sorted({_where(s) for c in at_work for s in parts[c]})
        code = ", ".join(f"exit code {codes[pid]}" for pid in sorted(dead)) or "no exit code"
        return ExtractionFailed(
            f"an extraction worker process stopped ({code}: killed, or out of memory?) while extracting "
            + (held[0] if len(held) == 1 else "one of " + ", ".join(held))
            + "; the store is unchanged"
        )

    try:

        def submit(index: int, part: list[SourceText]) -> Future:
            drain()
            return pool.submit(_process_task, index, part)

        yield from _in_order(parts, submit, 2 * jobs, pipeline_fingerprint(), died)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        running.close()


def _on_dask(sources: Sequence[SourceText], registry: Registry, address: str) -> Iterator[Extraction]:
    """The chunks as tasks on a Dask cluster: the registry is sent to every worker
    once; each worker process loads the model on its first task."""
    try:
        from distributed import Client
        from distributed.client import FutureCancelledError
        from distributed.scheduler import KilledWorker
    except ImportError:
        raise ExtractionFailed(
            "extraction on a Dask cluster needs dask.distributed: install qharmony with its 'dask' extra "
            "(pip install '.[dask]' in its checkout), or pip install 'dask[distributed]'"
        ) from None
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ExtractionFailed(f"cannot reach the Dask scheduler at {address!r}: {_cause(exc)}") from None
    try:
        try:
            client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
        except TimeoutError:
            raise ExtractionFailed(
                f"the Dask scheduler at {address!r} has no workers (start some with 'dask worker {address}')"
            ) from None
        workers = len(client.scheduler_info().get("workers", {})) or 1
        parts = chunks(sources, workers)
        shared = client.scatter(registry, broadcast=True, hash=False)

        def died(exc: BaseException, unfinished: set[int]) -> ExtractionFailed | None:
            files = ", ".join(_where(s) for s in parts[min(unfinished)])
            if isinstance(exc, KilledWorker):
                why = "the Dask workers running it died (killed, or out of memory)"
            elif isinstance(exc, FutureCancelledError | OSError | TimeoutError):
                why = f"the Dask cluster stopped answering ({_cause(exc)})"
            else:
                why = _cause(exc)
            return ExtractionFailed(f"{files}: extraction on {address} failed: {why}; the store is unchanged")

        submit = lambda index, part: client.submit(_dask_task, part, shared, pure=False)  # noqa: E731
        yield from _in_order(parts, submit, 2 * workers, pipeline_fingerprint(), died)
    finally:
        client.close()
