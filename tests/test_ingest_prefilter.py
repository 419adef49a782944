"""The cheap tests in front of extraction's costly patterns never hide a match: every
match of a gated pattern, on every sample document and on texts that spell its words
with the characters a case-insensitive pattern folds to ASCII, holds one of its words;
the hand-written prefilters pass every text the pattern matches in."""

from __future__ import annotations

import importlib
import pkgutil
import re
from functools import lru_cache

import pytest

import qharmony.ingest as ingest_package
from qharmony.ingest import jurisdictions, titles
from qharmony.ingest.authorities import _DEFINED, _DEFINED_TAIL
from qharmony.ingest.build import sample_corpus
from qharmony.ingest.parameters import vocabulary
from qharmony.ingest.prefilter import FOLDS_TO_ASCII, Gated, may_contain
from qharmony.ingest.thresholds import _cue_rx, _ratio_cues


@lru_cache(maxsize=1)
def _texts() -> tuple[str, ...]:
    texts = [p.read_text(encoding="utf-8") for p in sample_corpus()]
    # the sentences split apart too, since most patterns are searched sentence by sentence
    return (*texts, *(s for t in texts for s in re.split(r"(?<=[.;:])\s+|\n", t) if s.strip()))


def _gates() -> list[tuple[str, Gated]]:
    """Every Gated at module level in ingest/, and the threshold cues'."""
    found = []
    for info in pkgutil.walk_packages(ingest_package.__path__, "qharmony.ingest."):
        if ".sources" in info.name:
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, Gated):
                found.append((f"{info.name}.{name}", value))
            elif isinstance(value, list) and value and isinstance(value[0], tuple):
                found += [(f"{info.name}.{name}[{i}]", v[0]) for i, v in enumerate(value) if isinstance(v[0], Gated)]
    cues = {c for p in vocabulary().values() for c in p.cues}
    found += [(f"cue {c!r}", _cue_rx(c)) for c in sorted(cues)]
    return [*found, ("ratio cues", _ratio_cues())]


def test_the_gates_are_found():
    names = {n for n, _ in _gates()}
    assert {"qharmony.ingest.state.HEDGES", "qharmony.ingest.state.NEGATION", "qharmony.ingest.eccn._POINTER"} <= names


@pytest.mark.parametrize(("name", "gate"), _gates(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_match_holds_a_gate_word(name, gate):
    for text in _texts():
        for m in gate.regex.finditer(text):
            assert may_contain(m.group(0), gate.words), f"{name}: {m.group(0)!r} holds none of {gate.words}"


def test_folded_spellings_pass_the_gate():
    """re.I matches "ſ" to "s", "ı" and "İ" to "i" and the Kelvin sign to "k": a text holding
    one is searched whatever its words, and finds what the plain pattern finds."""
    for word, text in [("sold", "It was \u017fold"), ("in", "one \u0131n ten"), ("kind", "of any \u212aIND")]:
        gate = Gated(rf"\b{word}\b", re.I, (word,))
        assert gate.regex.search(text) is not None
        assert gate.search(text) is not None, text
    assert "\u212a" in FOLDS_TO_ASCII and all(not c.isascii() for c in FOLDS_TO_ASCII)  # the Kelvin sign, not K
    assert may_contain("LESS THAN 5 K", ("less",)) and not may_contain("paragraph 5 K", ("less",))
    hedges = Gated(r"\breportedly\b", re.I, ("reportedly",))
    assert hedges.search("It was REPORTEDLY sold") is not None and hedges.search("It was sold") is None
    assert hedges.sub("", "It was sold") == "It was sold" and list(hedges.finditer("It was sold")) == []


def test_gate_words_must_be_lower_case_ascii():
    with pytest.raises(ValueError):
        Gated(r"x", re.I, ("Less",))
    with pytest.raises(ValueError):
        Gated(r"x", re.I, ())


@pytest.mark.parametrize(
    ("pattern", "prefilter"),
    [
        (titles._NAMED_INSTRUMENT, titles._NAMED_END),
        (titles._PAIRED, titles._ANY_CITE),
        (_DEFINED, _DEFINED_TAIL),
        (jurisdictions._ARRANGEMENT, jurisdictions._ARRANGEMENT_WORD),
    ],
    ids=["named instruments", "paired titles", "defined terms", "arrangements"],
)
def test_hand_written_prefilters_pass_every_match(pattern, prefilter):
    extra = ["the Foreign Trade Decree 2025 applies", "Order No. 12/2024", "the Export Control Act (ECA) of 2018"]
    for text in (*_texts(), *extra):
        for m in pattern.finditer(text):
            assert prefilter.search(m.group(0)), f"{m.group(0)!r} fails the prefilter {prefilter.pattern!r}"


def test_arrangements_are_found_as_a_search_of_the_whole_text_finds_them():
    texts = [
        *_texts(),
        "5Wassenaar Arrangement; the Northern Quantum Accord\nTreaty, and The Such Pact Alliance Treaty",
        "x_Alpha Beta Accord and Gamma Delta\n  Treaty of Rome",
    ]
    for text in texts:
        found = [m.span() for m in jurisdictions._arrangement_matches(text)]
        assert found == [m.span() for m in jurisdictions._ARRANGEMENT.finditer(text)], text[:80]


def test_the_substring_prefilters_pass_every_match():
    """The substrings that stand in front of a pattern (an EU title block's union mark, a known
    body's name, a citation's own string, a question's mark) are in every match it finds."""
    from qharmony.ingest import citations
    from qharmony.ingest.genres import eu, national

    extra = [
        "COMMISSION DELEGATED REGULATION (EU, EURATOM) 2025/2003 of 7 November 2025",
        "Council Decision (Euratom) 2024/1",
        "S.I. 2008/3231 and SI 2024/346, SOR/2024-112, DORS/2024-112, 89 FR 72926, E.O. 14105",
    ]
    for text in (*_texts(), *extra):
        for m in eu._TITLE.finditer(text):
            assert may_contain(m.group(0), eu._TITLE_WORDS), m.group(0)
        for m in guidance_questions().finditer(text):
            assert "?" in m.group(0)
        for m in citations._ANY.finditer(text):
            assert any(s in m.group(0) for s in citations._ANY_STRINGS), m.group(0)
        for rx, strings in [
            (citations._FR, (" FR ",)),
            (citations._SOR, ("SOR/", "DORS/")),
            (citations._UKSI, ("SI", "S.I")),
            (citations._EU_ACT, citations._UNIONS),
            (citations._EO, ("Executive Order ", "E.O. ")),
        ]:
            for m in rx.finditer(text):
                assert any(s in m.group(0) + text[m.end() : m.end() + 1] for s in strings), m.group(0)
    from qharmony.ingest.genres.common import AUTHORITY_JURISDICTIONS

    for name in AUTHORITY_JURISDICTIONS:
        if name.isascii():
            heading = f"# {name.upper()}\n"
            assert re.search(r"^[ \t#*]*(" + re.escape(name) + r")\b", heading, re.I | re.M)
            assert may_contain(heading, (name.lower(),))
    assert national._authority("# BUREAU OF INDUSTRY AND SECURITY\n") is not None


def guidance_questions() -> re.Pattern:
    from qharmony.ingest.genres import guidance

    return guidance._QUESTION
