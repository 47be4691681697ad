"""What the evaluation pages, the API and the CLI show.

A run's comments are given as two lists, what worked and what to change, each in
alphabetical order: never paired with each other, with a person, or in the order
they were written, so a comment cannot be traced back to whoever wrote it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from pathwise.catalog.models import Offering
from pathwise.core.evaluations import Recommend, Tally, combined, tally
from pathwise.evaluations.models import Evaluation
from pathwise.participants.models import Participant
from pathwise.runs.read import component_of


@dataclass(frozen=True)
class RunSummary:
    offering: Offering
    name: str
    tally: Tally
    worked: list[str]
    change: list[str]


@dataclass
class CourseSummary:
    component: str
    name: str
    runs: list[RunSummary] = field(default_factory=list)

    @property
    def tally(self) -> Tally:
        return combined(r.tally for r in self.runs)


def _summary(offering: Offering, rows: list[Evaluation]) -> RunSummary:
    answered = [r for r in rows if r.answered]
    return RunSummary(
        offering, component_of(offering).name,
        tally((cast("Recommend", r.recommend) for r in answered), asked=len(rows)),
        sorted(r.worked for r in answered if r.worked),
        sorted(r.change for r in answered if r.change))


def run_summary(offering: Offering) -> RunSummary:
    return _summary(offering, list(Evaluation.objects.filter(offering=offering)))


def answers(offering: Offering) -> list[Evaluation]:
    """Who was asked and what each answered (staff only), by participant id."""
    return list(Evaluation.objects.filter(offering=offering).select_related("participant")
                .order_by("participant__public_id"))


def summaries(course: str | None = None,
              runs: list[Offering] | None = None) -> list[CourseSummary]:
    """Each course that has been asked about (or only `course`; or only `runs`), its runs
    newest first."""
    rows = Evaluation.objects.select_related("offering__program_version")
    if course is not None:
        rows = rows.filter(offering__component=course)
    if runs is not None:
        rows = rows.filter(offering__in=runs)
    by_run: dict[int, list[Evaluation]] = {}
    offerings: dict[int, Offering] = {}
    for row in rows:
        by_run.setdefault(row.offering_id, []).append(row)
        offerings[row.offering_id] = row.offering
    courses: dict[str, CourseSummary] = {}
    for pk in sorted(offerings, key=lambda k: (offerings[k].starts_on, offerings[k].code),
                     reverse=True):
        summary = _summary(offerings[pk], by_run[pk])
        courses.setdefault(summary.offering.component, CourseSummary(
            summary.offering.component, summary.name)).runs.append(summary)
    return sorted(courses.values(), key=lambda c: c.component)


def asked(participant: Participant) -> list[Evaluation]:
    """The participant's evaluations, newest run first."""
    return list(Evaluation.objects.filter(participant=participant)
                .select_related("offering__program_version")
                .order_by("-offering__ends_on", "offering__code"))


def tally_json(t: Tally) -> dict[str, Any]:
    share, rate = t.strongly_share, t.response_rate
    return {"asked": t.asked, "answered": t.answered, "strongly": t.strongly,
            "somewhat": t.somewhat, "not": t.not_,
            "strongly_share": None if share is None else round(float(share), 4),
            "response_rate": None if rate is None else round(float(rate), 4)}


def summary_json(course: str | None = None) -> dict[str, Any]:
    """The summary as the API and `pathwise evaluations summary` give it."""
    return {"courses": [
        {"course": c.component, "name": c.name, "tally": tally_json(c.tally),
         "runs": [{"run": r.offering.code, "ends_on": r.offering.ends_on.isoformat(),
                   "tally": tally_json(r.tally)} for r in c.runs]}
        for c in summaries(course)]}
