"""One query worker: the loop that runs in its own process, with ``resource`` limits,
and the handle the server keeps for it (start, priority, CPU used, kill, cause of
death). The pool that hands queries to workers is ``sandbox``."""

from __future__ import annotations

import json
import os
import resource
import signal
import socket
import subprocess
import sys
import threading
from dataclasses import asdict
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import QueryError, StoreError

if TYPE_CHECKING:
    from .sandbox import Limits

_SIGNALS = {
    signal.SIGXCPU: "its CPU time limit",
    signal.SIGKILL: "a limit",
    signal.SIGSEGV: "a crash in the evaluator",
    signal.SIGABRT: "its memory limit (or a crash in the evaluator)",
}


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
    """The worker's loop: answer (generation, text, dataset, wanted) requests until
    the connection closes, which it does when the server goes away (the pool ends idle
    workers it no longer needs). A request without text only opens that generation
    (a spare warming up). Each reply ends with the CPU seconds the worker has used.
    Only after opening a generation does it say so (None)
    before the reply: the server knows which generation a worker has open and then
    waits for that word first (``Worker.opened``). With ``wanted``, the answer comes back written in that
    format (``wire.encode``), so the server only passes it on."""
    import pyoxigraph as ox

    from .evaluation import evaluate, evaluate_encoded

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server handles Ctrl+C
    stores: dict[str | None, ox.Store] = {}
    while True:
        try:
            generation, text, dataset, wanted = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if generation not in stores:
                stores.clear()
                _limit_memory(None)
                stores[generation] = ox.Store.read_only(str(Path(folder) / generation)) if generation else ox.Store()
                _limit_memory(limits.memory_mb)
                conn.send(None)  # the store is open: evaluation starts now
            elif text is None:
                conn.send(None)
            if text is None:
                continue
            _limit_cpu(limits.cpu_seconds)
            if wanted:
                answer = evaluate_encoded(stores[generation], text, dataset, wanted, limits.max_rows, limits.max_bytes)
            else:
                answer = evaluate(stores[generation], text, dataset, limits.max_rows, limits.max_bytes)
            reply = (True, answer)
        except MemoryError:
            reply = (False, QueryError(f"the query needed more than {limits.memory_mb} MB"))
        except StoreError as exc:
            reply = (False, exc)
        except Exception as exc:  # any other failure is the query's, reported as text
            reply = (False, QueryError(f"the query failed: {exc}"))
        usage = resource.getrusage(resource.RUSAGE_SELF)
        conn.send((*reply, usage.ru_utime + usage.ru_stime))  # the CPU used so far: the server need not read it


# ---------------------------------------------------------------- in the server
#: ``Worker.opened`` of a worker with no store open (None names the empty store)
NOTHING_OPEN = object()


def can_raise_priority() -> bool:
    """Whether this process may set a worker's nice value back to 0 (root, or a
    RLIMIT_NICE that allows it): then spares can start at low priority too."""
    return os.geteuid() == 0 or resource.getrlimit(resource.RLIMIT_NICE)[0] >= 20


class Worker:
    """One worker process, started as ``python -m qharmony.queries.workers`` (a fresh
    interpreter: it inherits none of the server's threads, locks or open store).

    It runs in a session of its own, so Ctrl+C at the terminal reaches the server
    only. Where the kernel groups CPU time by session (autogroups), a process's nice
    value weighs only against its own session; so ``set_priority`` sets the nice value
    of the worker's autogroup too, which is what lets a cheap query outrun expensive
    ones, whatever else runs on the machine."""

    def __init__(self, folder: str, limits: Limits, nice: int = 0):
        mine, theirs = socket.socketpair()
        try:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "qharmony.queries.workers",
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
        #: the generation this worker has open (it sends no word before the reply then)
        self.opened: object = NOTHING_OPEN
        #: the CPU seconds it had used when it last replied (idle since), if known
        self.cpu_at_rest: float | None = None
        self.nice = 0
        self._lock = threading.Lock()
        self._killed = False
        if nice:
            self.set_priority(nice)

    def set_priority(self, nice: int) -> bool:
        """Set the worker's nice value: a query that is not cheap then takes only the
        CPU that cheap queries and page views leave over. True when it changed; back
        to 0 needs a privilege most servers do not have (then the worker is replaced)."""
        try:
            os.setpriority(os.PRIO_PROCESS, self.process.pid, nice)
        except OSError:
            return False
        try:
            with open(f"/proc/{self.process.pid}/autogroup", "w") as fh:
                fh.write(str(nice))
        except OSError:
            pass  # no autogroups here: the process's own nice value is what counts
        self.nice = nice
        return True

    def cpu_seconds(self) -> float:
        """CPU time the worker has used so far (user and system)."""
        try:
            with open(f"/proc/{self.process.pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            return 0.0

    def warm(self, generation: str | None, seconds: float) -> bool:
        """Open ``generation`` before any query needs it; False if the worker failed."""
        try:
            self.conn.send((generation, None, None, None))
            if bool(self.conn.poll(seconds)) and self.conn.recv() is None:
                self.opened = generation
                return True
            return False
        except (EOFError, OSError):
            return False

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


if __name__ == "__main__":
    from .sandbox import Limits

    serve_queries(Connection(int(sys.argv[1])), sys.argv[2], Limits(**json.loads(sys.argv[3])))
