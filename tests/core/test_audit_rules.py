"""The requirement audit's rules, on the shipped CSCCE program, through the pure core."""

from __future__ import annotations

import datetime as dt

D = dt.date.fromisoformat


# -- the window ------------------------------------------------------------------


def test_a_complete_journey_certifies_on_the_day_the_last_requirement_was_met(
    audit, records_file
):
    result = audit(records_file(), "2024-09-01")
    assert result.status == "certified"
    assert result.certified_on == D("2024-08-01")
    assert result.deadline == D("2025-08-31")
    assert all(r.met for r in result.requirements)


def test_a_requirement_met_on_the_deadline_day_still_certifies(
    audit, records_file, journey, without
):
    records = [*without(journey, "CAPSTONE"),
               {"component": "CAPSTONE", "date": "2025-08-31", "outcome": "passed"}]
    result = audit(records_file(records), "2025-09-30")
    assert result.status == "certified"
    assert result.certified_on == D("2025-08-31")


def test_a_requirement_met_after_the_deadline_does_not_certify(
    audit, records_file, journey, without, requirement
):
    records = [*without(journey, "CAPSTONE"),
               {"component": "CAPSTONE", "date": "2025-09-01", "outcome": "passed"}]
    result = audit(records_file(records), "2025-09-30")
    capstone = requirement(result, "capstone")
    assert capstone.met
    assert capstone.met_on == D("2025-09-01")
    assert result.status == "overdue"
    assert result.certified_on is None
    assert "cscce-cm" not in [b.achievement for b in result.badges]


def test_an_extension_lets_a_requirement_met_after_the_normal_deadline_certify(
    audit, records_file, journey, without
):
    records = [*without(journey, "CAPSTONE"),
               {"component": "CAPSTONE", "date": "2025-10-01", "outcome": "passed"}]
    result = audit(records_file(records, deadline_extended_to="2025-12-31"), "2025-10-02")
    assert result.deadline == D("2025-12-31")
    assert result.status == "certified"
    assert result.certified_on == D("2025-10-01")


def test_a_requirement_met_after_the_extended_deadline_does_not_certify(
    audit, records_file, journey, without
):
    records = [*without(journey, "CAPSTONE"),
               {"component": "CAPSTONE", "date": "2026-01-01", "outcome": "passed"}]
    result = audit(records_file(records, deadline_extended_to="2025-12-31"), "2026-01-02")
    assert result.status == "overdue"
    assert result.certified_on is None


def test_records_dated_after_the_as_of_day_are_ignored(audit, records_file, requirement):
    before = audit(records_file(), "2024-07-31")
    assert not requirement(before, "capstone").met
    assert before.status == "on_track"
    assert before.certified_on is None
    # The as-of day itself counts.
    on_the_day = audit(records_file(), "2024-08-01")
    assert on_the_day.status == "certified"


def test_records_dated_after_the_as_of_day_earn_no_badges(audit, records_file):
    result = audit(records_file(), "2024-03-11")
    assert [b.achievement for b in result.badges] == ["CODE"]


# -- repeats -----------------------------------------------------------------------


def test_the_same_mini_workshop_twice_counts_once(
    audit, records_file, journey, without, requirement
):
    records = [*without(journey, "MW-METRICS"),
               {"component": "MW-MEETINGS", "date": "2024-05-15", "outcome": "attended"}]
    mw = requirement(audit(records_file(records), "2024-09-01"), "mini-workshops")
    assert not mw.met
    assert (mw.done, mw.needed) == (5, 6)
    assert mw.explanation.count("MW-MEETINGS") == 1
    assert "1 more needed" in mw.explanation


def test_the_same_skills_share_session_twice_counts_once(
    audit, records_file, journey, without, requirement
):
    qss = {"component": "QSS", "offering": "QSS24Q1", "date": "2024-03-14",
           "outcome": "attended", "role": "presenter"}
    records = [*without(journey, "QSS"), qss, dict(qss)]
    result = audit(records_file(records), "2024-09-01")
    share = requirement(result, "skills-share")
    assert not share.met
    assert (share.done, share.needed) == (1, 2)
    assert "1 of 2" in share.explanation
    assert requirement(result, "lightning-talk").met
    assert result.status != "certified"


def test_two_different_skills_share_sessions_count_twice(
    audit, records_file, journey, without, requirement
):
    records = [*without(journey, "QSS"),
               {"component": "QSS", "date": "2024-03-14", "outcome": "attended",
                "role": "presenter"},
               {"component": "QSS", "date": "2024-06-13", "outcome": "attended"}]
    share = requirement(audit(records_file(records), "2024-09-01"), "skills-share")
    assert share.met
    assert share.met_on == D("2024-06-13")


def test_an_absence_from_a_skills_share_does_not_count(
    audit, records_file, journey, without, requirement
):
    records = [*without(journey, "QSS"),
               {"component": "QSS", "date": "2024-03-14", "outcome": "attended",
                "role": "presenter"},
               {"component": "QSS", "date": "2024-06-13", "outcome": "absent"}]
    share = requirement(audit(records_file(records), "2024-09-01"), "skills-share")
    assert not share.met
    assert share.done == 1


def test_the_lightning_talk_session_counts_as_attended(
    audit, records_file, journey, without, requirement
):
    records = [*without(journey, "QSS"),
               {"component": "QSS", "date": "2023-12-14", "outcome": "attended",
                "role": "presenter"},
               {"component": "QSS", "date": "2024-03-14", "outcome": "attended"}]
    result = audit(records_file(records), "2024-09-01")
    assert requirement(result, "lightning-talk").met_on == D("2023-12-14")
    assert requirement(result, "skills-share").met_on == D("2024-03-14")


# -- credit ------------------------------------------------------------------------


def test_credit_with_its_conditions_met_counts_as_passing(
    audit, records_file, journey, without, requirement
):
    records = [*without(journey, "NOC"),
               {"component": "NOC", "date": "2024-02-01", "outcome": "credited",
                "basis": "NOC pilot 2021", "conditions_met": True}]
    result = audit(records_file(records), "2024-09-01")
    elective = requirement(result, "elective")
    assert elective.met
    assert elective.met_on == D("2024-02-01")
    assert "credited" in elective.explanation
    assert "NOC pilot 2021" in elective.explanation
    assert ("NOC", D("2024-02-01")) in [(b.achievement, b.earned_on) for b in result.badges]
    assert result.status == "certified"


def test_credit_whose_conditions_are_not_met_does_not_count_and_says_it_awaits_them(
    audit, records_file, journey, without, requirement
):
    records = [*without(journey, "NOC"),
               {"component": "NOC", "date": "2024-02-01", "outcome": "credited",
                "basis": "NOC pilot 2021", "conditions_met": False}]
    result = audit(records_file(records), "2024-09-01")
    elective = requirement(result, "elective")
    assert not elective.met
    assert "conditions" in elective.explanation
    assert "NOC pilot 2021" in elective.explanation
    assert "NOC" not in [b.achievement for b in result.badges]
    assert result.status != "certified"


def test_credit_without_a_conditions_flag_does_not_count(
    audit, records_file, journey, without, requirement
):
    records = [*without(journey, "CODE"),
               {"component": "CODE", "date": "2023-10-01", "outcome": "credited"}]
    code = requirement(audit(records_file(records), "2024-09-01"), "code")
    assert not code.met
    assert "conditions" in code.explanation


# -- courses -----------------------------------------------------------------------


def test_a_failed_course_retaken_later_counts_from_the_retake(
    audit, records_file, journey, without, requirement
):
    records = [*without(journey, "CODE"),
               {"component": "CODE", "date": "2024-05-01", "outcome": "passed"},
               {"component": "CODE", "date": "2023-12-05", "outcome": "failed"}]
    result = audit(records_file(records), "2024-09-01")
    code = requirement(result, "code")
    assert code.met
    assert code.met_on == D("2024-05-01")
    assert ("CODE", D("2024-05-01")) in [(b.achievement, b.earned_on) for b in result.badges]


def test_a_failed_course_not_yet_retaken_asks_for_a_retake(
    audit, records_file, journey, without, requirement
):
    records = [*without(journey, "CODE"),
               {"component": "CODE", "date": "2023-12-05", "outcome": "failed"}]
    code = requirement(audit(records_file(records), "2024-01-01"), "code")
    assert not code.met
    assert code.explanation == "CODE not passed on Tue 5 Dec 2023; a retake is needed."


def test_attending_fewer_sessions_than_the_graduation_rule_needs_fails_the_course(
    audit, records_file, journey, without, requirement
):
    records = [*without(journey, "CODE"),
               {"component": "CODE", "date": "2023-12-05",
                "attendance": {"attended": 10, "of": 12},
                "assessments": {"final-deliverable": "passed"}}]
    result = audit(records_file(records), "2024-01-01")
    code = requirement(result, "code")
    assert not code.met
    assert "attended 10 of 12 sessions, 11 needed" in code.explanation
    assert "CODE" not in [b.achievement for b in result.badges]


def test_attending_exactly_the_minimum_sessions_with_the_deliverable_passed_passes(
    audit, records_file, requirement
):
    code = requirement(audit(records_file(), "2024-01-01"), "code")
    assert code.met
    assert code.met_on == D("2023-12-05")


def test_a_course_without_its_final_deliverable_assessed_is_not_passed(
    audit, records_file, journey, without, requirement
):
    records = [*without(journey, "PBK"),
               {"component": "PBK", "date": "2024-03-12",
                "attendance": {"attended": 12, "of": 12}}]
    pbk = requirement(audit(records_file(records), "2024-04-01"), "pbk")
    assert not pbk.met
    assert "final-deliverable not yet assessed" in pbk.explanation


def test_a_course_whose_assessments_leave_out_the_final_deliverable_is_not_passed(
    audit, records_file, journey, without, requirement
):
    records = [*without(journey, "PBK"),
               {"component": "PBK", "date": "2024-03-12",
                "attendance": {"attended": 12, "of": 12}, "assessments": {}}]
    pbk = requirement(audit(records_file(records), "2024-04-01"), "pbk")
    assert not pbk.met
    assert "final-deliverable not yet assessed" in pbk.explanation


def test_a_course_with_its_final_deliverable_failed_is_not_passed(
    audit, records_file, journey, without, requirement
):
    records = [*without(journey, "PBK"),
               {"component": "PBK", "date": "2024-03-12",
                "attendance": {"attended": 12, "of": 12},
                "assessments": {"final-deliverable": "failed"}}]
    pbk = requirement(audit(records_file(records), "2024-04-01"), "pbk")
    assert not pbk.met
    assert "final-deliverable failed" in pbk.explanation


def test_either_elective_course_meets_the_elective_requirement(
    audit, records_file, journey, without, requirement
):
    records = [*without(journey, "NOC"),
               {"component": "COP", "date": "2024-06-25", "outcome": "passed"}]
    result = audit(records_file(records), "2024-09-01")
    assert requirement(result, "elective").met
    assert result.status == "certified"


def test_the_earlier_of_two_electives_is_when_the_elective_was_met(
    audit, records_file, journey, requirement
):
    records = [*journey, {"component": "COP", "date": "2024-07-20", "outcome": "passed"}]
    result = audit(records_file(records), "2024-09-01")
    assert requirement(result, "elective").met_on == D("2024-06-25")
    assert [b.achievement for b in result.badges] == ["CODE", "PBK", "NOC", "COP", "cscce-cm"]


# -- status order ------------------------------------------------------------------


def test_certification_wins_over_a_later_withdrawal(audit, records_file):
    result = audit(records_file(withdrawn_on="2024-10-01"), "2024-11-01")
    assert result.status == "certified"


def test_a_withdrawal_on_or_before_the_as_of_day_wins_over_overdue(
    audit, records_file, journey, without
):
    data = records_file(without(journey, "CAPSTONE"), withdrawn_on="2025-01-10")
    assert audit(data, "2025-01-09").status == "on_track"
    assert audit(data, "2025-01-10").status == "withdrawn"
    assert audit(data, "2026-01-01").status == "withdrawn"


def test_no_records_at_all_is_on_track_at_enrollment(audit, records_file):
    result = audit(records_file([]), "2023-09-21")
    assert result.status == "on_track"
    assert not any(r.met for r in result.requirements)
    assert result.badges == ()


# -- order of the file -------------------------------------------------------------


def test_two_records_of_a_course_on_the_same_day_explain_the_same_in_either_order(
    audit, records_file, journey, without
):
    failed = {"component": "CODE", "date": "2023-12-05", "outcome": "failed"}
    withdrew = {"component": "CODE", "date": "2023-12-05", "outcome": "withdrawn"}
    rest = without(journey, "CODE")
    one = audit(records_file([*rest, failed, withdrew]), "2024-01-01").to_json()
    other = audit(records_file([withdrew, *rest, failed]), "2024-01-01").to_json()
    assert one == other


def test_a_pass_and_a_credit_on_the_same_day_explain_the_same_in_either_order(
    audit, records_file, journey, without
):
    passed = {"component": "NOC", "date": "2024-06-25", "outcome": "passed"}
    credited = {"component": "NOC", "date": "2024-06-25", "outcome": "credited",
                "basis": "NOC pilot 2021", "conditions_met": True}
    rest = without(journey, "NOC")
    one = audit(records_file([*rest, passed, credited]), "2024-09-01").to_json()
    other = audit(records_file([credited, *rest, passed]), "2024-09-01").to_json()
    assert one == other


def test_the_latest_pending_credit_is_the_one_explained_whatever_the_file_order(
    audit, records_file, journey, without, requirement
):
    older = {"component": "NOC", "date": "2023-11-05", "outcome": "credited",
             "basis": "older claim", "conditions_met": False}
    newer = {"component": "NOC", "date": "2023-12-05", "outcome": "credited",
             "basis": "newer claim", "conditions_met": False}
    rest = without(journey, "NOC")
    for records in ([*rest, older, newer], [*rest, newer, older]):
        elective = requirement(audit(records_file(records), "2024-09-01"), "elective")
        assert "newer claim" in elective.explanation


# -- the capstone comes after the courses ------------------------------------------


def test_a_capstone_passed_before_the_last_course_does_not_count_and_says_why(
    audit, records_file, journey, requirement
):
    # The journey's NOC is passed on Tue 25 Jun 2024; a capstone on Sat 1 Jun 2024 came too early.
    records = [r for r in journey if r["component"] != "CAPSTONE"]
    records.append({"component": "CAPSTONE", "date": "2024-06-01", "outcome": "passed"})
    result = audit(records_file(records), "2024-09-01")
    capstone = requirement(result, "capstone")
    assert not capstone.met
    assert capstone.explanation == (
        "CAPSTONE passed on Sat 1 Jun 2024 does not count: it came before CODE, PBK and one of "
        "NOC or COP were complete (on Tue 25 Jun 2024); a CAPSTONE passed after that day is "
        "needed.")
    assert result.status == "on_track"
    assert not result.certified


def test_a_capstone_passed_after_the_courses_counts_even_when_an_early_one_came_first(
    audit, records_file, journey, requirement
):
    journey.append({"component": "CAPSTONE", "date": "2024-06-01", "outcome": "passed"})
    result = audit(records_file(journey), "2024-09-01")
    assert requirement(result, "capstone").met_on == D("2024-08-01")
    assert result.certified_on == D("2024-08-01")


def test_a_capstone_on_the_day_the_last_course_ends_is_too_early(
    audit, records_file, journey, requirement
):
    records = [r for r in journey if r["component"] != "CAPSTONE"]
    records.append({"component": "CAPSTONE", "date": "2024-06-25", "outcome": "passed"})
    assert not requirement(audit(records_file(records), "2024-09-01"), "capstone").met


def test_the_briefs_example_does_not_meet_the_capstone_while_pbk_is_not_taken(
    audit, records_file, requirement
):
    # DESIGN.md's records example: CODE passed, NOC credited, the capstone, no PBK.
    records = [
        {"component": "ORIENT", "date": "2023-09-21", "outcome": "attended"},
        {"component": "CODE", "offering": "CODE23F", "date": "2023-12-05",
         "attendance": {"attended": 11, "of": 12}, "assessments": {"final-deliverable": "passed"}},
        {"component": "NOC", "date": "2024-02-01", "outcome": "credited",
         "basis": "NOC pilot 2021", "conditions_met": True},
        {"component": "CAPSTONE", "date": "2025-06-01", "outcome": "passed"},
    ]
    result = audit(records_file(records), "2025-07-01")
    assert requirement(result, "pbk").explanation == "PBK not taken yet."
    capstone = requirement(result, "capstone")
    assert not capstone.met
    assert capstone.explanation == (
        "CAPSTONE passed on Sun 1 Jun 2025 does not count yet: it counts only once CODE, PBK and "
        "one of NOC or COP are complete, and PBK is not yet passed.")


def test_prior_learning_credit_dated_before_the_required_courses_still_counts(
    audit, records_file, journey, requirement
):
    # The NOC pilot ran in 2021: its credit predates CODE and PBK, and the NOC
    # prerequisite governs enrollment, not the order of records.
    records = [r for r in journey if r["component"] != "NOC"]
    records.append({"component": "NOC", "date": "2023-09-22", "outcome": "credited",
                    "basis": "NOC pilot 2021", "conditions_met": True})
    result = audit(records_file(records), "2024-09-01")
    assert requirement(result, "elective").met_on == D("2023-09-22")
    assert result.certified_on == D("2024-08-01")


def test_without_applies_to_records_a_program_counts_a_capstone_in_any_order(
    records_file, journey, parse
):
    from pathwise.core.audit import evaluate
    from pathwise.core.program import SHIPPED_PROGRAMS_DIR, parse_program

    text = (SHIPPED_PROGRAMS_DIR / "cscce-cm" / "2023.toml").read_text(encoding="utf-8")
    assert "applies_to_records = true" in text
    lenient = parse_program(text.replace("applies_to_records = true", ""), source="lenient")
    records = [r for r in journey if r["component"] != "CAPSTONE"]
    records.append({"component": "CAPSTONE", "date": "2024-06-01", "outcome": "passed"})
    result = evaluate(lenient, parse(records_file(records)), D("2024-09-01"))
    assert result.certified_on == D("2024-06-25")
