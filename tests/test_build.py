"""Whole builds: determinism, atomic swaps, and the remote store path."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

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


#: the child build: it reports each point it reaches on stdout, then waits for the
#: parent's word before going on, so the parent can kill it at exactly that point
CHILD = """
import sys
from qharmony.ingest import build as b
from qharmony.ingest.build import build, sample_corpus
from qharmony.ingest.cache import ExtractionCache
from qharmony.queries.store import open_store

def stop(stage):
    print(stage, flush=True)
    if sys.stdin.readline().strip() != "go":
        raise SystemExit(3)

b.STAGE_HOOKS.append(stop)
build(open_store(sys.argv[1]), sample_corpus()[:4], reason=False, cache=ExtractionCache(sys.argv[2]))
print("done", flush=True)
"""
STAGES = ["read", "validated", "serialised", "swapped"]


def _child(store: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(store), str(store.parent / "cache")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        bufsize=1,
    )


def _run_to(proc: subprocess.Popen, stage: str) -> float:
    """Let the child pass every point before ``stage``; at ``stage``, let it go on and
    return the time it went, so the parent can kill it a chosen while later."""
    while True:
        line = proc.stdout.readline().strip()
        assert line, f"the build ended before it reached {stage!r}"
        proc.stdin.write("go\n")
        proc.stdin.flush()
        if line == stage:
            return time.monotonic()


def test_a_build_killed_at_any_point_leaves_the_previous_graph(tmp_path):
    """Kill a build at each point it reports, and at fractions of the swap itself
    (between 'serialised' and 'swapped'); each time, the store holds the previous
    graph or, once the swap is done, the whole new one: never a mix. The same four
    documents are built each time, so "whole new" and "previous" are the same dump.
    The children share an extraction cache (filled by the first): what is killed is
    the build's work on the store, which is what the test is about."""
    target = tmp_path / "store"
    swap_seconds = 0.0
    for attempt in range(2):  # the first fills the store; the second times a swap over a full store
        run = _child(target)
        _run_to(run, "serialised")
        went = time.monotonic()
        _run_to(run, "swapped")
        swap_seconds = time.monotonic() - went
        assert run.stdout.readline().strip() == "done"
        assert run.wait(timeout=120) == 0
        if attempt == 0:
            before = open_store(target, read_only=True).dump("nq")
    assert before.count(b"\n") > 500  # a substantial graph, not an empty one
    assert open_store(target, read_only=True).dump("nq") == before  # the build is deterministic

    points = [(stage, 0.0) for stage in STAGES] + [("serialised", f * swap_seconds) for f in (0.1, 0.3, 0.5, 0.7)]
    landed_in_swap = 0
    for stage, delay in points:
        proc = _child(target)
        went = _run_to(proc, stage)
        time.sleep(max(0.0, went + delay - time.monotonic()))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
        rest = proc.stdout.read()
        if stage == "serialised" and delay and "swapped" not in rest:
            landed_in_swap += 1
        after = open_store(target, read_only=True).dump("nq")
        assert after == before, f"killed {delay:.3f} s after {stage!r}: the store changed"
    assert landed_in_swap >= 2, f"only {landed_in_swap} kills landed inside the {swap_seconds:.3f} s swap"


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
