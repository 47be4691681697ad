"""The planner's unworded answers agree with `check`: `allowed` (yes or no), `broken_rule`."""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from pathwise.core.enrollment import Enrollee, allowed, broken_rule, check, refusals
from pathwise.core.offerings import Meetings, Offering
from pathwise.core.program import Program, ProgramLibrary


def _shipped() -> Program:
    found = ProgramLibrary.shipped().get("cscce-cm", "2023")
    assert found is not None
    return found


PROGRAM = _shipped()
CODES = sorted(PROGRAM.components)
DAYS = st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2025, 3, 31))
ORGS = st.sampled_from([None, "Acme", "Globex"])
INTAKES = st.sampled_from([None, "2025-01", "2025-09"])


@st.composite
def offerings(draw: st.DrawFn, index: int = 0) -> Offering:
    starts_on = draw(DAYS)
    meetings = draw(st.none() | st.builds(
        Meetings, days=st.lists(st.sampled_from(["MO", "TU", "WE", "TH", "FR"]), min_size=1,
                                max_size=3, unique=True).map(tuple),
        time=st.sampled_from(["09:00", "12:00", "12:30", "17:00"]),
        minutes=st.sampled_from([30, 60, 90]),
        timezone=st.sampled_from(["UTC", "America/New_York", "Europe/London"])))
    return Offering(
        id=f"R{index}-{draw(st.integers(0, 3))}", component=draw(st.sampled_from(CODES)),
        starts_on=starts_on, ends_on=starts_on + dt.timedelta(days=draw(st.integers(0, 60))),
        meetings=meetings, private_to=draw(ORGS), intake=draw(INTAKES),
        public_seats=draw(st.sampled_from([0, 0, 3])), published=draw(st.booleans()))


@st.composite
def enrollees(draw: st.DrawFn) -> Enrollee:
    runs = tuple(draw(offerings(i)) for i in range(1, draw(st.integers(0, 4)) + 1))
    return Enrollee(
        passed=draw(st.dictionaries(st.sampled_from(CODES), DAYS, max_size=6)),
        intake=draw(INTAKES), organization=draw(ORGS), runs=runs,
        completed=draw(st.dictionaries(st.sampled_from(CODES), DAYS, max_size=4)),
        standing=draw(st.sampled_from([None, None, "withdrawn", "overdue", "certified"])),
        deadline=draw(st.none() | DAYS), today=draw(st.none() | DAYS),
        program=draw(st.sampled_from([None, None, ("cscce-cm", "2023"), ("other", "1")])))


@settings(max_examples=400, deadline=None)
@given(enrollees(), offerings())
def test_allowed_is_check_finding_nothing(who: Enrollee, offering: Offering) -> None:
    assert allowed(PROGRAM, who, offering) == (check(PROGRAM, who, offering) is None)
    assert allowed(PROGRAM, who, offering) == (not refusals(PROGRAM, who, offering))


@settings(max_examples=400, deadline=None)
@given(enrollees(), offerings())
def test_broken_rule_is_the_rule_check_refuses_by(who: Enrollee, offering: Offering) -> None:
    refusal = check(PROGRAM, who, offering)
    assert broken_rule(PROGRAM, who, offering) == (refusal.rule if refusal else None)


@settings(max_examples=100, deadline=None)
@given(enrollees(), offerings())
def test_also_holding_is_replace_with_the_run_added(who: Enrollee, run: Offering) -> None:
    assert who.also_holding(run) == dataclasses.replace(who, runs=(*who.runs, run))
