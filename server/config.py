"""Settings: defaults in code, then ``QHARMONY_*`` environment, then what a caller passes."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_STORE = ".qharmony/store"


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str


SETTINGS = [
    Setting(
        "STORE", DEFAULT_STORE, "Folder of the embedded Oxigraph store, or the query URL of a SPARQL 1.1 endpoint."
    ),
    Setting("STORE_UPDATE_URL", None, "Update URL of a remote endpoint (default: derived)."),
    Setting("STORE_GRAPH_STORE_URL", None, "Graph Store Protocol URL of a remote endpoint (default: derived)."),
    Setting("MAX_ROWS", 10_000, "Most rows a query returns; larger answers are cut and flagged."),
    Setting("TIMEOUT", 30.0, "Seconds to wait for a remote endpoint."),
]


def load_config(
    overrides: Mapping[str, object] | None = None, environ: Mapping[str, str] | None = None
) -> dict[str, object]:
    """Resolve every setting: code default, then environment, then ``overrides``."""
    env = os.environ if environ is None else environ
    config: dict[str, object] = {}
    for s in SETTINGS:
        value = s.default
        raw = env.get("QHARMONY_" + s.name)
        if raw is not None and raw != "":
            value = type(s.default)(raw) if isinstance(s.default, (int, float)) else raw
        config[s.name] = value
    config.update(overrides or {})
    return config
