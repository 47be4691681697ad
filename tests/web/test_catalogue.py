"""Enrolling from the catalogue, refusals, the schedule, changing a choice, the calendar feed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client

from pathwise.auditlog.models import AuditEntry
from pathwise.catalog.models import Offering
from pathwise.enrollment.models import CalendarFeed, Seat
from pathwise.participants import models as m

pytestmark = pytest.mark.django_db


def test_the_catalogue_shows_times_in_the_viewers_zone(
    grace_client: Client, publish_run: Callable[..., Offering]
) -> None:
    publish_run("PBK-A", starts_on=dt.date(2031, 1, 7))
    page = grace_client.get("/catalogue/").content.decode()
    assert 'data-offering="PBK-A"' in page
    assert "Tue 17:00\N{EN DASH}18:30" in page  # noon in New York, seen from London in winter
    assert "Europe/London" in page


def test_enrolling_takes_a_seat_and_a_full_run_puts_you_on_the_waitlist(
    grace_client: Client, publish_run: Callable[..., Offering], ada: m.Participant
) -> None:
    full = publish_run("PBK-FULL", capacity=1)
    Seat.objects.create(offering=full, participant=ada, status=Seat.ENROLLED, queue_number=1,
                        created_by="t", updated_by="t")
    response = grace_client.post("/catalogue/PBK-FULL/enroll/", follow=True)
    assert "you are number 1 on its waitlist" in response.content.decode()
    assert Seat.objects.get(participant__public_id="P-002").status == Seat.WAITLISTED


def test_a_refusal_names_the_rule_and_what_would_satisfy_it_and_writes_nothing(
    grace_client: Client, publish_run: Callable[..., Offering]
) -> None:
    # Grace has NOC credited (so a NOC run is refused as done); COP waits for PBK.
    publish_run("COP-A", "COP")
    entries = AuditEntry.objects.count()
    response = grace_client.post("/catalogue/COP-A/enroll/")
    assert response.status_code == 400
    page = response.content.decode()
    assert "COP needs" in page
    assert "PBK" in page
    assert not Seat.objects.exists()
    assert AuditEntry.objects.count() == entries


def test_a_private_run_is_refused_to_other_organizations(
    grace_client: Client, publish_run: Callable[..., Offering]
) -> None:
    publish_run("PBK-PRIV", private_to="Genome Society")
    response = grace_client.post("/catalogue/PBK-PRIV/enroll/")
    assert response.status_code == 400
    assert "private run for Genome Society" in response.content.decode()


def test_changing_early_is_free_and_the_page_says_so_before_confirming(
    grace_client: Client, publish_run: Callable[..., Offering]
) -> None:
    first, second = publish_run("PBK-A", starts_in=90), publish_run("PBK-B", starts_in=200)
    grace_client.post("/catalogue/PBK-A/enroll/")
    seat = Seat.objects.get(offering=first)
    page = grace_client.get(f"/schedule/{seat.pk}/change/").content.decode()
    assert 'data-quote="free"' in page
    assert "Changes are free until the end of" in page

    response = grace_client.post(f"/schedule/{seat.pk}/change/", {"to": "PBK-B"}, follow=True)
    assert "you moved to PBK-B (free)" in response.content.decode()
    assert Seat.objects.get(offering=second).status == Seat.ENROLLED
    assert Seat.objects.get(offering=first).status == Seat.DROPPED
    entry = AuditEntry.objects.get(action="enrollment.changed")
    assert entry.new_value["fee"] == "0.00"
    assert entry.actor_label == "grace"


def test_changing_late_shows_the_fee_first_and_records_it(
    grace_client: Client, publish_run: Callable[..., Offering]
) -> None:
    publish_run("PBK-SOON", starts_in=20)
    grace_client.post("/catalogue/PBK-SOON/enroll/")
    seat = Seat.objects.get()
    page = grace_client.get(f"/schedule/{seat.pk}/change/").content.decode()
    assert 'data-quote="fee"' in page
    assert "A change fee of USD 100.00 applies" in page
    grace_client.post(f"/schedule/{seat.pk}/change/", {"to": "drop"})
    assert Seat.objects.get().status == Seat.DROPPED
    entry = AuditEntry.objects.get(action="enrollment.withdrawn")
    assert (entry.new_value["fee"], entry.new_value["currency"]) == ("100.00", "USD")


def test_a_change_to_nowhere_valid_says_so_and_keeps_the_seat(
    grace_client: Client, publish_run: Callable[..., Offering]
) -> None:
    publish_run("PBK-A")
    grace_client.post("/catalogue/PBK-A/enroll/")
    seat = Seat.objects.get()
    response = grace_client.post(f"/schedule/{seat.pk}/change/", {"to": "NOPE"})
    assert response.status_code == 400
    assert "Choose another run" in response.content.decode()
    assert Seat.objects.get().status == Seat.ENROLLED


def test_someone_elses_seat_cannot_be_changed(
    grace_client: Client, publish_run: Callable[..., Offering], ada: m.Participant
) -> None:
    offering = publish_run("PBK-A")
    seat = Seat.objects.create(offering=offering, participant=ada, status=Seat.ENROLLED,
                               queue_number=1, created_by="t", updated_by="t")
    assert grace_client.get(f"/schedule/{seat.pk}/change/").status_code == 404


def test_the_calendar_address_serves_enrolled_meetings_until_replaced_or_revoked(
    grace_client: Client, publish_run: Callable[..., Offering]
) -> None:
    publish_run("PBK-A")
    grace_client.post("/catalogue/PBK-A/enroll/")
    grace_client.post("/schedule/calendar/", {"action": "new"})
    token = CalendarFeed.objects.get().token
    feed = Client().get(f"/calendar/{token}.ics")
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("text/calendar")
    body = feed.content.decode()
    assert body.count("BEGIN:VEVENT") == 14  # two meetings a week for seven weeks
    assert "TZID=America/New_York" in body
    assert "BEGIN:VTIMEZONE" in body

    grace_client.post("/schedule/calendar/", {"action": "new"})
    assert Client().get(f"/calendar/{token}.ics").status_code == 404
    new_token = CalendarFeed.objects.get().token
    assert Client().get(f"/calendar/{new_token}.ics").status_code == 200
    grace_client.post("/schedule/calendar/", {"action": "revoke"})
    assert Client().get(f"/calendar/{new_token}.ics").status_code == 404
    assert AuditEntry.objects.filter(action__startswith="calendar.").count() == 3
