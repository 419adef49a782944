"""``/sparql`` of ``qharmony serve`` against the Oxigraph server on the same data, from
one run: latency of light queries from one client, throughput of 8 client
processes, and the time from launch to the first answer.

Both servers read the very same store: ``oxigraph serve-read-only`` is pointed at
the generation folder qharmony serves (with ``--union-default-graph``, as qharmony
queries). Every phase alternates between the two servers, round by round, and the
load average is printed beside each phase: the machine is shared, so only ratios
within one run mean anything.

- Start: launched, then polled every 2 ms until it listens and until it answers an
  entity lookup with 200; the CPU the server (and its query workers) used until then
  is printed beside the wall time, being less at the mercy of other processes; then
  polled until ``/`` answers 200 (qharmony's home page, the app imported behind the
  first answers). Latency and throughput are measured once each server is that far.
- Latency: one client, keep-alive connections, ``--requests`` of each query per round;
  beside it the server's CPU per request (its process and its workers, from /proc).
- Throughput: ``--clients`` processes, each looping over the light queries for
  ``--seconds``; every status that is not 200 is counted and printed.
- Both come twice: the same texts repeated (what a dashboard or a retrying client
  sends; qharmony may answer them from its answers kept per graph version), and
  fresh texts, each made unique by a comment, which every server must evaluate.

qharmony runs with its default settings, the per-client budget among them (300
requests a minute per address). So that the budget meets each client as it would
meet a real one, and not the benchmark's one address, every client connects from
its own loopback addresses (127.0.x.y, a keep-alive connection from each of
``LATENCY_ADDRESSES``, ``CLIENT_ADDRESSES``), as ``bench/load.py`` does; the Oxigraph server gets the same clients.

    python bench/serving.py [--store DIR | --worlds DIR] [--triples 1000000] [--rounds 5]
                            [--requests 200] [--clients 8] [--seconds 5] [--starts 5]
                            [--phases start,latency,throughput]

Without --store a world of --triples is generated (``synthetic_world.py``), into
--worlds (kept and reused) or a temporary folder. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

from engines import oxigraph_binary  # noqa: E402

from qharmony.ontology.namespaces import SKOS, entity  # noqa: E402

XA = entity("jurisdiction", "XA")
QUERIES = {
    "entity lookup": f"SELECT ?p ?o WHERE {{ <{XA}> ?p ?o }}",
    "ASK": f"ASK {{ <{XA}> ?p ?o }}",
    "small SELECT": f"SELECT ?e ?code WHERE {{ ?e <{SKOS}notation> ?code }} LIMIT 20",
}
ACCEPT = {"Accept": "application/sparql-results+json"}
#: loopback source addresses of the one latency client, and of each throughput client:
#: the budget (300 requests a minute each) is never the limit, and 8 clients stay
#: under waitress's 100 connections (past them it stops accepting)
LATENCY_ADDRESSES, CLIENT_ADDRESSES = 32, 8


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One server to measure: how to launch it and the path its queries go to."""

    def __init__(self, name: str, argv: list[str], path: str):
        self.name, self.argv, self.path = name, argv, path
        self.port = 0
        self.started = 0.0
        self.process: subprocess.Popen | None = None

    def launch(self) -> float:
        self.port = _free_port()
        argv = [a.replace("{port}", str(self.port)) for a in self.argv]
        self.started = started = time.perf_counter()
        self.process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return started

    def target(self, query: str) -> str:
        return f"{self.path}?query={quote(query)}"

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


def _cpu_of_tree(pid: int) -> float:
    """CPU seconds (user and system) of a process and its children alive now."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def home_page(server: Server) -> float:
    """Seconds from its launch until ``/`` answers 200 (qharmony's home page: the app
    imported and the home page's answer ready; the others' own page or fixed body)."""
    while time.perf_counter() < server.started + 120:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
            conn.request("GET", "/", headers={"Accept": "text/html"})
            response = conn.getresponse()
            response.read()
            conn.close()
            if response.status == 200:
                return time.perf_counter() - server.started
        except OSError:
            pass
        time.sleep(0.01)
    raise SystemExit(f"{server.name}'s home page did not answer within 120 s")


def first_answer(server: Server) -> tuple[float, float, float]:
    """Seconds from launch until it listens and until its first 200 answer, and the
    CPU seconds it had used by then; the server is left running."""
    started = server.launch()
    listening = None
    target = server.target(QUERIES["entity lookup"])
    deadline = started + 120
    while time.perf_counter() < deadline:
        if server.process.poll() is not None:
            raise SystemExit(f"{server.name} exited with {server.process.returncode} before answering")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
            conn.connect()
            listening = listening or time.perf_counter() - started
            conn.request("GET", target, headers=ACCEPT)
            response = conn.getresponse()
            response.read()
            conn.close()
            if response.status == 200:
                return listening, time.perf_counter() - started, _cpu_of_tree(server.process.pid)
        except OSError:
            pass
        time.sleep(0.002)
    raise SystemExit(f"{server.name} gave no answer within 120 s")


class Connections:
    """Keep-alive connections to one server from a run of loopback addresses, used in turn."""

    def __init__(self, port: int, third: int, count: int):
        self.port, self.sources, self.conns = port, [f"127.0.{third}.{i + 1}" for i in range(count)], {}
        self.turn = 0

    def get(self, target: str) -> tuple[int, float]:
        source = self.sources[self.turn % len(self.sources)]
        self.turn += 1
        for attempt in (0, 1):
            conn = self.conns.get(source)
            if conn is None:
                conn = self.conns[source] = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=60, source_address=(source, 0)
                )
            began = time.perf_counter()
            try:
                conn.request("GET", target, headers=ACCEPT)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                conn.close()
                del self.conns[source]
                if attempt:
                    return 0, time.perf_counter() - began
                continue
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                del self.conns[source]
            return response.status, time.perf_counter() - began
        raise AssertionError("unreachable")

    def close(self) -> None:
        for conn in self.conns.values():
            conn.close()


#: numbers that make each "fresh" request's text unique (a comment), so no server can
#: answer it from a cache of answers: what evaluating the query costs
_FRESH = itertools.count()


def latencies(
    conns: Connections, server: Server, query: str, requests: int, fresh: bool = False
) -> tuple[list[float], Counter]:
    times, statuses = [], Counter()
    target = server.target(query)
    for _ in range(requests):
        if fresh:
            target = server.target(f"{query}\n# {next(_FRESH)}")
        status, seconds = conns.get(target)
        statuses[status] += 1
        if status == 200:
            times.append(seconds)
    return times, statuses


def _client(port: int, path: str, third: int, start: float, until: float, out, fresh: bool = False) -> None:
    conns = Connections(port, third, CLIENT_ADDRESSES)
    queries = list(QUERIES.values())
    targets = [f"{path}?query={quote(q)}" for q in queries]
    statuses: Counter = Counter()
    while time.monotonic() < start:
        time.sleep(0.001)
    n = 0
    while time.monotonic() < until:
        if fresh:  # unique per client, round and request
            target = f"{path}?query={quote(f'{queries[n % len(queries)]}#{third}.{n}')}"
        else:
            target = targets[n % len(targets)]
        status, _ = conns.get(target)
        statuses[status] += 1
        n += 1
    conns.close()
    out.put(dict(statuses))


def throughput(
    server: Server, clients: int, seconds: float, round_no: int, fresh: bool = False
) -> tuple[float, Counter]:
    """Answers with 200 per second from ``clients`` processes, and every status seen."""
    out = multiprocessing.Queue()
    start = time.monotonic() + 0.5
    procs = [
        multiprocessing.Process(
            target=_client,
            args=(server.port, server.path, 20 + (round_no * clients + c) % 230, start, start + seconds, out, fresh),
        )
        for c in range(clients)
    ]
    for p in procs:
        p.start()
    statuses: Counter = Counter()
    for _ in procs:
        statuses.update(out.get())
    for p in procs:
        p.join()
    return statuses[200] / seconds, statuses


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] * 1000


def _load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


#: the floor of any server written with waitress: a WSGI app that answers every
#: request with one fixed body (the size of an entity lookup's answer), no work at all
FLOOR_APP = """
import sys
from waitress import serve
ROW = b'{"p": {"type": "uri", "value": "x"}},'
BODY = b'{"head": {"vars": ["p", "o"]}, "results": {"bindings": [' + ROW * 30 + b'{}]}}'
def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "application/sparql-results+json"), ("Content-Length", str(len(BODY)))])
    return [BODY]
serve(app, host="127.0.0.1", port=int(sys.argv[1]), threads=16, _quiet=True)
"""


def _servers(store: Path) -> list[Server]:
    generation = (store / "CURRENT").read_text().strip()
    qharmony = Server(
        "qharmony",
        [str(Path(sys.executable).with_name("qharmony")), "serve", "--store", str(store), "--port", "{port}"],
        "/sparql",
    )
    binary = oxigraph_binary()
    if binary is None:
        raise SystemExit("the oxigraph server is not installed (pip install -e .[test])")
    oxigraph = Server(
        "oxigraph",
        [binary, "serve-read-only", "--location", str(store / generation), "--bind", "127.0.0.1:{port}"]
        + ["--union-default-graph"],
        "/query",
    )
    floor = Server("waitress floor", [sys.executable, "-c", FLOOR_APP, "{port}"], "/sparql")
    return [qharmony, oxigraph, floor]


def _turns(servers: list[Server], r: int) -> list[Server]:
    """The servers in a different order each round (interleaving drifts in load)."""
    k = r % len(servers)
    order = servers[k:] + servers[:k]
    return order if r % 2 == 0 else order[::-1]


def _row(label: str, values: list[float], fmt: str) -> str:
    qh, ox, floor = values
    return (
        f"{label:24} {qh:>10{fmt}} {ox:>10{fmt}} {floor:>10{fmt}} "
        f"{qh / ox if ox else float('inf'):>9.2f} {floor / ox if ox else float('inf'):>9.2f}"
    )


HEAD = f"{'':24} {'qharmony':>10} {'oxigraph':>10} {'floor':>10} {'qh/ox':>9} {'floor/ox':>9}"


def _world(args) -> Path:
    if args.store:
        return args.store
    from synthetic_world import write_world

    folder = args.worlds or Path(tempfile.mkdtemp(prefix="qharmony-serving-"))
    path = folder / f"world-{args.triples}"
    if not (path / "CURRENT").exists():
        print(f"generating a world of {args.triples:,} triples in {path}", file=sys.stderr, flush=True)
        write_world(path, args.triples)
    return path


def _compile_bytecode() -> None:
    """Write the bytecode of qharmony's modules, as installing a wheel does: a
    launch should not compile its sources first (with PYTHONDONTWRITEBYTECODE set,
    as in some shells, every launch compiles again the modules changed since)."""
    import compileall
    import importlib.util

    for package in ("ontology", "queries", "server"):
        for folder in importlib.util.find_spec(f"qharmony.{package}").submodule_search_locations:
            compileall.compile_dir(folder, quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="a qharmony store folder to serve (default: a generated world)")
    parser.add_argument("--worlds", type=Path, help="folder to keep generated worlds in (reused when present)")
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--starts", type=int, default=5, help="launches of each server")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=200, help="requests per query per round (latency)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds per throughput round")
    parser.add_argument(
        "--phases", default="start,latency,throughput", help="which phases to run (comma-separated; default all)"
    )
    args = parser.parse_args()
    phases = set(args.phases.split(","))
    store = _world(args)
    _compile_bytecode()
    servers = _servers(store)
    print(f"store {store}; {_load()}")

    names = [s.name for s in servers]
    starts: dict[str, list[tuple[float, float, float]]] = {n: [] for n in names}
    for i in range(args.starts if "start" in phases else 0):
        for server in _turns(servers, i):
            starts[server.name].append((*first_answer(server), home_page(server)))
            server.stop()
    if "start" in phases:
        print_starts(args, starts, names)
    if phases & {"latency", "throughput"}:
        measure(args, servers, names, phases)


def print_starts(args, starts, names) -> None:
    print(f"\nfrom launch to the first answer (median of {args.starts} launches each, interleaved; {_load()})")
    print(HEAD)
    for i, label in enumerate(("listening s", "first 200 answer s", "CPU s until then", "home page 200 s")):
        print(_row(label, [statistics.median(x[i] for x in starts[n]) for n in names], ".3f"))
    print(_row("listening -> answer s", [statistics.median(x[1] - x[0] for x in starts[n]) for n in names], ".3f"))


def measure(args, servers: list[Server], names: list[str], phases: set[str]) -> None:
    """Latency from one client (repeated and fresh texts), then throughput."""
    conns = {}
    for third, server in enumerate(servers, start=10):
        first_answer(server)
        home_page(server)  # started: qharmony has imported its pages
        conns[server.name] = Connections(server.port, third, LATENCY_ADDRESSES)
        for query in QUERIES.values():  # warm each: a query's first answers are not measured
            latencies(conns[server.name], server, query, 20)
    kinds = [(name, fresh) for fresh in (False, True) for name in QUERIES]
    try:
        if "latency" in phases:
            times = {(n, k): [] for n in names for k in kinds}
            cpu = {(n, k): 0.0 for n in names for k in kinds}
            statuses = {n: Counter() for n in names}
            for r in range(args.rounds):
                for server in _turns(servers, r):
                    for name, fresh in kinds:
                        before = _cpu_of_tree(server.process.pid)
                        got, seen = latencies(conns[server.name], server, QUERIES[name], args.requests, fresh)
                        cpu[server.name, (name, fresh)] += _cpu_of_tree(server.process.pid) - before
                        times[server.name, (name, fresh)] += got
                        statuses[server.name].update(seen)
            print(f"\n/sparql latency from one client, ms ({args.requests} requests per query and round, ", end="")
            print(f"{args.rounds} rounds interleaved; the floor answers a fixed body; {_load()})")
            print(
                "(fresh: each request's text made unique by a comment, so it is evaluated, not answered from a cache)"
            )
            print(HEAD)
            for name, fresh in kinds:
                for q, label in ((0.5, "p50"), (0.95, "p95")):
                    tag = f"{name}{' fresh' if fresh else ''} {label}"
                    print(_row(tag, [_pct(times[n, (name, fresh)], q) for n in names], ".2f"))
            print("server CPU per request, ms (its process and workers; less at the mercy of the load than the above)")
            print(HEAD)
            for name, fresh in kinds:
                served = args.rounds * args.requests
                tag = f"{name}{' fresh' if fresh else ''} CPU"
                print(_row(tag, [cpu[n, (name, fresh)] * 1000 / served for n in names], ".3f"))
            for n in names:
                other = {k: v for k, v in statuses[n].items() if k != 200}
                print(f"  {n}: {sum(statuses[n].values())} requests, not 200: {other or 'none'}")
        for c in conns.values():
            c.close()
        if "throughput" not in phases:
            return
        for server in servers:  # a round not counted: qharmony starts the workers 8 clients need
            throughput(server, args.clients, 2.0, args.rounds)
        rates = {(n, f): [] for n in names for f in (False, True)}
        seen = {n: Counter() for n in names}
        for r in range(args.rounds):
            for fresh in (False, True):
                for server in _turns(servers, r):
                    rate, got = throughput(server, args.clients, args.seconds, r, fresh)
                    rates[server.name, fresh].append(rate)
                    seen[server.name].update(got)
        print(f"\nthroughput of {args.clients} client processes, answers/s ({args.rounds} rounds of ", end="")
        print(f"{args.seconds:g} s interleaved, median; {_load()})")
        print(HEAD)
        for fresh in (False, True):
            label = "light queries" + (" fresh" if fresh else "")
            print(_row(label, [statistics.median(rates[n, fresh]) for n in names], ".0f"))
        for n in names:
            other = {k: v for k, v in seen[n].items() if k != 200}
            for fresh in (False, True):
                rounds = " ".join(f"{x:.0f}" for x in rates[n, fresh])
                print(f"  {n}{' fresh' if fresh else ''}: per round {rounds}")
            print(f"  {n}: not 200: {other or 'none'}")
    finally:
        for server in servers:
            server.stop()


if __name__ == "__main__":
    main()
