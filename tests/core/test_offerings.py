"""When offerings meet: weekly meetings in their own zone, cancellations, moves, clock changes."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from hypothesis import given, settings
from hypothesis import strategies as st

from pathwise.core.availability import Window
from pathwise.core.offerings import (
    WEEKDAYS,
    Meetings,
    Move,
    Offering,
    meeting_spans,
    occurrences,
)
from pathwise.core.planner import fits


def run(**meetings: object) -> Offering:
    values: dict[str, object] = {"days": ("TU", "TH"), "time": "12:00", "minutes": 90,
                                 "timezone": "America/New_York"}
    values.update(meetings)
    return Offering(id="CODE25W", component="CODE", starts_on=dt.date(2025, 1, 28),
                    ends_on=dt.date(2025, 3, 18), meetings=Meetings(**values))  # type: ignore[arg-type]


def test_meetings_keep_their_local_hour_across_daylight_saving() -> None:
    starts = [s.astimezone(dt.UTC) for s, _ in occurrences(run())]
    assert starts[0] == dt.datetime(2025, 1, 28, 17, tzinfo=dt.UTC)
    assert starts[-1] == dt.datetime(2025, 3, 18, 16, tzinfo=dt.UTC)
    assert len(starts) == 15


def test_cancelled_meetings_are_gone_and_moved_ones_happen_a_week_later() -> None:
    got = [s.date() for s, _ in occurrences(run(
        cancelled=(dt.date(2025, 2, 4),),
        moved=(Move(from_=dt.date(2025, 2, 6), to=dt.date(2025, 2, 13)),)))]
    assert dt.date(2025, 2, 4) not in got
    assert got.count(dt.date(2025, 2, 13)) == 2
    assert dt.date(2025, 2, 6) not in got


def test_a_meeting_across_a_clock_change_lasts_its_real_length() -> None:
    sunday = Offering(id="X", component="CODE", starts_on=dt.date(2025, 3, 9),
                      ends_on=dt.date(2025, 3, 9),
                      meetings=Meetings(days=("SU",), time="01:30", minutes=90,
                                        timezone="America/New_York"))
    ((start, end),) = list(occurrences(sunday))
    assert end.astimezone(dt.UTC) - start.astimezone(dt.UTC) == dt.timedelta(minutes=90)
    assert end.hour == 4  # 01:30 EST + 90 minutes = 04:00 EDT


# -- the fast paths give what the plain definitions give -------------------------------

ZONES = ("America/New_York", "Europe/London", "Australia/Sydney", "Asia/Kolkata",
         "Pacific/Chatham", "America/St_Johns", "Africa/Casablanca", "UTC")


@st.composite
def offerings_with_meetings(draw: st.DrawFn) -> Offering:
    starts_on = draw(st.dates(dt.date(2024, 1, 1), dt.date(2027, 12, 1)))
    ends_on = starts_on + dt.timedelta(days=draw(st.integers(0, 120)))
    span = [starts_on + dt.timedelta(days=n) for n in range((ends_on - starts_on).days + 1)]
    moved_from = draw(st.lists(st.sampled_from(span), max_size=3, unique=True))
    meetings = Meetings(
        days=tuple(draw(st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=7))),
        time=f"{draw(st.integers(0, 23)):02d}:{draw(st.sampled_from([0, 15, 30, 45])):02d}",
        minutes=draw(st.sampled_from([1, 45, 90, 180, 600, 24 * 60])),
        timezone=draw(st.sampled_from(ZONES)),
        cancelled=tuple(draw(st.lists(st.sampled_from(span), max_size=3))),
        moved=tuple(Move(from_=d, to=d + dt.timedelta(days=7)) for d in moved_from))
    return Offering(id="RUN", component="CODE", starts_on=starts_on, ends_on=ends_on,
                    meetings=meetings)


def days_one_by_one(offering: Offering) -> list[dt.date]:
    """The definition: every day from the first to the last, kept if it is a meeting day."""
    m = offering.meetings
    assert m is not None
    wanted = {WEEKDAYS.index(d) for d in m.days}
    moved = {mv.from_: mv.to for mv in m.moved}
    days, day = [], offering.starts_on
    while day <= offering.ends_on:
        if day.weekday() in wanted and day not in m.cancelled:
            days.append(moved.get(day, day))
        day += dt.timedelta(days=1)
    return sorted(days)


def fits_by_clock(offering: Offering, zone: zoneinfo.ZoneInfo,
                  windows: tuple[Window, ...]) -> bool:
    """The definition: each meeting's start and end on the participant's own clock."""
    for start, end in occurrences(offering):
        local_start, local_end = start.astimezone(zone), end.astimezone(zone)
        first = local_start.hour * 60 + local_start.minute
        if local_end.date() == local_start.date():
            last = local_end.hour * 60 + local_end.minute
        elif (local_end.date() == local_start.date() + dt.timedelta(days=1)
              and not (local_end.hour or local_end.minute)):
            last = 24 * 60
        else:
            return False
        if not any(local_start.weekday() in w.days and w.start <= first and last <= w.end
                   for w in windows):
            return False
    return True


@settings(max_examples=300, deadline=None)
@given(offering=offerings_with_meetings(), zone=st.sampled_from(ZONES),
       windows=st.lists(st.builds(lambda days, a, b: Window(frozenset(days), min(a, b),
                                                            max(a, b) + 1),
                                  st.sets(st.integers(0, 6), min_size=1),
                                  st.integers(0, 24 * 60 - 1), st.integers(0, 24 * 60 - 1)),
                        min_size=1, max_size=3))
def test_meeting_days_spans_and_fits_agree_with_their_plain_definitions(
    offering: Offering, zone: str, windows: list[Window]
) -> None:
    meetings = list(occurrences(offering))
    assert [start.date() for start, _ in meetings] == days_one_by_one(offering)
    assert meeting_spans(offering) == tuple(sorted(
        (start.timestamp(), end.timestamp()) for start, end in meetings))
    there = zoneinfo.ZoneInfo(zone)
    assert fits(offering, there, tuple(windows)) == fits_by_clock(offering, there,
                                                                  tuple(windows))
