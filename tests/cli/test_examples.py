"""The sample files in examples/ are at the stages the README says, by the shipped rules."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.cli.conftest import Run

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
RECORDS = EXAMPLES / "records"
OFFERINGS = EXAMPLES / "offerings.json"
AS_OF = "2026-01-12"  # the day the README's examples are run on


def _json(run: Run) -> Any:
    assert run.code == 0, run.err
    return run.json()


def test_the_newcomer_has_done_orientation_and_has_a_plan_to_finish(
    pathwise: Callable[..., Run],
) -> None:
    audit = _json(pathwise("evaluate", RECORDS / "new.json", "--as-of", AS_OF))
    assert audit["status"] == "on_track"
    met = {r["id"] for r in audit["requirements"] if r["met"]}
    assert met == {"orientation", "orientation-mini-workshops"}
    plan = _json(pathwise("plan", RECORDS / "new.json", "--offerings", OFFERINGS,
                          "--as-of", AS_OF))
    assert plan["feasible"] is True
    assert plan["finishes_on"] <= plan["deadline"]
    assert {"CODE", "PBK", "CAPSTONE"} <= {s["component"] for s in plan["steps"]}
    assert any(s["role"] == "presenter" for s in plan["steps"])


def test_the_mid_course_participant_plans_around_the_run_they_hold(
    pathwise: Callable[..., Run],
) -> None:
    plan = _json(pathwise("plan", RECORDS / "mid-course.json", "--offerings", OFFERINGS,
                          "--as-of", AS_OF))
    assert plan["feasible"] is True
    held = [s for s in plan["steps"] if s["held"]]
    assert [(s["component"], s["offering"]) for s in held] == [("PBK", "PBK2602")]
    assert "CODE" not in {s["component"] for s in plan["steps"]}  # passed already
    badge = _json(pathwise("badge", RECORDS / "mid-course.json", "--achievement", "CODE",
                           "--as-of", AS_OF))
    assert badge["credentialSubject"]["achievement"]["name"] == "Content Design"
    assert badge["validFrom"] == "2025-06-05T00:00:00Z"  # the day CODE was passed


def test_the_at_risk_participant_has_time_by_the_rule_but_no_plan_that_fits(
    pathwise: Callable[..., Run],
) -> None:
    alone = _json(pathwise("evaluate", RECORDS / "at-risk.json", "--as-of", AS_OF))
    assert alone["status"] == "on_track"
    with_runs = _json(pathwise("evaluate", RECORDS / "at-risk.json", "--offerings", OFFERINGS,
                               "--as-of", AS_OF))
    assert with_runs["status"] == "at_risk"
    assert with_runs["plan"] == {"feasible": False, "finishes_on": None}
    plan = _json(pathwise("plan", RECORDS / "at-risk.json", "--offerings", OFFERINGS,
                          "--as-of", AS_OF))
    assert any(r.startswith("pbk: ") and "outside your availability" in r
               for r in plan["reasons"])


def test_the_certified_participant_earns_every_badge(pathwise: Callable[..., Run],
                                                    tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("PATHWISE_DATA_DIR", str(tmp_path))
    audit = _json(pathwise("evaluate", RECORDS / "certified.json", "--offerings", OFFERINGS,
                           "--as-of", AS_OF))
    assert audit["status"] == "certified"
    assert [b["achievement"] for b in audit["badges"]] == ["CODE", "PBK", "NOC", "cscce-cm"]
    final = pathwise("badge", RECORDS / "certified.json", "--achievement", "cscce-cm")
    path = tmp_path / "badge.json"
    path.write_text(final.out, encoding="utf-8")
    assert _json(pathwise("verify", path))["verified"] is True


def test_the_offerings_file_shows_each_kind_of_run() -> None:
    runs = json.loads(OFFERINGS.read_text(encoding="utf-8"))["offerings"]
    kinds = {r["component"] for r in runs}
    assert {"ORIENT", "CODE", "PBK", "NOC", "COP", "QSS", "MW-MEETINGS"} <= kinds
    assert any(r["private_to"] for r in runs)
    assert any(r["seats_left"] == 0 for r in runs)
    assert any(r.get("intake") for r in runs)
    assert any(r["meetings"].get("cancelled") for r in runs)
    assert any(r["meetings"].get("moved") for r in runs)
