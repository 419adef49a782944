"""One instrument amending another, read from the parse in any voice (active, passive,
participle, nominalisation) and through anaphors ("the Regulations", "the act"), on
passages written for these tests."""

from __future__ import annotations

import pytest
from extracting import extract_text

ALERT = "# Client alert\n\n*Example & Partners LLP*\n\n"


def _amends(tmp_path, text: str, name: str = "doc.md") -> set[tuple[str, str]]:
    ex = extract_text(tmp_path, text, name)
    return {(r.subject, str(r.object)) for r in ex.relations if r.type == "amends"}


@pytest.mark.parametrize(
    "sentence",
    [
        # passive, the amended instrument first
        "Since April 2024 the Export Control Order 2008 has been amended by SI 2024/346.",
        # active, the amender the subject
        "SI 2024/346 amended the Export Control Order 2008 with effect from spring 2024.",
        # a nominalisation with its agent in a "by" phrase
        "Exporters noticed the amendment of the Export Control Order 2008 by SI 2024/346 at once.",
    ],
)
def test_either_voice_and_a_nominalisation_give_the_amender_and_the_amended(tmp_path, sentence):
    assert ("GB:SI-2024-346", "GB:SI-2008-3231") in _amends(tmp_path, ALERT + sentence + "\n")


def test_a_participle_qualifying_an_act_makes_it_the_amender(tmp_path):
    text = ALERT + "We reviewed Delegated Regulation (EU) 2025/2003 amending Regulation (EU) 2021/821 in November.\n"
    assert _amends(tmp_path, text) == {("EU:Delegated-Regulation-EU-2025-2003", "EU:Regulation-EU-2021-821")}


def test_anaphors_resolve_to_the_instruments_named_before_each_once(tmp_path):
    text = (
        ALERT + "The Union regime rests on Regulation (EU) 2021/821. Delegated Regulation (EU) 2025/2003 came "
        "much later, and the act replaced Annex I to the Regulation in full.\n"
    )
    assert _amends(tmp_path, text) == {("EU:Delegated-Regulation-EU-2025-2003", "EU:Regulation-EU-2021-821")}


def test_the_regulations_and_the_order_are_the_instruments_of_those_kinds(tmp_path):
    text = (
        ALERT + "The Export Control (Amendment) Regulations 2024 were laid in March, beside the Export Control "
        "Order 2008.\n\nIn short, the Regulations amend the Order by inserting new entries into Schedule 3.\n"
    )
    assert _amends(tmp_path, text) == {("GB:SI-2024-346", "GB:SI-2008-3231")}


@pytest.mark.parametrize(
    "sentence",
    [
        "SI 2024/346 did not amend the Export Control Order 2008 in the way some expected.",
        "Commentators asked whether the Export Control Order 2008 should be amended again.",
        "SI 2024/346 inserted three entries, and the Export Control Order 2008 kept its structure.",
    ],
)
def test_a_negation_one_instrument_or_no_amending_role_gives_no_amendment(tmp_path, sentence):
    assert not _amends(tmp_path, ALERT + sentence + "\n")


def test_an_amendment_an_alert_reports_is_a_claim(tmp_path):
    text = ALERT + "SI 2024/346 amends the Export Control Order 2008.\n"
    ex = extract_text(tmp_path, text)
    [rel] = [r for r in ex.relations if r.type == "amends"]
    assert rel.confidence < 0.5 and rel.rule.startswith("claim.")
