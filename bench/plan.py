"""How long planning one participant takes over a two-year catalogue, against auditing them.

A generated catalogue of 500 offerings over 2025-2026 (course runs in three
regions' time zones, some full, some private; orientations per intake;
mini-workshops and quarterly skills shares) and participants at every stage
(just enrolled to nearly done; some with availability windows in their own
zone, some with an organization). Both timings start from parsed records: the
audit runs `pathwise.core.audit.evaluate`, the planner `pathwise.core.planner.plan`
(which audits too). Best of several rounds each, the two run in turn.

    .venv/bin/python bench/plan.py [--participants N] [--rounds R]

The planner shares work between participants in one process (meetings worked out
once per offering, fits once per time zone and availability); "cold" below
plans each participant against a freshly loaded catalogue, as one
`pathwise plan` command does.

The cold plans over 2,000 offerings in twelve zones (issue 14: under 5 ms at
p95, with and without availability) are timed with every cache the planner and
the offerings keep emptied first, median and p95.

Last line: `ratio: X` (planner time / audit time, per participant). Target:
under 50 ms per participant.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import time
from typing import Any

from timing import best_of, percentile

from pathwise.core import planner as planner_module
from pathwise.core.audit import evaluate
from pathwise.core.offerings import load_offerings_json, meeting_spans
from pathwise.core.planner import plan
from pathwise.core.program import ProgramLibrary
from pathwise.core.records import ParticipantRecords, parse_records

AS_OF = dt.date(2025, 1, 1)
FIRST_DAY = dt.date(2025, 1, 2)
ZONES = ["America/New_York", "Europe/London", "Australia/Sydney"]
LOCAL_HOUR = {"America/New_York": "12:00", "Europe/London": "15:00",
              "Australia/Sydney": "09:00", "America/Los_Angeles": "10:00",
              "America/Sao_Paulo": "13:00", "Europe/Berlin": "14:00",
              "Africa/Nairobi": "16:00", "Asia/Kolkata": "17:30", "Asia/Singapore": "11:00",
              "Asia/Tokyo": "10:00", "Pacific/Auckland": "08:00", "America/Chicago": "12:00"}
#: The large catalogue's twelve regions (the cold-plan target).
ZONES_12 = list(LOCAL_HOUR)
ORGANIZATIONS = ["ACME Labs", "Blue University", "Cedar Institute"]
INTAKES = ["2025-01", "2025-09", "2026-01", "2026-09"]
AVAILABILITY = [
    None,
    [{"days": ["MO", "TU", "WE", "TH", "FR"], "from": "08:00", "to": "18:00"}],
    [{"days": ["TU", "TH"], "from": "12:00", "to": "20:00"}],
    [{"days": ["MO", "WE"], "from": "06:00", "to": "10:00"},
     {"days": ["SA"], "from": "09:00", "to": "13:00"}],
]


def day(offset: int) -> str:
    return (FIRST_DAY + dt.timedelta(days=offset)).isoformat()


def catalogue(rng: random.Random, program: Any, size: int = 500,
              zones: list[str] = ZONES) -> dict[str, Any]:
    offerings: list[dict[str, Any]] = []

    def add(component: str, start: int, length: int, zone: str, days: list[str],
            **more: Any) -> None:
        offerings.append({
            "id": f"{component}-{len(offerings):04d}", "component": component,
            "starts_on": day(start), "ends_on": day(start + length),
            "seats_left": rng.choice([0, 1, 3, 8, 12, None]) if component != "QSS" else None,
            "meetings": {"days": days, "time": LOCAL_HOUR[zone], "minutes": 90,
                         "timezone": zone},
            **more,
        })

    for index, intake in enumerate(INTAKES):
        start = [0, 240, 365, 605][index]
        add("ORIENT", start, 20, "America/New_York", ["WE"], intake=intake)
        add("MW-CORE-VALUES", start + 7, 0, "America/New_York", ["WE"], intake=intake)
        add("MW-FEEDBACK", start + 14, 0, "America/New_York", ["WE"], intake=intake)
    courses = [c.code for c in program.of_kind("course")]
    for zone in zones:
        for course in courses:
            runs_per_year = 4 if course in ("CODE", "PBK") else 2
            for n in range(2 * runs_per_year):
                start = n * (365 // runs_per_year) + rng.randrange(0, 30)
                private = rng.choice(ORGANIZATIONS) if rng.random() < 0.1 else None
                add(course, start, 48, zone, ["TU", "TH"], private_to=private)
        for quarter in range(8):
            add("QSS", quarter * 91 + 40, 0, zone, ["TH"])
    electives = [c.code for c in program.of_kind("mini-workshop")
                 if c.code not in ("MW-CORE-VALUES", "MW-FEEDBACK")]
    while len(offerings) < size:
        zone = rng.choice(zones)
        add(rng.choice(electives), rng.randrange(0, 700), 0, zone,
            [rng.choice(["MO", "TU", "WE", "TH", "FR"])])
    return {"offerings": offerings}


def participant(rng: random.Random, number: int, zones: list[str] = ZONES,
                availability: list[Any] = AVAILABILITY) -> dict[str, Any]:
    """Someone enrolled before 2025 who has done a random share of the program."""
    enrolled = dt.date(2023, 9, 1) + dt.timedelta(days=rng.randrange(0, 480))
    stage = rng.random()

    def before() -> str:
        span = max((AS_OF - enrolled).days - 1, 1)
        return (enrolled + dt.timedelta(days=rng.randrange(0, span))).isoformat()

    records: list[dict[str, Any]] = []
    if stage > 0.1:
        records += [{"component": c, "date": enrolled.isoformat(), "outcome": "attended"}
                    for c in ("ORIENT", "MW-CORE-VALUES", "MW-FEEDBACK")]
    for course in ("CODE", "PBK"):
        if rng.random() < stage:
            records.append({"component": course, "date": before(), "outcome": "passed"})
    if rng.random() < stage / 3:
        records.append({"component": rng.choice(["NOC", "COP"]), "date": before(),
                        "outcome": "passed"})
    for code in rng.sample(["MW-MEETINGS", "MW-FACILITATION", "MW-ONBOARDING", "MW-METRICS",
                            "MW-CHAMPIONS", "MW-CONFLICT"], k=int(stage * 4)):
        records.append({"component": code, "date": before(), "outcome": "attended"})
    if rng.random() < stage:
        records.append({"component": "QSS", "date": before(), "outcome": "attended",
                        "role": "presenter"})
    person: dict[str, Any] = {"id": f"P-{number:05d}", "name": f"Participant {number}",
                              "timezone": rng.choice(zones)}
    hours = rng.choice(availability)
    if hours is not None:
        person["availability"] = hours
    if rng.random() < 0.3:
        person["organization"] = rng.choice(ORGANIZATIONS)
    return {"program": "cscce-cm", "program_version": "2023", "participant": person,
            "enrolled_on": enrolled.isoformat(), "deadline_extended_to": None,
            "records": records}


def forget_everything() -> None:
    """What a fresh process has not worked out yet: meetings, zone conversions, fits."""
    planner_module._CATALOGUES.clear()
    meeting_spans.cache_clear()


def cold_plans(library: ProgramLibrary, program: Any, availability: list[Any],
               count: int) -> list[float]:
    """Seconds per plan of `count` participants (twelve zones), each against the
    2,000-offering catalogue loaded just before it, nothing worked out yet."""
    rng = random.Random(7)
    text = json.dumps(catalogue(rng, program, size=2_000, zones=ZONES_12))
    people = [parse_records(participant(rng, n, ZONES_12, availability), source="bench",
                            library=library) for n in range(count)]
    times = []
    for records in people:
        fresh = load_offerings_json(text, source="bench")
        forget_everything()
        start = time.perf_counter()
        plan(program, records, fresh, AS_OF, intake=rng.choice(INTAKES))
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=1_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--cold", type=int, default=300,
                        help="participants planned cold against 2,000 offerings, per case")
    args = parser.parse_args()

    rng = random.Random(42)
    library = ProgramLibrary.shipped()
    program = library.get("cscce-cm", "2023")
    assert program is not None
    catalogue_text = json.dumps(catalogue(rng, program))
    offerings = load_offerings_json(catalogue_text, source="bench")
    people: list[ParticipantRecords] = [
        parse_records(participant(rng, n), source="bench", library=library)
        for n in range(args.participants)]
    intakes = [rng.choice(INTAKES) for _ in people]

    def audit() -> None:
        for records in people:
            evaluate(program, records, AS_OF)

    def planner() -> None:
        for records, intake in zip(people, intakes, strict=True):
            plan(program, records, offerings, AS_OF, intake=intake)

    audited, planned = best_of(args.rounds, audit, planner)

    # One `pathwise plan` command: a catalogue nobody has planned against yet.
    sample = people[:100]
    cold = 0.0
    for records in sample:
        fresh = load_offerings_json(catalogue_text, source="bench")
        start = time.perf_counter()
        plan(program, records, fresh, AS_OF)
        cold += time.perf_counter() - start
    cold /= len(sample)

    results = [plan(program, r, offerings, AS_OF, intake=i)
               for r, i in zip(people, intakes, strict=True)]
    feasible = sum(r.feasible for r in results)
    steps = sum(len(r.steps) for r in results) / len(results)
    n = args.participants
    print(f"catalogue: {len(offerings.offerings)} offerings, "
          f"{FIRST_DAY.isoformat()} to {max(o.ends_on for o in offerings.offerings)}")
    print(f"participants: {n} ({feasible} feasible plans, {steps:.1f} steps each)")
    print(f"audit (evaluate):        {audited / n * 1e6:.1f} µs each")
    print(f"planner (plan):          {planned / n * 1e6:.1f} µs each")
    print(f"planner, cold catalogue: {cold * 1e6:.1f} µs each (one `pathwise plan`)")
    for label, hours in (("no availability", [None]), ("availability", AVAILABILITY[1:])):
        times = cold_plans(library, program, hours, args.cold)
        print(f"cold plan, 2,000 offerings in 12 zones, {label}: "
              f"{percentile(times, 50) * 1e3:.2f} ms median, "
              f"{percentile(times, 95) * 1e3:.2f} ms p95 ({len(times)} plans)")
    print(f"ratio: {planned / audited:.1f}")


if __name__ == "__main__":
    main()
