"""One reader per format; each gives a ``SourceText`` with offsets into the text the
user sees."""

from __future__ import annotations

from pathlib import Path

from .base import Block, ReaderError, SourceText
from .html import read_html
from .markdown import read_markdown
from .pdf import read_pdf
from .text import read_text
from .xml import read_xml

READERS = {
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".txt": read_text,
    ".html": read_html,
    ".htm": read_html,
    ".xhtml": read_html,
    ".xml": read_xml,
    ".pdf": read_pdf,
}


def read_source(path: str | Path) -> SourceText:
    """Read a file with the reader for its extension."""
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise ReaderError(
            f"{path}: no reader for '{path.suffix or '(no extension)'}'; known: {', '.join(sorted(READERS))}"
        )
    return reader(path)


__all__ = ["Block", "ReaderError", "SourceText", "read_source", "READERS"]
