"""Dates and moments in words, written one way everywhere.

A day is "Tue 18 Jan 2027"; a moment is "Tue 18 Jan 2027, 09:00" in a named
zone, and with the zone spelled out, "Tue 18 Jan 2027, 09:00 (Europe/London,
GMT)". Pages, e-mails and the core's sentences all use these, so a participant
never has to compare two formats.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_text(day: dt.date) -> str:
    """"Tue 18 Jan 2027"."""
    return f"{DAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


@functools.cache
def zone_named(key: str) -> zoneinfo.ZoneInfo:
    """The zone of that IANA name, kept for the process: `ZoneInfo` itself holds only
    eight strongly, so a catalogue in a dozen zones read its files from disk again and
    again. Raises as `ZoneInfo` does for a name it does not know (and keeps nothing)."""
    return zoneinfo.ZoneInfo(key)


def local(moment: dt.datetime, zone: str) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError("a moment needs a time zone to be shown in another")
    return moment.astimezone(zone_named(zone))


def time_text(moment: dt.datetime, zone: str) -> str:
    """"Tue 18 Jan 2027, 09:00", on the clock of `zone`."""
    there = local(moment, zone)
    return f"{day_text(there.date())}, {there:%H:%M}"


def zone_text(moment: dt.datetime, zone: str) -> str:
    """"Europe/London, GMT": the zone and the abbreviation in force at `moment`."""
    abbreviation = local(moment, zone).tzname() or ""
    if not abbreviation or abbreviation == zone or abbreviation.lstrip("+-").isdigit():
        return zone
    return f"{zone}, {abbreviation}"


def moment_text(moment: dt.datetime, zone: str) -> str:
    """"Tue 18 Jan 2027, 09:00 (Europe/London, GMT)"."""
    return f"{time_text(moment, zone)} ({zone_text(moment, zone)})"


def span_text(start: dt.datetime, end: dt.datetime, zone: str) -> str:
    """"Tue 18 Jan 2027, 09:00-10:30 (Europe/London, GMT)", with an en dash: a meeting
    on one clock."""
    ends = f"{local(end, zone):%H:%M}"
    return f"{time_text(start, zone)}\N{EN DASH}{ends} ({zone_text(start, zone)})"


def end_of_day(day: dt.date, zone: str) -> dt.datetime:
    """The last minute of `day` in `zone`: when a deadline on that day passes there."""
    return dt.datetime.combine(day, dt.time(23, 59), tzinfo=zoneinfo.ZoneInfo(zone))
