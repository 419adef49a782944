"""How a command reaches the settings and the store: the ``--store`` option, the
settings the group resolved (``server/config.py``), and the one store opener."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from qharmony.queries.store import Store

from .config import DEFAULT_STORE, load_config
from .numbers import whole_number
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


class Jobs(click.ParamType):
    """A number of extraction processes: 1 or more, or 0 or 'auto' for one per core."""

    name = "N"

    def convert(self, value, param, ctx) -> int:
        if isinstance(value, int):
            number = value
        elif str(value).strip().lower() == "auto":
            number = 0
        else:
            try:
                number = int(str(value).strip())
            except ValueError:
                self.fail(f"expected a number of processes (1 or more), or 0 or 'auto' for one per core; got {value!r}")
        if number < 0:
            self.fail(f"expected a number of processes (1 or more), or 0 or 'auto' for one per core; got {value!r}")
        return number or (os.cpu_count() or 1)


def _scheduler(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A Dask scheduler address: tcp://HOST:PORT (or HOST:PORT, taken as tcp)."""
    if value is None:
        return None
    address = value.strip()
    if "://" not in address:
        address = "tcp://" + address
    scheme, _, rest = address.partition("://")
    host, _, port = rest.rpartition(":")
    if scheme not in ("tcp", "tls", "ws", "wss", "inproc", "ucx") or not host or whole_number(port) is None:
        raise click.BadParameter(f"expected a Dask scheduler address such as tcp://10.0.0.5:8786, got {value!r}")
    return address


def workers_options(command):
    """``--jobs`` and ``--scheduler``: where a command that builds extracts its texts."""
    command = click.option(
        "--scheduler",
        callback=_scheduler,
        metavar="ADDRESS",
        help="Extract on the Dask cluster whose scheduler is at ADDRESS (tcp://HOST:PORT); needs "
        "'pip install .[dask]' here and on the workers (see README, 'Building in parallel').",
    )(command)
    return click.option(
        "--jobs",
        type=Jobs(),
        default="1",
        show_default=True,
        help="Extract across N processes on this machine (0 or 'auto': one per core).",
    )(command)


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
