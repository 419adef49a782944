"""Relations read from syntax: each rule on several phrasings written for these tests
(active and passive, coordination, apposition, negation and exceptions), and the
jurisdictions beyond ISO 3166 they link."""

from __future__ import annotations

import pytest

from qharmony.ingest.extract import extract_documents
from qharmony.ingest.jurisdictions import (
    JurisdictionsFileError,
    assign_code,
    discover,
    load_jurisdictions,
)
from qharmony.ingest.pipeline import load_pipeline
from qharmony.ingest.readers import read_source

NOTICE_HEAD = (
    "# Notice No. 1/2031 (fictional)\n\nThe Trade Ministry of the Republic of Ruritania issues this notice.\n\n"
)


def _rels(tmp_path, body: str, kind: str, head: str = NOTICE_HEAD) -> set[tuple]:
    path = tmp_path / "doc.md"
    path.write_text(head + body, encoding="utf-8")
    [ex] = list(extract_documents([read_source(path)], load_pipeline()))
    return {(r.subject, str(r.object)) for r in ex.relations if r.type == kind and r.confidence >= 0.5}


@pytest.mark.parametrize(
    "sentence",
    [
        "Ruritania has taken part in the Wassenaar Arrangement since 2019.",
        "Ruritania and Norway are participating states of the Wassenaar Arrangement.",
        "Since 2019 Ruritania has been a party to the Wassenaar Arrangement.",
        "Ruritania joined the Wassenaar Arrangement in 2019.",
        "Ruritania became a member of the Wassenaar Arrangement.",
        "The Wassenaar Arrangement participants, Ruritania and Norway, met in Vienna.",
        "The participants in the Wassenaar Arrangement, Norway and Ruritania, agreed nothing new.",
        "In 1996 Norway and Ruritania founded the Wassenaar Arrangement.",
    ],
)
def test_party_to_in_many_phrasings(tmp_path, sentence):
    assert ("XR", "wassenaar-arrangement") in _rels(tmp_path, sentence + "\n", "party_to")


@pytest.mark.parametrize(
    "sentence",
    [
        "Ruritania has never taken part in the Wassenaar Arrangement.",
        "Ruritania is not a party to the Wassenaar Arrangement.",
        "The Wassenaar Arrangement was discussed in the Ruritanian press.",
    ],
)
def test_no_party_to_when_negated_or_merely_mentioned(tmp_path, sentence):
    assert not _rels(tmp_path, sentence + "\n", "party_to")


def test_a_dated_accession_gives_the_membership_date(tmp_path):
    rels = _rels(tmp_path, "Ruritania acceded to the Wassenaar Arrangement on 3 May 2020.\n", "party_since")
    assert rels == {("XR", str({"arrangement": "wassenaar-arrangement", "since": "2020-05-03"}))}


@pytest.mark.parametrize(
    ("sentence", "eligible"),
    [
        (
            "Goods in items 2 and 3 may leave under General Licence GL-5 for the countries of Schedule B, "
            "that is Chile, Iceland and Norway, and for Japan.",
            {"CL", "IS", "NO", "JP"},
        ),
        ("General Licence GL-7 authorises exports to Canada, Mexico or Brazil.", {"CA", "MX", "BR"}),
        ("Exports to all destinations other than Iran may be made under General Licence GL-2.", set()),
        ("Under General Licence GL-3, items may be shipped to Japan, but not to China.", {"JP"}),
    ],
)
def test_licence_destinations_through_coordination_with_exceptions_scoped_out(tmp_path, sentence, eligible):
    found = {o for _, o in _rels(tmp_path, sentence + "\n", "eligible_destination")}
    assert found == eligible


def test_agreed_controls_of_an_arrangement_the_text_discovers(tmp_path):
    body = (
        "The participants in the Baltic Photonics Accord agreed to control quantum computers "
        "and cryogenic cooling systems.\n"
    )
    rels = _rels(tmp_path, body, "agreed_control")
    assert rels == {("baltic-photonics-accord", "quantum_computer"), ("baltic-photonics-accord", "cryogenic_cooling")}


@pytest.mark.parametrize(
    "sentence",
    [
        "This item matches ECCN 3A904 of the US list.",
        "The entry corresponds to US ECCN 3A904.",
        "It mirrors ECCN 3A904.",
    ],
)
def test_correspondence_to_another_list(tmp_path, sentence):
    body = f"## Entry 3A990 Cryogenic cooling systems\n\n{sentence}\n"
    assert ("XR:3A990", "US:3A904") in _rels(tmp_path, body, "corresponds_to")


def test_repeal_of_an_earlier_notice(tmp_path):
    rels = _rels(tmp_path, "Notice No. 7/2029 is hereby repealed.\n", "repeals")
    assert rels == {("XR:Notice-No.-1-2031", "XR:Notice-No.-7-2029")}


def test_codes_are_user_assigned_deterministic_and_skip_kosovo():
    assert assign_code("Ruritania", set()) == "XR"
    assert assign_code("Ruritania", {"XR"}) == "XU"
    assert assign_code("Kent", set()) == "XE"  # XK is Kosovo's in practice
    first = {j.name: j.code for j in discover(["the Republic of Ruritania and the Kingdom of Rhodonia"])}
    again = {j.name: j.code for j in discover(["the Kingdom of Rhodonia, the Republic of Ruritania"])}
    assert first == again == {"Kingdom of Rhodonia": "XR", "Republic of Ruritania": "XU"}


def test_discovery_leaves_states_pycountry_knows():
    text = "the Commonwealth of Australia, the Federal Republic of Germany, the State of Emergency Act"
    assert discover([text]) == []


def test_jurisdictions_file_csv_and_toml(tmp_path):
    csv = tmp_path / "j.csv"
    csv.write_text("code,name,aliases,memberships\nQR,Republic of Ruritania,Ruritania;Ruritanian,EU\n")
    toml = tmp_path / "j.toml"
    toml.write_text('[[jurisdiction]]\ncode = "QR"\nname = "Republic of Ruritania"\naliases = ["Ruritania"]\n')
    [a] = load_jurisdictions(csv)
    [b] = load_jurisdictions(toml)
    assert (a.code, a.name, a.aliases, a.memberships) == (
        "QR",
        "Republic of Ruritania",
        ["Ruritania", "Ruritanian"],
        ["EU"],
    )
    assert (b.code, b.aliases) == ("QR", ["Ruritania"])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("code,name\nXRR,Bad\n", "line 2: code 'XRR'"),
        ("name\nRuritania\n", "line 1: missing column(s) code"),
        ("code,name\nQR,One\nQR,Two\n", "line 3: code QR already given at line 2"),
    ],
)
def test_a_bad_jurisdictions_file_names_the_line(tmp_path, content, message):
    path = tmp_path / "j.csv"
    path.write_text(content)
    with pytest.raises(JurisdictionsFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_jurisdictions(path)


def test_a_user_code_wins_over_a_derived_one(tmp_path):
    path = tmp_path / "notice.md"
    path.write_text(NOTICE_HEAD + "Ruritania has taken part in the Wassenaar Arrangement since 2019.\n")
    [user] = load_jurisdictions_from(tmp_path)
    [ex] = list(extract_documents([read_source(path)], load_pipeline(), jurisdictions=[user]))
    assert {r.subject for r in ex.relations if r.type == "party_to"} == {"QR"}


def load_jurisdictions_from(folder):
    path = folder / "j.csv"
    path.write_text("code,name,aliases\nQR,Republic of Ruritania,Ruritania\n")
    return load_jurisdictions(path)


@pytest.mark.parametrize(
    "sentence",
    [
        "The notice does not control cryogenic CMOS circuits.",
        "This notice does not add controls on cryogenic CMOS circuits.",
        "This regulation does not concern cryogenic CMOS circuits.",
    ],
)
def test_a_negation_about_the_document_is_recorded_on_the_instrument(tmp_path, sentence):
    assert _rels(tmp_path, sentence + "\n", "not_controlled") == {("XR:Notice-No.-1-2031", "cryo_cmos")}


def test_a_negation_scopes_only_the_technology_it_governs(tmp_path):
    body = "This notice controls quantum computers but it does not control cryogenic CMOS circuits.\n"
    assert _rels(tmp_path, body, "not_controlled") == {("XR:Notice-No.-1-2031", "cryo_cmos")}


@pytest.mark.parametrize(
    "sentence",
    [
        "The American entry for quantum computers, ECCN 4A906, is broad.",
        "Observers cite ECCN 4A906, the entry for quantum computers.",
    ],
)
def test_an_entry_named_in_apposition_controls_what_its_for_phrase_names(tmp_path, sentence):
    rels = _rels(tmp_path, sentence + "\n", "controls")
    assert ("US:4A906", "quantum_computer") in rels
    # in a text that is no instrument of any genre, the same words are a claim
    assert ("US:4A906", "quantum_computer") not in _rels(tmp_path, sentence + "\n", "controls", head="# Notes\n\n")


def test_same_as_makes_a_correspondence_between_two_lists(tmp_path):
    body = "ECCN 4A906 uses the same qubit bands as the British PL9014.\n"
    assert ("US:4A906", "GB:PL9014") in _rels(tmp_path, body, "corresponds_to")


def test_extract_honours_a_jurisdictions_file_and_names_a_bad_one(tmp_path):
    from click.testing import CliRunner

    from qharmony.server.cli import main

    notice = tmp_path / "notice.md"
    notice.write_text(NOTICE_HEAD + "Ruritania has taken part in the Wassenaar Arrangement since 2019.\n")
    good = tmp_path / "j.toml"
    good.write_text('[[jurisdiction]]\ncode = "QR"\nname = "Republic of Ruritania"\naliases = ["Ruritania"]\n')
    result = CliRunner().invoke(main, ["extract", "--jurisdictions", str(good), str(notice)])
    assert result.exit_code == 0
    assert '"subject": "QR"' in result.output and '"subject": "XR"' not in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name\nruritania,Republic of Ruritania\n")
    result = CliRunner().invoke(main, ["extract", "--jurisdictions", str(bad), str(notice)])
    assert result.exit_code == 1
    assert "bad.csv: line 2: code 'ruritania'" in result.output
    assert "Traceback" not in result.output


def test_a_repeal_is_dated_by_the_words_after_its_verb(tmp_path):
    from extracting import extract_text

    text = (
        "MINISTRY OF TRADE OF THE REPUBLIC OF CALVANA (a fictional state, for testing)\n"
        "Notice No. 8/2027 to exporters\n\n"
        "1. This Notice is issued by the Ministry of Trade of the Republic of Calvana.\n\n"
        "2. Notice No. 3/2025 is repealed with effect from 1 June 2027.\n\n"
        "3. This Notice applies from 1 May 2027 and supersedes Notice No. 5/2026.\n"
    )
    ex = extract_text(tmp_path, text, "notice.txt")
    repealed = {(r.subject.split(":")[1], str(r.object)) for r in ex.relations if r.type == "repealed_on"}
    assert repealed == {("Notice-No.-3-2025", "2027-06-01")}


def test_destinations_inside_the_subject_exports_to_are_eligible(tmp_path):
    """ "Exports to ..., namely X, Y and Z, may be made under GL-7": the states after "to" in
    the subject are destinations, not actors."""
    from extracting import extract_text

    text = (
        "MINISTRY OF TRADE OF THE REPUBLIC OF CALVANA (a fictional state, for testing)\n"
        "Notice No. 9/2027 to exporters\n\n"
        "1. This Notice is issued by the Ministry of Trade of the Republic of Calvana.\n\n"
        "2. Exports to the countries listed in Annex 3, namely Chile, Peru and Uruguay, may be made under "
        "General Licence GL-7.\n"
    )
    ex = extract_text(tmp_path, text, "notice.txt")
    assert {str(r.object) for r in ex.relations if r.type == "eligible_destination"} == {"CL", "PE", "UY"}


def test_a_licence_for_a_group_serves_the_states_another_sentence_lists_in_it(tmp_path):
    from extracting import extract_text

    text = (
        "MINISTRY OF TRADE OF THE REPUBLIC OF CALVANA (a fictional state, for testing)\n"
        "Notice No. 10/2027 to exporters\n\n"
        "1. This Notice is issued by the Ministry of Trade of the Republic of Calvana.\n\n"
        "2. General Licence GL-9 is granted for exports of the listed items to countries in Annex C.\n\n"
        "3. Annex C, for the purposes of this Notice, consists of Portugal, Malta and Cyprus.\n"
    )
    ex = extract_text(tmp_path, text, "notice.txt")
    assert {str(r.object) for r in ex.relations if r.type == "eligible_destination"} == {"PT", "MT", "CY"}
