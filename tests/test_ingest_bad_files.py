"""Bad input files in a build: each is named with the reason and skipped while the
rest of the batch builds; a batch where every file fails leaves the store as it
was; a killed build leaves no child process behind."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from qharmony.ingest.build import BuildReport, read_all
from qharmony.ingest.readers import ReaderError, read_source
from qharmony.ingest.readers.base import MAX_BLOCK_CHARS, split_long_blocks
from qharmony.ingest.readers.decoding import MAX_FILE_BYTES
from qharmony.queries.store import open_store
from qharmony.server.cli import main

GOOD = (
    "# Order on quantum items\n\nJurisdiction: Canada\nInstrument: Order\nCitation: SOR/2024-112\n\n"
    "## Item 5506 Quantum computers\n\na. Quantum computers with 34 or more qubits.\n"
)


def bad_files(folder: Path) -> dict[str, str]:
    """File name -> a word the message about it must hold."""
    folder.mkdir(exist_ok=True)
    rng = random.Random(13)
    (folder / "random.md").write_bytes(bytes(rng.randrange(256) for _ in range(20_000)))
    noise = bytes(rng.choice([0x81, 0x8D, 0x8F, 0x90, 0x9D, 0xC3, 0xFF]) for _ in range(300))
    (folder / "invalid.txt").write_bytes(b"Article 1\n\nQuantum " + noise + b" computers.\n")
    (folder / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    (folder / "odd.txt").write_bytes(("Article 1 text " * 20).encode("utf-16-le") + b"\x00\xd8")  # a lone surrogate
    (folder / "fake.pdf").write_bytes(b"%PDF-1.7\n" + bytes(rng.randrange(256) for _ in range(2_000)))
    with open(folder / "huge.txt", "wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # 50 MB (sparse: nothing is written)
    return {
        "random.md": "binary",
        "invalid.txt": "neither UTF-8 nor Windows-1252",
        "picture.txt": "binary",
        "odd.txt": "UTF-16",
        "fake.pdf": "PDF",
        "huge.txt": f"{MAX_FILE_BYTES:,}",
    }


def test_each_bad_file_is_named_with_its_reason(tmp_path):
    expected = bad_files(tmp_path)
    for name, word in expected.items():
        with pytest.raises(ReaderError) as caught:
            read_source(tmp_path / name)
        assert name in str(caught.value) and word in str(caught.value), str(caught.value)


def test_utf16_without_a_byte_order_mark_is_read(tmp_path):
    text = "Article 1\n\nQuantum computers with 34 or more qubits are controlled.\n"
    for encoding in ("utf-16-le", "utf-16-be"):
        path = tmp_path / f"{encoding}.txt"
        path.write_bytes(text.encode(encoding))
        assert read_source(path).text == text


def test_windows_1252_text_is_still_read(tmp_path):
    path = tmp_path / "old.txt"
    path.write_bytes("Article 1\n\n§ 740.24 applies to quantum items – see note.\n".encode("cp1252"))
    assert "§ 740.24" in read_source(path).text


def test_the_batch_goes_on_past_bad_files(tmp_path):
    expected = bad_files(tmp_path / "bad")
    (tmp_path / "ok.md").write_text(GOOD, encoding="utf-8")
    report = BuildReport()
    paths = [*(tmp_path / "bad" / n for n in expected), tmp_path / "ok.md"]
    sources = read_all(paths, report)
    assert [s.name for s in sources] == ["ok"]
    assert len(report.rejected) == len(expected)
    for name in expected:
        assert any(name in line for line in report.rejected), name


def test_a_text_without_blank_lines_is_cut_into_blocks_spacy_can_take():
    sentence = "Quantum computers with 34 or more qubits are controlled under this item. "
    text = sentence * (3 * MAX_BLOCK_CHARS // len(sentence))
    from qharmony.ingest.readers.base import Block

    blocks = split_long_blocks(text, [Block("paragraph", 0, len(text))])
    assert len(blocks) >= 3 and all(b.end - b.start <= MAX_BLOCK_CHARS for b in blocks)
    assert "".join(text[b.start : b.end] for b in blocks) == text  # nothing lost, nothing twice
    assert all(text[b.start : b.end].endswith(". ") for b in blocks[:-1])  # cut at sentence ends


# ---------------------------------------------------------------- whole builds
def _cli(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.mark.slow
def test_a_build_names_each_bad_file_and_builds_the_rest(tmp_path):
    expected = bad_files(tmp_path / "bad")
    (tmp_path / "ok.md").write_text(GOOD, encoding="utf-8")
    store = str(tmp_path / "store")
    result = _cli("build", *(str(tmp_path / "bad" / n) for n in expected), str(tmp_path / "ok.md"), "--store", store)
    assert result.exit_code == 0, result.output
    assert "built 1 documents" in result.output
    for name, word in expected.items():
        assert any(name in line and word in line for line in result.output.splitlines() if "rejected" in line), name
    target = open_store(store, read_only=True)
    try:
        assert target.ask('ASK { GRAPH ?g { ?s ?p ?o } FILTER(CONTAINS(STR(?g), "/doc/")) }')
    finally:
        target.close()


@pytest.mark.slow
def test_a_build_where_every_file_fails_leaves_the_store_as_it_was(tmp_path):
    store = str(tmp_path / "store")
    (tmp_path / "ok.md").write_text(GOOD, encoding="utf-8")
    assert _cli("build", str(tmp_path / "ok.md"), "--store", store, "--min-confidence", "0.5").exit_code == 0
    before = open_store(store, read_only=True).dump("nq")
    expected = bad_files(tmp_path / "bad")
    result = _cli("build", str(tmp_path / "bad"), "--store", store)
    assert result.exit_code == 1
    assert "no readable documents" in result.output and all(name in result.output for name in expected)
    assert open_store(store, read_only=True).dump("nq") == before


#: a stand-in ``java`` on PATH that stays running, so the build is surely killed
#: while its reasoner runs; what must not outlive the build is whatever it started
SLOW_JAVA = "#!/bin/sh\nexec sleep 120\n"


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.slow
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_a_killed_build_leaves_no_reasoner_behind(tmp_path, how):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "java").write_text(SLOW_JAVA)
    (bin_dir / "java").chmod(0o755)
    (tmp_path / "ok.md").write_text(GOOD, encoding="utf-8")
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    build = subprocess.Popen(
        [sys.executable, "-m", "qharmony.server.cli_main", "build", str(tmp_path / "ok.md")]
        + ["--store", str(tmp_path / "store")],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 240
        reasoner: list[int] = []
        while not reasoner and time.monotonic() < deadline and build.poll() is None:
            reasoner = _children(build.pid)
            time.sleep(0.05)
        assert reasoner, "the build never started its reasoner"
        build.send_signal(how)
        build.wait(timeout=30)
        deadline = time.monotonic() + 5
        while any(_alive(p) for p in reasoner) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(p) for p in reasoner), "the reasoner outlived the killed build"
    finally:
        if build.poll() is None:
            build.kill()
