"""Load the demo: the shipped programs, a staff login and 36 participants in three intakes.

It prints a login for each state a newcomer should see (`demo.showcase`), with its
page under PATHWISE_BASE_URL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from pathwise.auditlog.log import Actor
from pathwise.capstone.demo import load_demo_capstones
from pathwise.catalog.actions import sync_programs
from pathwise.core.records import ParticipantRecords
from pathwise.credentials.models import Credential
from pathwise.enrollment.actions import register_demand
from pathwise.enrollment.models import DemandRequest
from pathwise.notifications.background import run_ready_tasks
from pathwise.onboarding.demo import load_demo_interest
from pathwise.participants import models as m
from pathwise.participants.actions import (
    give_login,
    refuse_extension,
    request_extension,
    save_participant_records,
)
from pathwise.participants.demo import (
    LATER_VERSION,
    VERSION,
    demo_demand,
    demo_participants,
    on_later_version,
    showcase,
)
from pathwise.standing.actions import refresh_all
from pathwise.standing.models import StandingRow

from ._catalogue import load_demo_catalogue
from ._runs import INSTRUCTOR_USERNAME, load_demo_runs

STAFF_USERNAME, STAFF_PASSWORD = "staff", "pathwise-staff"
PARTICIPANT_PASSWORD = "pathwise-demo"  # noqa: S105  (demo only)


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="date the demo is relative to (default today)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = (dt.date.fromisoformat(options["today"]) if options["today"]
                     else timezone.localdate())
        except ValueError as exc:
            raise CommandError(f"--today: {options['today']!r} is not a date (YYYY-MM-DD)") from exc
        actor = Actor("seed_demo")
        with transaction.atomic():
            sync_programs(actor)
            user_model = get_user_model()
            staff = user_model.objects.filter(username=STAFF_USERNAME).first()
            if staff is None:
                staff = user_model.objects.create_user(STAFF_USERNAME, "staff@example.org")
            staff.is_staff = True
            staff.set_password(STAFF_PASSWORD)
            staff.save()
            people = demo_participants(today)
            enrollments = []
            hashed = make_password(PARTICIPANT_PASSWORD)
            for records in people:
                enrollment = save_participant_records(records, actor)
                participant: m.Participant = enrollment.participant
                give_login(participant, participant.public_id.lower(), PARTICIPANT_PASSWORD, actor,
                           hashed=hashed)
                enrollments.append(enrollment)
            offerings = load_demo_catalogue(actor, enrollments, today)
            _register_demo_demand(actor, enrollments, people, today)
            load_demo_interest()
            taught = load_demo_runs(actor, enrollments, today, PARTICIPANT_PASSWORD,
                                    spare=set(showcase().values()))
            load_demo_capstones(actor, enrollments, today, spare=set(showcase().values()),
                                staff=Actor(STAFF_USERNAME, staff))
            # Where everyone stands on the demo's own day (its seats and runs included).
            refresh_all(now=dt.datetime.combine(today, dt.time(12), tzinfo=dt.UTC))
            _ask_for_more_time(Actor(STAFF_USERNAME, staff))
        # Run the signing tasks the demo enqueued now, rather than leaving them
        # to the worker, so the demo opens with its badges in place.
        run_ready_tasks()
        issued = Credential.objects.count()
        base = settings.BASE_URL
        self.stdout.write(
            f"Demo loaded: {len(people)} participants and {offerings} offerings "
            f"as of {today.isoformat()}; {issued} credentials signed.")

        def login(who: str, username: str, password: str, where: str) -> None:
            self.stdout.write(f"  {who:<18} {f'{username} / {password}':<27} → {base}{where}")

        login("staff", STAFF_USERNAME, STAFF_PASSWORD, "/staff/participants/")
        login("capstones", STAFF_USERNAME, STAFF_PASSWORD, "/staff/capstones/ (waiting for "
              "review)")
        for state, public_id in showcase().items():
            login(state, public_id.lower(), PARTICIPANT_PASSWORD, f"/participants/{public_id}/")
        self.stdout.write(f"  on version {LATER_VERSION}: {', '.join(on_later_version())} (the "
                          f"others on {VERSION}); staff move anyone from their page")
        if taught:
            login("instructor", INSTRUCTOR_USERNAME, PARTICIPANT_PASSWORD,
                  f"/runs/ (teaches {', '.join(run.code for run in taught)})")
        self.stdout.write(f"  (every participant, p-001 … p-{len(people):03d}, has the password "
                          f"{PARTICIPANT_PASSWORD})")


def _ask_for_more_time(staff: Actor) -> None:
    """Two of those short of time ask staff for more: one request waits for staff, the
    other staff refused. Nothing is asked again once the demo has asked before."""
    if m.ExtensionRequest.objects.exists():
        return
    short = (StandingRow.objects.filter(status__in=("at_risk", "overdue"),
                                        enrollment__withdrawn_on__isnull=True,
                                        enrollment__deadline_extended_to__isnull=True)
             .select_related("enrollment__participant").order_by("participant__public_id"))
    rows = list(short[:2])
    for row, refused in zip(rows, (False, True), strict=False):
        participant = row.enrollment.participant
        request = request_extension(
            row.enrollment, "My employer moved me to another team for a term, and I missed "
            "the course I had planned.", Actor(participant.public_id.lower(), participant.user),
            wanted_until=row.deadline + dt.timedelta(days=120))
        if refused:
            refuse_extension(request, "A later run of the course starts before your "
                             "deadline: take that one.", staff)


def _register_demo_demand(actor: Actor, enrollments: list[m.Enrollment],
                          people: list[ParticipantRecords], today: dt.date) -> None:
    """The times some participants could attend instead, through the participants' action.

    A wish already registered (the demo was loaded before) is not registered again.
    """
    program = enrollments[0].program_version.program
    by_id = {e.participant.public_id: e.participant for e in enrollments}
    for wish in demo_demand(program, people, today):
        participant = by_id[wish.participant]
        if DemandRequest.objects.filter(participant=participant,
                                        component=wish.component).exists():
            continue
        register_demand(participant, wish.component, days=list(wish.days), start=wish.start,
                        end=wish.end, actor=actor)
