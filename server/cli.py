"""The ``qharmony`` command line: each command parses options, calls one library
function, prints a summary and sets the exit code. This is the composition root, the
one place that wires ``ingest`` to the store, and the one place that registers the
commands (``add_command``) and turns our errors into one line and exit code 1."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

import click

from qharmony.queries.errors import StoreError

from . import serving as serving_options
from .cli_settings import (
    jurisdictions_option,
    load_settings,
    settings,
    store_option,
    terminal_progress,
    workers_options,
)

#: the commands of the other CLI modules, by name, each imported only when it runs: so
#: a command loads only what it needs (``serve`` answers sooner). A test checks this
#: table against each module's ``COMMANDS``.
LAZY_COMMANDS = {
    **dict.fromkeys(("validate", "query", "queries", "export", "load", "settings"), "graph_cli"),
    **dict.fromkeys(("gaps", "matrix", "transfer", "changes", "implementation"), "analysis_cli"),
    **dict.fromkeys(("determine", "coverage"), "determination_cli"),
    **dict.fromkeys(("review", "user"), "review_cli"),
    **dict.fromkeys(("versions", "diff", "portfolio"), "watch_cli"),
    "sources": "sources_cli",
}


def module_commands(module) -> list[click.Command]:
    """A CLI module's commands: its ``COMMANDS``, or the group it is named after."""
    return list(getattr(module, "COMMANDS", None) or [getattr(module, module.__name__.rsplit(".", 1)[1][:-4])])


def _jurisdictions(path: Path | None):
    """The user's jurisdictions file, or None; a bad file is a user error (a
    ValueError naming the file and line)."""
    if path is None:
        return None
    from qharmony.ingest.jurisdictions import load_jurisdictions

    return load_jurisdictions(path)


class Commands(click.Group):
    """The qharmony group: a user error becomes one clear line on stderr and exit
    code 1, never a traceback."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        command = super().get_command(ctx, name)
        if command is None and name in LAZY_COMMANDS:
            module = importlib.import_module(f"{__package__}.{LAZY_COMMANDS[name]}")
            command = {c.name: c for c in module_commands(module)}.get(name)
            if command is not None:
                self.add_command(command)
        return command

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            # imported only now: ingest brings spaCy, which a query need not load
            from qharmony.ingest.pipeline import ModelMissing
            from qharmony.ingest.readers import ReaderError

            if isinstance(exc, (StoreError, ReaderError, ModelMissing, ValueError)):
                raise click.ClickException(str(exc)) from None
            if isinstance(exc, OSError):  # an unwritable file or folder, a port in use
                where = f"{exc.filename}: " if exc.filename else ""
                raise click.ClickException(f"{where}{exc.strerror or exc}") from None
            raise


@click.group(cls=Commands)
@click.version_option(package_name="qharmony")
@click.pass_context
def main(ctx: click.Context) -> None:
    """qharmony: a knowledge graph of quantum technology export controls.

    Settings come from QHARMONY_* environment variables (see 'qharmony settings')."""
    ctx.obj = load_settings()


def _build_cache(store: str | None):
    from qharmony.ingest.cache import ExtractionCache

    from .config import build_cache_folder

    return ExtractionCache(build_cache_folder({**settings(), **({"STORE": store} if store else {})}))


def _workers(store: str | None, jobs: int, scheduler: str | None, no_daemon: bool):
    """Where a build or add extracts: ``--jobs``/``--scheduler``, else the resident
    extraction process in the build cache (unless ``--no-daemon`` or the setting is 0)."""
    from qharmony.ingest.parallel import Workers

    idle = int(settings().get("EXTRACTION_DAEMON") or 0)
    if no_daemon or idle <= 0 or jobs > 1 or scheduler:
        return Workers(jobs=jobs, scheduler=scheduler)
    return Workers(daemon=_build_cache(store).folder / "daemon", daemon_idle=float(idle))


daemon_option = click.option(
    "--no-daemon",
    is_flag=True,
    help="Extract in this process, not in the resident extraction process that keeps the model loaded "
    "between commands (QHARMONY_EXTRACTION_DAEMON=0 says so for every command).",
)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@store_option
@click.option(
    "--min-confidence",
    default=0.5,
    show_default=True,
    type=click.FloatRange(0, 1),
    help="Facts below this confidence are held for review, not asserted.",
)
@jurisdictions_option
@click.option(
    "--replace",
    is_flag=True,
    help="Drop the documents the store holds that these texts do not include (without it, the build refuses).",
)
@workers_options
@daemon_option
def build(
    paths: tuple[Path, ...],
    store: str | None,
    min_confidence: float,
    jurisdictions: Path | None,
    replace: bool,
    jobs: int,
    scheduler: str | None,
    no_daemon: bool,
) -> None:
    """Build the store from these texts (default: the bundled sample corpus).

    Documents whose text and pipeline are unchanged since the last build are taken
    from the build cache, not extracted again. If the store holds documents these
    texts do not include, the build stops and names them: use 'qharmony add' to
    build texts in beside them, or --replace to drop them. --jobs and --scheduler
    extract the texts not in the cache in parallel; the graph is the same."""
    from qharmony.ingest.build import build as run_build

    from . import review_cli
    from .build_output import after_build, writer

    extra = _jurisdictions(jurisdictions)
    decisions = review_cli.ledger_decisions(store)
    with writer(store) as target:
        report = run_build(
            target,
            list(paths) or None,
            progress=terminal_progress(),
            min_confidence=min_confidence,
            jurisdictions=extra,
            decisions=decisions,
            replace=replace,
            cache=_build_cache(store),
            workers=_workers(store, jobs, scheduler, no_daemon),
        )
        after_build(report, target, store)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@store_option
@click.option(
    "--min-confidence",
    type=click.FloatRange(0, 1),
    help="Facts below this confidence are held for review [default: as the store was built].",
)
@jurisdictions_option
@workers_options
@daemon_option
def add(
    paths: tuple[Path, ...],
    store: str | None,
    min_confidence: float | None,
    jurisdictions: Path | None,
    jobs: int,
    scheduler: str | None,
    no_daemon: bool,
) -> None:
    """Build texts into the store beside the documents it holds.

    A text whose document name the store holds replaces that document's old
    version. The store's other documents come from the build cache."""
    from qharmony.ingest.build import add_documents

    from . import review_cli
    from .build_output import after_build, writer

    extra = _jurisdictions(jurisdictions)
    decisions = review_cli.ledger_decisions(store)
    with writer(store) as target:
        report = add_documents(
            target,
            list(paths),
            cache=_build_cache(store),
            progress=terminal_progress(),
            min_confidence=min_confidence,
            jurisdictions=extra,
            decisions=decisions,
            workers=_workers(store, jobs, scheduler, no_daemon),
        )
        after_build(report, target, store)


@click.command()
@click.argument("documents", nargs=-1, required=True)
@store_option
def remove(documents: tuple[str, ...], store: str | None) -> None:
    """Remove documents from the store, by name ('qharmony query documents' lists them)."""
    from qharmony.ingest.build import remove_documents

    from . import review_cli
    from .build_output import after_build, writer

    decisions = review_cli.ledger_decisions(store)
    with writer(store) as target:
        report = remove_documents(
            target, list(documents), cache=_build_cache(store), progress=terminal_progress(), decisions=decisions
        )
        after_build(report, target, store)


@click.command()
@store_option
@click.option("--host", default=serving_options.HOST, show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=serving_options.PORT,
    show_default=True,
    type=click.IntRange(*serving_options.PORT_RANGE),
    help="Port to listen on.",
)
@click.option(
    "--threads",
    default=serving_options.THREADS,
    show_default=True,
    type=click.IntRange(*serving_options.THREAD_RANGE),
    help=(
        "Requests worked on at once (each connection has a thread); more than the long-query cap, "
        "so cheap requests never wait behind long ones."
    ),
)
def serve(store: str | None, host: str, port: int, threads: int) -> None:
    """Serve the explorer; on an empty store, build the sample corpus first.

    It listens, and answers /sparql queries, as soon as the store is open: the
    pages' code is imported meanwhile, and a page asked for before it is ready waits."""
    from .serving import open_for_serving, serve_explorer

    config = {**settings(), **({"STORE": store} if store else {})}
    serving = open_for_serving(config)
    if serving is None:
        click.echo("the store is empty: building the sample corpus first", err=True)
        from qharmony.ingest.build import build as run_build

        from . import review_cli, watch_cli
        from .build_output import print_build, writer

        decisions = review_cli.ledger_decisions(store)
        with writer(store) as target:
            print_build(run_build(target, progress=terminal_progress(), decisions=decisions, cache=_build_cache(store)))
            watch_cli.record_build(target, store)
        serving = open_for_serving(config)
    serve_explorer(
        config, serving, host, port, threads, lambda url: click.echo(serving_options.ANNOUNCE.format(url=url))
    )


@click.command()
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
    "--min-confidence",
    default=0.5,
    show_default=True,
    type=click.FloatRange(0, 1),
    help="With ttl: facts below this confidence are not asserted.",
)
@jurisdictions_option
def extract(paths: tuple[Path, ...], fmt: str, min_confidence: float, jurisdictions: Path | None) -> None:
    """Run extraction only and print the result to stdout."""
    from qharmony.ingest.build import BuildReport, collect_paths, read_all
    from qharmony.ingest.extract import extract_documents
    from qharmony.ingest.mapping import map_all, to_nquads
    from qharmony.ingest.pipeline import load_pipeline
    from qharmony.ingest.pointers import resolve as resolve_pointers
    from qharmony.queries.serialize import convert_dataset

    report = BuildReport()
    sources = read_all(collect_paths(paths), report)
    for line in report.rejected:
        click.echo(f"rejected: {line}", err=True)
    extra = _jurisdictions(jurisdictions)
    extractions = resolve_pointers(extract_documents(sources, load_pipeline(), jurisdictions=extra))
    if fmt == "jsonl":
        for ex in extractions:
            for record in ex.to_jsonl_records():
                click.echo(json.dumps(record, ensure_ascii=False))
    else:
        nquads = to_nquads(map_all(extractions, min_confidence))
        click.echo(convert_dataset(nquads, "trig").decode("utf-8"))
    if report.rejected:
        sys.exit(1)


for command in (build, add, remove, serve, extract):
    main.add_command(command)
