"""Course evaluations through the API: a participant's own answer; a run's answers (staff)
or, for its instructors, what they add up to and the comments, never who wrote them; the
summary per course and run (staff)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from pathwise.api import access
from pathwise.api.conventions import iso
from pathwise.api.problems import invalid
from pathwise.api.views.base import ApiViewSet
from pathwise.api.views.catalogue import validated
from pathwise.api.views.runs import CODE, _access
from pathwise.core.errors import PathwiseError
from pathwise.core.evaluations import INSTRUCTOR_MINIMUM, RECOMMEND, TEXT_MAX, Tally
from pathwise.core.inputs import is_identifier
from pathwise.evaluations.actions import answer_evaluation
from pathwise.evaluations.models import Evaluation
from pathwise.evaluations.read import (
    RunSummary,
    answers,
    run_summary,
    summary_json,
    tally_json,
)

S = serializers.Serializer
PARTICIPANT = OpenApiParameter("public_id", str, OpenApiParameter.PATH,
                               description="A participant id, e.g. P-025.")
RUN = OpenApiParameter("run", str, OpenApiParameter.PATH,
                       description="The code of a run they held a seat on.")
COURSE = OpenApiParameter("course", str, description="Only this course, e.g. PBK.")


class EvaluationIn(S):  # type: ignore[type-arg]
    recommend = serializers.ChoiceField(choices=list(RECOMMEND))
    worked = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True,
                                   trim_whitespace=False)
    change = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True,
                                   trim_whitespace=False)


class EvaluationOut(S):  # type: ignore[type-arg]
    participant = serializers.CharField()
    run = serializers.CharField()
    course = serializers.CharField()
    closes_on = serializers.DateField()
    open = serializers.BooleanField()
    answered = serializers.BooleanField()
    recommend = serializers.ChoiceField(choices=list(RECOMMEND), allow_null=True)
    worked = serializers.CharField()
    change = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)


# Made with type(): one of its fields is named `not`, as the answer it counts.
TallyOut = type("TallyOut", (S,), {
    "asked": serializers.IntegerField(), "answered": serializers.IntegerField(),
    "strongly": serializers.IntegerField(), "somewhat": serializers.IntegerField(),
    "not": serializers.IntegerField(),
    "strongly_share": serializers.FloatField(allow_null=True,
                                             help_text="Of those who answered."),
    "response_rate": serializers.FloatField(allow_null=True)})


class RunEvaluationsOut(S):  # type: ignore[type-arg]
    run = serializers.CharField()
    course = serializers.CharField()
    shown = serializers.BooleanField(help_text=(
        f"False for an instructor while fewer than {INSTRUCTOR_MINIMUM} have answered: "
        "then only how many were asked and answered is given."))
    tally = TallyOut()
    worked = serializers.ListField(child=serializers.CharField(),
                                   help_text="Alphabetical, apart from who wrote them.")
    change = serializers.ListField(child=serializers.CharField())
    answers = EvaluationOut(many=True, allow_null=True,
                            help_text="Staff only: each person asked and what they said.")


class RunTallyOut(S):  # type: ignore[type-arg]
    run = serializers.CharField()
    ends_on = serializers.DateField()
    tally = TallyOut()


class CourseTallyOut(S):  # type: ignore[type-arg]
    course = serializers.CharField()
    name = serializers.CharField()
    tally = TallyOut()
    runs = RunTallyOut(many=True)


class SummaryOut(S):  # type: ignore[type-arg]
    courses = CourseTallyOut(many=True)


def evaluation_json(row: Evaluation) -> dict[str, Any]:
    return {"participant": row.participant.public_id, "run": row.offering.code,
            "course": row.offering.component, "closes_on": row.closes_on,
            "open": timezone.localdate() <= row.closes_on, "answered": row.answered,
            "recommend": row.recommend or None, "worked": row.worked, "change": row.change,
            "answered_at": iso(row.answered_at, dt.UTC) if row.answered_at else None}


def run_json(summary: RunSummary, *, staff: bool) -> dict[str, Any]:
    shown = staff or summary.tally.shown_to_instructors
    t = summary.tally if shown else Tally(asked=summary.tally.asked)
    counts = tally_json(t)
    if not shown:
        counts["answered"] = summary.tally.answered
    return {"run": summary.offering.code, "course": summary.offering.component,
            "shown": shown, "tally": counts,
            "worked": summary.worked if shown else [], "change": summary.change if shown else [],
            "answers": [evaluation_json(r) for r in answers(summary.offering)] if staff
            else None}


EXAMPLE = OpenApiExample("strongly, with a comment", request_only=True, value={
    "recommend": "strongly", "worked": "The case studies.", "change": "More time to read."})


@extend_schema(tags=["evaluations"])
class EvaluationViewSet(ApiViewSet):
    """Evaluations of runs that have ended."""

    def _own(self, request: Request, public_id: str, run: str) -> Evaluation:
        participant = access.participant_named(request, public_id)
        row = (Evaluation.objects.select_related("offering__program_version", "participant")
               .filter(participant=participant, offering__code=run).first()
               if is_identifier(run) else None)
        if row is None:
            raise exceptions.NotFound(f"{participant.public_id} was not asked about {run[:40]!r}.")
        return row

    @extend_schema(parameters=[PARTICIPANT, RUN], responses=EvaluationOut)
    def retrieve(self, request: Request, public_id: str, run: str) -> Response:
        """Their evaluation of the run: asked when its last meeting had passed, open to
        answer and change until `closes_on`."""
        return Response(EvaluationOut(evaluation_json(self._own(request, public_id, run))).data)

    @extend_schema(parameters=[PARTICIPANT, RUN], request=EvaluationIn,
                   responses=EvaluationOut, examples=[EXAMPLE])
    def answer(self, request: Request, public_id: str, run: str) -> Response:
        """Answer the evaluation, or change the answer, until it closes. Only the
        participant answers their own."""
        row = self._own(request, public_id, run)
        if access.own(request) != row.participant:
            raise exceptions.PermissionDenied("Only the participant answers their evaluation.")
        data = validated(EvaluationIn, request)
        try:
            saved = answer_evaluation(row, access.actor(request), recommend=data["recommend"],
                                      worked=data.get("worked", ""),
                                      change=data.get("change", ""))
        except PathwiseError as exc:
            message = str(exc)
            field = ("worked" if message.startswith("what worked")
                     else "change" if message.startswith("what to change") else "run")
            raise invalid(field, "evaluation", message, status_code=422) from exc
        saved.participant = row.participant
        return Response(EvaluationOut(evaluation_json(saved)).data)

    @extend_schema(parameters=[CODE], responses=RunEvaluationsOut)
    def run(self, request: Request, code: str) -> Response:
        """A run's evaluations. Staff: each answer and who gave it. An instructor of the
        run: what the answers add up to and the comments (alphabetical, never who wrote
        them), from the third answer on."""
        run = _access(request, code)
        return Response(RunEvaluationsOut(run_json(run_summary(run.offering),
                                                   staff=run.staff)).data)

    @extend_schema(parameters=[COURSE], responses=SummaryOut)
    def summary(self, request: Request) -> Response:
        """Staff: per course and per run (newest first), how many were asked and answered
        and the share who would strongly recommend it."""
        access.require_staff(request)
        course = request.query_params.get("course")
        if course is not None and not is_identifier(course):
            raise invalid("course", "identifier", f"no course {course[:40]!r}")
        return Response(SummaryOut(summary_json(course)).data)
