"""The home page, the gaps and the matrix of a generated world through the CLI and
the served pages (status and seconds), for ``scale.py``: on a first start, where
the home page and the pickers are computed on their first request, and after a
restart, where every answer is read from the answers folder."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import date
from pathlib import Path

from qharmony.queries.analysis import answers

AS_OF = date(2026, 1, 1)
A, B = "XA", "XB"


def note(text: str) -> None:
    """A line of progress on stderr, with the time."""
    print(f"  {time.strftime('%H:%M:%S')} {text}", file=sys.stderr, flush=True)


def cold(path: Path) -> None:
    """Nothing kept for this graph version: neither in memory nor in the answers folder."""
    answers.forget_memory()
    shutil.rmtree(path / "answers", ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cli(path: Path, args: list[str]) -> tuple[int, float]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "qharmony.server.cli_main", *args, "--store", str(path)],
        capture_output=True,
        timeout=3600,
    )
    return done.returncode, time.perf_counter() - started


def _get(url: str) -> tuple[int, float]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=3600) as r:
            r.read()
            status = r.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    return status, time.perf_counter() - started


PAGES = {
    "home": "/",
    "gaps": f"/gaps?a={A}&b={B}&as_of={AS_OF}",
    "matrix": f"/matrix?baseline={A}&as_of={AS_OF}",
}
COMMANDS = {
    "home": ["query", "jurisdictions", "--format", "csv"],
    "gaps": ["gaps", A, B, "--as-of", str(AS_OF), "--format", "json"],
    "matrix": ["matrix", "--baseline", A, "--as-of", str(AS_OF), "--format", "json"],
}


#: The served bench's own per-client budget, as a deployment whose one client asks for
#: every heavy page in turn would set it (the default, 60 s of work a minute, answers
#: the third cold page at 1M with 429). The limits stay on.
SERVED_LIMITS = {"QHARMONY_RATE_QUERY_SECONDS": "3600", "QHARMONY_RATE_REQUESTS": "600"}


def _served(path: Path, out: dict, prefix: str) -> None:
    """Start ``qharmony serve`` and ask for each page twice: status and seconds, with
    the seconds until it listens."""
    port = _free_port()
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "qharmony.server.cli_main", "serve", "--store", str(path), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **SERVED_LIMITS},
    )
    try:
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.05):
                    break
            except OSError:
                time.sleep(0.01)
        out[f"{prefix}listening"] = time.perf_counter() - started
        for name, page in PAGES.items():
            note(f"{prefix}page {name}")
            out[f"{prefix}page {name}"] = _get(f"http://127.0.0.1:{port}{page}")
            out[f"{prefix}page {name} again"] = _get(f"http://127.0.0.1:{port}{page}")
    finally:
        proc.terminate()
        proc.wait()


def pages(path: Path) -> dict:
    """The home page's query, the gaps and the matrix through the CLI (cold: nothing
    kept); then the served pages on a first start (the answers the CLI kept from
    disk, the home page and the pickers computed on their first request), and after
    a restart (every answer kept from disk): status and seconds."""
    out: dict = {}
    cold(path)
    for name, args in COMMANDS.items():
        note(f"CLI {name}")
        out[f"cli {name}"] = _cli(path, args)
    _served(path, out, "")
    _served(path, out, "restarted ")
    out["load"] = round(os.getloadavg()[0], 1)
    return out
