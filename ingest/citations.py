"""Instruments a text cites in passing by a citation that says whose it is: a Federal
Register page (US), an (EU) number, a UK SI number, a Canadian SOR. Each is an Instrument
mention wherever it is written, in any genre, so that a sentence relating two instruments
("Annex I to Regulation (EU) 2021/821 was replaced by Delegated Regulation (EU) 2025/2003")
finds both, and an anaphor ("the Regulation", "the Order") finds the one named last."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .genres.commentary import _CITED
from .preamble import instrument_id

#: a word every such citation holds: most blocks cite none and are not scanned
_ANY = re.compile(r" FR |\(EU\)|\bSI |SOR/")


@dataclass(frozen=True)
class Cited:
    """One citation in a text: its offsets, the instrument's id, and the words cited."""

    start: int
    end: int
    ident: str
    words: str


def cited_instruments(text: str) -> list[Cited]:
    """The citations of ``text`` in order, each with its owner's id."""
    if not _ANY.search(text):
        return []
    found = [
        Cited(m.start(), m.end(), instrument_id(code, m.group(0)), m.group(0))
        for rx, code in _CITED
        for m in rx.finditer(text)
    ]
    return sorted(found, key=lambda c: c.start)
