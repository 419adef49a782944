"""Plain text: headings are lines such as ``Article 3`` or ``Section 2 - Title``."""

from __future__ import annotations

import re
from pathlib import Path

from .base import ReaderError, SourceText, decode, document_name, segment

HEADING = re.compile(r"^(?P<level>)(?P<title>(?:Article|Section|Part|Chapter|Annex|Schedule|§)\s+[\w.]+\b.*)$")


def read_text(path: Path) -> SourceText:
    text = decode(path)
    if not text.strip():
        raise ReaderError(f"{path}: the file is empty")
    return SourceText(document_name(path), text, segment(text, HEADING), str(path))
