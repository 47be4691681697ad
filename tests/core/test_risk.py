"""The kind of an at-risk standing, read from the planner's own reasons, and the action
each kind suggests."""

from __future__ import annotations

import datetime as dt

import pytest

from pathwise.core.risk import KINDS, risk_kind, suggestion

DEADLINE = dt.date(2027, 4, 30)


@pytest.mark.parametrize(("status", "reason", "kind"), [
    ("overdue", "", "overdue"),
    ("at_risk", "", "time"),
    ("at_risk", "CODE course: the earliest CODE run open to you that fits the plan, "
                "CODE2704, ends on Thu 27 May 2027, after the deadline Fri 30 Apr 2027",
     "ends_late"),
    ("at_risk", "capstone: CAPSTONE can come only on Fri 1 May 2027, the day after the "
                "courses end, after the deadline Fri 30 Apr 2027", "ends_late"),
    ("at_risk", "PBK course: no PBK run open to you is still to start "
                "(1 full, 2 outside your availability)", "no_run"),
    ("at_risk", "electives: 2 more distinct workshops needed but only 1 has a run open to "
                "you still to start; none of MW-A or MW-B does", "no_run"),
    ("at_risk", "capstone: waits for the courses, which cannot all be planned", "no_run"),
    ("at_risk", "PBK course: you hold PBK2701, but CODE must be passed before it starts",
     "held_run"),
    ("at_risk", "PBK course: you hold PBK2701 and CODE2701, which meet at the same time",
     "held_run"),
    ("at_risk", "capstone: the three courses must be complete first", "blocked"),
    ("on_track", "anything", None),
    ("certified", "", None),
    ("withdrawn", "", None),
])
def test_the_kind_comes_from_the_status_and_the_first_reason(
        status: str, reason: str, kind: str | None) -> None:
    assert risk_kind(status, reason) == kind


def test_each_kind_suggests_an_action_naming_the_run_when_there_is_one() -> None:
    late = ("CODE course: the earliest CODE run open to you that fits the plan, CODE2704, "
            "ends on Thu 27 May 2027, after the deadline Fri 30 Apr 2027")
    assert suggestion("ends_late", late, DEADLINE) == (
        "Suggest run CODE2704 and offer an extension to after it ends (the deadline is "
        "Fri 30 Apr 2027).")
    assert "run CODE2704" in suggestion("overdue", late, DEADLINE)
    assert suggestion("overdue", "", DEADLINE) == (
        "Offer an extension: the deadline, Fri 30 Apr 2027, has passed.")
    assert "from run PBK2701" in suggestion(
        "held_run", "PBK course: you hold PBK2701, but CODE must be passed first", DEADLINE)
    for kind in KINDS:
        assert suggestion(kind, "", DEADLINE).endswith(".")
