"""How ``qharmony serve`` starts: the store opened with its query workers starting,
the front door listening at once, and the app imported behind it.

Why in this order: a query needs only the store, a warm query worker and the front
door (``front.py``), none of which imports Flask, rdflib or the analyses. So the
server listens as soon as the store is open, answers ``/sparql`` once the first
worker is warm, and imports the pages' code in a background thread once the spares
are warm (so that they get the CPU first); a page asked for before then waits.
``quick_serve`` is ``qharmony serve`` without the command line's machinery (click
and every command's module): a plain ``serve`` line over a store that holds data
starts from here (``cli_main``), anything else goes through click.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from qharmony.queries.errors import StoreError, StoreMissing
from qharmony.queries.store import Store

from .store import open_configured_store

if TYPE_CHECKING:
    from .front import Front

#: seconds the app's import waits for the warm query workers before it starts anyway
WORKERS_FIRST = 10.0
#: ``serve``'s options: their defaults and ranges (the click command's and ``quick_serve``'s)
HOST, PORT, THREADS = "127.0.0.1", 8321, 16
PORT_RANGE, THREAD_RANGE = (1, 65535), (1, 256)
#: what ``serve`` says once it listens
ANNOUNCE = "qharmony explorer on {url}  (Ctrl+C to stop)"
_log = logging.getLogger("qharmony.server.app")


def open_for_serving(config: Mapping[str, object]) -> Store | None:
    """The store the settings name, read-only, its query workers starting (the
    embedded store's spares open it while the server starts); None when it is
    missing or holds no statement."""
    try:
        store = open_configured_store(config, read_only=True, isolate=True)
    except StoreMissing:
        return None
    # in this process where the backend can (its uncapped view), not in a worker still
    # warming; an ASK, not a count: that reads every statement
    if not getattr(store, "uncapped", lambda: store)().ask("ASK { ?s ?p ?o }"):
        store.close()
        return None
    return store


def _build_app(config: Mapping[str, object], store: Store, front: Front) -> None:
    pool = getattr(store, "sandbox", None)
    if pool is not None:
        pool.wait_ready(WORKERS_FIRST)
    try:
        from .app import create_app

        create_app(config, store=store, front=front)  # attaches itself to the front door
    except BaseException as exc:  # the pages cannot be served: say why, once
        _log.exception("the explorer's pages could not be loaded")
        front.failed(exc)


class PortUnavailable(ValueError):
    """The address cannot be listened on (in use, not this host's, no permission)."""


def serve_explorer(
    config: Mapping[str, object],
    store: Store,
    host: str,
    port: int,
    threads: int,
    announce: Callable[[str], None],
) -> None:
    """Listen on ``host:port`` and serve until interrupted; the store is closed
    (its query workers stopped) on the way out. A port that cannot be had is a
    ``PortUnavailable`` naming it."""
    from .front import Front  # imported once the store is open: its first worker is starting
    from .http_server import LeanServer
    from .security import client_budget

    front = Front(config, store, client_budget(config))
    try:
        server = LeanServer(front.stack, host, port, threads)
    except OSError as exc:
        store.close()
        raise PortUnavailable(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    threading.Thread(target=_build_app, args=(config, store, front), name="qharmony-app", daemon=True).start()
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
        if not text.isdigit() or not low <= int(text) <= high:
            return None
        options[name[2:]] = int(text)
    return options


def quick_serve(argv: list[str], announce: Callable[[str], None]) -> bool:
    """Serve as ``qharmony serve`` would, when ``argv`` is a plain line of its options
    and the store holds data; False (nothing started) when the command line should
    handle it instead: other options, a bad setting, a store that is empty (it builds
    the sample first), missing, or cannot be served on that port (it says why)."""
    from .config import load_config

    options = quick_options(argv)
    if options is None:
        return False
    try:
        config = load_config({"STORE": options["store"]})
        _first_worker(config)
        store = open_for_serving(config)
    except (ValueError, OSError, StoreError):
        return False
    if store is None:
        return False
    try:
        serve_explorer(config, store, str(options["host"]), int(options["port"]), int(options["threads"]), announce)
    except PortUnavailable:  # the command line says so, as for any other error
        return False
    except KeyboardInterrupt:  # stopped while it started: as quietly as once serving
        store.close()
    return True


def _first_worker(config: Mapping[str, object]) -> None:
    """Start the first query worker of an embedded store that holds a generation now,
    before the rest of the server is imported: it opens the store while this process
    gets ready, and the store's pool takes it as its first spare."""
    from qharmony.queries.store import is_remote
    from qharmony.queries.workers import prestart_one

    from .store import query_limits

    location = str(config["STORE"])
    pointer = Path(location) / "CURRENT"
    if is_remote(location) or not pointer.is_file():
        return
    prestart_one(location, query_limits(config), pointer.read_text().strip() or None)
