"""Runs, for who teaches them: rosters, registers, grades, and (staff) outcomes and instructors.

The same access as the runs pages (pathwise/runs/access.py): staff work on every
run, an instructor on their own only (another run answers 404, as one that does
not exist), anyone else is refused. Reads come from pathwise/runs/read.py and
writes go through pathwise/runs/actions.py, whose refusals are the problems'
messages, each under the field it concerns.
"""

from __future__ import annotations

import builtins
import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.parsers import BaseParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from pathwise.api import examples
from pathwise.api import serializers as s
from pathwise.api.conventions import idempotent, iso, viewer_zone
from pathwise.api.problems import Problem, field_error
from pathwise.api.views.base import ApiViewSet
from pathwise.api.views.catalogue import validated
from pathwise.catalog.models import Offering
from pathwise.core.attendance import MAX_BYTES
from pathwise.core.errors import AttendanceFileError, PathwiseError
from pathwise.core.inputs import is_identifier
from pathwise.enrollment.models import Seat
from pathwise.participants.convert import to_core_record
from pathwise.runs import actions
from pathwise.runs.access import RunAccess, run_for, runs_visible, staff_run_for
from pathwise.runs.models import Attendance, Grade
from pathwise.runs.read import component_of, enrolled, meetings, outcomes
from pathwise.standing.models import StandingRow

CODE = OpenApiParameter("code", str, OpenApiParameter.PATH, description="The run's code.")
DAY = OpenApiParameter("day", dt.date, OpenApiParameter.PATH,
                       description="The meeting's day (YYYY-MM-DD) in the run's own zone.")
PARTICIPANT = OpenApiParameter("participant", str, OpenApiParameter.PATH,
                               description="A participant id on the run's roster.")
USERNAME = OpenApiParameter("username", str, required=True,
                            description="The account that no longer teaches the run.")


def refused(exc: PathwiseError, rules: dict[str, tuple[str, str]], fallback: str) -> Problem:
    """The action's refusal as a 422 naming the field: the first of `rules` (a phrase of the
    message → field and rule) found in its message, else `fallback`."""
    message = str(exc)
    field, rule = next((where for phrase, where in rules.items() if phrase in message),
                       (fallback, "run"))
    return Problem(422, f"{field}: {message}", kind="run-refused",
                   errors=[field_error(field, rule, message)])


def _access(request: Request, code: str, *, staff: bool = False) -> RunAccess:
    if not is_identifier(code):
        raise exceptions.NotFound(f"No run {code!r}.")
    # The pages' checks; their Http404 and PermissionDenied become problems.
    return staff_run_for(request, code) if staff else run_for(request, code)


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise exceptions.NotFound(f"No meeting {text[:20]!r}: a day is YYYY-MM-DD.") from None


def _roster(offering: Offering) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    seats = list(Seat.objects.filter(offering=offering, status__in=[Seat.ENROLLED,
                                                                    Seat.WAITLISTED])
                 .select_related("participant").order_by("status", "queue_number"))
    standing = {r.participant_id: r for r in StandingRow.objects.filter(
        participant__in=[seat.participant_id for seat in seats])}
    people: dict[str, list[dict[str, Any]]] = {Seat.ENROLLED: [], Seat.WAITLISTED: []}
    for seat in seats:
        row, line = standing.get(seat.participant_id), people[seat.status]
        line.append({"participant": seat.participant.public_id, "name": seat.participant.name,
                     "email": seat.participant.email or None, "seat": seat.pk,
                     "waitlist_position": (len(line) + 1 if seat.status == Seat.WAITLISTED
                                           else None),
                     "status": row.status if row else None,
                     "still_needs": list(row.left) if row else []})
    by_name = sorted(people[Seat.ENROLLED], key=lambda p: (p["name"], p["participant"]))
    return by_name, people[Seat.WAITLISTED]


def _grade(grade: Grade, zone: dt.tzinfo) -> dict[str, Any]:
    return {"offering": grade.offering.code, "participant": grade.participant.public_id,
            "assessment": grade.assessment, "result": grade.result, "feedback": grade.feedback,
            "graded_by": grade.graded_by, "graded_at": iso(grade.graded_at, zone)}


def _outcomes(offering: Offering) -> dict[str, Any]:
    rows = outcomes(offering)
    course = component_of(offering).graduation is not None
    return {
        "offering": offering.code,
        "pending": sum(1 for r in rows if r.final is None and r.outcome.record is not None),
        "corrections": list(actions.CORRECTIONS[:2] if course else actions.CORRECTIONS[2:]),
        "people": [{"participant": r.participant.public_id, "name": r.participant.name,
                    "result": r.outcome.result, "reasons": list(r.outcome.reasons),
                    "final": r.final is not None,
                    "recorded": to_core_record(r.final).outcome if r.final else None}
                   for r in rows],
    }


def _instructors(offering: Offering) -> dict[str, Any]:
    return {"offering": offering.code, "instructors": [
        i.user.get_username() for i in offering.instructors.select_related("user")
        .order_by("user__username")]}


@extend_schema(tags=["runs"])
class RunViewSet(ApiViewSet):
    """The runs the caller works on: staff every run, an instructor the runs they teach."""

    lookup_value_regex = "[^/]+"
    out = s.RunOut

    def get_queryset(self) -> QuerySet[Offering]:
        return (runs_visible(self.request)
                .annotate(taken=Count("seats", filter=Q(seats__status=Seat.ENROLLED)),
                          waiting=Count("seats", filter=Q(seats__status=Seat.WAITLISTED)))
                .order_by("starts_on", "code"))

    def represent(self, row: Any) -> dict[str, Any]:
        """`row` is a run as `get_queryset` annotates it (`taken`, `waiting`)."""
        return {"code": row.code, "url": f"/api/v1/runs/{row.code}/",
                "component": row.component, "name": component_of(row).name,
                "starts_on": row.starts_on, "ends_on": row.ends_on, "capacity": row.capacity,
                "enrolled": row.taken, "waitlisted": row.waiting,
                "instructors": _instructors(row)["instructors"]}

    @extend_schema(responses=s.RunOut(many=True))
    def list(self, request: Request) -> Response:
        return self.paged(request, self.get_queryset())

    @extend_schema(parameters=[CODE], responses=s.RunDetailOut,
                   examples=[examples.RUN_DETAIL])
    def retrieve(self, request: Request, code: str) -> Response:
        """The roster (enrolled, by name, and the waitlist in order, with what each still
        needs) and the run's actual meetings, cancellations and moves applied."""
        offering = _access(request, code).offering
        run = self.get_queryset().get(pk=offering.pk)
        zone, now = viewer_zone(request), timezone.now()
        roster, waitlist = _roster(offering)
        return Response(s.RunDetailOut({
            **self.represent(run), "timezone": offering.timezone,
            "meetings": [{"day": start.date(), "starts_at": iso(start, zone),
                          "ends_at": iso(end, zone), "held": start <= now,
                          "attendance": f"/api/v1/runs/{offering.code}/meetings/"
                                        f"{start.date().isoformat()}/attendance/"}
                         for start, end in meetings(offering)],
            "roster": roster, "waitlist": waitlist}).data)

    def _register(self, request: Request, offering: Offering, day: dt.date) -> Response:
        found = next(((start, end) for start, end in meetings(offering)
                      if start.date() == day), None)
        if found is None:
            problem = actions.meeting_problem(offering, day, timezone.now())
            raise exceptions.NotFound(f"No meeting: {problem}.")
        zone = viewer_zone(request)
        marks = {a.participant_id: a for a in Attendance.objects.filter(offering=offering,
                                                                         day=day)}
        people = []
        for person in enrolled(offering):
            mark = marks.get(person.pk)
            people.append({
                "participant": person.public_id, "name": person.name,
                "mark": (None if mark is None else "presented" if mark.presented
                         else "present" if mark.present else "absent"),
                "source": mark.source if mark else None,
                "recorded_by": mark.recorded_by if mark else None})
        return Response(s.RegisterOut({
            "offering": offering.code, "day": day, "starts_at": iso(found[0], zone),
            "ends_at": iso(found[1], zone),
            "skills_share": component_of(offering).kind == "skills-share",
            "recorded": bool(marks),
            "problem": actions.meeting_problem(offering, day, timezone.now()),
            "people": people}).data)

    @extend_schema(parameters=[CODE, DAY], responses=s.RegisterOut,
                   examples=[examples.REGISTER])
    def attendance(self, request: Request, code: str, day: str) -> Response:
        """One meeting's register: each enrolled person present, absent, or not yet marked."""
        return self._register(request, _access(request, code).offering, _day(day))

    @extend_schema(parameters=[CODE, DAY], request=s.AttendanceIn, responses=s.RegisterOut,
                   examples=[examples.ATTENDANCE_IN, examples.REGISTER,
                             examples.PROBLEM_NOT_ON_ROSTER])
    @idempotent
    def record_attendance(self, request: Request, code: str, day: str) -> Response:
        """Save the whole register of a meeting that has started: those listed are present,
        everyone else enrolled absent. Saving it again corrects it (audited)."""
        run = _access(request, code)
        when = _day(day)
        data = validated(s.AttendanceIn, request)
        presenter = data.get("presenter")
        try:
            actions.record_attendance(run.offering, when, data["present"], run.actor,
                                      presenter=presenter)
        except PathwiseError as exc:
            named = str(exc).split(" ", 1)[0]
            raise refused(exc, {
                "has no meeting": ("day", "meeting"), "not started": ("day", "meeting-held"),
                "not a skills share": ("presenter", "skills-share"),
                "is not enrolled": ("presenter" if named == presenter else "present",
                                    "on-roster")}, "present") from exc
        return self._register(request, run.offering, when)

    def get_parsers(self) -> builtins.list[BaseParser]:  # `list` is the action here
        # Asked before `self.action` is set: the method's action, as the URL maps it.
        method = (self.request.method or "").lower() if self.request else ""
        if getattr(self, "action", None) == "import_attendance" or (
                getattr(self, "action_map", {}).get(method) == "import_attendance"):
            return [MultiPartParser()]
        return super().get_parsers()

    @extend_schema(parameters=[CODE, DAY], request={"multipart/form-data": s.AttendanceImportIn},
                   responses=s.AttendanceImportOut,
                   examples=[examples.ATTENDANCE_IMPORT_IN, examples.ATTENDANCE_IMPORTED,
                             examples.PROBLEM_ATTENDANCE_FILE])
    def import_attendance(self, request: Request, code: str, day: str) -> Response:
        """Take a held meeting's register from a Zoom, Teams or Google Meet export (format
        detected, times read in the run's zone): matched by e-mail, then exact name; present
        is at least the program's share of the meeting. With `dry_run` nothing is saved."""
        run = _access(request, code)
        when = _day(day)
        data = validated(s.AttendanceImportIn, request)
        upload = data["file"]
        content = upload.read(MAX_BYTES + 1)
        assignments = dict(pair.split("=", 1) for pair in data.get("assign", []))
        try:
            result = actions.import_attendance(run.offering, when, content, run.actor,
                                               dry_run=data["dry_run"], assignments=assignments,
                                               source=upload.name or "export")
        except AttendanceFileError as exc:
            raise Problem(422, f"file: {exc}", kind="run-refused", errors=[
                field_error("file", "attendance-export", str(exc))]) from exc
        except PathwiseError as exc:
            raise refused(exc, {
                "has no meeting": ("day", "meeting"), "not started": ("day", "meeting-held"),
                "assignment": ("assign", "assignment"), "at most": ("file", "size")},
                "file") from exc
        return Response(s.AttendanceImportOut({
            "offering": run.offering.code, "meeting": when, "format": result.format,
            "present": list(result.present), "absent": list(result.absent),
            "unmatched": [u.to_json() for u in result.unmatched]}).data)

    @extend_schema(parameters=[CODE], responses=s.GradesOut)
    def grades(self, request: Request, code: str) -> Response:
        """Each enrolled person's assessments, as the program names them: result, feedback."""
        return Response(self._grades(_access(request, code).offering, viewer_zone(request)))

    def _grades(self, offering: Offering, zone: dt.tzinfo) -> Any:
        known = component_of(offering).known_assessments
        given = {(g.participant_id, g.assessment): g for g in Grade.objects.filter(
            offering=offering).select_related("offering", "participant")}
        return s.GradesOut({
            "offering": offering.code, "assessments": list(known),
            "people": [{"participant": p.public_id, "name": p.name, "assessments": [
                {"assessment": a, "grade": _grade(given[(p.pk, a)], zone)
                 if (p.pk, a) in given else None} for a in known]}
                for p in enrolled(offering)]}).data

    @extend_schema(parameters=[CODE], request=s.GradeIn, responses={201: s.GradeOut,
                                                                     200: s.GradeOut},
                   examples=[examples.GRADE_IN, examples.GRADE_OUT])
    @idempotent
    def record_grade(self, request: Request, code: str) -> Response:
        """Record an assessment's result with feedback (201), or change it (200); the
        participant is e-mailed and reads it on their progress page."""
        run = _access(request, code)
        data = validated(s.GradeIn, request)
        before = Grade.objects.filter(offering=run.offering,
                                      participant__public_id=data["participant"],
                                      assessment=data["assessment"]).exists()
        try:
            grade = actions.record_grade(run.offering, data["participant"], data["assessment"],
                                         data["result"], run.actor,
                                         feedback=data.get("feedback", ""))
        except PathwiseError as exc:
            raise refused(exc, {"is not a result": ("result", "result"),
                                "feedback": ("feedback", "feedback"),
                                "has no assessment": ("assessment", "assessment"),
                                "is not enrolled": ("participant", "on-roster")},
                          "participant") from exc
        return Response(s.GradeOut(_grade(grade, viewer_zone(request))).data,
                        status=200 if before else 201)

    @extend_schema(parameters=[CODE], responses=s.OutcomesOut)
    def outcomes(self, request: Request, code: str) -> Response:
        """Staff: per person, passed / failed / attended / absent / incomplete and why, and
        whether it is final (its completion record written)."""
        return Response(s.OutcomesOut(_outcomes(_access(request, code, staff=True).offering))
                        .data)

    @extend_schema(parameters=[CODE], request=None, responses=s.FinalisedOut)
    @idempotent
    def finalise(self, request: Request, code: str) -> Response:
        """Staff: write the completion record of everyone whose outcome is decided and not
        final yet; those still incomplete are left for later."""
        run = _access(request, code, staff=True)
        try:
            done = actions.finalise_outcomes(run.offering, run.actor)
        except PathwiseError as exc:
            raise refused(exc, {}, "offering") from exc
        return Response(s.FinalisedOut({"finalised": [p.public_id for p, _ in done],
                                        "outcomes": _outcomes(run.offering)}).data)

    @extend_schema(parameters=[CODE, PARTICIPANT], request=s.CorrectIn,
                   responses=s.OutcomesOut, examples=[examples.CORRECT_IN])
    @idempotent
    def correct(self, request: Request, code: str, participant: str) -> Response:
        """Staff: overrule one person's final outcome, saying why; the record is rewritten."""
        run = _access(request, code, staff=True)
        data = validated(s.CorrectIn, request)
        if participant not in {p.public_id for p in enrolled(run.offering)}:
            raise exceptions.NotFound(f"No participant {participant[:40]!r} on {code}.")
        try:
            actions.correct_outcome(run.offering, participant, data["result"], data["reason"],
                                    run.actor)
        except PathwiseError as exc:
            raise refused(exc, {"reason:": ("reason", "one-line"),
                                "is not an outcome": ("result", "outcome"),
                                "not final yet": ("participant", "final")},
                          "participant") from exc
        return Response(s.OutcomesOut(_outcomes(run.offering)).data)

    @extend_schema(parameters=[CODE], request=s.InstructorIn,
                   responses={201: s.InstructorsOut, 200: s.InstructorsOut},
                   examples=[examples.INSTRUCTOR_IN, examples.INSTRUCTORS])
    @idempotent
    def add_instructor(self, request: Request, code: str) -> Response:
        """Staff: let an account teach the run (201; 200 when it already does)."""
        run = _access(request, code, staff=True)
        data = validated(s.InstructorIn, request)
        before = run.offering.instructors.filter(
            user__username=data["username"].strip()).exists()
        try:
            actions.assign_instructor(run.offering, data["username"], run.actor)
        except PathwiseError as exc:
            raise refused(exc, {"no account": ("username", "exists")}, "username") from exc
        return Response(s.InstructorsOut(_instructors(run.offering)).data,
                        status=200 if before else 201)

    @extend_schema(parameters=[CODE, USERNAME], responses=s.InstructorsOut,
                   examples=[examples.INSTRUCTORS])
    @idempotent
    def remove_instructor(self, request: Request, code: str) -> Response:
        """Staff: the account `?username=` no longer teaches the run."""
        run = _access(request, code, staff=True)
        checked = s.InstructorIn(data={"username": request.query_params.get("username")})
        checked.is_valid(raise_exception=True)
        try:
            actions.remove_instructor(run.offering, checked.validated_data["username"],
                                      run.actor)
        except PathwiseError as exc:
            raise refused(exc, {"does not teach": ("username", "teaches")},
                          "username") from exc
        return Response(s.InstructorsOut(_instructors(run.offering)).data)
