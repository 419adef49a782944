"""Our entity ruler marks exactly what spaCy's EntityRuler marks with the same patterns
(it replaced it for speed), and the parser's queue gives the same relations whether it
waits for many documents or flushes after each."""

from __future__ import annotations

from qharmony.ingest.build import sample_corpus
from qharmony.ingest.extract import extract_documents
from qharmony.ingest.patterns import all_patterns
from qharmony.ingest.pipeline import UNUSED_COMPONENTS, _load_model, _split_unit_stops, load_pipeline
from qharmony.ingest.readers import read_source

TRICKY = [
    "US and U.S. exporters; us and usa in lower case; the EU and the European Union.",
    "Item 5506 and ITEM 1234 and item 12345; 4A906.a.1, 3A001.b.2 and PL9013.",
    "Canadian item 5506 matches ECCN 4A906 of the US list; chad is not Chad.",
    "",
    "4A906",
]


def _ents(nlp, texts):
    return [[(e.start, e.end, e.label_, e.ent_id_) for e in doc.ents] for doc in nlp.pipe(texts)]


def test_same_entities_as_spacys_entity_ruler():
    texts = [s.block_text(b) for s in map(read_source, sample_corpus()) for b in s.blocks] + TRICKY
    stock = _load_model(UNUSED_COMPONENTS)
    _split_unit_stops(stock)  # the same tokens ("0.1 K." ends a sentence): the rulers are compared
    stock.enable_pipe("senter")
    stock.add_pipe("entity_ruler", config={"overwrite_ents": True, "phrase_matcher_attr": "LOWER"}).add_patterns(
        all_patterns()
    )
    ours = load_pipeline()
    with ours.select_pipes(enable=["senter", "qharmony_entities"]):
        found = _ents(ours, texts)
    expected = _ents(stock, texts)
    assert found == expected
    assert any(e[2] == "CONTROL_CODE" for doc in found for e in doc)  # the test sees codes at all


def test_parsing_across_documents_gives_the_relations_of_one_at_a_time():
    sources = [read_source(p) for p in sample_corpus()]
    nlp = load_pipeline()
    batched = [sorted(map(repr, x.relations)) for x in extract_documents(sources, nlp)]
    # batch size 1 flushes the parser's queue after every document
    one_by_one = [sorted(map(repr, x.relations)) for x in extract_documents(sources, nlp, batch_size=1)]
    assert batched == one_by_one
    assert any(r for r in batched)
