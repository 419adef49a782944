"""Extraction accuracy on the development gold set: precision, recall and F1 per
entity and relation type; then, when ../shared/corpus exists, what the pipeline
finds in real regulation text, part by part (nothing quantum should come out of
the parts that regulate chemicals).

    python bench/accuracy.py [--gold bench/gold/dev.jsonl] [--corpus ../shared/corpus]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from qharmony.ingest.extract import extract_documents
from qharmony.ingest.pipeline import load_pipeline
from qharmony.ingest.readers import read_source

HERE = Path(__file__).parent
#: the relation types of the issue; structural extras (broader, in_list) are not scored
GOLD_RELATION_TYPES = {
    "part_of",
    "controls",
    "has_threshold",
    "issued_by",
    "applies_in",
    "party_to",
    "implements",
    "eligible_destination",
    "corresponds_to",
    "effective_on",
    "adopted_on",
    "compliance_on",
    "not_controlled",
}
GOLD_ENTITY_TYPES = {
    "Jurisdiction",
    "Treaty",
    "Instrument",
    "ControlEntry",
    "Technology",
    "Threshold",
    "Authority",
    "Date",
    "LicenseException",
    "CountryGroup",
}


def threshold_key(t: dict) -> str:
    return f"{t['parameter']} {t['op']} {float(t['value']):g} {t['unit']}"


def predicted(extraction) -> tuple[set, set]:
    ents, rels = set(), set()
    for e in extraction.entities:
        if e.type not in GOLD_ENTITY_TYPES:
            continue
        ident = threshold_key(e.attributes["threshold"]) if e.type == "Threshold" else e.id
        ents.add((e.type, ident))
    for r in extraction.relations:
        if r.type not in GOLD_RELATION_TYPES:
            continue
        if isinstance(r.object, dict) and "parameter" not in r.object:
            continue
        obj = threshold_key(r.object) if isinstance(r.object, dict) else r.object
        rels.add((r.type, r.subject, obj))
    return ents, rels


def gold_sets(item: dict) -> tuple[set, set]:
    ents = {tuple(e) for e in item["entities"]}
    rels = set()
    for t, s, o in item["relations"]:
        if t == "has_threshold":
            p, op, v, u = o.split()
            o = f"{p} {op} {float(v):g} {u}"
        rels.add((t, s, o))
    ents = {
        (t, f"{i.split()[0]} {i.split()[1]} {float(i.split()[2]):g} {i.split()[3]}") if t == "Threshold" else (t, i)
        for t, i in ents
    }
    return ents, rels


def score(pairs) -> dict:
    """Per-type and overall precision, recall, F1 over (gold, predicted) set pairs."""
    tp, fp, fn = Counter(), Counter(), Counter()
    for gold, pred in pairs:
        for item in pred & gold:
            tp[item[0]] += 1
        for item in pred - gold:
            fp[item[0]] += 1
        for item in gold - pred:
            fn[item[0]] += 1
    out = {}
    for kind in sorted(set(tp) | set(fp) | set(fn)) + ["ALL"]:
        t = sum(tp.values()) if kind == "ALL" else tp[kind]
        f_p = sum(fp.values()) if kind == "ALL" else fp[kind]
        f_n = sum(fn.values()) if kind == "ALL" else fn[kind]
        p = t / (t + f_p) if t + f_p else 1.0
        r = t / (t + f_n) if t + f_n else 1.0
        out[kind] = (p, r, 2 * p * r / (p + r) if p + r else 0.0, t, f_p, f_n)
    return out


def print_table(title: str, table: dict) -> None:
    print(f"\n{title}")
    print(f"  {'type':22} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}")
    for kind, (p, r, f, t, f_p, f_n) in table.items():
        print(f"  {kind:22} {p:6.3f} {r:6.3f} {f:6.3f} {t:4} {f_p:4} {f_n:4}")


def run_gold(path: Path, verbose: bool) -> tuple[dict, dict]:
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    nlp = load_pipeline()
    with tempfile.TemporaryDirectory() as tmp:
        sources = []
        for item in items:
            file = Path(tmp) / f"{item['id']}.md"
            file.write_text(item["text"], encoding="utf-8")
            sources.append(read_source(file))
        extractions = list(extract_documents(sources, nlp))
    ent_pairs, rel_pairs = [], []
    for item, ex in zip(items, extractions, strict=True):
        ge, gr = gold_sets(item)
        pe, pr = predicted(ex)
        ent_pairs.append((ge, pe))
        rel_pairs.append((gr, pr))
        if verbose:
            for label, g, p in (("entity", ge, pe), ("relation", gr, pr)):
                for miss in sorted(g - p):
                    print(f"  [{item['id']}] missed {label} {miss}", file=sys.stderr)
                for extra in sorted(p - g):
                    print(f"  [{item['id']}] extra  {label} {extra}", file=sys.stderr)
    return score(ent_pairs), score(rel_pairs)


_PART = re.compile(r"^#{1,4} Part (\d+)\s*$", re.M)


def run_corpus(folder: Path) -> None:
    nlp = load_pipeline()
    files = sorted(
        p for p in folder.iterdir() if p.suffix in (".md", ".txt", ".html", ".xml") and p.name != "README.md"
    )
    print(f"\nReal regulation text in {folder}:")
    for file in files:
        started = time.perf_counter()
        source = read_source(file)
        [ex] = list(extract_documents([source], nlp))
        seconds = time.perf_counter() - started
        starts = [(m.start(), m.group(1)) for m in _PART.finditer(source.text)]

        def part_of(offset: int, starts=starts) -> str:
            found = "front matter"
            for start, part in starts:
                if start <= offset:
                    found = f"part {part}"
            return found

        by_part: dict[str, Counter] = defaultdict(Counter)
        for e in ex.entities:
            by_part[part_of(e.start)][e.type] += 1
        quantum = [
            (part_of(r.start), r.subject, r.object) for r in ex.relations if r.type in ("controls", "not_controlled")
        ]
        print(
            f"  {file.name}: {len(source.text):,} characters in {seconds:.1f} s; "
            f"{len(ex.entities)} entities, {len(ex.relations)} relations"
        )
        for part in sorted(by_part):
            kinds = ", ".join(f"{k} {n}" for k, n in sorted(by_part[part].items()))
            print(f"    {part:14} {kinds}")
        print(f"    controls relations (quantum facts): {len(quantum)}")
        for part, subject, obj in quantum[:20]:
            print(f"      {part}: {subject} -> {obj}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=HERE / "gold" / "dev.jsonl")
    parser.add_argument(
        "--heldout",
        type=Path,
        default=HERE / "gold" / "heldout.jsonl",
        help="passages written after the pipeline was tuned; never tuned on",
    )
    parser.add_argument("--corpus", type=Path, default=HERE.parent.parent / "shared" / "corpus")
    parser.add_argument("--verbose", action="store_true", help="list every miss and extra")
    args = parser.parse_args()
    entities, relations = run_gold(args.gold, args.verbose)
    print_table("Entities (development gold set)", entities)
    print_table("Relations (development gold set)", relations)
    if args.heldout.exists():
        entities, relations = run_gold(args.heldout, args.verbose)
        print_table("Entities (held-out set)", entities)
        print_table("Relations (held-out set)", relations)
    if args.corpus.is_dir():
        run_corpus(args.corpus)


if __name__ == "__main__":
    main()
