"""One way to configure: the settings table drives the explorer and every CLI command
alike. Each test changes one setting in the environment and checks that a command
honours it, on a small store loaded through the CLI (no graph is built)."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from qharmony.queries.store import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT
from qharmony.server.app import create_app
from qharmony.server.cli import main
from qharmony.server.config import SETTINGS, load_config

ROWS = "SELECT ?s WHERE { ?s <http://ex.org/p> ?o } ORDER BY ?s\n"
#: a cross product of the data with itself: far longer than the timeouts below
PAIRS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }\n"


def _cli(args: list[str], **env: str):
    return CliRunner().invoke(main, args, env=env)


@pytest.fixture()
def small_store(tmp_path) -> Path:
    """A store with 300 triples, loaded through ``qharmony load``."""
    data = tmp_path / "data.nt"
    data.write_text("".join(f'<http://ex.org/s{i:03}> <http://ex.org/p> "{i}" .\n' for i in range(300)))
    store = tmp_path / "store"
    out = _cli(["load", str(data), "--graph", "http://ex.org/g", "--store", str(store)])
    assert out.exit_code == 0, out.output
    return store


def _query_file(tmp_path: Path, text: str) -> str:
    path = tmp_path / "q.rq"
    path.write_text(text)
    return str(path)


def test_defaults_come_from_the_store_module_and_environment_overrides_them():
    config = load_config(environ={})
    assert config["MAX_ROWS"] == DEFAULT_MAX_ROWS and config["TIMEOUT"] == DEFAULT_TIMEOUT
    config = load_config({"TIMEOUT": 2, "STORE": None}, environ={"QHARMONY_MAX_ROWS": "7", "QHARMONY_STORE": "x"})
    assert config["MAX_ROWS"] == 7 and config["TIMEOUT"] == 2 and config["STORE"] == "x"


def test_a_bad_setting_names_the_variable(small_store, tmp_path):
    with pytest.raises(ValueError, match="QHARMONY_TIMEOUT must be a number, got 'soon'"):
        load_config(environ={"QHARMONY_TIMEOUT": "soon"})
    out = _cli(["query", _query_file(tmp_path, ROWS), "--store", str(small_store)], QHARMONY_MAX_ROWS="many")
    assert out.exit_code == 1 and "QHARMONY_MAX_ROWS must be a whole number, got 'many'" in out.output
    assert "Traceback" not in out.output


def test_the_readme_settings_table_lists_every_setting():
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert f"`{setting.env}`" in readme, setting.env
    out = _cli(["settings"], QHARMONY_MAX_ROWS="12")
    assert out.exit_code == 0 and "QHARMONY_MAX_ROWS=12" in out.output


def test_cli_honours_the_store_setting(small_store, tmp_path):
    out = _cli(["query", _query_file(tmp_path, ROWS), "--format", "csv"], QHARMONY_STORE=str(small_store))
    assert out.exit_code == 0, out.output
    assert len(out.output.splitlines()) == 301


def test_cli_honours_the_row_cap(small_store, tmp_path):
    args = ["query", _query_file(tmp_path, ROWS), "--store", str(small_store), "--format", "csv"]
    out = _cli(args, QHARMONY_MAX_ROWS="5")
    assert out.exit_code == 0, out.output
    assert out.stdout.splitlines() == ["s", *(f"http://ex.org/s{i:03}" for i in range(5))]
    assert "cut at the row limit" in out.stderr


def test_cli_honours_the_timeout(small_store, tmp_path):
    args = ["query", _query_file(tmp_path, PAIRS), "--store", str(small_store)]
    out = _cli(args, QHARMONY_TIMEOUT="0.05")
    assert out.exit_code == 1 and "longer than 0.05 s" in out.output, out.output


def test_explorer_reads_the_same_settings(small_store, monkeypatch):
    monkeypatch.setenv("QHARMONY_STORE", str(small_store))
    monkeypatch.setenv("QHARMONY_MAX_ROWS", "3")
    client = create_app().test_client()
    resp = client.get("/sparql", query_string={"query": ROWS}, headers={"Accept": "application/sparql-results+json"})
    assert len(resp.get_json()["results"]["bindings"]) == 3
    assert resp.headers["X-Qharmony-Truncated"] == "true"


def test_cli_honours_the_graph_store_url(oxigraph_url, tmp_path):
    data = tmp_path / "d.nt"
    data.write_text('<http://ex.org/a> <http://ex.org/p> "1" .\n')
    base = oxigraph_url.removesuffix("/query")
    dead = "http://127.0.0.1:9/store"
    out = _cli(
        ["load", str(data), "--graph", "http://ex.org/g", "--store", oxigraph_url], QHARMONY_STORE_GRAPH_STORE_URL=dead
    )
    assert out.exit_code == 1 and dead in out.output, out.output
    out = _cli(
        ["load", str(data), "--graph", "http://ex.org/g", "--store", oxigraph_url],
        QHARMONY_STORE_GRAPH_STORE_URL=base + "/store",
    )
    assert out.exit_code == 0, out.output
    out = _cli(["export", "--format", "nq", "--store", oxigraph_url], QHARMONY_STORE_GRAPH_STORE_URL=dead)
    assert out.exit_code == 1 and dead in out.output


def test_qharmony_serve_honours_the_settings(small_store, tmp_path):
    """The real command, as a user starts it: the explorer it serves caps rows at
    QHARMONY_MAX_ROWS, found through QHARMONY_STORE."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "QHARMONY_STORE": str(small_store), "QHARMONY_MAX_ROWS": "4"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "qharmony.server.cli_main", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/sparql?query=" + urllib.parse.quote(ROWS)
        deadline = time.monotonic() + 30
        while True:
            try:
                request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
                with urllib.request.urlopen(request, timeout=5) as resp:
                    body, truncated = json.loads(resp.read()), resp.headers["X-Qharmony-Truncated"]
                break
            except OSError:
                assert time.monotonic() < deadline, "qharmony serve did not start"
                time.sleep(0.2)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert len(body["results"]["bindings"]) == 4 and truncated == "true"


@pytest.mark.slow
def test_cli_honours_the_update_url_and_keeps_the_previous_graph(oxigraph_url, tmp_path):
    doc = tmp_path / "ca.md"
    doc.write_text(
        "# T\n\nJurisdiction: Canada\nInstrument: Order\nCitation: SOR/2024-112\n\n"
        "## Item 5506 Quantum computers\n\na. Quantum computers with 34 or more qubits.\n",
        encoding="utf-8",
    )
    out = _cli(["build", str(doc), "--store", oxigraph_url])
    assert out.exit_code == 0, out.output
    before = _cli(["export", "--format", "nq", "--store", oxigraph_url]).stdout_bytes
    dead = "http://127.0.0.1:9/update"
    out = _cli(["build", str(doc), "--store", oxigraph_url], QHARMONY_STORE_UPDATE_URL=dead)
    assert out.exit_code == 1 and dead in out.output, out.output
    after = _cli(["export", "--format", "nq", "--store", oxigraph_url]).stdout_bytes
    # The failed swap leaves its staged copies under graph/staging/ (RemoteStore.replace
    # stages every graph before the one update that moves them; the next build drops
    # them). The previous graphs themselves are untouched, which is what this checks.
    staged = re.compile(rb"graph/staging/")
    assert [line for line in after.splitlines() if not staged.search(line)] == before.splitlines()
