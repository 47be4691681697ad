"""`changes_on` errs early, never late: until the day it names, with nothing but the date
changed, the standing and its next step read the same (the hourly pass relies on it)."""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from pathwise.core.offerings import OfferingsFile, load_offerings_json
from pathwise.core.program import Program, ProgramLibrary
from pathwise.core.records import ParticipantRecords, parse_records
from pathwise.core.standing import Standing, changes_on, next_step, standing
from pathwise.core.when import local
from tests.builders import make_records_file

FIRST = dt.date(2026, 1, 5)
ZONES = ("America/New_York", "Europe/London", "Australia/Sydney")
COURSES = ("CODE", "PBK", "NOC", "COP")
WORKSHOPS = ("MW-MEETINGS", "MW-FACILITATION", "MW-ONBOARDING", "MW-METRICS",
             "MW-CHAMPIONS", "MW-CONFLICT")
LIBRARY = ProgramLibrary.shipped()
PROGRAM = LIBRARY.get("cscce-cm", "2023")
assert PROGRAM is not None


def _catalogue(rng: random.Random) -> OfferingsFile:
    """A year of runs, a few full, private or at hours some people cannot make."""
    runs: list[dict[str, Any]] = []
    for n in range(rng.randrange(8, 40)):
        component = rng.choice(COURSES + WORKSHOPS + ("QSS", "MW-CORE-VALUES"))
        start = FIRST + dt.timedelta(days=rng.randrange(0, 300))
        length = 48 if component in COURSES else 0
        run: dict[str, Any] = {
            "id": f"R{n}", "component": component, "starts_on": start.isoformat(),
            "ends_on": (start + dt.timedelta(days=length)).isoformat(),
            "seats_left": None if component == "QSS" else rng.choice([0, 2, 5]),
            "meetings": {"days": [rng.choice(["MO", "TU", "WE", "TH"])],
                         "time": rng.choice(["09:00", "15:00", "21:00"]), "minutes": 90,
                         "timezone": rng.choice(ZONES)}}
        if rng.random() < 0.1:
            run["private_to"] = "ACME Labs"
        runs.append(run)
    return load_offerings_json(json.dumps({"offerings": runs}), source="test")


def _person(rng: random.Random, offerings: OfferingsFile) -> ParticipantRecords:
    """Someone at a random stage, some of it dated after the first day."""
    enrolled = FIRST - dt.timedelta(days=rng.randrange(0, 700))
    records = []
    for code in ("ORIENT", "MW-CORE-VALUES", "MW-FEEDBACK", *WORKSHOPS, *COURSES, "QSS"):
        if rng.random() < 0.45:
            day = enrolled + dt.timedelta(days=rng.randrange(0, 720))
            outcome = "passed" if code in COURSES else "attended"
            records.append({"component": code, "date": day.isoformat(), "outcome": outcome})
    data = make_records_file(records, enrolled_on=enrolled.isoformat())
    data["participant"]["timezone"] = rng.choice(ZONES)
    if rng.random() < 0.3:
        data["participant"]["organization"] = "ACME Labs"
    if rng.random() < 0.4:
        data["participant"]["availability"] = [
            {"days": ["MO", "TU", "WE", "TH", "FR"], "from": "08:00", "to": "18:00"}]
    if rng.random() < 0.3:
        data["holding"] = [rng.choice(offerings.offerings).id]
    return parse_records(data, source="test", library=LIBRARY)


def _shown(program: Program, s: Standing, records: ParticipantRecords,
           now: dt.datetime) -> tuple[Any, ...]:
    """What a stored row and a participant's page show of a standing."""
    step = next_step(program, s, now=now, zone=records.participant.timezone,
                     withdrawn_on=records.withdrawn_on)
    plan = s.plan
    assert plan is not None
    return (s.status, s.audit.deadline, s.audit.certified_on,
            [r.title for r in s.audit.unmet], plan.feasible, plan.finishes_on, s.reasons,
            s.waiting_for_runs, step.text)


def _at(records: ParticipantRecords, offerings: OfferingsFile, horizon: dt.date,
        now: dt.datetime) -> tuple[dt.date, Standing]:
    """The standing on the participant's own day at `now`, as the hourly pass works it out."""
    today = local(now, records.participant.timezone).date()
    return today, standing(PROGRAM, records, today, offerings, horizon=horizon)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), start=st.integers(0, 200))
def test_nothing_shown_changes_before_the_day_changes_on_names(seed: int, start: int) -> None:
    rng = random.Random(seed)  # noqa: S311  (repeatable data, not a secret)
    offerings = _catalogue(rng)
    horizon = max(o.starts_on for o in offerings.offerings)
    now = dt.datetime.combine(FIRST + dt.timedelta(days=start), dt.time(12), tzinfo=dt.UTC)
    for _ in range(4):
        records = _person(rng, offerings)
        today, s = _at(records, offerings, horizon, now)
        due = changes_on(PROGRAM, s, records, today, now=now,
                         zone=records.participant.timezone)
        before = _shown(PROGRAM, s, records, now)
        last = min(due or dt.date.max, today + dt.timedelta(days=60))
        for days in range(1, (last - today).days):
            later = now + dt.timedelta(days=days)
            _, then = _at(records, offerings, horizon, later)
            assert _shown(PROGRAM, then, records, later) == before, (
                f"changes_on said {due}, but {today + dt.timedelta(days=days)} differs")


def _run(run_id: str, component: str, start: dt.date, **more: Any) -> dict[str, Any]:
    length = 48 if component in COURSES else 0
    return {"id": run_id, "component": component, "starts_on": start.isoformat(),
            "ends_on": (start + dt.timedelta(days=length)).isoformat(), "seats_left": 3,
            "meetings": {"days": ["TU"], "time": "12:00", "minutes": 90,
                         "timezone": "America/New_York"}, **more}


def test_a_plan_that_cannot_finish_is_looked_at_again_when_a_run_it_weighed_starts() -> None:
    """Not every day: its reasons name no date, only the runs still to start."""
    today = dt.date(2026, 3, 2)
    code = {"component": "CODE", "date": "2026-02-27", "outcome": "passed"}
    records = parse_records(make_records_file([code], enrolled_on="2026-02-02"),
                            source="test", library=LIBRARY)
    offerings = load_offerings_json(json.dumps({"offerings": [
        _run("PBK-FULL", "PBK", today + dt.timedelta(days=12), seats_left=0),
        _run("PBK-SOC", "PBK", today + dt.timedelta(days=40), private_to="Genome Society"),
    ]}), source="test")
    s = standing(PROGRAM, records, today, offerings)
    assert s.status == "at_risk"
    assert ("pbk: no PBK run open to you is still to start (1 full, 1 private to "
            "another organization)") in s.reasons
    now = dt.datetime.combine(today, dt.time(12), tzinfo=dt.UTC)
    assert changes_on(PROGRAM, s, records, today, now=now,
                      zone="America/New_York") == today + dt.timedelta(days=12)


def test_waiting_for_runs_is_looked_at_again_the_day_the_time_rule_finds_it_at_risk() -> None:
    """Runs are published only a little ahead: the audit's time rule decides, and the day
    the unmet courses stop fitting back to back is the day the standing changes."""
    enrolled = dt.date(2025, 1, 6)
    records = parse_records(make_records_file([], enrolled_on=enrolled.isoformat()),
                            source="test", library=LIBRARY)
    today = dt.date(2025, 2, 3)
    offerings = load_offerings_json(json.dumps({"offerings": [
        _run("QSS-1", "QSS", today + dt.timedelta(days=600))]}), source="test")
    horizon = today + dt.timedelta(days=600)
    s = standing(PROGRAM, records, today, offerings, horizon=horizon)
    assert s.status == "on_track"
    assert s.waiting_for_runs
    now = dt.datetime.combine(today, dt.time(12), tzinfo=dt.UTC)
    due = changes_on(PROGRAM, s, records, today, now=now, zone="America/New_York")
    assert due is not None
    assert due > today + dt.timedelta(days=1)
    assert due < horizon
    assert standing(PROGRAM, records, due - dt.timedelta(days=1), offerings,
                    horizon=horizon).status == "on_track"
    assert standing(PROGRAM, records, due, offerings, horizon=horizon).status == "at_risk"


def test_a_capstone_put_on_the_day_after_moves_nothing_shown_while_a_run_comes_first() -> None:
    """The courses are done, so the capstone is planned for tomorrow, every day. While a
    workshop is the next step and ends the plan, nothing shown moves until it starts."""
    today = dt.date(2026, 3, 2)
    done = [{"component": c, "date": "2026-02-20", "outcome": "passed"}
            for c in ("CODE", "PBK", "NOC")]
    attended = [{"component": c, "date": "2025-10-01", "outcome": "attended"}
                for c in ("ORIENT", "MW-CORE-VALUES", "MW-FEEDBACK", *WORKSHOPS[:3])]
    talks = [{"component": "QSS", "date": f"2025-{month}-10", "outcome": "attended"}
             for month in ("03", "06", "09", "12")]
    talks[0]["role"] = "presenter"
    records = parse_records(make_records_file([*done, *attended, *talks],
                                              enrolled_on="2025-09-01"),
                            source="test", library=LIBRARY)
    offerings = load_offerings_json(json.dumps({"offerings": [
        _run("MW-LATER", WORKSHOPS[3], today + dt.timedelta(days=10))]}), source="test")
    s = standing(PROGRAM, records, today, offerings)
    assert s.plan is not None
    assert s.plan.feasible
    assert [(st.component, st.starts_on) for st in s.plan.steps] == [
        ("CAPSTONE", today + dt.timedelta(days=1)),
        (WORKSHOPS[3], today + dt.timedelta(days=10))]
    now = dt.datetime.combine(today, dt.time(12), tzinfo=dt.UTC)
    assert changes_on(PROGRAM, s, records, today, now=now,
                      zone="Europe/London") == today + dt.timedelta(days=10)
    # Without the workshop the capstone is the next step, and it moves every day.
    alone = standing(PROGRAM, records, today, load_offerings_json(
        json.dumps({"offerings": [_run("QSS-OLD", "QSS", today - dt.timedelta(days=3))]}),
        source="test"))
    assert changes_on(PROGRAM, alone, records, today, now=now,
                      zone="Europe/London") == today + dt.timedelta(days=1)
