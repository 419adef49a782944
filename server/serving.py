"""How ``qharmony serve`` starts: the store opened with its query workers starting,
the front door listening at once, and the app imported behind it.

Why in this order: a query needs only the store, a warm query worker and the front
door (``front.py``), none of which imports Flask, rdflib or the analyses. So the
server listens as soon as the store is open, answers ``/sparql`` once the first
worker is warm, and imports the pages' code in a background thread once the spares
are warm (so that they get the CPU first); a page asked for before then waits.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from qharmony.queries.errors import StoreMissing
from qharmony.queries.store import Store

from .store import open_configured_store

if TYPE_CHECKING:
    from .front import Front

#: seconds the app's import waits for the warm query workers before it starts anyway
WORKERS_FIRST = 10.0
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
    ValueError naming it."""
    from .front import Front  # imported once the store is open: its first worker is starting
    from .http_server import LeanServer
    from .security import client_budget

    front = Front(config, store, client_budget(config))
    try:
        server = LeanServer(front.stack, host, port, threads)
    except OSError as exc:
        store.close()
        raise ValueError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    threading.Thread(target=_build_app, args=(config, store, front), name="qharmony-app", daemon=True).start()
    announce(f"http://{host}:{port}/")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        store.close()  # stops the query workers
