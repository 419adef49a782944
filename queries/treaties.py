"""The treaties and arrangements the graph holds, for the /treaties index: each with
its longest name, its parties and what its participants agreed to control."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from qharmony.ontology.namespaces import ID

from .catalog import run_named
from .store import Store


@dataclass
class Treaty:
    iri: str
    slug: str
    name: str
    short_name: str
    parties: list[str] = field(default_factory=list)
    agreed: list[str] = field(default_factory=list)


@dataclass
class TreatyIndex:
    treaties: list[Treaty] = field(default_factory=list)

    def to_json(self) -> dict:
        return asdict(self)


def treaty_index(store: Store) -> TreatyIndex:
    """Every arrangement with parties, by name; the implementation page exists for
    those whose participants agreed a control (``agreed`` is not empty)."""
    found: dict[str, Treaty] = {}
    for r in run_named(store, "arrangement_parties").rows:
        iri, name = r["arrangement"].value, r["name"].value
        t = found.setdefault(iri, Treaty(iri, iri.removeprefix(ID + "arrangement/"), name, name))
        if len(name) > len(t.name):
            t.name = name
        if len(name) < len(t.short_name):
            t.short_name = name
        if r["code"].value not in t.parties:
            t.parties.append(r["code"].value)
    for r in run_named(store, "arrangement_commitments").rows:
        t = found.get(r["arrangement"].value)
        technology = r["technology"].value
        if t is not None and technology not in t.agreed:
            t.agreed.append(technology)
    return TreatyIndex(sorted(found.values(), key=lambda t: t.short_name.casefold()))
