"""Unmet demand added up per course, weekday and two-hour band, in any zone."""

from __future__ import annotations

import datetime as dt
import itertools

from pathwise.core.demand import Window, aggregate

_people = itertools.count(1)


def window(days: tuple[str, ...], start: str, end: str, zone: str,
           component: str = "CODE", *, who: str | None = None) -> Window:
    """One person's window; a new person each time unless `who` says whose."""
    return Window(component, days, dt.time.fromisoformat(start), dt.time.fromisoformat(end),
                  zone, who=who or f"P-{next(_people):03d}")


def test_a_window_counts_once_in_each_band_it_touches() -> None:
    table = aggregate([window(("MO",), "09:30", "12:00", "UTC")], "UTC", dt.date(2026, 1, 5))
    assert [b for b in table.bands() if table.count("CODE", "MO", b)] == [8, 10]


def test_the_same_window_moves_with_the_viewers_zone_and_dst() -> None:
    # 18:00-20:00 in New York is 23:00-01:00 UTC in winter (crossing midnight into
    # Tuesday) and 22:00-00:00 UTC in summer.
    ny = [window(("MO",), "18:00", "20:00", "America/New_York")]
    winter = aggregate(ny, "UTC", dt.date(2026, 1, 5))
    summer = aggregate(ny, "UTC", dt.date(2026, 7, 6))
    assert winter.count("CODE", "MO", 22) == 1
    assert winter.count("CODE", "TU", 0) == 1
    assert summer.count("CODE", "MO", 22) == 1
    assert summer.count("CODE", "TU", 0) == 0


def test_people_are_counted_not_windows_and_courses_apart() -> None:
    windows = [
        window(("TU", "TH"), "08:00", "10:00", "Asia/Kolkata"),
        window(("TU",), "08:00", "09:00", "Asia/Kolkata"),
        window(("TU",), "08:00", "10:00", "Asia/Kolkata", component="PBK"),
    ]
    table = aggregate(windows, "Asia/Kolkata", dt.date(2026, 3, 2))
    assert table.count("CODE", "TU", 8) == 2
    assert table.count("CODE", "TH", 8) == 1
    assert table.count("PBK", "TU", 8) == 1
    assert table.count("PBK", "TH", 8) == 0


def test_one_person_counts_once_per_course_however_often_they_ask() -> None:
    same = [window(("TU",), "08:00", "10:00", "UTC", who="P-007") for _ in range(20)]
    overlapping = window(("TU", "WE"), "09:00", "12:00", "UTC", who="P-007")
    other_course = window(("TU",), "08:00", "10:00", "UTC", component="PBK", who="P-007")
    someone_else = window(("TU",), "08:00", "09:00", "UTC")
    table = aggregate([*same, overlapping, other_course, someone_else], "UTC",
                      dt.date(2026, 3, 2))
    assert table.count("CODE", "TU", 8) == 2
    assert table.count("CODE", "TU", 10) == 1
    assert table.count("CODE", "WE", 10) == 1
    assert table.count("PBK", "TU", 8) == 1
