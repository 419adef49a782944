"""The analyses' answers on one store, written as one JSON file, so a change meant to
make them faster can be shown to leave them byte-identical: run it before and after
on the same store (the sample world and a generated one) and compare the files.

    python bench/answers_snapshot.py STORE OUT.json [--world sample|generated]
    python bench/answers_snapshot.py --compare BEFORE.json AFTER.json

Every answer is computed cold (nothing kept for the graph version: the store's
``answers/`` folder is removed and memory forgotten), and again in a new order where
the order could matter (a pairwise comparison before any matrix, so the bound-place
reads are used), then from the kept answers (read back from disk), so the stored
form is checked too. The sample world uses the real jurisdictions of the bundled
corpus; a generated world (``synthetic_world.py``) its fictional XA, XB, XC.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from datetime import date
from pathlib import Path

from qharmony.ontology.namespaces import entity
from qharmony.queries.analysis import answers
from qharmony.queries.analysis.changes import changes
from qharmony.queries.analysis.determine import determine
from qharmony.queries.analysis.gaps import compare_jurisdictions
from qharmony.queries.analysis.matrix import matrix
from qharmony.queries.analysis.treaty import treaty_implementation
from qharmony.queries.citations import citer
from qharmony.queries.overview import overview
from qharmony.queries.search import named
from qharmony.queries.store import open_store


def _cold(path: Path) -> None:
    answers.forget_memory()
    shutil.rmtree(path / "answers", ignore_errors=True)


def _sample(store, path: Path) -> dict:
    res: dict = {}
    days = [date(2019, 1, 1), date(2023, 6, 1), date(2024, 9, 15), date(2025, 1, 1), date(2026, 1, 1), date(2026, 8, 1)]
    for d in days:
        for kind in ("export_control", "investment_screening"):
            res[f"matrix {d} {kind}"] = matrix(store, d, "US", measure_kind=kind).to_json()
        res[f"matrix {d} sub"] = matrix(store, d, "DE", jurisdictions=["DE", "FR", "JP"]).to_json()
        for a, b in [("US", "JP"), ("US", "DE"), ("DE", "FR"), ("GB", "US"), ("US", "CN"), ("NL", "US")]:
            res[f"gaps {a} {b} {d}"] = compare_jurisdictions(store, a, b, d).to_json()
        for code in ["US", "DE", "JP", "GB", "CN", "FR"]:
            res[f"determine {code} {d}"] = determine(store, code, as_of=d).to_json()
        _cold(path)
    wassenaar = entity("arrangement", "wassenaar-arrangement")
    res["treaty"] = treaty_implementation(store, wassenaar, date(2025, 1, 1)).to_json()
    res["changes"] = changes(store, date(2023, 1, 1), date(2026, 1, 1)).to_json()
    _cold(path)
    res["gaps-first US JP"] = compare_jurisdictions(store, "US", "JP", date(2025, 1, 1)).to_json()
    res["determine-first DE"] = determine(store, "DE", as_of=date(2025, 1, 1)).to_json()
    return res


def _generated(store, path: Path) -> dict:
    res: dict = {}
    for d in [date(2021, 6, 1), date(2026, 1, 1)]:
        res[f"matrix {d}"] = matrix(store, d, "XA").to_json()
        _cold(path)
        res[f"gaps XA XB {d}"] = compare_jurisdictions(store, "XA", "XB", d).to_json()
        res[f"determine XC {d}"] = determine(store, "XC", as_of=d).to_json()
    return res


def _common(store, path: Path, res: dict) -> None:
    """The home page, the pickers and the citations a pack makes, cold; then every
    answer again from the answers folder (memory forgotten), which must be the same."""
    _cold(path)
    # the home page's data, without its list of the named queries (the catalog, which a
    # new query file changes without changing any answer)
    res["overview"] = {k: v for k, v in overview(store).to_json().items() if k != "queries"}
    for kind in ("jurisdiction", "technology", "arrangement", "control entry", "legal instrument"):
        res[f"named {kind}"] = [list(r) for r in named(store, kind)]
    cite = citer(store)
    m = matrix(store, date(2026, 1, 1), res.get("baseline", "US"))
    entries = [e for row in m.cells.values() for cell in row.values() for e in cell.get("entries", [])][:300]
    res["citations"] = [cite(e["entry"], e["jurisdiction"]).to_json() for e in entries]


def snapshot(path: Path, world: str) -> dict:
    _cold(path)
    store = open_store(path, read_only=True, timeout=3600)
    res = _sample(store, path) if world == "sample" else _generated(store, path)
    res["baseline"] = "US" if world == "sample" else "XA"
    _common(store, path, res)
    # the kept answers, read back in a new process's way (memory forgotten, disk kept)
    answers.forget_memory()
    again = matrix(store, date(2026, 1, 1), res["baseline"]).to_json()
    answers.forget_memory()
    cold_again = matrix(store, date(2026, 1, 1), res["baseline"]).to_json()
    res["matrix from disk is the computed one"] = again == cold_again
    store.close()
    return res


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs=2, type=Path)
    parser.add_argument("--world", choices=("sample", "generated"), default="generated")
    parser.add_argument("--compare", action="store_true", help="compare two snapshot files")
    args = parser.parse_args()
    if args.compare:
        before, after = (json.loads(p.read_text()) for p in args.paths)
        differ = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        print(f"{len(before)} answers before, {len(after)} after; {len(differ)} differ: {differ[:20]}")
        return 1 if differ else 0
    res = snapshot(args.paths[0], args.world)
    args.paths[1].write_text(json.dumps(res, indent=1, sort_keys=True, default=str))
    print(f"wrote {args.paths[1]}: {len(res)} answers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
