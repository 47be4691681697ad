"""Standing (pathwise.core.standing): audit, held runs and catalogue as one answer, and the
next step in words."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pathwise.core.standing import next_step, standing, status_began
from tests.builders import make_records_file
from tests.core.test_planner import MIDWAY_RECORDS, catalogue, offering

D = dt.date.fromisoformat
NOW = dt.datetime(2024, 10, 1, 9, 0, tzinfo=dt.UTC)


def midway(**top: Any) -> dict[str, Any]:
    return make_records_file(list(MIDWAY_RECORDS), **top)


OFFERINGS = catalogue(
    offering("CODE24F", "CODE", "2024-10-08"),                   # Tuesdays 12:00 New York
    offering("PBK25W", "PBK", "2025-01-07"),
    offering("NOC25S", "NOC", "2025-04-01"),
)


def test_without_a_catalogue_standing_is_the_audit(program, parse):
    s = standing(program, parse(midway()), D("2024-10-01"))
    assert s.plan is None
    assert s.status == s.audit.status == "on_track"
    assert "plan" not in s.to_json()


def test_with_a_catalogue_on_track_needs_a_plan_that_finishes_in_time(program, parse):
    s = standing(program, parse(midway()), D("2024-10-01"), OFFERINGS)
    assert s.status == "on_track"
    assert s.to_json()["plan"] == {"feasible": True, "finishes_on": "2025-05-20"}
    assert next_step(program, s, now=NOW, zone="Europe/London").text == (
        "Enroll in Content Design (CODE24F): it starts Tue 8 Oct 2024, 17:00 your time.")


def test_no_plan_in_time_is_at_risk_and_the_next_step_says_why_and_what_to_do(program, parse):
    s = standing(program, parse(midway()), D("2024-10-01"),
                 catalogue(offering("CODE24F", "CODE", "2024-10-08")))
    assert s.audit.status == "on_track"
    assert s.status == "at_risk"
    step = next_step(program, s, now=NOW, zone="Europe/London")
    assert step.kind == "at-risk"
    assert step.text == ("No plan finishes before your deadline, Sun 31 Aug 2025: PBK course "
                         "and Capstone cannot fit in before it. Tell us the times you could "
                         "make, or ask staff for an extension.")


def test_a_held_run_that_starts_first_is_the_next_step_in_the_participants_zone(program, parse):
    s = standing(program, parse(midway(holding=["CODE24F"])), D("2024-10-01"), OFFERINGS)
    step = next_step(program, s, now=NOW, zone="Asia/Tokyo")
    assert step.kind == "held"
    assert step.offering == "CODE24F"
    assert step.text == "Your Content Design run, CODE24F, starts Wed 9 Oct 2024, 01:00 your time."
    assert [st.offering.id for st in s.held if st.offering] == ["CODE24F"]


def test_a_held_run_under_way_names_its_next_meeting(program, parse):
    s = standing(program, parse(midway(holding=["CODE24F"])), D("2024-10-01"), OFFERINGS)
    later = dt.datetime(2024, 10, 16, 9, 0, tzinfo=dt.UTC)
    assert next_step(program, s, now=later, zone="America/New_York").text == (
        "You are taking Content Design (CODE24F): its next meeting is Tue 22 Oct 2024, 12:00 "
        "your time.")


def test_certified_withdrawn_and_overdue_come_from_the_audit(program, parse, records_file):
    certified = standing(program, parse(records_file()), D("2024-09-01"), catalogue())
    assert certified.status == "certified"
    assert next_step(program, certified, now=NOW, zone="UTC").text == (
        "You are certified since Thu 1 Aug 2024: download your certificate and share your badges.")
    gone = standing(program, parse(midway(withdrawn_on="2024-09-15")), D("2024-10-01"), OFFERINGS)
    assert gone.status == "withdrawn"
    assert next_step(program, gone, now=NOW, zone="UTC", withdrawn_on=D("2024-09-15")).text == (
        "You withdrew from the program on Sun 15 Sep 2024. To come back, ask staff.")
    late = standing(program, parse(midway()), D("2025-09-10"), OFFERINGS)
    assert late.status == "overdue"
    assert next_step(program, late, now=NOW, zone="UTC").text == (
        "Your deadline, Sun 31 Aug 2025, has passed with 4 requirements left: ask staff about "
        "an extension.")


def test_beyond_the_published_horizon_a_plan_not_yet_complete_is_not_at_risk(program, parse):
    # Only CODE is published, up to October 2024; the deadline is in August 2025.
    few = catalogue(offering("CODE24F", "CODE", "2024-10-08"))
    s = standing(program, parse(midway()), D("2024-10-01"), few, horizon=D("2024-10-08"))
    assert not s.plan.feasible
    assert s.status == "on_track"
    assert s.waiting_for_runs
    step = next_step(program, s, now=NOW, zone="UTC")
    assert step.kind == "enroll"  # something can be done now: CODE
    assert step.offering == "CODE24F"


def test_once_the_horizon_reaches_the_deadline_the_planner_decides(program, parse):
    few = catalogue(offering("CODE24F", "CODE", "2024-10-08"))
    s = standing(program, parse(midway()), D("2024-10-01"), few, horizon=D("2025-09-01"))
    assert s.status == "at_risk"
    assert not s.waiting_for_runs


def test_with_nothing_to_enroll_in_beyond_the_horizon_the_next_step_says_runs_will_come(
    program, parse
):
    records = midway(holding=["CODE24F"])
    few = catalogue(offering("CODE24F", "CODE", "2024-09-03"))
    s = standing(program, parse(records), D("2024-10-01"), few, horizon=D("2024-09-03"))
    later = dt.datetime(2024, 11, 1, tzinfo=dt.UTC)  # CODE is over
    step = next_step(program, s, now=later, zone="UTC")
    assert step.kind == "waiting"
    assert step.text.startswith("Runs are published up to Tue 3 Sep 2024 and do not complete "
                                "your plan yet (PBK course: no PBK run")


def test_a_planned_lightning_talk_says_to_enroll_as_presenter(program, parse):
    records = [r for r in MIDWAY_RECORDS if r["component"] != "QSS"]
    runs = catalogue(offering("QSS24Q4", "QSS", "2024-10-03", days=("TH",)),
                     offering("QSS25Q1", "QSS", "2025-01-09", days=("TH",)),
                     offering("CODE24F", "CODE", "2024-10-08"),
                     offering("PBK25W", "PBK", "2025-01-07"),
                     offering("NOC25S", "NOC", "2025-04-01"))
    s = standing(program, parse(make_records_file(records)), D("2024-10-01"), runs)
    step = next_step(program, s, now=NOW, zone="UTC")
    assert step.offering == "QSS24Q4"
    assert step.text == ("Enroll in Quarterly Skills Share (QSS24Q4) as presenter: it starts "
                         "Thu 3 Oct 2024, 16:00 your time.")


def test_a_status_began_on_the_first_day_its_dates_give_it(program, parse):
    """At risk by the time rule since the first day it held, overdue since the day after
    the deadline; on track is dated from the day it is seen."""
    records = parse(midway())
    deadline = standing(program, records, D("2024-10-01")).deadline
    late = deadline - dt.timedelta(days=10)
    at_risk = standing(program, records, late)
    assert at_risk.status == "at_risk"
    first = late
    while standing(program, records, first - dt.timedelta(days=1)).status == "at_risk":
        first -= dt.timedelta(days=1)
    assert status_began(program, at_risk, records, late) == first
    after = deadline + dt.timedelta(days=30)
    overdue = standing(program, records, after)
    assert overdue.status == "overdue"
    assert status_began(program, overdue, records, after) == deadline + dt.timedelta(days=1)
    on_track = standing(program, records, D("2024-10-01"))
    assert status_began(program, on_track, records, D("2024-10-01")) == D("2024-10-01")
