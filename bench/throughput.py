"""Extraction throughput against the bare spaCy pipeline, on the same texts in the
same run: documents per second and tokens per second. The bare pipeline (the pinned
English model with all its default components, run through nlp.pipe) is the
ceiling the issue sets; the full extraction reads, runs our pipeline and extracts.

    python bench/throughput.py [--repeat 3] [--batch-size 64]
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


def _files() -> list[Path]:
    files = list(sample_corpus())
    if SHARED.is_dir():
        files += sorted(p for p in SHARED.iterdir() if p.suffix == ".md" and p.name != "README.md")
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=64)
    args = parser.parse_args()
    files = _files()
    sources = [read_source(p) for p in files]
    blocks = [s.block_text(b) for s in sources for b in s.blocks]
    bare = _load_model()
    lean = _load_model(["parser", "tagger", "attribute_ruler", "lemmatizer", "ner", "tok2vec"])
    lean.enable_pipe("senter")
    full = load_pipeline()
    tokens = sum(len(d) for d in full.tokenizer.pipe(blocks))

    def run_bare() -> None:
        for _ in bare.pipe(blocks, batch_size=args.batch_size):
            pass

    def run_lean() -> None:
        for _ in lean.pipe(blocks, batch_size=args.batch_size):
            pass

    def run_full() -> None:
        for _ in extract_documents([read_source(p) for p in files], full, args.batch_size):
            pass

    rows = []
    for name, fn in (
        ("bare spaCy model", run_bare),
        ("model, senter only", run_lean),
        ("qharmony extraction", run_full),
    ):
        fn()  # warm up
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            fn()
            times.append(time.perf_counter() - started)
        rows.append((name, statistics.median(times)))
    print(
        f"{len(files)} documents, {len(blocks)} blocks, {tokens:,} tokens; "
        f"bare components: {', '.join(bare.pipe_names)}; "
        f"extraction components: {', '.join(full.pipe_names)}"
    )
    print(f"{'pipeline':22} {'seconds':>8} {'docs/s':>8} {'tokens/s':>10} {'vs bare':>8}")
    base = rows[0][1]
    for name, seconds in rows:
        print(f"{name:22} {seconds:8.2f} {len(files) / seconds:8.1f} {tokens / seconds:10,.0f} {base / seconds:8.0%}")


if __name__ == "__main__":
    main()
