"""Commands for the harmonisation analysis: gaps, matrix, transfer, changes, treaty.
Each calls the same library function as its page and writes the same exports."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from qharmony.queries.analysis.changes import changes as change_report
from qharmony.queries.analysis.gap_kinds import implementation_gaps
from qharmony.queries.analysis.gaps import KINDS, compare_jurisdictions
from qharmony.queries.analysis.kinds import EXPORT_CONTROL, MEASURE_KINDS
from qharmony.queries.analysis.matrix import matrix
from qharmony.queries.analysis.regimes import regimes
from qharmony.queries.analysis.transfer import parameter_units, parse_value, transfer_check
from qharmony.queries.analysis.vocabulary import resolve_jurisdiction, resolve_technology_kind, technology_tree
from qharmony.queries.dates import parse_day
from qharmony.queries.exports import DISCLAIMER, export_result

from .cli_settings import open_cli_store, store_option
from .quoting import quote_line

FORMATS = ["table", "csv", "json", "xlsx", "pack"]


def _state_lines(gap) -> list[str]:
    """Each side's determination under a gap: state, confidence and flags."""
    out = []
    for code, state in gap.states.items():
        conf = "" if state.get("confidence") is None else f", confidence {state['confidence']:.2f}"
        flags = f", flags: {'; '.join(state['flags'])}" if state.get("flags") else ""
        out.append(f"    {code}: {state['status']}{conf}{flags}")
    return out


def _day(value: str | None, name: str) -> date:
    try:
        return parse_day(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint=name) from None


def _emit(result, fmt: str, title: str, table: str, output: Path | None, store=None) -> None:
    if fmt == "table":
        click.echo(table)
        return
    if fmt == "pack":  # issue 17: an evidence pack (ZIP) needs the store to cite from
        from .packs import make_pack

        if not output:
            raise click.UsageError("an evidence pack needs --output FILE.zip")
        if store is None:
            raise click.UsageError("this command has no evidence pack; use csv, json or xlsx")
        output.write_bytes(make_pack(result, store, title))
        click.echo(f"wrote {output}", err=True)
        return
    data = export_result(result, fmt, title)
    if output:
        output.write_bytes(data)
        click.echo(f"wrote {output}", err=True)
    elif fmt == "xlsx":
        raise click.UsageError("an XLSX workbook needs --output FILE")
    else:
        sys.stdout.buffer.write(data)


def _measure_option(fn):
    return click.option(
        "--measure",
        type=click.Choice(list(MEASURE_KINDS)),
        default=EXPORT_CONTROL,
        show_default=True,
        help="Which kind of measure to consider.",
    )(fn)


def _format_options(fn):
    fn = click.option("--output", "-o", type=click.Path(path_type=Path), help="Write the export to this file.")(fn)
    return click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)(fn)


@click.command()
@click.argument("a")
@click.argument("b")
@click.option("--technology", help="A technology kind: slug, class name or label.")
@click.option("--as-of", "as_of", help="The date the answer holds on (default today).")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(KINDS), help="Only these gap kinds (repeatable).")
@store_option
@_measure_option
@_format_options
def gaps(
    a: str,
    b: str,
    technology: str | None,
    as_of: str | None,
    kinds: tuple[str, ...],
    store: str | None,
    measure: str,
    fmt: str,
    output: Path | None,
) -> None:
    """Harmonisation gaps between jurisdictions A and B (ISO codes, or EU)."""
    target = open_cli_store(store, read_only=True)
    a, b = resolve_jurisdiction(target, a), resolve_jurisdiction(target, b)
    tech = resolve_technology_kind(technology_tree(target), technology) if technology else None
    report = compare_jurisdictions(target, a, b, _day(as_of, "--as-of"), tech, kinds or KINDS, measure_kind=measure)
    lines = [
        f"{report.a} vs {report.b} as of {report.as_of}, {report.measure_kind.replace('_', ' ')} measures "
        f"(graph {report.version.content_hash[:16]})"
    ]
    for gap in report.gaps:
        lines.append(f"\n[{gap.kind}] {gap.summary}")
        lines.extend(_state_lines(gap))
        lines.extend("    " + quote_line(ev) for ev in gap.evidence)
    if not report.gaps:
        lines.append("no gaps found")
    if report.data_gaps:
        lines.append("\ndata gaps (one side controls it; the graph cannot tell for the other):")
    for gap in report.data_gaps:
        lines.append(f"\n[data] {gap.summary}")
        lines.extend(_state_lines(gap))
    lines.extend(f"\nnote: {n}" for n in report.notes)
    _emit(report, fmt, f"Gaps {report.a} vs {report.b}", "\n".join(lines), output, target)


@click.command(name="matrix")
@click.option("--as-of", "as_of", help="The date the answer holds on (default today).")
@click.option(
    "--baseline",
    default="US",
    show_default=True,
    help="Jurisdiction whose thresholds the other cells are compared with.",
)
@store_option
@_measure_option
@_format_options
def matrix_command(
    as_of: str | None, baseline: str, store: str | None, measure: str, fmt: str, output: Path | None
) -> None:
    """Technologies x jurisdictions: controlled, not controlled, stricter or looser."""
    result = matrix(
        open_cli_store(store, read_only=True), _day(as_of, "--as-of"), baseline.upper(), measure_kind=measure
    )
    rows = result.rows()
    table = "\n".join(
        f"{r['technology'][:32]:32} "
        + " ".join(f"{j}:{'-' if r[j] == 'not controlled' else r[j][:4]}" for j in result.jurisdictions)
        for r in rows
    )
    _emit(result, fmt, f"Matrix as of {result.as_of}", table, output)


@click.command()
@click.option("--technology", required=True, help="A technology kind: slug, class name or label.")
@click.option(
    "--value",
    "values",
    multiple=True,
    metavar="PARAM=VALUE [UNIT]",
    help="A parameter of the item, e.g. 'cooling_power=700 uW' (repeatable).",
)
@click.option("--from", "origin", required=True, help="Origin jurisdiction (ISO code).")
@click.option("--to", "destination", required=True, help="Destination jurisdiction (ISO code).")
@click.option("--as-of", "as_of", help="The date of the transfer (default today).")
@store_option
@_format_options
def transfer(
    technology: str,
    values: tuple[str, ...],
    origin: str,
    destination: str,
    as_of: str | None,
    store: str | None,
    fmt: str,
    output: Path | None,
) -> None:
    """Which entries an item meets, whether a licence is needed, which exceptions apply."""
    target = open_cli_store(store, read_only=True)
    origin, destination = resolve_jurisdiction(target, origin), resolve_jurisdiction(target, destination)
    units = parameter_units(target)
    try:
        parsed = dict(parse_value(v, units) for v in values)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--value") from None
    result = transfer_check(
        target,
        resolve_technology_kind(technology_tree(target), technology),
        parsed,
        origin,
        destination,
        _day(as_of, "--as-of"),
    )
    state = result.state
    conf = "" if state.get("confidence") is None else f", confidence {state['confidence']:.2f}"
    lines = [
        f"{result.origin} -> {result.destination} as of {result.as_of}: {result.origin} {state['status']}{conf}"
        + (f" (flags: {'; '.join(state['flags'])})" if state.get("flags") else ""),
        result.licence,
    ]
    for f in result.findings:
        lines.append(
            f"  {f.verdict:13} {f.entry.code or f.entry.label} ({f.entry.jurisdiction}, "
            f"{f.entry.instrument_label[:60]}): {f.reason}"
        )
        lines.extend("      " + quote_line(ev) for ev in f.evidence[:1])
    lines.extend(f"  overlapping measures: {o}" for o in result.overlaps)
    for t in result.exceptions:
        lines.append(f"  exception: {t['measure_label']} ({t['kind']})")
    lines.extend(f"  gap [{g.kind}] {g.summary}" for g in result.gaps.gaps)
    lines.extend(f"  data gap: {g.summary}" for g in result.gaps.data_gaps)
    lines.append(DISCLAIMER)
    _emit(result, fmt, f"Transfer {result.origin} to {result.destination}", "\n".join(lines), output, target)


@click.command(name="changes")
@click.argument("since")
@click.argument("until")
@store_option
@_format_options
def changes_command(since: str, until: str, store: str | None, fmt: str, output: Path | None) -> None:
    """What changed in quantum controls between two dates (YYYY-MM-DD)."""
    report = change_report(open_cli_store(store, read_only=True), _day(since, "SINCE"), _day(until, "UNTIL"))
    lines = [f"changes from {report.since} to {report.until}"]
    lines.extend(
        f"  {r['applies_from']}  {r['jurisdiction']}  {r['change']}: {r['entry']} ({r['technology']})"
        for r in report.rows()
    )
    _emit(report, fmt, f"Changes {report.since} to {report.until}", "\n".join(lines), output)


@click.command()
@click.option("--technology", help="Only this technology kind.")
@click.option("--as-of", "as_of", help="The date the answer holds on (default today).")
@store_option
def implementation(technology: str | None, as_of: str | None, store: str | None) -> None:
    """Parties to arrangements with no control in force on what the arrangement agreed."""
    target = open_cli_store(store, read_only=True)
    tech = resolve_technology_kind(technology_tree(target), technology) if technology else None
    reg = regimes(target, _day(as_of, "--as-of"), technology=tech)
    for gap in implementation_gaps(target, reg):
        if not tech or gap.technology == tech:
            click.echo(gap.summary)


COMMANDS = (gaps, matrix_command, transfer, changes_command, implementation)
