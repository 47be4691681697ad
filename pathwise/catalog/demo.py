"""A two-year demo catalogue around "today": intakes, course runs, workshops, skills shares.

About two intakes a year, CODE and PBK four times a year, NOC and COP twice,
every mini-workshop twice a year, a skills share every quarter, one private
run for an organization (a few of its seats open to anyone), one regional run
in Asia/Kolkata, and a draft run staff have not published yet. Dates are
relative to today so the demo always has a past and a future.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from pathwise.core.catalogue import orientation_runs
from pathwise.core.program import Program

PRIVATE_ORG = "Genome Society"
#: Seats of the private run anyone may take.
PRIVATE_PUBLIC_SEATS = 5
REGIONAL_CAPACITY = 8


@dataclass(frozen=True)
class DemoOffering:
    code: str
    component: str
    starts_on: dt.date
    ends_on: dt.date
    capacity: int
    days: tuple[str, ...]
    time: dt.time
    minutes: int
    timezone: str
    intake: str | None = None
    private_to: str = ""
    public_seats: int = 0
    published: bool = True
    cancelled: tuple[dt.date, ...] = field(default=())


@dataclass(frozen=True)
class DemoIntake:
    code: str
    starts_on: dt.date


def _season(day: dt.date) -> str:
    return ("W", "SP", "SU", "F")[(day.month % 12) // 3]


def _last_meeting(begin: dt.date, days: tuple[str, ...], sessions: int | None) -> dt.date:
    """The day of a run's last session when it meets on `days` from `begin`: a run meets
    as often as its course has sessions, so a register can be kept for each of them."""
    day, held = begin, 0
    while True:
        if _WEEKDAY[day.weekday()] in days:
            held += 1
            if held == (sessions or 12):
                return day
        day += dt.timedelta(days=1)


def _first_weekday(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def demo_catalogue(program: Program, today: dt.date, intake_dates: list[dt.date],
                   ) -> tuple[list[DemoIntake], list[DemoOffering]]:
    """Intakes on the given dates plus two upcoming ones, and two years of offerings."""
    start = dt.date(today.year - 1, 1, 1)
    upcoming = [_first_weekday(dt.date(today.year + 1, m, 8), 0) for m in (1, 9)]
    intakes = [DemoIntake(f"CERT{d:%y}{_season(d)}", d) for d in [*intake_dates, *upcoming]]
    orientation_workshops = {
        code for req in program.requirements if req.rule == "attend"
        for code in req.components if program.components[code].kind == "mini-workshop"}
    # Required courses run four times a year, electives twice.
    required = {code for req in program.requirements if req.rule == "pass"
                for code in req.components if program.components[code].kind == "course"}
    orientation = next(c.code for c in program.components.values() if c.kind == "orientation")
    skills_share = next(c.code for c in program.components.values()
                        if c.kind == "skills-share")
    offerings: list[DemoOffering] = []
    # Each intake opens as staff open one (`pathwise.catalog.actions.open_intake`).
    for intake in intakes:
        for run in orientation_runs(program, intake.starts_on):
            offerings.append(DemoOffering(
                f"{run.component}-{intake.code}", run.component, run.day, run.day,
                40 if run.component == orientation else 20, (_WEEKDAY[run.day.weekday()],),
                dt.time(11), 90, "America/New_York", intake=intake.code))

    courses = [c for c in program.components.values() if c.kind == "course"]
    for course in courses:
        months = (1, 4, 7, 10) if course.code in required else (3, 9)
        for year in range(start.year, start.year + 3):
            for month in months:
                begin = _first_weekday(dt.date(year, month, 20), 1)
                offerings.append(DemoOffering(
                    f"{course.code}{begin:%y%m}", course.code, begin,
                    _last_meeting(begin, ("TU", "TH"), course.sessions),
                    course.capacity or 25, ("TU", "TH"), dt.time(12), 90,
                    "America/New_York"))
    # A private run for one organization and an evening-friendly regional run.
    begin = _first_weekday(today + dt.timedelta(days=60), 2)
    first, second = sorted(required)[:2]
    sessions = {c.code: c.sessions for c in courses}
    offerings.append(DemoOffering(
        f"{first}{begin:%y}P", first, begin,
        _last_meeting(begin, ("WE", "FR"), sessions[first]), 25, ("WE", "FR"),
        dt.time(15), 90, "Europe/London", private_to=PRIVATE_ORG,
        public_seats=PRIVATE_PUBLIC_SEATS))
    # A small regional pilot, so the demo shows a full run with a waitlist.
    begin = _first_weekday(today + dt.timedelta(days=45), 0)
    offerings.append(DemoOffering(
        f"{second}{begin:%y}R-IN", second, begin,
        _last_meeting(begin, ("MO", "TH"), sessions[second]),
        REGIONAL_CAPACITY, ("MO", "TH"), dt.time(18, 30), 90, "Asia/Kolkata"))

    # Next year's draft, in no participant's catalogue until staff publish it.
    begin = _first_weekday(dt.date(today.year + 1, 11, 20), 1)
    offerings.append(DemoOffering(
        f"{first}{begin:%y%m}D", first, begin,
        _last_meeting(begin, ("TU", "TH"), sessions[first]), 25, ("TU", "TH"),
        dt.time(12), 90, "America/New_York", published=False))

    workshops = [c.code for c in program.components.values()
                 if c.kind == "mini-workshop" and c.code not in orientation_workshops]
    for year in range(start.year, start.year + 3):
        for i, code in enumerate(workshops):
            for month in (2 + i % 4, 8 + i % 4):
                day = _first_weekday(dt.date(year, month, 10), 2)
                offerings.append(DemoOffering(
                    f"{code}-{day:%y%m}", code, day, day, 20, ("WE",), dt.time(16),
                    90 if i % 2 else 120, "Europe/London"))
        for month in (3, 6, 9, 12):
            day = _first_weekday(dt.date(year, month, 12), 3)
            offerings.append(DemoOffering(
                f"{skills_share}{day:%y%m}", skills_share, day, day, 60, ("TH",),
                dt.time(16), 90, "America/New_York"))
    return intakes, offerings


def later_version_runs(program: Program, today: dt.date) -> list[DemoOffering]:
    """The coming year's runs of a later version, for those enrolled under it.

    A run belongs to one version, so its people need runs of their own: the same
    pattern as the main catalogue (its new components included), without intakes,
    private or regional runs, each code ending in the version.
    """
    _, offerings = demo_catalogue(program, today, [])
    horizon = today + dt.timedelta(days=365)
    return [replace(o, code=f"{o.code}-V{program.version}") for o in offerings
            if today < o.starts_on <= horizon and o.intake is None and not o.private_to
            and o.capacity != REGIONAL_CAPACITY]


_WEEKDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
