"""The real Commerce Control List against bench/gold/ccl-quantum.json: which quantum
ECCNs are found as US entries, each threshold compared exactly after normalisation,
quantum facts read from non-quantum ECCNs, entries given to any jurisdiction other
than the US, and documents/s and tokens/s. The baseline (another checkout's
extraction, e.g. a sibling checkout of an earlier commit with its own venv) runs on the same text in the same run.

    python bench/ccl_quantum.py [--baseline ../qharmony-baseline] [--corpus ../shared/corpus]

The CCL text is read from ../shared/corpus at run time; it is never copied here.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
GOLD = HERE / "gold" / "ccl-quantum.json"
CCL_NAME = "us-ccl-2026-07-23.txt"
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpus"
#: parameters that only quantum entries limit
QUANTUM_PARAMETERS = {"physical_qubits", "cnot_error"}

#: run in the checkout being measured (ours or the baseline's): extraction of one
#: file, timed without model loading; JSON records and figures on stdout
_RUNNER = r"""
import json, sys, time
from qharmony.ingest.extract import extract_documents
from qharmony.ingest.pipeline import load_pipeline
from qharmony.ingest.readers import read_source
nlp = load_pipeline()
source = read_source(sys.argv[1])
started = time.perf_counter()
[ex] = list(extract_documents([source], nlp))
seconds = time.perf_counter() - started
tokens = sum(len(d) for d in nlp.tokenizer.pipe(source.block_text(b) for b in source.blocks))
print(json.dumps({"seconds": seconds, "tokens": tokens, "records": ex.to_jsonl_records()}))
"""


def _key(obj: dict) -> str:
    key = f"{obj['parameter']} {obj['op']} {float(obj['value']):.12g} {obj['unit']}"
    return key + (f" @ {obj['condition_of']}" if obj.get("condition_of") else "")


def _gold_key(text: str) -> str:
    head, _, cond = text.partition(" @ ")
    p, op, v, u = head.split()
    return f"{p} {op} {float(v):.12g} {u}" + (f" @ {cond}" if cond else "")


def run(python: str, cwd: Path, path: Path) -> dict:
    """Extract ``path`` with the checkout at ``cwd`` through its own interpreter."""
    done = subprocess.run(
        [python, "-c", _RUNNER, str(path)], cwd=cwd, capture_output=True, text=True, check=False, timeout=900
    )
    if done.returncode != 0:
        raise RuntimeError(f"extraction in {cwd} failed: {done.stderr.strip().splitlines()[-1:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _in(code: str, entries: list[str]) -> bool:
    """A code is quantum when it is a quantum entry, one of its paragraphs, or the
    ECCN that holds a quantum paragraph (5A002 holds 5A002.c)."""
    return any(code == q or code.startswith(q + ".") or q.startswith(code + ".") for q in entries)


def score(result: dict, gold: dict) -> dict:
    """The figures of one run against the gold."""
    records = result["records"]
    owner = gold["owner"]
    quantum = gold["quantum_entries"]
    entries = {r["id"] for r in records if r["kind"] == "entity" and r["type"] == "ControlEntry"}
    facts = [r for r in records if r["kind"] == "relation" and r["type"] in ("controls", "not_controlled")]
    thresholds: dict[str, set[str]] = {}
    stray = []
    for r in records:
        if r["kind"] != "relation":
            continue
        code = str(r["subject"]).partition(":")[2]
        if r["type"] == "has_threshold" and isinstance(r["object"], dict):
            thresholds.setdefault(r["subject"], set()).add(_key(r["object"]))
            if r["object"].get("parameter") in QUANTUM_PARAMETERS and not _in(code, quantum):
                stray.append((r["subject"], r["object"]["parameter"]))
    stray += [(r["subject"], r["object"]) for r in facts if not _in(str(r["subject"]).partition(":")[2], quantum)]
    found = {}
    for code in quantum:
        ident = f"{owner}:{code}"
        has_fact = any(str(r["subject"]) == ident or str(r["subject"]).startswith(ident + ".") for r in facts)
        found[code] = (ident in entries, has_fact)
    exact = {}
    for code, expected in gold["thresholds"].items():
        want = {_gold_key(t) for t in expected}
        got = thresholds.get(f"{owner}:{code}", set())
        exact[code] = (want == got, sorted(want - got), sorted(got - want))
    foreign = sorted(e for e in entries if not e.startswith(owner + ":"))
    return {
        "entries": len(entries),
        "found": found,
        "exact": exact,
        "stray": stray,
        "foreign": foreign,
        "docs_per_s": 1 / result["seconds"],
        "tokens_per_s": result["tokens"] / result["seconds"],
        "seconds": result["seconds"],
    }


def report(ours: dict, base: dict | None) -> None:
    def cell(run: dict | None, fn) -> str:
        return "-" if run is None else fn(run)

    print(
        "\nReal CCL (15 CFR 774 Supp. 1) against bench/gold/ccl-quantum.json" + (" [baseline | ours]" if base else "")
    )
    print("  quantum ECCN     US entry  quantum fact")
    for code in ours["found"]:
        line = f"  {code:14}"
        for run in (base, ours) if base else (ours,):
            present, fact = run["found"][code]
            line += f"  {'yes' if present else 'NO':>4} {'yes' if fact else 'NO':>4} |"
        print(line.rstrip("|"))
    print("  thresholds (exact after normalisation):")
    for code, (ok, missing, extra) in ours["exact"].items():
        b = f"{'exact' if base['exact'][code][0] else 'WRONG':5} | " if base else ""
        print(
            f"    {code:10} {b}{'exact' if ok else 'WRONG'}" + (f"  missing {missing} extra {extra}" if not ok else "")
        )
    rows = [
        ("entries minted", lambda r: f"{r['entries']}"),
        ("paragraphs with exact thresholds", lambda r: f"{sum(v[0] for v in r['exact'].values())}/{len(r['exact'])}"),
        ("quantum facts from non-quantum ECCNs", lambda r: f"{len(r['stray'])}"),
        ("entries given to a jurisdiction other than US", lambda r: f"{len(r['foreign'])}"),
        ("extraction seconds (model loaded)", lambda r: f"{r['seconds']:.1f}"),
        ("documents/s", lambda r: f"{r['docs_per_s']:.3f}"),
        ("tokens/s", lambda r: f"{r['tokens_per_s']:,.0f}"),
    ]
    print(f"  {'figure':48} {'baseline':>10} {'ours':>10}")
    for label, fn in rows:
        print(f"  {label:48} {cell(base, fn):>10} {cell(ours, fn):>10}")
    for subject, obj in ours["stray"][:10]:
        print(f"    stray: {subject} -> {obj}")
    for entry in ours["foreign"][:10]:
        print(f"    foreign: {entry}")


def run_ccl(corpus: Path, baseline: Path | None) -> dict | None:
    """Score ours (and the baseline, if its venv exists) on the real CCL; None without it."""
    path = corpus / CCL_NAME
    if not path.exists():
        print(f"\n{path} is absent: the real-CCL benchmark is skipped")
        return None
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    ours = score(run(sys.executable, HERE.parent, path), gold)
    base = None
    python = baseline / ".venv" / "bin" / "python" if baseline else None
    if python and python.exists():
        base = score(run(str(python), baseline, path), gold)
    report(ours, base)
    return ours


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument(
        "--baseline", type=Path, default=None, help="another checkout with its own .venv (e.g. ../qharmony-baseline)"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    run_ccl(args.corpus, args.baseline)
    print(f"  (benchmark took {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
