"""What runs inside a query worker process: open the store read-only, answer
queries one at a time under ``resource`` limits, and reply on a socket.

Why apart from ``workers`` (the server's handle on a worker): a worker starts for
every spare, so it imports only what answering needs (no ``subprocess``, no
``multiprocessing``, no ``dataclasses``), and it is started without ``site``
(``python -S``, its import path given): the first answer after ``serve`` waits for
a worker's start. Messages go over a ``channel.Channel``.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sys
from pathlib import Path

from .channel import Channel
from .errors import QueryError, StoreError
from .wire import deliver


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


def serve_queries(conn: Channel, folder: str, limits: dict) -> None:
    """The worker's loop: answer (generation, text, dataset, wanted, reading, delivery) requests until
    the connection closes, which it does when the server goes away (the pool ends idle
    workers it no longer needs). A request without text only opens that generation
    (a spare warming up). Each reply ends with the CPU seconds the worker has used.
    Only after opening a generation does it say so (None) before the reply: the
    server knows which generation a worker has open and then waits for that word
    first (``Worker.opened``). With ``wanted``, the answer comes back written in that
    format (``wire.encode``), so the server only passes it on; the reading is the
    server's ``evaluation.top_level`` of the text, so the text is not read twice. With
    a ``wire.Delivery`` and the client's connection passed with the request, a whole
    answer is written to the client from here (``wire.deliver``) and the reply says so."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server handles Ctrl+C
    stores: dict = {}  # the generation open (one at a time): its pyoxigraph store
    while True:
        try:
            (generation, text, dataset, wanted, read, delivery), fds = conn.recv_with_fds()
        except (EOFError, OSError):
            return
        try:
            reply = _answer(stores, folder, generation, text, dataset, wanted, read, limits, conn)
            if reply is None:
                continue
            if delivery is not None and fds and reply[0]:
                reply = (True, deliver(reply[1], delivery, fds[0]))
        finally:
            for fd in fds:
                os.close(fd)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        conn.send((*reply, usage.ru_utime + usage.ru_stime))  # the CPU used so far: the server need not read it


def _answer(stores: dict, folder: str, generation, text, dataset, wanted, read, limits: dict, conn: Channel):
    """(ok, answer or error) for one request, or None when it only opened a generation."""
    import pyoxigraph as ox

    from .evaluation import evaluate, evaluate_encoded

    memory_mb = limits["memory_mb"]
    try:
        if generation not in stores:
            stores.clear()
            _limit_memory(None)
            stores[generation] = ox.Store.read_only(str(Path(folder) / generation)) if generation else ox.Store()
            _limit_memory(memory_mb)
            conn.send(None)  # the store is open: evaluation starts now
        elif text is None:
            conn.send(None)
        if text is None:
            return None
        _limit_cpu(limits["cpu_seconds"])
        shape = read  # the server's reading of the text (``TopLevel``)
        max_rows, max_bytes = limits["max_rows"], limits["max_bytes"]
        if wanted:
            answer = evaluate_encoded(stores[generation], text, dataset, wanted, max_rows, max_bytes, shape)
        else:
            answer = evaluate(stores[generation], text, dataset, max_rows, max_bytes, shape)
        return (True, answer)
    except MemoryError:
        return (False, QueryError(f"the query needed more than {memory_mb} MB"))
    except StoreError as exc:
        return (False, exc)
    except Exception as exc:  # any other failure is the query's, reported as text
        return (False, QueryError(f"the query failed: {exc}"))


def main(argv: list[str]) -> None:
    """``argv``: the socket's file descriptor, the store folder, the limits as JSON."""
    serve_queries(Channel.from_fd(int(argv[1])), argv[2], json.loads(argv[3]))


if __name__ == "__main__":
    main(sys.argv)
