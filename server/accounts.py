"""Reviewers' accounts, in the review file (``ledger.py``), never in the shared graph.

Passwords are stored only as werkzeug.security hashes (scrypt, salted).
"""

from __future__ import annotations

import re
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from qharmony.queries.review import DecisionError, now

from .ledger import connect

ROLES = ("reviewer",)
MIN_PASSWORD = 10
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


@dataclass(frozen=True)
class Account:
    name: str
    role: str


def _hashed(password: str) -> str:
    """werkzeug's salted scrypt hash; imported here, as a build only reads the ledger."""
    from werkzeug.security import generate_password_hash

    return generate_password_hash(password)


def add_user(path: Path, name: str, password: str, role: str = "reviewer") -> Account:
    """Create an account, or set a new password and role for an existing one."""
    if not _NAME.match(name):
        raise DecisionError(f"user name {name!r}: letters, digits, '.', '_' or '-', at most 64")
    if role not in ROLES:
        raise DecisionError(f"unknown role {role!r}; known: {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise DecisionError(f"the password must have at least {MIN_PASSWORD} characters")
    with closing(connect(path)) as db, db:
        db.execute(
            "INSERT INTO accounts (name, role, password_hash, created) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(name) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash",
            (name, role, _hashed(password), now()),
        )
    return Account(name, role)


def authenticate(path: Path, name: str, password: str) -> Account | None:
    """The account if the password is right, else None (the same for an unknown name)."""
    row = None
    if path.exists():
        with closing(connect(path)) as db:
            row = db.execute("SELECT role, password_hash FROM accounts WHERE name = ?", (name,)).fetchone()
    # hash anyway for an unknown name, so timing does not tell which names exist
    from werkzeug.security import check_password_hash

    stored = row[1] if row else _hashed("not an account")
    if check_password_hash(stored, password) and row:
        return Account(name, row[0])
    return None


def list_users(path: Path) -> list[Account]:
    if not path.exists():
        return []
    with closing(connect(path)) as db:
        return [Account(n, r) for n, r in db.execute("SELECT name, role FROM accounts ORDER BY name")]
