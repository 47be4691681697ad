"""Calendar feeds, read back by an independent parser (vobject), with times checked in UTC.

Each event's local time is resolved with the VTIMEZONE shipped in the same
file, never with a zone database the reader already has: a feed whose
VTIMEZONE were wrong or missing would fail here as it would in a calendar app.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import Any

import pytest
import vobject
from hypothesis import given, settings
from hypothesis import strategies as st

from pathwise.core.calendar import CalendarError, OfferingEvents, SingleEvent, build_calendar
from pathwise.core.offerings import WEEKDAYS, Meetings, Move, Offering, Weekday, occurrences

D = dt.date.fromisoformat
NOW = dt.datetime(2025, 1, 15, 9, 30, tzinfo=dt.UTC)


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class ReadEvent:
    uid: str
    summary: str
    start: dt.datetime  # UTC
    end: dt.datetime  # UTC
    tzid: str | None


@dataclass(frozen=True)
class ReadCalendar:
    name: str
    tzids: list[str]
    events: dict[str, ReadEvent]
    stamps: set[str]

    def starts(self) -> list[dt.datetime]:
        return sorted(e.start for e in self.events.values())


def read_back(ics: bytes) -> ReadCalendar:
    text = ics.decode("utf-8")
    # Zones come from this file's own VTIMEZONEs (vobject hands them to dateutil).
    parsed = vobject.readOne(text)
    zones = {vtz.tzid.value: vtz.gettzinfo() for vtz in parsed.contents.get("vtimezone", [])}
    # Raw values, so that vobject's process-wide zone cache cannot fill a gap.
    raw = vobject.readOne(text, transform=False)
    events: dict[str, ReadEvent] = {}
    stamps: set[str] = set()
    for vevent in raw.contents.get("vevent", []):
        uid = vevent.contents["uid"][0].value
        assert uid not in events, f"UID {uid} appears twice"
        start, tzid = _instant(vevent.contents["dtstart"][0], zones)
        end, end_tzid = _instant(vevent.contents["dtend"][0], zones)
        assert tzid == end_tzid
        stamps.add(vevent.contents["dtstamp"][0].value)
        events[uid] = ReadEvent(uid, vevent.contents["summary"][0].value, start, end, tzid)
    return ReadCalendar(
        name=raw.contents["x-wr-calname"][0].value,
        tzids=[vtz.contents["tzid"][0].value for vtz in raw.contents.get("vtimezone", [])],
        events=events,
        stamps=stamps,
    )


def _instant(line: Any, zones: dict[str, dt.tzinfo]) -> tuple[dt.datetime, str | None]:
    value: str = line.value
    wall = dt.datetime.strptime(value.rstrip("Z"), "%Y%m%dT%H%M%S")  # noqa: DTZ007
    if value.endswith("Z"):
        return wall.replace(tzinfo=dt.UTC), None
    tzid = line.params["TZID"][0]
    assert tzid in zones, f"TZID {tzid} has no VTIMEZONE in the file"
    return wall.replace(tzinfo=zones[tzid]).astimezone(dt.UTC), tzid


def weekly(offering_id: str, starts_on: str, ends_on: str, *, days: tuple[Weekday, ...] = ("TU",),
           time: str = "12:00", minutes: int = 90, timezone: str = "America/New_York",
           cancelled: tuple[str, ...] = (), moved: tuple[tuple[str, str], ...] = ()
           ) -> Offering:
    return Offering(
        id=offering_id, component="CODE", starts_on=D(starts_on), ends_on=D(ends_on),
        meetings=Meetings(
            days=days,
            time=time, minutes=minutes, timezone=timezone,
            cancelled=tuple(D(c) for c in cancelled),
            moved=tuple(Move(from_=D(f), to=D(t)) for f, t in moved),
        ),
    )


def course(offering: Offering) -> OfferingEvents:
    return OfferingEvents(offering, f"{offering.component} — Content Design", "Week by week.")


# 2025-03-09 is the Sunday the United States moves to daylight time.
CODE_NY = weekly("CODE25W", "2025-02-25", "2025-03-18")
# 2025-03-30 is the Sunday the United Kingdom moves to summer time.
PBK_LONDON = weekly("PBK25S", "2025-03-20", "2025-04-03", days=("TH",), time="18:00",
                    minutes=60, timezone="Europe/London")


def test_new_york_noon_meetings_are_17_utc_before_the_dst_change_and_16_utc_after() -> None:
    cal = read_back(build_calendar("Ada", [course(CODE_NY)], now=NOW))

    assert cal.starts() == [utc("2025-02-25T17:00"), utc("2025-03-04T17:00"),
                            utc("2025-03-11T16:00"), utc("2025-03-18T16:00")]
    ends = sorted(e.end for e in cal.events.values())
    assert ends == [utc("2025-02-25T18:30"), utc("2025-03-04T18:30"),
                    utc("2025-03-11T17:30"), utc("2025-03-18T17:30")]
    assert {e.tzid for e in cal.events.values()} == {"America/New_York"}


def test_london_evening_meetings_move_an_hour_earlier_in_utc_after_summer_time_begins() -> None:
    cal = read_back(build_calendar("Ada", [course(PBK_LONDON)], now=NOW))

    assert cal.starts() == [utc("2025-03-20T18:00"), utc("2025-03-27T18:00"),
                            utc("2025-04-03T17:00")]


def test_a_cancelled_meeting_is_not_in_the_calendar() -> None:
    offering = weekly("CODE25W", "2025-02-25", "2025-03-18", cancelled=("2025-03-04",))

    cal = read_back(build_calendar("Ada", [course(offering)], now=NOW))

    assert cal.starts() == [utc("2025-02-25T17:00"), utc("2025-03-11T16:00"),
                            utc("2025-03-18T16:00")]
    assert "CODE25W-2025-03-04@pathwise" not in cal.events


def test_a_moved_meeting_is_on_its_new_date_and_keeps_the_uid_of_its_scheduled_date() -> None:
    offering = weekly("CODE25W", "2025-02-25", "2025-03-18",
                      moved=(("2025-03-04", "2025-03-25"),))

    cal = read_back(build_calendar("Ada", [course(offering)], now=NOW))

    moved = cal.events["CODE25W-2025-03-04@pathwise"]
    assert (moved.start, moved.end) == (utc("2025-03-25T16:00"), utc("2025-03-25T17:30"))
    assert utc("2025-03-04T17:00") not in cal.starts()
    assert len(cal.events) == 4


def test_a_meeting_moved_onto_another_meetings_date_still_gets_its_own_uid() -> None:
    offering = weekly("CODE25W", "2025-02-25", "2025-03-11", moved=(("2025-03-04", "2025-03-11"),))

    cal = read_back(build_calendar("Ada", [course(offering)], now=NOW))

    assert sorted(cal.events) == ["CODE25W-2025-02-25@pathwise", "CODE25W-2025-03-04@pathwise",
                                  "CODE25W-2025-03-11@pathwise"]
    assert cal.starts().count(utc("2025-03-11T16:00")) == 2


def test_each_zone_used_has_exactly_one_vtimezone_and_utc_needs_none() -> None:
    skills_share = SingleEvent("QSS-2025-03@pathwise", "Quarterly Skills Share",
                               dt.datetime(2025, 3, 13, 15, tzinfo=dt.UTC), 60)
    second_ny = weekly("CODE25X", "2025-04-01", "2025-04-08")

    ics = build_calendar("Ada", [course(CODE_NY), course(PBK_LONDON), course(second_ny),
                                 skills_share], now=NOW)

    assert read_back(ics).tzids == ["America/New_York", "Europe/London"]


def test_single_events_keep_their_zone_and_fixed_offsets_become_utc() -> None:
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    orientation = SingleEvent("ORIENT-25A@pathwise", "Orientation",
                              dt.datetime(2025, 3, 31, 16, tzinfo=berlin), 120)
    workshop = SingleEvent("MW-FEEDBACK-25A@pathwise", "Giving and receiving feedback",
                           dt.datetime(2025, 4, 7, 10, tzinfo=dt.timezone(dt.timedelta(hours=-7))),
                           90)

    cal = read_back(build_calendar("Ada", [orientation, workshop], now=NOW))

    ours = cal.events["ORIENT-25A@pathwise"]
    assert (ours.start, ours.end, ours.tzid) == (utc("2025-03-31T14:00"),
                                                utc("2025-03-31T16:00"), "Europe/Berlin")
    theirs = cal.events["MW-FEEDBACK-25A@pathwise"]
    assert (theirs.start, theirs.end, theirs.tzid) == (utc("2025-04-07T17:00"),
                                                      utc("2025-04-07T18:30"), None)
    assert cal.tzids == ["Europe/Berlin"]


def test_a_single_event_spanning_the_dst_change_lasts_its_minutes_of_real_time() -> None:
    new_york = zoneinfo.ZoneInfo("America/New_York")
    # 01:00 EST plus two hours is 04:00 EDT: the clock skips 02:00-03:00.
    night = SingleEvent("QSS-night@pathwise", "Skills share (Pacific cohort)",
                        dt.datetime(2025, 3, 9, 1, tzinfo=new_york), 120)

    event = read_back(build_calendar("Ada", [night], now=NOW)).events["QSS-night@pathwise"]

    assert (event.start, event.end) == (utc("2025-03-09T06:00"), utc("2025-03-09T08:00"))


def test_the_calendar_carries_its_name_for_calendar_apps() -> None:
    cal = read_back(build_calendar("Pathwise — Ada Lovelace", [course(CODE_NY)], now=NOW))

    assert cal.name == "Pathwise — Ada Lovelace"


def test_two_builds_of_the_same_schedule_are_identical_bytes_with_stable_uids() -> None:
    sources = [course(PBK_LONDON), course(CODE_NY)]

    first = build_calendar("Ada", sources, now=NOW)
    second = build_calendar("Ada", list(reversed(sources)), now=NOW)

    assert first == second
    assert sorted(read_back(first).events) == [
        "CODE25W-2025-02-25@pathwise", "CODE25W-2025-03-04@pathwise",
        "CODE25W-2025-03-11@pathwise", "CODE25W-2025-03-18@pathwise",
        "PBK25S-2025-03-20@pathwise", "PBK25S-2025-03-27@pathwise",
        "PBK25S-2025-04-03@pathwise",
    ]


def test_a_later_build_differs_only_in_its_dtstamp() -> None:
    earlier = build_calendar("Ada", [course(CODE_NY)], now=NOW)
    later_now = dt.datetime(2025, 2, 1, 8, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))
    later = build_calendar("Ada", [course(CODE_NY)], now=later_now)

    assert read_back(later).stamps == {"20250201T070000Z"}
    assert later.replace(b"20250201T070000Z", b"20250115T093000Z") == earlier


def test_an_empty_schedule_is_still_a_valid_calendar() -> None:
    cal = read_back(build_calendar("Ada", [], now=NOW))

    assert (cal.events, cal.tzids, cal.name) == ({}, [], "Ada")


def test_uid_base_lets_the_caller_choose_the_uid_prefix() -> None:
    source = OfferingEvents(CODE_NY, "CODE", uid_base="enr-42")

    cal = read_back(build_calendar("Ada", [source], now=NOW))

    assert "enr-42-2025-02-25@pathwise" in cal.events


@pytest.mark.parametrize(
    ("sources", "now", "message"),
    [
        ([SingleEvent("x", "X", dt.datetime(2025, 3, 1, 12), 60)],  # noqa: DTZ001
         NOW, "event 'x' start: 2025-03-01T12:00:00 has no time zone"),
        ([], dt.datetime(2025, 3, 1, 12), "now: 2025-03-01T12:00:00 has no time zone"),  # noqa: DTZ001
        ([SingleEvent("x", "X", NOW, 0)], NOW, "event 'x': needs at least one minute, got 0"),
        ([SingleEvent("CODE25W-2025-02-25@pathwise", "X", NOW, 60), course(CODE_NY)], NOW,
         "two events share the UID 'CODE25W-2025-02-25@pathwise'"),
    ],
)
def test_events_that_cannot_be_written_correctly_are_refused_with_the_reason(
    sources: list[OfferingEvents | SingleEvent], now: dt.datetime, message: str
) -> None:
    with pytest.raises(CalendarError, match="^" + message.replace("(", r"\(")):
        build_calendar("Ada", sources, now=now)


ZONES = ["America/New_York", "Europe/London", "America/Santiago", "Australia/Lord_Howe",
         "Pacific/Auckland", "Asia/Kolkata", "America/St_Johns"]


@st.composite
def offerings(draw: st.DrawFn) -> Offering:
    starts_on = draw(st.dates(dt.date(2024, 1, 1), dt.date(2027, 12, 31)))
    ends_on = starts_on + dt.timedelta(days=draw(st.integers(0, 120)))
    days = tuple(sorted(draw(st.sets(st.sampled_from(WEEKDAYS), min_size=1, max_size=3)),
                        key=WEEKDAYS.index))
    # Daytime only: a meeting at a wall-clock time that a DST change skips has
    # no one right answer, and no zone here changes its clocks between 06 and 22.
    hour = draw(st.integers(6, 21))
    minute = draw(st.sampled_from([0, 15, 30, 45]))
    every_day = [starts_on + dt.timedelta(days=n) for n in range((ends_on - starts_on).days + 1)]
    cancelled = tuple(draw(st.lists(st.sampled_from(every_day), max_size=3, unique=True)))
    return Offering(
        id="RUN", component="CODE", starts_on=starts_on, ends_on=ends_on,
        meetings=Meetings(days=days, time=f"{hour:02d}:{minute:02d}",
                          minutes=draw(st.integers(30, 120)),
                          timezone=draw(st.sampled_from(ZONES)), cancelled=cancelled),
    )


@settings(max_examples=60, deadline=None)
@given(offerings())
def test_every_meeting_read_back_is_at_the_same_utc_instant_as_the_offering_says(
    offering: Offering,
) -> None:
    expected = sorted((s.astimezone(dt.UTC), e.astimezone(dt.UTC))
                      for s, e in occurrences(offering))

    cal = read_back(build_calendar("Ada", [course(offering)], now=NOW))

    assert sorted((e.start, e.end) for e in cal.events.values()) == expected
    assert cal.tzids == ([offering.meetings.timezone] if expected and offering.meetings else [])


def test_a_single_event_in_the_repeated_hour_of_a_dst_change_is_written_at_its_exact_instant(
) -> None:
    new_york = zoneinfo.ZoneInfo("America/New_York")
    # 01:30 happens twice on 2025-11-02; fold=1 is the second time, in EST.
    second = SingleEvent("late@pathwise", "Late", dt.datetime(2025, 11, 2, 1, 30, fold=1,
                                                              tzinfo=new_york), 30)
    # 00:30 EDT plus 90 minutes ends at the second 01:00.
    across = SingleEvent("across@pathwise", "Across", dt.datetime(2025, 11, 2, 0, 30,
                                                                  tzinfo=new_york), 90)

    events = read_back(build_calendar("Ada", [second, across], now=NOW)).events

    assert (events["late@pathwise"].start, events["late@pathwise"].end) == (
        utc("2025-11-02T06:30"), utc("2025-11-02T07:00"))
    assert (events["across@pathwise"].start, events["across@pathwise"].end) == (
        utc("2025-11-02T04:30"), utc("2025-11-02T06:00"))
