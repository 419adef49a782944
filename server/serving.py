"""How ``qharmony serve`` starts: listening first, the store opened in this process,
the query workers and the app started behind the first answers.

Why in this order: a query needs only the store and the front door (``front.py``),
none of which imports Flask, rdflib or the analyses, and a query that is one triple
pattern (``queries.bounded``: the lookups a client sends first) needs no worker
either: it is evaluated here. So ``quick_serve`` listens as soon as it has read its
options (connections queue from then on), opens the store, answers, and only then
starts the spare workers (other queries wait for the first of them) and, once they
are warm, imports the pages' code in a background thread; a page asked for before
then waits. ``quick_serve`` is ``qharmony serve`` without the command line's
machinery (click and every command's module): a plain ``serve`` line over a store
that holds data starts from here (``cli_main``), anything else goes through click.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from qharmony.queries.errors import StoreError, StoreMissing

from .numbers import whole_number

if TYPE_CHECKING:  # imported where used: ``quick_serve`` listens before it imports them
    import socket

    from qharmony.queries.store import Store

    from .front import Front

#: ``serve``'s options: their defaults and ranges (the click command's and ``quick_serve``'s)
HOST, PORT, THREADS = "127.0.0.1", 8321, 16
PORT_RANGE, THREAD_RANGE = (1, 65535), (1, 256)
#: what ``serve`` says once it listens
ANNOUNCE = "qharmony explorer on {url}  (Ctrl+C to stop)"
#: seconds the spares wait for the first answer before they start anyway
FIRST_ANSWER_FIRST = 1.0


def open_for_serving(config: Mapping[str, object], warm: bool = True) -> Store | None:
    """The store the settings name, read-only, with its query workers (``warm``:
    the spares start now, opening the store while this process does; else
    ``serve_explorer`` starts them once it listens); None when the store is missing
    or holds no statement."""
    from .store import open_configured_store

    try:
        store = open_configured_store(config, read_only=True, isolate=True, warm=warm)
    except StoreMissing:
        return None
    # in this process where the backend can (its uncapped view), not in a worker still
    # warming; an ASK, not a count: that reads every statement
    if not getattr(store, "uncapped", lambda: store)().ask("ASK { ?s ?p ?o }"):
        store.close()
        return None
    return store


def _start_behind(config: Mapping[str, object], store: Store, front: Front) -> None:
    """Once the first request is answered (or after FIRST_ANSWER_FIRST seconds: their
    start must not take the CPU from it), the spare workers and, beside them (two
    processes use two cores), the app; then the home page's answer (``overview``,
    kept per graph version), so the first visit finds it made."""
    pool = getattr(store, "sandbox", None)
    front.answered.wait(FIRST_ANSWER_FIRST)
    if pool is not None:  # they start in threads of their own while the app is imported
        pool.prestart(getattr(store, "generation", None))  # tops up what ``warm`` started
    import logging

    try:
        from .app import create_app

        create_app(config, store=store, front=front)  # attaches itself to the front door
    except BaseException as exc:  # the pages cannot be served: say why, once
        logging.getLogger("qharmony.server.app").exception("the explorer's pages could not be loaded")
        front.failed(exc)
        return
    try:  # the home page's answer for the version in service: read from the store's
        # answers folder when a serve computed it before, else computed now, once
        from qharmony.queries.overview import overview

        overview(store.snapshot())
    except Exception:  # the page computes it itself then, and says what failed
        logging.getLogger("qharmony.server.app").exception("the home page's answer could not be prepared")


class PortUnavailable(ValueError):
    """The address cannot be listened on (in use, not this host's, no permission)."""


def serve_explorer(
    config: Mapping[str, object],
    store: Store,
    host: str,
    port: int,
    threads: int,
    announce: Callable[[str], None],
    listening: socket.socket | None = None,
) -> None:
    """Listen on ``host:port`` (or serve ``listening``, bound there already) until
    interrupted; the store is closed (its query workers stopped) on the way out. A
    port that cannot be had is a ``PortUnavailable`` naming it."""
    from .front import Front
    from .http_server import LeanServer
    from .security import client_budget

    front = Front(config, store, client_budget(config))
    try:
        server = LeanServer(front.stack, host, port, threads, listening=listening)
    except OSError as exc:
        store.close()
        raise PortUnavailable(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    threading.Thread(target=_start_behind, args=(config, store, front), name="qharmony-app", daemon=True).start()
    announce(f"http://{host}:{port}/")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        store.close()  # stops the query workers


def quick_options(argv: list[str]) -> dict[str, object] | None:
    """``serve``'s options from ``argv`` (what follows ``serve``) when it holds
    nothing else and each is valid (``--store``, ``--host``, ``--port``,
    ``--threads``, as ``--name value`` or ``--name=value``); else None: the line
    goes through click, which explains what is wrong with it."""
    found: dict[str, str] = {}
    args = list(argv)
    while args:
        name, sep, value = args.pop(0).partition("=")
        if name not in ("--store", "--host", "--port", "--threads") or name in found:
            return None
        if not sep:
            if not args:
                return None
            value = args.pop(0)
        if not value or value.startswith("-"):
            return None
        found[name] = value
    options: dict[str, object] = {"store": found.get("--store"), "host": found.get("--host", HOST)}
    for name, default, (low, high) in (("--port", PORT, PORT_RANGE), ("--threads", THREADS, THREAD_RANGE)):
        text = found.get(name, str(default))
        number = whole_number(text, low, high)
        if number is None:
            return None
        options[name[2:]] = number
    return options


def quick_serve(argv: list[str], announce: Callable[[str], None]) -> bool:
    """Serve as ``qharmony serve`` would, when ``argv`` is a plain line of its options
    and the store holds data; False (nothing started) when the command line should
    handle it instead: other options, a bad setting, a store that is empty (it builds
    the sample first), missing, or cannot be served on that port (it says why)."""
    options = quick_options(argv)
    if options is None:
        return False
    from .http_server import listen

    host, port = str(options["host"]), int(options["port"])
    try:
        listening = listen(host, port)  # connections queue from now on, while the store opens
    except OSError:
        return False
    try:
        from .config import load_config

        config = load_config({"STORE": options["store"]})
        store = open_for_serving(config, warm=False)
    except (ValueError, OSError, StoreError):
        store = None
    except KeyboardInterrupt:  # stopped while it started: as quietly as once serving
        listening.close()
        return True
    if store is None:
        listening.close()
        return False
    try:
        serve_explorer(config, store, host, port, int(options["threads"]), announce, listening)
    except KeyboardInterrupt:  # stopped while it started: as quietly as once serving
        store.close()
    return True
