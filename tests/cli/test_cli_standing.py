"""`pathwise evaluate FILE --offerings FILE`: standing from the records, held runs and catalogue.

With an offerings file, at risk means the planner finds no way to finish before
the deadline, and the output adds `plan`; without one, the time rule decides.
The records are Ada's midway (tests/cli/test_cli_plan.py): CODE done, PBK, an
elective, mini-workshops, a skills share and the capstone left; deadline 2025-08-31.
"""

from __future__ import annotations

from typing import Any

from tests.cli.test_cli_plan import CATALOGUE, ada_midway, offering


def test_without_offerings_the_output_has_no_plan_and_the_time_rule_decides(evaluate):
    result = evaluate(ada_midway(), "2025-01-01")
    assert "plan" not in result
    assert result["status"] == "on_track"


def test_with_offerings_a_plan_that_finishes_in_time_means_on_track(pathwise, write_json):
    run = pathwise("evaluate", write_json(ada_midway()), "--offerings", write_json(CATALOGUE),
                   "--as-of", "2025-01-01")
    assert run.code == 0, run.err
    result = run.json()
    assert result["status"] == "on_track"
    assert result["plan"] == {"feasible": True, "finishes_on": "2025-05-21"}


def test_with_offerings_no_plan_in_time_means_at_risk_though_the_time_rule_says_on_track(
    pathwise, write_json, evaluate
):
    # Runs exist, but the only elective ends after the deadline.
    late = {"offerings": [o for o in CATALOGUE["offerings"]
                          if o["component"] not in ("NOC", "COP")]
            + [offering("NOC25F", "NOC", "2025-09-02", "2025-10-21")]}
    assert evaluate(ada_midway(), "2025-01-01")["status"] == "on_track"
    run = pathwise("evaluate", write_json(ada_midway()), "--offerings", write_json(late),
                   "--as-of", "2025-01-01")
    result = run.json()
    assert result["status"] == "at_risk"
    assert result["plan"] == {"feasible": False, "finishes_on": "2025-10-22"}


def test_a_held_run_counts_even_when_the_catalogue_shows_it_full(pathwise, write_json):
    data: dict[str, Any] = {**ada_midway(), "holding": ["PBK25S"]}
    offerings = write_json(CATALOGUE, "offerings.json")
    run = pathwise("plan", write_json(data), "--offerings", offerings, "--as-of", "2025-01-01")
    assert run.code == 0, run.err
    steps = run.json()["steps"]
    assert {"component": "PBK", "offering": "PBK25S", "starts_on": "2025-01-07",
            "ends_on": "2025-02-24", "role": None, "held": True} in steps
    assert [s["offering"] for s in steps if s["component"] == "PBK"] == ["PBK25S"]
    assert all(s["held"] is False for s in steps if s["offering"] != "PBK25S")


def test_certified_stays_certified_whatever_the_catalogue(pathwise, write_json, records_file):
    run = pathwise("evaluate", write_json(records_file()), "--offerings",
                   write_json({"offerings": []}), "--as-of", "2024-09-01")
    result = run.json()
    assert result["status"] == "certified"
    assert result["plan"] == {"feasible": True, "finishes_on": "2024-08-01"}


def test_a_bad_offerings_file_for_evaluate_is_one_line(pathwise, write_json, refused):
    run = pathwise("evaluate", write_json(ada_midway()), "--offerings",
                   write_json({"offerings": [{"id": "X"}]}), "--as-of", "2025-01-01")
    assert "offerings[0]" in refused(run, "evaluate")


def test_a_held_run_missing_from_the_offerings_is_one_line_naming_it(pathwise, write_json,
                                                                     refused):
    records = write_json({**ada_midway(), "holding": ["PBK99"]})
    run = pathwise("evaluate", records, "--offerings", write_json(CATALOGUE, "o.json"),
                   "--as-of", "2025-01-01")
    line = refused(run, "evaluate")
    assert f"{records}: holding[0]: 'PBK99' is not in" in line
