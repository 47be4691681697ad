"""Demo participants: three intakes at different stages, dated relative to "today".

Dates are relative so the demo tells the same story whenever it is loaded:
the oldest intake is past its deadline (certified, overdue, extended,
withdrawn), the middle one is close to its deadline (on track and at risk),
the newest has just started. Everything is generated from a fixed seed.
Some stories are the demo's login for a state a newcomer should see
(`showcase`), and participants who cannot make the usual times register the
times they could (`demo_demand`).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from pathwise.core.audit import evaluate
from pathwise.core.program import Program
from pathwise.core.records import Attendance, Employment, Participant, ParticipantRecords, Record

PROGRAM, VERSION = "cscce-cm", "2023"
#: The later version (a third elective, EVAL) a few of the newest intake enrolled under.
LATER_VERSION = "2025"

FIRST = ["Ada", "Grace", "Alan", "Katherine", "Mae", "Rosalind", "Tim", "Hedy", "Srinivasa",
         "Chien-Shiung", "Emmy", "Carl", "Barbara", "Wangari", "Jagadish", "Lise", "Marie",
         "Nikola", "Dorothy", "Edwin", "Tu", "Ibn", "Mary", "Rachel", "Sophie", "Niels",
         "Ruth", "Omar", "Valentina", "Yusuf", "Leila", "Kenji", "Amara", "Priya", "Tomás",
         "Ngozi"]
LAST = ["Okafor", "Hopper", "Turing", "Johnson", "Jemison", "Franklin", "Berners-Lee",
        "Lamarr", "Ramanujan", "Wu", "Noether", "Sagan", "McClintock", "Maathai", "Bose",
        "Meitner", "Curie", "Tesla", "Hodgkin", "Hubble", "Youyou", "Sina", "Anning",
        "Carson", "Germain", "Bohr", "Benedict", "Khayyam", "Tereshkova", "Kemal", "Haddad",
        "Sato", "Mensah", "Raman", "Álvarez", "Eze"]
ZONES = ["Europe/London", "America/New_York", "America/Los_Angeles", "Europe/Berlin",
         "Asia/Kolkata", "Australia/Sydney", "America/Chicago", "Africa/Nairobi",
         "Asia/Tokyo", "America/Sao_Paulo", "Europe/Madrid", "America/Toronto"]
ORGS = ["Open Science Lab", "Genome Society", "Climate Data Network", "Astro Commons",
        "Neuro Collective", "Marine Observatory", "Research Software Alliance"]
ELECTIVE_WORKSHOPS = ["MW-MEETINGS", "MW-FACILITATION", "MW-ONBOARDING", "MW-METRICS",
                      "MW-CHAMPIONS", "MW-CONFLICT", "MW-CODE-OF-CONDUCT", "MW-ROLES"]

# A complete journey, as (day offset from enrollment, what happens).
FULL_JOURNEY = [
    (0, "ORIENT"), (7, "MW-CORE-VALUES"), (14, "MW-FEEDBACK"), (70, "CODE"), (95, "QSS"),
    (130, "MW-1"), (190, "PBK"), (185, "QSS-TALK"), (230, "MW-2"), (300, "MW-3"),
    (330, "ELECTIVE"), (380, "MW-4"), (410, "CAPSTONE"),
]


@dataclass(frozen=True)
class Story:
    """How far one demo participant got, and what is special about them."""

    upto: int  # day offset after which nothing more happened
    failed_code_first: bool = False
    noc_pilot: bool | None = None  # True: credit counts; False: conditions pending
    extension_days: int | None = None  # deadline extended to today + N days
    withdrawn: bool = False
    job_change: bool = False
    low_attendance_pbk: bool = False
    shows: str = ""  # the state (of STATES) this participant is the demo's login for
    version: str = VERSION


#: The states a newcomer should be able to see, each with one login that shows it
#: (README's demo section names them; tests/web/test_demo.py checks each is so).
STATES = ("mid-course", "certified", "waitlisted", "at risk", "overdue", "withdrawn",
          "deadline extended", "just started")


def _month_start_minus(today: dt.date, months: int, day: int) -> dt.date:
    index = today.year * 12 + today.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, day)


INTAKES: list[tuple[str, int, int, list[Story]]] = [
    # (intake code, months ago, enrollment day of month, stories)
    ("A", 26, 21, [
        Story(999, shows="certified"), Story(999), Story(999, noc_pilot=True),
        Story(999, job_change=True), Story(999, failed_code_first=True),
        Story(250, shows="overdue"), Story(340),
        Story(260, extension_days=120, shows="deadline extended"),
        Story(150, extension_days=60), Story(120, withdrawn=True, shows="withdrawn"),
        Story(999), Story(180, low_attendance_pbk=True),
    ]),
    ("B", 19, 10, [
        Story(999), Story(380), Story(350), Story(500, noc_pilot=True),
        Story(60, shows="at risk"), Story(40), Story(420, noc_pilot=False),
        Story(480, job_change=True), Story(300, withdrawn=True), Story(330),
        Story(520, failed_code_first=True), Story(90),
    ]),
    # The small regional run (seed_demo's _catalogue.py) goes to the active participants
    # who need it, in this order: four from the intakes above and four from here fill
    # it, so the fifth one here is first on its waitlist.
    ("C", 3, 15, [
        Story(999, shows="mid-course"), Story(999), Story(999), Story(999, noc_pilot=True),
        Story(999, shows="waitlisted"), Story(999, job_change=True), Story(30),
        Story(14, shows="just started"), Story(999, version=LATER_VERSION), Story(999),
        Story(999, noc_pilot=False), Story(999, version=LATER_VERSION),
    ]),
]


def on_later_version() -> list[str]:
    """The ids of the demo participants enrolled under LATER_VERSION."""
    return [_participant_id(number) for number, story in enumerate(
        (st for *_, stories in INTAKES for st in stories), start=1)
        if story.version == LATER_VERSION]


def showcase() -> dict[str, str]:
    """The participant id to sign in as for each of STATES, in that order."""
    ids = {story.shows: _participant_id(number)
           for number, story in enumerate((st for *_, stories in INTAKES for st in stories),
                                          start=1) if story.shows}
    return {state: ids[state] for state in STATES}


def _participant_id(number: int) -> str:
    return f"P-{number:03d}"


def _records(story: Story, enrolled: dt.date, today: dt.date, rng: random.Random) -> list[Record]:
    workshops = rng.sample(ELECTIVE_WORKSHOPS, 4)
    elective = rng.choice(["NOC", "COP"])
    if story.version == LATER_VERSION:
        elective = "EVAL"  # its new elective
    out: list[Record] = []
    if story.noc_pilot is not None:
        out.append(Record("NOC", enrolled + dt.timedelta(days=20), "credited",
                          basis="NOC pilot 2021", conditions_met=story.noc_pilot))
        if story.noc_pilot:
            elective = "NOC"
    for offset, step in FULL_JOURNEY:
        day = enrolled + dt.timedelta(days=offset)
        if offset > story.upto or day > today:
            continue
        if step in ("ORIENT", "MW-CORE-VALUES", "MW-FEEDBACK"):
            out.append(Record(step, day, "attended"))
        elif step.startswith("MW-"):
            out.append(Record(workshops[int(step[3:]) - 1], day, "attended"))
        elif step == "QSS":
            out.append(Record("QSS", day, "attended", offering=f"QSS{day:%y%m}"))
        elif step == "QSS-TALK":
            out.append(Record("QSS", day, "attended", offering=f"QSS{day:%y%m}",
                              role="presenter"))
        elif step == "CODE" and story.failed_code_first:
            out.append(_course("CODE", day, 12, passed=False))
            retake = day + dt.timedelta(days=90)
            if retake <= today and offset + 90 <= story.upto:
                out.append(_course("CODE", retake, 11, passed=True))
        elif step in ("CODE", "PBK"):
            low = step == "PBK" and story.low_attendance_pbk
            out.append(_course(step, day, 9 if low else rng.choice([11, 12]), passed=True))
        elif step == "ELECTIVE":
            if not (story.noc_pilot and elective == "NOC"):
                out.append(_course(elective, day, rng.choice([11, 12]), passed=True))
        elif step == "CAPSTONE":
            out.append(Record("CAPSTONE", day, "passed"))
    return sorted(out, key=lambda r: r.date)


def _course(code: str, end: dt.date, attended: int, *, passed: bool) -> Record:
    return Record(code, end, None, offering=f"{code}{end:%y}{'WSSF'[(end.month - 1) // 3]}",
                  attendance=Attendance(attended, 12),
                  assessments={"final-deliverable": "passed" if passed else "failed"})


def demo_participants(today: dt.date) -> list[ParticipantRecords]:
    rng = random.Random(2023)  # noqa: S311  (demo data, not security)
    people: list[ParticipantRecords] = []
    number = 0
    for _intake, months_ago, day, stories in INTAKES:
        enrolled = _month_start_minus(today, months_ago, day)
        for story in stories:
            number += 1
            first, last = FIRST[number - 1], LAST[number - 1]
            org = ORGS[number % len(ORGS)]
            hired = enrolled - dt.timedelta(days=400)
            employment: tuple[Employment, ...] = (Employment(org, hired),)
            if story.job_change:
                moved = enrolled + dt.timedelta(days=150)
                new_org = ORGS[(number + 3) % len(ORGS)]
                employment = (
                    Employment(org, hired, moved, "Community manager"),
                    Employment(new_org, moved + dt.timedelta(days=1), None,
                               "Senior community manager"),
                )
                org = new_org
            extended = (today + dt.timedelta(days=story.extension_days)
                        if story.extension_days else None)
            withdrawn = (enrolled + dt.timedelta(days=story.upto + 10)
                         if story.withdrawn else None)
            people.append(ParticipantRecords(
                program=PROGRAM,
                program_version=story.version,
                participant=Participant(
                    id=_participant_id(number),
                    name=f"{first} {last}",
                    timezone=ZONES[number % len(ZONES)],
                    email=f"p{number:03d}@example.org",
                    organization=org,
                    employment=employment,
                ),
                enrolled_on=enrolled,
                deadline_extended_to=extended,
                withdrawn_on=withdrawn,
                records=tuple(_records(story, enrolled, today, rng)),
            ))
    return people


@dataclass(frozen=True)
class DemandWish:
    """Times a demo participant could attend a component that no run suits them for."""

    participant: str
    component: str
    days: tuple[str, ...]
    start: dt.time
    end: dt.time


#: When people could make a run, in their own zone, where the demo's courses (12:00 in
#: New York) and mini-workshops (16:00 in London) fall at night.
FAR_ZONE_WINDOWS: dict[str, tuple[tuple[str, ...], dt.time, dt.time]] = {
    "Asia/Kolkata": (("MO", "TU", "WE", "TH"), dt.time(17), dt.time(20)),
    "Asia/Tokyo": (("TU", "WE", "TH"), dt.time(9), dt.time(12)),
    "Australia/Sydney": (("TU", "WE", "TH"), dt.time(10), dt.time(13)),
    "Africa/Nairobi": (("TU", "TH"), dt.time(14), dt.time(17)),
}
#: Anyone whose courses no longer fit before the deadline asks for a weekend run.
WEEKEND_WINDOW = (("SA",), dt.time(10), dt.time(13))


def demo_demand(program: Program, people: list[ParticipantRecords],
                today: dt.date) -> list[DemandWish]:
    """The times active participants in far-off zones, and those at risk, register.

    Each asks for the next course they still need; those in a far-off zone also ask
    for a mini-workshop they have not done, since those run in the European afternoon.
    """
    rng = random.Random(2024)  # noqa: S311  (demo data, not security)
    wishes: list[DemandWish] = []
    for records in people:
        audit = evaluate(program, records, today)
        if audit.status not in ("on_track", "at_risk"):
            continue
        window = (FAR_ZONE_WINDOWS.get(records.participant.timezone)
                  or (WEEKEND_WINDOW if audit.status == "at_risk" else None))
        if window is None:
            continue
        days, start, end = window
        unmet = [code for r in audit.unmet for code in r.requirement.components]
        course = next((c for c in unmet if program.components[c].kind == "course"), None)
        wanted = [course] if course else []
        done = {r.component for r in records.records}
        workshops = [c.code for c in program.components.values()
                     if c.kind == "mini-workshop" and c.code not in done]
        if (records.participant.timezone in FAR_ZONE_WINDOWS and workshops
                and any(r.requirement.kind == "mini-workshop" for r in audit.unmet)):
            wanted.append(rng.choice(workshops))
        wishes.extend(DemandWish(records.participant.id, component, days, start, end)
                      for component in wanted)
    return wishes
