"""One passage written for a test, read and extracted as a build would read it: the
helper the extraction-rule tests share (a file of the given name, the real reader,
the real pipeline)."""

from __future__ import annotations

from pathlib import Path

from qharmony.ingest.extract import extract_documents
from qharmony.ingest.pipeline import load_pipeline
from qharmony.ingest.readers import read_source
from qharmony.ingest.records import Extraction


def extract_text(folder: Path, text: str, name: str = "doc.md") -> Extraction:
    """The extraction of ``text`` saved as ``folder/name`` (the suffix picks the reader)."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    [extraction] = list(extract_documents([read_source(path)], load_pipeline()))
    return extraction


def entity_ids(extraction: Extraction, kind: str) -> set[str]:
    """The ids of the entities of one type an extraction found."""
    return {e.id for e in extraction.entities if e.type == kind}
