"""The completion window: when a participant's time to certify runs out."""

from __future__ import annotations

import calendar
import datetime as dt

from pathwise.core.program import Window

_ONE_DAY = dt.timedelta(days=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the month's end (31 Jan + 1 → 28/29 Feb)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def deadline(enrolled_on: dt.date, window: Window, extended_to: dt.date | None = None) -> dt.date:
    """The last day on which a requirement can still count towards certification.

    ``end_of_month_before_anniversary``: enrolled in September 2023 with a
    24-month window, the anniversary month is September 2025 and the deadline is
    31 August 2025. ``day_before_anniversary``: the day before the anniversary
    date. A staff extension replaces the computed date.
    """
    if extended_to is not None:
        return extended_to
    if window.ends == "end_of_month_before_anniversary":
        # The day before the first of the anniversary month; no clamping needed.
        index = enrolled_on.year * 12 + enrolled_on.month - 1 + window.months
        return dt.date(index // 12, index % 12 + 1, 1) - _ONE_DAY
    return add_months(enrolled_on, window.months) - _ONE_DAY
