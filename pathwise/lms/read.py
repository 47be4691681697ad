"""A participant's learning-platform access: the link (their program version's, or a run's
own for the runs they hold a seat on) and the window it is open to them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from pathwise.core.lms import Window, access_window
from pathwise.enrollment.models import Seat
from pathwise.lms.models import LmsLink
from pathwise.participants.models import Enrollment, Participant
from pathwise.participants.progress import current_enrollment
from pathwise.standing.models import StandingRow


@dataclass(frozen=True)
class RunLink:
    code: str
    url: str


@dataclass(frozen=True)
class Access:
    url: str | None
    window: Window
    runs: list[RunLink]  # runs they hold a seat on whose link is their own
    today: dt.date

    @property
    def open(self) -> bool:
        return self.window.open_on(self.today)


def access_of(participant: Participant, today: dt.date | None = None, *,
              enrollment: Enrollment | None = None) -> Access | None:
    """Their access, or None when they are not enrolled or no link was ever set.
    `enrollment` is their current one, when the caller has read it already."""
    enrollment = enrollment or current_enrollment(participant)
    stored = StandingRow.objects.filter(participant=participant).first()
    if enrollment is None or stored is None:
        return None
    program = LmsLink.objects.filter(program_version=enrollment.program_version).first()
    program_url = program.url if program else None
    seats = (Seat.objects.filter(participant=participant, status=Seat.ENROLLED,
                                 offering__lms_link__isnull=False)
             .select_related("offering__lms_link").order_by("offering__starts_on"))
    # A run's own link overrides the program's for that run; one the same adds nothing.
    runs = [RunLink(s.offering.code, s.offering.lms_link.url) for s in seats
            if s.offering.lms_link.url != program_url]
    if program_url is None and not runs:
        return None
    return Access(program_url, access_window(enrollment.enrolled_on, stored.deadline), runs,
                  today or timezone.localdate())
