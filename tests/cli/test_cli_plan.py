"""`pathwise plan RECORDS --offerings FILE [--as-of DATE] [--intake ID]`: the contract's JSON.

The records are Ada's (tests/builders.py) without her capstone and NOC credit:
orientation, one orientation mini-workshop, CODE and a lightning talk done; the
deadline is 2025-08-31.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.builders import ada_file, drop_components
from tests.cli.conftest import SECOND_PROGRAMS_DIR


def ada_midway() -> dict[str, Any]:
    data = ada_file()
    data["records"] = drop_components(data["records"], "CAPSTONE", "NOC")
    return data


def offering(offering_id: str, component: str, starts_on: str, ends_on: str,
             **more: Any) -> dict[str, Any]:
    """A run meeting Tuesdays and Thursdays. One-day runs (workshops, skills shares) meet
    at 15:00, away from the courses' 12:00: nobody is planned into two meetings at once."""
    time = "15:00" if starts_on == ends_on else "12:00"
    return {"id": offering_id, "component": component, "starts_on": starts_on,
            "ends_on": ends_on, "seats_left": 4,
            "meetings": {"days": ["TU", "TH"], "time": time, "minutes": 90,
                         "timezone": "America/New_York"},
            "private_to": None, **more}


WORKSHOPS = [
    offering(f"{code}-25", code, day, day) for code, day in [
        ("MW-FEEDBACK", "2025-01-15"), ("MW-ROLES", "2025-02-12"), ("MW-CONFLICT", "2025-03-12"),
        ("MW-MEETINGS", "2025-04-09"), ("MW-METRICS", "2025-05-14"),
    ]
]
CATALOGUE = {"offerings": [
    offering("PBK25W", "PBK", "2025-01-28", "2025-03-18"),
    offering("PBK25S", "PBK", "2025-01-07", "2025-02-24", seats_left=0),
    offering("COP25S", "COP", "2025-04-01", "2025-05-20"),
    offering("NOC25S", "NOC", "2025-03-04", "2025-04-22"),
    offering("QSS25Q1", "QSS", "2025-03-13", "2025-03-13", seats_left=None),
    *WORKSHOPS,
]}


@pytest.fixture
def plan_json(pathwise, write_json):
    def _plan(records: dict[str, Any], offerings: dict[str, Any], *extra: str) -> Any:
        run = pathwise("plan", write_json(records), "--offerings",
                       write_json(offerings, "offerings.json"), *extra)
        assert run.err == ""
        assert run.code == 0
        return run.json()

    return _plan


def test_plan_prints_the_documented_fields_and_steps(plan_json):
    result = plan_json(ada_midway(), CATALOGUE, "--as-of", "2025-01-01")
    assert set(result) == {"feasible", "finishes_on", "deadline", "steps"}
    assert result["feasible"] is True
    assert result["deadline"] == "2025-08-31"
    for step in result["steps"]:
        assert set(step) == {"component", "offering", "starts_on", "ends_on", "role", "held"}
    assert [(s["component"], s["offering"]) for s in result["steps"]] == [
        ("MW-FEEDBACK", "MW-FEEDBACK-25"),
        ("PBK", "PBK25W"),               # PBK25S is full
        ("MW-ROLES", "MW-ROLES-25"),
        ("MW-CONFLICT", "MW-CONFLICT-25"),
        ("QSS", "QSS25Q1"),
        ("COP", "COP25S"),               # NOC25S starts before PBK25W ends
        ("MW-MEETINGS", "MW-MEETINGS-25"),
        ("MW-METRICS", "MW-METRICS-25"),
        ("CAPSTONE", None),
    ]
    capstone = result["steps"][-1]
    assert capstone == {"component": "CAPSTONE", "offering": None, "starts_on": "2025-05-21",
                        "ends_on": "2025-05-21", "role": None, "held": False}
    assert result["finishes_on"] == "2025-05-21"


def test_a_plan_that_cannot_finish_in_time_says_why(plan_json):
    late = {"offerings": [*CATALOGUE["offerings"][:2],
                          offering("NOC25F", "NOC", "2025-09-02", "2025-10-21"), *WORKSHOPS,
                          offering("QSS25Q1", "QSS", "2025-03-13", "2025-03-13")]}
    result = plan_json(ada_midway(), late, "--as-of", "2025-01-01")
    assert result["feasible"] is False
    assert result["finishes_on"] == "2025-10-22"
    assert result["reasons"] == [
        "elective: the earliest NOC run open to you that fits the plan, NOC25F, ends on "
        "Tue 21 Oct 2025, after the deadline Sun 31 Aug 2025",
        "capstone: CAPSTONE can come only on Wed 22 Oct 2025, the day after the courses end, "
        "after the deadline Sun 31 Aug 2025",
    ]


def test_the_participants_availability_and_organization_come_from_the_records(plan_json):
    data = ada_midway()
    data["participant"]["organization"] = "ACME Labs"
    data["participant"]["availability"] = [{"days": ["TU", "TH"], "from": "08:00",
                                            "to": "16:00"}]
    catalogue = {"offerings": [
        # 12:00 in New York is 17:00 in London in January: outside the window.
        offering("PBK25W", "PBK", "2025-01-28", "2025-03-18"),
        offering("PBK25-ACME", "PBK", "2025-02-04", "2025-03-25",
                 meetings={"days": ["TU"], "time": "10:00", "minutes": 90,
                           "timezone": "Europe/London"},
                 private_to="ACME Labs"),
    ]}
    result = plan_json(data, catalogue, "--as-of", "2025-01-01")
    assert ("PBK", "PBK25-ACME") in [(s["component"], s["offering"]) for s in result["steps"]]


def test_orientation_needs_the_intake_on_the_command_line(plan_json):
    data = ada_file()
    data["records"] = drop_components(data["records"], "ORIENT")
    catalogue = {"offerings": [offering("ORIENT-25", "ORIENT", "2025-01-13", "2025-02-03",
                                        intake="2025-01")]}
    without = plan_json(data, catalogue, "--as-of", "2025-01-01")
    assert any(r.startswith("orientation: no ORIENT run open to you")
               for r in without["reasons"])
    with_intake = plan_json(data, catalogue, "--as-of", "2025-01-01", "--intake", "2025-01")
    assert ("ORIENT", "ORIENT-25") in [(s["component"], s["offering"])
                                       for s in with_intake["steps"]]


# -- bad input: exit 2, one line -----------------------------------------------------------


def test_a_malformed_offerings_file_is_one_line(pathwise, write_json, tmp_path, refused):
    bad = tmp_path / "offerings.json"
    bad.write_text('{"offerings": [', encoding="utf-8")
    run = pathwise("plan", write_json(ada_midway()), "--offerings", bad, "--as-of", "2025-01-01")
    line = refused(run, "plan")
    assert "offerings.json" in line
    assert "not valid JSON" in line


@pytest.mark.parametrize(("broken", "words"), [
    ({"offerings": [offering("X1", "CODEX", "2025-02-01", "2025-03-01")]},
     "offerings[0].component: unknown component 'CODEX' in cscce-cm 2023"),
    ({"offerings": [offering("P1", "PBK", "2025-03-01", "2025-02-01")]},
     "offerings[0].ends_on: 2025-02-01 is before starts_on 2025-03-01"),
    ({"offerings": [offering("P1", "PBK", "2025-02-01", "2025-03-01", seats_left=-1)]},
     "offerings[0].seats_left"),
    ({"offers": []}, "offerings"),
])
def test_a_bad_offerings_file_names_the_offering(pathwise, write_json, refused, broken, words):
    run = pathwise("plan", write_json(ada_midway()), "--offerings", write_json(broken),
                   "--as-of", "2025-01-01")
    assert words in refused(run, "plan")


@pytest.mark.parametrize(("availability", "words"), [
    ([{"days": ["MO"], "from": "8am", "to": "18:00"}],
     "participant.availability[0].from: expected a time as HH:MM, got '8am'"),
    ([{"days": ["XX"], "from": "08:00", "to": "18:00"}],
     "participant.availability[0].days: 'XX' is not one of MO"),
    ("weekdays", "participant.availability"),
])
def test_bad_availability_is_one_line_naming_the_window(pathwise, write_json, refused,
                                                        availability, words):
    data = ada_midway()
    data["participant"]["availability"] = availability
    records = write_json(data)
    run = pathwise("plan", records, "--offerings", write_json(CATALOGUE),
                   "--as-of", "2025-01-01")
    line = refused(run, "plan")
    assert words in line
    assert str(records) in line


def test_a_missing_offerings_file_is_one_line(pathwise, write_json, tmp_path, refused):
    run = pathwise("plan", write_json(ada_midway()), "--offerings", tmp_path / "nope.json")
    assert "nope.json: no such file" in refused(run, "plan")


def test_a_bad_as_of_date_is_one_line(pathwise, write_json, refused):
    run = pathwise("plan", write_json(ada_midway()), "--offerings", write_json(CATALOGUE),
                   "--as-of", "2025-13-01")
    assert "--as-of" in refused(run, "plan")


# -- a second program: nothing in the planner is CSCCE's ---------------------------------------


def test_the_planner_follows_a_second_programs_own_rules(pathwise, write_json):
    records = {
        "program": "field-facilitator", "program_version": "2025.1",
        "participant": {"id": "F-7", "name": "Grace Hopper", "timezone": "America/New_York"},
        "enrolled_on": "2025-03-01", "deadline_extended_to": None,
        "records": [{"component": "INTRO", "date": "2025-03-15", "outcome": "attended"},
                    {"component": "WS-LISTEN", "date": "2025-04-01", "outcome": "attended"}],
    }
    offerings = {"offerings": [
        offering("F201-A", "FAC-201", "2025-04-15", "2025-05-27"),   # before FAC-101: refused
        offering("F101-A", "FAC-101", "2025-05-06", "2025-06-24"),
        offering("F201-B", "FAC-201", "2025-07-01", "2025-08-12"),
        offering("WS-E", "WS-ENERGY", "2025-05-20", "2025-05-20"),
        offering("WS-C", "WS-CLOSING", "2025-06-03", "2025-06-03"),
        *(offering(f"CIRCLE-{m}", "CIRCLE", f"2025-{m:02d}-18", f"2025-{m:02d}-18")
          for m in (5, 6, 7)),
    ]}
    run = pathwise("--programs", SECOND_PROGRAMS_DIR, "plan", write_json(records),
                   "--offerings", write_json(offerings), "--as-of", "2025-04-10")
    assert run.code == 0, run.err
    result = run.json()
    assert [(s["component"], s["offering"], s["role"]) for s in result["steps"]] == [
        ("FAC-101", "F101-A", None),
        ("CIRCLE", "CIRCLE-5", "host"),
        ("WS-ENERGY", "WS-E", None),
        ("WS-CLOSING", "WS-C", None),
        ("CIRCLE", "CIRCLE-6", None),
        ("FAC-201", "F201-B", None),
        ("CIRCLE", "CIRCLE-7", None),
        ("REFLECT", None, None),
    ]
    # A twelve-month window ending the day before the anniversary; the reflection
    # comes the day after FAC-201 ends.
    assert result["deadline"] == "2026-02-28"
    assert result["finishes_on"] == "2025-08-13"
    assert result["feasible"] is True
