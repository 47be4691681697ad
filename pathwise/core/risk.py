"""Why someone is at risk, in kinds staff filter by, and the action each kind suggests.

The kind is read from the standing's status and its first reason, the planner's
sentence (`pathwise.core.planner`), with or without the requirement's title
in front (`reason_text`): the patterns below are the planner's own wording.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pathwise.core.when import day_text

type RiskKind = Literal["overdue", "ends_late", "no_run", "held_run", "blocked", "time"]

#: Each kind as the dashboard names it, in the order its filter lists them.
KINDS: dict[RiskKind, str] = {
    "overdue": "Deadline passed",
    "ends_late": "Finishes after the deadline",
    "no_run": "No run open in time",
    "held_run": "A run they hold does not fit",
    "blocked": "Something else blocks the plan",
    "time": "Too little time left",
}

_HOLD = re.compile(r"you hold (\S+?)[,\s]")
_LATE_RUN = re.compile(r"fits the plan, (\S+), ends on ")
_NO_RUN = ("run open to you starts", "run open to you is still to start",
           "a run open to you still to start", "waits for the courses")


def risk_kind(status: str, reason: str) -> RiskKind | None:
    """The kind of risk of a standing (`status`, its first reason); None when not at risk."""
    if status == "overdue":
        return "overdue"
    if status != "at_risk":
        return None
    if not reason:
        return "time"  # no plan to speak of: the audit's time rule decided
    if _HOLD.search(reason):
        return "held_run"
    if "after the deadline" in reason:
        return "ends_late"
    if any(words in reason for words in _NO_RUN):
        return "no_run"
    return "blocked"


def suggestion(kind: RiskKind, reason: str, deadline: dt.date) -> str:
    """The action staff could take for this kind of risk, in a short sentence."""
    due = day_text(deadline)
    late = _LATE_RUN.search(reason)
    if kind == "overdue":
        if late is not None:
            return (f"Offer an extension to after run {late.group(1)} ends, and suggest it: "
                    f"the deadline, {due}, has passed.")
        return f"Offer an extension: the deadline, {due}, has passed."
    if kind == "ends_late":
        if late is not None:
            return (f"Suggest run {late.group(1)} and offer an extension to after it ends "
                    f"(the deadline is {due}).")
        return f"Offer an extension past {due}: what is left can only finish after it."
    if kind == "no_run":
        return ("Ask for the times they could make and plan a run that suits them, or offer "
                "an extension.")
    if kind == "held_run":
        held = _HOLD.search(reason)
        run = f" from run {held.group(1)}" if held is not None else ""
        return f"Suggest moving them{run} to another run that fits their plan."
    if kind == "time":
        return f"Offer an extension, or plan the rest with them before {due}."
    return "Go through the reason with them and suggest the step that unblocks it."
