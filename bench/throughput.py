"""Extraction throughput against the bare spaCy pipeline, on the same texts in the
same run: documents per second and tokens per second.

The ceiling is the bare spaCy pipeline with the same spaCy components extraction
runs (the model's tokenizer and sentence recogniser, and the EntityRuler with the
same patterns), through ``nlp.pipe`` with the same batch size. "Our logic" is
everything on top: our pipeline components (thresholds, state names), the reader
and the walk that turns docs into facts (including parsing trigger sentences).
The issue's target is our logic at most 30% on top of the ceiling. With
``--full-model`` the model with all its default components is timed too, for scale.

    python bench/throughput.py [--repeat 3] [--batch-size 64] [--no-ccl] [--full-model]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from qharmony.ingest.build import sample_corpus
from qharmony.ingest.extract import extract_documents
from qharmony.ingest.pipeline import _load_model, load_pipeline
from qharmony.ingest.readers import read_source

SHARED = Path(__file__).parent.parent.parent / "shared" / "corpus"
OUR_COMPONENTS_PREFIX = "qharmony_"
RULER = "qharmony_entities"


def _files(with_ccl: bool) -> list[Path]:
    files = list(sample_corpus())
    if SHARED.is_dir():
        files += sorted(p for p in SHARED.iterdir() if p.suffix in (".md", ".xml") and p.name != "README.md")
        if with_ccl and (SHARED / "us-ccl-2026-07-23.txt").exists():
            files.append(SHARED / "us-ccl-2026-07-23.txt")
    return files


def _timed(fn, repeat: int) -> float:
    fn()  # warm up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--no-ccl", action="store_true", help="leave out the 870 KB real CCL")
    parser.add_argument("--full-model", action="store_true", help="also time the full model (slow: its parser)")
    args = parser.parse_args()
    files = _files(not args.no_ccl)
    sources = [read_source(p) for p in files]
    blocks = [s.block_text(b) for s in sources for b in s.blocks]
    full = load_pipeline()
    same = [n for n in full.pipe_names if not n.startswith(OUR_COMPONENTS_PREFIX) or n == RULER]
    model = _load_model() if args.full_model else None
    tokens = sum(len(d) for d in full.tokenizer.pipe(blocks))

    def run_model() -> None:
        for _ in model.pipe(blocks, batch_size=args.batch_size):
            pass

    def run_same() -> None:
        with full.select_pipes(enable=same):
            for _ in full.pipe(blocks, batch_size=args.batch_size):
                pass

    def run_full() -> None:
        for _ in extract_documents([read_source(p) for p in files], full, args.batch_size):
            pass

    rows = [
        ("bare, same components", _timed(run_same, args.repeat)),
        ("qharmony extraction", _timed(run_full, args.repeat)),
    ]
    if args.full_model:
        rows.append(("full spaCy model", _timed(run_model, 1)))
    print(
        f"{len(files)} documents, {len(blocks)} blocks, {tokens:,} tokens; "
        f"same components: {', '.join(same)}; "
        f"extraction: {', '.join(full.pipe_names)} + the walk"
    )
    print(f"{'pipeline':24} {'seconds':>8} {'docs/s':>8} {'tokens/s':>10} {'vs same':>8}")
    ceiling = rows[0][1]
    for name, seconds in rows:
        print(
            f"{name:24} {seconds:8.2f} {len(files) / seconds:8.2f} {tokens / seconds:10,.0f} {ceiling / seconds:8.0%}"
        )
    overhead = rows[1][1] / ceiling - 1
    print(f"our logic on top of the bare pipeline with the same components: {overhead:+.0%} (target: at most +30%)")


if __name__ == "__main__":
    main()
