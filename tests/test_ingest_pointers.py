"""Software and technology entries that point to entries another document defines:
settled once the whole build is read, never from a roll-up of a non-quantum entry."""

from __future__ import annotations

from qharmony.ingest.extract import extract_documents
from qharmony.ingest.pipeline import load_pipeline
from qharmony.ingest.pointers import resolve, settle, unchanged
from qharmony.ingest.readers import read_source

LIST = (
    "Title 15, Part 774\n\n9A999 Quantum computers, as follows:\n\n"
    "a. Quantum computers with 10 or more physical qubits.\n"
)
SOFTWARE = (
    "Title 15, Part 774\n\n9D999 Software for the development of items in 9A999.a.\n\n"
    "9D998 Software for the development of items in 9A997.\n"
)
RULE = "The notice authorizes releases of 9D999 software and of 9D998 software to contractors.\n"


def _read(tmp_path, texts):
    paths = []
    for i, text in enumerate(texts):
        path = tmp_path / f"doc{i}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(read_source(path))
    return list(extract_documents(paths, load_pipeline()))


def _controls(ex):
    return {(r.subject, r.object) for r in ex.relations if r.type == "controls"}


def test_a_pointer_to_another_documents_quantum_entry_is_quantum_software(tmp_path):
    lst, software, rule = resolve(_read(tmp_path, [LIST, SOFTWARE, RULE]))
    assert ("US:9D999", "quantum_software") in _controls(software)
    assert ("US:9D998", "quantum_software") not in _controls(software)  # 9A997 is known nowhere
    # a text that names the software entry with its kind: settled through the list's entry
    assert ("US:9D999", "quantum_software") in _controls(rule)
    assert ("US:9D998", "quantum_software") not in _controls(rule)


def test_without_the_list_nothing_is_settled(tmp_path):
    (software,) = resolve(_read(tmp_path, [SOFTWARE]))
    assert not _controls(software)


def _relations(ex):
    return sorted((r.type, r.subject, r.object, r.start, r.end, r.rule) for r in ex.relations)


def test_documents_added_settle_against_the_stored_rounds_as_in_one_build(tmp_path):
    """An addition settles only the new documents' pointers, against the rounds the
    stored ones recorded, and gets what settling everything together gives."""
    together = _read(tmp_path, [LIST, SOFTWARE, RULE])
    settle(together)
    stored = _read(tmp_path, [LIST, SOFTWARE])
    before = settle(stored)
    (rule,) = _read(tmp_path, [RULE])
    after = settle([rule], before.rounds)
    assert _relations(rule) == _relations(together[2])
    assert all(unchanged(p, after.rounds) for p in before.pointers.values())


def test_an_added_list_that_settles_a_stored_pointer_is_seen(tmp_path):
    """A new document that defines the entry a stored one points to changes how the
    stored one reads: the addition must know (and build in full)."""
    before = settle(_read(tmp_path, [SOFTWARE, RULE]))
    (lst,) = _read(tmp_path, [LIST])
    after = settle([lst], before.rounds)
    assert not all(unchanged(p, after.rounds) for p in before.pointers.values())
