"""Build time and peak memory at 1x, 10x and 30x the sample corpus, and adding one
document to the largest store against a full rebuild, with both graphs' hashes.

Each scale is copies of the sample documents with distinct document names (the copy
k of ``us-bis-quantum-rule-2024.md`` is ``us-bis-quantum-rule-2024-c{k}.md``). Every
build runs in a child process of its own, so its peak memory (``ru_maxrss``) is its
own: the model, the libraries and the build. The added document is one more copy.
The full rebuild builds the same 30x + 1 documents into a fresh store with an empty
build cache, as a first build does; the addition uses the cache the 30x build left.
Two documents are added one after the other, as two commands: the first finds no
resident extraction process and starts one (cold: it loads the model), the second
finds it running (warm). Then two more, each as the whole ``qharmony add FILE``
command a user runs (its imports, the store opened, the version it keeps: the
30x store's version is kept first, as ``qharmony build`` keeps it), timed from
the outside. The full rebuild builds the 30x + 4 documents. Both sides are
printed from this one run, with the canonical hash of each graph (sorted N-Quads, the
build's own record left out).

    python bench/build_scale.py [--scales 1,10,30] [--work DIR] [--reason] [--rebuild cold|warm]
        [--no-daemon]          # the additions extract in their own process
        [--reuse]              # with --work: the stores an earlier run built are kept, not rebuilt
        [--baseline ../main]   # the same runs with another checkout's code, interleaved: a
                               # checkout with its own .venv, or a source tree run with this
                               # python (PYTHONPATH), e.g. from 'git archive COMMIT | tar -x'
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = r"""
import json, resource, sys, time
started = time.perf_counter()
from qharmony.ingest.build import add_documents, build
from qharmony.ingest.cache import ExtractionCache
from qharmony.queries.store import open_store
mode, store, cache, reason, daemon, *paths = sys.argv[1:]
imported = time.perf_counter() - started
target = open_store(store)
run = build if mode == "build" else add_documents
options = {}
if daemon != "-":
    from pathlib import Path
    from qharmony.ingest.parallel import Workers
    try:
        options["workers"] = Workers(daemon=Path(daemon))
    except TypeError:  # code without a resident extraction process
        pass
report = run(target, paths, cache=ExtractionCache(cache), reason=reason == "1", **options)
print(json.dumps({
    "seconds": report.seconds,
    "imports": imported,
    "stages": report.stages,
    "documents": len(report.documents),
    "extracted": report.extracted,
    "triples": report.triples,
    "full_because": report.full_because,
    "content_hash": report.content_hash,
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "process": time.perf_counter() - started,
}))
"""

STOP = r"""
import sys
from pathlib import Path
try:
    from qharmony.ingest.extraction_daemon import stop
except ImportError:
    sys.exit(0)
stop(Path(sys.argv[1]))
"""

RECORD = r"""
import sys
from pathlib import Path
from qharmony.queries.analysis.version import graph_version
from qharmony.queries.store import open_store
from qharmony.queries.versions import record_version
store = open_store(sys.argv[1], read_only=True)
v = graph_version(store)
record_version(store, Path(sys.argv[2]), content_hash=v.content_hash, conforms=v.conforms, pipeline=v.pipeline)
store.close()
"""

HASH = r"""
import hashlib, sys
from qharmony.ontology.namespaces import META_GRAPH
from qharmony.queries.store import open_store
lines = sorted(l for l in open_store(sys.argv[1], read_only=True).dump("nq").decode().splitlines()
               if f"<{META_GRAPH}>" not in l)
print(hashlib.sha256("\n".join(lines).encode()).hexdigest())
"""


def sample_documents() -> list[Path]:
    from qharmony.ingest.build import sample_corpus

    return sample_corpus()


def make_corpus(folder: Path, copies: int) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    n = 0
    for path in sample_documents():
        for k in range(copies):
            name = path.name if k == 0 else f"{path.stem}-c{k}{path.suffix}"
            shutil.copy(path, folder / name)
            n += 1
    return n


#: each side's interpreter and the environment it runs in
Side = tuple[str, dict]


def child(
    side: Side, mode: str, store: Path, cache: Path, paths: list[Path], reason: bool, daemon: Path | None = None
) -> dict:
    python, env = side
    wall = time.perf_counter()
    out = subprocess.run(
        [python, "-c", CHILD, mode, str(store), str(cache), str(int(reason)), str(daemon or "-"), *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    if out.returncode != 0:
        raise SystemExit(f"{mode} failed:\n{out.stderr[-3000:]}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - wall
    return result


def cli_add(side: Side, store: Path, cache: Path, versions: Path, path: Path) -> dict:
    """The whole ``qharmony add PATH`` command, timed from the outside; the build's own
    seconds from what it prints."""
    python, env = side
    env = {**env, "QHARMONY_BUILD_CACHE": str(cache), "QHARMONY_VERSIONS": str(versions)}
    wall = time.perf_counter()
    out = subprocess.run(
        [python, "-m", "qharmony.server.cli_main", "add", str(path), "--store", str(store)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    wall = time.perf_counter() - wall
    if out.returncode != 0:
        raise SystemExit(f"qharmony add failed:\n{out.stdout[-2000:]}{out.stderr[-3000:]}")
    built = re.search(r"triples \(\d+ inferred\) in ([0-9.]+) s", out.stdout)
    kept = re.search(r"kept as version (\w+)", out.stdout)
    return {"wall": wall, "seconds": float(built.group(1)) if built else float("nan"), "kept": bool(kept)}


def graph_hash(side: Side, store: Path) -> str:
    out = subprocess.run([side[0], "-c", HASH, str(store)], capture_output=True, text=True, check=True, env=side[1])
    return out.stdout.strip()


def baseline_side(path: Path, work: Path) -> Side:
    """Another checkout's code: its own .venv, or the source tree under this python."""
    python = path / ".venv" / "bin" / "python"
    if python.exists():
        return str(python), dict(os.environ)
    if not (path / "ingest" / "build.py").exists():
        raise SystemExit(f"--baseline {path}: neither a .venv/bin/python nor a qharmony source tree there")
    root = work / "baseline-path"
    root.mkdir(parents=True, exist_ok=True)
    link = root / "qharmony"
    if not link.exists():
        link.symlink_to(path.resolve(), target_is_directory=True)
    return sys.executable, {**os.environ, "PYTHONPATH": str(root)}


def stages(result: dict) -> str:
    return "  ".join(f"{k} {v:.1f}" for k, v in result["stages"].items())


def load() -> str:
    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="1,10,30", help="corpus sizes, as multiples of the sample corpus")
    parser.add_argument("--work", type=Path, help="folder for the corpora and stores (default: a temporary one)")
    parser.add_argument("--reason", action="store_true", help="also run HermiT on each build (needs Java)")
    parser.add_argument(
        "--rebuild",
        choices=["cold", "warm"],
        default="cold",
        help="the full rebuild to compare with: from an empty build cache (cold, as a first build), or "
        "with every extraction already cached (warm: only what follows extraction, a stricter baseline)",
    )
    parser.add_argument(
        "--no-daemon",
        action="store_true",
        help="the additions extract in their own process (no resident extraction process)",
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        help="a checkout of other qharmony code with its own .venv (e.g. the main branch): every build and "
        "addition is also run with it, interleaved, and printed beside ours",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the stores an earlier run with the same --work built (their builds are not timed again); "
        "the additions and the full rebuild they are compared with are run as always",
    )
    args = parser.parse_args()
    scales = [int(s) for s in args.scales.split(",")]
    work = args.work or Path(tempfile.mkdtemp(prefix="qharmony-build-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    sides: dict[str, Side] = {"ours": (sys.executable, dict(os.environ))}
    if args.baseline:
        sides["base"] = baseline_side(args.baseline, work)

    print(f"== full builds (each in a fresh process, empty build cache); work folder {work}; {load()}")
    print(f"{'scale':>6} {'side':>5} {'docs':>6} {'seconds':>8} {'peak MB':>8} {'triples':>9}  stages (s)")
    results: dict = {}
    for scale in scales:
        corpus = work / f"corpus-{scale}x"
        docs = make_corpus(corpus, scale)
        for side, python in sides.items():
            store = work / f"store-{side}-{scale}x"
            if args.reuse and (store / "CURRENT").exists():
                print(f"{scale:>5}x {side:>5} {docs:>6} built by an earlier run in {work}: not timed", flush=True)
                continue
            r = child(python, "build", store, work / f"cache-{side}-{scale}x", [corpus], args.reason)
            results[side, scale] = r
            print(
                f"{scale:>5}x {side:>5} {docs:>6} {r['seconds']:>8.1f} {r['peak_mb']:>8.0f} {r['triples']:>9}  "
                f"{stages(r)}",
                flush=True,
            )
    for side in sides:
        if (side, scales[0]) not in results or (side, scales[-1]) not in results:
            continue  # kept from an earlier run (--reuse)
        base, top = results[side, scales[0]], results[side, scales[-1]]
        print(
            f"{side}: peak memory {scales[-1]}x / {scales[0]}x: {top['peak_mb'] / base['peak_mb']:.2f} "
            f"(target <= 2); time {scales[-1]}x / {scales[0]}x: {top['seconds'] / base['seconds']:.1f}"
        )

    scale = scales[-1]
    corpus = work / f"corpus-{scale}x"
    extra = work / "extra"
    extra.mkdir(exist_ok=True)
    first = sample_documents()[0]
    new_docs = []
    for k in (scale, scale + 1, scale + 2, scale + 3):
        new_docs.append(extra / f"{first.stem}-c{k}{first.suffix}")
        shutil.copy(first, new_docs[-1])
    print(f"\n== two documents more, one command each, on the {scale}x store; {load()}")
    print(f"{'':>34} {'seconds':>8} {'process s':>9} {'peak MB':>8}  stages (s)")
    for side, python in sides.items():
        cache, store = work / f"cache-{side}-{scale}x", work / f"store-{side}-{scale}x"
        full_cache, full_store = work / f"cache-{side}-{scale}x-full", work / f"store-{side}-{scale}x-full"
        shutil.rmtree(full_cache, ignore_errors=True)
        shutil.rmtree(full_store, ignore_errors=True)
        daemon = None if args.no_daemon else cache / "daemon"
        versions = work / f"versions-{side}-{scale}x"
        shutil.rmtree(versions, ignore_errors=True)
        subprocess.run([python[0], "-c", RECORD, str(store), str(versions)], check=True, env=python[1])
        if daemon is not None:  # the whole commands start their own resident process
            subprocess.run([python[0], "-c", STOP, str(daemon)], check=False, env=python[1])
        commands = [cli_add(python, store, cache, versions, doc) for doc in new_docs[:2]]
        if daemon is not None:  # so the first addition below starts it again (cold)
            subprocess.run([python[0], "-c", STOP, str(daemon)], check=False, env=python[1])
        cold = child(python, "add", store, cache, [new_docs[2]], args.reason, daemon)
        warm = child(python, "add", store, cache, [new_docs[3]], args.reason, daemon)
        if daemon is not None:
            subprocess.run([python[0], "-c", STOP, str(daemon)], check=False, env=python[1])
        if args.rebuild == "warm":  # every extraction, the new documents' too
            shutil.copytree(cache / "extractions", full_cache / "extractions")
        full = child(python, "build", full_store, full_cache, [corpus, *new_docs], args.reason)
        h_add, h_full = graph_hash(python, store), graph_hash(python, full_store)
        rows = ((f"{side} add, first (cold)", cold), (f"{side} add, later (warm)", warm))
        for name, r in (*rows, (f"{side} full rebuild ({args.rebuild})", full)):
            print(f"{name:>34} {r['seconds']:>8.2f} {r['wall']:>9.1f} {r['peak_mb']:>8.0f}  {stages(r)}")
        for name, r in zip(("first (cold)", "later (warm)"), commands, strict=True):
            print(
                f"{f'{side} qharmony add, {name}':>34} {r['seconds']:>8.2f} {r['wall']:>9.1f} {'-':>8}  "
                f"version kept: {r['kept']}; the whole command {full['wall'] / r['wall']:.0f}x faster than "
                f"the full rebuild's process (target >= 100x)"
            )
        for name, r in rows:
            if r["full_because"]:
                print(f"{side}: {name} was built in full: {r['full_because']}")
            print(
                f"{side}: {name} is {full['seconds'] / r['seconds']:.0f}x faster than the full rebuild "
                f"(target >= 100x); as whole processes (imports, model load) {full['wall'] / r['wall']:.0f}x"
            )
        print(
            f"{side}: graph hash after the additions {h_add[:16]}, full rebuild {h_full[:16]}: identical "
            f"{h_add == h_full}; content hash identical: {warm['content_hash'] == full['content_hash']}",
            flush=True,
        )


if __name__ == "__main__":
    main()
