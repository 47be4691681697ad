"""Unmet demand: the times participants could attend when no offered time suits them.

Each request is a weekly window in the participant's own zone. Staff plan
regional cohorts from the windows added up per course, weekday and hour band,
seen in UTC or in any zone they choose. Windows are placed on a reference week
so that daylight-saving offsets are those in force then. A band counts people,
not requests: one person asking twenty times, or in overlapping windows,
counts once per course.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
BAND_HOURS = 2  # a two-hour band is fine enough to place a 90-minute session


@dataclass(frozen=True, slots=True)
class Window:
    """Participant `who` could attend `component` on these days between `start` and `end`."""

    component: str
    days: tuple[str, ...]
    start: dt.time
    end: dt.time
    timezone: str
    who: str


@dataclass(frozen=True, slots=True)
class DemandTable:
    """Counts of people available, per component, weekday and band start hour, in `zone`."""

    zone: str
    week_of: dt.date
    counts: dict[str, Counter[tuple[str, int]]]

    def bands(self) -> list[int]:
        return list(range(0, 24, BAND_HOURS))

    def count(self, component: str, day: str, band: int) -> int:
        return self.counts.get(component, Counter())[(day, band)]


def aggregate(windows: Iterable[Window], zone: str, week_of: dt.date) -> DemandTable:
    """Add up windows as seen in `zone` on the week starting the Monday of `week_of`.

    A person counts once in each band any of their windows for the component
    fully or partly covers; a window that crosses midnight in the viewer's zone
    lands on the next day there.
    """
    target = zoneinfo.ZoneInfo(zone)
    monday = week_of - dt.timedelta(days=week_of.weekday())
    people: dict[str, dict[tuple[str, int], set[str]]] = {}
    for w in windows:
        own = zoneinfo.ZoneInfo(w.timezone)
        per_component = people.setdefault(w.component, {})
        for day in w.days:
            date = monday + dt.timedelta(days=WEEKDAYS.index(day))
            start = dt.datetime.combine(date, w.start, tzinfo=own).astimezone(target)
            end = dt.datetime.combine(date, w.end, tzinfo=own).astimezone(target)
            band_start = start.replace(minute=0, second=0, microsecond=0)
            band_start -= dt.timedelta(hours=band_start.hour % BAND_HOURS)
            while band_start < end:
                key = (WEEKDAYS[band_start.weekday()], band_start.hour)
                per_component.setdefault(key, set()).add(w.who)
                band_start += dt.timedelta(hours=BAND_HOURS)
    counts = {component: Counter({key: len(who) for key, who in bands.items()})
              for component, bands in people.items()}
    return DemandTable(zone=zone, week_of=monday, counts=counts)
