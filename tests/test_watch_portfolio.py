"""The portfolio check on a fixture portfolio with known answers, from the sample
graph's own thresholds: US 4A906.a.1 catches 34 to 99 qubits at a C-NOT error of 1e-4
or less; the graph holds no Japanese control on cryogenic cooling before 2025."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from qharmony.queries.analysis.portfolio import check_portfolio, read_items

ITEMS = Path(__file__).parent / "data" / "portfolio.csv"


@pytest.fixture(scope="module")
def report(store):
    items = read_items(ITEMS.read_text(), store, "portfolio.csv")
    return check_portfolio(store, items, date(2025, 1, 1), ["US", "JP"], since=date(2024, 9, 1))


def _answer(report, item, code):
    return next(r for r in report.results if r.item == item and r.jurisdiction == code)


@pytest.mark.slow
def test_known_answers(report):
    qc50 = _answer(report, "QC-50 prototype", "US")
    assert qc50.status == "controlled" and [m["code"] for m in qc50.meets] == ["4A906.a.1"]
    assert any(c["entry"] == "4A906.a.1" and c["change"] == "came into force" for c in qc50.changes)
    qc20 = _answer(report, "QC-20 teaching machine", "US")
    assert qc20.status == "not_controlled" and qc20.meets == []
    fridge_jp = _answer(report, "Fridge 700", "JP")
    assert fridge_jp.status == "no_data" and fridge_jp.changes == []
    # JP names its quantum computer entry without thresholds: never a bare yes or no
    assert _answer(report, "QC-50 prototype", "JP").status == "uncertain"
    assert len(report.results) == 6


@pytest.mark.slow
def test_bad_lines_are_named(store):
    with pytest.raises(ValueError, match=r"mine.csv, line 2: .*'cooling_power' needs a unit"):
        read_items("name,technology,cooling_power\nfridge,cryogenic_cooling,700\n", store, "mine.csv")
    with pytest.raises(ValueError, match=r"mine.csv, line 3: unknown technology 'warp'"):
        read_items("name,technology\na,quantum_computer\nb,warp\n", store, "mine.csv")


@pytest.mark.slow
def test_portfolio_page_never_writes_the_graph(client, store):
    before = store.count()
    response = client.post(
        "/portfolio?format=json",
        data={"items": (io.BytesIO(ITEMS.read_bytes()), "p.csv"), "as_of": "2025-01-01", "jurisdictions": "US"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert {r["item"] for r in response.get_json()["results"]} == {
        "QC-50 prototype",
        "QC-20 teaching machine",
        "Fridge 700",
    }
    assert store.count() == before
    assert client.post("/portfolio", data={}).status_code == 400
