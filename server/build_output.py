"""What a build, add, remove or sync tells the terminal, and the version it keeps:
one summary for every command that changes the store (``server/cli.py`` and
``server/sources_cli.py`` both call it)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click

from qharmony.queries.store import Store

from . import watch_cli
from .cli_settings import open_cli_store


def print_build(report) -> None:
    """The build's figures, what it rejected, SHACL, HermiT and review lines."""
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
    if report.review and (report.review.applied or report.review.orphaned or report.review.failed):
        rv = report.review
        click.echo(f"review: {len(rv.applied)} decisions applied, {len(rv.orphaned)} orphaned")
        for d in rv.orphaned:
            click.echo(f"orphaned: {d.action} {d.fingerprint} by {d.reviewer}: {d.statement}", err=True)
        for d, why in rv.failed:
            click.echo(f"not applied: {d.action} {d.fingerprint}: {why}", err=True)
    click.echo(f"graph version {report.content_hash[:16]}")


@contextmanager
def writer(store: str | None) -> Iterator[Store]:
    """The store opened for writing, closed (its lock released) however the command ends."""
    target = open_cli_store(store, read_only=False)
    try:
        yield target
    finally:
        target.close()


def after_build(report, target: Store, store: str | None) -> None:
    """The summary of a build, add or remove, and the version it keeps."""
    for name in report.replaced:
        click.echo(f"removed document {name}")
    for name in report.updated:
        click.echo(f"replaced the old version of {name}")
    print_build(report)
    if report.documents:
        click.echo(f"extracted {report.extracted} documents, {len(report.documents) - report.extracted} from the cache")
    kept = watch_cli.record_build(target, store, report)  # issue 17: keep the version for diffs and feeds
    if kept is not None:
        click.echo(f"kept as version {kept.short} (qharmony versions, qharmony diff previous latest)")
