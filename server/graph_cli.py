"""Commands over the graph as it is: validate, query, queries, export, load and
settings. Each parses options, calls one library function and prints the result."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from qharmony.ontology.namespaces import VALIDATION_GRAPH, compact
from qharmony.queries.catalog import resolve, run_named
from qharmony.queries.results import SelectResult
from qharmony.queries.serialize import ntriples, triples_to
from qharmony.queries.store import RDF_FORMATS

from .cli_settings import open_cli_store, settings, store_option
from .config import SETTINGS


@click.command()
@store_option
@click.option(
    "--report",
    "report_path",
    type=click.Path(path_type=Path),
    help="Also write the W3C SHACL report graph to this file (.ttl or .jsonld).",
)
def validate(store: str | None, report_path: Path | None) -> None:
    """Print the SHACL validation report of the last build."""
    from qharmony.queries.validation import validation_results

    target = open_cli_store(store, read_only=True)
    report = validation_results(target)
    if report.conforms:
        click.echo("the graph conforms to the shapes: no violations")
    for r in report.results():
        sev = r["severity"].rsplit("#", 1)[-1]
        click.echo(
            f"{sev}: {r.get('focus', '?')}\n  {r['message']}" + (f"\n  path: {r['path']}" if "path" in r else "")
        )
    if report_path:
        fmt = "jsonld" if report_path.suffix == ".jsonld" else "ttl"
        triples = run_named(target, "graph_triples", {"graph": VALIDATION_GRAPH})
        report_path.write_bytes(triples_to(triples, fmt))
        click.echo(f"wrote {report_path}")
    sys.exit(0 if report.conforms else 1)


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


@click.command()
@click.argument("name")
@store_option
@click.option("--param", "params", multiple=True, metavar="K=V", help="A parameter value.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "tsv"]), default="table", show_default=True)
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


@click.command()
def queries() -> None:
    """List the named queries and their parameters."""
    from qharmony.queries.catalog import list_queries

    for q in list_queries():
        click.echo(f"{q.name}: {q.title}")
        for p in q.parameters:
            default = f" = {p.default}" if p.default else (" (optional)" if not p.required else "")
            click.echo(f"    --param {p.name}=<{p.type}>{default}  {p.help}")


@click.command()
@store_option
@click.option("--format", "fmt", type=click.Choice(sorted(RDF_FORMATS)), default="trig", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path), help="File to write (default: stdout).")
def export(store: str | None, fmt: str, output: Path | None) -> None:
    """Dump the whole graph."""
    data = open_cli_store(store, read_only=True).dump(fmt)
    if output:
        output.write_bytes(data)
        click.echo(f"wrote {len(data)} bytes to {output}")
    else:
        sys.stdout.buffer.write(data)


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--graph", help="Named graph IRI for triple formats (Turtle, N-Triples, RDF/XML, JSON-LD).")
@store_option
def load(files: tuple[Path, ...], graph: str | None, store: str | None) -> None:
    """Load your own RDF into the store, beside the built graph (kept across builds)."""
    from qharmony.queries.loading import load_files

    target = open_cli_store(store, read_only=False)
    for path, count in zip(files, load_files(target, list(files), graph), strict=True):
        click.echo(f"loaded {count} statements from {path}" + (f" into {graph}" if graph else ""))


@click.command(name="settings")
def settings_command() -> None:
    """List the settings, their environment variables, values in effect and defaults."""
    current = settings()
    for s in SETTINGS:
        click.echo(f"{s.env}={'' if current[s.name] is None else current[s.name]}")
        click.echo(f"    {s.help}" + ("" if s.default is None else f" [default: {s.default}]"))


COMMANDS = (validate, query, queries, export, load, settings_command)
