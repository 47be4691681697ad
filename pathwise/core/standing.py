"""Where a participant stands: the one answer every page, the CLI and the staff list share.

Standing is the audit of their records, the runs they hold a seat in and, when
it is known, the catalogue of runs they could still take. With a catalogue,
"at risk" means the planner finds no way to finish before the deadline from
all three; without one, the audit's time rule decides (DESIGN.md). Certified,
withdrawn and overdue are the audit's, whatever the catalogue says.

A catalogue may be known only up to a `horizon` (the last day runs are
published for, in a live deployment): runs after it are not published yet,
not missing. For a deadline beyond the horizon, a plan that cannot finish yet
is "not yet complete" and the time rule decides; an offerings file given
explicitly (the CLI) is taken as complete.

`next_step` turns a standing into the one sentence at the top of a
participant's page: what to do next, with its date on their own clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from pathwise.core.audit import Audit, Status, at_risk_from, evaluate
from pathwise.core.offerings import OfferingsFile, occurrences
from pathwise.core.planner import Plan, Step, plan
from pathwise.core.program import Program
from pathwise.core.records import ParticipantRecords
from pathwise.core.when import day_text, local, time_text
from pathwise.core.words import and_list


@dataclass(frozen=True, slots=True)
class Standing:
    audit: Audit
    status: Status
    plan: Plan | None  # None when no catalogue was given
    horizon: dt.date | None = None  # runs are published up to this day (None: all of them)

    @property
    def waiting_for_runs(self) -> bool:
        """No plan finishes yet, but only because runs after the horizon are not published."""
        return (self.plan is not None and not self.plan.feasible and self.horizon is not None
                and self.audit.deadline > self.horizon and self.status == "on_track")

    @property
    def deadline(self) -> dt.date:
        return self.audit.deadline

    @property
    def held(self) -> tuple[Step, ...]:
        return tuple(s for s in self.plan.steps if s.held) if self.plan is not None else ()

    @property
    def reasons(self) -> tuple[str, ...]:
        """Why no plan finishes in time (empty when one does, or without a catalogue)."""
        return self.plan.reasons if self.plan is not None and not self.plan.feasible else ()

    def to_json(self) -> dict[str, Any]:
        out = self.audit.to_json()
        out["status"] = self.status
        if self.plan is not None:
            finishes = self.plan.finishes_on
            out["plan"] = {"feasible": self.plan.feasible,
                           "finishes_on": finishes.isoformat() if finishes else None}
        return out


def standing(program: Program, records: ParticipantRecords, as_of: dt.date,
             offerings: OfferingsFile | None = None, *, intake: str | None = None,
             horizon: dt.date | None = None, records_source: str = "records",
             offerings_source: str = "offerings") -> Standing:
    """Where `records` stand at the end of `as_of`, with the catalogue when there is one."""
    audit = evaluate(program, records, as_of)
    if offerings is None:
        return Standing(audit, audit.status, None)
    planned = plan(program, records, offerings, as_of, intake=intake, audit=audit,
                   records_source=records_source, offerings_source=offerings_source)
    status = audit.status
    if status in ("on_track", "at_risk"):
        if planned.feasible:
            status = "on_track"
        elif horizon is None or audit.deadline <= horizon:
            status = "at_risk"
    return Standing(audit, status, planned, horizon)


def status_began(program: Program, s: Standing, records: ParticipantRecords,
                 as_of: dt.date) -> dt.date:
    """The first day of `s`'s status as far as the dates tell, for a standing seen for the
    first time (an import, a status that changed while no one refreshed it): the day after
    the deadline when overdue, the day of the certification or the withdrawal, the day
    the time rule first found the courses no longer fit when it says so; `as_of` when
    nothing dates it (on track, or at risk only because no plan finishes)."""
    audit = s.audit
    day: dt.date | None = None
    if s.status == "overdue":
        day = audit.deadline + dt.timedelta(days=1)
    elif s.status == "certified":
        day = audit.certified_on
    elif s.status == "withdrawn":
        day = records.withdrawn_on
    elif s.status == "at_risk" and audit.status == "at_risk":
        day = at_risk_from(program, audit)
    if day is None:
        return as_of
    return min(as_of, max(day, records.enrolled_on))


def changes_on(program: Program, s: Standing, records: ParticipantRecords, as_of: dt.date,
               *, now: dt.datetime, zone: str) -> dt.date | None:
    """The first day after `as_of` on which what is shown of `s` (its status, dates and
    reasons, as a stored row and the pages show them), or the next step worded from it
    at `now`, could differ with nothing but the date changed; None if never; `as_of`
    itself while a meeting the next step names is still to start today.

    It errs early, never late: a day returned may well change nothing. Every day: no
    catalogue (the time rule), and a capstone put on the day after as-of while it is
    the next step or the plan's last day. Otherwise the first of: a record dated later
    coming into force, the withdrawal, the deadline passing, a planned run starting
    (the planner only plans runs that have not), and for each run held and not over,
    its start, each day it meets (its next meeting is named) and the day after it
    ends. For a plan that cannot finish, also the first day a run the planner found or
    counted starts (its reasons count the runs still to start), and, while the time
    rule decides its status, the day that rule would find it at risk.
    """
    tomorrow = as_of + dt.timedelta(days=1)
    meets_today = False
    days: list[dt.date] = [r.date for r in records.records if r.date > as_of]
    if records.withdrawn_on is not None and records.withdrawn_on > as_of:
        days.append(records.withdrawn_on)
    if s.status in ("certified", "withdrawn"):
        return min(days, default=None)
    plan_ = s.plan
    if plan_ is None:
        return tomorrow
    if not plan_.feasible:
        if plan_.replan_on is not None:
            days.append(plan_.replan_on)
        if s.status == "on_track":
            # Runs are not published far enough yet: the time rule keeps it on track.
            at_risk = at_risk_from(program, s.audit)
            if at_risk is not None:
                days.append(at_risk)
    if s.audit.deadline >= as_of:
        days.append(s.audit.deadline + dt.timedelta(days=1))
    # While a run is left to enroll in, the next step names that run, not the capstone.
    enrolling = any(step.offering is not None and not step.held for step in plan_.steps)
    for step in plan_.steps:
        if step.offering is None:
            if step.starts_on <= tomorrow:
                # A capstone put on the day after as-of moves a day with every day. It shows
                # as the next step or as the plan's last day; otherwise not until it reaches
                # that day, or the deadline.
                if not enrolling or plan_.finishes_on in (None, step.ends_on):
                    return tomorrow
                days.extend((plan_.finishes_on, s.audit.deadline))
            continue
        if not step.held:
            days.append(step.starts_on)
        elif step.ends_on >= as_of:
            days.append(step.ends_on + dt.timedelta(days=1))
            if step.starts_on > as_of:
                days.append(step.starts_on)
            upcoming = _first_meeting(step, now)
            if upcoming is not None:
                day = local(upcoming, zone).date()
                if day <= as_of:
                    # The next step names a meeting later today: its words change when
                    # the meeting starts, so today stays due (the hourly pass looks again).
                    meets_today = True
                days.append(day)
    if meets_today:
        return as_of
    return max(min(days), tomorrow) if days else None


# -- the next step, in words -----------------------------------------------------------


NextKind = Literal["certified", "withdrawn", "overdue", "at-risk", "held", "enroll",
                   "waiting", "capstone", "requirement", "done"]


@dataclass(frozen=True, slots=True)
class NextStep:
    """One sentence saying what to do next; `offering` is the run it is about, if any."""

    kind: NextKind
    text: str
    offering: str | None = None


def next_step(program: Program, s: Standing, *, now: dt.datetime, zone: str,
              withdrawn_on: dt.date | None = None) -> NextStep:
    """What the participant should do next, in their own zone (`zone`), as of `now`."""
    audit = s.audit
    today = local(now, zone).date()
    if s.status == "certified" and audit.certified_on is not None:
        return NextStep("certified", f"You are certified since {day_text(audit.certified_on)}: "
                                     "download your certificate and share your badges.")
    if s.status == "withdrawn":
        since = f" on {day_text(withdrawn_on)}" if withdrawn_on else ""
        return NextStep("withdrawn", f"You withdrew from the program{since}. To come back, "
                                     "ask staff.")
    left = len(audit.unmet)
    if s.status == "overdue":
        return NextStep("overdue", (
            f"Your deadline, {day_text(audit.deadline)}, has passed with {left} "
            f"requirement{'s' if left != 1 else ''} left: ask staff about an extension."))
    if s.plan is None:
        unmet = audit.unmet[0]
        return NextStep("requirement", f"Next: {unmet.title} — {unmet.explanation}")
    why = (reason_text(program, s.reasons[0]) if s.reasons
           else "not every requirement can be planned")
    if not s.plan.feasible and not s.waiting_for_runs:
        # The reasons themselves are long and listed with the standing; the sentence names
        # what does not fit.
        return NextStep("at-risk", (
            f"No plan finishes before your deadline, {day_text(audit.deadline)}: "
            f"{and_list(_titles(program, s.reasons))} cannot fit in before it. "
            "Tell us the times you could make, or ask staff for an extension."))
    held = next((st for st in s.plan.steps
                 if st.held and st.offering is not None and st.ends_on >= today), None)
    enroll = next((st for st in s.plan.steps if not st.held and st.offering is not None), None)
    if held is not None and (enroll is None or held.starts_on <= enroll.starts_on):
        return _held_text(program, held, now, zone, today)
    if enroll is not None and enroll.offering is not None:
        name = program.components[enroll.component].name
        first = _first_meeting(enroll, now)
        when = f"{time_text(first, zone)} your time" if first else day_text(enroll.starts_on)
        role = f" as {enroll.role}" if enroll.role else ""
        return NextStep("enroll", f"Enroll in {name} ({enroll.offering.id}){role}: it starts "
                                  f"{when}.", enroll.offering.id)
    if s.waiting_for_runs and s.horizon is not None:
        return NextStep("waiting", (
            f"Runs are published up to {day_text(s.horizon)} and do not complete your plan "
            f"yet ({why}); more are published each term. Tell us the times you could make."))
    capstone = next((st for st in s.plan.steps if st.offering is None), None)
    if capstone is not None:
        name = program.components[capstone.component].name
        return NextStep("capstone", f"Next: your {name.lower()}, from "
                                    f"{day_text(capstone.starts_on)}.")
    finishes = s.plan.finishes_on
    return NextStep("done", f"Your plan finishes on {day_text(finishes)}." if finishes
                    else "Nothing is left to plan.")


def _held_text(program: Program, step: Step, now: dt.datetime, zone: str,
               today: dt.date) -> NextStep:
    assert step.offering is not None
    name = program.components[step.component].name
    run = step.offering.id
    upcoming = _first_meeting(step, now)
    if step.starts_on <= today:
        when = (f"its next meeting is {time_text(upcoming, zone)} your time" if upcoming
                else f"it ends {day_text(step.ends_on)}")
        return NextStep("held", f"You are taking {name} ({run}): {when}.", run)
    when = f"{time_text(upcoming, zone)} your time" if upcoming else day_text(step.starts_on)
    return NextStep("held", f"Your {name} run, {run}, starts {when}.", run)


def _first_meeting(step: Step, now: dt.datetime) -> dt.datetime | None:
    """The step's first meeting that has not started by `now`."""
    if step.offering is None:
        return None
    return next((start for start, _ in occurrences(step.offering) if start > now), None)


def _titles(program: Program, reasons: tuple[str, ...]) -> list[str]:
    """The requirements the planner's reasons are about, once each, in order."""
    titles = {r.id: r.title for r in program.requirements}
    named = [titles[key] for reason in reasons if (key := reason.partition(": ")[0]) in titles]
    return list(dict.fromkeys(named)) or ["some requirements"]


def reason_text(program: Program, reason: str) -> str:
    """A planner reason ("elective: no NOC or COP run …") with the requirement's title."""
    req_id, _, rest = reason.partition(": ")
    titles = {r.id: r.title for r in program.requirements}
    return f"{titles[req_id]}: {rest}" if req_id in titles and rest else reason
