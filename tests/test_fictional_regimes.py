"""Acceptance: two regimes of states pycountry does not know, each in its own text and
genre (a Ruritanian ministry notice, a Bordurian regulation), built together through
the CLI; ``qharmony gaps`` finds the gaps their texts imply, as of two dates: as data
gaps while the graph holds only part of Borduria's law, and as coverage and
implementation gaps once a user declares its list complete."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from qharmony.server.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "fictional_regimes"
pytestmark = pytest.mark.slow


_DECLARATION = """@prefix qh: <https://w3id.org/qharmony/ontology#> .
@prefix id: <https://w3id.org/qharmony/id/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
id:coverage\\/XB\\/user a qh:CoverageStatement ; qh:coverageOf id:jurisdiction\\/XB ;
    qh:holdingAsOf "2024-01-01"^^xsd:date ; qh:completeHolding true ; qh:declaredBy "user" .
"""


def _build(path: str) -> str:
    result = CliRunner().invoke(main, ["build", "--store", path, str(FIXTURES)])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> str:
    """The two texts alone: the graph holds part of each state's law, so silence is
    no data."""
    return _build(str(tmp_path_factory.mktemp("fictional") / "store"))


@pytest.fixture(scope="module")
def declared(tmp_path_factory) -> str:
    """The same texts, and a user's declaration that the graph holds Borduria's whole
    list from 2024-01-01: now Borduria's silence is "not controlled"."""
    folder = tmp_path_factory.mktemp("declared")
    path = _build(str(folder / "store"))
    declaration = folder / "borduria-complete.ttl"
    declaration.write_text(_DECLARATION, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["load", "--store", path, str(declaration), "--graph", "https://example.org/user"]
    )
    assert result.exit_code == 0, result.output
    return path


def _report(store: str, as_of: str) -> dict:
    result = CliRunner().invoke(main, ["gaps", "XR", "XB", "--as-of", as_of, "--store", store, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _key(g: dict) -> tuple:
    return (g["kind"], g["a"], g["b"], g["technology"].rsplit("#", 1)[-1])


def _gaps(store: str, as_of: str) -> set[tuple]:
    return {_key(g) for g in _report(store, as_of)["gaps"]}


def _data_gaps(store: str, as_of: str) -> set[tuple]:
    return {_key(g)[1:] for g in _report(store, as_of)["data_gaps"]}


def test_the_states_get_user_assigned_codes_and_their_names(store):
    result = CliRunner().invoke(main, ["query", "jurisdictions", "--store", store, "--format", "json"])
    rows = json.loads(result.output)["results"]["bindings"]
    names = {r["code"]["value"]: (r["name"]["value"], int(r["entries"]["value"])) for r in rows}
    assert names["XR"] == ("Republic of Ruritania", 4)
    assert names["XB"] == ("Grand Duchy of Borduria", 2)
    # destinations and examples named in the texts own no entries
    assert all(entries == 0 for code, (_, entries) in names.items() if code not in ("XR", "XB"))


def test_without_a_complete_list_borduria_s_silence_is_a_data_gap_not_a_coverage_gap(store):
    gaps = _gaps(store, "2024-06-01")
    assert not {g for g in gaps if g[0] in ("coverage", "implementation")}
    assert ("reciprocity", "XR", "XB", "") in gaps
    data = _data_gaps(store, "2024-06-01")
    assert ("XR", "XB", "QuantumComputer") in data
    assert ("XR", "XB", "CryogenicCooling") in data
    assert ("XB", "Northern Quantum Accord", "QuantumComputer") in data


def test_before_borduria_acts_ruritania_alone_controls_and_borduria_owes_its_accord(declared):
    gaps = _gaps(declared, "2024-06-01")
    assert ("coverage", "XR", "XB", "QuantumComputer") in gaps
    assert ("coverage", "XR", "XB", "CryogenicCooling") in gaps
    # Borduria joined the Accord in 2021; the Accord's participants agreed both controls
    assert ("implementation", "XB", "Northern Quantum Accord", "QuantumComputer") in gaps
    assert ("reciprocity", "XR", "XB", "") in gaps
    assert not {g for g in gaps if g[0] in ("stringency", "timing")}


def test_once_both_are_in_force_they_differ_in_stringency_timing_and_cooling(declared):
    gaps = _gaps(declared, "2025-01-01")
    assert ("stringency", "XR", "XB", "QuantumComputer") in gaps
    assert ("timing", "XR", "XB", "QuantumComputer") in gaps
    assert ("coverage", "XR", "XB", "CryogenicCooling") in gaps
    assert ("implementation", "XB", "Northern Quantum Accord", "CryogenicCooling") in gaps
    assert ("implementation", "XB", "Northern Quantum Accord", "QuantumComputer") not in gaps
    assert ("reciprocity", "XR", "XB", "") in gaps
    assert ("coverage", "XR", "XB", "QuantumComputer") not in gaps
