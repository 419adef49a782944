"""Commands for watching what changes: the kept graph versions, the diff between two,
saved watchlists, and the portfolio check. Each calls the same library function as
its page (``server/watch.py``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from qharmony.ontology.namespaces import compact
from qharmony.queries.analysis.version import graph_version
from qharmony.queries.store import Store
from qharmony.queries.versions import (
    VersionInfo,
    list_versions,
    read_version,
    record_difference,
    record_version,
    resolve_version,
)

from .cli_settings import settings, store_option
from .config import versions_folder

if TYPE_CHECKING:  # the diff is imported by the commands that show one: not by build or add
    from qharmony.queries.diff import VersionDiff


def _folder(store: str | None) -> Path:
    return versions_folder({**settings(), **({"STORE": store} if store else {})})


def record_build(target: Store, store: str | None, report=None) -> VersionInfo | None:
    """Keep the graph just built as a version (called by ``build``, ``add`` and
    ``serve``); an addition by its difference (``report.difference``) is kept from the
    previous version and that difference, without dumping the store."""
    version = graph_version(target)
    if not version.content_hash:
        return None
    keep = int(settings().get("KEEP_VERSIONS") or 5)
    options = dict(content_hash=version.content_hash, keep=keep, conforms=version.conforms, pipeline=version.pipeline)
    difference = getattr(report, "difference", None)
    if difference is not None:  # kept as a difference where the store can spell it as its dump
        previous, removed, added = difference
        since = getattr(report, "since", None)
        return record_difference(
            target, _folder(store), previous=previous, removed=removed, added=added, since=since, **options
        )
    return record_version(target, _folder(store), **options)


def load_diff(folder: Path, v1: str, v2: str) -> VersionDiff:
    """The diff between two kept versions named by reference (hash prefix, latest, ~N)."""
    from qharmony.queries.diff import diff_versions

    old, new = resolve_version(folder, v1), resolve_version(folder, v2)
    return diff_versions(old, read_version(folder, old), new, read_version(folder, new))


@click.command()
@store_option
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
def versions(store: str | None, fmt: str) -> None:
    """List the kept graph versions: hash, date built, documents, counts."""
    kept = list_versions(_folder(store))
    if fmt == "json":
        import json

        click.echo(json.dumps(kept.to_json(), indent=2))
        return
    if fmt == "csv":
        click.echo(kept.to_csv(), nl=False)
        return
    if not kept.versions:
        click.echo(f"no graph versions kept in {kept.folder}; 'qharmony build' keeps one per build")
        return
    click.echo(f"{'version':16}  {'built':25}  docs  statements  data  inferred  SHACL")
    for i, v in enumerate(kept.versions):
        c = v.counts
        mark = {True: "conforms", False: "violations", None: "?"}[v.conforms]
        click.echo(
            f"{v.short}  {v.built:25}  {len(v.documents):4}  {c.get('statements', 0):10}  "
            f"{c.get('data', 0):4}  {c.get('inferred', 0):8}  {mark}" + ("  (latest)" if i == 0 else "")
        )


def _show(term: str) -> str:
    return compact(term[1:-1]) if term.startswith("<") else term


def diff_table(d: VersionDiff) -> str:
    lines = [
        f"{d.old.short} ({d.old.built}) -> {d.new.short} ({d.new.built}): "
        f"+{d.added} -{d.removed} statements from sources; inferred +{d.derived_added} -{d.derived_removed}"
    ]
    lines += [f"document added: {x}" for x in d.documents_added]
    lines += [f"document removed: {x}" for x in d.documents_removed]
    for e in d.entities:
        lines.append(f"\n{e.summary}: {e.label} <{e.entity}>  [source: {', '.join(e.documents)}]")
        for s in e.statements:
            sign = "+" if s.change == "added" else "-"
            lines.append(f"  {sign} {_show(s.subject)} {_show(s.predicate)} {_show(s.object)[:160]}")
    if not d.entities:
        lines.append("no statements changed")
    return "\n".join(lines)


@click.command()
@click.argument("v1")
@click.argument("v2", default="latest")
@store_option
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write to this file.")
def diff(v1: str, v2: str, store: str | None, fmt: str, output: Path | None) -> None:
    """What changed between two kept graph versions (hash prefix, 'latest', 'previous' or '~N'),
    statement by statement, grouped by entity, with the source document of each change."""
    from qharmony.queries.exports import export_result

    result = load_diff(_folder(store), v1, v2)
    data = diff_table(result).encode("utf-8") + b"\n" if fmt == "table" else export_result(result, fmt, "Graph diff")
    if output:
        output.write_bytes(data)
        click.echo(f"wrote {output}", err=True)
    else:
        sys.stdout.buffer.write(data)


@click.command()
@click.argument("items", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as-of", "as_of", help="The date the answer holds on (default today).")
@click.option("--since", help="Also list entries that came into or out of force from this date to --as-of.")
@click.option(
    "--since-version", help="Also list what the graph learned since this kept version (hash prefix, previous)."
)
@click.option("--jurisdictions", default="US,EU,GB,JP,DE", show_default=True, help="Comma-separated ISO codes (or EU).")
@store_option
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write the export to this file.")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "csv", "json", "xlsx", "pack"]), default="table", show_default=True
)
def portfolio(
    items: Path,
    as_of: str | None,
    since: str | None,
    since_version: str | None,
    jurisdictions: str,
    store: str | None,
    fmt: str,
    output: Path | None,
) -> None:
    """Your own items (a CSV: name, technology, a column per parameter with its unit)
    against each jurisdiction: entries met, the determination and why, and what changed.
    The items are read from the file and never written to the shared graph."""
    from qharmony.queries.analysis.portfolio import check_portfolio, read_items
    from qharmony.queries.analysis.vocabulary import resolve_jurisdiction

    from .analysis_cli import _day, _emit
    from .cli_settings import open_cli_store

    target = open_cli_store(store, read_only=True)
    codes = [resolve_jurisdiction(target, c) for c in jurisdictions.split(",") if c.strip()]
    parsed = read_items(items.read_text(encoding="utf-8"), target, str(items))
    diff = load_diff(_folder(store), since_version, "latest") if since_version else None
    since_day = _day(since, "--since") if since else None
    report = check_portfolio(target, parsed, _day(as_of, "--as-of"), codes, since_day, diff)
    lines = [f"portfolio {items.name} as of {report.as_of} (graph {report.version.content_hash[:16]})"]
    for r in report.results:
        lines.append(f"{r.item[:28]:28} {r.jurisdiction:3} {r.status:15} {r.reason[:150]}")
        lines.extend(f"{'':32}changed: {c['applies_from']} {c['entry']} {c['change']}" for c in r.changes[:3])
    _emit(report, fmt, f"Portfolio {items.stem}", "\n".join(lines), output, target)


COMMANDS = (versions, diff, portfolio)
