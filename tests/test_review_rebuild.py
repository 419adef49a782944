"""Build, review, rebuild: a correction made through the CLI survives a full
rebuild, is shown as reviewed and is in the export and the audit graph; a decision
whose fact is gone is reported as orphaned; decisions move between installations."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from qharmony.ingest.build import sample_corpus
from qharmony.ontology.namespaces import QH
from qharmony.queries.review import stored_decisions
from qharmony.queries.store import open_store
from qharmony.server.cli import main

pytestmark = pytest.mark.slow

THRESHOLD_EVIDENCE = """
PREFIX qh: <https://w3id.org/qharmony/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?fp ?doc WHERE { ?e a qh:Evidence ; rdf:predicate ?p ; qh:fingerprint ?fp ; qh:sourceDocument ?doc }
"""


def _run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _fingerprint(store: Path, predicate: str, document: str) -> str:
    s = open_store(store, read_only=True)
    rows = [
        r["fp"].value
        for r in s.select(THRESHOLD_EVIDENCE.replace("?p", f"<{predicate}>")).rows
        if r["doc"].value.endswith(document)
    ]
    s.close()
    assert rows, f"no {predicate} evidence from {document}"
    return rows[0]


def _thresholds(store: Path) -> set[tuple[str, str, float]]:
    s = open_store(store, read_only=True)
    rows = s.select(
        "PREFIX qh: <https://w3id.org/qharmony/ontology#> SELECT ?e ?op ?v WHERE { GRAPH ?g { ?e qh:hasThreshold ?t } "
        "GRAPH ?g { ?t qh:comparator ?op ; qh:value ?v } "
        "FILTER(STRSTARTS(STR(?g), 'https://w3id.org/qharmony/graph/doc/')) }"
    ).rows
    s.close()
    return {(r["e"].value.rsplit("/", 1)[-1], r["op"].value, float(r["v"].value)) for r in rows}


def test_a_correction_survives_a_rebuild_and_a_lost_fact_is_orphaned(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    by_name = {p.stem: p for p in sample_corpus()}
    for name in ("uk-export-control-amendment-2024", "jp-meti-quantum-2024"):
        shutil.copy(by_name[name], docs / f"{name}.md")
    store = tmp_path / "store"
    _run("build", str(docs), "--store", str(store))
    assert ("PL9014.a", ">=", 34.0) in _thresholds(store)

    fp = _fingerprint(store, QH + "hasThreshold", "uk-export-control-amendment-2024")
    _run("review", "correct", fp, "--value", "36", "--op", ">", "--reason", "the text says more than 36", "--store",
         str(store), "--reviewer", "ana")  # fmt: skip
    gone = _fingerprint(store, QH + "effectiveMonth", "jp-meti-quantum-2024")
    _run("review", "reject", gone, "--reason", "wrong month", "--store", str(store), "--reviewer", "ben")
    (docs / "jp-meti-quantum-2024.md").unlink()

    out = _run("build", "--replace", str(docs), "--store", str(store))  # the JP text is dropped on purpose
    assert "1 decisions applied, 1 orphaned" in out
    got = _thresholds(store)
    assert ("PL9014.a", ">", 36.0) in got and ("PL9014.a", ">=", 34.0) not in got

    # listed as orphaned, never dropped; the correction is applied and says what it replaced
    listing = json.loads(_run("review", "list", "--decisions", "--json", "--store", str(store)))
    status = {d["fingerprint"]: d["status"] for d in listing}
    assert status == {fp: "applied", gone: "orphaned"}
    s = open_store(store, read_only=True)
    audit = s.dump("nq").decode()
    s.close()
    assert (
        '"{\\"op\\": \\">=\\", \\"parameter\\": \\"physical_qubits\\", \\"unit\\": \\"count\\", \\"value\\": 34.0}"'
        in audit
    )
    assert "https://w3id.org/qharmony/id/reviewer/ana" in audit

    # the export has the corrected threshold and the audit graph
    trig = _run("export", "--format", "trig", "--store", str(store))
    assert "graph/review" in trig and "reviewDecision" in trig

    # and a third build still applies it (decisions read back from the store's audit graph)
    _run("build", str(docs), "--store", str(store))
    assert ("PL9014.a", ">", 36.0) in _thresholds(store)


def test_decisions_move_between_installations(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    source = next(p for p in sample_corpus() if p.stem == "uk-export-control-amendment-2024")
    shutil.copy(source, docs / source.name)
    first = tmp_path / "a"
    _run("build", str(docs), "--store", str(first))
    fp = _fingerprint(first, QH + "hasThreshold", source.stem)
    _run("review", "reject", fp, "--reason", "not a threshold", "--store", str(first), "--reviewer", "ana")
    for fmt in ("json", "trig"):
        exported = tmp_path / f"decisions.{fmt}"
        _run("review", "export", "--format", fmt, "-o", str(exported), "--store", str(first))
        target = tmp_path / f"store-{fmt}"
        _run("review", "import", str(exported), "--store", str(target))
        _run("build", str(docs), "--store", str(target))
        assert not any(e == "PL9014.a" for e, _, _ in _thresholds(target))
        decisions = stored_decisions(open_store(target, read_only=True))
        assert [(d.fingerprint, d.action, d.reviewer) for d in decisions] == [(fp, "reject", "ana")]
