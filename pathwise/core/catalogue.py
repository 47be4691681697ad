"""What a catalogue of runs must be, as a program states it (its `[catalogue]` table).

Refusals are for one run that breaks a rule (a condensed course, a workshop
too short); warnings are for what a term of runs leaves out (a workshop not
offered in a calendar year, three months without a skills share). A program
without a `[catalogue]` table states no such rule.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from pathwise.core.offerings import WEEKDAYS, Meetings, Offering, occurrences
from pathwise.core.program import Program


def run_problem(program: Program, offering: Offering, capacity: int | None) -> str | None:
    """Why `offering` may not be published under `program`'s rules, or None."""
    component = program.components.get(offering.component)
    if component is None:
        return f"unknown component {offering.component!r}"
    if capacity is not None and component.capacity is not None and capacity > component.capacity:
        return f"capacity {capacity} is more than {component.code}'s {component.capacity}"
    rules = program.catalogue
    m = offering.meetings
    if m is None:
        return None
    if rules.never_condensed and component.sessions is not None:
        held = sum(1 for _ in occurrences(offering))
        if held < component.sessions:
            return (f"meets {held} times but {component.code} has {component.sessions} "
                    "sessions; runs are never condensed")
    for length in rules.lengths:
        if component.kind in length.kinds and not length.low <= m.minutes <= length.high:
            return (f"meetings of {m.minutes} minutes: a {component.kind} meets "
                    f"{length.low} to {length.high} minutes")
    return None


def term_warnings(program: Program, offerings: Iterable[Offering],
                  years: Iterable[int]) -> list[str]:
    """What the runs leave out of the program's cadences, in the given calendar years."""
    runs = list(offerings)
    warnings = []
    for year in sorted(set(years)):
        for cadence in program.catalogue.cadences:
            codes = [c.code for c in program.components.values() if c.kind in cadence.kinds]
            kinds = " or ".join(cadence.kinds)
            if cadence.every_months is None:
                offered = {o.component for o in runs if o.starts_on.year == year}
                missing = [c for c in codes if c not in offered]
                if missing:
                    warnings.append(f"{year}: no run of {', '.join(missing)} (each "
                                    f"{kinds} is offered at least once a year)")
                continue
            days = sorted(o.starts_on for o in runs if o.component in codes)
            for gap_from, gap_to in _gaps(days, year, cadence.every_months):
                warnings.append(
                    f"{year}: no {kinds} between {gap_from.isoformat()} and "
                    f"{gap_to.isoformat()} (one every {cadence.every_months} months)")
    return warnings


def _gaps(days: list[dt.date], year: int,
          months: int) -> list[tuple[dt.date, dt.date]]:
    """Spans longer than `months` with no run, among those touching `year`; the year's
    own start and end bound the first and last span."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    before = [d for d in days if d < start]
    inside = [d for d in days if start <= d <= end]
    after = [d for d in days if d > end]
    points = [before[-1] if before else start, *inside, after[0] if after else end]
    return [(a, b) for a, b in itertools.pairwise(points)
            if _add_months(a, months) < b]


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("every month has a 28th")


@dataclass(frozen=True, slots=True)
class OrientationRun:
    """One run an intake opens with: the live orientation or one of its mini-workshops."""

    component: str
    day: dt.date


def orientation_runs(program: Program, starts_on: dt.date) -> list[OrientationRun]:
    """What an intake opens with: the live orientation meeting on its first day, then the
    mini-workshops the orientation requirement names, a week apart, within the
    orientation's length (three weeks in the default program)."""
    orientation = next((c for c in program.components.values() if c.kind == "orientation"),
                       None)
    if orientation is None:
        return []
    workshops = sorted({code for req in program.requirements if req.rule == "attend"
                        for code in req.components
                        if program.components[code].kind == "mini-workshop"})
    runs = [OrientationRun(orientation.code, starts_on)]
    span = max(orientation.length_days, 7 * (len(workshops) + 1))
    step = span // (len(workshops) + 1) if workshops else 0
    runs.extend(OrientationRun(code, starts_on + dt.timedelta(days=step * (i + 1)))
                for i, code in enumerate(workshops))
    return runs


def single_meeting(day: dt.date, meetings: Meetings) -> Meetings:
    """`meetings` on the one weekday of `day` (a run that meets once)."""
    return Meetings(days=(WEEKDAYS[day.weekday()],), time=meetings.time, minutes=meetings.minutes,
                    timezone=meetings.timezone)
