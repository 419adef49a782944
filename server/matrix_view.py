"""The matrix as a person reads it: columns named and grouped (the baseline first,
then the EU and its member states, then the other Wassenaar participants, then the
rest), and each cell's state as a word and a colour, so it reads in print and
without colour."""

from __future__ import annotations

from dataclasses import dataclass, field

from qharmony.queries.catalog import run_named
from qharmony.queries.store import Store

#: state -> the word a cell shows and the legend explains
STATES = {
    "controlled": ("controlled", "an entry in force covers it"),
    "not-controlled": ("not controlled", "a source says so, or the graph holds a complete list without it"),
    "no-data": ("no data", "the graph holds nothing that settles it"),
    "uncertain": ("uncertain", "only hedged, unverified or approximately dated evidence"),
    "stricter": ("stricter", "controlled, and catches items the baseline does not"),
    "looser": ("looser", "controlled, and the baseline catches items it does not"),
    "differs": ("differs", "controlled, by thresholds that neither contain the other"),
    "same-as-baseline": ("same as baseline", "controlled with the baseline's thresholds"),
}
_COMPARISONS = ("stricter", "looser", "differs", "same-as-baseline")


@dataclass
class Column:
    code: str
    name: str
    baseline: bool = False


@dataclass
class Group:
    label: str
    columns: list[Column] = field(default_factory=list)


def column_groups(store: Store, codes: list[str], baseline: str) -> list[Group]:
    """The matrix's columns in reading order, each group named."""
    rows = run_named(store, "jurisdiction_groups").rows
    known = {r["code"].value: r for r in rows}

    def column(code: str) -> Column:
        r = known.get(code)
        return Column(code, r["name"].value if r and "name" in r else code, code == baseline)

    def flag(code: str, key: str) -> bool:
        r = known.get(code)
        return bool(r) and key in r and r[key].value == "true"

    rest = sorted((c for c in codes if c != baseline), key=lambda c: column(c).name)
    eu = [c for c in rest if c == "EU"] + [c for c in rest if flag(c, "euMember")]
    wassenaar = [c for c in rest if c not in eu and flag(c, "party")]
    others = [c for c in rest if c not in eu and c not in wassenaar]
    groups = [Group("Baseline", [column(baseline)])] if baseline in codes else []
    for label, members in (
        ("European Union and its member states", eu),
        ("Other Wassenaar participants", wassenaar),
        ("Others", others),
    ):
        if members:
            groups.append(Group(label, [column(c) for c in members]))
    return groups


def cell_state(cell: dict) -> str:
    """A cell's state as a class name: the four determinations where the analysis
    gives one (``state``), the comparison with the baseline where it is controlled."""
    status = str(cell.get("status", "")).replace(" ", "-")
    if status in _COMPARISONS:
        return status
    state = str(cell.get("state") or "").replace("_", "-")
    if state in STATES:
        return state
    return "not-controlled" if status == "not-controlled" else ("controlled" if status else "no-data")
