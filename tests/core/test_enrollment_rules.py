"""The enrollment rules (pathwise.core.enrollment) on the shipped program: each rule, its words."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from pathwise.core.enrollment import Enrollee, check, passed_on, prerequisite_refusal, refusals
from pathwise.core.errors import PathwiseError
from pathwise.core.offerings import Offering
from pathwise.core.program import Program

D = dt.date.fromisoformat


def run(offering_id: str, component: str, starts_on: str, ends_on: str, **more: Any) -> Offering:
    return Offering(id=offering_id, component=component, starts_on=D(starts_on),
                    ends_on=D(ends_on), **more)


NOC = run("NOC25S", "NOC", "2025-06-03", "2025-07-22")
BOTH_PASSED = {"CODE": D("2024-12-10"), "PBK": D("2025-03-18")}


# -- prerequisites ----------------------------------------------------------------


def test_an_elective_is_allowed_once_code_and_pbk_are_passed_before_it_starts(program):
    assert check(program, Enrollee(passed=BOTH_PASSED), NOC) is None


def test_an_elective_without_pbk_is_refused_naming_pbk_and_what_would_satisfy_it(program):
    refusal = check(program, Enrollee(passed={"CODE": D("2024-12-10")}), NOC)
    assert refusal is not None
    assert refusal.rule == "prerequisite"
    assert refusal.message == (
        "NOC needs CODE and PBK completed first; PBK is not yet passed — take a PBK run that "
        "ends before NOC starts (Tue 3 Jun 2025).")


def test_an_elective_with_neither_course_names_both(program):
    refusal = check(program, Enrollee(), run("COP25", "COP", "2025-06-03", "2025-07-22"))
    assert refusal is not None
    assert refusal.message == (
        "COP needs CODE and PBK completed first; CODE and PBK are not yet passed — take a CODE "
        "run and a PBK run that end before COP starts (Tue 3 Jun 2025).")


def test_a_prerequisite_passed_on_the_day_the_elective_starts_is_not_first(program):
    passed = {"CODE": D("2024-12-10"), "PBK": NOC.starts_on}
    refusal = check(program, Enrollee(passed=passed), NOC)
    assert refusal is not None
    assert "PBK is not yet passed" in refusal.message


def test_pbk_before_code_is_allowed(program):
    pbk_first = {"PBK": D("2024-10-01"), "CODE": D("2025-02-01")}
    assert check(program, Enrollee(passed=pbk_first), NOC) is None


def test_code_and_pbk_have_no_prerequisites(program):
    assert check(program, Enrollee(), run("PBK25", "PBK", "2025-01-07", "2025-02-24")) is None
    assert check(program, Enrollee(), run("CODE25", "CODE", "2025-01-07", "2025-02-24")) is None


def test_the_capstone_needs_one_of_the_electives(program):
    capstone = next(p for p in program.prerequisites if p.component == "CAPSTONE")
    refusal = prerequisite_refusal(capstone, BOTH_PASSED, D("2025-08-01"))
    assert refusal is not None
    assert refusal.message == (
        "CAPSTONE needs CODE, PBK and one of NOC or COP completed first; none of NOC or COP "
        "is passed yet — take a NOC or COP run that ends before CAPSTONE starts (Fri 1 Aug 2025).")
    with_cop = {**BOTH_PASSED, "COP": D("2025-07-22")}
    assert prerequisite_refusal(capstone, with_cop, D("2025-08-01")) is None


def test_passing_is_what_the_audit_calls_passing(program, parse, records_file):
    records = parse(records_file([
        {"component": "CODE", "date": "2024-01-10",
         "attendance": {"attended": 10, "of": 12}, "assessments": {"final-deliverable": "passed"}},
        {"component": "CODE", "date": "2024-06-10",
         "attendance": {"attended": 11, "of": 12}, "assessments": {"final-deliverable": "passed"}},
        {"component": "PBK", "date": "2024-02-01", "outcome": "failed"},
        {"component": "NOC", "date": "2024-02-01", "outcome": "credited", "conditions_met": False},
        {"component": "COP", "date": "2024-02-01", "outcome": "credited", "conditions_met": True},
        {"component": "PBK", "date": "2024-12-01", "outcome": "passed"},
    ]))
    assert passed_on(program, records.records, D("2024-11-30")) == {
        "CODE": D("2024-06-10"), "COP": D("2024-02-01")}
    assert passed_on(program, records.records, D("2024-12-01"))["PBK"] == D("2024-12-01")


# -- one multi-week course at a time ------------------------------------------------------


def test_a_course_overlapping_another_course_run_is_refused_naming_the_clash(program):
    pbk = run("PBK25S", "PBK", "2025-04-01", "2025-05-19")
    code = run("CODE25S", "CODE", "2025-05-06", "2025-06-23")
    refusal = check(program, Enrollee(runs=[pbk]), code)
    assert refusal is not None
    assert refusal.rule == "one-course-at-a-time"
    assert refusal.message == (
        "CODE25S (Tue 6 May 2025 to Mon 23 Jun 2025) overlaps your PBK run PBK25S "
        "(Tue 1 Apr 2025 to Mon 19 May 2025); only one multi-week course at a time — choose a "
        "CODE run that starts after Mon 19 May 2025 or ends before Tue 1 Apr 2025.")


def test_a_course_starting_the_day_another_ends_overlaps_it(program):
    pbk = run("PBK25S", "PBK", "2025-04-01", "2025-05-19")
    code = run("CODE25S", "CODE", "2025-05-19", "2025-07-07")
    assert check(program, Enrollee(runs=[pbk]), code) is not None
    next_day = run("CODE25T", "CODE", "2025-05-20", "2025-07-08")
    assert check(program, Enrollee(runs=[pbk]), next_day) is None


def test_mini_workshops_and_skills_shares_may_overlap_a_course(program):
    pbk = run("PBK25S", "PBK", "2025-04-01", "2025-05-19")
    who = Enrollee(runs=[pbk])
    assert check(program, who, run("MW1", "MW-ROLES", "2025-04-10", "2025-04-10")) is None
    assert check(program, who, run("Q2", "QSS", "2025-04-10", "2025-04-10")) is None


def test_the_run_itself_is_no_clash(program):
    pbk = run("PBK25S", "PBK", "2025-04-01", "2025-05-19")
    assert check(program, Enrollee(runs=[pbk]), pbk) is None


# -- orientation in one's own intake ---------------------------------------------------


def test_orientation_in_ones_own_intake_is_allowed(program):
    orient = run("ORIENT-2025-09", "ORIENT", "2025-09-08", "2025-09-29", intake="2025-09")
    assert check(program, Enrollee(intake="2025-09"), orient) is None


def test_orientation_of_another_intake_is_refused_naming_both_intakes(program):
    orient = run("ORIENT-2026-01", "ORIENT", "2026-01-12", "2026-02-02", intake="2026-01")
    refusal = check(program, Enrollee(intake="2025-09"), orient)
    assert refusal is not None
    assert refusal.rule == "own-intake"
    assert refusal.message == (
        "ORIENT-2026-01 is for intake 2026-01, not yours (2025-09); Orientation is taken only "
        "in your own intake — choose the 2025-09 run.")


def test_orientation_without_a_recorded_intake_is_refused_until_staff_record_it(program):
    orient = run("ORIENT-2026-01", "ORIENT", "2026-01-12", "2026-02-02", intake="2026-01")
    refusal = check(program, Enrollee(), orient)
    assert refusal is not None
    assert "no intake is recorded for you" in refusal.message


def test_an_orientation_run_belonging_to_no_intake_is_refused(program):
    refusal = check(program, Enrollee(intake="2025-09"),
                    run("ORIENT-X", "ORIENT", "2025-09-08", "2025-09-29"))
    assert refusal is not None
    assert refusal.rule == "own-intake"


def test_an_orientation_mini_workshop_held_in_an_intake_is_for_that_intake_only(program):
    workshop = run("MWCV-2025-09", "MW-CORE-VALUES", "2025-09-15", "2025-09-15",
                   intake="2025-09")
    assert check(program, Enrollee(intake="2025-09"), workshop) is None
    refusal = check(program, Enrollee(intake="2026-01"), workshop)
    assert refusal is not None
    assert refusal.rule == "own-intake"


# -- private runs ------------------------------------------------------------------------


def test_a_private_run_is_open_to_its_organization(program):
    private = run("CODE25-ACME", "CODE", "2025-05-06", "2025-06-23", private_to="ACME Labs")
    assert check(program, Enrollee(organization="ACME Labs"), private) is None


def test_a_private_run_refuses_everyone_else_and_points_to_a_public_run(program):
    private = run("CODE25-ACME", "CODE", "2025-05-06", "2025-06-23", private_to="ACME Labs")
    for who in (Enrollee(organization="Other University"), Enrollee()):
        refusal = check(program, who, private)
        assert refusal is not None
        assert refusal.rule == "private-run"
        assert refusal.message == (
            "CODE25-ACME is a private run for ACME Labs; only its staff may enroll — choose a "
            "public run of CODE.")


# -- several at once ----------------------------------------------------------------


def test_every_broken_rule_is_listed_in_a_fixed_order_and_check_gives_the_first(program):
    pbk = run("PBK25S", "PBK", "2025-05-01", "2025-06-18")
    private_noc = run("NOC-ACME", "NOC", "2025-06-03", "2025-07-22", private_to="ACME Labs")
    who = Enrollee(runs=[pbk])
    rules = [r.rule for r in refusals(program, who, private_noc)]
    assert rules == ["private-run", "prerequisite", "one-course-at-a-time"]
    first = check(program, who, private_noc)
    assert first is not None
    assert first.rule == "private-run"


def test_an_offering_of_a_component_the_program_lacks_is_an_error_not_a_refusal(
    program: Program,
):
    with pytest.raises(PathwiseError, match="unknown component 'XYZ'"):
        check(program, Enrollee(), run("X1", "XYZ", "2025-01-01", "2025-01-02"))


# -- who may take a seat at all, and when -------------------------------------------


def weekly(offering_id: str, component: str, day: str, *, time: str = "12:00",
           minutes: int = 90, zone: str = "America/New_York", until: str | None = None
           ) -> Offering:
    from pathwise.core.offerings import Meetings

    weekday = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[D(day).weekday()]
    return Offering(id=offering_id, component=component, starts_on=D(day),
                    ends_on=D(until or day),
                    meetings=Meetings(days=(weekday,), time=time, minutes=minutes, timezone=zone))


QSS = weekly("QSS25Q2", "QSS", "2025-06-12")
WORKSHOP = weekly("MW-R25", "MW-ROLES", "2025-06-11")


@pytest.mark.parametrize(("standing", "rule", "words"), [
    ("withdrawn", "withdrawn", "You have withdrawn from the program, so you cannot take a seat"),
    ("overdue", "overdue", "Your deadline (Sun 31 Aug 2025) has passed"),
    ("certified", "certified", "You are certified: only skills shares remain open to you, and "
                               "MW-ROLES is a mini workshop."),
])
def test_a_participant_who_left_is_late_or_is_done_is_refused_by_their_standing(
    program, standing, rule, words
):
    who = Enrollee(standing=standing, deadline=D("2025-08-31"))
    refusal = check(program, who, WORKSHOP)
    assert refusal is not None
    assert refusal.rule == rule
    assert words in refusal.message


def test_a_certified_participant_may_still_attend_skills_shares(program):
    assert check(program, Enrollee(standing="certified"), QSS) is None


def test_a_withdrawn_participant_may_not_join_a_skills_share_either(program):
    refusal = check(program, Enrollee(standing="withdrawn"), QSS)
    assert refusal is not None
    assert refusal.rule == "withdrawn"


@pytest.mark.parametrize(("today", "words"), [
    ("2025-06-11", "MW-R25 started on Wed 11 Jun 2025"),
    ("2025-07-01", "MW-R25 ended on Wed 11 Jun 2025"),
])
def test_a_run_that_has_started_or_ended_takes_no_one(program, today, words):
    refusal = check(program, Enrollee(today=D(today)), WORKSHOP)
    assert refusal is not None
    assert refusal.rule == "started"
    assert refusal.message.startswith(words)
    assert "choose a later run of MW-ROLES" in refusal.message


def test_the_day_before_a_run_starts_is_still_open(program):
    assert check(program, Enrollee(today=D("2025-06-10")), WORKSHOP) is None


def test_a_course_already_passed_is_refused_but_a_retake_after_failing_is_allowed(program):
    passed = check(program, Enrollee(passed=BOTH_PASSED, completed=BOTH_PASSED),
                   run("PBK26", "PBK", "2026-01-06", "2026-02-23"))
    assert passed is not None
    assert passed.rule == "already-completed"
    assert passed.message == ("You completed PBK (Community Playbooks) on Tue 18 Mar 2025; it is "
                              "taken again only after a recorded failure.")
    # Someone who failed PBK has no pass recorded for it: they may take it again.
    assert check(program, Enrollee(), run("PBK26", "PBK", "2026-01-06", "2026-02-23")) is None


def test_a_workshop_already_attended_is_refused_and_a_skills_share_is_not(program):
    done = {"MW-ROLES": D("2024-06-11"), "QSS": D("2024-06-12")}
    refusal = check(program, Enrollee(completed=done), WORKSHOP)
    assert refusal is not None
    assert refusal.rule == "already-completed"
    assert check(program, Enrollee(completed=done), QSS) is None


def test_one_live_place_per_component_but_any_number_of_skills_shares(program):
    held = weekly("MW-R24", "MW-ROLES", "2025-05-14")
    refusal = check(program, Enrollee(runs=[held]), WORKSHOP)
    assert refusal is not None
    assert refusal.rule == "already-holding"
    assert refusal.message == ("You already hold a place on MW-R24 for MW-ROLES; change that "
                               "choice instead of taking a second one.")
    other_qss = weekly("QSS25Q1", "QSS", "2025-03-13")
    assert check(program, Enrollee(runs=[other_qss]), QSS) is None


def test_a_run_meeting_at_the_same_time_as_one_held_is_refused_in_the_viewers_zone(program):
    course = weekly("CODE25", "CODE", "2025-06-03", until="2025-07-22", time="10:00",
                    minutes=120)
    workshop = weekly("MW-R", "MW-ROLES", "2025-06-10", time="11:00", minutes=120)
    refusal = check(program, Enrollee(runs=[course], timezone="Europe/London"), workshop)
    assert refusal is not None
    assert refusal.rule == "meeting-clash"
    assert refusal.message == (
        "MW-R meets Tue 10 Jun 2025, 16:00\N{EN DASH}18:00 (Europe/London, BST), at the same "
        "time as your CODE run CODE25; one person is never in two meetings at once — choose "
        "another run.")


def test_meetings_in_different_zones_clash_by_the_instant_not_the_clock(program):
    # 12:00 in New York is 17:00 in London in June: the same instant.
    london = weekly("MW-L", "MW-ROLES", "2025-06-10", time="17:00", zone="Europe/London")
    new_york = weekly("QSS-NY", "QSS", "2025-06-10")
    refusal = check(program, Enrollee(runs=[new_york]), london)
    assert refusal is not None
    assert refusal.rule == "meeting-clash"
    later = weekly("MW-L2", "MW-ROLES", "2025-06-10", time="18:30", zone="Europe/London")
    assert check(program, Enrollee(runs=[new_york]), later) is None


def test_refusals_lists_every_rule_broken_in_the_documented_order(program):
    held = weekly("MW-R24", "MW-ROLES", "2025-06-11", time="11:00")
    found = refusals(program, Enrollee(standing="overdue", today=D("2025-07-01"),
                                       completed={"MW-ROLES": D("2024-01-01")}, runs=[held]),
                     WORKSHOP)
    assert [r.rule for r in found] == ["overdue", "started", "already-completed",
                                       "already-holding", "meeting-clash"]


# -- program ------------------------------------------------------------------------


def test_a_run_of_another_program_is_refused_alone_naming_both_programs(program):
    other_programs_run = run("FAC-101-27", "FAC-101", "2027-03-02", "2027-04-27")
    who = Enrollee(program=("field-facilitator", "2025.1"))
    assert [r.rule for r in refusals(program, who, other_programs_run)] == ["own-program"]
    assert refusals(program, who, NOC)[0].message == (
        "NOC25S is a run of cscce-cm 2023; you are enrolled in field-facilitator 2025.1 — "
        "choose a run of your own program.")
    assert check(program, Enrollee(passed=BOTH_PASSED, program=program.key), NOC) is None
