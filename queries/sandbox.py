"""Queries evaluated in worker processes with hard limits.

Why: pyoxigraph cannot be cancelled, and a query that overflows its stack kills the
process it runs in. So the embedded store, when serving, hands each query to a small
pool of worker processes, each with the store open read-only and with ``resource``
limits on CPU time and address space. A query that runs past its wall time, or past
the cap on concurrent long queries, is ended by killing its worker, which frees its
CPU and memory at once; a worker that dies (a crash, a limit) is replaced, and the
server goes on. Results come back as our own types, capped in rows and in bytes.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from .errors import QueryError, QueryTimeout, StoreError, StoreUnavailable
from .results import QueryResult

_SIGNALS = {
    signal.SIGXCPU: "its CPU time limit",
    signal.SIGKILL: "a limit",
    signal.SIGSEGV: "a crash in the evaluator",
    signal.SIGABRT: "its memory limit (or a crash in the evaluator)",
}


#: A query that has not answered within this many seconds runs at lower CPU priority.
CHEAP_SECONDS = 0.1
#: Idle workers kept ready.
SPARES = 2
#: Seconds an idle worker waits for a query before it exits.
IDLE_EXIT = 120.0


@dataclass(frozen=True)
class Limits:
    """The limits every query evaluated in a worker runs under."""

    timeout: float = 30.0  # wall seconds, then the worker is killed
    cpu_seconds: int = 30  # CPU seconds per query (RLIMIT_CPU)
    memory_mb: int = 2048  # address space a worker may add to its start size (RLIMIT_AS)
    max_rows: int = 10_000  # rows of a SELECT, triples of a CONSTRUCT or DESCRIBE
    max_bytes: int = 50_000_000  # characters of term values in one answer
    workers: int = 16  # most worker processes at once
    long_after: float = 0.5  # a query running longer than this is a long one
    max_long: int = 2  # most long queries at once; another is stopped
    retry_after: int = 5  # seconds a refused client is told to wait


class ServerBusy(StoreError):
    """Too many long queries at once; the client should retry later."""

    status = 503

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


# ---------------------------------------------------------------- in the worker
def _limit_memory(extra_mb: int | None) -> None:
    """Cap the address space at its size now plus ``extra_mb`` (None: lift the cap,
    while a store is opened and its threads start). A soft limit, so that it can be
    lifted again; what runs here is a query, not code."""
    if extra_mb is None:
        resource.setrlimit(resource.RLIMIT_AS, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
        return
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[0])
    limit = pages * os.sysconf("SC_PAGE_SIZE") + extra_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, resource.RLIM_INFINITY))


def _limit_cpu(seconds: int) -> None:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = int(usage.ru_utime + usage.ru_stime) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (used + seconds, resource.RLIM_INFINITY))


def serve_queries(conn: Connection, folder: str, limits: Limits) -> None:
    """The worker's loop: answer (generation, text, dataset) requests until the
    connection closes, which it does when the server goes away."""
    import pyoxigraph as ox

    from .evaluation import evaluate

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server handles Ctrl+C
    stores: dict[str | None, ox.Store] = {}
    while True:
        try:
            if not conn.poll(IDLE_EXIT):
                return  # idle for long: give the memory back; the pool starts another when needed
            generation, text, dataset = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if generation not in stores:
                stores.clear()
                _limit_memory(None)
                stores[generation] = ox.Store.read_only(str(Path(folder) / generation)) if generation else ox.Store()
                _limit_memory(limits.memory_mb)
            conn.send(None)  # the store is open: evaluation starts now
            _limit_cpu(limits.cpu_seconds)
            reply = (True, evaluate(stores[generation], text, dataset, limits.max_rows, limits.max_bytes))
        except MemoryError:
            reply = (False, QueryError(f"the query needed more than {limits.memory_mb} MB"))
        except StoreError as exc:
            reply = (False, exc)
        except Exception as exc:  # any other failure is the query's, reported as text
            reply = (False, QueryError(f"the query failed: {exc}"))
        conn.send(reply)


# ---------------------------------------------------------------- in the server
class _Worker:
    """One worker process, started as ``python -m qharmony.queries.sandbox`` (a fresh
    interpreter: it inherits none of the server's threads, locks or open store)."""

    def __init__(self, folder: str, limits: Limits):
        mine, theirs = socket.socketpair()
        try:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "qharmony.queries.sandbox",
                    str(theirs.fileno()),
                    folder,
                    json.dumps(asdict(limits)),
                ],
                pass_fds=[theirs.fileno()],
                stdin=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,  # an engine abort prints a backtrace; the reply says what happened
                start_new_session=True,  # Ctrl+C at the terminal goes to the server only
            )
        finally:
            theirs.close()
        self.conn = Connection(mine.detach())
        self._lock = threading.Lock()
        self._killed = False

    def lower_priority(self, nice: int) -> bool:
        """Set the worker's nice value: a query that is not cheap then takes only the
        CPU that cheap queries and page views leave over. True when it changed; back
        to 0 needs a privilege most servers do not have (then the worker is replaced)."""
        try:
            os.setpriority(os.PRIO_PROCESS, self.process.pid, nice)
            return True
        except OSError:
            return False

    def cpu_seconds(self) -> float:
        """CPU time the worker has used so far (user and system)."""
        try:
            with open(f"/proc/{self.process.pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            return 0.0

    def kill(self) -> None:
        """Kill the process and close the connection, once, whoever calls first."""
        with self._lock:
            if self._killed:
                return
            self._killed = True
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)
        self.conn.close()

    def death(self) -> str:
        try:
            code = self.process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            return "an unknown failure"
        if code < 0:
            return _SIGNALS.get(-code, f"signal {-code}")
        return f"exit code {code}"


class WorkerPool:
    """A few worker processes for one store folder; grows on demand up to
    ``limits.workers`` and keeps SPARES idle ones ready."""

    def __init__(self, folder: str | Path, limits: Limits):
        self.folder = str(folder)
        self.limits = limits
        self._idle: list[_Worker] = []
        self._running: set[_Worker] = set()
        self._warming = 0
        self._long_running = 0
        self._count = 0
        self._lock = threading.Condition()
        self._long = threading.BoundedSemaphore(limits.max_long)
        self._closed = False

    # -------------------------------------------------------- workers
    def warm(self) -> None:
        """Start the spares now, in the background, so the first query after the
        server starts finds a worker with the store open instead of starting one."""
        with self._lock:
            self._keep_spares()

    def _spawn(self) -> _Worker:
        try:
            return _Worker(self.folder, self.limits)
        except OSError as exc:
            with self._lock:
                self._count -= 1
                self._lock.notify()
            raise StoreUnavailable(f"cannot start a query worker: {exc}") from exc

    def _acquire(self) -> _Worker:
        deadline = time.monotonic() + self.limits.timeout
        with self._lock:
            if self._closed:
                raise StoreUnavailable("the store is closed")
            # a spare already starting is ready sooner than a new one would be
            while not self._idle and (self._count >= self.limits.workers or self._warming):
                left = deadline - time.monotonic()
                if left <= 0 or self._closed:
                    raise ServerBusy(
                        f"all {self.limits.workers} query workers are busy; retry in a few seconds",
                        self.limits.retry_after,
                    )
                self._lock.wait(left)
            while self._idle and self._idle[-1].process.poll() is not None:
                self._idle.pop().kill()  # it exited after IDLE_EXIT
                self._count -= 1
            if self._idle:
                worker = self._idle.pop()
                self._running.add(worker)
                self._keep_spares()
                return worker
            self._count += 1
            self._keep_spares()
        worker = self._spawn()
        with self._lock:
            self._running.add(worker)
        return worker

    def _release(self, worker: _Worker) -> None:
        with self._lock:
            self._running.discard(worker)
            if self._closed:
                worker.kill()
                self._count -= 1
            else:
                self._idle.append(worker)
            self._lock.notify()

    def _discard(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._running.discard(worker)
            self._count -= 1
            self._lock.notify()
            self._keep_spares()

    def _keep_spares(self) -> None:
        """Start spares in the background (called with the lock held), so that a
        query arriving while others run finds a worker ready instead of a fork."""
        while len(self._idle) + self._warming < SPARES and self._count < self.limits.workers and not self._closed:
            self._warming += 1
            self._count += 1
            threading.Thread(target=self._warm, daemon=True).start()

    def _warm(self) -> None:
        """Start one spare (its place is counted already)."""
        try:
            worker = _Worker(self.folder, self.limits)
        except OSError:
            with self._lock:
                self._warming -= 1
                self._count -= 1
                self._lock.notify()
            return
        with self._lock:
            self._warming -= 1
        self._release(worker)

    @property
    def processes(self) -> list[int]:
        """Process ids of the idle workers (for tests and diagnostics)."""
        with self._lock:
            return [w.process.pid for w in self._idle]

    @property
    def busy(self) -> list[int]:
        """Process ids of workers evaluating a query now."""
        with self._lock:
            return [w.process.pid for w in self._running]

    @property
    def long_running(self) -> int:
        """How many long queries hold a slot now."""
        with self._lock:
            return self._long_running

    @property
    def size(self) -> int:
        with self._lock:
            return self._count

    # -------------------------------------------------------- queries
    def run(self, generation: str | None, text: str, dataset) -> QueryResult:
        """Evaluate in a worker; raise QueryTimeout, ServerBusy or the query's error."""
        worker = self._acquire()
        try:
            worker.conn.send((generation, text, dataset))
        except OSError:
            self._discard(worker)
            raise StoreUnavailable("a query worker stopped before it took the query; retry") from None
        holds_long = False
        reniced = False
        try:
            # the worker says None once its store is open: a fresh worker's start and
            # the opening of a new generation do not count against the query
            reply = self._receive(worker, self.limits.timeout)
            started, cpu_before = time.monotonic(), worker.cpu_seconds()
            cheap = min(CHEAP_SECONDS, self.limits.long_after, self.limits.timeout)
            if reply is None:
                reply = self._receive(worker, cheap)
            if reply is None and worker.cpu_seconds() - cpu_before >= cheap:
                # it used the CPU a cheap query needs: lower its priority, so cheap work
                # keeps the CPU (CPU time, not wall time: a starved cheap query stays)
                reniced = worker.lower_priority(10)
            if reply is None:
                reply = self._receive(worker, min(self.limits.long_after, self.limits.timeout) - cheap)
            if reply is None and self.limits.timeout > self.limits.long_after:
                if not self._long.acquire(blocking=False):
                    self._discard(worker)
                    raise ServerBusy(
                        f"{self.limits.max_long} long queries are running already and this one ran longer "
                        f"than {self.limits.long_after:g} s, so it was stopped; retry later or narrow it",
                        self.limits.retry_after,
                    )
                holds_long = True
                with self._lock:
                    self._long_running += 1
                worker.lower_priority(19)
                reply = self._receive(worker, self.limits.timeout - (time.monotonic() - started))
            if reply is None:
                self._discard(worker)
                raise QueryTimeout(
                    f"the query ran longer than {self.limits.timeout:g} s and was stopped; "
                    "narrow it, or raise QHARMONY_TIMEOUT"
                )
        finally:
            if holds_long:
                with self._lock:
                    self._long_running -= 1
                self._long.release()
        if (reniced or holds_long) and not worker.lower_priority(0):
            self._discard(worker)  # without the privilege to raise it again, a fresh one replaces it
        else:
            self._release(worker)
        ok, value = reply
        if ok:
            return value
        raise value

    def _receive(self, worker: _Worker, seconds: float):
        """The worker's next message, or None when none came within ``seconds``; a
        worker that died is discarded and its death reported as the query's error."""
        try:
            if not worker.conn.poll(max(0.0, seconds)):
                return None
            return worker.conn.recv()
        except (EOFError, OSError):
            reason = worker.death()
            self._discard(worker)
            raise QueryError(
                f"the query was stopped by {reason} (limits: {self.limits.cpu_seconds} s of CPU, "
                f"{self.limits.memory_mb} MB of memory); simplify it"
            ) from None

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
            self._count -= len(idle)
            running = list(self._running)
            self._lock.notify_all()
        for worker in idle + running:
            worker.kill()  # a running query's caller gets a failure reply


if __name__ == "__main__":
    serve_queries(Connection(int(sys.argv[1])), sys.argv[2], Limits(**json.loads(sys.argv[3])))
