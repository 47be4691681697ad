"""The completion window: month ends, leap years, both ways a window can end, extensions."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pathwise.core.deadline import add_months, deadline
from pathwise.core.program import Window

TWO_YEARS = Window(months=24, ends="end_of_month_before_anniversary")
ONE_YEAR_DAY_BEFORE = Window(months=12, ends="day_before_anniversary")

D = dt.date.fromisoformat


@pytest.mark.parametrize(
    ("enrolled_on", "expected"),
    [
        ("2023-09-21", "2025-08-31"),  # the seed's own example
        ("2023-09-01", "2025-08-31"),
        ("2023-09-30", "2025-08-31"),
        ("2023-12-31", "2025-11-30"),  # a 30-day month before the anniversary month
        ("2024-01-01", "2025-12-31"),  # across a year end
        ("2024-01-31", "2025-12-31"),
        ("2024-02-29", "2026-01-31"),  # enrolled on a leap day
        ("2024-03-01", "2026-02-28"),  # deadline in a common-year February
        ("2024-03-31", "2026-02-28"),
        ("2026-03-15", "2028-02-29"),  # deadline in a leap-year February
    ],
)
def test_two_year_window_ends_on_the_last_day_of_the_month_before_the_anniversary_month(
    enrolled_on: str, expected: str
) -> None:
    assert deadline(D(enrolled_on), TWO_YEARS) == D(expected)


@pytest.mark.parametrize(
    ("enrolled_on", "expected"),
    [
        ("2025-03-15", "2026-03-14"),
        ("2024-01-01", "2024-12-31"),
        ("2024-03-01", "2025-02-28"),
        ("2023-03-01", "2024-02-29"),  # the day before 1 March in a leap year
        # 29 February has no anniversary in 2025: it falls on the month's last
        # day (28 February), so the window ends the day before that.
        ("2024-02-29", "2025-02-27"),
    ],
)
def test_day_before_anniversary_window_ends_the_day_before_the_anniversary_date(
    enrolled_on: str, expected: str
) -> None:
    assert deadline(D(enrolled_on), ONE_YEAR_DAY_BEFORE) == D(expected)


def test_one_month_window_from_january_31_ends_before_the_last_day_of_february() -> None:
    window = Window(months=1, ends="day_before_anniversary")
    assert deadline(D("2024-01-31"), window) == D("2024-02-28")
    assert deadline(D("2023-01-31"), window) == D("2023-02-27")


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        ("2024-01-31", 1, "2024-02-29"),
        ("2023-01-31", 1, "2023-02-28"),
        ("2024-02-29", 12, "2025-02-28"),
        ("2024-02-29", 48, "2028-02-29"),
        ("2023-11-30", 3, "2024-02-29"),
        ("2023-12-15", 1, "2024-01-15"),
    ],
)
def test_adding_months_keeps_the_day_or_clamps_to_the_month_end(
    day: str, months: int, expected: str
) -> None:
    assert add_months(D(day), months) == D(expected)


def test_an_extension_replaces_the_computed_deadline() -> None:
    assert deadline(D("2023-09-21"), TWO_YEARS, D("2025-12-31")) == D("2025-12-31")


days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31))
windows = st.builds(
    Window,
    months=st.integers(min_value=1, max_value=60),
    ends=st.sampled_from(["end_of_month_before_anniversary", "day_before_anniversary"]),
)


@given(enrolled_on=days, window=windows)
def test_the_deadline_falls_after_enrollment_and_before_the_anniversary(
    enrolled_on: dt.date, window: Window
) -> None:
    due = deadline(enrolled_on, window)
    assert enrolled_on <= due < add_months(enrolled_on, window.months)


@given(enrolled_on=days, months=st.integers(min_value=1, max_value=60))
def test_the_month_end_window_always_ends_on_a_month_end_in_the_month_before_the_anniversary(
    enrolled_on: dt.date, months: int
) -> None:
    due = deadline(enrolled_on, Window(months, "end_of_month_before_anniversary"))
    assert due.day == calendar.monthrange(due.year, due.month)[1]
    anniversary = add_months(enrolled_on, months)
    assert (due + dt.timedelta(days=1)) == anniversary.replace(day=1)


@given(first=days, second=days, window=windows)
def test_enrolling_later_never_brings_the_deadline_forward(
    first: dt.date, second: dt.date, window: Window
) -> None:
    early, late = sorted((first, second))
    assert deadline(early, window) <= deadline(late, window)
