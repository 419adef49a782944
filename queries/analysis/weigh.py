"""One entry weighed on a date: its state under the one in-force rule (in force,
uncertain, not yet, ended, unknown), its flags and the weakest confidence of its
evidence. A determination is made of these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..dates import ADOPTION, ATTESTED, ENDED, IN_FORCE, MONTH_ONLY, NOT_YET, PROPOSED, in_force_of_row
from ..results import Term

#: flags an answer carries, in the words pages and exports print
CODE_NOT_VERIFIED = "code not verified"
MONTH_PRECISION = "date known only to the month"
ADOPTION_STANDS_IN = "adoption date standing in for entry into force"
HEDGED = "hedged wording"
DATE_UNKNOWN = "in-force date unknown"
MAY_BE_SUPERSEDED = "national entry may be superseded by a union entry"


def confidence_level(value: float | None) -> str:
    """A word for a confidence, so unverified and likely facts look different."""
    if value is None:
        return "asserted"  # loaded by a user without evidence records
    return "high" if value >= 0.85 else "medium" if value >= 0.6 else "low"


@dataclass
class Basis:
    """One entry (or statement) weighed by a determination, with its own state."""

    entry: str
    code: str
    label: str
    jurisdiction: str  # whose law the entry is (EU for a union entry applied in DE)
    instrument: str
    instrument_label: str
    official_url: str
    state: (
        str  # "in force", "uncertain", "not yet in force", "no longer in force", "unknown", "excludes", "no equivalent"
    )
    since: str
    stated: str
    basis: str
    flags: list[str]
    confidence: float | None
    parent: str = ""
    controlled: str = ""  # the technology class the entry names (T or a broader one)

    def to_json(self) -> dict:
        return dict(self.__dict__)

    @property
    def cite(self) -> str:
        return self.code or self.label


#: what an unbound optional column reads as
_UNBOUND = Term("literal", "")


def _text(row: dict, key: str) -> str:
    return row[key].value if key in row else ""


def weigh_entry(row: dict, as_of: date) -> Basis:
    """An entry's state on ``as_of`` under the one in-force rule, with its flags.

    Definite: in force from a day-precise date, a month wholly past, or a consolidated
    text, on unhedged evidence. Uncertain: in force only by an adoption date, or on
    hedged evidence only, or undated, or starting in the very month asked about.
    """
    status = in_force_of_row(row, as_of)
    get = row.get  # it runs per entry row: optional columns read with a default term
    flags: list[str] = []
    if get("codeVerified", _UNBOUND).value == "false":
        flags.append(CODE_NOT_VERIFIED)
    basis = status.basis
    if basis == MONTH_ONLY:
        flags.append(MONTH_PRECISION)
    elif basis == ADOPTION:
        flags.append(ADOPTION_STANDS_IN)
    elif basis in ("", ATTESTED):
        flags.append(DATE_UNKNOWN)
    best = get("confidence")
    best = None if best is None else float(best.value)
    weakest = get("weakest")
    weakest = best if weakest is None else float(weakest.value)
    unhedged = get("unhedged")
    hedged = best is not None and not (unhedged is not None and float(unhedged.value))
    hedged_count = get("hedgedCount")
    if hedged_count is not None and int(hedged_count.value) > 0:
        flags.append(HEDGED)
    if status.state == IN_FORCE:
        state = "uncertain" if (basis == ADOPTION or hedged) else "in force"
    elif status.state == NOT_YET and status.inside_stated_month:
        state = "uncertain"  # the month has begun; the day is not known
    elif status.state in (NOT_YET, ENDED, PROPOSED):
        state = status.state
    else:
        state = "unknown"
    entry = row["entry"].value
    return Basis(
        entry,
        get("notation", _UNBOUND).value,
        get("entryLabel", _UNBOUND).value or entry.rsplit("/", 1)[-1],
        get("instrumentCode", _UNBOUND).value or get("code", _UNBOUND).value,
        row["instrument"].value,
        get("instrumentLabel", _UNBOUND).value,
        get("officialUrl", _UNBOUND).value,
        state,
        status.since,
        status.stated,
        basis,
        flags,
        weakest,
        get("parent", _UNBOUND).value,
        get("controlled", _UNBOUND).value,
    )


def statement_basis(row: dict, as_of: date) -> Basis | None:
    """A source saying the jurisdiction does not control it, if it holds on ``as_of``."""
    status = in_force_of_row(row, as_of)
    if status.state != IN_FORCE:
        return None
    how = row["how"].value
    return Basis(
        row["subject"].value,
        _text(row, "notation"),
        _text(row, "subjectLabel"),
        _text(row, "code"),
        row["instrument"].value,
        _text(row, "instrumentLabel"),
        _text(row, "officialUrl"),
        "excludes" if how == "exclusion" else "no equivalent",
        status.since,
        status.stated,
        status.basis,
        [],
        float(row["confidence"].value) if "confidence" in row else None,
    )


_RANK = {"in force": 0, "uncertain": 1, "unknown": 2, NOT_YET: 3, ENDED: 4, PROPOSED: 5}


def best_per_entry(weighed) -> list[Basis]:
    """One basis per entry: an entry in two instruments counts once, by its best state."""
    best: dict[str, Basis] = {}
    for b in weighed:
        if b.entry not in best or _RANK.get(b.state, 9) < _RANK.get(best[b.entry].state, 9):
            best[b.entry] = b
    return list(best.values())
