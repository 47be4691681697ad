"""The demo catalogue in the database: intakes, offerings and a few taken seats."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from pathwise.auditlog.log import Actor
from pathwise.catalog.actions import publish_intake, publish_offering
from pathwise.catalog.demo import REGIONAL_CAPACITY, demo_catalogue, later_version_runs
from pathwise.catalog.models import Intake, Offering
from pathwise.enrollment.actions import EnrollmentRefusedError, take_seat
from pathwise.participants import models as m
from pathwise.participants.progress import audit_of


def load_demo_catalogue(actor: Actor, enrollments: list[m.Enrollment], today: dt.date) -> int:
    version = enrollments[0].program_version
    intake_dates = sorted({e.enrolled_on for e in enrollments})
    intakes, offerings = demo_catalogue(version.program, today, intake_dates)
    by_date: dict[dt.date, Intake] = {}
    for intake in intakes:
        by_date[intake.starts_on] = publish_intake(actor, version, intake.code,
                                                   intake.starts_on)
    for e in enrollments:
        if e.intake_id is None:
            e.intake = by_date[e.enrolled_on]
            e.save(update_fields=["intake"])
    rows: dict[str, Offering] = {}
    later = {e.program_version_id: e.program_version for e in enrollments
             if e.program_version_id != version.pk}
    published = [(version, o) for o in offerings]
    published += [(v, o) for v in later.values() for o in later_version_runs(v.program, today)]
    for v, o in published:
        rows[o.code] = publish_offering(
            actor, v, o.code, component=o.component, starts_on=o.starts_on,
            ends_on=o.ends_on, capacity=o.capacity, meeting_days=list(o.days),
            meeting_time=o.time, meeting_minutes=o.minutes, timezone=o.timezone,
            intake=by_date[next(i.starts_on for i in intakes if i.code == o.intake)]
            if o.intake else None,
            private_to=o.private_to, public_seats=o.public_seats, published=o.published,
            cancelled=[d.isoformat() for d in o.cancelled])
    _take_demo_seats(actor, enrollments, rows.values(), today)
    return len(rows)


def _take_demo_seats(actor: Actor, enrollments: list[m.Enrollment],
                     offerings: Iterable[Offering], today: dt.date) -> None:
    """Active participants take the next run of a course they still need.

    The small regional run fills up, so the demo shows a waitlist.
    """
    upcoming = sorted((o for o in offerings if o.starts_on > today),
                      key=lambda o: o.starts_on)
    regional = next(o for o in upcoming if o.capacity == REGIONAL_CAPACITY)
    wanted_regional = REGIONAL_CAPACITY + 3
    for e in enrollments:
        # A run belongs to one version: each takes only their own version's runs.
        own = [o for o in upcoming if o.program_version_id == e.program_version_id]
        s = audit_of(e, today)
        if s.audit.status not in ("on_track", "at_risk"):
            continue
        unmet = {c for r in s.audit.unmet for c in r.requirement.components
                 if s.program.components[c].kind == "course"}
        if regional.component in unmet and wanted_regional and regional in own:
            take_seat(e.participant, regional, actor, today=today)
            wanted_regional -= 1
            continue
        for run in own:
            if run.component not in unmet or run.private_to or run is regional:
                continue
            try:
                take_seat(e.participant, run, actor, today=today)
            except EnrollmentRefusedError:
                continue  # e.g. an elective before its prerequisites: try the next run
            break
