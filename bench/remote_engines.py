"""The sample world on the embedded store, the Oxigraph server and Virtuoso 7, side
by side in one run: a pairwise gap comparison, the matrix and an entity page, cold
(answers per graph version forgotten) and warm, the embedded store as the baseline.
Both servers are started here on loopback (tests/engines.py) and loaded with the
embedded build's statements.

    python bench/remote_engines.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))

import engines  # noqa: E402

from qharmony.ingest.build import build  # noqa: E402
from qharmony.queries.analysis import answers  # noqa: E402
from qharmony.queries.analysis.gaps import compare_jurisdictions  # noqa: E402
from qharmony.queries.analysis.matrix import matrix  # noqa: E402
from qharmony.queries.store import open_store  # noqa: E402
from qharmony.server.app import create_app  # noqa: E402

AS_OF = date(2025, 1, 1)
ENTITY = "/id/entry/US/4A906.json"


def _forget(store) -> None:
    answers.forget_memory()
    folder = getattr(store, "answers_folder", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


def _median(fn, repeat: int, cold: bool, store) -> float:
    runs = []
    fn()
    for _ in range(repeat):
        if cold:
            _forget(store)
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def _timings(store, settings: dict, repeat: int) -> dict[str, float]:
    client = create_app({**settings, "TIMEOUT": 300}).test_client()

    def page() -> None:
        assert client.get(ENTITY).status_code == 200

    out = {}
    for cold in (True, False):
        tag = "cold" if cold else "warm"
        out[f"gaps US-JP {tag}"] = _median(lambda: compare_jurisdictions(store, "US", "JP", AS_OF), repeat, cold, store)
        out[f"matrix {tag}"] = _median(lambda: matrix(store, AS_OF), repeat, cold, store)
    out["entity page"] = _median(page, repeat, False, store)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        embedded = open_store(folder / "embedded")
        build(embedded)
        dump = embedded.dump("nq")
        columns = {"embedded": _timings(embedded, {"STORE": str(folder / "embedded")}, args.repeat)}
        for name in engines.ENGINES:
            if not engines.available(name):
                print(f"{name}: skipped, {engines.MISSING[name]}")
                continue
            engine = engines.start(name, folder / name)
            try:
                remote = engine.open(timeout=300)
                started = time.perf_counter()
                remote.replace(dump)
                print(f"{name}: loaded {remote.count()} statements in {time.perf_counter() - started:.1f} s")
                columns[name] = _timings(remote, engine.settings, args.repeat)
            finally:
                engine.stop()
    names = list(columns)
    print(f"\n{'median seconds':<22}" + "".join(f"{n:>22}" for n in names))
    for row in columns["embedded"]:
        base = columns["embedded"][row]
        cells = [f"{columns[n][row]:.3f} ({columns[n][row] / base:.1f}x)" for n in names]
        print(f"{row:<22}" + "".join(f"{c:>22}" for c in cells))


if __name__ == "__main__":
    main()
