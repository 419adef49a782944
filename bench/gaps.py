"""Time the matrix, a pairwise comparison and one jurisdiction's determination over
the sample world and over a generated world of about a million triples, side by side
in one run; the regimes read (entries in force, as before determinations) is the
baseline each is compared with
(both for jurisdiction A).

    python bench/gaps.py [--triples 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from synthetic_world import write_world  # noqa: E402

from qharmony.ingest.build import build  # noqa: E402
from qharmony.queries.analysis.determine import determine  # noqa: E402
from qharmony.queries.analysis.gaps import compare_jurisdictions  # noqa: E402
from qharmony.queries.analysis.matrix import matrix  # noqa: E402
from qharmony.queries.analysis.regimes import regimes  # noqa: E402
from qharmony.queries.store import open_store  # noqa: E402

AS_OF = date(2026, 1, 1)


def _time(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sample = open_store(Path(tmp) / "sample", max_rows=10_000_000)
        build(sample, reason=False)
        world_path = Path(tmp) / "world"
        write_world(world_path, args.triples)
        world = open_store(world_path, read_only=True, max_rows=10_000_000, timeout=600)
        rows = []
        for name, store, a, b in (("sample world", sample, "US", "JP"), ("generated world", world, "XA", "XB")):
            rows.append(
                (
                    name,
                    store.count(),
                    _time(lambda s=store, a=a: matrix(s, AS_OF, baseline=a), args.repeat),
                    _time(lambda s=store, a=a, b=b: compare_jurisdictions(s, a, b, AS_OF), args.repeat),
                    _time(lambda s=store, a=a: determine(s, a, None, AS_OF, with_evidence=False), args.repeat),
                    _time(lambda s=store, a=a: regimes(s, AS_OF, [a]), args.repeat),
                )
            )
    print(
        f"{'graph':16} {'quads':>10} {'matrix s':>10} {'pairwise s':>11} {'determine s':>12} "
        f"{'baseline: regimes s':>20}  (median of {args.repeat})"
    )
    for name, quads, m, p, d, r in rows:
        print(f"{name:16} {quads:>10} {m:>10.3f} {p:>11.3f} {d:>12.3f} {r:>20.3f}")


if __name__ == "__main__":
    main()
