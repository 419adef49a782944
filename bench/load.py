"""A bounded load test of the explorer on loopback: 50 clients for 30 s, each from its
own loopback address (127.0.0.x) so that the per-client budget applies to each.

Two phases in the same run, printed side by side: cheap requests only (the baseline),
then the same clients with one request in ten an expensive cartesian-product query.
For each phase: latency percentiles of the cheap requests that were served, and the
count of each status (429 is the budget at work, 503 the long-query cap or timeout).

    python bench/load.py [--store DIR] [--clients 50] [--seconds 30]

Without --store it builds the sample corpus into a temporary folder first. Nothing
leaves the machine: the server binds 127.0.0.1 and the clients connect only there.
"""

from __future__ import annotations

import argparse
import http.client
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

CHEAP = [
    "/sparql?query=" + quote("ASK { ?s ?p ?o }"),
    "/sparql?query=" + quote("SELECT ?code WHERE { ?e <http://www.w3.org/2004/02/skos/core#notation> ?code } LIMIT 20"),
    "/id/entry/US/4A906.a.1",
    "/search?q=quantum+computer",
    "/api/queries/jurisdictions",
    "/",
]
EXPENSIVE = "/sparql?query=" + quote("SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_server(store: str, port: int) -> subprocess.Popen:
    exe = Path(sys.executable).with_name("qharmony")
    proc = subprocess.Popen(
        [str(exe), "serve", "--store", store, "--host", "127.0.0.1", "--port", str(port), "--threads", "16"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/sparql?query=ASK%7B%7D")
            conn.getresponse().read()
            return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("the server did not start")


def _client(n: int, port: int, until: float, expensive: bool, out: list, seed: int) -> None:
    rng = random.Random(seed)
    source = (f"127.0.0.{10 + n}", 0)
    while time.monotonic() < until:
        heavy = expensive and rng.random() < 0.1
        path = EXPENSIVE if heavy else rng.choice(CHEAP)
        started = time.perf_counter()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60, source_address=source)
            conn.request("GET", path)
            resp = conn.getresponse()
            resp.read()
            status = resp.status
            conn.close()
        except OSError as exc:
            status = type(exc).__name__
        out.append((heavy, status, time.perf_counter() - started))


def run_phase(port: int, clients: int, seconds: float, expensive: bool) -> list:
    out: list = []
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(target=_client, args=(n, port, until, expensive, out, n), daemon=True) for n in range(clients)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 90)
    return out


def _get(port: int, path: str, source: str = "127.0.0.2") -> tuple[int, float]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60, source_address=(source, 0))
    conn.request("GET", path)
    resp = conn.getresponse()
    resp.read()
    conn.close()
    return resp.status, time.perf_counter() - started


def ten_cartesian_probe(port: int) -> tuple[float, float]:
    """Seconds for a cheap ASK alone (median of five), and with ten cartesian queries
    from ten other clients started half a second before it."""
    alone = statistics.median(_get(port, CHEAP[0])[1] for _ in range(5))
    threads = [threading.Thread(target=_get, args=(port, EXPENSIVE, f"127.0.1.{n}")) for n in range(10)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    behind = _get(port, CHEAP[0])[1]
    for t in threads:
        t.join(90)
    return alone, behind


def _pct(values: list[float], p: float) -> str:
    if not values:
        return "-"
    values = sorted(values)
    return f"{values[min(len(values) - 1, int(p / 100 * len(values)))] * 1000:.0f} ms"


def summary(samples: list) -> dict[str, str]:
    cheap_ok = [t for heavy, status, t in samples if not heavy and status == 200]
    statuses = Counter(str(s) for _, s, _ in samples)
    heavy = [s for h, s, _ in samples if h]
    return {
        "requests": str(len(samples)),
        "cheap served (200)": str(len(cheap_ok)),
        "cheap p50": _pct(cheap_ok, 50),
        "cheap p95": _pct(cheap_ok, 95),
        "cheap p99": _pct(cheap_ok, 99),
        "cheap mean": f"{statistics.mean(cheap_ok) * 1000:.0f} ms" if cheap_ok else "-",
        "expensive sent": str(len(heavy)),
        "statuses": ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items())),
        "errors (5XX other than 503, or no answer)": str(
            sum(v for k, v in statuses.items() if not k.isdigit() or (k.startswith("5") and k != "503"))
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", help="a built store folder (default: build the sample corpus)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = args.store
        if store is None:
            store = str(Path(tmp) / "store")
            exe = Path(sys.executable).with_name("qharmony")
            subprocess.run([str(exe), "build", "--store", store], check=True, stdout=subprocess.DEVNULL)
        port = _free_port()
        server = _start_server(store, port)
        try:
            alone, behind = ten_cartesian_probe(port)
            time.sleep(5)
            base = summary(run_phase(port, args.clients, args.seconds, expensive=False))
            time.sleep(61)  # let every client's budget window clear between the phases
            mixed = summary(run_phase(port, args.clients, args.seconds, expensive=True))
        finally:
            server.terminate()
            server.wait(timeout=20)
    print(f"a cheap ASK alone: {alone * 1000:.0f} ms; behind ten cartesian queries: {behind * 1000:.0f} ms\n")
    print(f"{args.clients} clients x {args.seconds:g} s on loopback, budget and long-query cap at their defaults\n")
    width = max(len(k) for k in base)
    print(f"{'':<{width}}  {'cheap only (baseline)':<28}  with 1 in 10 cartesian queries")
    for key in base:
        print(f"{key:<{width}}  {base[key]:<28}  {mixed[key]}")


if __name__ == "__main__":
    main()
