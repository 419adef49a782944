"""Whole numbers as people and clients type them: a page, a port, a Content-Length.

Why: ``str.isdigit()`` is true of ``"²"``, which ``int()`` refuses, and ``int()``
refuses a text of more than 4,300 digits; a check by ``isdigit()`` alone let either
through to an internal error. One home, so every parameter reads digits the same way.
"""

from __future__ import annotations

#: more digits than any count, port or byte length this server takes
MAX_DIGITS = 18


def whole_number(text: str, low: int = 0, high: int = 10**MAX_DIGITS) -> int | None:
    """The number ``text`` spells in ASCII digits when it lies in ``low..high``; else None."""
    if not text.isascii() or not text.isdigit() or len(text) > MAX_DIGITS:
        return None
    value = int(text)
    return value if low <= value <= high else None
