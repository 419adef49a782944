"""The ``qharmony`` command line: each command parses options, calls one library
function, prints a summary and sets the exit code. This is the composition root, the
one place that wires ``ingest`` to the store."""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import click

from qharmony.ontology.namespaces import VALIDATION_GRAPH, compact
from qharmony.queries.catalog import resolve
from qharmony.queries.errors import StoreError
from qharmony.queries.results import SelectResult, Term
from qharmony.queries.serialize import ntriples, triples_to
from qharmony.queries.store import RDF_FORMATS, Store

from .config import DEFAULT_STORE, SETTINGS, load_config
from .store import open_configured_store


def user_errors(fn):
    """Turn our errors into one clear line on stderr and exit code 1: no traceback."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from qharmony.ingest.pipeline import ModelMissing
        from qharmony.ingest.readers import ReaderError

        try:
            return fn(*args, **kwargs)
        except (StoreError, ReaderError, ModelMissing, ValueError) as exc:
            raise click.ClickException(str(exc)) from None

    return wrapper


def _progress():
    """A progress line on a terminal; silent when stderr is not one."""
    if not sys.stderr.isatty():
        return None

    def tick(stage: str, done: int, total: int) -> None:
        click.echo(f"\r{stage:>9}: {done}/{total}", nl=done == total, err=True)

    return tick


store_option = click.option(
    "--store",
    default=None,
    help=f"Folder of the embedded store, or a SPARQL endpoint query URL [default: QHARMONY_STORE or {DEFAULT_STORE}].",
)


def settings() -> dict[str, object]:
    """The settings the group resolved for this invocation (see ``server/config.py``)."""
    ctx = click.get_current_context()
    root = ctx.find_root()
    if root.obj is None:
        root.obj = _load_settings()
    return root.obj


def _load_settings() -> dict[str, object]:
    try:
        return load_config()
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None


def open_cli_store(location: str | None, *, read_only: bool) -> Store:
    """The store the settings name (``--store`` wins over ``QHARMONY_STORE``), opened
    with every store setting: row cap, timeout, update and graph-store URLs."""
    return open_configured_store({**settings(), **({"STORE": location} if location else {})}, read_only=read_only)


@click.group()
@click.version_option(package_name="qharmony")
@click.pass_context
def main(ctx: click.Context) -> None:
    """qharmony: a knowledge graph of quantum technology export controls.

    Settings come from QHARMONY_* environment variables (see 'qharmony settings')."""
    ctx.obj = _load_settings()


def _print_build(report) -> None:
    click.echo(
        f"built {len(report.documents)} documents, {report.triples} triples "
        f"({report.inferred} inferred) in {report.seconds:.1f} s"
    )
    for line in report.rejected:
        click.echo(f"rejected: {line}", err=True)
    v = report.validation
    click.echo(
        "SHACL: conforms"
        if v.conforms
        else f"SHACL: {len(v.results)} results; quarantined {len(report.quarantined)} nodes"
    )
    r = report.reasoning
    if r is not None:
        click.echo(f"HermiT: {r.message}" if r.ran else f"warning: {r.message}", err=not r.ran)
    click.echo(f"graph version {report.content_hash[:16]}")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@store_option
@click.option(
    "--min-confidence",
    default=0.5,
    show_default=True,
    help="Facts below this confidence are held for review, not asserted.",
)
@user_errors
def build(paths: tuple[Path, ...], store: str | None, min_confidence: float) -> None:
    """Ingest regulation texts (default: the bundled sample corpus) into the store."""
    from qharmony.ingest.build import build as run_build

    target = open_cli_store(store, read_only=False)
    report = run_build(target, list(paths) or None, progress=_progress(), min_confidence=min_confidence)
    _print_build(report)


@main.command()
@store_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8321, show_default=True, help="Port to listen on.")
@click.option("--threads", default=4, show_default=True, help="Worker threads.")
@user_errors
def serve(store: str | None, host: str, port: int, threads: int) -> None:
    """Serve the explorer; on an empty store, build the sample corpus first."""
    import waitress

    from .app import create_app

    target = open_cli_store(store, read_only=True)
    empty = target.count() == 0
    target.close()
    if empty:
        click.echo("the store is empty: building the sample corpus first", err=True)
        from qharmony.ingest.build import build as run_build

        writer = open_cli_store(store, read_only=False)
        _print_build(run_build(writer, progress=_progress()))
        writer.close()
    app = create_app({**settings(), **({"STORE": store} if store else {})})
    click.echo(f"qharmony explorer on http://{host}:{port}/  (Ctrl+C to stop)")
    waitress.serve(app, host=host, port=port, threads=threads, _quiet=True)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "ttl"]),
    default="jsonl",
    show_default=True,
    help="JSON lines of entities and relations, or Turtle.",
)
@click.option(
    "--min-confidence", default=0.5, show_default=True, help="With ttl: facts below this confidence are not asserted."
)
@user_errors
def extract(paths: tuple[Path, ...], fmt: str, min_confidence: float) -> None:
    """Run extraction only and print the result to stdout."""
    from qharmony.ingest.build import BuildReport, collect_paths, read_all
    from qharmony.ingest.extract import extract_documents
    from qharmony.ingest.mapping import map_all, to_nquads
    from qharmony.ingest.pipeline import load_pipeline
    from qharmony.queries.serialize import convert_dataset

    report = BuildReport()
    sources = read_all(collect_paths(paths), report)
    for line in report.rejected:
        click.echo(f"rejected: {line}", err=True)
    extractions = extract_documents(sources, load_pipeline())
    if fmt == "jsonl":
        for ex in extractions:
            for record in ex.to_jsonl_records():
                click.echo(json.dumps(record, ensure_ascii=False))
    else:
        nquads = to_nquads(map_all(extractions, min_confidence))
        click.echo(convert_dataset(nquads, "trig").decode("utf-8"))
    if report.rejected:
        sys.exit(1)


@main.command()
@store_option
@click.option(
    "--report",
    "report_path",
    type=click.Path(path_type=Path),
    help="Also write the W3C SHACL report graph to this file (.ttl or .jsonld).",
)
@user_errors
def validate(store: str | None, report_path: Path | None) -> None:
    """Print the SHACL validation report of the last build."""
    target = open_cli_store(store, read_only=True)
    rows = resolve("validation_results")
    result = target.select(rows.text)
    if not result.rows:
        click.echo("the graph conforms to the shapes: no violations")
    for row in result.rows:
        sev = row["severity"].value.rsplit("#", 1)[-1]
        focus = row["focus"].value if "focus" in row else "?"
        click.echo(
            f"{sev}: {focus}\n  {row['message'].value}" + (f"\n  path: {row['path'].value}" if "path" in row else "")
        )
    if report_path:
        fmt = "jsonld" if report_path.suffix == ".jsonld" else "ttl"
        triples = target.construct(
            "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
            {"g": Term.iri(VALIDATION_GRAPH)},
        )

        report_path.write_bytes(triples_to(triples, fmt))
        click.echo(f"wrote {report_path}")
    sys.exit(1 if result.rows else 0)


def _parse_params(values: tuple[str, ...]) -> dict[str, str]:
    params = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"expected k=v, got {item!r}", param_hint="--param")
        params[key] = value
    return params


def _table(result: SelectResult) -> str:
    cells = [[compact(r[v].value) if v in r else "" for v in result.variables] for r in result.rows]
    widths = [max([len(v), *(min(len(c[i]), 60) for c in cells)]) for i, v in enumerate(result.variables)]
    line = lambda row: "  ".join(c[:60].ljust(w) for c, w in zip(row, widths, strict=True))  # noqa: E731
    out = [line(result.variables), line(["-" * w for w in widths])]
    out.extend(line(c) for c in cells)
    return "\n".join(out)


@main.command()
@click.argument("name")
@store_option
@click.option("--param", "params", multiple=True, metavar="K=V", help="A parameter value.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "tsv"]), default="table", show_default=True)
@user_errors
def query(name: str, store: str | None, params: tuple[str, ...], fmt: str) -> None:
    """Run a named query (see 'qharmony queries') or a .rq file."""
    named = resolve(name)
    result = open_cli_store(store, read_only=True).query(named.text, named.bind(_parse_params(params)))
    if not isinstance(result, SelectResult):
        click.echo(json.dumps({"boolean": result}) if isinstance(result, bool) else ntriples(result))
        return
    text = {"csv": result.to_csv, "tsv": result.to_tsv, "json": result.to_json_text, "table": lambda: _table(result)}[
        fmt
    ]()
    click.echo(text, nl=not text.endswith("\n"))
    if result.truncated:
        click.echo("warning: the answer was cut at the row limit", err=True)


@main.command()
def queries() -> None:
    """List the named queries and their parameters."""
    from qharmony.queries.catalog import list_queries

    for q in list_queries():
        click.echo(f"{q.name}: {q.title}")
        for p in q.parameters:
            default = f" = {p.default}" if p.default else (" (optional)" if not p.required else "")
            click.echo(f"    --param {p.name}=<{p.type}>{default}  {p.help}")


@main.command()
@store_option
@click.option("--format", "fmt", type=click.Choice(sorted(RDF_FORMATS)), default="trig", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path), help="File to write (default: stdout).")
@user_errors
def export(store: str | None, fmt: str, output: Path | None) -> None:
    """Dump the whole graph."""
    data = open_cli_store(store, read_only=True).dump(fmt)
    if output:
        output.write_bytes(data)
        click.echo(f"wrote {len(data)} bytes to {output}")
    else:
        sys.stdout.buffer.write(data)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--graph", help="Named graph IRI for triple formats (Turtle, N-Triples, RDF/XML, JSON-LD).")
@store_option
@user_errors
def load(files: tuple[Path, ...], graph: str | None, store: str | None) -> None:
    """Load your own RDF into the store, beside the built graph (kept across builds)."""
    from qharmony.queries.loading import load_file

    target = open_cli_store(store, read_only=False)
    for path in files:
        count = load_file(target, path, graph)
        click.echo(f"loaded {count} statements from {path}" + (f" into {graph}" if graph else ""))


@main.command(name="settings")
def settings_command() -> None:
    """List the settings, their environment variables, values in effect and defaults."""
    current = settings()
    for s in SETTINGS:
        click.echo(f"{s.env}={'' if current[s.name] is None else current[s.name]}")
        click.echo(f"    {s.help}" + ("" if s.default is None else f" [default: {s.default}]"))


from . import analysis_cli  # noqa: E402,F401  (registers the analysis commands)
