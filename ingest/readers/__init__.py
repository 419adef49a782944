"""One reader per format; each gives a ``SourceText`` with offsets into the text the
user sees."""

from __future__ import annotations

from pathlib import Path

from .base import Block, ReaderError, SourceText
from .markdown import read_markdown
from .text import read_text

READERS = {".md": read_markdown, ".markdown": read_markdown, ".txt": read_text}


def read_source(path: str | Path) -> SourceText:
    """Read a file with the reader for its extension."""
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise ReaderError(
            f"{path}: no reader for '{path.suffix or '(no extension)'}'; "
            f"known: {', '.join(sorted(READERS))}"
        )
    return reader(path)


__all__ = ["Block", "ReaderError", "SourceText", "read_source", "READERS"]
