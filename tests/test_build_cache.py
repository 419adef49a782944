"""What the build cache's keys hash: the modules that extract, not those that run after
extraction (their change keeps every cached extraction and is caught by the ontology
fingerprint that guards an addition). And a command whose extraction is cached or done
by the resident process does not import spaCy. Fast: each check imports in a fresh
interpreter or reads the source, builds nothing."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import qharmony.ingest
from qharmony.ingest.cache import AFTER_EXTRACTION


def _imported(*modules: str) -> list[str]:
    code = "import json, sys\n" + "".join(f"import {m}\n" for m in modules) + "print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


#: ``from .x import a``, ``from ..x import (a, b)``, ``from qharmony.ingest.x import a``, anywhere
_FROM = re.compile(r"^[ \t]*from[ \t]+(\.+|qharmony\.ingest\.?)([\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n]+)", re.M)


def _ingest_imports(path: Path, root: Path) -> set[Path]:
    """The modules of ``qharmony.ingest`` a module imports anywhere in it (a function's
    lazy import too)."""
    package = path.parent.relative_to(root.parent).parts  # ("ingest", ...)
    found = set()
    for dots, module, names in _FROM.findall(path.read_text(encoding="utf-8")):
        base = list(package[: len(package) - len(dots) + 1]) if dots.startswith(".") else ["ingest"]
        parts = [p for p in base + module.split(".") if p]
        targets = [parts] if module else [parts + [n.split(" as ")[0].strip()] for n in names.strip("()").split(",")]
        for name in targets:
            target = root.parent.joinpath(*[p for p in name if p])
            for candidate in (target.with_suffix(".py"), target / "__init__.py"):
                if candidate.is_file():
                    found.add(candidate)
    return found


def test_extraction_imports_none_of_the_modules_the_cache_key_leaves_out():
    root = Path(qharmony.ingest.__file__).parent
    todo = [root / "extract.py", root / "pipeline.py", root / "syntax.py"]
    seen: set[Path] = set()
    while todo:
        path = todo.pop()
        if path not in seen:
            seen.add(path)
            todo.extend(_ingest_imports(path, root))
    names = {p.relative_to(root).as_posix() for p in seen}
    assert {"extract.py", "records.py", "ruler.py"} <= names
    assert not names & AFTER_EXTRACTION


def test_building_and_adding_import_spacy_only_to_extract():
    loaded = _imported("qharmony.ingest.build", "qharmony.ingest.adding", "qharmony.server.cli")
    assert "spacy" not in loaded and "qharmony.ingest.extract" not in loaded
