"""Markdown: ATX headings, header fields, paragraphs and lettered items."""

from __future__ import annotations

import re
from pathlib import Path

from .base import SourceText, decode, document_name, segment

_HEADING = re.compile(r"^(?P<level>#{1,6})[ \t]+(?P<title>\S.*?)[ \t#]*$")


def read_markdown(path: Path) -> SourceText:
    text = decode(path)
    if not text.strip():
        from .base import ReaderError

        raise ReaderError(f"{path}: the file is empty")
    return SourceText(document_name(path), text, segment(text, _HEADING), str(path))
