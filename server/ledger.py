"""The review file: a SQLite database beside the store that holds reviewers'
accounts, their decisions as they are made, and the explorer's session secret.

It lives outside the shared graph so that the explorer keeps its store read-only
and a reviewer's decision is saved the moment it is made, even while a build runs;
every build then applies the decisions and writes them to the audit graph
(``queries/review.py``), so the graph and this file agree after each build.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Iterable, Mapping
from contextlib import closing
from pathlib import Path

from qharmony.queries.review import Decision, DecisionError

from .config import beside_store

SCHEMA = """
CREATE TABLE IF NOT EXISTS decisions (id TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, at TEXT NOT NULL,
    record TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS decisions_fingerprint ON decisions (fingerprint);
CREATE TABLE IF NOT EXISTS accounts (name TEXT PRIMARY KEY, role TEXT NOT NULL, password_hash TEXT NOT NULL,
    created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def review_file(config: Mapping[str, object]) -> Path:
    """Where the review file is: ``REVIEW_DB``, else beside an embedded store's
    folder (``store`` -> ``store.review.sqlite``), else in ``.qharmony``."""
    return beside_store(config, "REVIEW_DB", ".review.sqlite", "review.sqlite")


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating if need be) the review file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(str(path), timeout=10)
        db.executescript(SCHEMA)
    except (OSError, sqlite3.Error) as exc:
        raise DecisionError(f"{path}: cannot open the review file ({exc}); set QHARMONY_REVIEW_DB") from None
    return db


def add_decisions(path: Path, decisions: Iterable[Decision]) -> int:
    """Record decisions; one already recorded (same id) is left as it is. Returns
    how many were new."""
    with closing(connect(path)) as db, db:
        before = db.total_changes
        db.executemany(
            "INSERT OR IGNORE INTO decisions (id, fingerprint, at, record) VALUES (?, ?, ?, ?)",
            [(d.id, d.fingerprint, d.at, json.dumps(d.to_json(), sort_keys=True)) for d in decisions],
        )
        return db.total_changes - before


def all_decisions(path: Path) -> list[Decision]:
    """Every decision recorded, oldest first."""
    if not path.exists():
        return []
    with closing(connect(path)) as db:
        rows = db.execute("SELECT id, record FROM decisions ORDER BY at, id").fetchall()
    return [Decision.from_json(json.loads(record), f"{path}: decision {id_}") for id_, record in rows]


def session_secret(path: Path) -> str:
    """The explorer's session-signing secret, made once and kept in the review file,
    so sign-ins survive a restart and no secret needs configuring."""
    with closing(connect(path)) as db, db:
        db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('session_secret', ?)", (secrets.token_hex(32),))
        return db.execute("SELECT value FROM meta WHERE key = 'session_secret'").fetchone()[0]
