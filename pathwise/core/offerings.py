"""Offerings: runs of a component on the calendar, and when they actually meet.

The shape follows DESIGN.md's offerings file. Meeting times are local to the
offering's own time zone, so "Tuesdays at 12:00 America/New_York" stays at
noon in New York across daylight-saving changes; everything is turned into UTC
instants only when two zones have to be compared.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import zoneinfo
from collections.abc import Iterable, Iterator
from typing import Annotated, Literal, NoReturn

import msgspec

from pathwise.core.errors import PathwiseError
from pathwise.core.inputs import (
    date_problem,
    identifier_problem,
    locate,
    out_of_range,
    show_value,
    text_problem,
)
from pathwise.core.when import zone_named

Weekday = Literal["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
WEEKDAYS: tuple[Weekday, ...] = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
Clock = Annotated[str, msgspec.Meta(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]


class OfferingsError(PathwiseError):
    """An offerings file is malformed."""


class Move(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One meeting moved to another day (`from` is the day it was scheduled on)."""

    from_: dt.date = msgspec.field(name="from")
    to: dt.date


class Meetings(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Weekly meetings: which days, when (local to `timezone`) and for how long."""

    days: tuple[Weekday, ...]
    time: Clock
    minutes: Annotated[int, msgspec.Meta(ge=1, le=24 * 60)]
    timezone: str
    cancelled: tuple[dt.date, ...] = ()
    moved: tuple[Move, ...] = ()

    @property
    def start_time(self) -> dt.time:
        hours, minutes = self.time.split(":")
        return dt.time(int(hours), int(minutes))


class Offering(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    id: str
    component: str
    starts_on: dt.date
    ends_on: dt.date
    seats_left: Annotated[int, msgspec.Meta(ge=0)] | None = None
    meetings: Meetings | None = None
    private_to: str | None = None
    intake: str | None = None
    # What the catalogue keeps besides (`pathwise offerings export`): the planner
    # reads none of it.
    capacity: Annotated[int, msgspec.Meta(ge=1, le=10_000)] | None = None
    instructors: tuple[str, ...] = ()
    meeting_link: str | None = None
    #: Seats of a private run open to anyone as well.
    public_seats: Annotated[int, msgspec.Meta(ge=0, le=10_000)] = 0
    published: bool = True


class OfferingsFile(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    offerings: tuple[Offering, ...]
    program: str | None = None
    program_version: str | None = None


def meeting_days(offering: Offering, *, in_order: bool = True) -> Iterable[dt.date]:
    """The days the offering meets: its weekdays from its first to its last day,
    cancelled ones left out, moved ones on their new day; in order unless `in_order`
    is False (then one at a time, for a caller that may stop at the first)."""
    days = _meeting_days(offering)
    return sorted(days) if in_order else days


def _meeting_days(offering: Offering) -> Iterator[dt.date]:
    m = offering.meetings
    if m is None:
        return
    first, last = offering.starts_on, offering.ends_on
    cancelled = m.cancelled
    moved = {mv.from_: mv.to for mv in m.moved} if m.moved else None
    week = dt.timedelta(days=7)
    weekday_of_first = first.weekday()
    for weekday in {WEEKDAYS.index(d) for d in m.days}:
        day = first + dt.timedelta(days=(weekday - weekday_of_first) % 7)
        while day <= last:
            if day not in cancelled:
                yield moved.get(day, day) if moved else day
            day += week


def occurrences(offering: Offering) -> Iterator[tuple[dt.datetime, dt.datetime]]:
    """Every meeting of the offering as (start, end) aware datetimes in its own zone.

    Cancelled dates are skipped; a moved meeting happens on its new date at the
    usual time. An offering without weekly meetings yields nothing.
    """
    m = offering.meetings
    if m is None:
        return
    zone = zone_named(m.timezone)
    start_time = m.start_time
    length = dt.timedelta(minutes=m.minutes)
    for meeting_day in meeting_days(offering):
        # Wall-clock time in the offering's zone: zoneinfo applies the offset in
        # force on that date, so DST changes keep the local hour.
        start = dt.datetime.combine(meeting_day, start_time, tzinfo=zone)
        # Aware arithmetic in one zone is wall-clock arithmetic; the length is
        # real time, so add it in UTC (a meeting across a clock change).
        yield start, (start.astimezone(dt.UTC) + length).astimezone(zone)


@functools.lru_cache(maxsize=16_384)
def meeting_spans(offering: Offering) -> tuple[tuple[float, float], ...]:
    """Every actual meeting as (start, end) UTC timestamps, in order: what clash checks
    and availability compare. Cached by the offering's value (offerings are frozen), so
    a catalogue's meetings are worked out once however often the planner asks.

    The same instants as `occurrences` (a meeting lasts its minutes in real time),
    without making each end a datetime in the offering's zone.
    """
    m = offering.meetings
    if m is None:
        return ()
    zone = zone_named(m.timezone)
    start_time = m.start_time
    length = m.minutes * 60
    combine = dt.datetime.combine
    spans = []
    for day in meeting_days(offering):
        start = combine(day, start_time, tzinfo=zone).timestamp()
        spans.append((start, start + length))
    spans.sort()
    return tuple(spans)


def first_clash(a: Offering, b: Offering) -> tuple[dt.datetime, dt.datetime] | None:
    """The first meeting of `a` that overlaps a meeting of `b` in time, as UTC (start, end).

    Meetings that only touch (one ends at 13:00, the next starts at 13:00) do not clash.
    """
    spans_a, spans_b = meeting_spans(a), meeting_spans(b)
    if (not spans_a or not spans_b or spans_a[-1][1] <= spans_b[0][0]
            or spans_b[-1][1] <= spans_a[0][0]):
        return None
    i = j = 0
    while i < len(spans_a) and j < len(spans_b):
        start_a, end_a = spans_a[i]
        start_b, end_b = spans_b[j]
        if start_a < end_b and start_b < end_a:
            return (dt.datetime.fromtimestamp(start_a, dt.UTC),
                    dt.datetime.fromtimestamp(end_a, dt.UTC))
        if end_a <= end_b:
            i += 1
        else:
            j += 1
    return None


def load_offerings_json(text: str, *, source: str) -> OfferingsFile:
    """Parse an offerings file; every failure is a one-line `OfferingsError`."""
    try:
        parsed = msgspec.json.decode(text, type=OfferingsFile)
    except msgspec.ValidationError as exc:
        message, segments, value = locate(exc, _loads(text, source))
        where = "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in segments)
        _fail(source, where.removeprefix(".") or "(top level)",
              out_of_range(message, value) or message)
    except msgspec.DecodeError:
        _loads(text, source)
        _fail(source, "(top level)", "not valid JSON")
    except RecursionError:
        _fail(source, "(top level)", "not valid JSON: nested too deeply")
    seen: set[str] = set()
    for index, offering in enumerate(parsed.offerings):
        where = f"offerings[{index}]"
        if offering.id in seen:
            _fail(source, f"{where}.id", f"{show_value(offering.id)} appears twice")
        seen.add(offering.id)
        problem = offering_problem(offering)
        if problem is not None:
            key, what = problem
            _fail(source, f"{where}.{key}", what)
    return parsed


def _loads(text: str, source: str) -> object:
    """The file as plain JSON, to point at a refused value; None when it cannot be shown."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        _fail(source, "(top level)",
              f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")
    except RecursionError:
        _fail(source, "(top level)", "not valid JSON: nested too deeply")
    except ValueError:
        return None  # a number of more than 4,300 digits


def offering_problem(offering: Offering) -> tuple[str, str] | None:
    """The first key of `offering` that is wrong and what is wrong with it, or None.

    What the file's shapes cannot say; the catalogue's actions ask the same of
    an offering staff publish.
    """
    for key, value in (("id", offering.id), ("intake", offering.intake)):
        if value is not None and (problem := identifier_problem(value)) is not None:
            return key, problem
    if offering.private_to is not None and (problem := text_problem(offering.private_to)):
        return "private_to", problem
    if offering.public_seats:
        if offering.private_to is None:
            return "public_seats", "only a private run opens some of its seats to the public"
        if offering.capacity is not None and offering.public_seats > offering.capacity:
            return "public_seats", (f"{offering.public_seats} is more than the capacity "
                                    f"{offering.capacity}")
    if offering.meeting_link is not None:
        problem = text_problem(offering.meeting_link, max_length=500)
        if problem is None and not offering.meeting_link.startswith("https://"):
            problem = f"{show_value(offering.meeting_link)} is not an https:// address"
        if problem is not None:
            return "meeting_link", problem
    for i, name in enumerate(offering.instructors):
        if (problem := text_problem(name, max_length=150)) is not None:
            return f"instructors[{i}]", problem
        if name in offering.instructors[:i]:
            return f"instructors[{i}]", f"{show_value(name)} appears twice"
    for key, day in (("starts_on", offering.starts_on), ("ends_on", offering.ends_on)):
        if (problem := date_problem(day)) is not None:
            return key, problem
    if offering.ends_on < offering.starts_on:
        return "ends_on", (f"{offering.ends_on.isoformat()} is before starts_on "
                           f"{offering.starts_on.isoformat()}")
    m = offering.meetings
    if m is None:
        return None
    try:
        zone_named(m.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return "meetings.timezone", f"{show_value(m.timezone)} is not a known IANA time zone"
    if not m.days:
        return "meetings.days", "needs at least one day"
    for i, day in enumerate(m.cancelled):
        if (problem := date_problem(day)) is not None:
            return f"meetings.cancelled[{i}]", problem
    for i, move in enumerate(m.moved):
        for key, day in (("from", move.from_), ("to", move.to)):
            if (problem := date_problem(day)) is not None:
                return f"meetings.moved[{i}].{key}", problem
    return None


def _fail(source: str, where: str, what: str) -> NoReturn:
    raise OfferingsError(f"{source}: {where}: {what}")


def move_problem(offering: Offering, day: dt.date, to: dt.date) -> str | None:
    """Why the meeting held on `day` may not move to `to`, or None.

    `day` is the day it happens now (a meeting moved before moves again from its
    new day); `to` is any other day in the plausible range, one the run meets on
    too included (the seeds' move "a week later" lands on the next week's meeting
    day: that day then has both).
    """
    if day not in set(meeting_days(offering)):
        return f"{offering.id} has no meeting on {day.isoformat()}"
    if (problem := date_problem(to)) is not None:
        return problem
    if to == day:
        return f"the meeting is on {day.isoformat()} already"
    return None


def with_move(moves: tuple[Move, ...], day: dt.date, to: dt.date) -> tuple[Move, ...]:
    """The moves once the meeting held on `day` goes to `to`, keyed by the day it was
    scheduled on (a move back to that day leaves no move at all)."""
    scheduled = next((m.from_ for m in moves if m.to == day), day)
    kept = tuple(m for m in moves if m.from_ != scheduled)
    return kept if to == scheduled else (*kept, Move(from_=scheduled, to=to))
