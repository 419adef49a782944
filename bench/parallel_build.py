"""Build time with extraction in this process (``--jobs 1``, the baseline), across
local processes (``--jobs 2``) and on a local Dask cluster (``--scheduler``), on
copies of the sample corpus, from one run.

Each build runs in a fresh child process with an empty build cache, so every
document is extracted where the mode says, and the local processes' start (spawn,
imports, model load) is part of their time, as it is for a user. The Dask cluster
(two worker processes, one thread each, on 127.0.0.1) is started once by this
script, as a standing cluster would be; the first build on it also pays the
workers' model load (``dask cold``), the next ones do not (``dask warm``). Modes are
interleaved in each round, and the load average (``uptime``) is printed beside
each round: on a shared machine the ratios within a round are what to read. Every
build's graph hash is printed; they must all be equal.

    python bench/parallel_build.py [--scale 5] [--rounds 2] [--jobs 2] [--work DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from build_scale import make_corpus  # copies of each sample document, as build_scale makes them

CHILD = r"""
import hashlib, json, sys, time
started = time.perf_counter()
from qharmony.ingest.build import build
from qharmony.ingest.cache import ExtractionCache
from qharmony.ingest.parallel import Workers
from qharmony.ontology.namespaces import META_GRAPH
from qharmony.queries.store import open_store
if __name__ == "__main__":
    store, cache, jobs, scheduler, corpus = sys.argv[1:]
    target = open_store(store)
    workers = Workers(jobs=int(jobs), scheduler=scheduler or None)
    report = build(target, [corpus], cache=ExtractionCache(cache), reason=False, workers=workers)
    lines = sorted(l for l in target.dump("nq").decode().splitlines() if f"<{META_GRAPH}>" not in l)
    print(json.dumps({
        "seconds": report.seconds,
        "process": time.perf_counter() - started,
        "extract": report.stages.get("extract", 0.0),
        "documents": len(report.documents),
        "extracted": report.extracted,
        "hash": hashlib.sha256("\n".join(lines).encode()).hexdigest(),
    }))
"""


def load() -> str:
    return "load " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def run(work: Path, label: str, corpus: Path, jobs: int, scheduler: str) -> dict:
    store, cache = work / f"store-{label}", work / f"cache-{label}"
    for folder in (store, cache):
        shutil.rmtree(folder, ignore_errors=True)
    script = work / "child.py"
    script.write_text(CHILD)  # a file, not -c: spawned workers re-import the parent's main module
    out = subprocess.run(
        [sys.executable, str(script), str(store), str(cache), str(jobs), scheduler, str(corpus)],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"{label} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=5, help="copies of the sample corpus")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds of every mode")
    parser.add_argument("--jobs", type=int, default=2, help="local processes, and Dask workers")
    parser.add_argument("--work", type=Path, help="folder for the corpus and stores (default: a temporary one)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="qharmony-parallel-"))
    corpus = work / f"corpus-{args.scale}x"
    docs = make_corpus(corpus, args.scale)

    from distributed import LocalCluster

    print(f"{docs} documents ({args.scale}x the sample corpus), {os.cpu_count()} cores on this machine; {load()}")
    print("NOTE: this machine's cores are shared with other work; read the ratios within a round")
    rows: dict[str, list[dict]] = {}
    with LocalCluster(
        n_workers=args.jobs, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        modes = [("jobs 1", 1, ""), (f"jobs {args.jobs}", args.jobs, ""), ("dask", 1, cluster.scheduler_address)]
        print(f"{'round':>5} {'mode':>12} {'build s':>8} {'extract s':>9} {'process s':>9} {'x jobs 1':>8}  hash")
        for rnd in range(1, args.rounds + 1):
            print(f"  -- round {rnd}: {load()}")
            base = None
            for label, jobs, scheduler in modes:
                name = "dask cold" if label == "dask" and rnd == 1 else "dask warm" if label == "dask" else label
                started = time.perf_counter()
                r = run(work, label.replace(" ", ""), corpus, jobs, scheduler)
                r["wall"] = time.perf_counter() - started
                base = base or r
                rows.setdefault(name, []).append(r)
                speed = base["seconds"] / r["seconds"]
                print(
                    f"{rnd:>5} {name:>12} {r['seconds']:>8.1f} {r['extract']:>9.1f} {r['process']:>9.1f} "
                    f"{speed:>7.2f}x  {r['hash'][:12]}"
                )
        print(f"  -- after: {load()}")
    hashes = {r["hash"] for rs in rows.values() for r in rs}
    print(f"\nmedians ({docs} documents): build s / extract s")
    for name, rs in rows.items():
        build_s = statistics.median(r["seconds"] for r in rs)
        extract_s = statistics.median(r["extract"] for r in rs)
        print(f"{name:>12} {build_s:>8.1f} {extract_s:>9.1f}")
    print(f"graph hashes identical across every build: {len(hashes) == 1}")


if __name__ == "__main__":
    main()
