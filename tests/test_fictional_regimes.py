"""Acceptance: two regimes of states pycountry does not know, each in its own text and
genre (a Ruritanian ministry notice, a Bordurian regulation), built together through
the CLI; ``qharmony gaps`` finds the gaps their texts imply, as of two dates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from qharmony.server.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "fictional_regimes"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("fictional") / "store")
    result = CliRunner().invoke(main, ["build", "--store", path, str(FIXTURES)])
    assert result.exit_code == 0, result.output
    return path


def _gaps(store: str, as_of: str) -> set[tuple]:
    result = CliRunner().invoke(main, ["gaps", "XR", "XB", "--as-of", as_of, "--store", store, "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    return {(g["kind"], g["a"], g["b"], g["technology"].rsplit("#", 1)[-1]) for g in report["gaps"]}


def test_the_states_get_user_assigned_codes_and_their_names(store):
    result = CliRunner().invoke(main, ["query", "jurisdictions", "--store", store, "--format", "json"])
    rows = json.loads(result.output)["results"]["bindings"]
    names = {r["code"]["value"]: (r["name"]["value"], int(r["entries"]["value"])) for r in rows}
    assert names["XR"] == ("Republic of Ruritania", 4)
    assert names["XB"] == ("Grand Duchy of Borduria", 2)
    # destinations and examples named in the texts own no entries
    assert all(entries == 0 for code, (_, entries) in names.items() if code not in ("XR", "XB"))


def test_before_borduria_acts_ruritania_alone_controls_and_borduria_owes_its_accord(store):
    gaps = _gaps(store, "2024-06-01")
    assert ("coverage", "XR", "XB", "QuantumComputer") in gaps
    assert ("coverage", "XR", "XB", "CryogenicCooling") in gaps
    # Borduria joined the Accord in 2021; the Accord's participants agreed both controls
    assert ("implementation", "XB", "Northern Quantum Accord", "QuantumComputer") in gaps
    assert ("reciprocity", "XR", "XB", "") in gaps
    assert not {g for g in gaps if g[0] in ("stringency", "timing")}


def test_once_both_are_in_force_they_differ_in_stringency_timing_and_cooling(store):
    gaps = _gaps(store, "2025-01-01")
    assert ("stringency", "XR", "XB", "QuantumComputer") in gaps
    assert ("timing", "XR", "XB", "QuantumComputer") in gaps
    assert ("coverage", "XR", "XB", "CryogenicCooling") in gaps
    assert ("implementation", "XB", "Northern Quantum Accord", "CryogenicCooling") in gaps
    assert ("implementation", "XB", "Northern Quantum Accord", "QuantumComputer") not in gaps
    assert ("reciprocity", "XR", "XB", "") in gaps
    assert ("coverage", "XR", "XB", "QuantumComputer") not in gaps
