"""A second program, defined only as a TOML file, audited by `pathwise --programs DIR evaluate`.

Its component codes, counts, roles and window differ from the shipped program's
(see programs/field-facilitator/2025.1.toml); nothing in the code knows it.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.cli.conftest import SECOND_PROGRAMS_DIR

ENROLLED = "2025-03-15"  # twelve months, ending the day before the anniversary: 2026-03-14


def journey() -> list[dict[str, Any]]:
    return [
        {"component": "INTRO", "date": "2025-03-15", "outcome": "attended"},
        {"component": "WS-LISTEN", "date": "2025-04-01", "outcome": "attended"},
        {"component": "CIRCLE", "date": "2025-04-20", "outcome": "attended"},
        {"component": "FAC-101", "offering": "F101-S25", "date": "2025-05-01",
         "attendance": {"attended": 7, "of": 8},
         "assessments": {"project": "passed", "quiz": "passed"}},
        {"component": "WS-QUESTIONS", "date": "2025-05-10", "outcome": "attended"},
        {"component": "WS-ENERGY", "date": "2025-06-10", "outcome": "attended"},
        {"component": "CIRCLE", "date": "2025-07-20", "outcome": "attended", "role": "host"},
        {"component": "FAC-201", "offering": "F201-A25", "date": "2025-09-01",
         "attendance": {"attended": 6, "of": 6}, "assessments": {"project": "passed"}},
        {"component": "CIRCLE", "date": "2025-10-20", "outcome": "attended"},
        {"component": "REFLECT", "date": "2025-11-01", "outcome": "passed"},
    ]


def records_file(records: list[dict[str, Any]], **top: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "program": "field-facilitator",
        "program_version": "2025.1",
        "participant": {"id": "F-7", "name": "Grace Hopper", "timezone": "America/New_York"},
        "enrolled_on": ENROLLED,
        "deadline_extended_to": None,
        "records": records,
    }
    data.update(top)
    return data


def replaced(code: str, *records: dict[str, Any]) -> list[dict[str, Any]]:
    return [*(r for r in journey() if r["component"] != code), *records]


@pytest.fixture
def evaluate_second(evaluate):
    def _evaluate(data: dict[str, Any], as_of: str) -> dict[str, Any]:
        return evaluate(data, as_of, programs=SECOND_PROGRAMS_DIR)

    return _evaluate


def test_the_second_program_is_listed_next_to_the_shipped_one(pathwise):
    run = pathwise("--programs", SECOND_PROGRAMS_DIR, "programs")
    assert run.code == 0
    listed = [line.split("\t")[:2] for line in run.out.splitlines()]
    assert ["field-facilitator", "2025.1"] in listed
    assert ["cscce-cm", "2023"] in listed


def test_a_complete_journey_in_the_second_program_certifies_with_its_own_badges(
    evaluate_second, requirement
):
    result = evaluate_second(records_file(journey()), "2025-12-01")
    assert (result["program"], result["program_version"]) == ("field-facilitator", "2025.1")
    assert result["deadline"] == "2026-03-14"
    assert [r["id"] for r in result["requirements"]] == [
        "intro", "foundations", "field", "workshops", "circles", "hosting", "reflection"]
    assert all(r["met"] for r in result["requirements"])
    assert result["status"] == "certified"
    assert result["certified_on"] == "2025-11-01"
    assert result["badges"] == [
        {"achievement": "FAC-101", "earned_on": "2025-05-01"},
        {"achievement": "FAC-201", "earned_on": "2025-09-01"},
        {"achievement": "field-facilitator", "earned_on": "2025-11-01"},
    ]
    assert requirement(result, "workshops")["progress"] == {"done": 3, "of": 3}
    assert requirement(result, "workshops")["met_on"] == "2025-06-10"
    assert requirement(result, "circles")["progress"] == {"done": 3, "of": 3}
    assert requirement(result, "circles")["met_on"] == "2025-10-20"
    assert requirement(result, "hosting")["explanation"] == (
        "Hosting: host at the Practice Circle on Sun 20 Jul 2025.")


def test_the_second_programs_counts_decide_what_is_still_needed(evaluate_second, requirement):
    records = [r for r in journey()
               if (r["component"], r["date"]) not in {("WS-ENERGY", "2025-06-10"),
                                                      ("CIRCLE", "2025-10-20")}]
    result = evaluate_second(records_file(records), "2025-12-01")
    workshops = requirement(result, "workshops")
    assert workshops["met"] is False
    assert workshops["progress"] == {"done": 2, "of": 3}
    assert workshops["explanation"] == (
        "2 of 3 distinct mini-workshops: WS-LISTEN, WS-QUESTIONS; 1 more needed.")
    circles = requirement(result, "circles")
    assert circles["progress"] == {"done": 2, "of": 3}
    assert circles["explanation"] == (
        "2 of 3 Practice Circle sessions attended (Sun 20 Apr 2025, Sun 20 Jul 2025); "
        "1 more needed.")
    assert result["status"] == "on_track"


def test_the_second_programs_graduation_rule_needs_every_one_of_its_assessments(
    evaluate_second, requirement
):
    records = replaced("FAC-101", {"component": "FAC-101", "date": "2025-05-01",
                                   "attendance": {"attended": 8, "of": 8},
                                   "assessments": {"project": "passed", "quiz": "failed"}})
    r = requirement(evaluate_second(records_file(records), "2025-12-01"), "foundations")
    assert r["met"] is False
    assert r["explanation"] == "FAC-101 not passed yet: quiz failed."


def test_the_second_programs_graduation_rule_uses_its_own_session_minimum(
    evaluate_second, requirement
):
    # Seven of eight passes FAC-101 (above); five of six does not pass FAC-201.
    records = replaced("FAC-201", {"component": "FAC-201", "date": "2025-09-01",
                                   "attendance": {"attended": 5, "of": 6},
                                   "assessments": {"project": "passed"}})
    r = requirement(evaluate_second(records_file(records), "2025-12-01"), "field")
    assert r["met"] is False
    assert r["explanation"] == "FAC-201 not passed yet: attended 5 of 6 sessions, 6 needed."


def test_the_second_programs_window_ends_the_day_before_the_anniversary(evaluate_second):
    on_the_day = replaced("REFLECT", {"component": "REFLECT", "date": "2026-03-14",
                                      "outcome": "passed"})
    result = evaluate_second(records_file(on_the_day), "2026-04-01")
    assert result["status"] == "certified"
    assert result["certified_on"] == "2026-03-14"

    a_day_late = replaced("REFLECT", {"component": "REFLECT", "date": "2026-03-15",
                                      "outcome": "passed"})
    result = evaluate_second(records_file(a_day_late), "2026-04-01")
    assert result["status"] == "overdue"
    assert result["certified"] is False


def test_the_second_programs_course_lengths_decide_when_it_is_at_risk(evaluate_second):
    # FAC-101 (28 days), FAC-201 (42) and the reflection (7) remain: 77 days,
    # and 2025-12-27 + 77 days is the deadline, 2026-03-14.
    records = [r for r in journey() if r["component"] not in {"FAC-101", "FAC-201", "REFLECT"}]
    assert evaluate_second(records_file(records), "2025-12-27")["status"] == "on_track"
    assert evaluate_second(records_file(records), "2025-12-28")["status"] == "at_risk"


def test_a_shipped_program_component_is_unknown_in_the_second_program(
    pathwise, write_json, refused
):
    records = [*journey(), {"component": "CODE", "date": "2025-06-01", "outcome": "passed"}]
    path = write_json(records_file(records))
    line = refused(pathwise("--programs", SECOND_PROGRAMS_DIR, "evaluate", path))
    assert "records[10].component: unknown component 'CODE' in field-facilitator 2025.1" in line


def test_the_second_program_is_unknown_without_its_folder(pathwise, write_json, refused):
    line = refused(pathwise("evaluate", write_json(records_file(journey()))))
    assert "program: program 'field-facilitator' version '2025.1' does not exist" in line
