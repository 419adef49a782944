"""Whole builds: determinism, atomic swaps, and the remote store path."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from qharmony.ingest.build import build
from qharmony.queries.store import open_store

pytestmark = pytest.mark.slow


def test_building_twice_gives_the_same_graph(tmp_path, store):
    second = open_store(tmp_path / "again")
    build(second, reason=False)
    assert second.dump("nq") == store.dump("nq")
    lines = second.dump("nq").splitlines()
    assert len(lines) == len(set(lines))


def test_killed_build_leaves_previous_graph(tmp_path, built_store_path):
    import shutil

    target = tmp_path / "copy"
    shutil.copytree(built_store_path, target)
    before = open_store(target, read_only=True).dump("nq")
    proc = subprocess.Popen(
        [sys.executable, "-m", "qharmony.server.cli_main", "build", "--store", str(target)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1.5)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert open_store(target, read_only=True).dump("nq") == before


def test_bad_file_is_rejected_and_the_rest_is_built(tmp_path):
    good = tmp_path / "docs"
    good.mkdir()
    (good / "ok.md").write_text(
        "# T\n\nJurisdiction: Canada\nInstrument: Order\nCitation: SOR/2024-112\n\n"
        "## Item 5506 Quantum computers\n\na. Quantum computers with 34 or more qubits.\n",
        encoding="utf-8",
    )
    (good / "broken.txt").write_bytes(b"\x00\x00binary")
    report = build(open_store(tmp_path / "s"), [good], reason=False)
    assert report.documents == ["ok"]
    assert any("broken.txt" in r for r in report.rejected)


def test_remote_store_build_and_explorer(oxigraph_url):
    from qharmony.server.app import create_app

    remote = open_store(oxigraph_url)
    build(remote, reason=False)
    app = create_app({"STORE": oxigraph_url})
    client = app.test_client()
    resp = client.get("/api/queries/entries_controlling", query_string={"jurisdiction": "US"})
    codes = [b["code"]["value"] for b in resp.get_json()["results"]["bindings"]]
    assert "4A906.a.1" in codes
    page = client.get("/id/entry/US/4A906.a.1")
    assert page.status_code == 200 and b"<mark>34</mark>" in page.data
    build(remote, reason=False)  # a second build replaces, never duplicates
    again = client.get("/api/queries/entries_controlling", query_string={"jurisdiction": "US"})
    assert again.get_json() == resp.get_json()
