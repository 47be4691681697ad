"""A participant's schedule as an RFC 5545 calendar, for the calendar-feed URL.

The caller hands over plain event sources — the offerings someone is enrolled
in and single events such as orientation or a skills share — and gets back the
bytes of one VCALENDAR. Every time is written in its own IANA zone with a
VTIMEZONE describing that zone, so a calendar app in any other zone shows the
right local time on both sides of a daylight-saving change.

The output depends only on the input: the same sources and `now` give the same
bytes, so a feed that has not changed looks unchanged to the apps polling it.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import msgspec
from icalendar import Calendar, Event, Timezone

from pathwise.core.errors import PathwiseError
from pathwise.core.offerings import Offering, occurrences

PRODID = "-//Pathwise//Participant calendar//EN"
UID_DOMAIN = "pathwise"


class CalendarError(PathwiseError):
    """The events given cannot make a valid calendar."""


@dataclass(frozen=True, slots=True)
class OfferingEvents:
    """Every actual meeting of one offering the participant is enrolled in.

    `uid_base` defaults to the offering id: everyone enrolled in a run then
    shares the same UID for the same meeting, which is what it is.
    """

    offering: Offering
    summary: str
    description: str = ""
    uid_base: str | None = None


@dataclass(frozen=True, slots=True)
class SingleEvent:
    """One meeting at a known instant: orientation, a mini-workshop, a skills share.

    `starts_at` must be aware; with a `zoneinfo.ZoneInfo` the event is written
    in that zone, with any other tzinfo it is written in UTC.
    """

    uid: str
    summary: str
    starts_at: dt.datetime
    minutes: int
    description: str = ""


EventSource = OfferingEvents | SingleEvent


@dataclass(frozen=True, slots=True)
class _Entry:
    uid: str
    summary: str
    description: str
    start: dt.datetime
    end: dt.datetime


def build_calendar(name: str, sources: Iterable[EventSource], *, now: dt.datetime) -> bytes:
    """The participant's calendar as RFC 5545 bytes.

    `now` becomes every event's DTSTAMP; it is a parameter so that two builds
    of the same schedule are byte-for-byte equal when it is.
    """
    stamp = _aware(now, "now").astimezone(dt.UTC)
    entries: list[_Entry] = []
    for source in sources:
        if isinstance(source, OfferingEvents):
            entries.extend(_offering_entries(source))
        else:
            entries.append(_single_entry(source))
    _refuse_duplicate_uids(entries)
    # Sorted by instant, so the file reads in the order the meetings happen.
    entries.sort(key=lambda e: (e.start.astimezone(dt.UTC), e.uid))

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    # Sets both NAME (RFC 7986) and X-WR-CALNAME, which most apps still read.
    cal.calendar_name = name
    for entry in entries:
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.start)
        event.add("dtend", entry.end)
        event.add("summary", entry.summary)
        if entry.description:
            event.add("description", entry.description)
        cal.add_component(event)
    # VTIMEZONEs go before the events that use them; icalendar's own list of
    # the TZIDs it wrote leaves out the zones it writes as UTC ("...Z").
    for index, tzid in enumerate(sorted(cal.get_missing_tzids())):
        cal.subcomponents.insert(index, _timezone(tzid, entries))
    ical: bytes = cal.to_ical()
    return ical


def _offering_entries(source: OfferingEvents) -> Iterator[_Entry]:
    base = source.uid_base if source.uid_base is not None else source.offering.id
    for scheduled_on, start, end in _meetings_with_scheduled_date(source.offering):
        yield _Entry(
            uid=f"{base}-{scheduled_on.isoformat()}@{UID_DOMAIN}",
            summary=source.summary,
            description=source.description,
            start=start,
            end=end,
        )


def _meetings_with_scheduled_date(
    offering: Offering,
) -> Iterator[tuple[dt.date, dt.datetime, dt.datetime]]:
    """Each actual meeting with the date it was originally scheduled for.

    The UID is keyed on the scheduled date, not the actual one, so a moved
    meeting keeps its identity: a calendar app updates the event (and keeps any
    alarm the participant set on it) instead of deleting one and adding another.
    The times themselves always come from `occurrences`, the one home of the
    cancellation and move rules.
    """
    meetings = offering.meetings
    if meetings is None:
        return
    unmoved = msgspec.structs.replace(
        offering, meetings=msgspec.structs.replace(meetings, moved=()))
    moved_to = {move.from_: move.to for move in meetings.moved}
    scheduled_for: dict[dt.date, list[dt.date]] = defaultdict(list)
    for start, _ in occurrences(unmoved):
        day = start.date()
        scheduled_for[moved_to.get(day, day)].append(day)
    for start, end in occurrences(offering):
        candidates = scheduled_for[start.date()]
        # Should the two ever disagree, the actual date is still a sound key;
        # a clash it caused would be refused as a duplicate UID, not written.
        scheduled_on = candidates.pop(0) if candidates else start.date()
        yield scheduled_on, start, end


def _single_entry(event: SingleEvent) -> _Entry:
    start = _aware(event.starts_at, f"event {event.uid!r} start")
    if event.minutes < 1:
        raise CalendarError(f"event {event.uid!r}: needs at least one minute, "
                            f"got {event.minutes}")
    # Wall-clock arithmetic is wrong across a DST change; add the length in UTC.
    end = (start.astimezone(dt.UTC) + dt.timedelta(minutes=event.minutes)).astimezone(
        start.tzinfo)
    if not (_names_a_zone(start) and _wall_time_is_exact(start) and _wall_time_is_exact(end)):
        # UTC is exact where a zone's wall time would not be: a fixed offset
        # names no zone a calendar app could look up, and a reader takes the
        # first of two repeated wall times (RFC 5545, 3.3.5) where we meant the
        # second.
        start, end = start.astimezone(dt.UTC), end.astimezone(dt.UTC)
    return _Entry(uid=event.uid, summary=event.summary, description=event.description,
                  start=start, end=end)


def _names_a_zone(moment: dt.datetime) -> bool:
    return isinstance(moment.tzinfo, zoneinfo.ZoneInfo) and moment.tzinfo.key is not None


def _wall_time_is_exact(moment: dt.datetime) -> bool:
    """Whether the wall time alone, read as RFC 5545 reads it, is this instant.

    A reader resolves a repeated wall time to its first occurrence and a
    skipped one with the offset before the gap, which is what fold=0 means.
    """
    return moment.replace(fold=0).astimezone(dt.UTC) == moment.astimezone(dt.UTC)


def _timezone(tzid: str, entries: list[_Entry]) -> Timezone:
    """The VTIMEZONE for one zone, covering whole years around the events in it.

    icalendar's `add_missing_timezones` would build these too, but walks a set,
    so the order of the components would change from one process to the next;
    its default span (1970-2038) would also make every feed needlessly long.
    """
    moments = [moment for entry in entries for moment in (entry.start, entry.end)
               if isinstance(moment.tzinfo, zoneinfo.ZoneInfo) and moment.tzinfo.key == tzid]
    first = dt.date(min(moments).year, 1, 1)
    last = dt.date(max(moments).year + 1, 1, 1)
    return Timezone.from_tzid(tzid, first_date=first, last_date=last)


def _refuse_duplicate_uids(entries: list[_Entry]) -> None:
    seen: set[str] = set()
    for entry in entries:
        if entry.uid in seen:
            raise CalendarError(f"two events share the UID {entry.uid!r}; "
                                "calendar apps would show only one of them")
        seen.add(entry.uid)


def _aware(moment: dt.datetime, what: str) -> dt.datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise CalendarError(f"{what}: {moment.isoformat()} has no time zone")
    return moment
