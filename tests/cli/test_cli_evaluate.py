"""`pathwise evaluate FILE --as-of DATE` on the shipped program: every requirement, every status."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.builders import complete_journey, drop_components

AFTER_ALL = "2024-09-01"  # the complete journey's last record is on 2024-08-01

REQUIREMENT_IDS = [
    "orientation", "orientation-mini-workshops", "code", "pbk", "elective",
    "mini-workshops", "skills-share", "lightning-talk", "capstone",
]


def test_evaluate_prints_the_documented_fields(evaluate, records_file):
    result = evaluate(records_file(), AFTER_ALL)
    assert set(result) == {
        "participant", "program", "program_version", "as_of", "deadline", "status",
        "certified", "certified_on", "requirements", "badges",
    }
    assert result["participant"] == "P-001"
    assert (result["program"], result["program_version"]) == ("cscce-cm", "2023")
    assert result["as_of"] == AFTER_ALL
    assert result["deadline"] == "2025-08-31"
    assert [r["id"] for r in result["requirements"]] == REQUIREMENT_IDS
    for r in result["requirements"]:
        assert set(r) >= {"id", "met", "progress", "explanation"}
        assert set(r["progress"]) == {"done", "of"}


def test_evaluate_without_as_of_audits_today(pathwise, write_json, records_file):
    before = dt.datetime.now(dt.UTC).date()
    run = pathwise("evaluate", write_json(records_file()))
    after = dt.datetime.now(dt.UTC).date()
    assert run.code == 0
    assert run.json()["as_of"] in {before.isoformat(), after.isoformat()}


# -- every requirement, met ----------------------------------------------------------

MET = {
    "orientation": ("2023-09-21", 1, "Attended Orientation on Thu 21 Sep 2023."),
    "orientation-mini-workshops": (
        "2023-10-05", 2,
        "All 2 completed: MW-CORE-VALUES (Thu 28 Sep 2023), MW-FEEDBACK (Thu 5 Oct 2023)."),
    "code": ("2023-12-05", 1, "CODE passed on Tue 5 Dec 2023."),
    "pbk": ("2024-03-12", 1, "PBK passed on Tue 12 Mar 2024."),
    "elective": ("2024-06-25", 1, "NOC passed on Tue 25 Jun 2024."),
    "mini-workshops": (
        "2024-05-15", 6,
        "6 of 6 distinct mini-workshops: MW-CORE-VALUES, MW-FEEDBACK, MW-MEETINGS, "
        "MW-FACILITATION, MW-ONBOARDING, MW-METRICS."),
    "skills-share": (
        "2024-03-14", 2,
        "2 Quarterly Skills Share sessions attended (Thu 14 Dec 2023, Thu 14 Mar 2024); 2 needed."),
    "lightning-talk": (
        "2024-03-14", 1,
        "Lightning talk: presenter at the Quarterly Skills Share on Thu 14 Mar 2024."),
    "capstone": ("2024-08-01", 1, "CAPSTONE passed on Thu 1 Aug 2024."),
}


@pytest.mark.parametrize("req_id", REQUIREMENT_IDS)
def test_each_requirement_is_met_by_the_complete_journey_with_when_and_why(
    req_id, evaluate, records_file, requirement
):
    met_on, needed, explanation = MET[req_id]
    r = requirement(evaluate(records_file(), AFTER_ALL), req_id)
    assert r["met"] is True
    assert r["met_on"] == met_on
    assert r["progress"] == {"done": needed, "of": needed}
    assert r["explanation"] == explanation


# -- every requirement, unmet ---------------------------------------------------------


def _replace(code: str, *records: dict[str, Any]) -> list[dict[str, Any]]:
    return [*drop_components(complete_journey(), code), *records]


def _qss_presenter_only() -> list[dict[str, Any]]:
    return _replace("QSS", {"component": "QSS", "date": "2024-03-14", "outcome": "attended",
                            "role": "presenter"})


def _qss_without_a_talk() -> list[dict[str, Any]]:
    return [{k: v for k, v in r.items() if k != "role"} for r in complete_journey()]


UNMET: dict[str, tuple[Any, int, int, str]] = {
    "orientation": (
        lambda: drop_components(complete_journey(), "ORIENT"), 0, 1,
        "Orientation not attended yet."),
    "orientation-mini-workshops": (
        # Another workshop instead, so that six distinct ones are still done.
        lambda: _replace("MW-FEEDBACK", {"component": "MW-ROLES", "date": "2024-05-20",
                                         "outcome": "attended"}), 1, 2,
        "1 of 2 completed: MW-CORE-VALUES (Thu 28 Sep 2023); still needed: MW-FEEDBACK."),
    "code": (
        lambda: _replace("CODE", {"component": "CODE", "date": "2023-12-05",
                                  "attendance": {"attended": 10, "of": 12},
                                  "assessments": {"final-deliverable": "passed"}}), 0, 1,
        "CODE not passed yet: attended 10 of 12 sessions, 11 needed."),
    "pbk": (
        lambda: drop_components(complete_journey(), "PBK"), 0, 1, "PBK not taken yet."),
    "elective": (
        lambda: drop_components(complete_journey(), "NOC"), 0, 1,
        "Neither NOC nor COP passed yet; one is needed."),
    "mini-workshops": (
        lambda: drop_components(complete_journey(), "MW-ONBOARDING", "MW-METRICS"), 4, 6,
        "4 of 6 distinct mini-workshops: MW-CORE-VALUES, MW-FEEDBACK, MW-MEETINGS, "
        "MW-FACILITATION; 2 more needed."),
    "skills-share": (
        _qss_presenter_only, 1, 2,
        "1 of 2 Quarterly Skills Share sessions attended (Thu 14 Mar 2024); 1 more needed."),
    "lightning-talk": (
        _qss_without_a_talk, 0, 1,
        "Lightning talk: not yet a presenter at a Quarterly Skills Share."),
    "capstone": (
        lambda: _replace("CAPSTONE", {"component": "CAPSTONE", "date": "2024-08-01",
                                      "outcome": "failed"}), 0, 1,
        "CAPSTONE not passed on Thu 1 Aug 2024; a retake is needed."),
}


COURSE_REQUIREMENTS = ("code", "pbk", "elective")


@pytest.mark.parametrize("req_id", REQUIREMENT_IDS)
def test_each_requirement_left_unmet_says_what_is_missing_and_blocks_certification(
    req_id, evaluate, records_file, requirement
):
    make_records, done, needed, explanation = UNMET[req_id]
    result = evaluate(records_file(make_records()), AFTER_ALL)
    r = requirement(result, req_id)
    assert r["met"] is False
    assert r["met_on"] is None
    assert r["progress"] == {"done": done, "of": needed}
    assert r["explanation"] == explanation
    # Only this requirement is unmet (and, for a course, the capstone, which counts only
    # once the three courses are complete), and that alone keeps them uncertified.
    also = ["capstone"] if req_id in COURSE_REQUIREMENTS else []
    assert [x["id"] for x in result["requirements"] if not x["met"]] == [req_id, *also]
    assert result["certified"] is False
    assert result["certified_on"] is None
    assert result["status"] == "on_track"
    assert "cscce-cm" not in [b["achievement"] for b in result["badges"]]


def test_credit_awaiting_its_conditions_is_explained_through_the_cli(
    evaluate, records_file, requirement
):
    records = _replace("NOC", {"component": "NOC", "date": "2024-02-01", "outcome": "credited",
                               "basis": "NOC pilot 2021", "conditions_met": False})
    r = requirement(evaluate(records_file(records), AFTER_ALL), "elective")
    assert r["met"] is False
    assert r["explanation"] == (
        "Neither NOC nor COP passed yet; one is needed "
        "(NOC credit (NOC pilot 2021) counts once its conditions are met).")


# -- statuses ----------------------------------------------------------------------------


def test_certified_when_every_requirement_was_met_with_the_date_of_the_last_one(
    evaluate, records_file
):
    result = evaluate(records_file(), AFTER_ALL)
    assert result["status"] == "certified"
    assert result["certified"] is True
    assert result["certified_on"] == "2024-08-01"


def test_the_badges_are_the_courses_passed_and_the_final_badge_on_the_certification_day(
    evaluate, records_file
):
    assert evaluate(records_file(), AFTER_ALL)["badges"] == [
        {"achievement": "CODE", "earned_on": "2023-12-05"},
        {"achievement": "PBK", "earned_on": "2024-03-12"},
        {"achievement": "NOC", "earned_on": "2024-06-25"},
        {"achievement": "cscce-cm", "earned_on": "2024-08-01"},
    ]


def test_a_credited_course_earns_its_badge_on_the_day_of_the_credit(evaluate, records_file):
    records = _replace("NOC", {"component": "NOC", "date": "2024-02-01", "outcome": "credited",
                               "basis": "NOC pilot 2021", "conditions_met": True})
    badges = evaluate(records_file(records), AFTER_ALL)["badges"]
    assert {"achievement": "NOC", "earned_on": "2024-02-01"} in badges
    assert badges[-1] == {"achievement": "cscce-cm", "earned_on": "2024-08-01"}


def test_no_final_badge_before_certification(evaluate, records_file):
    result = evaluate(records_file(), "2024-07-01")
    assert [b["achievement"] for b in result["badges"]] == ["CODE", "PBK", "NOC"]


# Orientation, its two mini-workshops and CODE done; PBK, the elective and the
# capstone (49 + 49 + 1 days) remain before the 2025-08-31 deadline.
def _halfway() -> list[dict[str, Any]]:
    return drop_components(complete_journey(), "PBK", "NOC", "CAPSTONE")


def test_on_track_while_the_remaining_courses_and_capstone_still_fit(evaluate, records_file):
    result = evaluate(records_file(_halfway()), "2024-06-01")
    assert result["status"] == "on_track"
    assert result["certified"] is False


def test_at_risk_from_the_day_the_remaining_courses_back_to_back_no_longer_fit(
    evaluate, records_file
):
    data = records_file(_halfway())
    # 2025-05-24 + 99 days = 2025-08-31, the deadline: it still just fits.
    assert evaluate(data, "2025-05-24")["status"] == "on_track"
    assert evaluate(data, "2025-05-25")["status"] == "at_risk"
    assert evaluate(data, "2025-08-31")["status"] == "at_risk"


def test_at_risk_counts_all_three_courses_when_none_is_done(evaluate, records_file):
    data = records_file(drop_components(complete_journey(), "CODE", "PBK", "NOC", "CAPSTONE"))
    # 49 + 49 + 49 + 1 = 148 days; 2025-04-05 + 148 days = 2025-08-31.
    assert evaluate(data, "2025-04-05")["status"] == "on_track"
    assert evaluate(data, "2025-04-06")["status"] == "at_risk"


def test_overdue_once_the_deadline_has_passed_uncertified(evaluate, records_file):
    result = evaluate(records_file(_halfway()), "2025-09-01")
    assert result["status"] == "overdue"
    assert result["certified"] is False


def test_overdue_wins_over_at_risk(evaluate, records_file):
    # Only the one-day capstone is missing. The audit is as of the end of the
    # day, so on the deadline day itself no day is left for it: at risk.
    data = records_file(drop_components(complete_journey(), "CAPSTONE"))
    assert evaluate(data, "2025-08-30")["status"] == "on_track"
    assert evaluate(data, "2025-08-31")["status"] == "at_risk"
    assert evaluate(data, "2025-09-01")["status"] == "overdue"


def test_withdrawn_from_the_withdrawal_day_on(evaluate, records_file):
    data = records_file(_halfway(), withdrawn_on="2024-06-01")
    assert evaluate(data, "2024-05-31")["status"] == "on_track"
    assert evaluate(data, "2024-06-01")["status"] == "withdrawn"


def test_withdrawn_wins_over_overdue_and_at_risk(evaluate, records_file):
    data = records_file(_halfway(), withdrawn_on="2024-06-01")
    assert evaluate(data, "2025-07-01")["status"] == "withdrawn"
    assert evaluate(data, "2025-09-01")["status"] == "withdrawn"


def test_certified_wins_over_a_later_withdrawal(evaluate, records_file):
    result = evaluate(records_file(withdrawn_on="2024-09-15"), "2024-10-01")
    assert result["status"] == "certified"
    assert result["certified_on"] == "2024-08-01"


def test_a_late_capstone_leaves_the_participant_overdue_and_uncertified(
    evaluate, records_file, requirement
):
    records = _replace("CAPSTONE", {"component": "CAPSTONE", "date": "2025-09-02",
                                    "outcome": "passed"})
    result = evaluate(records_file(records), "2025-09-30")
    assert requirement(result, "capstone")["met"] is True
    assert result["status"] == "overdue"
    assert result["certified"] is False
    assert result["certified_on"] is None


def test_an_extension_is_the_deadline_reported_and_used(evaluate, records_file):
    records = _replace("CAPSTONE", {"component": "CAPSTONE", "date": "2025-09-02",
                                    "outcome": "passed"})
    result = evaluate(records_file(records, deadline_extended_to="2025-11-30"), "2025-09-30")
    assert result["deadline"] == "2025-11-30"
    assert result["status"] == "certified"
    assert result["certified_on"] == "2025-09-02"


def test_every_status_value_is_reachable(evaluate, records_file):
    seen = {
        evaluate(records_file(), AFTER_ALL)["status"],
        evaluate(records_file(_halfway()), "2024-06-01")["status"],
        evaluate(records_file(_halfway()), "2025-06-01")["status"],
        evaluate(records_file(_halfway()), "2025-09-01")["status"],
        evaluate(records_file(_halfway(), withdrawn_on="2024-06-01"), "2024-07-01")["status"],
    }
    assert seen == {"certified", "on_track", "at_risk", "overdue", "withdrawn"}
