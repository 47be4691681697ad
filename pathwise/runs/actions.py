"""The only writers of a run's data: instructors, attendance, grades and final outcomes.

Each action is one transaction that checks everything it was given before it
writes, writes its audit entry, and queues its side effects (e-mail, badge
signing) in the same transaction. Views, the CLI and the API call these, never
the models.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import msgspec
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from pathwise.auditlog.log import Actor, log
from pathwise.catalog.models import Offering
from pathwise.core.attendance import (
    MAX_BYTES,
    AttendanceResult,
    Person,
    read_export,
    take_attendance,
)
from pathwise.core.errors import AttendanceFileError, PathwiseError
from pathwise.core.inputs import (
    email_problem,
    identifier_problem,
    lines_problem,
    text_problem,
)
from pathwise.core.outcomes import RunOutcome
from pathwise.core.records import ASSESSMENT_RESULTS
from pathwise.core.when import day_text
from pathwise.notifications.mail import tell
from pathwise.participants import models as m
from pathwise.participants.actions import record_course_outcome
from pathwise.participants.convert import to_core_record
from pathwise.runs.models import Attendance, Grade, Instructor, RememberedAddress
from pathwise.runs.read import component_of, enrolled, meetings, outcomes

FEEDBACK_MAX = 4000


class RunError(PathwiseError):
    """Input an action on a run refuses; the message names what is wrong."""


def _lock(offering: Offering) -> Offering:
    # One writer per run at a time: two registers of one meeting saved at once queue.
    return Offering.objects.select_for_update(of=("self",), no_key=True).select_related(
        "program_version", "intake").get(pk=offering.pk)


# -- instructors -------------------------------------------------------------------


def assign_instructor(offering: Offering, username: str, actor: Actor) -> Instructor:
    """Let the user `username` teach the run (see its roster, take attendance, grade)."""
    user = get_user_model().objects.filter(username=username.strip()).first()
    if user is None:
        raise RunError(f"no account is called {username.strip()[:150]!r}")
    with transaction.atomic():
        locked = _lock(offering)
        row, created = Instructor.objects.get_or_create(
            offering=locked, user=user, defaults={"created_by": actor.label})
        if created:
            log(actor, "run.instructor_added", target_type="offering", target_id=locked.code,
                new={"username": user.get_username()})
        return row


def remove_instructor(offering: Offering, username: str, actor: Actor) -> None:
    with transaction.atomic():
        locked = _lock(offering)
        deleted, _ = Instructor.objects.filter(offering=locked,
                                               user__username=username).delete()
        if not deleted:
            raise RunError(f"{username[:150]!r} does not teach {locked.code}")
        log(actor, "run.instructor_removed", target_type="offering", target_id=locked.code,
            old={"username": username})


# -- attendance --------------------------------------------------------------------


def _on_roster(offering: Offering, public_ids: Iterable[str]) -> dict[str, m.Participant]:
    """The enrolled participants these ids name; an id not on the roster is refused."""
    roster = {p.public_id: p for p in enrolled(offering)}
    for public_id in public_ids:
        if public_id not in roster:
            shown = public_id if not identifier_problem(public_id) else repr(public_id[:40])
            raise RunError(f"{shown} is not enrolled on {offering.code}")
    return roster


def meeting_problem(offering: Offering, day: dt.date, now: dt.datetime) -> str | None:
    """Why attendance cannot be taken for `day` on this run, or None when it can."""
    found = {start.date(): start for start, _ in meetings(offering)}
    if day not in found:
        held = ", ".join(d.isoformat() for d in sorted(found)) or "none"
        return (f"{offering.code} has no meeting on {day.isoformat()} (its meetings: "
                f"{held})")
    if found[day] > now:
        return f"the {day_text(day)} meeting of {offering.code} has not started yet"
    return None


def record_attendance(offering: Offering, day: dt.date, present_ids: Iterable[str],
                      actor: Actor, presenter: str | None = None, *,
                      source: str = Attendance.MANUAL, now: dt.datetime | None = None,
                      minutes: Mapping[str, int] | None = None) -> list[Attendance]:
    """Save the register of one meeting: everyone enrolled is present (listed) or absent.

    Only a day the run actually meets on (cancellations and moves applied), once
    that meeting has started. `presenter` is who gave the lightning talk at a
    skills share, and is marked present. `minutes` (by id) is how long each was in
    the meeting, when an export says so. A change to an earlier register is
    audited with its old and new values.
    """
    present = set(present_ids)
    if presenter is not None:
        present.add(presenter)
    if source not in dict(Attendance.SOURCE_CHOICES):
        raise RunError(f"{source!r} is not a source of attendance")
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(offering)
        if (problem := meeting_problem(locked, day, now)) is not None:
            raise RunError(problem)
        if presenter is not None and component_of(locked).kind != "skills-share":
            raise RunError(f"{locked.code} is not a skills share: nobody presents at it")
        roster = _on_roster(locked, sorted(present))
        before = {row.participant.public_id: row for row in
                  Attendance.objects.filter(offering=locked, day=day)
                  .select_related("participant")}
        old = ({pid: _mark(row) for pid, row in sorted(before.items())} if before else None)
        rows = []
        for public_id, participant in roster.items():
            row = before.get(public_id) or Attendance(offering=locked, participant=participant,
                                                      day=day)
            row.present = public_id in present
            row.presented = public_id == presenter
            row.source, row.recorded_by = source, actor.label
            row.minutes = (minutes or {}).get(public_id)
            row.save()
            rows.append(row)
        new = {row.participant.public_id: _mark(row) for row in rows}
        log(actor, "attendance.corrected" if before else "attendance.recorded",
            target_type="offering", target_id=f"{locked.code}/{day.isoformat()}",
            old=old, new=new)
        return rows


def _mark(row: Attendance) -> str:
    return "presented" if row.presented else "present" if row.present else "absent"


# -- attendance from a video-call export ---------------------------------------------


def _held(offering: Offering, day: dt.date, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    if (problem := meeting_problem(offering, day, now)) is not None:
        raise RunError(problem)
    return next((start, end) for start, end in meetings(offering) if start.date() == day)


def _size_problem(data: bytes, source: str) -> str | None:
    if len(data) > MAX_BYTES:
        return (f"{source}: the file is {len(data):,} bytes; an attendance export is at most "
                f"{MAX_BYTES:,}")
    return None


def export_meeting(offering: Offering, data: bytes, *, source: str,
                   now: dt.datetime | None = None) -> dt.date:
    """The one held meeting of the run an export is of: the held meetings whose day the
    file's dates fit and that someone in it attended. None or several: refused, saying so."""
    if (problem := _size_problem(data, source)) is not None:
        raise RunError(problem)
    now = now or timezone.now()
    held = [(s, e) for s, e in meetings(offering) if s <= now]
    fits: list[dt.date] = []
    errors: list[AttendanceFileError] = []
    for starts, ends in reversed(held):
        try:
            export = read_export(data, day=starts.date(), zone=offering.timezone, source=source)
        except AttendanceFileError as exc:
            errors.append(exc)
            continue
        if any(j.joined < ends and j.left > starts for j in export.joins):
            fits.append(starts.date())
    if len(fits) == 1:
        return fits[0]
    if fits:
        days = ", ".join(d.isoformat() for d in sorted(fits))
        raise RunError(f"{source} could be any of the meetings of {offering.code} on {days}: "
                       "say which meeting it is")
    if held and len(errors) == len(held):
        # The file fits no held meeting's day: what is wrong with it, read as the latest.
        raise errors[0]
    raise RunError(f"{source}: nobody in it was at a held meeting of {offering.code}; say "
                   "which meeting it is")


def _assigned(assignments: Mapping[str, str], people: list[m.Participant],
              ) -> dict[str, str]:
    """The hand assignments (address → participant id) checked: addresses, on the roster,
    not another person's own address."""
    ids = {p.public_id for p in people}
    own = {p.email.casefold(): p.public_id for p in people if p.email}
    checked = {}
    for email, public_id in assignments.items():
        if (problem := email_problem(email)) is not None:
            raise RunError(f"assignment: {problem}")
        if public_id not in ids:
            shown = public_id if not identifier_problem(public_id) else repr(public_id[:40])
            raise RunError(f"assignment of {email}: {shown} is not enrolled")
        if own.get(email.casefold(), public_id) != public_id:
            raise RunError(f"assignment of {email}: it is {own[email.casefold()]}'s own address")
        checked[email.casefold()] = public_id
    return checked


def import_attendance(offering: Offering, day: dt.date, data: bytes, actor: Actor, *,
                      dry_run: bool, assignments: Mapping[str, str] | None = None,
                      source: str = "export", now: dt.datetime | None = None,
                      ) -> AttendanceResult:
    """Take a held meeting's register from a Zoom, Teams or Google Meet export.

    The roster is everyone enrolled, known by their account's address and any address
    assigned to them by hand before; `assignments` (address → participant id) adds
    more. Present is at least the program's share of the scheduled minutes. Unless
    `dry_run`, the register is saved (the format as its source, minutes per person)
    and the assignments remembered for later exports, all in one transaction. A file
    that cannot be read is refused naming what is wrong, and nothing is saved.
    """
    if (problem := _size_problem(data, source)) is not None:
        raise RunError(problem)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(offering)
        starts, ends = _held(locked, day, now)
        people = enrolled(locked)
        assigned = _assigned(assignments or {}, people)
        known: dict[str, set[str]] = {p.public_id: {p.email.casefold()} if p.email else set()
                                      for p in people}
        for row in RememberedAddress.objects.filter(participant__in=people).select_related(
                "participant"):
            known[row.participant.public_id].add(row.email.casefold())
        for email, public_id in assigned.items():
            for addresses in known.values():
                addresses.discard(email)
            known[public_id].add(email)
        roster = [Person(p.public_id, p.name, tuple(sorted(known[p.public_id]))) for p in people]
        export = read_export(data, day=day, zone=locked.timezone, source=source)
        in_export = {j.email.casefold() for j in export.joins if j.email}
        if stray := sorted(set(assigned) - in_export):
            raise RunError(f"assignment of {stray[0]}: no row of {source} has that address")
        result = take_attendance(export, roster, starts=starts, ends=ends,
                                 share=locked.program_version.program.present_minutes_share)
        if dry_run:
            return result
        by_id = {p.public_id: p for p in people}
        for email, public_id in sorted(assigned.items()):
            _remember(email, by_id[public_id], actor)
        record_attendance(locked, day, result.present, actor, source=result.format, now=now,
                          minutes={pid: round(s / 60) for pid, s in result.seconds.items()})
        log(actor, "attendance.imported", target_type="offering",
            target_id=f"{locked.code}/{day.isoformat()}",
            new={"format": result.format, "source": source[:200], "minutes": result.minutes,
                 "unmatched": [u.to_json() for u in result.unmatched]})
        return result


def _remember(email: str, participant: m.Participant, actor: Actor) -> None:
    row = RememberedAddress.objects.filter(email=email).select_related("participant").first()
    old = {"participant": row.participant.public_id} if row else None
    if row is not None and row.participant_id == participant.pk:
        return
    row = row or RememberedAddress(email=email)
    row.participant, row.assigned_by = participant, actor.label
    row.save()
    log(actor, "attendance.address_remembered", target_type="address", target_id=email,
        participant=participant, old=old, new={"participant": participant.public_id})


# -- grades ------------------------------------------------------------------------


def feedback_problem(text: str) -> str | None:
    return lines_problem(text, what="feedback", max_length=FEEDBACK_MAX)


def record_grade(offering: Offering, public_id: str, assessment: str, result: str,
                 actor: Actor, *, feedback: str = "") -> Grade:
    """Record (or change) one assessment's result with feedback; the participant is e-mailed."""
    feedback = feedback.replace("\r\n", "\n").replace("\r", "\n").strip()
    if result not in ASSESSMENT_RESULTS:
        raise RunError(f"{result[:20]!r} is not a result (passed or failed)")
    if (problem := feedback_problem(feedback)) is not None:
        raise RunError(problem)
    with transaction.atomic():
        locked = _lock(offering)
        known = component_of(locked).known_assessments
        if assessment not in known:
            raise RunError(f"{locked.component} has no assessment {assessment[:40]!r}"
                           + (f" (it has {', '.join(known)})" if known else ""))
        participant = _on_roster(locked, [public_id])[public_id]
        grade = Grade.objects.filter(offering=locked, participant=participant,
                                     assessment=assessment).first()
        old = {"result": grade.result, "feedback": grade.feedback} if grade else None
        if grade is None:
            grade = Grade(offering=locked, participant=participant, assessment=assessment)
        grade.result, grade.feedback, grade.graded_by = result, feedback, actor.label
        grade.save()
        log(actor, "grade.recorded" if old is None else "grade.changed",
            target_type="offering", target_id=f"{locked.code}/{assessment}",
            participant=participant, old=old, new={"result": result, "feedback": feedback})
        tell(participant, f"Grade and feedback posted: {locked.code} {assessment}",
             f"Your {assessment} for {locked.code} has been graded: {result}."
             + (f"\n\nFeedback:\n{feedback}" if feedback else "")
             + "\n\nYou can read it on your progress page.", kind="grade.posted")
        return grade


# -- outcomes ----------------------------------------------------------------------


def finalise_outcomes(offering: Offering, actor: Actor, *, now: dt.datetime | None = None,
                      ) -> list[tuple[m.Participant, RunOutcome]]:
    """Write the completion record of everyone whose outcome is decided and not yet final.

    Those still incomplete are left for later; a record already written is changed
    only by `correct_outcome`. Returns who was finalised, with their outcome.
    """
    with transaction.atomic():
        locked = _lock(offering)
        done = []
        for row in outcomes(locked, now):
            if row.final is None and row.outcome.record is not None:
                record_course_outcome(row.participant, row.outcome.record, actor)
                done.append((row.participant, row.outcome))
        log(actor, "run.finalised", target_type="offering", target_id=locked.code,
            new={p.public_id: o.result for p, o in done})
        return done


CORRECTIONS = ("passed", "failed", "attended", "absent")


def correct_outcome(offering: Offering, public_id: str, result: str, reason: str,
                    actor: Actor, *, now: dt.datetime | None = None) -> None:
    """Staff overrule a run's outcome for one person, saying why; the record says `result`."""
    if (problem := text_problem(reason.strip())) is not None:
        raise RunError(f"reason: {problem}")
    with transaction.atomic():
        locked = _lock(offering)
        course = component_of(locked).graduation is not None
        allowed = CORRECTIONS[:2] if course else CORRECTIONS[2:]
        if result not in allowed:
            raise RunError(f"{result[:20]!r} is not an outcome of {locked.component} "
                           f"({' or '.join(allowed)})")
        row = next((r for r in outcomes(locked, now) if r.participant.public_id == public_id),
                   None)
        if row is None:
            _on_roster(locked, [public_id])
            raise RunError(f"{public_id} is not enrolled on {locked.code}")
        if row.final is None:
            raise RunError(f"{public_id}'s outcome on {locked.code} is not final yet: make "
                           "it final first")
        written = to_core_record(row.final)
        corrected = msgspec.structs.replace(
            written, outcome=result, role=None if result == "absent" else written.role)
        record_course_outcome(row.participant, corrected, actor, reason=reason.strip())
