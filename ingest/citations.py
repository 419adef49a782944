"""Instruments a text cites in passing by a citation that says whose it is, in the forms and
languages official texts use: a Federal Register page (US), "SOR/2024-112" and its French
"DORS/2024-112" (CA), "SI 2024/346" or "S.I. 2008/3231" (GB, or the state whose SI series the
document belongs to), and EU acts in English, French, Spanish, German and Italian
("Regulation (EU) 2021/821", "Règlement délégué (UE) 2025/2003", "Reglamento (UE) 2021/821",
"Verordnung (EU) 2021/821", the older "(EC) No 428/2009"). Each is an Instrument mention with
the id of its English citation, wherever it is written and in any genre, so that a sentence
relating two instruments ("Annex I to Regulation (EU) 2021/821 was replaced by Delegated
Regulation (EU) 2025/2003") finds both, a French citation and an English one are one
instrument, and an anaphor ("the Regulation", "the Order") finds the one named last."""

from __future__ import annotations

import re
from dataclasses import dataclass

from qharmony.ontology.namespaces import slug

from .preamble import instrument_id
from .state import DocumentState

#: a word every such citation holds: most blocks cite none and are not scanned
_ANY = re.compile(r" FR |\((?:EU|UE|EC|CE|EG)\)|\bS\.?I\.? |\bD?ORS/")
_FR = re.compile(r"\b\d{2,3} FR \d{3,6}\b")
_SOR = re.compile(r"\b(?:SOR|DORS)/(?P<y>\d{4})-(?P<n>\d+)\b")
_UKSI = re.compile(r"\bS\.?I\.? (?P<y>\d{4})/(?P<n>\d+)\b")
#: the kind of an EU act in each language
_KINDS = {
    "regulation": "Regulation", "règlement": "Regulation", "reglamento": "Regulation", "verordnung": "Regulation",
    "regolamento": "Regulation", "directive": "Directive", "directiva": "Directive", "richtlinie": "Directive",
    "direttiva": "Directive", "decision": "Decision", "décision": "Decision", "decisión": "Decision",
    "beschluss": "Decision", "decisione": "Decision", "recommendation": "Recommendation",
    "recommandation": "Recommendation", "recomendación": "Recommendation", "empfehlung": "Recommendation",
    "raccomandazione": "Recommendation",
}  # fmt: skip
_DELEGATED = ("delegated", "délégué", "delegado", "delegierte", "delegato")
_IMPLEMENTING = ("implementing", "d'exécution", "de ejecución", "di esecuzione")
_EU_ACT = re.compile(
    r"\b(?P<pre>(?i:Delegated|Implementing|Delegierte) )?(?P<kind>(?i:" + "|".join(_KINDS) + r"))"
    r"(?P<post> (?i:délégué|delegado|delegato|d'exécution|de ejecución|di esecuzione))?"
    # "(EU) 2021/821" is year/number; the older "(EC) No 428/2009" number/year
    r" \((?P<union>EU|UE|EC|CE|EG)\) (?:(?:No|n°|nº|Nr\.) ?)?(?P<a>\d{1,4})/(?P<b>\d{1,4})\b"
)


@dataclass(frozen=True)
class Cited:
    """One citation in a text: its offsets, the instrument's id, and the words cited."""

    start: int
    end: int
    ident: str
    words: str


def si_series(st: DocumentState) -> str:
    """Whose SI numbers a document cites: a series of another state in the UK's drafting
    (a fictional one, "RURITANIAN STATUTORY INSTRUMENTS") cites its own; any other text the UK's."""
    return st.jurisdiction if getattr(st.profile, "genre", "") == "uk_si" and st.jurisdiction else "GB"


def cited_instruments(text: str, series: str = "GB") -> list[Cited]:
    """The citations of ``text`` in order, each with its owner's id."""
    if not _ANY.search(text):
        return []
    found = [Cited(m.start(), m.end(), instrument_id("US", m.group(0)), m.group(0)) for m in _FR.finditer(text)]
    found += [Cited(m.start(), m.end(), f"CA:SOR-{m['y']}-{m['n']}", m.group(0)) for m in _SOR.finditer(text)]
    found += [Cited(m.start(), m.end(), f"{series}:SI-{m['y']}-{m['n']}", m.group(0)) for m in _UKSI.finditer(text)]
    found += [Cited(m.start(), m.end(), _eu_id(m), m.group(0)) for m in _EU_ACT.finditer(text)]
    return sorted(found, key=lambda c: c.start)


def _eu_id(m: re.Match) -> str:
    kind = _KINDS[m.group("kind").lower()]
    words = f"{m.group('pre') or ''}{m.group('post') or ''}".lower()
    if any(w in words for w in _DELEGATED):
        kind = f"Delegated {kind}"
    elif any(w in words for w in _IMPLEMENTING):
        kind = f"Implementing {kind}"
    union = "EU" if m.group("union") in ("EU", "UE") else "EC"
    number = f"{'No ' if union == 'EC' else ''}{m.group('a')}/{m.group('b')}"
    return f"EU:{slug(f'{kind} ({union}) {number}')}"
