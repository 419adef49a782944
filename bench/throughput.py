"""Extraction throughput against the bare spaCy pipeline with the same components, on
the same texts in the same run: the sample corpus and the real Commerce Control List
(``../shared/corpus/us-ccl-2026-07-23.txt``), in documents/s and tokens/s.

The ceiling is what spaCy itself does for extraction, through ``nlp.pipe`` with the
same batch size: the pipeline's spaCy components (the model's tokenizer and sentence
recogniser, and any stock spaCy component such as an EntityRuler, with its patterns)
over every block, plus the parser pipeline over exactly the sentences extraction
parses (recorded in a first run). "Our logic" is everything else: reading the file,
our own pipeline components (``qharmony_*``: thresholds, state names, ...) and the
walk that turns docs into facts. The issue's target: at most 30% on top of the ceiling.

Figures are medians of interleaved repetitions, in CPU seconds of this process (the
machine is shared, so wall time mostly measures other people's work) with wall
seconds beside them. ``--baseline CHECKOUT`` runs the same measurement on another
checkout's code (in a subprocess, interleaved repetition by repetition), so before
and after come from one run, and a closing line per corpus sets our logic (extraction
less its ceiling) beside the baseline's, each as a share of its own ceiling.

    python bench/throughput.py [--repeat 5] [--batch-size 64] [--baseline ../qharmony-baseline]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "corpus"
CCL = "us-ccl-2026-07-23.txt"
OURS = "qharmony_"
PHASES = ("bare_pipeline", "bare_parser", "extraction")


class Measurer:
    """One checkout's code, loaded in this process: times the bare pipeline, the bare
    parser and the extraction of one corpus."""

    def __init__(self, batch_size: int):
        from spacy.language import Language

        from qharmony.ingest.pipeline import load_pipeline
        from qharmony.ingest.syntax import load_parser

        self.batch_size = batch_size
        self.nlp = load_pipeline()
        self.parser = load_parser()
        self.recorded: list[str] = []
        self.corpora: dict[str, dict] = {}
        if "bench_parse_recorder" not in Language.factories:
            Language.component("bench_parse_recorder", func=self._record)

    def _record(self, doc):
        self.recorded.append(doc.text)
        return doc

    @contextlib.contextmanager
    def _recording(self):
        """Record each text the parser is given: through a first component where the
        parser is a spaCy Language (older checkouts), else through its ``pipe``, which
        ``syntax.Parser`` runs every text through."""
        if hasattr(self.parser, "add_pipe"):
            self.parser.add_pipe("bench_parse_recorder", first=True)
            try:
                yield
            finally:
                self.parser.remove_pipe("bench_parse_recorder")
            return
        original = self.parser.pipe

        def recording(texts, *args, **kwargs):
            texts = list(texts)
            self.recorded.extend(texts)
            return original(texts, *args, **kwargs)

        self.parser.pipe = recording
        try:
            yield
        finally:
            del self.parser.pipe

    def spacy_components(self) -> list[str]:
        """The pipeline's components that come with spaCy (not ours)."""
        return [n for n in self.nlp.pipe_names if not self.nlp.get_pipe_meta(n).factory.startswith(OURS)]

    def prepare(self, name: str, files: list[str]) -> dict:
        """Read the corpus, count its tokens, and record the sentences extraction
        parses (that run also warms every cache up)."""
        from qharmony.ingest.readers import read_source

        sources = [read_source(Path(f)) for f in files]
        blocks = [s.block_text(b) for s in sources for b in s.blocks]
        tokens = sum(len(d) for d in self.nlp.tokenizer.pipe(blocks, batch_size=self.batch_size))
        self.recorded = []
        with self._recording():
            self._extract(files)
        self.corpora[name] = {"files": files, "blocks": blocks, "sentences": list(self.recorded)}
        return {
            "documents": len(files),
            "blocks": len(blocks),
            "tokens": tokens,
            "parsed": len(self.recorded),
            "parsed_chars": sum(len(t) for t in self.recorded),
            "components": self.spacy_components(),
            "all_components": self.nlp.pipe_names,
        }

    def _extract(self, files: list[str]) -> None:
        from qharmony.ingest.extract import extract_documents
        from qharmony.ingest.readers import read_source

        for _ in extract_documents([read_source(Path(f)) for f in files], self.nlp, self.batch_size):
            pass

    def repetition(self, name: str) -> dict[str, tuple[float, float]]:
        """(CPU seconds, wall seconds) of each phase, once."""
        corpus = self.corpora[name]
        spacy_own = self.spacy_components()

        def bare_pipeline() -> None:
            with self.nlp.select_pipes(enable=spacy_own):
                for _ in self.nlp.pipe(corpus["blocks"], batch_size=self.batch_size):
                    pass

        def bare_parser() -> None:
            for _ in self.parser.pipe(corpus["sentences"], batch_size=self.batch_size):
                pass

        runs = {
            "bare_pipeline": bare_pipeline,
            "bare_parser": bare_parser,
            "extraction": lambda: self._extract(corpus["files"]),
        }
        out = {}
        for phase in PHASES:
            cpu, wall = time.process_time(), time.perf_counter()
            runs[phase]()
            out[phase] = (time.process_time() - cpu, time.perf_counter() - wall)
        return out


class Remote:
    """The same Measurer, in a subprocess that imports another checkout's code."""

    def __init__(self, checkout: Path, batch_size: int):
        self.tmp = tempfile.TemporaryDirectory()
        os.symlink(checkout.resolve(), Path(self.tmp.name) / "qharmony")
        venv = checkout / ".venv" / "bin" / "python"
        python = str(venv) if venv.exists() else sys.executable
        self.proc = subprocess.Popen(
            [python, __file__, "--worker", self.tmp.name, "--batch-size", str(batch_size)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def _ask(self, **request):
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise SystemExit("the baseline worker stopped (see its error above)")
        return json.loads(line)

    def prepare(self, name: str, files: list[str]) -> dict:
        return self._ask(op="prepare", name=name, files=files)

    def repetition(self, name: str) -> dict[str, tuple[float, float]]:
        return {k: tuple(v) for k, v in self._ask(op="repetition", name=name).items()}

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait()
        self.tmp.cleanup()


def worker(code_root: str, batch_size: int) -> None:
    """The subprocess side of ``Remote``: answers one JSON request per line."""
    sys.path.insert(0, code_root)
    measurer = Measurer(batch_size)
    for line in sys.stdin:
        request = json.loads(line)
        if request["op"] == "prepare":
            answer = measurer.prepare(request["name"], request["files"])
        else:
            answer = measurer.repetition(request["name"])
        print(json.dumps(answer), flush=True)


def _corpora(with_ccl: bool) -> dict[str, list[str]]:
    from qharmony.ingest.build import sample_corpus

    corpora = {"sample corpus": [str(p) for p in sample_corpus()]}
    if with_ccl and (SHARED / CCL).exists():
        corpora["real CCL"] = [str(SHARED / CCL)]
    return corpora


def _report(name: str, info: dict, medians: dict[str, tuple[float, float]]) -> list[str]:
    bare = medians["bare_pipeline"]
    parser = medians["bare_parser"]
    ceiling = (bare[0] + parser[0], bare[1] + parser[1])
    full = medians["extraction"]
    rows = [
        (f"bare: {', '.join(info['components'])}", bare),
        (f"bare: parser, {info['parsed']} sentences", parser),
        ("ceiling (bare total)", ceiling),
        ("qharmony extraction", full),
    ]
    lines = []
    for label, (cpu, wall) in rows:
        if label.startswith("bare: parser"):  # a part of the ceiling, over some sentences only
            lines.append(f"  {label:40} {cpu:7.2f} {wall:7.2f} {'-':>8} {'-':>10}")
            continue
        rate = f"{info['documents'] / cpu:8.1f} {info['tokens'] / cpu:10,.0f}" if cpu else ""
        lines.append(f"  {label:40} {cpu:7.2f} {wall:7.2f} {rate}")
    overhead_cpu = full[0] / ceiling[0] - 1
    overhead_wall = full[1] / ceiling[1] - 1
    lines.append(
        f"  our logic on top of the ceiling: {overhead_cpu:+.0%} CPU ({overhead_wall:+.0%} wall); target at most +30%"
    )
    return lines


def _logic(medians: dict[str, tuple[float, float]]) -> tuple[float, float]:
    """(CPU seconds of our logic, the ceiling's CPU seconds): extraction less the ceiling."""
    ceiling = medians["bare_pipeline"][0] + medians["bare_parser"][0]
    return medians["extraction"][0] - ceiling, ceiling


def _against_baseline(corpus: str, ours: tuple[float, float], baseline: tuple[float, float]) -> str:
    """Our logic against the baseline checkout's, each over its own ceiling of the same run."""
    share = f"{ours[0] / ours[1]:+.0%} of the ceiling against the baseline's {baseline[0] / baseline[1]:+.0%}"
    ratio = f"{ours[0] / baseline[0]:.2f}x the baseline's logic" if baseline[0] > 0 else ""
    return f"\n{corpus}: our logic {ours[0]:.2f} CPU s, baseline's {baseline[0]:.2f} CPU s ({ratio}); {share}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--no-ccl", action="store_true", help="leave out the 870 KB real CCL")
    parser.add_argument("--baseline", type=Path, default=None, help="another checkout, measured beside ours")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.batch_size)
        return
    load_before = os.getloadavg()
    sides: dict[str, object] = {"ours": Measurer(args.batch_size)}
    if args.baseline:
        sides["baseline"] = Remote(args.baseline, args.batch_size)
    corpora = _corpora(not args.no_ccl)
    infos = {(s, c): side.prepare(c, files) for s, side in sides.items() for c, files in corpora.items()}
    times: dict[tuple[str, str], dict[str, list]] = {k: {p: [] for p in PHASES} for k in infos}
    for _ in range(args.repeat):
        for corpus in corpora:
            for s, side in sides.items():
                for phase, value in side.repetition(corpus).items():
                    times[(s, corpus)][phase].append(value)
    load_after = os.getloadavg()
    print(
        f"median of {args.repeat} interleaved repetitions, batch size {args.batch_size}; "
        f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after"
    )
    logic: dict[tuple[str, str], tuple[float, float]] = {}
    for corpus in corpora:
        for s in sides:
            info = infos[(s, corpus)]
            medians = {
                p: (statistics.median(v[0] for v in vs), statistics.median(v[1] for v in vs))
                for p, vs in times[(s, corpus)].items()
            }
            print(
                f"\n{corpus} [{s}]: {info['documents']} documents, {info['blocks']:,} blocks, "
                f"{info['tokens']:,} tokens; pipeline: {', '.join(info['all_components'])}"
            )
            print(f"  {'':40} {'cpu s':>7} {'wall s':>7} {'docs/s':>8} {'tokens/s':>10}")
            for line in _report(corpus, info, medians):
                print(line)
            logic[(s, corpus)] = _logic(medians)
        if len(sides) > 1:
            print(_against_baseline(corpus, logic[("ours", corpus)], logic[("baseline", corpus)]))
    for side in sides.values():
        if isinstance(side, Remote):
            side.close()


if __name__ == "__main__":
    main()
