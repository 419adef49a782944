"""The gold passages of bench/gold read as the scorer reads them: every mention is in
its passage, every threshold normalises, and passages of real text are skipped with a
reason when ../shared is not there (they are never copied into the project)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import gold_set  # noqa: E402


@pytest.mark.parametrize("name", gold_set.SETS)
def test_every_passage_reads_with_spans_at_its_mentions(name):
    passages = gold_set.load_set(name)
    assert len(passages) >= 15
    for p in passages:
        if p.skipped:
            continue
        for e in p.entities:
            if e.span:
                assert 0 <= e.span[0] < e.span[1] <= len(p.text), (p.id, e)


def test_real_text_is_skipped_with_a_reason_without_shared(tmp_path):
    passages = gold_set.load_set("dev", corpus=tmp_path)
    referenced = [p for p in passages if p.source]
    assert referenced and all("absent" in p.skipped for p in referenced)
    assert all(not p.skipped for p in passages if not p.source)


def test_a_mention_missing_from_its_text_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.gold"
    lines = ["id: x", "genre: summary", "--- text", "Nothing here.", "--- annotations", "E Technology t | qubits"]
    bad.write_text("\n".join(lines) + "\n")
    with pytest.raises(gold_set.GoldError, match=r"bad\.gold:6: mention 'qubits'"):
        gold_set.read_passage(bad, "dev")


def test_thresholds_compare_on_normalised_values():
    assert gold_set.normalise_threshold("cnot_error <= 1e-4 ratio") == gold_set.threshold_key(
        "cnot_error", "<=", 0.0001, "ratio"
    )
