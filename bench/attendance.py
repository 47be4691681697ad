"""Taking attendance from a Zoom export, against only parsing its CSV.

A generated 300-row Zoom participant report (meeting block, then one row per
join) for a 90-minute meeting of a 25-person run: each person joins about a
dozen times, overlapping, some rows without an e-mail (matched by name), a few
guests. The baseline decodes the bytes and reads every row with `csv.reader`;
the work is what `pathwise attendance import` does in the core: read the export
(detect, check columns, settle the date order, convert every time to UTC),
merge each person's joins and match them to the roster. Best of several
rounds, the two in turn.

    .venv/bin/python bench/attendance.py [--rounds R]

Last line: `ratio: X` (attendance time / CSV parse time).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
from zoneinfo import ZoneInfo

from timing import best_of

from pathwise.core.attendance import Person, read_export, take_attendance

DAY = dt.date(2026, 3, 11)
ZONE = "America/New_York"
STARTS = dt.datetime(2026, 3, 11, 13, 0, tzinfo=dt.UTC)
ENDS = STARTS + dt.timedelta(minutes=90)
ROWS = 300
PEOPLE = 25


def generate(rng: random.Random) -> tuple[bytes, list[Person]]:
    roster = [Person(f"P-{i:03d}", f"Person Number{i}", (f"p{i}@example.org",))
              for i in range(PEOPLE)]
    lines = ["Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants",
             "812 3456 7890,CODE session 5,03/11/2026 08:55:00 AM,03/11/2026 10:35:00 AM,"
             f"host@example.org,100,{PEOPLE + 3}",
             "",
             "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest,"
             "Recording Consent,In Waiting Room"]
    local = dt.datetime(2026, 3, 11, 8, 50, tzinfo=ZoneInfo(ZONE))
    for row in range(ROWS):
        if row % 25 == 24:
            name, email = f"Guest {row}", ""
        else:
            person = roster[rng.randrange(PEOPLE)]
            name = person.name
            email = person.emails[0] if rng.random() < 0.8 else ""
        start = local + dt.timedelta(seconds=rng.randrange(0, 100 * 60))
        end = start + dt.timedelta(seconds=rng.randrange(30, 40 * 60))
        minutes = (end - start).seconds // 60 + 1
        lines.append(f"{name},{email},{start:%m/%d/%Y %I:%M:%S %p},{end:%m/%d/%Y %I:%M:%S %p},"
                     f"{minutes},{'Yes' if not email else 'No'},Y,No")
    return ("\n".join(lines) + "\n").encode(), roster


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=50, help="files per round")
    args = parser.parse_args()
    data, roster = generate(random.Random(12))

    def parse_only() -> None:
        for _ in range(args.repeat):
            list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))

    def attendance() -> None:
        for _ in range(args.repeat):
            export = read_export(data, day=DAY, zone=ZONE, source="bench.csv")
            take_attendance(export, roster, starts=STARTS, ends=ENDS, share=0.75)

    export = read_export(data, day=DAY, zone=ZONE, source="bench.csv")
    result = take_attendance(export, roster, starts=STARTS, ends=ENDS, share=0.75)
    print(f"{len(data):,} bytes, {len(export.joins)} joins, {len(roster)} people: "
          f"{len(result.present)} present, {len(result.absent)} absent, "
          f"{len(result.unmatched)} unmatched")
    parse, work = (t / args.repeat for t in best_of(args.rounds, parse_only, attendance))
    print(f"csv parse: {parse * 1e6:.0f} µs per file")
    print(f"read + merge + match: {work * 1e6:.0f} µs per file")
    print(f"ratio: {work / parse:.2f}")


if __name__ == "__main__":
    main()
