"""Smoke test of an installed qharmony wheel, run from a clean virtual environment
outside the source tree: every data file of the source tree arrived (the .ttl, .rq,
template, static and corpus files; an editable install hides a missing one), no bare
top-level package landed in site-packages, and the installed CLI and explorer work.

Usage: python wheel_smoke.py SOURCE_TREE
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from importlib import resources
from pathlib import Path

#: installed package -> (source folder, file patterns it must ship)
DATA = {
    "qharmony.ontology": ("ontology", ["*.ttl"]),
    "qharmony.queries.rq": ("queries/rq", ["*.rq", "*.ru"]),
    "qharmony.server.templates": ("server/templates", ["*.html"]),
    "qharmony.server.static": ("server/static", ["*"]),
    "qharmony.ingest.corpus": ("ingest/corpus", ["*.md", "*.txt", "*.ttl", "*.html"]),
}
PACKAGES = ["qharmony.ontology", "qharmony.queries", "qharmony.ingest", "qharmony.server"]


def check_data(source: Path) -> list[str]:
    problems = []
    for package, (folder, patterns) in DATA.items():
        installed = resources.files(package)
        if source.resolve() in Path(str(installed)).resolve().parents:
            problems.append(f"{package} was imported from the source tree, not the installed wheel")
        expected = {p.name for pattern in patterns for p in (source / folder).glob(pattern) if p.is_file()}
        shipped = {p.name for p in installed.iterdir() if p.is_file()}
        missing = sorted(expected - shipped)
        if missing:
            problems.append(f"{package} is missing {', '.join(missing)}")
        print(f"{package}: {len(expected & shipped)} of {len(expected)} files")
    return problems


def check_modules(source: Path) -> list[str]:
    """Every .py file of each source package is installed (a new subpackage missing
    from pyproject's package list shows up here)."""
    problems = []
    for package in PACKAGES:
        folder = source / package.split(".", 1)[1]
        installed = Path(str(resources.files(package)))
        for module in folder.rglob("*.py"):
            relative = module.relative_to(folder)
            if "corpus" in relative.parts:
                continue
            if not (installed / relative).is_file():
                problems.append(f"{package}: {relative} was not installed")
    site = Path(str(resources.files("qharmony.server"))).parents[1]
    stray = [name for name in ("server", "ingest", "queries", "ontology") if (site / name).exists()]
    if stray:
        problems.append(f"bare top-level packages in site-packages: {', '.join(stray)}")
    return problems


def check_running(work: Path) -> list[str]:
    """The installed CLI lists its queries, loads a file and answers a query, and the
    explorer serves its pages from the installed templates and static files."""
    problems = []
    cli = [sys.executable, "-m", "qharmony.server.cli_main"]
    listed = subprocess.run([*cli, "queries"], capture_output=True, text=True, cwd=work)
    if listed.returncode or "entries_controlling" not in listed.stdout:
        problems.append(f"qharmony queries failed: {listed.stderr.strip()}")
    data = work / "d.nt"
    data.write_text('<http://ex.org/a> <http://ex.org/p> "1" .\n')
    store = str(work / "store")
    loaded = subprocess.run([*cli, "load", str(data), "--graph", "http://ex.org/g", "--store", store], cwd=work)
    if loaded.returncode:
        problems.append("qharmony load failed")
    from qharmony.server.app import create_app

    client = create_app({"STORE": store}).test_client()
    for path, needle in (("/", b"qharmony"), ("/static/style.css", b"{"), ("/queries", b"entries_controlling")):
        resp = client.get(path)
        if resp.status_code != 200 or needle not in resp.data:
            problems.append(f"GET {path} answered {resp.status_code}")
    return problems


def main() -> int:
    source = Path(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        problems = check_data(source) + check_modules(source) + check_running(Path(tmp))
    for problem in problems:
        print(f"FAIL: {problem}", file=sys.stderr)
    print("installed wheel: OK" if not problems else f"installed wheel: {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
