"""The rules for values from outside (pathwise.core.inputs): identifiers, dates, one-line text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pathwise.core.inputs import (
    date_problem,
    email_problem,
    identifier_problem,
    lines_problem,
    show_value,
    text_problem,
)

IDENTIFIER_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."
identifiers = st.text(IDENTIFIER_CHARS, min_size=1, max_size=40).filter(
    lambda s: s not in (".", ".."))


@given(identifiers)
def test_every_identifier_names_a_file_inside_its_folder(value: str) -> None:
    assert identifier_problem(value) is None
    folder = Path("/srv/export")
    path = folder / f"{value}.json"
    assert path.parent == folder
    assert ".." not in path.relative_to(folder).parts


@given(st.text(min_size=1, max_size=60))
def test_a_string_with_a_character_outside_the_rule_is_never_an_identifier(value: str) -> None:
    if all(c in IDENTIFIER_CHARS for c in value) and len(value) <= 40 and value not in (
            ".", ".."):
        assert identifier_problem(value) is None
    else:
        assert identifier_problem(value) is not None


@pytest.mark.parametrize("value", ["", ".", "..", "../../x", "a/b", "a\\b", "P 001", "P-001\n",
                                   "P\x00", "x" * 41, "Zoë"])
def test_what_is_not_an_identifier_is_named_with_the_rule(value: str) -> None:
    problem = identifier_problem(value)
    assert problem is not None
    assert problem.startswith(repr(value)[:20])
    assert "letters, digits, '-', '_' or '.'" in problem


@pytest.mark.parametrize("value", ["Ada\r\nBcc: eve@example.org", "Ada\x00", "Ada\tLovelace",
                                   "Ada\u2028Lovelace", "Ada\x85", "\x1b[31mAda"])
def test_text_with_a_control_character_or_line_break_is_refused(value: str) -> None:
    problem = text_problem(value)
    assert problem is not None
    assert "control character or line break" in problem
    assert "\n" not in problem
    assert "\r" not in problem


# A Persian name keeps its zero-width non-joiner; a no-break space is not a control.
PERSIAN = "\u0645\u06cc\u0631\u0632\u0627\u200c\u062e\u0627\u0646"


@pytest.mark.parametrize("value", ["Ada Lovelace", "Zoë Ó Dálaigh", PERSIAN,
                                   "Ada\u00a0Lovelace", "李小龍"])
def test_one_line_text_in_any_script_is_accepted(value: str) -> None:
    assert text_problem(value) is None


def test_blank_and_overlong_text_are_refused() -> None:
    assert text_problem("   ") == "expected a non-empty string, got '   '"
    assert "201 characters long; at most 200" in (text_problem("x" * 201) or "")


@pytest.mark.parametrize("value", ["ada@example.org\nBcc: eve@example.org",
                                   "ada@example.org, eve@example.org",
                                   "Ada <ada@example.org>", "ada", "ada@@example.org",
                                   "ada@example.org;eve@example.org"])
def test_an_email_is_one_address_and_nothing_else(value: str) -> None:
    assert email_problem(value) is not None


def test_dates_are_plausible_between_1900_and_2200() -> None:
    assert date_problem(dt.date(1900, 1, 1)) is None
    assert date_problem(dt.date(2200, 12, 31)) is None
    assert date_problem(dt.date(9999, 12, 31)) == (
        "9999-12-31 is outside the plausible range 1900-01-01 to 2200-12-31")
    assert date_problem(dt.date(1899, 12, 31)) is not None


def test_a_huge_number_is_described_not_printed() -> None:
    assert show_value(10 ** 5000) == "a number of about 5000 digits"
    deep: list[object] = []
    for _ in range(100_000):
        deep = [deep]
    assert show_value(deep) == "a list too large to show"


@pytest.mark.parametrize(("text", "expected"), [
    ("Two lines\r\nand a\ttab.", None),
    ("x" * 101, "the note is 101 characters; at most 100"),
    ("bell\x07", "the note contains a control character (U+0007); write plain text, in lines"),
    ("nul\x00", "the note contains a control character (U+0000)"),
])
def test_text_in_lines_may_break_lines_but_holds_no_other_control_character(
        text: str, expected: str | None) -> None:
    problem = lines_problem(text, what="note", max_length=100)
    if expected is None:
        assert problem is None
    else:
        assert problem is not None
        assert problem.startswith(expected)
