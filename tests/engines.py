"""Real SPARQL servers on loopback for the remote-store tests and the benchmarks:
the Oxigraph server and OpenLink Virtuoso 7, each in a folder of its own, started
as a process, waited for and stopped. Nothing listens beyond 127.0.0.1.

Setup per engine (README, "Remote stores"):
- Oxigraph: ``oxigraph serve --union-default-graph``; query /query, update /update,
  graph store /store.
- Virtuoso: its own virtuoso.ini (ports, DirsAllowed, folders), ``virtuoso-t
  +foreground``, then ``GRANT SPARQL_UPDATE TO "SPARQL"`` through isql so that HTTP
  updates and the graph store are allowed; query and update /sparql, graph store
  /sparql-graph-crud. Its default graph is the union of its graphs as shipped.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ENGINES = ("oxigraph", "virtuoso")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def oxigraph_binary() -> str | None:
    beside = Path(sys.executable).parent / "oxigraph"
    return shutil.which("oxigraph") or (str(beside) if beside.exists() else None)


def virtuoso_binaries() -> tuple[str, str] | None:
    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    return (server, isql) if server and isql else None


MISSING = {
    "oxigraph": "the oxigraph server binary is not installed (pip install oxigraph)",
    "virtuoso": "Virtuoso is not installed (apt-get install virtuoso-opensource: virtuoso-t and isql-vt)",
}


def available(engine: str) -> bool:
    return (oxigraph_binary() if engine == "oxigraph" else virtuoso_binaries()) is not None


@dataclass
class Engine:
    """A running server and its three URLs."""

    name: str
    query_url: str
    update_url: str
    graph_store_url: str
    process: subprocess.Popen
    log: Path | None = None
    extra: dict = field(default_factory=dict)

    @property
    def settings(self) -> dict[str, str]:
        """The ``QHARMONY_*`` settings (without the prefix) that point at this server."""
        return {
            "STORE": self.query_url,
            "STORE_UPDATE_URL": self.update_url,
            "STORE_GRAPH_STORE_URL": self.graph_store_url,
        }

    def open(self, **options):
        from qharmony.queries.store import open_store

        return open_store(self.query_url, update_url=self.update_url, graph_store_url=self.graph_store_url, **options)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def _wait_for(url: str, process: subprocess.Popen, seconds: float, log: Path | None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2) as response:
                response.read()
            return
        except OSError:
            time.sleep(0.1)
    process.kill()
    process.wait(timeout=10)
    tail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
    raise RuntimeError(f"the server behind {url} did not start within {seconds:g} s\n{tail}")


def start_oxigraph(folder: Path) -> Engine:
    binary = oxigraph_binary()
    if binary is None:
        raise RuntimeError(MISSING["oxigraph"])
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    process = subprocess.Popen(
        [binary, "serve", "--location", str(folder / "data"), "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    _wait_for(base + "/query", process, 20, None)
    return Engine("oxigraph", base + "/query", base + "/update", base + "/store", process)


VIRTUOSO_INI = """\
; A throwaway Virtuoso for tests: everything in this folder, loopback only.
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = {folder}
AllowOSCalls = 0
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
ThreadsPerQuery = 2
MaxQueryMem = 500M

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8
EnabledDavVSP = 0
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 600
MaxQueryCostEstimationTime = 0
"""

#: what the SPARQL user (HTTP, unauthenticated) needs to write through /sparql and
#: /sparql-graph-crud
VIRTUOSO_GRANTS = "GRANT SPARQL_UPDATE TO \"SPARQL\"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);"


def start_virtuoso(folder: Path, max_rows: int = 10_000_000) -> Engine:
    """A Virtuoso in ``folder``; ``max_rows`` is its own cap on an answer's rows."""
    binaries = virtuoso_binaries()
    if binaries is None:
        raise RuntimeError(MISSING["virtuoso"])
    server, isql = binaries
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(
        VIRTUOSO_INI.format(folder=folder.resolve(), sql_port=sql_port, http_port=http_port, max_rows=max_rows)
    )
    log = folder / "virtuoso.log"
    process = subprocess.Popen(
        [server, "+foreground", "+configfile", str(ini)],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{http_port}"
    _wait_for(base + "/sparql", process, 90, log)
    granted = subprocess.run(
        [isql, f"127.0.0.1:{sql_port}", "dba", "dba", f"exec={VIRTUOSO_GRANTS}"],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    if granted.returncode != 0 or "Error" in granted.stdout + granted.stderr:
        process.kill()
        raise RuntimeError(f"isql could not grant SPARQL_UPDATE: {granted.stdout}{granted.stderr}")
    return Engine(
        "virtuoso",
        base + "/sparql",
        base + "/sparql",
        base + "/sparql-graph-crud",
        process,
        log,
        {"sql_port": sql_port},
    )


def start(engine: str, folder: Path) -> Engine:
    return start_oxigraph(folder) if engine == "oxigraph" else start_virtuoso(folder)


def empty(engine: Engine) -> None:
    """Drop every graph of the server but the engine's own."""
    store = engine.open()
    for graph in store.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").values("g"):
        store.update(f"DROP SILENT GRAPH <{graph}>")
