"""The command line on bad input: one clear line naming what failed, exit code 1 (2 for
a bad option), no traceback, and nothing already in the store lost."""

from __future__ import annotations

import socket

import pytest
from click.testing import CliRunner

from qharmony.queries.store import open_store
from qharmony.server.cli import main

GOOD = "<http://ex.org/a> <http://ex.org/p> <http://ex.org/b> .\n"


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.fixture()
def loaded(tmp_path):
    (tmp_path / "good.ttl").write_text(GOOD)
    store = tmp_path / "store"
    assert run("load", str(tmp_path / "good.ttl"), "--graph", "http://ex.org/g", "--store", str(store)).exit_code == 0
    return store


def _count(store) -> int:
    target = open_store(store, read_only=True)
    try:
        return target.count()
    finally:
        target.close()


def test_load_of_several_files_is_all_or_nothing(tmp_path, loaded):
    (tmp_path / "more.ttl").write_text("<http://ex.org/c> <http://ex.org/p> <http://ex.org/d> .\n")
    (tmp_path / "bad.ttl").write_text("<http://ex.org/c> <http://ex.org/p> .\n")
    result = run(
        "load",
        str(tmp_path / "more.ttl"),
        str(tmp_path / "bad.ttl"),
        "--graph",
        "http://ex.org/h",
        "--store",
        str(loaded),
    )
    assert result.exit_code == 1 and "bad.ttl" in result.output
    assert _count(loaded) == 1  # neither more.ttl nor bad.ttl went in; good.ttl stayed


def test_n_quads_cannot_write_into_qharmonys_own_graphs(tmp_path, loaded):
    quads = tmp_path / "sneaky.nq"
    quads.write_text("<http://ex.org/x> <http://ex.org/p> <http://ex.org/y> <https://w3id.org/qharmony/graph/meta> .\n")
    result = run("load", str(quads), "--store", str(loaded))
    assert result.exit_code == 1 and "graph/meta" in result.output
    assert _count(loaded) == 1


def test_a_mistyped_store_folder_is_an_error_not_an_empty_answer(tmp_path, loaded):
    missing = str(loaded) + "x"
    for args in (["query", "jurisdictions", "--store", missing], ["export", "--store", missing]):
        result = run(*args)
        assert result.exit_code == 1 and "no store in" in result.output, args


@pytest.mark.parametrize(
    "args",
    [
        ["serve", "--port", "99999"],
        ["serve", "--threads", "0"],
        ["build", "--min-confidence", "5"],
        ["extract", "x.md", "--min-confidence", "-1"],
    ],
)
def test_out_of_range_options_are_refused(args):
    result = run(*args)
    assert result.exit_code == 2 and "range" in result.output


def test_an_unwritable_output_or_store_is_one_line(tmp_path, loaded):
    result = run("export", "--store", str(loaded), "-o", str(tmp_path / "no-such-folder" / "out.trig"))
    assert result.exit_code == 1 and "no-such-folder" in result.output
    (tmp_path / "a-file").write_text("")
    result = run("load", str(tmp_path / "a-file"), "--store", str(tmp_path / "a-file" / "store"))
    assert result.exit_code == 1 and "Error" in result.output


def test_a_port_in_use_is_one_line(loaded):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        result = run("serve", "--store", str(loaded), "--port", port)
    assert result.exit_code == 1 and f"cannot listen on 127.0.0.1:{port}" in result.output
