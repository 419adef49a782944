"""Commands for what the graph knows and does not know: ``determine`` (the state of
each technology in a jurisdiction on a date) and ``coverage`` (what the graph holds).
Each calls the same library function as its page and writes the same exports."""

from __future__ import annotations

from pathlib import Path

import click

from qharmony.queries.analysis.determine import determine as run_determine
from qharmony.queries.analysis.holdings import coverage_report
from qharmony.queries.analysis.kinds import EXPORT_CONTROL, MEASURE_KINDS
from qharmony.queries.analysis.vocabulary import resolve_jurisdiction, resolve_technology_kind, technology_tree

from .analysis_cli import _day, _emit, _format_options
from .cli_settings import open_cli_store, store_option
from .quoting import quote_line


def _review_note(ev: dict) -> str:
    """ " [corrected by ana, 2026-12-01]" beside a sentence a reviewer decided on."""
    review = ev.get("review") or {}
    if review.get("status", "extracted") == "extracted":
        return " [extracted]"
    by = f" by {review['by']}" if review.get("by") else ""
    at = f", {review['at'][:10]}" if review.get("at") else ""
    return f" [{review['status']}{by}{at}]"


def determination_table(report) -> str:
    """The determination as lines a person reads: one per technology, then its evidence."""
    lines = [
        f"{report.jurisdiction} as of {report.as_of}: {report.measure_kind.replace('_', ' ')} "
        f"(graph {report.version.content_hash[:16]})"
    ]
    for d in report.determinations:
        conf = "" if d.confidence is None else f" confidence {d.confidence:.2f} ({d.confidence_level})"
        lines.append(f"\n{d.technology:32} {d.status.upper():15}{conf}")
        if d.codes:
            lines.append(f"    entries: {', '.join(d.codes)}")
        if d.flags:
            lines.append(f"    flags: {'; '.join(d.flags)}")
        lines.append(f"    why: {d.reason}")
        lines.extend(f"    overlapping: {o}" for o in d.overlaps)
        if d.evidence:
            lines.append(f"    facts: {d.review_text}")
        for ev in d.evidence:
            lines.append("    " + quote_line(ev) + _review_note(ev))
    return "\n".join(lines)


@click.command()
@click.argument("jurisdiction")
@click.option("--technology", help="One technology kind: slug, class name or label (default: every kind).")
@click.option("--as-of", "as_of", help="The date the answer holds on (default today).")
@click.option(
    "--measure",
    "measure",
    type=click.Choice(list(MEASURE_KINDS)),
    default=EXPORT_CONTROL,
    show_default=True,
    help="Which kind of measure to consider.",
)
@store_option
@_format_options
def determine(
    jurisdiction: str,
    technology: str | None,
    as_of: str | None,
    measure: str,
    store: str,
    fmt: str,
    output: Path | None,
) -> None:
    """Per technology: controlled, not_controlled, no_data or uncertain in JURISDICTION,
    with the entries, confidence, flags and evidence behind each."""
    target = open_cli_store(store, read_only=True)
    code = resolve_jurisdiction(target, jurisdiction)
    tech = resolve_technology_kind(technology_tree(target), technology) if technology else None
    report = run_determine(target, code, tech, _day(as_of, "--as-of"), measure)
    _emit(report, fmt, f"Determination {code} {report.as_of}", determination_table(report), output, target)


@click.command()
@click.argument("jurisdiction", required=False)
@store_option
@_format_options
def coverage(jurisdiction: str | None, store: str, fmt: str, output: Path | None) -> None:
    """What the graph holds for each jurisdiction (or JURISDICTION): lists and
    instruments, as of which date, and whether the holding is complete."""
    target = open_cli_store(store, read_only=True)
    code = resolve_jurisdiction(target, jurisdiction) if jurisdiction else None
    report = coverage_report(target, code)
    lines = [f"coverage (graph {report.version.content_hash[:16]})"]
    for row in report.rows():
        lines.append(
            f"{row['jurisdiction']:3} {row['complete']:10} as of {row['as_of'] or '?':10} "
            f"{row['holds']}  [{row['declared_by']}]"
        )
    _emit(report, fmt, "Coverage", "\n".join(lines), output)


COMMANDS = (determine, coverage)
