"""How a command reaches the settings and the store: the ``--store`` option, the
settings the group resolved (``server/config.py``), and the one store opener."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from qharmony.queries.store import Store

from .config import DEFAULT_STORE, load_config
from .store import open_configured_store

store_option = click.option(
    "--store",
    default=None,
    help=f"Folder of the embedded store, or a SPARQL endpoint query URL [default: QHARMONY_STORE or {DEFAULT_STORE}].",
)

#: the user's jurisdictions beyond ISO 3166, for the commands that build
jurisdictions_option = click.option(
    "--jurisdictions",
    type=click.Path(path_type=Path),
    help="CSV or TOML file of jurisdictions beyond ISO 3166 (code, name, aliases, memberships).",
)


def load_settings() -> dict[str, object]:
    """The settings from the environment, or a usage error naming the bad variable."""
    try:
        return load_config()
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None


def settings() -> dict[str, object]:
    """The settings the group resolved for this invocation."""
    root = click.get_current_context().find_root()
    if root.obj is None:
        root.obj = load_settings()
    return root.obj


def open_cli_store(location: str | None, *, read_only: bool) -> Store:
    """The store the settings name (``--store`` wins over ``QHARMONY_STORE``), opened
    with every store setting: row cap, timeout, update and graph-store URLs."""
    return open_configured_store({**settings(), **({"STORE": location} if location else {})}, read_only=read_only)


def terminal_progress():
    """A progress line on a terminal; silent when stderr is not one."""
    if not sys.stderr.isatty():
        return None

    def tick(stage: str, done: int, total: int) -> None:
        click.echo(f"\r{stage:>9}: {done}/{total}", nl=done == total, err=True)

    return tick
