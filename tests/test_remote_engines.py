"""The sample world built, analysed and served through the remote store on each real
engine (the Oxigraph server and Virtuoso 7), with answers identical to the embedded
store's: the same statements, the same gaps and matrix, the same pages."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import engines
import pytest
from click.testing import CliRunner

from qharmony.queries.analysis.version import graph_version
from qharmony.server.app import create_app
from qharmony.server.cli import main

pytestmark = pytest.mark.slow

AS_OF = "2025-01-01"
PAIRS = [("US", "JP"), ("DE", "GB"), ("NL", "CA")]
#: JSON twins of the pages, one of each kind
PAGES = [
    "/index.json",
    f"/gaps?a=US&b=JP&as_of={AS_OF}&format=json",
    f"/gaps?a=DE&b=CA&as_of={AS_OF}&format=json",
    f"/matrix?as_of={AS_OF}&format=json",
    "/id/entry/US/4A906.json",
    "/id/instrument/CA/SOR-2024-112.json",
    "/id/jurisdiction/JP.json",
    "/id/document/us-bis-quantum-rule-2024.json",
    "/id/exception/US/License-Exception-IEC.json",
    "/search.json?q=quantum",
    "/treaties.json",
    "/validation.json",
]


def _env(engine: engines.Engine) -> dict[str, str]:
    """The settings a user sets for this engine: query, update and graph-store URLs."""
    return {"QHARMONY_" + k: v for k, v in engine.settings.items()}


@pytest.fixture(scope="module", params=engines.ENGINES)
def built(request, tmp_path_factory):
    """A real server of each engine holding the sample world, built by `qharmony
    build` with the store's URLs given as settings."""
    if not engines.available(request.param):
        import os

        (pytest.fail if os.environ.get("QHARMONY_REQUIRE_SERVERS") else pytest.skip)(engines.MISSING[request.param])
    if request.param == "virtuoso":
        engine = request.getfixturevalue("virtuoso")
        engines.empty(engine)
    else:
        engine = engines.start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
        request.addfinalizer(engine.stop)
    out = CliRunner().invoke(main, ["build"], env=_env(engine))
    assert out.exit_code == 0, out.output
    return engine


def test_build_holds_the_statements_of_the_embedded_build(built, store):
    remote = built.open(timeout=120)
    assert graph_version(remote) == graph_version(store)
    assert graph_version(remote).conforms is True
    assert remote.count() == store.count()
    assert set(remote.dump("nq").splitlines()) == set(store.dump("nq").splitlines())


def _cli_json(args: list[str], env: dict[str, str] | None = None):
    out = CliRunner().invoke(main, args, env=env or {})
    assert out.exit_code == 0, out.output
    return json.loads(out.output)


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_gaps_are_the_embedded_answer(built, built_store_path, a, b):
    args = ["gaps", a, b, "--as-of", AS_OF, "--format", "json"]
    embedded = _cli_json([*args, "--store", str(built_store_path)])
    assert embedded["gaps"], "the sample world has gaps between these two"
    assert _cli_json(args, _env(built)) == embedded


def test_matrix_is_the_embedded_answer(built, built_store_path):
    args = ["matrix", "--as-of", AS_OF, "--format", "json"]
    assert _cli_json(args, _env(built)) == _cli_json([*args, "--store", str(built_store_path)])


def test_pages_are_the_embedded_pages(built, client):
    remote = create_app({**built.settings, "TIMEOUT": 120, "RATE_REQUESTS": 0, "RATE_QUERY_SECONDS": 0}).test_client()
    for page in PAGES:
        mine, theirs = client.get(page), remote.get(page)
        assert theirs.status_code == mine.status_code == 200, (page, theirs.data[:300])
        assert theirs.get_json() == mine.get_json(), page


def test_serve_answers_as_the_embedded_explorer(built, client, tmp_path):
    port = engines.free_port()
    binary = Path(sys.executable).with_name("qharmony")
    env = {**_env(built), "PATH": str(binary.parent), "HOME": str(tmp_path)}
    process = subprocess.Popen(
        [str(binary), "serve", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/index.json", timeout=30) as response:
                    served = json.loads(response.read())
                break
            except OSError:
                assert process.poll() is None, process.stderr.read().decode()[-2000:]
                assert time.monotonic() < deadline, "qharmony serve did not answer"
                time.sleep(0.3)
        assert served == client.get("/index.json").get_json()
        with urllib.request.urlopen(base + PAGES[1], timeout=120) as response:
            assert json.loads(response.read()) == client.get(PAGES[1]).get_json()
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_an_answer_virtuoso_cut_at_its_own_limit_is_flagged_and_refused_for_analyses(tmp_path):
    from qharmony.queries.catalog import select_all
    from qharmony.queries.errors import QueryError

    if not engines.available("virtuoso"):
        pytest.skip(engines.MISSING["virtuoso"])
    engine = engines.start_virtuoso(tmp_path / "virtuoso", max_rows=5)
    try:
        store = engine.open()
        rows = "".join(f'<http://ex.org/s{i}> <http://ex.org/p> "{i}" <http://ex.org/g> .\n' for i in range(20))
        store.load(rows.encode(), "nq")
        cut = store.select("SELECT ?s WHERE { ?s <http://ex.org/p> ?o }")
        assert len(cut.rows) == 5 and cut.truncated
        assert not store.select("SELECT ?s WHERE { <http://ex.org/s1> <http://ex.org/p> ?o }").truncated
        with pytest.raises(QueryError, match="cut short by the store"):
            select_all(store, "graph_counts")  # six rows, one more than the limit
    finally:
        engine.stop()
