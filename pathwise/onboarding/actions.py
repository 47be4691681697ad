"""The only writers of onboarding: interest, accepting people into an intake, invitations.

A new participant is made in one of three ways — staff accept an expression of
interest, add a person by hand, or import a CSV — and each ends the same way:
a Participant with the next id in the program's pattern (P-001, P-002, …), an
Enrollment in the chosen intake, and an invitation e-mail whose one-time link
sets their first password. No password is ever e-mailed.

The account's username is the participant id in lower case (``p-037``), as the
demo's logins are: it never changes, where an e-mail address can.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import io
import re
import zoneinfo
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from pathwise.auditlog.log import Actor, log
from pathwise.catalog.models import Intake, Offering, ProgramVersion
from pathwise.core.availability import parse_availability
from pathwise.core.errors import PathwiseError
from pathwise.core.inputs import (
    control_character,
    email_problem,
    identifier_problem,
    show_value,
    text_problem,
)
from pathwise.core.when import day_text
from pathwise.notifications.mail import tell
from pathwise.onboarding.models import PAYMENT_CHOICES, ExpressionOfInterest, Invitation
from pathwise.participants.models import Enrollment, Participant
from pathwise.standing.actions import refresh_standing

#: At most this many expressions of interest from one client address per hour.
INTEREST_PER_HOUR = 5
INVITATION_DAYS = 7
MAX_MESSAGE = 2000
MAX_CSV_ROWS = 500
CSV_COLUMNS = ("name", "email", "organization", "timezone", "intake")
_SALT = "pathwise.onboarding.invitation"
_PUBLIC_ID = re.compile(r"^P-(\d+)\Z")


class OnboardingError(PathwiseError):
    """A bad value in what was sent; `field` names it, for a form or an API error."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class ThrottledError(PathwiseError):
    """Too many expressions of interest from one address: try again later."""


class InvitationError(PathwiseError):
    """An invitation link that cannot be used (unknown, replaced, used or expired)."""


@cache
def known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def zone_problem(value: object) -> str | None:
    if isinstance(value, str) and value in known_zones():
        return None
    return f"{show_value(value)} is not an IANA time zone (such as Europe/London)"


def client_digest(address: str | None) -> str:
    """The throttle's key for a client address: keyed, so the address cannot be read back."""
    if not address:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def course_choices() -> list[tuple[str, str]]:
    """The courses someone can say they would like, from every loaded program version."""
    found: dict[str, str] = {}
    for version in ProgramVersion.objects.all():
        for component in version.program.of_kind("course"):
            found.setdefault(component.code, component.name)
    return sorted(found.items(), key=lambda item: item[1])


def _text(field_name: str, value: object, *, required: bool = True, max_length: int = 200
          ) -> str:
    if not required and (value is None or value == ""):
        return ""
    if isinstance(value, str):
        value = value.strip()
    problem = text_problem(value, max_length=max_length)
    if problem is not None:
        raise OnboardingError(field_name, problem)
    assert isinstance(value, str)
    return value


def _email(value: object) -> str:
    if isinstance(value, str):
        value = value.strip()
    problem = email_problem(value)
    if problem is not None:
        raise OnboardingError("email", problem)
    assert isinstance(value, str)
    return value


def _zone(value: object) -> str:
    if isinstance(value, str):
        value = value.strip()
    problem = zone_problem(value)
    if problem is not None:
        raise OnboardingError("timezone", problem)
    assert isinstance(value, str)
    return value


def check_availability(raw: Sequence[Mapping[str, Any]] | None) -> list[dict[str, Any]] | None:
    """Windows in the records files' format, or None for any time; refused naming the window."""
    if raw is None:
        return None
    try:
        parse_availability(raw, source="availability")
    except PathwiseError as exc:
        message = str(exc).removeprefix("availability: participant.")
        raise OnboardingError("availability", message) from exc
    return [dict(window) for window in raw]


def express_interest(*, name: str, email: str, timezone_name: str, organization: str = "",
                     courses: Sequence[str] = (), availability: Sequence[Mapping[str, Any]]
                     | None = None, payment: str = "undecided", message: str = "",
                     client: str | None = None) -> ExpressionOfInterest:
    """Record someone's wish to join; refused when one address sends too many in an hour."""
    data = {
        "name": _text("name", name), "email": _email(email),
        "organization": _text("organization", organization, required=False),
        "timezone": _zone(timezone_name),
    }
    offered = dict(course_choices())
    chosen = list(dict.fromkeys(courses))
    for code in chosen:
        if code not in offered:
            raise OnboardingError("courses", f"{show_value(code)} is not a course of the program "
                                  f"(one of {', '.join(sorted(offered))})")
    windows = check_availability(availability)
    if payment not in dict(PAYMENT_CHOICES):
        raise OnboardingError("payment", f"{show_value(payment)} is not one of "
                              f"{', '.join(dict(PAYMENT_CHOICES))}")
    note = message.strip()
    if len(note) > MAX_MESSAGE:
        raise OnboardingError("message", f"is {len(note)} characters; at most {MAX_MESSAGE}")
    # A message may run over several lines; any other control character is refused.
    control = control_character(note.replace("\r\n", "\n").replace("\n", " "))
    if control is not None:
        raise OnboardingError("message", f"contains a control character (U+{ord(control):04X})")
    digest = client_digest(client)
    with transaction.atomic():
        if digest:
            since = timezone.now() - dt.timedelta(hours=1)
            if ExpressionOfInterest.objects.filter(client=digest,
                                                   created_at__gte=since).count() >= \
                    INTEREST_PER_HOUR:
                raise ThrottledError("too many requests from your address in the last hour; "
                                     "please try again later")
        row = ExpressionOfInterest.objects.create(
            **data, courses=chosen, availability=windows, payment=payment, message=note,
            client=digest)
        log(Actor("public"), "interest.expressed", target_type="interest", target_id=str(row.pk),
            new={"name": row.name, "email": row.email, "courses": chosen})
        return row


def orientation_day(intake: Intake) -> dt.date:
    """When the intake's orientation starts: its orientation run, else the intake's start."""
    program = intake.program_version.program
    codes = [c.code for c in program.of_kind("orientation")]
    first = (Offering.objects.filter(intake=intake, component__in=codes)
             .order_by("starts_on").values_list("starts_on", flat=True).first())
    return first or intake.starts_on


def check_intake_open(intake: Intake, today: dt.date) -> None:
    """Rolling admission: an intake is joined until its orientation starts, not after."""
    starts = orientation_day(intake)
    if today >= starts:
        raise OnboardingError("intake", f"intake {intake.code}'s orientation started on "
                              f"{starts.isoformat()}; people join an intake until its "
                              "orientation starts — choose a later intake")


def intake_named(code: object) -> Intake:
    if code in (None, ""):
        raise OnboardingError("intake", "say which intake (its code, e.g. 2026-09)")
    problem = identifier_problem(code)
    if problem is not None:
        raise OnboardingError("intake", problem)
    found = Intake.objects.select_related("program_version").filter(code=code).first()
    if found is None:
        raise OnboardingError("intake", f"no intake {code!r}")
    return found


def open_intakes(today: dt.date) -> list[Intake]:
    """The intakes still to be joined (their orientation not yet started), soonest first."""
    return [i for i in Intake.objects.select_related("program_version").order_by("starts_on")
            if orientation_day(i) > today]


def _email_taken(email: str) -> str | None:
    return Participant.objects.filter(email__iexact=email).values_list("public_id",
                                                                        flat=True).first()


def _next_public_id() -> str:
    numbers = [int(found.group(1)) for pid in Participant.objects.values_list("public_id",
                                                                              flat=True)
               if (found := _PUBLIC_ID.match(pid))]
    return f"P-{max(numbers, default=0) + 1:03d}"


@dataclass(frozen=True)
class Person:
    """Someone to add, checked: what a form, a CSV row or an accepted interest gives."""

    name: str
    email: str
    timezone: str
    organization: str
    intake: Intake
    availability: list[dict[str, Any]] | None = None


def check_person(*, name: object, email: object, timezone_name: object, organization: object,
                 intake: Intake | str, today: dt.date) -> Person:
    found = intake if isinstance(intake, Intake) else intake_named(intake)
    person = Person(name=_text("name", name), email=_email(email), timezone=_zone(timezone_name),
                    organization=_text("organization", organization, required=False),
                    intake=found)
    taken = _email_taken(person.email)
    if taken is not None:
        raise OnboardingError("email", f"{person.email} is already the address of {taken}")
    check_intake_open(found, today)
    return person


def _create(person: Person, actor: Actor, today: dt.date) -> Participant:
    """The participant and their enrollment (inside the caller's transaction), invited."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                participant = Participant.objects.create(
                    public_id=_next_public_id(), name=person.name, email=person.email,
                    timezone=person.timezone, organization=person.organization or None,
                    availability=person.availability, updated_by=actor.label)
            break
        except IntegrityError:
            # Another process took the same next id in the meantime: count again.
            continue
    else:
        raise PathwiseError("could not find a free participant id; try again")
    intake = person.intake
    Enrollment.objects.create(
        participant=participant, program_version=intake.program_version, intake=intake,
        enrolled_on=max(today, intake.starts_on), updated_by=actor.label)
    log(actor, "participant.added", target_type="participant", target_id=participant.public_id,
        participant=participant,
        new={"name": participant.name, "email": participant.email,
             "timezone": participant.timezone, "organization": participant.organization,
             "intake": intake.code, "program_version": str(intake.program_version)})
    refresh_standing(participant)
    _invite(participant, actor)
    return participant


def add_participant(*, name: str, email: str, timezone_name: str, intake: Intake | str,
                    actor: Actor, organization: str = "", today: dt.date | None = None
                    ) -> Participant:
    """Add one person to an intake, and e-mail them their invitation."""
    today = today or timezone.localdate()
    with transaction.atomic():
        person = check_person(name=name, email=email, timezone_name=timezone_name,
                              organization=organization, intake=intake, today=today)
        return _create(person, actor, today)


def _pending(interest_id: int) -> ExpressionOfInterest:
    row = ExpressionOfInterest.objects.select_for_update().filter(pk=interest_id).first()
    if row is None:
        raise PathwiseError(f"no expression of interest {interest_id}")
    if row.status != ExpressionOfInterest.PENDING:
        raise PathwiseError(f"this expression of interest was already {row.status} "
                            f"by {row.decided_by or 'staff'}")
    return row


def accept_interest(interest: ExpressionOfInterest, intake: Intake | str, actor: Actor, *,
                    today: dt.date | None = None) -> Participant:
    """Make the person a participant in `intake` (and invite them); once only."""
    today = today or timezone.localdate()
    with transaction.atomic():
        row = _pending(interest.pk)
        person = check_person(name=row.name, email=row.email, timezone_name=row.timezone,
                              organization=row.organization, intake=intake, today=today)
        person = Person(**{**person.__dict__, "availability": row.availability})
        participant = _create(person, actor, today)
        row.status = ExpressionOfInterest.ACCEPTED
        row.participant = participant
        row.intake = person.intake
        row.decided_at = timezone.now()
        row.decided_by = actor.label
        row.save(update_fields=["status", "participant", "intake", "decided_at", "decided_by"])
        log(actor, "interest.accepted", target_type="interest", target_id=str(row.pk),
            participant=participant, old={"status": ExpressionOfInterest.PENDING},
            new={"status": row.status, "intake": person.intake.code,
                 "participant": participant.public_id})
        return participant


def decline_interest(interest: ExpressionOfInterest, actor: Actor) -> ExpressionOfInterest:
    with transaction.atomic():
        row = _pending(interest.pk)
        row.status = ExpressionOfInterest.DECLINED
        row.decided_at = timezone.now()
        row.decided_by = actor.label
        row.save(update_fields=["status", "decided_at", "decided_by"])
        log(actor, "interest.declined", target_type="interest", target_id=str(row.pk),
            old={"status": ExpressionOfInterest.PENDING}, new={"status": row.status})
        return row


@dataclass
class CsvRow:
    line: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    person: Person | None = None


@dataclass
class CsvCheck:
    rows: list[CsvRow]
    errors: list[str]  # about the file as a whole

    @property
    def ok(self) -> bool:
        return not self.errors and all(not r.errors for r in self.rows)

    def problems(self) -> list[str]:
        return [*self.errors, *(f"line {r.line}: {e}" for r in self.rows for e in r.errors)]


def check_csv(text: str, *, intake: Intake | str | None = None,
              today: dt.date | None = None) -> CsvCheck:
    """Read a CSV of people (name, email, organization, timezone[, intake]) and check every
    row, as it would be saved, without saving anything."""
    today = today or timezone.localdate()
    default = intake_named(intake) if isinstance(intake, str) else intake
    if "\x00" in text:
        return CsvCheck([], ["the file holds a NUL character: it is not a CSV text file"])
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = [h.strip().lower() for h in reader.fieldnames or []]
    except csv.Error as exc:
        return CsvCheck([], [f"the file is not CSV: {exc}"])
    errors = _header_problems(header, default)
    if errors:
        return CsvCheck([], errors)
    reader.fieldnames = header
    rows: list[CsvRow] = []
    emails: dict[str, int] = {}
    while True:
        try:
            raw = next(reader, None)
        except csv.Error as exc:
            return CsvCheck(rows, [f"line {reader.line_num}: not CSV: {exc}"])
        if raw is None:
            break
        if len(rows) >= MAX_CSV_ROWS:
            return CsvCheck(rows, [f"more than {MAX_CSV_ROWS} rows: split the file"])
        row = _check_row(reader.line_num, raw, default, today)
        rows.append(row)
        if row.person is not None:
            key = row.person.email.lower()
            if key in emails:
                row.errors.append(f"email: {row.person.email} is also on line {emails[key]}")
            emails.setdefault(key, row.line)
    if not rows:
        return CsvCheck([], ["the file has a header line but no people"])
    return CsvCheck(rows, [])


def _header_problems(header: list[str], default: Intake | None) -> list[str]:
    if not header:
        return [f"the file is empty: its first line names the columns "
                f"({', '.join(CSV_COLUMNS)})"]
    missing = [c for c in ("name", "email", "timezone") if c not in header]
    unknown = [h for h in header if h not in CSV_COLUMNS]
    errors = []
    if missing:
        errors.append(f"the first line has no {', '.join(missing)} column")
    if unknown:
        errors.append(f"unknown column {', '.join(show_value(u) for u in unknown)} "
                      f"(allowed: {', '.join(CSV_COLUMNS)})")
    if "intake" not in header and default is None and not errors:
        errors.append("say which intake: an intake column, or one intake for every row")
    return errors


def _check_row(line: int, raw: dict[str | Any, Any], default: Intake | None,
               today: dt.date) -> CsvRow:
    if None in raw:
        return CsvRow(line, {}, ["more values than columns"])
    values = {k: (v or "").strip() for k, v in raw.items()}
    row = CsvRow(line, values)
    if not any(values.values()):
        row.errors.append("empty row")
        return row
    try:
        row.person = check_person(
            name=values.get("name", ""), email=values.get("email", ""),
            timezone_name=values.get("timezone", ""),
            organization=values.get("organization", ""),
            intake=values.get("intake") or default or "", today=today)
    except PathwiseError as exc:
        row.errors.append(str(exc))
    return row


def import_csv(text: str, actor: Actor, *, intake: Intake | str | None = None,
               today: dt.date | None = None) -> list[Participant]:
    """Add everyone in the CSV, or (any row wrong) no one; each added person is invited."""
    today = today or timezone.localdate()
    with transaction.atomic():
        checked = check_csv(text, intake=intake, today=today)
        if not checked.ok:
            problems = checked.problems()
            more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
            raise PathwiseError("nothing imported: " + "; ".join(problems[:3]) + more)
        added = []
        for row in checked.rows:
            assert row.person is not None
            added.append(_create(row.person, actor, today))
        return added


def invitation_link(invitation: Invitation) -> str:
    token = signing.dumps(invitation.pk, salt=_SALT)
    return f"{settings.BASE_URL.rstrip('/')}/welcome/invitation/{token}/"


def username_of(participant: Participant) -> str:
    return participant.public_id.lower()


def _invite(participant: Participant, actor: Actor) -> Invitation:
    if not participant.email:
        raise OnboardingError("email", f"{participant.public_id} has no e-mail address to "
                              "send an invitation to")
    invitation = Invitation.objects.create(
        participant=participant, created_by=actor.label,
        expires_at=timezone.now() + dt.timedelta(days=INVITATION_DAYS))
    link = invitation_link(invitation)
    expires = timezone.localtime(invitation.expires_at, dt.UTC)
    tell(participant, "Your Pathwise invitation: set your password",
         f"You have a place in the program. To sign in for the first time, choose your "
         f"password here:\n\n{link}\n\nThe link works once, until "
         f"{expires:%Y-%m-%d %H:%M} UTC. Your username is {username_of(participant)}.\n"
         "If the link has expired, ask us to send you a new one.", kind="invitation.sent")
    log(actor, "invitation.sent", target_type="participant", target_id=participant.public_id,
        participant=participant, new={"expires_at": invitation.expires_at.isoformat()})
    return invitation


def send_invitation(participant: Participant, actor: Actor) -> Invitation:
    """Send (again) the link to set a first password; the links sent before stop working."""
    with transaction.atomic():
        locked = Participant.objects.select_for_update().get(pk=participant.pk)
        if locked.invitations.filter(used_at__isnull=False).exists() and locked.user_id:
            raise PathwiseError(f"{locked.public_id} has already set a password; they can "
                                "reset it from the sign-in page")
        return _invite(locked, actor)


def invitation_for(token: str) -> Invitation:
    """The invitation a link names, if it can still be used; why not, otherwise."""
    try:
        pk = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        raise InvitationError("this invitation link is not valid — check that the whole "
                              "link was copied") from None
    invitation = (Invitation.objects.select_related("participant").filter(pk=pk).first()
                  if isinstance(pk, int) else None)
    if invitation is None:
        raise InvitationError("this invitation link is not valid")
    if invitation.used_at is not None:
        raise InvitationError("this invitation was already used: sign in with your password, "
                              "or reset it from the sign-in page")
    latest = invitation.participant.invitations.order_by("-created_at", "-id").first()
    if latest is not None and latest.pk != invitation.pk:
        raise InvitationError("a newer invitation was sent to you: use the link in the latest "
                              "e-mail")
    if invitation.expires_at <= timezone.now():
        raise InvitationError(f"this invitation expired on {invitation.expires_at:%Y-%m-%d}: "
                              "ask staff to send you a new one")
    return invitation


def accept_invitation(token: str, password: str, again: str) -> Any:
    """Set the first password through the link (once), making or linking the account."""
    with transaction.atomic():
        found = invitation_for(token)
        participant = Participant.objects.select_for_update().get(pk=found.participant_id)
        invitation = Invitation.objects.select_for_update().get(pk=found.pk)
        if invitation.used_at is not None:
            raise InvitationError("this invitation was already used")
        if password != again:
            raise OnboardingError("password2", "the two passwords differ")
        user_model = get_user_model()
        user = participant.user
        if user is None:
            username = username_of(participant)
            if user_model.objects.filter(username=username).exists():
                raise PathwiseError(f"an account named {username} already exists and is not "
                                    "yours: ask staff")
            user = user_model(username=username, email=participant.email or "")
        try:
            password_validation.validate_password(password, user)
        except ValidationError as exc:
            raise OnboardingError("password1", " ".join(exc.messages)) from exc
        user.set_password(password)
        user.save()
        if participant.user_id != user.pk:
            participant.user = user
            participant.updated_by = user.get_username()
            participant.save(update_fields=["user", "updated_by", "updated_at"])
        invitation.used_at = timezone.now()
        invitation.save(update_fields=["used_at"])
        log(Actor.of(user), "invitation.used", target_type="participant",
            target_id=participant.public_id, participant=participant,
            new={"username": user.get_username()})
        return user


def confirm_welcome(participant: Participant, timezone_name: str,
                    availability: Sequence[Mapping[str, Any]] | None, actor: Actor) -> None:
    """Their zone and the weekly times they can meet, confirmed at first sign-in."""
    zone = _zone(timezone_name)
    windows = check_availability(availability)
    with transaction.atomic():
        locked = Participant.objects.select_for_update().get(pk=participant.pk)
        old = {"timezone": locked.timezone, "availability": locked.availability}
        locked.timezone = zone
        locked.availability = windows
        locked.updated_by = actor.label
        locked.save(update_fields=["timezone", "availability", "updated_by", "updated_at"])
        locked.invitations.filter(used_at__isnull=False, welcomed_at__isnull=True).update(
            welcomed_at=timezone.now())
        log(actor, "participant.welcomed", target_type="participant",
            target_id=locked.public_id, participant=locked, old=old,
            new={"timezone": zone, "availability": windows})
        refresh_standing(locked)
        participant.timezone, participant.availability = zone, windows


def place_in_intake(participant: Participant, intake: Intake | str, actor: Actor, *,
                    today: dt.date | None = None) -> Enrollment:
    """Record the intake of someone already enrolled (an imported participant has none, so
    their intake's orientation was refused to them): an intake of their own program
    version, still open to join (rolling admission, as for newcomers)."""
    chosen = intake if isinstance(intake, Intake) else intake_named(intake)
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = Participant.objects.select_for_update().get(pk=participant.pk)
        enrollment = (Enrollment.objects.select_for_update(of=("self",)).select_related("intake")
                      .filter(participant=locked).order_by("-enrolled_on", "-pk").first())
        if enrollment is None:
            raise OnboardingError("participant", f"{locked.public_id} is not enrolled in a "
                                  "program")
        if enrollment.intake_id == chosen.pk:
            raise OnboardingError("intake", f"{locked.public_id} is already in intake "
                                  f"{chosen.code}")
        if chosen.program_version_id != enrollment.program_version_id:
            version = chosen.program_version
            raise OnboardingError("intake", f"intake {chosen.code} is for {version.program_id} "
                                  f"{version.version}; {locked.public_id} is enrolled on "
                                  f"{enrollment.program_version.version}")
        check_intake_open(chosen, today)
        held = sorted(Offering.objects.filter(
            intake_id=enrollment.intake_id, seats__participant=locked,
            seats__status__in=("enrolled", "waitlisted")).values_list("code", flat=True)
        ) if enrollment.intake_id else []
        if held:
            raise OnboardingError("intake", f"{locked.public_id} holds {', '.join(held)} of "
                                  f"intake {enrollment.intake.code if enrollment.intake else ''}"
                                  "; drop those places first")
        old = enrollment.intake.code if enrollment.intake else None
        enrollment.intake, enrollment.updated_by = chosen, actor.label
        enrollment.save(update_fields=["intake", "updated_by", "updated_at"])
        log(actor, "enrollment.intake_set", target_type="enrollment",
            target_id=locked.public_id, participant=locked, old={"intake": old},
            new={"intake": chosen.code})
        tell(locked, f"Your intake: {chosen.code}",
             f"Staff placed you in intake {chosen.code}; its orientation starts on "
             f"{day_text(orientation_day(chosen))}. Its runs are now open to you in your "
             "catalogue.", kind="intake.placed")
        refresh_standing(locked)
        return enrollment
