"""Forms a person can fill: names or codes for jurisdictions and entities, the
transfer check's vocabulary with its units, and the form kept when a request fails."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def test_a_jurisdiction_by_name_gives_the_same_gaps_as_by_code(client):
    by_code = client.get("/gaps?a=US&b=JP&as_of=2025-01-01&format=json").get_json()
    by_name = client.get("/gaps?a=United+States&b=japan&as_of=2025-01-01&format=json").get_json()
    assert by_name["gaps"] == by_code["gaps"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("value=cooling_power%3D700", "has no unit; cooling_power takes W, mW or uW"),
        ("value=cooling%3D1+W", "unknown parameter 'cooling'"),
        ("colour=red", "unknown parameter 'colour'"),
    ],
)
def test_the_transfer_check_refuses_what_it_cannot_read_and_keeps_the_form(client, query, message):
    resp = client.get(f"/transfer?technology=CryogenicCooling&from=DE&to=SG&{query}")
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert message in html.replace("&#39;", "'")
    assert '<form class="params" method="get" action="/transfer">' in html
    assert 'value="DE"' in html and 'value="SG"' in html
    assert '<option value="CryogenicCooling" selected>' in html


def test_a_failed_gaps_request_keeps_its_form(client):
    resp = client.get("/gaps?a=US&b=Atlantis")
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert "no jurisdiction called" in html and 'action="/gaps"' in html and 'value="Atlantis"' in html


def test_named_query_parameters_take_codes_labels_and_prefixed_names(client):
    base = "/api/queries/controls?"
    by_iri = client.get(base + "jurisdiction=https://w3id.org/qharmony/id/jurisdiction/US").get_json()
    assert by_iri["results"]["bindings"]
    for given in ("US", "United States", "qhid:jurisdiction/US"):
        assert client.get(base + "jurisdiction=" + given).get_json() == by_iri, given
    bad = client.get("/queries/controls?jurisdiction=Atlantis")
    assert bad.status_code == 400
    html = bad.get_data(as_text=True)
    assert 'action="/queries/controls"' in html and 'value="Atlantis"' in html


def test_named_query_tables_show_labels_and_titled_columns(client):
    html = client.get("/queries/controls?jurisdiction=US").get_data(as_text=True)
    assert '<th scope="col">Instrument</th>' in html and '<th scope="col">Instrument label</th>' not in html
    assert ">United States</a>" in html
    assert 'list="p-jurisdiction-options"' in html and '<option value="US">United States (US)</option>' in html


def test_the_treaties_index_lists_every_arrangement_and_links_implementation(client):
    html = client.get("/treaties").get_data(as_text=True)
    assert "Wassenaar Arrangement" in html and "AUKUS" in html
    assert 'href="/treaties/wassenaar-arrangement"' in html
    data = client.get("/treaties.json").get_json()
    wassenaar = next(t for t in data["treaties"] if t["slug"] == "wassenaar-arrangement")
    assert "US" in wassenaar["parties"] and wassenaar["agreed"]


def test_threshold_rows_read_in_legal_notation_and_csv_keeps_machine_values(client):
    html = client.get("/queries/thresholds?technology=quantum+computer").get_data(as_text=True)
    assert '<th scope="col">Threshold</th>' in html and "<td>C-NOT error ≤ 1 × 10⁻⁴</td>" in html
    csv = client.get("/queries/thresholds?technology=quantum+computer&format=csv").get_data(as_text=True)
    assert "Threshold" not in csv and "cnot_error" in csv
