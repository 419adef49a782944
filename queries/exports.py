"""Exports a lawyer can forward: CSV, JSON and an XLSX workbook. Each states the
as-of date, the graph version (content hash) and its SHACL conformance, so a memo
can cite exactly what it relied on."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from .analysis.version import GraphVersion

#: Said on every analysis page, transfer check and export.
DISCLAIMER = (
    "Decision support with citations, not legal advice: read the cited provisions "
    "and the official instruments before acting."
)


def provenance(version: GraphVersion, as_of: str, title: str) -> dict[str, str]:
    conforms = {True: "conforms", False: "does not conform", None: "unknown"}[version.conforms]
    return {
        "title": title,
        "as_of": as_of,
        "graph_version": version.content_hash,
        "shacl": conforms,
        "pipeline": version.pipeline,
        "note": DISCLAIMER,
    }


def to_csv(rows: Sequence[dict], meta: dict[str, str]) -> str:
    """Rows as CSV, after comment lines that state the provenance."""
    out = io.StringIO()
    for key, value in meta.items():
        out.write(f"# {key}: {value}\n")
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return out.getvalue()


def to_json(data: dict, meta: dict[str, str]) -> str:
    return json.dumps({"provenance": meta, **data}, indent=2, ensure_ascii=False)


def to_xlsx(rows: Sequence[dict], meta: dict[str, str], sheet: str = "Results") -> bytes:
    """A workbook with the results and an 'About' sheet stating the provenance."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    results = book.active
    results.title = sheet[:31]
    if rows:
        results.append(list(rows[0]))
        for cell in results[1]:
            cell.font = Font(bold=True)
        for row in rows:
            results.append([str(v) for v in row.values()])
        results.freeze_panes = "A2"
    about = book.create_sheet("About")
    for key, value in meta.items():
        about.append([key, value])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


MEDIA = {
    "csv": "text/csv",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export_result(result, fmt: str, title: str) -> bytes:
    """One analysis result (gaps, matrix, transfer, changes) in an export format;
    the CLI and the pages both call this, so their files are identical."""
    as_of = getattr(result, "as_of", "") or f"{result.since} to {result.until}"
    meta = provenance(result.version, as_of, title)
    if fmt == "csv":
        return to_csv(result.rows(), meta).encode("utf-8")
    if fmt == "json":
        return to_json(result.to_json(), meta).encode("utf-8")
    if fmt == "xlsx":
        return to_xlsx(result.rows(), meta)
    raise ValueError(f"unknown export format '{fmt}'; use csv, json or xlsx")
