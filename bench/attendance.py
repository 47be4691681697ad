"""Taking attendance from a Zoom export, against only parsing its CSV.

A generated 300-row Zoom participant report (meeting block, then one row per
join) for a 90-minute meeting of a 25-person run: each person joins about a
dozen times, overlapping, some rows without an e-mail (matched by name), a few
guests. The baseline decodes the bytes and reads every row with `csv.reader`;
the work is what `pathwise attendance import` does in the core: read the export
(detect, check columns, settle the date order, convert every time to UTC),
merge each person's joins and match them to the roster. Best of several
rounds, the two in turn.

Then the same through the database, as the register pages and `pathwise
attendance` do it, on a throwaway SQLite site with a 12-meeting run of those 25
people: the export imported and saved (`import_attendance`: the roster and the
addresses staff assigned read, the file read, the register written with its
audit entry), and a whole run's registers recorded by hand, 12 meetings of 25
people (`record_attendance` twelve times). Each round starts from an empty
register (cleared untimed), so every save is a first recording.

    .venv/bin/python bench/attendance.py [--rounds R]

Last line: `ratio: X`: importing the export and saving it, plus recording the 12
registers, against reading the file alone (`csv.reader`).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
import time
from zoneinfo import ZoneInfo

import throwaway  # noqa: F401  (Django on a throwaway database, before its imports)
from django.core.management import call_command
from timing import best_of

from pathwise.auditlog.log import Actor
from pathwise.catalog.actions import publish_offering, sync_programs
from pathwise.catalog.models import Offering, ProgramVersion
from pathwise.core.attendance import Person, read_export, take_attendance
from pathwise.enrollment.models import Seat
from pathwise.participants.models import Enrollment, Participant
from pathwise.runs.actions import import_attendance, record_attendance
from pathwise.runs.models import Attendance
from pathwise.runs.read import meetings

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


def site(roster: list[Person]) -> tuple[Offering, list[dt.date]]:
    """A 12-meeting PBK run from the export's day, 9:00 in New York, with the roster
    enrolled (written in bulk: this is the data, not what is measured)."""
    call_command("migrate", verbosity=0)
    sync_programs(Actor("bench"))
    version = ProgramVersion.objects.get(program_id="cscce-cm", version="2023")
    run = publish_offering(Actor("bench"), version, "PBK-BENCH", component="PBK",
                           starts_on=DAY, ends_on=DAY + dt.timedelta(days=41), capacity=25,
                           meeting_days=["WE", "FR"], meeting_time=dt.time(9),
                           meeting_minutes=90, timezone=ZONE)
    people = Participant.objects.bulk_create(
        Participant(public_id=p.id, name=p.name, email=p.emails[0], timezone=ZONE,
                    updated_by="bench") for p in roster)
    Enrollment.objects.bulk_create(
        Enrollment(participant=p, program_version=version, enrolled_on=dt.date(2025, 10, 1),
                   updated_by="bench") for p in people)
    Seat.objects.bulk_create(
        Seat(offering=run, participant=p, status=Seat.ENROLLED, queue_number=n,
             created_by="bench", updated_by="bench") for n, p in enumerate(people, start=1))
    days = [start.date() for start, _ in meetings(run)]
    assert len(days) == 12, days
    assert days[0] == DAY, days
    return run, days


def database(rounds: int, data: bytes, roster: list[Person], parse: float) -> float:
    """Best seconds of: the export imported and saved, plus the run's 12 registers."""
    run, days = site(roster)
    actor = Actor("bench")
    ids = [p.id for p in roster]
    best_import = best_register = float("inf")
    for _ in range(rounds):
        Attendance.objects.all().delete()
        begin = time.perf_counter()
        result = import_attendance(run, DAY, data, actor, dry_run=False, source="bench.csv")
        best_import = min(best_import, time.perf_counter() - begin)
        Attendance.objects.all().delete()
        begin = time.perf_counter()
        for n, day in enumerate(days):
            record_attendance(run, day, ids[n % 3:], actor)  # a few absent each week
        best_register = min(best_register, time.perf_counter() - begin)
    assert Attendance.objects.filter(offering=run).count() == 12 * len(roster)
    print(f"import, saved ({len(result.present)} present): {best_import * 1e3:.1f} ms "
          f"({best_import / parse:.1f}x reading the file)")
    print(f"12 registers of {len(roster)} people recorded: {best_register * 1e3:.1f} ms "
          f"({best_register / 12 * 1e3:.1f} ms a meeting; {best_register / parse:.1f}x)")
    return best_import + best_register


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
    print(f"read + merge + match: {work * 1e6:.0f} µs per file "
          f"({work / parse:.2f}x reading the file)")
    total = database(args.rounds, data, roster, parse)
    print(f"ratio: {total / parse:.1f}")


if __name__ == "__main__":
    main()
