"""Queries evaluated in worker processes with hard limits, in two lanes.

Why: pyoxigraph cannot be cancelled, and a query that overflows its stack kills the
process it runs in. So the embedded store, when serving, hands each query to a small
pool of worker processes (``workers``), each with the store open read-only and with
``resource`` limits on CPU time and address space. A query that runs past its wall
time, or past the cap on concurrent long queries, is ended by killing its worker,
which frees its CPU and memory at once; a worker that dies (a crash, a limit) is
replaced, and the server goes on. Results come back as our own types, capped in rows
and in bytes.

So that a cheap request is answered at once while expensive ones run:

- Warm spares: the pool starts ``reserve + 1`` workers when it opens, with the store
  open, and keeps that many idle; ``reserve`` of them are kept for cheap queries.
- Two lanes. The explorer's own queries (pages, the API: the ``app`` lane, the
  default) and a client's text that ``cost.looks_expensive`` does not flag take any
  idle worker. A client's text that it flags (inside ``public_queries()``, as
  ``/sparql`` runs) never takes a reserved spare: it gets a worker of its own, started
  at lower CPU priority.
- Priority by CPU used: a public query that has used CHEAP_SECONDS of CPU drops to
  nice 10, a long one to 19, so fresh queries, pages and the server keep the CPU (the
  explorer's own queries, bounded by their timeout, keep their priority).
- The cap on long queries (``max_long``) holds for the public lane only: a page's
  query is never refused because clients' queries are running.
"""

from __future__ import annotations

import threading
import time
import weakref
from dataclasses import replace
from pathlib import Path

from .cost import looks_expensive
from .errors import QueryError, QueryTimeout, StoreUnavailable
from .evaluation import top_level
from .lanes import Limits, ServerBusy, current_lane, public_queries  # noqa: F401 (public_queries: callers' old home)
from .results import QueryResult
from .wire import Delivered, Delivery, Encoded, Wanted
from .workers import NOTHING_OPEN, Worker, can_raise_priority

#: A query that has used this many seconds of CPU runs at lower CPU priority.
CHEAP_SECONDS = 0.1
#: The nice value of a query past CHEAP_SECONDS, and of a worker started for a
#: query flagged expensive; a long public query runs at LONG_NICE.
BUSY_NICE, LONG_NICE = 10, 19
#: Seconds a spare may take to start and open the store (longer on a loaded machine).
WARM_SECONDS = 60.0
#: Idle workers beyond the spares are ended after this many seconds, to give their
#: memory back; the spares stay, warm, however long the server is idle.
IDLE_EXIT = 120.0
#: Seconds between two looks at every idle worker (``_trim``) on the way of a query.
TRIM_EVERY = 1.0


class WorkerPool:
    """Worker processes for one store folder: ``reserve + 1`` warm idle ones once
    started (``prestart``, or the first query), more on demand up to ``limits.workers``."""

    def __init__(self, folder: str | Path, limits: Limits):
        self.folder = str(folder)
        self.limits = limits
        self._spares = limits.reserve + 1
        self._generation: str | None = None  # the one spares open while they warm up
        self._idle: list[Worker] = []  # the most recently used last
        self._idle_since: dict[Worker, float] = {}
        self._running: set[Worker] = set()
        self._warming = 0
        self._long_running = 0
        self._count = 0
        self._lock = threading.Condition()
        self._long = threading.BoundedSemaphore(limits.max_long)
        self._closed = False
        self._janitor_started = False
        self._stop = threading.Event()  # ends the janitor
        self._trimmed = 0.0
        self._can_raise = can_raise_priority()

    def prestart(self, generation: str | None) -> None:
        """Start the spares now, with ``generation`` open, so the first queries a
        server gets find warm workers (a pool that serves no query starts none)."""
        with self._lock:
            self._generation = generation
            self._keep_spares()

    # -------------------------------------------------------- workers
    def _spawn(self, nice: int) -> Worker:
        try:
            return Worker(self.folder, self.limits, nice)
        except OSError as exc:
            with self._lock:
                self._count -= 1
                self._lock.notify()
            raise StoreUnavailable(f"cannot start a query worker: {exc}") from exc

    def _acquire(self, expensive: bool) -> Worker:
        """An idle worker, or a new one. A query flagged expensive leaves ``reserve``
        idle workers alone, runs at lower priority from the start, and may not make the
        pool so large that no place is left for the reserve."""
        keep = self.limits.reserve if expensive else 0
        most = max(1, self.limits.workers - keep)
        deadline = time.monotonic() + self.limits.timeout
        with self._lock:
            while True:
                if self._closed:
                    raise StoreUnavailable("the store is closed")
                self._trim_now_and_then()
                while len(self._idle) > keep and self._idle[-1].process.poll() is not None:
                    dead = self._idle.pop()  # died while idle: a spare replaces it
                    self._idle_since.pop(dead, None)
                    self._count -= 1
                    threading.Thread(target=dead.kill, daemon=True).start()  # reaps it, off the lock
                if len(self._idle) > keep:
                    worker = self._idle.pop()
                    self._idle_since.pop(worker, None)
                    self._running.add(worker)
                    self._keep_spares()
                    break
                if self._count < most:
                    self._count += 1
                    self._keep_spares()
                    worker = None
                    break
                left = deadline - time.monotonic()
                if left <= 0:
                    raise ServerBusy(
                        f"all {self.limits.workers} query workers are busy; retry in a few seconds",
                        self.limits.retry_after,
                    )
                self._lock.wait(left)
        if worker is not None:
            if expensive:
                worker.set_priority(BUSY_NICE)
            return worker
        worker = self._spawn(BUSY_NICE if expensive else 0)
        with self._lock:
            self._running.add(worker)
        return worker

    def _release(self, worker: Worker) -> None:
        if worker.nice and not worker.set_priority(0):
            self._discard(worker)  # without the privilege to raise it again, a fresh one replaces it
            return
        with self._lock:
            self._running.discard(worker)
            if self._closed:
                worker.kill()
                self._count -= 1
            else:
                self._idle.append(worker)
                self._idle_since[worker] = time.monotonic()
                self._trim_now_and_then()
            self._lock.notify()

    def _trim_now_and_then(self) -> None:
        """``_trim`` at most every TRIM_EVERY seconds (it asks the kernel about every
        idle worker), else only top the spares up; called with the lock held."""
        now = time.monotonic()
        if now - self._trimmed >= TRIM_EVERY:
            self._trimmed = now
            self._trim()
        else:
            self._keep_spares()

    def _trim(self) -> None:
        """Drop idle workers that died, and end the longest-idle ones beyond the spares
        once idle for IDLE_EXIT (called with the lock held); then top the spares up."""
        now = time.monotonic()
        for worker in list(self._idle):
            dead = worker.process.poll() is not None
            extra = len(self._idle) > self._spares and now - self._idle_since.get(worker, now) > IDLE_EXIT
            if dead or extra:
                self._idle.remove(worker)
                self._idle_since.pop(worker, None)
                self._count -= 1
                threading.Thread(target=worker.kill, daemon=True).start()  # reaps it, off the lock
        self._keep_spares()

    @staticmethod
    def _janitor(ref: weakref.ref[WorkerPool], lock: threading.Condition, stop: threading.Event) -> None:
        """Trim now and then, so a pool that grew under load shrinks while idle. It
        holds the pool weakly: a pool dropped unclosed goes, and with it the
        connections whose closing ends its workers. It waits on an event of its own,
        not on the pool's condition, so a query's release never wakes it."""
        while not stop.wait(IDLE_EXIT / 4):
            with lock:
                pool = ref()
                if pool is None or pool._closed:
                    return
                pool._trim()
                del pool

    def _discard(self, worker: Worker) -> None:
        worker.kill()
        with self._lock:
            self._running.discard(worker)
            self._count -= 1
            self._lock.notify()
            self._keep_spares()

    def _keep_spares(self) -> None:
        """Start spares in the background (called with the lock held), so that a
        query arriving while others run finds a worker ready instead of a start."""
        if not self._janitor_started and not self._closed:
            self._janitor_started = True
            threading.Thread(
                target=self._janitor,
                args=(weakref.ref(self), self._lock, self._stop),
                name="qharmony-pool-janitor",
                daemon=True,
            ).start()
        while len(self._idle) + self._warming < self._spares and self._count < self.limits.workers and not self._closed:
            first = not self._idle and not self._warming and not self._running
            self._warming += 1
            self._count += 1
            threading.Thread(
                target=self._warm, args=(0 if first or not self._can_raise else BUSY_NICE,), daemon=True
            ).start()

    def _warm(self, nice: int) -> None:
        """Start one spare (its place is counted already) and open the store in it, at
        low priority where it can be raised again: a spare started because a cheap
        query took one must not take the CPU from that query. The first of a pool with
        no worker at all starts at full priority: the first answer waits for it."""
        try:
            worker = Worker(self.folder, self.limits, nice)
        except OSError:
            worker = None
        if worker is not None and worker.warm(self._generation, WARM_SECONDS):
            with self._lock:
                self._warming -= 1
            self._release(worker)
            return
        if worker is not None:
            worker.kill()
        with self._lock:
            self._warming -= 1
            self._count -= 1
            self._lock.notify()

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
        """How many long public queries hold a slot now."""
        with self._lock:
            return self._long_running

    @property
    def size(self) -> int:
        with self._lock:
            return self._count

    def wait_ready(self, seconds: float) -> bool:
        """Wait until the spares have started (for a server's start, and tests);
        False when some are missing then."""
        deadline = time.monotonic() + seconds
        with self._lock:
            while self._warming and time.monotonic() < deadline:
                self._lock.wait(0.05)
            return not self._warming and len(self._idle) >= self._spares

    # -------------------------------------------------------- queries
    def run(
        self, generation: str | None, text: str, dataset, wanted: Wanted | None = None, delivery: Delivery | None = None
    ) -> QueryResult | Encoded | Delivered:
        """Evaluate in a worker; raise QueryTimeout, ServerBusy or the query's error.
        With ``wanted``, the worker writes the answer in that format (``wire``); with
        a ``delivery`` too, it may write it to the client itself (``Delivered``)."""
        self._generation = generation
        public = current_lane() == "public"
        worker = self._acquire(expensive=public and looks_expensive(text))
        fds: tuple[int, ...] = ()
        if delivery is not None:  # it may write only while the pool would not stop it
            limits = self.limits
            write_by = time.monotonic() + min(limits.long_after, limits.timeout) / 2
            delivery, fds = replace(delivery, write_by=write_by), (delivery.fd,)
        try:
            worker.conn.send((generation, text, dataset, wanted, top_level(text), delivery), fds)
        except OSError:
            self._discard(worker)
            raise StoreUnavailable("a query worker stopped before it took the query; retry") from None
        holds_long = False
        try:
            # a worker that opens the generation first says None once it is open: a
            # fresh worker's start and the opening of a new generation do not count
            # against the query (one that has it open says nothing: a wake-up saved)
            reply = None if worker.opened == generation else self._receive(worker, self.limits.timeout)
            worker.opened = generation if reply is None else NOTHING_OPEN
            if reply is None:
                reply = self._evaluation(worker, public)
                holds_long = reply is _LONG
                if holds_long:
                    reply = self._receive(worker, self.limits.timeout - self.limits.long_after)
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
        self._release(worker)
        ok, value, worker.cpu_at_rest = reply
        if ok:
            return value
        raise value

    def _evaluation(self, worker: Worker, public: bool):
        """Wait for the reply of a query that has started: lower its priority once it
        has used the CPU a cheap query needs (CPU time, not wall time: a cheap query
        starved of CPU keeps its priority); past ``long_after`` a public query needs a
        long-query slot, else it is stopped. _LONG when it holds a slot now."""
        limits = self.limits
        cheap = min(CHEAP_SECONDS, limits.long_after, limits.timeout)
        # an idle worker uses no CPU: what it had used at its last reply is its use now
        before = worker.cpu_at_rest
        started, cpu_before = time.monotonic(), worker.cpu_seconds() if before is None else before
        reply = self._receive(worker, cheap)
        if public and reply is None and worker.cpu_seconds() - cpu_before >= cheap and worker.nice < BUSY_NICE:
            worker.set_priority(BUSY_NICE)
        if reply is None:
            reply = self._receive(worker, min(limits.long_after, limits.timeout) - cheap)
        if reply is not None or limits.timeout <= limits.long_after:
            return reply
        if not public:
            return self._receive(worker, limits.timeout - (time.monotonic() - started))
        if not self._long.acquire(blocking=False):
            self._discard(worker)
            raise ServerBusy(
                f"{limits.max_long} long queries are running already and this one ran longer "
                f"than {limits.long_after:g} s, so it was stopped; retry later or narrow it",
                limits.retry_after,
            )
        with self._lock:
            self._long_running += 1
        worker.set_priority(LONG_NICE)
        return _LONG

    def _receive(self, worker: Worker, seconds: float):
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
            self._stop.set()
            idle, self._idle = self._idle, []
            self._count -= len(idle)
            running = list(self._running)
            self._lock.notify_all()
        for worker in idle + running:
            worker.kill()  # a running query's caller gets a failure reply


#: What ``_evaluation`` returns when the query holds a long-query slot and goes on.
_LONG = object()
