"""One way to render: every page has a JSON twin, exports state their provenance,
errors have one shape, and a new page needs only a data function, a template and a
route. Runs on the small fictional world of ``fixtures/gap_world.ttl`` (no build)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Blueprint
from jinja2 import ChoiceLoader, DictLoader

from qharmony.ontology.files import ONTOLOGY_FILE, read_text
from qharmony.ontology.namespaces import ONTOLOGY_GRAPH, document_graph
from qharmony.queries.store import open_store
from qharmony.server.app import create_app
from qharmony.server.render import render

FIXTURE = Path(__file__).parent / "fixtures" / "gap_world.ttl"

#: every page of the explorer, as a browser would open it
PAGES = [
    "/",
    "/id/entry/XA/1",
    "/queries",
    "/queries/entries_controlling",
    "/search?q=examplia",
    "/validation",
    "/ontology",
    "/ontology/QuantumComputer",
    "/gaps",
    "/gaps?a=XA&b=XB&as_of=2025-01-01",
    "/matrix?as_of=2025-01-01&baseline=XA",
    "/transfer",
    "/transfer?technology=QuantumComputer&value=physical_qubits%3D60&from=XA&to=XB&as_of=2025-01-01",
    "/changes?from=2023-01-01&to=2025-12-31",
    "/determine",
    "/determine?j=XA&as_of=2025-01-01",
    "/coverage",
]
ANALYSES = [p for p in PAGES if p.startswith(("/gaps?", "/matrix", "/transfer?", "/changes", "/determine?"))]


@pytest.fixture(scope="module")
def world_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("renderworld") / "store"
    store = open_store(path)
    store.load(read_text(ONTOLOGY_FILE).encode("utf-8"), "ttl", ONTOLOGY_GRAPH)
    store.load(FIXTURE.read_bytes(), "ttl", document_graph("fixture"))
    store.close()
    return path


@pytest.fixture(scope="module")
def world_client(world_path):
    return create_app({"STORE": str(world_path)}).test_client()


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_a_json_twin(world_client, path):
    html = world_client.get(path)
    assert html.status_code == 200 and html.mimetype == "text/html", html.data[:300]
    assert html.headers["Vary"] == "Accept"
    sep = "&" if "?" in path else "?"
    by_param = world_client.get(path + sep + "format=json")
    by_accept = world_client.get(path, headers={"Accept": "application/json"})
    assert by_param.status_code == 200 and by_param.mimetype == "application/json"
    assert by_accept.get_json() == by_param.get_json() is not None


def test_json_suffix_twins(world_client):
    assert world_client.get("/index.json").get_json() == world_client.get("/?format=json").get_json()
    entity = world_client.get("/id/entry/XA/1.json").get_json()
    assert entity["iri"].endswith("/entry/XA/1") and entity["summary"]["code"] == "1"
    assert world_client.get("/ontology/QuantumComputer.json").get_json()["kind"] == "class"


@pytest.mark.parametrize("path", ANALYSES)
def test_analysis_exports_state_as_of_version_and_conformance(world_client, path):
    data = world_client.get(path + "&format=json").get_json()
    assert set(data["provenance"]) >= {"as_of", "graph_version", "shacl", "title"}
    text = world_client.get(path + "&format=csv").get_data(as_text=True)
    meta = dict(line[2:].split(": ", 1) for line in text.splitlines() if line.startswith("# "))
    assert meta["as_of"] == data["provenance"]["as_of"] and meta["shacl"] == data["provenance"]["shacl"]
    assert meta["graph_version"] == data["provenance"]["graph_version"]
    xlsx = world_client.get(path + "&format=xlsx")
    assert xlsx.mimetype.endswith("spreadsheetml.sheet") and "attachment" in xlsx.headers["Content-Disposition"]
    accept = world_client.get(path, headers={"Accept": "text/csv"})
    assert accept.get_data(as_text=True) == text


def test_query_results_as_csv_and_api_json(world_client):
    text = world_client.get("/queries/entries_controlling?format=csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["code"] for r in rows} >= {"1"}
    api = world_client.get("/api/queries/entries_controlling").get_json()
    assert len(api["results"]["bindings"]) == len(rows)


@pytest.mark.parametrize(
    "path,headers",
    [
        ("/api/queries/entries_controlling?jurisdiction=XXX", {}),
        ("/gaps?a=XA&b=XB&as_of=someday&format=json", {}),
        ("/gaps?a=XA&b=XB&as_of=someday", {"Accept": "application/json"}),
        ("/nothing/here.json", {}),
        ("/matrix?format=pdf", {}),
        ("/sparql?query=SELEC", {}),
    ],
)
def test_programs_get_one_error_shape(world_client, path, headers):
    resp = world_client.get(path, headers=headers)
    assert 400 <= resp.status_code < 500
    body = resp.get_json()
    assert set(body) == {"ok", "error", "status"} and body["ok"] is False and body["status"] == resp.status_code
    assert body["error"] and "Traceback" not in body["error"]


def test_people_get_an_error_page(world_client):
    resp = world_client.get("/gaps?a=XA&b=XB&as_of=someday")
    assert resp.status_code == 400 and resp.mimetype == "text/html"
    assert b"parameter &#39;as_of&#39;" in resp.data and b"Traceback" not in resp.data
    assert world_client.get("/matrix?format=pdf").get_json()["error"].startswith("parameter 'format' must be")


@dataclass
class Shelf:
    """A made-up page's data."""

    name: str
    books: list[str]


def test_a_new_page_needs_only_a_data_function_a_template_and_a_route(world_path):
    app = create_app({"STORE": str(world_path)})
    app.jinja_loader = ChoiceLoader(
        [DictLoader({"shelf.html": "<h1>{{ data.name }}</h1>{{ data.books|length }} books"}), app.jinja_loader]
    )
    bp = Blueprint("shelf", __name__)

    @bp.route("/shelf")
    @bp.route("/shelf.json")
    def shelf():
        return render(Shelf("fiction", ["a", "b"]), "shelf.html", title="Shelf")

    app.register_blueprint(bp)
    client = app.test_client()
    assert client.get("/shelf").get_data(as_text=True) == "<h1>fiction</h1>2 books"
    assert client.get("/shelf.json").get_json() == {"name": "fiction", "books": ["a", "b"]}
    assert client.get("/shelf", headers={"Accept": "application/json"}).get_json()["name"] == "fiction"
    assert client.get("/shelf?format=xlsx").status_code == 400
