"""The import rules between folders, checked by parsing every module's imports
(top-level and inside functions alike):

- ``ontology/`` imports nothing of ours, and never Flask or spaCy;
- ``queries/`` imports only ``ontology/``;
- ``ingest/`` imports ``ontology/`` and ``queries/``;
- ``server/`` imports ``ontology/`` and ``queries/``; only ``server/cli.py``, the
  composition root, and ``server/sources_cli.py``, its part for ``sources``, also
  import ``ingest/``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
FOLDERS = ("ontology", "queries", "ingest", "server")
ALLOWED = {
    "ontology": set(),
    "queries": {"ontology"},
    "ingest": {"ontology", "queries"},
    "server": {"ontology", "queries"},
}
EXCEPTIONS = {"server/cli.py": {"ingest"}, "server/sources_cli.py": {"ingest"}}
FORBIDDEN_THIRD_PARTY = {"ontology": {"flask", "spacy"}, "queries": {"flask", "spacy", "click"}}


def _package_parts(path: Path, root: Path) -> list[str]:
    """``ingest/readers/html.py`` -> ``["qharmony", "ingest", "readers"]``."""
    return ["qharmony", *path.relative_to(root).parent.parts]


def imported_modules(path: Path, root: Path = ROOT) -> set[str]:
    """Absolute names of every module ``path`` imports, relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = _package_parts(path, root)
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            found.add(module)
    return found


def _modules() -> list[Path]:
    return sorted(p for folder in FOLDERS for p in (ROOT / folder).rglob("*.py"))


def breaches(path: Path, root: Path = ROOT) -> list[str]:
    rel = path.relative_to(root).as_posix()
    folder = rel.split("/", 1)[0]
    allowed = ALLOWED[folder] | {folder} | EXCEPTIONS.get(rel, set())
    out = []
    for module in sorted(imported_modules(path, root)):
        top = module.split(".")
        if top[0] == "qharmony":
            if len(top) < 2 or top[1] not in allowed:
                out.append(f"{rel} imports {module}")
        elif top[0] in FOLDERS:
            out.append(f"{rel} imports {module} as a bare top-level package")
        elif top[0] in FORBIDDEN_THIRD_PARTY.get(folder, set()):
            out.append(f"{rel} imports {module}")
    return out


def test_every_folder_keeps_its_import_rules():
    found = [b for path in _modules() for b in breaches(path)]
    assert found == [], "\n".join(found)


@pytest.mark.parametrize(
    "source,rel,expected",
    [
        ("from qharmony.ingest.thresholds import UNITS\n", "queries/x.py", ["queries/x.py imports qharmony.ingest"]),
        ("def f():\n    from qharmony.ingest import build\n", "server/pages.py", ["server/pages.py imports"]),
        ("from ..ingest import build\n", "server/x.py", ["server/x.py imports qharmony.ingest"]),
        ("from ..records import Record\n", "ingest/readers/x.py", []),
        ("from qharmony.ingest.build import build\n", "server/cli.py", []),
        ("import flask\n", "ontology/x.py", ["ontology/x.py imports flask"]),
        ("from server import app\n", "server/x.py", ["bare top-level"]),
    ],
)
def test_the_check_catches_a_breach(tmp_path, source, rel, expected):
    """The checker itself: each kind of breach is caught, and allowed imports pass."""
    path = tmp_path / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source, encoding="utf-8")
    found = breaches(path, tmp_path)
    assert len(found) == len(expected) and all(e in f for e, f in zip(expected, found, strict=True)), found
