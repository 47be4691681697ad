"""Attendance from video-call exports: read them, merge each person's joins, match a roster.

Three exports are read, told apart by their first line: a Zoom participant
report (CSV, with or without its meeting block), a Microsoft Teams attendance
report (UTF-16 text with tabs, in numbered sections) and a Google Meet
attendance sheet (CSV). Each becomes the same neutral list of `Join` rows, so
merging and matching know nothing of where a row came from.

Times in these files are the local times of the account that downloaded them,
written in its locale. The caller gives that zone and the meeting's day. A
date such as 03/11/2026 is month/day in one locale and day/month in another;
the file's order is the one under which every date in it falls on or next to
the meeting's day. When neither order does, or the dates disagree, the file
is refused naming the value: it is never guessed.

Present means at least the program's share of the scheduled minutes inside
the scheduled window, joins overlapping counting once. Rows are matched by
e-mail (any known address of a roster person), then by exact name (spaces and
case aside), and only to a single person; anything else is left for staff to
assign by hand. Never by a name that merely looks alike.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zoneinfo
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal, NoReturn

from pathwise.core.errors import AttendanceFileError
from pathwise.core.inputs import control_character, email_problem, show_value

Format = Literal["zoom", "teams", "meet"]
FORMAT_NAMES: dict[Format, str] = {"zoom": "Zoom", "teams": "Teams", "meet": "Google Meet"}

#: Far beyond a real export (a 25-person run joining and leaving all day is a few
#: hundred rows), small enough to read in memory at once.
MAX_BYTES = 5_000_000
MAX_ROWS = 20_000


@dataclass(frozen=True, slots=True)
class Join:
    """One row of an export: someone in the meeting from `joined` until `left` (UTC).

    `seconds`, when given, is the time the export says they were in the meeting
    between the two, which is less than the span when they left and came back
    (Teams without its activities, Google Meet: one row per person).
    `aliases` are other names the row goes by (Zoom's "Renamed (Original Name)").
    """

    name: str
    email: str | None
    joined: dt.datetime
    left: dt.datetime
    seconds: int | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Export:
    format: Format
    joins: tuple[Join, ...]


# -- reading ------------------------------------------------------------------------


def read_export(data: bytes, *, day: dt.date, zone: str, source: str) -> Export:
    """Read a Zoom, Teams or Google Meet attendance export of a meeting held on `day`.

    `zone` is the time zone the export's times are written in (its account's).
    Every problem is one `AttendanceFileError` naming the line, column and value.
    """
    try:
        tz = zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        raise AttendanceFileError(
            f"{source}: {show_value(zone)} is not a known IANA time zone") from None
    text = _decode(data, source)
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if not first:
        raise AttendanceFileError(f"{source}: the file is empty")
    reader = _Reader(source, day, tz)
    if re.fullmatch(r"1\.\s*summary", first.casefold()):
        return reader.teams(text)
    header = {_norm(cell) for cell in next(csv.reader([first]))}
    if "meeting id" in header or "name (original name)" in header or {
            "join time", "leave time"} <= header:
        return reader.zoom(text)
    if {"first name", "last name"} <= header:
        return reader.meet(text)
    raise AttendanceFileError(
        f"{source}: not a Zoom, Teams or Google Meet attendance export "
        f"(its first line is {show_value(first)})")


def _decode(data: bytes, source: str) -> str:
    if not data:
        raise AttendanceFileError(f"{source}: the file is empty")
    if len(data) > MAX_BYTES:
        raise AttendanceFileError(
            f"{source}: the file is {len(data):,} bytes; an attendance export is at most "
            f"{MAX_BYTES:,}")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif b"\x00" in data:
        line = data[:data.index(b"\x00")].count(b"\n") + 1
        raise AttendanceFileError(
            f"{source}: line {line}: a NUL byte: not text, or UTF-16 without its "
            "byte-order mark (save it as UTF-8 or UTF-16 with one)")
    else:
        encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise AttendanceFileError(
            f"{source}: line {line}: byte 0x{data[exc.start]:02x} cannot be read as "
            f"{'UTF-16' if encoding == 'utf-16' else 'UTF-8'} (save the export as UTF-8)"
        ) from None
    return text.removeprefix("\ufeff")


def _norm(header: str) -> str:
    return " ".join(header.replace("\ufeff", "").split()).casefold()


_DATE_TIME = re.compile(
    r"(?:(?P<a>\d{1,4})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<c>\d{2,4}),?\s+)?"
    r"(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?\s*(?P<ampm>[AaPp]\.?\s?[Mm]\.?)?")
_TEAMS_DURATION = re.compile(r"(?:(\d+)\s*h)?\s*(?:(\d+)\s*m)?\s*(?:(\d+)\s*s)?")
_MEET_DURATION = re.compile(r"(?:(\d+)\s*hrs?)?\s*(?:(\d+)\s*mins?)?\s*(?:(\d+)\s*secs?)?")
_RENAMED = re.compile(r"(.*\S)\s*\(([^()]*\S[^()]*)\)")

Order = Literal["month/day", "day/month"]
_ORDERS: tuple[Order, ...] = ("month/day", "day/month")


@dataclass(slots=True)
class _Stamp:
    """A date and time as written, waiting for the file's date order to be known."""

    line: int
    column: str
    text: str
    parts: re.Match[str]
    readings: dict[Order, dt.date]


class _Row:
    __slots__ = ("cells", "line")

    def __init__(self, line: int, cells: dict[str, str]) -> None:
        self.line = line
        self.cells = cells


class _Reader:
    """One export being read: its source for messages, the meeting's day and zone."""

    def __init__(self, source: str, day: dt.date, tz: zoneinfo.ZoneInfo) -> None:
        self.source = source
        self.day = day
        self.tz = tz
        self.rows = 0
        self._dates: dict[tuple[str | None, str, str], dict[Order, dt.date]] = {}

    def fail(self, line: int, message: str, column: str | None = None) -> NoReturn:
        where = f"line {line}" + (f", column {column!r}" if column else "")
        raise AttendanceFileError(f"{self.source}: {where}: {message}")

    # -- tables ---------------------------------------------------------------------

    def _lines(self, text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            for cells in reader:
                yield reader.line_num, cells
        except csv.Error as exc:
            kind = "tab" if delimiter == "\t" else "comma"
            self.fail(reader.line_num, f"not readable as {kind}-separated values: {exc}")

    def _table(self, header_line: int, header: list[str], rows: Iterable[tuple[int, list[str]]],
               what: str, required: Sequence[str]) -> list[_Row]:
        """Rows of one table as {normalised column: cell}, after checking its columns."""
        names = [_norm(h) for h in header]
        for column in required:
            if column not in names:
                shown = ", ".join(h.strip() for h in header if h.strip())
                self.fail(header_line, f"the {what} has no {_title(column)!r} column "
                          f"(its columns: {shown})")
        out = []
        for line, cells in rows:
            if not any(c.strip() for c in cells):
                continue
            self.rows += 1
            if self.rows > MAX_ROWS:
                self.fail(line, f"more than {MAX_ROWS:,} rows; an attendance export has fewer")
            out.append(_Row(line, {n: c.strip() for n, c in zip(names, cells, strict=False)}))
        return out

    # -- cells ----------------------------------------------------------------------

    def name(self, row: _Row, column: str, value: str | None = None) -> str:
        value = " ".join((row.cells.get(column, "") if value is None else value).split())
        if not value:
            self.fail(row.line, "the name is empty", _title(column))
        if control_character(value) is not None:
            self.fail(row.line, f"{show_value(value)} contains a control character",
                      _title(column))
        return value

    def email(self, row: _Row, column: str) -> str | None:
        value = row.cells.get(column, "")
        if not value:
            return None
        if email_problem(value) is not None:
            self.fail(row.line, f"{show_value(value)} is not an e-mail address", _title(column))
        return value

    def stamp(self, row: _Row, column: str) -> _Stamp:
        text = row.cells.get(column, "")
        found = _DATE_TIME.fullmatch(text)
        if found is None:
            self.fail(row.line, f"{show_value(text)} is not a date and time this reader "
                      "knows (such as 11/03/2026 09:02:13 AM or 2026-03-11 09:02:13)",
                      _title(column))
        a, b, c = found.group("a", "b", "c")
        # A file's rows share a handful of dates: each is read once.
        readings = self._dates.get((a, b, c))
        if readings is None:
            readings = self._dates[a, b, c] = self._readings(a, b, c)
        if not readings:
            self.fail(row.line, f"{show_value(text)} is not on or next to the meeting's day, "
                      f"{self.day.isoformat()}, read as month/day or as day/month",
                      _title(column))
        return _Stamp(row.line, _title(column), text, found, readings)

    def _readings(self, a: str | None, b: str, c: str) -> dict[Order, dt.date]:
        """What a date may be, under each order that puts it on or next to the meeting's day."""
        if a is None:
            return dict.fromkeys(_ORDERS, self.day)
        if len(a) == 4:
            d = _date(int(a), int(b), int(c))
            near = d is not None and abs((d - self.day).days) <= 1
            return dict.fromkeys(_ORDERS, d) if near and d is not None else {}
        readings: dict[Order, dt.date] = {}
        year = int(c) + 2000 if len(c) == 2 else int(c)
        for order in _ORDERS:
            month, day = (int(a), int(b)) if order == "month/day" else (int(b), int(a))
            d = _date(year, month, day)
            if d is not None and abs((d - self.day).days) <= 1:
                readings[order] = d
        return readings

    def duration(self, row: _Row, column: str, pattern: re.Pattern[str], example: str) -> int:
        text = row.cells.get(column, "")
        found = pattern.fullmatch(text)
        if not text or found is None or not any(found.groups()):
            self.fail(row.line, f"{show_value(text)} is not a duration such as {example}",
                      _title(column))
        hours, minutes, seconds = (int(g or 0) for g in found.groups())
        return hours * 3600 + minutes * 60 + seconds

    def moments(self, stamps: list[_Stamp]) -> list[dt.datetime]:
        """Every stamp as a UTC moment, under the one date order the whole file allows."""
        allowed = set(_ORDERS)
        settled: _Stamp | None = None
        for s in stamps:
            if allowed & set(s.readings):
                allowed &= set(s.readings)
                if len(s.readings) == 1:
                    settled = settled or s
                continue
            (order,) = s.readings
            earlier = settled or s
            self.fail(s.line, f"{show_value(s.text)} can only be {order} "
                      f"({s.readings[order].isoformat()}), but {show_value(earlier.text)} on "
                      f"line {earlier.line} can only be {next(iter(allowed))}; the file's dates "
                      "must all be in one order", s.column)
        order = next(o for o in _ORDERS if o in allowed)
        out = []
        for s in stamps:
            h, mi, sec, ampm = s.parts.group("h", "mi", "s", "ampm")
            hour, minute, second = int(h), int(mi), int(sec or 0)
            ampm = (ampm or "").replace(".", "").replace(" ", "").casefold()
            if ampm and not 1 <= hour <= 12:
                self.fail(s.line, f"{show_value(s.text)}: hour {hour} with {ampm.upper()}",
                          s.column)
            if ampm:
                hour = hour % 12 + (12 if ampm == "pm" else 0)
            if hour > 23 or minute > 59 or second > 59:
                self.fail(s.line, f"{show_value(s.text)} is not a time of day", s.column)
            local = dt.datetime.combine(s.readings[order], dt.time(hour, minute, second),
                                        tzinfo=self.tz)
            out.append(local.astimezone(dt.UTC))
        return out

    def span(self, row: _Row, joined: dt.datetime, left: dt.datetime, left_stamp: _Stamp,
             ) -> dt.datetime:
        """The leave moment, a day on when a time of day with no date is before the join."""
        if left < joined and left_stamp.parts.group("a") is None:
            left += dt.timedelta(days=1)
        if left < joined:
            self.fail(row.line, f"left at {show_value(left_stamp.text)}, before joining",
                      left_stamp.column)
        return left

    # -- the formats ----------------------------------------------------------------

    def zoom(self, text: str) -> Export:
        lines = self._lines(text, ",")
        header_line, header = _first_row(lines)
        if "meeting id" in {_norm(h) for h in header}:
            # The meeting block: its values, a blank line, then the participants' header.
            for line, cells in lines:
                if any(c.strip() for c in cells) and "join time" in {_norm(c) for c in cells}:
                    header_line, header = line, cells
                    break
            else:
                self.fail(header_line, "the Zoom report has its meeting block but no "
                          "participants table (a header with 'Join Time' after a blank line)")
        names = [_norm(h) for h in header]
        name_column = "name (original name)" if "name (original name)" in names else "name"
        rows = self._table(header_line, header, lines, "Zoom participants table",
                           [name_column, "join time", "leave time"])
        joined = self.moments([self.stamp(r, "join time") for r in rows])
        left_stamps = [self.stamp(r, "leave time") for r in rows]
        left = self.moments(left_stamps)
        joins = []
        for r, j, le, ls in zip(rows, joined, left, left_stamps, strict=True):
            name = self.name(r, name_column)
            renamed = _RENAMED.fullmatch(name) if name_column == "name (original name)" else None
            aliases = renamed.groups() if renamed else ()
            joins.append(Join(name, self.email(r, "user email"), j, self.span(r, j, le, ls),
                              aliases=tuple(aliases)))
        return Export("zoom", tuple(joins))

    def teams(self, text: str) -> Export:
        sections: dict[str, list[tuple[int, list[str]]]] = {}
        current: list[tuple[int, list[str]]] | None = None
        for line, cells in self._lines(text, "\t"):
            filled = [c.strip() for c in cells if c.strip()]
            title = re.fullmatch(r"\d+\.\s*(.+)", filled[0]) if len(filled) == 1 else None
            if title is not None:
                current = sections.setdefault(_norm(title.group(1)), [])
            elif current is not None and filled:
                current.append((line, cells))
        activities = sections.get("in-meeting activities")
        if activities:
            (header_line, header), *data = activities
            rows = self._table(header_line, header, data, "Teams in-meeting activities",
                               ["name", "join time", "leave time"])
            joined = self.moments([self.stamp(r, "join time") for r in rows])
            left_stamps = [self.stamp(r, "leave time") for r in rows]
            left = self.moments(left_stamps)
            return Export("teams", tuple(
                Join(self.name(r, "name"), self.email(r, "email"), j, self.span(r, j, le, ls))
                for r, j, le, ls in zip(rows, joined, left, left_stamps, strict=True)))
        participants = sections.get("participants")
        if not participants:
            self.fail(1, "the Teams report has no '2. Participants' section")
        (header_line, header), *data = participants
        rows = self._table(header_line, header, data, "Teams participants section",
                           ["name", "first join", "last leave", "in-meeting duration"])
        joined = self.moments([self.stamp(r, "first join") for r in rows])
        left_stamps = [self.stamp(r, "last leave") for r in rows]
        left = self.moments(left_stamps)
        return Export("teams", tuple(
            Join(self.name(r, "name"), self.email(r, "email"), j, self.span(r, j, le, ls),
                 seconds=self.duration(r, "in-meeting duration", _TEAMS_DURATION, "1h 2m 3s"))
            for r, j, le, ls in zip(rows, joined, left, left_stamps, strict=True)))

    def meet(self, text: str) -> Export:
        lines = self._lines(text, ",")
        header_line, header = _first_row(lines)
        rows = self._table(header_line, header, lines, "Google Meet attendance sheet",
                           ["first name", "last name", "duration", "time joined", "time exited"])
        joined = self.moments([self.stamp(r, "time joined") for r in rows])
        left_stamps = [self.stamp(r, "time exited") for r in rows]
        left = self.moments(left_stamps)
        joins = []
        for r, j, le, ls in zip(rows, joined, left, left_stamps, strict=True):
            name = f"{r.cells.get('first name', '')} {r.cells.get('last name', '')}"
            joins.append(Join(self.name(r, "first name", name), self.email(r, "email"), j,
                              self.span(r, j, le, ls),
                              seconds=self.duration(r, "duration", _MEET_DURATION, "1 hr 5 min")))
        return Export("meet", tuple(joins))


def _title(column: str) -> str:
    """A normalised column name as the exports write it, for messages."""
    special = {"name (original name)": "Name (Original Name)", "user email": "User Email",
               "in-meeting duration": "In-meeting duration"}
    return special.get(column, column[:1].upper() + column[1:])


def _first_row(lines: Iterator[tuple[int, list[str]]]) -> tuple[int, list[str]]:
    return next((line, cells) for line, cells in lines if any(c.strip() for c in cells))


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None



# -- merging a person's joins ----------------------------------------------------------


def seconds_present(joins: Iterable[Join], starts: dt.datetime, ends: dt.datetime) -> int:
    """Seconds someone was in the meeting between `starts` and `ends`, overlaps counted once.

    A join with a span only is there throughout it. One with `seconds` (its
    export gives first join, last leave and time in the meeting) counts for at
    most those seconds and for no more of its span, clipped to the window, than
    the other joins leave uncovered.
    """
    window = _seconds(starts, ends)
    if window <= 0:
        raise ValueError("a meeting ends after it starts")
    spans: list[tuple[int, int]] = []
    capped: list[tuple[int, int, int]] = []
    for j in joins:
        start = max(0, _seconds(starts, j.joined))
        end = min(window, _seconds(starts, j.left))
        if end <= start:
            continue
        if j.seconds is None:
            spans.append((start, end))
        else:
            capped.append((start, end, min(j.seconds, end - start)))
    covered = _union(spans)
    total = sum(end - start for start, end in covered)
    if not capped:
        return total
    for start, end, cap in capped:
        total += min(cap, end - start - _overlap(covered, start, end))
    everything = sum(end - start for start, end in _union(spans + [(s, e) for s, e, _ in capped]))
    return min(total, everything)


def _seconds(start: dt.datetime, moment: dt.datetime) -> int:
    return round((moment - start).total_seconds())


def _union(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def _overlap(covered: list[tuple[int, int]], start: int, end: int) -> int:
    return sum(max(0, min(end, e) - max(start, s)) for s, e in covered)


# -- matching rows to a roster -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Person:
    """Someone on the run's roster: every address they are known by (their account's,
    and those staff assigned to them by hand before) and their name."""

    id: str
    name: str
    emails: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Unmatched:
    """Joins that matched nobody on the roster, by e-mail (or by name when they have none),
    for staff to assign by hand."""

    name: str
    email: str | None
    seconds: int

    @property
    def minutes(self) -> float:
        return round(self.seconds / 60, 1)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "email": self.email, "minutes": self.minutes}


@dataclass(frozen=True, slots=True)
class AttendanceResult:
    """Who was present at one meeting according to an export, and what matched nobody."""

    format: Format
    present: tuple[str, ...]
    absent: tuple[str, ...]
    seconds: Mapping[str, int]
    unmatched: tuple[Unmatched, ...]

    @property
    def minutes(self) -> dict[str, float]:
        return {pid: round(s / 60, 1) for pid, s in self.seconds.items()}

    def to_json(self) -> dict[str, Any]:
        return {"format": self.format, "present": list(self.present),
                "absent": list(self.absent), "minutes": self.minutes,
                "unmatched": [u.to_json() for u in self.unmatched]}


def name_key(name: str) -> str:
    """A name as matching compares it: spaces collapsed, case folded, nothing looser."""
    return " ".join(name.split()).casefold()


def take_attendance(export: Export, roster: Sequence[Person], *, starts: dt.datetime,
                    ends: dt.datetime, share: float) -> AttendanceResult:
    """Match an export's rows to `roster` and decide who was present at the meeting
    scheduled from `starts` to `ends`: in it for at least `share` of its minutes."""
    by_email: dict[str, set[str]] = {}
    by_name: dict[str, set[str]] = {}
    for person in roster:
        for address in person.emails:
            by_email.setdefault(address.casefold(), set()).add(person.id)
        by_name.setdefault(name_key(person.name), set()).add(person.id)
    if len({p.id for p in roster}) != len(roster):
        raise ValueError("a roster lists each person once")

    mine: dict[str, list[Join]] = {p.id: [] for p in roster}
    strangers: dict[tuple[str, str], list[Join]] = {}
    for join in export.joins:
        who = _match(join, by_email, by_name)
        if who is not None:
            mine[who].append(join)
        elif join.email:
            strangers.setdefault(("email", join.email.casefold()), []).append(join)
        else:
            strangers.setdefault(("name", name_key(join.name)), []).append(join)

    seconds = {pid: seconds_present(joins, starts, ends) for pid, joins in mine.items()}
    # Exact arithmetic: a share such as 0.7 is seven tenths, not the float below it.
    needed = Fraction(repr(share)) * _seconds(starts, ends)
    present = tuple(sorted(pid for pid, s in seconds.items() if s >= needed))
    absent = tuple(sorted(pid for pid, s in seconds.items() if s < needed))
    unmatched = [
        Unmatched(min(j.name for j in joins),
                  min((j.email.casefold() for j in joins if j.email), default=None),
                  seconds_present(joins, starts, ends))
        for joins in strangers.values()]
    unmatched.sort(key=lambda u: (name_key(u.name), u.email or ""))
    return AttendanceResult(export.format, present, absent, seconds, tuple(unmatched))


def _match(join: Join, by_email: Mapping[str, set[str]], by_name: Mapping[str, set[str]],
           ) -> str | None:
    """The one roster person a row is, by its e-mail, else by its exact name(s); else None."""
    if join.email:
        found = by_email.get(join.email.casefold(), set())
        if found:
            return next(iter(found)) if len(found) == 1 else None
    candidates: set[str] = set()
    for name in (join.name, *join.aliases):
        candidates |= by_name.get(name_key(name), set())
    return next(iter(candidates)) if len(candidates) == 1 else None
