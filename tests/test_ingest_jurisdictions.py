from __future__ import annotations


def test_formal_matches_are_read_line_by_line_as_in_the_whole_text():
    """``discover`` searches only the lines holding " of ": the same matches as the
    whole text gives, in the same order."""
    from qharmony.ingest.build import sample_corpus
    from qharmony.ingest.jurisdictions import _FORMAL, _FORMAL_CAPS, _formal_matches

    texts = [p.read_text(encoding="utf-8") for p in sample_corpus()]
    texts.append(
        "The Republic of Ruritania\nKINGDOM OF FREEDONIA and the\nRepublic of Osterland-Vale.\nState of\nNowhere"
    )
    for text in texts:
        whole = [m.group() for rx in (_FORMAL, _FORMAL_CAPS) for m in rx.finditer(text)]
        assert [m.group() for m in _formal_matches(text)] == whole
    assert [m.group("name") for m in _formal_matches(texts[-1])] == ["Ruritania", "Osterland-Vale", "FREEDONIA"]


def test_federated_states_and_united_provinces_are_formal_names_of_a_state():
    """A federation's formal name ("the Federated States of Norwind", "the United Provinces
    of Talvar") names a state like "the Republic of ..." does; one pycountry knows
    (Micronesia) is left to pycountry."""
    from qharmony.ingest.jurisdictions import formal_names

    text = (
        "Exports from the Federated States of Norwind need a permit.\n"
        "THE UNITED PROVINCES OF TALVAR\n"
        "Japan and the Federated States of Micronesia are destinations."
    )
    assert formal_names(text) == [
        ("Norwind", "Federated States of Norwind"),
        ("Talvar", "United Provinces of Talvar"),
    ]
