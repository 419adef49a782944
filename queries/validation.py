"""The last build's SHACL report, as stored in the validation graph, grouped by the
shape that was broken: what the validation page and ``qharmony validate`` show."""

from __future__ import annotations

from dataclasses import dataclass, field

from .catalog import get_query
from .store import Store


@dataclass
class ValidationResults:
    """Every stored result, by shape IRI (``(no shape)`` when the report names none);
    each result is a plain dict of focus, shape, path, severity, message and value."""

    shapes: dict[str, list[dict[str, str]]] = field(default_factory=dict)

    @property
    def conforms(self) -> bool:
        return not self.shapes

    def results(self) -> list[dict[str, str]]:
        return [r for group in self.shapes.values() for r in group]

    def to_json(self) -> dict:
        return {"conforms": self.conforms, "shapes": self.shapes}


def validation_results(store: Store) -> ValidationResults:
    """The stored SHACL results of the last build, grouped by shape."""
    report = ValidationResults()
    for row in store.select(get_query("validation_results").text).rows:
        shape = row["shape"].value if "shape" in row else "(no shape)"
        report.shapes.setdefault(shape, []).append({k: v.value for k, v in row.items()})
    return report
