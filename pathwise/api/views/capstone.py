"""The capstone: a participant (or staff for them) submits it; staff review the queue."""

from __future__ import annotations

import builtins
import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.parsers import BaseParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from pathwise.api import access
from pathwise.api import serializers as s
from pathwise.api.conventions import idempotent, iso
from pathwise.api.problems import Problem, field_error
from pathwise.api.views.base import ApiViewSet
from pathwise.api.views.catalogue import validated
from pathwise.api.views.people import PARTICIPANT
from pathwise.capstone import actions
from pathwise.capstone.models import Submission
from pathwise.capstone.read import CapstoneState, capstone_of, waiting_queue
from pathwise.core.capstone import BY_ID
from pathwise.core.errors import PathwiseError
from pathwise.site.downloads import download

SUBMISSION = [OpenApiParameter("submission_id", int, OpenApiParameter.PATH,
                               description="A capstone submission's id.")]


def submission_json(row: Submission) -> dict[str, Any]:
    participant = row.enrollment.participant
    return {
        "id": row.pk, "participant": participant.public_id, "name": participant.name,
        "status": row.status, "submitted_at": iso(row.submitted_at, dt.UTC),
        "submitted_by": row.submitted_by, "text": row.text,
        "file": {"name": row.file_name, "size": row.file_size, "kind": row.file_kind,
                 "url": f"/api/v1/capstone-submissions/{row.pk}/file/"}
        if row.file_path else None,
        "size": row.size, "feedback": row.feedback,
        "reviewed_at": iso(row.reviewed_at, dt.UTC) if row.reviewed_at else None,
        "reviewed_by": row.reviewed_by,
    }


def state_json(state: CapstoneState) -> dict[str, Any]:
    return {"participant": state.participant.public_id, "component": state.component.code,
            "state": state.label, "refusal": state.refusal,
            "passed_on": state.passed_on,
            "submissions": [submission_json(r) for r in state.submissions]}


def refused(exc: PathwiseError, fallback: str) -> Problem:
    message = str(exc)
    field = next((f for phrase, f in (("the text", "text"), ("feedback", "feedback"),
                                      ("say what needs", "feedback"),
                                      ("review result", "result"), ("empty: write", "text"))
                  if phrase in message), fallback)
    return Problem(422, f"{field}: {message}", kind="capstone-refused",
                   errors=[field_error(field, "capstone", message)])


@extend_schema(tags=["capstone"], parameters=PARTICIPANT)
class ParticipantCapstoneViewSet(ApiViewSet):
    """A participant's capstone: every submission with its review, and whether they may
    submit (once the three courses are complete)."""

    def get_parsers(self) -> builtins.list[BaseParser]:
        return [JSONParser(), MultiPartParser()]

    def _state(self, request: Request, public_id: str) -> CapstoneState:
        participant = access.participant_named(request, public_id)
        state = capstone_of(participant)
        if state is None:
            raise exceptions.NotFound(f"{participant.public_id} has no capstone to submit.")
        return state

    @extend_schema(responses=s.CapstoneOut)
    def retrieve(self, request: Request, public_id: str) -> Response:
        return Response(s.CapstoneOut(state_json(self._state(request, public_id))).data)

    @extend_schema(request={"multipart/form-data": s.CapstoneIn, "application/json": s.CapstoneIn},
                   responses={201: s.CapstoneSubmissionOut}, examples=[OpenApiExample(
                       "a reflection as text", request_only=True,
                       value={"text": "What I learned running our community call."})])
    def submit(self, request: Request, public_id: str) -> Response:
        """Send the capstone in: text, a file (multipart), or both. Refused (422, nothing
        saved) before the three courses are complete, while one is waiting for review,
        once passed, or when the file is empty, too big or not an accepted type."""
        state = self._state(request, public_id)
        data = validated(s.CapstoneIn, request)
        try:
            upload = data.get("file")
            row = actions.submit_capstone(
                state.participant, access.actor(request), text=data.get("text", ""),
                upload=actions.read_upload(upload) if upload is not None else None)
        except PathwiseError as exc:
            raise refused(exc, "file" if data.get("file") is not None else "participant"
                          ) from exc
        return Response(s.CapstoneSubmissionOut(submission_json(row)).data, status=201)


@extend_schema(tags=["capstone"])
class CapstoneSubmissionViewSet(ApiViewSet):
    """Staff: the submissions waiting for review, oldest first, and the review itself."""

    out = s.CapstoneSubmissionOut

    def represent(self, row: Submission) -> dict[str, Any]:
        return submission_json(row)

    def get_queryset(self) -> QuerySet[Submission]:
        return waiting_queue()

    def _row(self, request: Request, submission_id: str) -> Submission:
        row = (Submission.objects.select_related("enrollment__participant")
               .filter(pk=int(submission_id)).first() if submission_id.isdigit() else None)
        if row is None or not access.visible_participants(request).filter(
                pk=row.enrollment.participant_id).exists():
            raise exceptions.NotFound(f"No capstone submission {submission_id[:20]!r}.")
        return row

    @extend_schema(responses=s.CapstoneSubmissionOut(many=True))
    def list(self, request: Request) -> Response:
        access.require_staff(request)
        return self.paged(request, self.get_queryset())

    @extend_schema(parameters=SUBMISSION, request=s.CapstoneReviewIn,
                   responses=s.CapstoneSubmissionOut, examples=[OpenApiExample(
                       "ask for changes", request_only=True, value={
                           "result": "needs_changes",
                           "feedback": "Say more about what you would do differently."})])
    @idempotent
    def review(self, request: Request, submission_id: str) -> Response:
        """Passed (the capstone's completion record, dated today) or needs changes (they may
        submit again); the participant is e-mailed. A submission is reviewed once."""
        access.require_staff(request)
        row = self._row(request, submission_id)
        data = validated(s.CapstoneReviewIn, request)
        try:
            reviewed = actions.review_capstone(row, data["result"], access.actor(request),
                                               feedback=data.get("feedback", ""))
        except PathwiseError as exc:
            raise refused(exc, "submission") from exc
        return Response(self.shaped(reviewed))

    @extend_schema(parameters=SUBMISSION, responses={(200, "application/octet-stream"):
                                                     OpenApiTypes.BINARY})
    def file(self, request: Request, submission_id: str) -> HttpResponse:
        """The submitted file, to its participant and staff, always as an attachment."""
        row = self._row(request, submission_id)
        if not row.file_path:
            raise exceptions.NotFound(f"Capstone submission {row.pk} has no file.")
        try:
            with actions.storage().open(row.file_path, "rb") as handle:
                content = handle.read()
        except FileNotFoundError as exc:
            raise exceptions.NotFound(f"Capstone submission {row.pk} has no file.") from exc
        kind = BY_ID.get(row.file_kind)
        response = download(content, filename=row.file_name, content_type=kind.content_type
                            if kind else "application/octet-stream")
        response["X-Content-Type-Options"] = "nosniff"
        return response
