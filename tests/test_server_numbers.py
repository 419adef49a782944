"""Whole numbers from requests and options (``server.numbers``): ASCII digits of a
bounded length, in range, or nothing, never an internal error."""

from __future__ import annotations

from qharmony.server.numbers import whole_number


def test_a_whole_number_is_ascii_digits_of_bounded_length_in_range():
    assert whole_number("12") == 12
    assert whole_number("0", 1) is None
    assert whole_number("70000", 1, 65535) is None
    for text in ("\u00b2", "\u0663", "-1", "1.0", " 1", "", "9" * 5000):  # '²'.isdigit() is True; int('²') fails
        assert whole_number(text) is None
