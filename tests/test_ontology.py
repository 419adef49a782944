"""The ontology itself: HermiT finds it consistent, and reasoning degrades without Java.
Every SHACL shape's examples are in test_ontology_shapes.py."""

from __future__ import annotations

import shutil

import pytest

from qharmony.ontology.reason import check_ontology


@pytest.mark.skipif(shutil.which("java") is None, reason="no Java runtime for HermiT")
def test_hermit_finds_the_ontology_consistent():
    report = check_ontology()
    assert report.ran and report.consistent and report.unsatisfiable == []


def test_reasoning_degrades_without_java():
    report = check_ontology(java="/nonexistent/java")
    assert not report.ran and report.ok and "could not" in report.message
