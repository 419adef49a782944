"""``qharmony sources``: follow official texts. ``add``/``list``/``remove`` edit the
sources file; ``sync`` fetches what is new and builds it into the store.

Like ``server/cli.py`` this is part of the composition root (it wires ``ingest`` to
the store), so it is the other module of ``server/`` allowed to import ``ingest``.
The sources file and the cache sit beside the store unless ``QHARMONY_SOURCES``
names the file (the cache then sits beside it)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from qharmony.ingest.sources.config import Source, add_source, make_source, read_sources, remove_source
from qharmony.queries.store import Store, is_remote

from . import review_cli
from .build_output import after_build, writer
from .cli_settings import (
    jurisdictions_option,
    settings,
    store_option,
    terminal_progress,
    workers_options,
)
from .config import DEFAULT_STORE

if TYPE_CHECKING:  # the sync module loads the whole pipeline: only when syncing
    from qharmony.ingest.sources.sync import SyncReport

#: the setting that holds each kind's base URL
URL_SETTINGS = {"ecfr": "ECFR_URL", "fr": "FR_URL", "uksi": "LEGISLATION_URL", "eurlex": "EURLEX_URL"}


def sources_file(store: str | None) -> Path:
    """The sources file: ``QHARMONY_SOURCES``, else ``sources.toml`` beside the store
    (beside the default store folder when the store is a remote endpoint)."""
    current = settings()
    if current.get("SOURCES"):
        return Path(str(current["SOURCES"]))
    location = store or str(current["STORE"])
    folder = Path(DEFAULT_STORE if is_remote(location) else location)
    return folder.parent / "sources.toml"


def _describe(s: Source) -> str:
    fields = " ".join(f"{k}={v}" for k, v in s.fields.items())
    return f"{s.id}  {s.kind} {fields} jurisdiction={s.jurisdiction}"


def _added(store: str | None, source: Source) -> None:
    path = sources_file(store)
    if add_source(path, source):
        click.echo(f"added {source.id} to {path}")
    else:
        click.echo(f"{source.id} is already in {path}")


@click.group()
def sources() -> None:
    """Follow official texts (eCFR, Federal Register, legislation.gov.uk, EUR-Lex)."""


@sources.group()
def add() -> None:
    """Add a source to follow."""


_jurisdiction = click.option("--jurisdiction", help="Jurisdiction code the text belongs to (default: the publisher's).")


@add.command("ecfr")
@click.option("--title", required=True, help="CFR title, such as 15.")
@click.option("--part", required=True, help="CFR part, such as 740.")
@click.option("--section", help="One section only, such as 740.24.")
@_jurisdiction
@store_option
def add_ecfr(title: str, part: str, section: str | None, jurisdiction: str | None, store: str | None) -> None:
    """A part (or section) of the Code of Federal Regulations, from the eCFR."""
    _added(store, make_source("ecfr", jurisdiction, title=title, part=part, section=section))


@add.command("fr")
@click.argument("document")
@_jurisdiction
@store_option
def add_fr(document: str, jurisdiction: str | None, store: str | None) -> None:
    """A Federal Register document, by its document number (such as 2024-19633)."""
    _added(store, make_source("fr", jurisdiction, document=document))


@add.command("uksi")
@click.argument("year_number", metavar="YEAR/NUMBER")
@click.option("--version", help="'made' (as made) or a date: the revised text in force then [default: latest].")
@_jurisdiction
@store_option
def add_uksi(year_number: str, version: str | None, jurisdiction: str | None, store: str | None) -> None:
    """A UK statutory instrument from legislation.gov.uk (such as 2024/346)."""
    year, sep, number = year_number.partition("/")
    if not sep:
        raise click.BadParameter(f"expected YEAR/NUMBER such as 2024/346, got {year_number!r}")
    _added(store, make_source("uksi", jurisdiction, year=year, number=number, version=version))


@add.command("eurlex")
@click.argument("celex")
@_jurisdiction
@store_option
def add_eurlex(celex: str, jurisdiction: str | None, store: str | None) -> None:
    """An EU act from EUR-Lex, by its CELEX number (such as 32025R2003)."""
    _added(store, make_source("eurlex", jurisdiction, celex=celex))


@sources.command("list")
@store_option
def list_sources(store: str | None) -> None:
    """List the sources followed."""
    path = sources_file(store)
    found = read_sources(path)
    if not found:
        click.echo(f"no sources in {path}; add one with 'qharmony sources add'")
    for s in found:
        click.echo(_describe(s))


@sources.command("remove")
@click.argument("source_id", metavar="ID")
@store_option
def remove(source_id: str, store: str | None) -> None:
    """Stop following a source (its versions stay in the store and the cache)."""
    path = sources_file(store)
    remove_source(path, source_id)
    click.echo(f"removed {source_id} from {path}")


@sources.command("sync")
@click.option("--as-of", "as_of", help="eCFR texts in force on this date (YYYY-MM-DD) [default: today].")
@click.option("--history", is_flag=True, help="eCFR: fetch the version at every change date up to --as-of.")
@jurisdictions_option
@store_option
@workers_options
def sync_command(
    as_of: str | None, history: bool, jurisdictions: Path | None, store: str | None, jobs: int, scheduler: str | None
) -> None:
    """Fetch what is new (conditionally, politely) and build it into the store.

    A publisher that fails fails only its own sources: the others are built, the
    failures are listed, and the exit code is 1. The new graph is kept as a version,
    as ``qharmony build`` keeps it, so the change shows in ``qharmony diff`` and the
    feeds."""
    from qharmony.ingest.jurisdictions import load_jurisdictions
    from qharmony.ingest.parallel import Workers
    from qharmony.ingest.sources.http import PoliteClient
    from qharmony.ingest.sources.sync import sync

    path = sources_file(store)
    followed = read_sources(path)
    current = settings()
    urls = {kind: str(current[name]) for kind, name in URL_SETTINGS.items()}
    with writer(store) as target:
        report = sync(
            target,
            followed,
            path.parent / "cache",
            base_urls=urls,
            as_of=as_of,
            history=history,
            client=PoliteClient(interval=float(current["FETCH_INTERVAL"])),
            progress=terminal_progress(),
            jurisdictions=load_jurisdictions(jurisdictions) if jurisdictions else None,
            decisions=review_cli.ledger_decisions(store),
            workers=Workers(jobs=jobs, scheduler=scheduler),
        )
        _tell(report, len(followed), target, store)


def _tell(report: SyncReport, total: int, target: Store, store: str | None) -> None:
    """What a sync did, in lines; a version is kept when it built. Exit 1 when a
    source failed."""
    click.echo(f"{total} sources: {report.fetched} fetched, {report.not_modified} not modified")
    for record in report.versions:
        click.echo(f"new version {record['document']}  {record['url']}  sha256 {record['sha256'][:16]}")
    if report.build is None:
        click.echo("nothing new: the store is unchanged")
    else:
        after_build(report.build, target, store)
    for source_id, message in report.failed:
        click.echo(f"failed: {source_id}: {message}", err=True)
    if report.failed:
        click.echo(
            f"{len(report.failed)} of {total} sources failed; the store keeps what it held for them",
            err=True,
        )
        raise SystemExit(1)
