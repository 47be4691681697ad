"""Where a participant stands, read from the database: the core's standing over rows.

Every page, command and list that asks "where does this person stand" reads
`standing_of` (or the stored `StandingRow` it writes): the participant's
records, the runs they hold a seat in, and their program version's catalogue
with seats counted now, given to `pathwise.core.standing` in one call.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass

import msgspec
from django.utils import timezone

from pathwise.catalog.read import Catalogue, catalogue_for
from pathwise.core.program import Program
from pathwise.core.records import ParticipantRecords
from pathwise.core.standing import NextStep, Standing, next_step, standing
from pathwise.enrollment.models import Seat
from pathwise.participants import models as m
from pathwise.participants.convert import to_core
from pathwise.participants.progress import current_enrollment

LIVE = (Seat.ENROLLED, Seat.WAITLISTED)


@dataclass(frozen=True)
class ParticipantStanding:
    participant: m.Participant
    enrollment: m.Enrollment
    program: Program
    today: dt.date  # the participant's own date
    standing: Standing
    next: NextStep
    catalogue: Catalogue
    seats: tuple[Seat, ...]  # seats and waitlist places, by start
    records: ParticipantRecords  # what the standing was worked out from
    now: dt.datetime

    @property
    def held(self) -> tuple[Seat, ...]:
        return tuple(s for s in self.seats if s.status == Seat.ENROLLED)

    @property
    def waiting(self) -> tuple[Seat, ...]:
        return tuple(s for s in self.seats if s.status == Seat.WAITLISTED)


def live_seats(participant: m.Participant) -> tuple[Seat, ...]:
    return tuple(Seat.objects.filter(participant=participant, status__in=LIVE)
                 .select_related("offering__intake", "offering__program_version")
                 .order_by("offering__starts_on", "offering__code"))


def records_holding(enrollment: m.Enrollment, seats: tuple[Seat, ...],
                    records: ParticipantRecords | None = None) -> ParticipantRecords:
    """The participant's records file (`records` when already read), with the runs they
    hold a seat in (not waitlists)."""
    held = held_codes(((s.status, s.offering.code, s.offering.program_version_id)
                       for s in seats), enrollment.program_version_id)
    return msgspec.structs.replace(records or to_core(enrollment), holding=held)


def held_codes(seats: Iterable[tuple[str, str, int]], version_id: int) -> tuple[str, ...]:
    """The runs held, of the (status, run code, run's version) of someone's seats: those
    they are enrolled in (not waitlisted) of their own program version."""
    return tuple(code for status, code, version in seats
                 if status == Seat.ENROLLED and version == version_id)


def local_today(participant: m.Participant, now: dt.datetime) -> dt.date:
    return now.astimezone(zoneinfo.ZoneInfo(participant.timezone)).date()


def standing_of(participant: m.Participant, *, now: dt.datetime | None = None,
                catalogue: Catalogue | None = None) -> ParticipantStanding | None:
    """Where `participant` stands today (their own date); None if not enrolled.

    `catalogue` may be passed in when many participants of one version are read.
    """
    enrollment = current_enrollment(participant)
    if enrollment is None:
        return None
    return standing_from(participant, enrollment, live_seats(participant),
                         now=now or timezone.now(),
                         catalogue=catalogue or catalogue_for(enrollment.program_version))


def standing_from(participant: m.Participant, enrollment: m.Enrollment,
                  seats: tuple[Seat, ...], *, now: dt.datetime,
                  catalogue: Catalogue,
                  records: ParticipantRecords | None = None) -> ParticipantStanding:
    """`standing_of` over rows already read (`records`: the records file, when it is)."""
    program = enrollment.program_version.program
    records = records_holding(enrollment, seats, records)
    today, result, step = standing_over(
        program, records, now=now, catalogue=catalogue,
        intake=enrollment.intake.code if enrollment.intake else None)
    return ParticipantStanding(participant, enrollment, program, today, result, step,
                               catalogue, seats, records, now)


def standing_over(program: Program, records: ParticipantRecords, *, now: dt.datetime,
                  catalogue: Catalogue, intake: str | None
                  ) -> tuple[dt.date, Standing, NextStep]:
    """The participant's own date, standing and next step from their records file (with
    the runs they hold): what `standing_from` works out, for the daily refresh, which
    reads the batch as values and not as rows."""
    zone = records.participant.timezone
    today = now.astimezone(zoneinfo.ZoneInfo(zone)).date()
    runs = catalogue.offerings.offerings
    # No run published at all: nothing is known about the calendar, so the time rule
    # decides; otherwise runs are known up to the last one published.
    result = standing(program, records, today,
                      catalogue.offerings if runs else None,
                      intake=intake, horizon=catalogue.horizon,
                      records_source=f"participant {records.participant.id}",
                      offerings_source="the catalogue")
    step = next_step(program, result, now=now, zone=zone, withdrawn_on=records.withdrawn_on)
    return today, result, step
