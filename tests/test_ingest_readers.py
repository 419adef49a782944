from __future__ import annotations

import pytest

from qharmony.ingest.readers import ReaderError, read_source

DOC = """# Title

Jurisdiction: United States
Citation: 89 FR 72926

Intro paragraph.

## 4A906 Quantum computers

a. Quantum computers, as follows:
a.1. with 34 or more physical qubits;
"""


def test_markdown_structure_and_offsets(tmp_path):
    path = tmp_path / "doc.md"
    path.write_text(DOC, encoding="utf-8")
    src = read_source(path)
    kinds = [(b.kind, b.label or b.name) for b in src.blocks]
    assert kinds == [
        ("heading", ""),
        ("field", "Jurisdiction"),
        ("field", "Citation"),
        ("paragraph", ""),
        ("heading", ""),
        ("item", "a"),
        ("item", "a.1"),
    ]
    assert src.block_text(src.blocks[1]) == "United States"
    assert src.block_text(src.blocks[-1]) == "with 34 or more physical qubits;"


def test_legacy_encoding_is_decoded(tmp_path):
    path = tmp_path / "old.txt"
    path.write_bytes("Arrêté du 2 février 2024".encode("cp1252"))
    assert "février" in read_source(path).text


@pytest.mark.parametrize(
    "name,content,reason",
    [
        ("empty.md", b"", "empty"),
        ("bin.txt", b"\x00\x01\x02binary", "binary"),
        ("x.docx", b"zip", "no reader"),
    ],
)
def test_bad_files_are_named_in_the_error(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ReaderError, match=reason) as info:
        read_source(path)
    assert name in str(info.value)
