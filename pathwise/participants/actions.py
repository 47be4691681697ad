"""The only writers of participant data. Each action is one transaction with its audit entry."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from pathwise.auditlog.log import Actor, log
from pathwise.catalog.actions import library, sync_programs
from pathwise.catalog.models import ProgramVersion
from pathwise.core.audit import record_passes
from pathwise.core.deadline import deadline
from pathwise.core.errors import PathwiseError, RecordsError
from pathwise.core.inputs import (
    control_character,
    date_problem,
    is_identifier,
    show_value,
    text_problem,
)
from pathwise.core.program import ProgramLibrary
from pathwise.core.records import (
    ParticipantRecords,
    Record,
    dump_record,
    dump_records,
    load_records_json,
    parse_records,
)
from pathwise.core.version_move import MovePreview, check_move, preview
from pathwise.core.when import day_text
from pathwise.credentials.tasks import CHUNK, issue_credentials
from pathwise.enrollment.actions import LIVE, give_up_seat
from pathwise.enrollment.models import Seat
from pathwise.notifications.background import enqueue
from pathwise.notifications.mail import tell
from pathwise.notifications.webhooks import notify
from pathwise.participants import models as m
from pathwise.participants.convert import record_row, to_core, to_core_record
from pathwise.participants.progress import audit_of, current_enrollment
from pathwise.standing.actions import refresh_standing


def import_records_files(files: Iterable[tuple[str, str]], actor: Actor,
                         definitions: ProgramLibrary | None = None) -> list[str]:
    """Load records files (name, text) all together or not at all.

    Every file is parsed and checked before anything is written, so a bad file
    changes nothing and the error names it. Importing a participant who already
    exists replaces their records with the file's; the audit entry keeps both.
    The definition files (`definitions`, by default all the library finds) are
    synced first, so a version the file commands know is one the import knows.
    """
    with transaction.atomic():
        sync_programs(actor, definitions)
        programs = library()
        parsed: list[ParticipantRecords] = []
        seen: dict[str, str] = {}
        for name, text in files:
            records = load_records_json(text, source=name, library=programs)
            pid = records.participant.id
            if pid in seen:
                raise RecordsError(f"{name}: participant.id: {pid!r} is also in {seen[pid]}")
            seen[pid] = name
            parsed.append(records)
        changed = []
        for records in parsed:
            enrollment, new = _save(records, actor)
            if new:
                changed.append(enrollment.participant_id)
        # New records may earn badges: the worker signs them after this commits, a
        # chunk of participants per task.
        for start in range(0, len(changed), CHUNK):
            enqueue(issue_credentials, *changed[start:start + CHUNK])
    return [r.participant.id for r in parsed]


def save_participant_records(records: ParticipantRecords, actor: Actor) -> m.Enrollment:
    """Make the database hold exactly `records` for this participant and program."""
    enrollment, changed = _save(records, actor)
    if changed:
        # New records may earn badges: the worker signs them after this commits.
        enqueue(issue_credentials, enrollment.participant_id)
    return enrollment


def _save(records: ParticipantRecords, actor: Actor) -> tuple[m.Enrollment, bool]:
    """`save_participant_records` without queueing the signing; whether anything changed."""
    p = records.participant
    new = dump_records(records)
    participant = m.Participant.objects.select_for_update().filter(public_id=p.id).first()
    version = ProgramVersion.objects.get(program_id=records.program,
                                         version=records.program_version)
    enrollment = None
    old = None
    if participant is None:
        participant = m.Participant(public_id=p.id)
    else:
        enrollment = (
            m.Enrollment.objects.select_related("participant", "program_version")
            .filter(participant=participant, program_version__program_id=records.program)
            .first()
        )
        if enrollment is not None:
            old = dump_records(to_core(enrollment))
            if old == new:
                return enrollment, False

    participant.name = p.name
    participant.email = p.email
    participant.timezone = p.timezone
    participant.organization = p.organization
    participant.availability = (
        [dict(a) for a in p.availability] if p.availability is not None else None)
    participant.updated_by = actor.label
    participant.save()
    participant.employment.all().delete()
    m.Employment.objects.bulk_create(
        m.Employment(participant=participant, position=i, organization=e.organization,
                     role=e.role, started_on=e.started_on, ended_on=e.ended_on)
        for i, e in enumerate(p.employment)
    )

    if enrollment is None:
        enrollment = m.Enrollment(participant=participant)
    enrollment.program_version = version
    enrollment.enrolled_on = records.enrolled_on
    enrollment.deadline_extended_to = records.deadline_extended_to
    enrollment.withdrawn_on = records.withdrawn_on
    enrollment.updated_by = actor.label
    enrollment.save()
    _replace_records(enrollment, records.records, actor)

    log(actor, "records.imported" if old is None else "records.replaced",
        target_type="enrollment", target_id=p.id, participant=participant, old=old, new=new)
    notify("record.created", f"/api/v1/participants/{p.id}/records/", participant=p.id,
           program=records.program)
    refresh_standing(participant)
    return enrollment, True


def _replace_records(enrollment: m.Enrollment, records: Sequence[Record], actor: Actor) -> None:
    """Keep rows whose content is unchanged (and so who created them); add and drop the rest."""
    existing: dict[str, list[m.CompletionRecord]] = {}
    for row in enrollment.records.all():
        existing.setdefault(_signature(to_core_record(row)), []).append(row)
    kept, added = [], []
    for position, record in enumerate(records):
        same = existing.get(_signature(record))
        if same:
            row = same.pop(0)
            row.position = position
            kept.append(row)
        else:
            row = record_row(record, position=position, created_by=actor.label)
            row.enrollment = enrollment
            added.append(row)
    stale = [row.pk for rows in existing.values() for row in rows]
    m.CompletionRecord.objects.filter(pk__in=stale).delete()
    m.CompletionRecord.objects.bulk_update(kept, ["position"])
    m.CompletionRecord.objects.bulk_create(added)


def _signature(record: Record) -> str:
    return json.dumps(dump_record(record), sort_keys=True)


def give_login(participant: m.Participant, username: str, password: str, actor: Actor, *,
               hashed: str | None = None) -> None:
    """Create or reset the account a participant signs in with.

    `hashed` is `password` already run through the password hasher (the demo
    gives dozens of accounts one password, and hashing is slow on purpose).
    """
    with transaction.atomic():
        user_model = get_user_model()
        user = participant.user or user_model.objects.filter(username=username).first()
        if user is None:
            user = user_model.objects.create_user(username=username, email=participant.email)
        if hashed is not None:
            user.password = hashed
        else:
            user.set_password(password)
        user.save()
        if participant.user_id != user.pk:
            participant.user = user
            participant.updated_by = actor.label
            participant.save(update_fields=["user", "updated_by", "updated_at"])
            log(actor, "participant.login_linked", target_type="participant",
                target_id=participant.public_id, participant=participant,
                new={"username": username})


MAX_REASON = 2000


def request_extension(enrollment: m.Enrollment, reason: str, actor: Actor, *,
                      wanted_until: dt.date | None = None) -> m.ExtensionRequest:
    """Record a participant's request for more time (staff act on it); one open at a time."""
    text = reason.strip()
    if not text:
        raise PathwiseError("say why you need more time")
    if len(text) > MAX_REASON:
        raise PathwiseError(f"the reason is {len(text)} characters; at most {MAX_REASON}")
    if wanted_until is not None and wanted_until <= enrollment.enrolled_on:
        raise PathwiseError("the date you would like must come after you enrolled")
    with transaction.atomic():
        m.Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        if enrollment.extension_requests.filter(status=m.ExtensionRequest.OPEN).exists():
            raise PathwiseError("you already have an extension request waiting for staff")
        request = m.ExtensionRequest.objects.create(
            enrollment=enrollment, reason=text, wanted_until=wanted_until,
            created_by=actor.label)
        log(actor, "extension.requested", target_type="enrollment",
            target_id=enrollment.participant.public_id, participant=enrollment.participant,
            new={"reason": text,
                 "wanted_until": wanted_until.isoformat() if wanted_until else None})
        return request


def record_course_outcome(participant: m.Participant, record: Record, actor: Actor, *,
                          reason: str | None = None) -> m.Enrollment:
    """Append the completion record of one run (`record.offering`), or replace the one it
    already has, by the same path as an import.

    The participant's whole records file, with this record in place, is checked as
    an imported file would be (a bad record is refused naming it, nothing written),
    then saved by `save_participant_records`: standing is refreshed and the badges
    it earns are queued for signing, exactly as for an import. `reason` says why,
    when staff correct an outcome already recorded.
    """
    if record.offering is None:
        raise PathwiseError("a run's record names its offering")
    with transaction.atomic():
        m.Participant.objects.select_for_update().get(pk=participant.pk)
        enrollment = current_enrollment(participant)
        if enrollment is None:
            raise PathwiseError(f"{participant.public_id} is not enrolled in a program")
        current = to_core(enrollment)
        old = next((r for r in current.records if r.offering == record.offering
                    and r.component == record.component), None)
        kept = [r for r in current.records if r is not old]
        data = dump_records(current)
        data["records"] = [*(dump_record(r) for r in kept), dump_record(record)]
        records = parse_records(data, source=f"the record of {participant.public_id} on "
                                f"{record.offering}", library=library())
        saved = save_participant_records(records, actor)
        log(actor, "records.course_outcome" if reason is None else "records.course_corrected",
            target_type="offering", target_id=record.offering, participant=participant,
            old=dump_record(old) if old is not None else None,
            new={**dump_record(record), **({"reason": reason} if reason is not None else {})})
        return saved


# -- staff actions on a participant -------------------------------------------------
#
# Each locks the participant, then their enrollment, before anything else (seats and
# their runs come after, in the order the seat actions take them), checks what it is
# given, writes, records who and why in the audit log, and refreshes the standing.

#: How far past the current deadline (or today, if that is later) an extension may reach.
MAX_EXTENSION = dt.timedelta(days=3 * 366)


def today() -> dt.date:
    return timezone.localdate()


def _reason(text: str) -> str:
    """A reason staff give: not blank, not too long, nothing unprintable (lines may break)."""
    text = text.strip()
    if not text:
        raise PathwiseError("reason: say why")
    if len(text) > MAX_REASON:
        raise PathwiseError(f"reason: {len(text)} characters; at most {MAX_REASON}")
    control = control_character(text.replace("\r\n", "\n").replace("\n", " "))
    if control is not None:
        raise PathwiseError(f"reason: contains a control character (U+{ord(control):04X})")
    return text


def _plausible(day: dt.date, what: str) -> dt.date:
    problem = date_problem(day)
    if problem is not None:
        raise PathwiseError(f"{what}: {problem}")
    return day


def _locked_enrollment(participant: m.Participant) -> m.Enrollment:
    """Lock the participant and then their current enrollment; refused if they have none."""
    m.Participant.objects.select_for_update().get(pk=participant.pk)
    enrollment = current_enrollment(participant)
    if enrollment is None:
        raise PathwiseError(f"{participant.public_id} is not enrolled in a program")
    m.Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    return enrollment


def current_deadline(enrollment: m.Enrollment) -> dt.date:
    """The last day requirements count, with any extension already granted."""
    return deadline(enrollment.enrolled_on, enrollment.program_version.program.window,
                    enrollment.deadline_extended_to)


def grant_credit(participant: m.Participant, component: str, *, basis: str, on: dt.date,
                 actor: Actor, assessments: dict[str, str] | None = None,
                 conditions_met: bool = False) -> m.Enrollment:
    """Credit a course for prior learning, as a `credited` record in the records file.

    The conditions are met when every assessment named is passed; when none is
    named, staff say so (`conditions_met`). A credit still waiting for its
    conditions is replaced by a new one for the same course, so that staff
    record the assessments once they are done. The whole file is checked as an
    import is, then saved by `save_participant_records` (standing refreshed,
    badges queued).
    """
    assessments = dict(assessments or {})
    if (problem := text_problem(basis)) is not None:
        raise PathwiseError(f"basis: {problem}")
    _plausible(on, "date")
    if on > today():
        raise PathwiseError(f"date: {on.isoformat()} is after today; credit is dated the day "
                            "it was granted or earlier")
    with transaction.atomic():
        enrollment = _locked_enrollment(participant)
        program = enrollment.program_version.program
        courses = [c.code for c in program.components.values() if c.kind == "course"]
        if component not in courses:
            raise PathwiseError(f"component: {component!r} is not a course of {program.id} "
                                f"(one of {', '.join(courses)})")
        known = program.components[component].known_assessments
        for name, result in assessments.items():
            if name not in known:
                raise PathwiseError(f"assessments: {component} has no assessment {name!r}"
                                    + (f" (it has {', '.join(known)})" if known else ""))
            if result not in ("passed", "failed"):
                raise PathwiseError(f"assessments: {name} is {result!r}, not passed or failed")
        if assessments:
            failed = [n for n, r in assessments.items() if r != "passed"]
            if conditions_met and failed:
                raise PathwiseError(f"conditions_met: {', '.join(failed)} failed, so the "
                                    "conditions are not met")
            conditions_met = not failed
        current = to_core(enrollment)
        done = next((r for r in current.records if r.component == component
                     and record_passes(r, program.components[component])), None)
        if done is not None:
            raise PathwiseError(f"{participant.public_id} already has {component} "
                                f"({done.outcome or 'passed'} on {done.date.isoformat()})")
        pending = [r for r in current.records
                   if r.component == component and r.outcome == "credited"]
        record: dict[str, Any] = {"component": component, "date": on.isoformat(),
                                  "outcome": "credited", "basis": basis,
                                  "conditions_met": conditions_met}
        if assessments:
            record["assessments"] = assessments
        data = dump_records(current)
        data["records"] = [*(dump_record(r) for r in current.records if r not in pending),
                           record]
        records = parse_records(data, source=f"the credit of {participant.public_id} for "
                                f"{component}", library=library())
        saved = save_participant_records(records, actor)
        log(actor, "records.credited", target_type="enrollment",
            target_id=participant.public_id, participant=participant,
            old=[dump_record(r) for r in pending] or None, new=record)
        return saved


def extend_deadline(participant: m.Participant, until: dt.date, reason: str, actor: Actor,
                    ) -> m.Enrollment:
    """Move the participant's deadline later, and tell them; an open request is granted by it."""
    reason = _reason(reason)
    _plausible(until, "the new deadline")
    with transaction.atomic():
        enrollment = _locked_enrollment(participant)
        return _extend(participant, enrollment, until, reason, actor)


def _extend(participant: m.Participant, enrollment: m.Enrollment, until: dt.date, reason: str,
            actor: Actor) -> m.Enrollment:
    if enrollment.withdrawn_on is not None:
        raise PathwiseError(f"{participant.public_id} withdrew on "
                            f"{enrollment.withdrawn_on.isoformat()}; reinstate them first")
    was = current_deadline(enrollment)
    if until <= was:
        raise PathwiseError(f"the new deadline {until.isoformat()} must come after the "
                            f"current one, {was.isoformat()}")
    day = today()
    if until < day:
        raise PathwiseError(f"the new deadline {until.isoformat()} has already passed")
    # Counted from today for someone long overdue, so that they too can be given time.
    base = max(was, day)
    if until > base + MAX_EXTENSION:
        raise PathwiseError(f"the new deadline {until.isoformat()} is more than three years "
                            f"after {base.isoformat()}")
    old = enrollment.deadline_extended_to
    enrollment.deadline_extended_to, enrollment.updated_by = until, actor.label
    enrollment.save(update_fields=["deadline_extended_to", "updated_by", "updated_at"])
    now = timezone.now()
    granted = list(enrollment.extension_requests.filter(status=m.ExtensionRequest.OPEN)
                   .values_list("pk", flat=True))
    enrollment.extension_requests.filter(pk__in=granted).update(
        status=m.ExtensionRequest.GRANTED, decided_at=now, decided_by=actor.label)
    log(actor, "deadline.extended", target_type="enrollment", target_id=participant.public_id,
        participant=participant,
        old={"deadline": was.isoformat(),
             "deadline_extended_to": old.isoformat() if old else None},
        new={"deadline": until.isoformat(), "reason": reason})
    for pk in granted:
        log(actor, "extension.granted", target_type="enrollment",
            target_id=participant.public_id, participant=participant,
            old={"request": pk, "status": m.ExtensionRequest.OPEN},
            new={"request": pk, "status": m.ExtensionRequest.GRANTED,
                 "deadline": until.isoformat()})
    tell(participant, "Your deadline has been extended",
         f"Staff have extended your deadline from {day_text(was)} to {day_text(until)}.\n\n"
         f"Why: {reason}")
    refresh_standing(participant)
    return enrollment


def find_extension_request(request_id: int) -> m.ExtensionRequest:
    found = (m.ExtensionRequest.objects.select_related("enrollment__participant")
             .filter(pk=request_id).first())
    if found is None:
        raise PathwiseError(f"no extension request {request_id}")
    return found


def _decidable(request: m.ExtensionRequest) -> tuple[m.Participant, m.Enrollment]:
    participant = request.enrollment.participant
    m.Participant.objects.select_for_update().get(pk=participant.pk)
    enrollment = m.Enrollment.objects.select_for_update().get(pk=request.enrollment_id)
    status = m.ExtensionRequest.objects.get(pk=request.pk).status
    if status != m.ExtensionRequest.OPEN:
        raise PathwiseError(f"extension request {request.pk} was already {status}")
    return participant, enrollment


def grant_extension(request: m.ExtensionRequest, actor: Actor, *, until: dt.date | None = None,
                    reason: str = "") -> m.ExtensionRequest:
    """Grant a participant's request: their deadline moves to `until` (by default the day
    they asked for), and they are told."""
    with transaction.atomic():
        participant, enrollment = _decidable(request)
        until = until or request.wanted_until
        if until is None:
            raise PathwiseError("the request names no date: give the new deadline")
        _plausible(until, "the new deadline")
        why = (_reason(reason) if reason.strip()
               else f"you asked on {day_text(request.created_at.date())}")
        _extend(participant, enrollment, until, why, actor)
        request.refresh_from_db()
        return request


def refuse_extension(request: m.ExtensionRequest, reason: str, actor: Actor,
                     ) -> m.ExtensionRequest:
    """Refuse a participant's request, saying why; they are told."""
    reason = _reason(reason)
    with transaction.atomic():
        participant, _ = _decidable(request)
        request.status = m.ExtensionRequest.REFUSED
        request.decided_at, request.decided_by = timezone.now(), actor.label
        request.save(update_fields=["status", "decided_at", "decided_by"])
        log(actor, "extension.refused", target_type="enrollment",
            target_id=participant.public_id, participant=participant,
            old={"request": request.pk, "status": m.ExtensionRequest.OPEN},
            new={"request": request.pk, "status": request.status, "reason": reason})
        tell(participant, "Your request for more time",
             f"Staff could not extend your deadline as you asked on "
             f"{day_text(request.created_at.date())}.\n\nWhy: {reason}")
        return request


def seats_to_drop(participant: m.Participant, today: dt.date) -> list[Seat]:
    """The seats and waitlist places a withdrawal gives up: those in runs not yet over."""
    return list(Seat.objects.filter(participant=participant, status__in=LIVE,
                                    offering__ends_on__gte=today)
                .select_related("offering").order_by("offering__starts_on", "offering__code"))


def withdraw(participant: m.Participant, reason: str, actor: Actor, *,
             on: dt.date | None = None) -> m.Enrollment:
    """Withdraw the participant from the program on `on` (default today), and tell them.

    Their seats and waitlist places in runs not yet over are given up by the
    seat action, so each freed seat goes to the next person waiting; seats are
    not given back on reinstating.
    """
    reason = _reason(reason)
    day = today()
    on = _plausible(on or day, "the withdrawal date")
    if on > day:
        raise PathwiseError(f"the withdrawal date {on.isoformat()} is after today")
    with transaction.atomic():
        enrollment = _locked_enrollment(participant)
        if enrollment.withdrawn_on is not None:
            raise PathwiseError(f"{participant.public_id} already withdrew on "
                                f"{enrollment.withdrawn_on.isoformat()}")
        if on < enrollment.enrolled_on:
            raise PathwiseError(f"the withdrawal date {on.isoformat()} is before they "
                                f"enrolled, {enrollment.enrolled_on.isoformat()}")
        if audit_of(enrollment, day).audit.certified:
            raise PathwiseError(f"{participant.public_id} is certified: there is nothing to "
                                "withdraw from")
        dropped = []
        for seat in seats_to_drop(participant, day):
            give_up_seat(seat, actor, today=day)
            dropped.append(seat.offering.code)
        enrollment.withdrawn_on, enrollment.updated_by = on, actor.label
        enrollment.save(update_fields=["withdrawn_on", "updated_by", "updated_at"])
        log(actor, "participant.withdrawn", target_type="enrollment",
            target_id=participant.public_id, participant=participant,
            old={"withdrawn_on": None},
            new={"withdrawn_on": on.isoformat(), "reason": reason, "seats_dropped": dropped})
        tell(participant, "You have been withdrawn from the program",
             f"Staff recorded that you left the program on {day_text(on)}."
             + (f" Your places in {', '.join(dropped)} were given up." if dropped else "")
             + f"\n\nWhy: {reason}")
        refresh_standing(participant)
        return enrollment


def reinstate(participant: m.Participant, reason: str, actor: Actor) -> m.Enrollment:
    """Undo a withdrawal: the participant is back in the program (seats are taken anew)."""
    reason = _reason(reason)
    with transaction.atomic():
        enrollment = _locked_enrollment(participant)
        was = enrollment.withdrawn_on
        if was is None:
            raise PathwiseError(f"{participant.public_id} is not withdrawn")
        enrollment.withdrawn_on, enrollment.updated_by = None, actor.label
        enrollment.save(update_fields=["withdrawn_on", "updated_by", "updated_at"])
        log(actor, "participant.reinstated", target_type="enrollment",
            target_id=participant.public_id, participant=participant,
            old={"withdrawn_on": was.isoformat()}, new={"withdrawn_on": None, "reason": reason})
        tell(participant, "You are back in the program",
             f"Staff have reinstated you in the program.\n\nWhy: {reason}")
        refresh_standing(participant)
        return enrollment


def change_job(participant: m.Participant, organization: str, actor: Actor, *, on: dt.date,
               role: str | None = None) -> m.Employment:
    """Record a new job from `on`: the current one ends that day, and the participant's
    organization (which private runs they may see) follows the new one."""
    for what, value in (("organization", organization), ("role", role)):
        if value is not None and (problem := text_problem(value)) is not None:
            raise PathwiseError(f"{what}: {problem}")
    _plausible(on, "the date")
    if on > today():
        raise PathwiseError(f"the date {on.isoformat()} is after today: record a job change "
                            "once it has happened")
    with transaction.atomic():
        m.Participant.objects.select_for_update().get(pk=participant.pk)
        participant.refresh_from_db()
        jobs = list(participant.employment.order_by("position"))
        current = next((j for j in reversed(jobs) if j.ended_on is None), None)
        if current is not None and (current.organization, current.role) == (organization,
                                                                           role):
            raise PathwiseError(f"{participant.public_id} already works there in that role")
        latest = max((d for j in jobs for d in (j.started_on, j.ended_on) if d), default=None)
        if latest is not None and on <= latest:
            raise PathwiseError(f"the date {on.isoformat()} must come after the last date in "
                                f"their employment history, {latest.isoformat()}")
        old = {"organization": participant.organization,
               "job": _job(current) if current is not None else None}
        if current is not None:
            current.ended_on = on
            current.save(update_fields=["ended_on"])
        job = m.Employment.objects.create(
            participant=participant, position=(jobs[-1].position + 1) if jobs else 0,
            organization=organization, role=role, started_on=on)
        participant.organization, participant.updated_by = organization, actor.label
        participant.save(update_fields=["organization", "updated_by", "updated_at"])
        log(actor, "participant.job_changed", target_type="participant",
            target_id=participant.public_id, participant=participant, old=old,
            new={"organization": organization, "job": _job(job)})
        refresh_standing(participant)
        return job


def _job(job: m.Employment) -> dict[str, Any]:
    return {"organization": job.organization, "role": job.role,
            "from": job.started_on.isoformat(),
            "to": job.ended_on.isoformat() if job.ended_on else None}
#: The longest version text read (`cscce-cm/2025`): program id and version are identifiers.
MAX_VERSION_TEXT = 100


def version_named(participant: m.Participant, text: str) -> ProgramVersion:
    """The version `text` names for `participant`: `2025`, or `cscce-cm/2025` to name the program.

    Refused in one line when it names nothing stored (listing the program's versions).
    """
    enrollment = current_enrollment(participant)
    if enrollment is None:
        raise PathwiseError(f"{participant.public_id} is not enrolled in a program")
    program_id, _, version = text.rpartition("/")
    program_id = program_id or enrollment.program_version.program_id
    for value in (program_id, version):
        if len(value) > MAX_VERSION_TEXT or not is_identifier(value):
            raise PathwiseError(f"version: {show_value(text[:MAX_VERSION_TEXT])} is not a "
                                f"program version such as 2025")
    found = ProgramVersion.objects.filter(program_id=program_id, version=version).first()
    if found is None:
        known = ", ".join(ProgramVersion.objects.filter(program_id=program_id)
                          .values_list("version", flat=True)) or "none loaded"
        raise PathwiseError(f"{program_id} has no version {version!r} (its versions: {known}; "
                            f"`pathwise programs sync` loads new definition files)")
    return found


def preview_version_move(participant: m.Participant, target: ProgramVersion,
                         today: dt.date) -> MovePreview:
    """The participant's audit under their version and under `target`, side by side."""
    enrollment = current_enrollment(participant)
    if enrollment is None:
        raise PathwiseError(f"{participant.public_id} is not enrolled in a program")
    problem = _held_runs_problem(enrollment, target, today)
    found = preview(enrollment.program_version.program, target.program, to_core(enrollment),
                    today)
    if problem is not None and found.problem is None:
        return MovePreview(found.participant, found.before, found.after, problem, found.rows)
    return found


def move_to_version(participant: m.Participant, target: ProgramVersion, actor: Actor,
                    today: dt.date) -> m.Enrollment:
    """Put the participant on another version of their program, keeping their records.

    Refused (nothing changed) for the version they are on, another program, records
    that do not validate under `target`, or seats still held on runs of the old
    version (runs belong to one version). Standing is refreshed and the badges the
    records earn under `target` are queued for signing.
    """
    with transaction.atomic():
        m.Participant.objects.select_for_update().get(pk=participant.pk)
        enrollment = current_enrollment(participant)
        if enrollment is None:
            raise PathwiseError(f"{participant.public_id} is not enrolled in a program")
        m.Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        current = enrollment.program_version
        check_move(current.program, target.program, to_core(enrollment))
        problem = _held_runs_problem(enrollment, target, today)
        if problem is not None:
            raise PathwiseError(problem)
        enrollment.program_version = target
        enrollment.updated_by = actor.label
        enrollment.save(update_fields=["program_version", "updated_by", "updated_at"])
        log(actor, "enrollment.version_moved", target_type="enrollment",
            target_id=participant.public_id, participant=participant,
            old={"program": current.program_id, "version": current.version},
            new={"program": target.program_id, "version": target.version})
        tell(participant, f"Your program is now {target.program_id} version {target.version}",
             f"Staff moved you from version {current.version} to version {target.version} of "
             f"{target.name}. Your records are kept; your progress page shows what is still "
             f"needed under the new version.")
        refresh_standing(participant)
        enqueue(issue_credentials, participant.pk)
    return enrollment


def _held_runs_problem(enrollment: m.Enrollment, target: ProgramVersion,
                       today: dt.date) -> str | None:
    """Runs belong to one version: seats on the old version's unfinished runs block a move."""
    held = sorted(Seat.objects.filter(
        participant_id=enrollment.participant_id, status__in=(Seat.ENROLLED, Seat.WAITLISTED),
        offering__ends_on__gte=today).exclude(offering__program_version=target)
        .values_list("offering__code", flat=True))
    if not held:
        return None
    return (f"{enrollment.participant.public_id} holds a seat or waitlist place on "
            f"{', '.join(held)}, run(s) of version {enrollment.program_version.version}; "
            f"drop them (or let them end) before the move, as runs belong to one version")
