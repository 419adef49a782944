"""A bounded load test of the explorer on loopback: 50 clients for 30 s, each from its
own loopback address (127.0.0.x) so that the per-client budget applies to each.

First a probe, in rounds: a cheap ASK and an entity page alone (the baseline), then
each with ten concurrent cartesian-product queries in flight, and, once those have
timed out, the CPU the server and its workers still use in a second (none should be
left working) and how many workers are alive (the warm spares).

Then two phases, printed side by side: cheap requests only (the baseline), then the
same clients with one request in ten an expensive cartesian-product query. For each
phase: latency percentiles of the cheap requests that were served, and the count of
each status (429 is the budget at work, 503 the long-query cap or timeout).

    python bench/load.py [--store DIR] [--clients 50] [--seconds 30] [--rounds 5] [--probe-only]

Without --store it builds the sample corpus into a temporary folder first. Nothing
leaves the machine: the server binds 127.0.0.1 and the clients connect only there.
"""

from __future__ import annotations

import argparse
import http.client
import os
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


def _start_server(store: str, port: int, timeout: float) -> subprocess.Popen:
    exe = Path(sys.executable).with_name("qharmony")
    proc = subprocess.Popen(
        [str(exe), "serve", "--store", store, "--host", "127.0.0.1", "--port", str(port), "--threads", "16"],
        env={**os.environ, "QHARMONY_TIMEOUT": str(timeout)},
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


def _tree_cpu_ms(pid: int) -> float:
    """CPU time (ms) used so far by a process and its live children (the workers)."""
    tick = 1000 / os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) * tick
    return total


def _workers(pid: int) -> int:
    count = 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            count += int(fields[1]) == pid and fields[0] != "Z"
    return count


def ten_cartesian_probe(port: int, server_pid: int, rounds: int) -> dict[str, list[float]]:
    """Per round: a cheap ASK and an entity page alone (the baseline), then the same
    two with ten cartesian queries from ten other clients in flight; after those have
    timed out, the CPU the server and its workers use in the next second."""
    out: dict[str, list[float]] = {k: [] for k in ("ask alone", "page alone", "ask behind", "page behind", "idle cpu")}
    out["workers after"] = []
    for r in range(rounds):
        out["ask alone"].append(_get(port, CHEAP[0])[1])
        out["page alone"].append(_get(port, CHEAP[2])[1])
        threads = [threading.Thread(target=_get, args=(port, EXPENSIVE, f"127.0.{r + 1}.{n}")) for n in range(10)]
        for t in threads:
            t.start()
        time.sleep(0.5)
        out["ask behind"].append(_get(port, CHEAP[0])[1])
        out["page behind"].append(_get(port, CHEAP[2], "127.0.0.3")[1])
        for t in threads:
            t.join(90)
        time.sleep(0.5)
        before = _tree_cpu_ms(server_pid)
        time.sleep(1.0)
        out["idle cpu"].append(_tree_cpu_ms(server_pid) - before)
        out["workers after"].append(float(_workers(server_pid)))
    return out


def print_probe(probe: dict[str, list[float]]) -> None:
    def ms(values: list[float]) -> str:
        return f"median {statistics.median(values) * 1000:.0f} ms, max {max(values) * 1000:.0f} ms"

    n = len(probe["ask alone"])
    print(f"ten concurrent cartesian queries, {n} rounds (baseline: the same request alone, same run)")
    print(f"  cheap ASK      alone: {ms(probe['ask alone']):<28}  behind ten: {ms(probe['ask behind'])}")
    print(f"  entity page    alone: {ms(probe['page alone']):<28}  behind ten: {ms(probe['page behind'])}")
    cpu = ", ".join(f"{v:.0f}" for v in probe["idle cpu"])
    workers = ", ".join(f"{v:.0f}" for v in probe["workers after"])
    print(f"  after their timeout: CPU of server and workers in one second (ms): {cpu}; workers alive: {workers}\n")


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
    parser.add_argument("--rounds", type=int, default=5, help="rounds of the ten-cartesian probe")
    parser.add_argument("--timeout", type=float, default=10, help="the server's query timeout (QHARMONY_TIMEOUT)")
    parser.add_argument("--probe-only", action="store_true", help="only the ten-cartesian probe")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = args.store
        if store is None:
            store = str(Path(tmp) / "store")
            exe = Path(sys.executable).with_name("qharmony")
            subprocess.run([str(exe), "build", "--store", store], check=True, stdout=subprocess.DEVNULL)
        port = _free_port()
        server = _start_server(store, port, args.timeout)
        try:
            probe = ten_cartesian_probe(port, server.pid, args.rounds)
            if not args.probe_only:
                time.sleep(5)
                base = summary(run_phase(port, args.clients, args.seconds, expensive=False))
                time.sleep(61)  # let every client's budget window clear between the phases
                mixed = summary(run_phase(port, args.clients, args.seconds, expensive=True))
        finally:
            server.terminate()
            server.wait(timeout=20)
    print_probe(probe)
    if args.probe_only:
        return
    print(
        f"{args.clients} clients x {args.seconds:g} s on loopback, budget and long-query cap at their defaults, "
        f"query timeout {args.timeout:g} s\n"
    )
    width = max(len(k) for k in base)
    print(f"{'':<{width}}  {'cheap only (baseline)':<28}  with 1 in 10 cartesian queries")
    for key in base:
        print(f"{key:<{width}}  {base[key]:<28}  {mixed[key]}")


if __name__ == "__main__":
    main()
