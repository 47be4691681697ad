"""The only writers of capstones: a participant submits, staff review.

A pass becomes the capstone's completion record, dated the review day, through
the same path as an import (`save_participant_records`: the whole file checked,
standing refreshed, badges queued for signing). A submission's file is written
only once everything about it has been checked, and removed again if its row
cannot be saved, so a refusal leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from pathwise.auditlog.log import Actor, log
from pathwise.capstone.models import Submission
from pathwise.catalog.actions import library
from pathwise.core.capstone import (
    CapstoneError,
    capstone_component,
    clean_text,
    feedback_refusal,
    file_kind,
    safe_name,
    size_text,
    submission_refusal,
    text_refusal,
)
from pathwise.core.records import Record, dump_record, dump_records, parse_records
from pathwise.core.when import day_text
from pathwise.notifications.mail import tell
from pathwise.participants import models as m
from pathwise.participants.actions import save_participant_records
from pathwise.participants.convert import to_core
from pathwise.participants.progress import current_enrollment
from pathwise.standing.read import local_today

RESULTS = (Submission.PASSED, Submission.NEEDS_CHANGES)


def storage() -> FileSystemStorage:
    """Where capstone files live: the data directory, never a public media URL."""
    return FileSystemStorage(location=settings.DATA_DIR / "capstones")


def max_bytes() -> int:
    return int(settings.CAPSTONE_MAX_BYTES)


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


def read_upload(upload: UploadedFile[bytes]) -> Upload:
    """An uploaded file's bytes, refused before reading when it says it is too big."""
    name = safe_name(upload.name or "capstone")
    limit = max_bytes()
    if upload.size is not None and upload.size > limit:
        raise CapstoneError(f"{name} is {size_text(upload.size)}; at most {size_text(limit)}")
    data = b"".join(upload.chunks())
    return Upload(name, data)


def submit_capstone(participant: m.Participant, actor: Actor, *, text: str = "",
                    upload: Upload | None = None,
                    now: dt.datetime | None = None) -> Submission:
    """Send in the capstone (text, a file, or both), if the participant may submit today."""
    text = clean_text(text)
    if (problem := text_refusal(text)) is not None:
        raise CapstoneError(problem)
    name = safe_name(upload.name) if upload is not None else ""
    kind = file_kind(name, upload.data, max_bytes=max_bytes()) if upload is not None else None
    if not text and upload is None:
        raise CapstoneError("the submission is empty: write your capstone or attach a file")
    now = now or timezone.now()
    with transaction.atomic():
        m.Participant.objects.select_for_update().get(pk=participant.pk)
        enrollment = current_enrollment(participant)
        if enrollment is None:
            raise CapstoneError(f"{participant.public_id} is not enrolled in a program")
        waiting = enrollment.capstone_submissions.filter(status=Submission.WAITING).exists()
        refusal = submission_refusal(enrollment.program_version.program, to_core(enrollment),
                                     local_today(participant, now), waiting=waiting)
        if refusal is not None:
            raise CapstoneError(refusal)
        path = ""
        if upload is not None and kind is not None:
            ext = name.rpartition(".")[2].lower()
            path = storage().save(f"{participant.public_id}/{uuid.uuid4().hex}.{ext}",
                                  ContentFile(upload.data))
        try:
            row = Submission.objects.create(
                enrollment=enrollment, text=text, file_path=path, file_name=name,
                file_size=len(upload.data) if upload is not None else None,
                file_kind=kind.id if kind is not None else "", submitted_at=now,
                submitted_by=actor.label)
            log(actor, "capstone.submitted", target_type="capstone", target_id=str(row.pk),
                participant=participant,
                new={"text_characters": len(text), "file": name or None,
                     "file_size": row.file_size, "file_kind": row.file_kind or None})
        except BaseException:
            if path:
                storage().delete(path)
            raise
        return row


def review_capstone(submission: Submission, result: str, actor: Actor, *, feedback: str = "",
                    now: dt.datetime | None = None) -> Submission:
    """Passed (the capstone's completion record, dated the review day) or needs changes
    (they may submit again); the participant is e-mailed either way."""
    feedback = clean_text(feedback)
    if result not in RESULTS:
        raise CapstoneError(f"{result[:20]!r} is not a review result (passed or needs_changes)")
    if (problem := feedback_refusal(feedback)) is not None:
        raise CapstoneError(problem)
    if result == Submission.NEEDS_CHANGES and not feedback:
        raise CapstoneError("say what needs to change: the feedback is what they work from")
    now = now or timezone.now()
    participant = submission.enrollment.participant
    with transaction.atomic():
        m.Participant.objects.select_for_update().get(pk=participant.pk)
        row = Submission.objects.select_for_update().select_related(
            "enrollment__program_version").get(pk=submission.pk)
        if row.status != Submission.WAITING:
            raise CapstoneError(
                f"capstone submission {row.pk} was already reviewed "
                f"({row.get_status_display().lower()} by {row.reviewed_by}); nothing changed")
        program = row.enrollment.program_version.program
        component = capstone_component(program)
        assert component is not None  # a submission exists only for a program with one
        day = local_today(participant, now)
        if result == Submission.PASSED:
            _record_pass(row.enrollment, Record(component.code, day, "passed"), actor)
        row.status, row.feedback = result, feedback
        row.reviewed_at, row.reviewed_by = now, actor.label
        row.save(update_fields=["status", "feedback", "reviewed_at", "reviewed_by"])
        log(actor, "capstone.reviewed", target_type="capstone", target_id=str(row.pk),
            participant=participant, old={"status": Submission.WAITING},
            new={"status": result, "feedback": feedback})
        what = component.name.lower()
        if result == Submission.PASSED:
            body = (f"Your {what}, sent on {day_text(row.submitted_at.date())}, has passed; "
                    f"it is recorded on {day_text(day)}.")
        else:
            body = (f"Your {what}, sent on {day_text(row.submitted_at.date())}, needs some "
                    "changes before it can pass. You can send it again from your progress page.")
        tell(participant,
             f"Your {what} was reviewed: {row.get_status_display().lower()}",
             body + (f"\n\nFeedback:\n{feedback}" if feedback else ""))
        return row


def _record_pass(enrollment: m.Enrollment, record: Record, actor: Actor) -> None:
    """Append the record and save the whole file as an import would (checked, standing
    refreshed, badges queued)."""
    current = to_core(enrollment)
    data = dump_records(current)
    data["records"] = [*(dump_record(r) for r in current.records), dump_record(record)]
    records = parse_records(data, source=f"the capstone record of {current.participant.id}",
                            library=library())
    save_participant_records(records, actor)
    log(actor, "records.capstone_passed", target_type="enrollment",
        target_id=current.participant.id, participant=enrollment.participant,
        new=dump_record(record))
