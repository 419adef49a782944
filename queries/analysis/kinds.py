"""Kinds of measure: export controls, investment screening, data-transfer frameworks
and others. Gaps, the matrix, the transfer check and the change report consider
export controls unless asked for another kind, and say which they considered."""

from __future__ import annotations

from qharmony.ontology.namespaces import QH

EXPORT_CONTROL = "export_control"

#: slug -> (ontology individual, words)
MEASURE_KINDS: dict[str, tuple[str, str]] = {
    EXPORT_CONTROL: (QH + "ExportControlMeasure", "export controls"),
    "investment_screening": (QH + "InvestmentScreeningMeasure", "investment screening"),
    "data_transfer": (QH + "DataTransferMeasure", "data-transfer frameworks"),
    "other": (QH + "OtherMeasure", "other measures"),
}


def measure_kind_iri(kind: str) -> str:
    """The ontology individual for a measure-kind slug; unknown slugs are an error."""
    try:
        return MEASURE_KINDS[kind][0]
    except KeyError:
        raise ValueError(f"unknown measure kind '{kind}'; known: {', '.join(MEASURE_KINDS)}") from None


def measure_kind_words(kind: str) -> str:
    """How an answer says which kind of measure it considered."""
    return MEASURE_KINDS.get(kind, (kind, kind))[1]
