"""A run's roster: who is on it and what they still need, its meetings, and staff's seat changes."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from django.test import Client

from pathwise.auditlog.models import AuditEntry
from pathwise.billing.models import Charge
from pathwise.catalog.models import Offering
from pathwise.enrollment.models import Seat
from tests.builders import ada_file
from tests.runs.conftest import Runs

pytestmark = pytest.mark.django_db


def test_the_roster_lists_names_zones_emails_and_what_each_still_needs(
        ina: Client, runs: Runs) -> None:
    page = ina.get("/runs/PBK-A/").content.decode()
    assert "Grace Hopper" in page
    assert "p-002@example.org" in page
    assert "Europe/London" in page
    # From the stored standing: Grace still needs the workshops and the skills shares.
    assert "Mini-workshops" in page or "mini-workshops" in page.lower()
    assert "Drop Grace Hopper" not in page  # an instructor changes no seats


def test_the_roster_shows_actual_meetings_with_a_cancellation_applied(
        staff_client: Client, runs: Runs) -> None:
    from pathwise.auditlog.log import Actor
    from pathwise.catalog.actions import cancel_meeting

    day = runs.held_days()[0]
    cancel_meeting(Actor("staff"), runs.a, day)
    runs.a.refresh_from_db()
    page = staff_client.get("/runs/PBK-A/").content.decode()
    assert f'data-meeting="{day.isoformat()}"' not in page
    assert f'data-meeting="{runs.held_days()[0].isoformat()}"' in page


def test_the_roster_downloads_as_csv_with_a_safe_name(ina: Client, runs: Runs) -> None:
    response = ina.get("/runs/PBK-A/roster.csv")
    assert response["Content-Disposition"] == 'attachment; filename="roster-PBK-A.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["participant", "name", "email", "timezone"]
    assert [r[0] for r in rows[1:]] == ["P-002", "P-003"]


def test_staff_drop_someone_and_the_first_waiting_gets_the_seat(
        staff_client: Client, runs: Runs, import_files: Callable[..., list[str]],
        publish_run: Callable[..., Offering]) -> None:
    full = publish_run("PBK-FULL", "PBK", capacity=1)
    import_files(ada_file("P-004", "Dorothy Hodgkin", enrolled_on="2025-10-01"),
                 ada_file("P-005", "Lise Meitner", enrolled_on="2025-10-01"))
    for pid in ("P-004", "P-005"):
        staff_client.post("/runs/PBK-FULL/seats/", {"action": "enroll", "participant": pid})
    assert dict(full.seats.values_list("participant__public_id", "status")) == {
        "P-004": "enrolled", "P-005": "waitlisted"}
    first = full.seats.get(participant__public_id="P-004")
    staff_client.post("/runs/PBK-FULL/seats/", {"action": "drop", "seat": first.pk})
    assert full.seats.get(participant__public_id="P-005").status == "enrolled"


def test_staff_promote_a_waitlisted_person_by_hand_when_a_seat_is_free(
        staff_client: Client, runs: Runs, import_files: Callable[..., list[str]],
        publish_run: Callable[..., Offering]) -> None:
    full = publish_run("PBK-FULL", "PBK", capacity=1)
    import_files(ada_file("P-004", "Dorothy Hodgkin", enrolled_on="2025-10-01"),
                 ada_file("P-005", "Lise Meitner", enrolled_on="2025-10-01"))
    for pid in ("P-004", "P-005"):
        staff_client.post("/runs/PBK-FULL/seats/", {"action": "enroll", "participant": pid})
    waiting = full.seats.get(participant__public_id="P-005")
    refused = staff_client.post("/runs/PBK-FULL/seats/", {"action": "promote",
                                                          "seat": waiting.pk}, follow=True)
    assert "PBK-FULL is full (1 seats)" in refused.content.decode()
    Offering.objects.filter(pk=full.pk).update(capacity=2)
    staff_client.post("/runs/PBK-FULL/seats/", {"action": "promote", "seat": waiting.pk})
    waiting.refresh_from_db()
    assert waiting.status == Seat.ENROLLED
    assert AuditEntry.objects.get(action="enrollment.promoted").new_value["by_hand"] is True


def test_staff_move_someone_to_another_run_and_may_waive_the_fee_with_a_reason(
        staff_client: Client, runs: Runs, publish_run: Callable[..., Offering]) -> None:
    soon = publish_run("PBK-SOON", "PBK", starts_in=10)
    later = publish_run("PBK-LATER", "PBK", starts_in=20)
    Seat.objects.filter(offering=runs.a, participant__public_id="P-002").update(
        status="dropped")
    staff_client.post("/runs/PBK-SOON/seats/", {"action": "enroll", "participant": "P-002"})
    seat = soon.seats.get(participant__public_id="P-002")
    response = staff_client.post("/runs/PBK-SOON/seats/", {
        "action": "move", "seat": seat.pk, "to": "PBK-LATER",
        "waive": "moved at staff's request"}, follow=True)
    assert "waived: moved at staff&#x27;s request" in response.content.decode()
    assert later.seats.get(participant__public_id="P-002").status == "enrolled"
    assert not Charge.objects.filter(kind=Charge.CHANGE_FEE).exists()
    entry = AuditEntry.objects.get(action="enrollment.changed")
    assert entry.new_value["waived"] == "moved at staff's request"


def test_enrolling_an_unknown_participant_says_so_and_changes_nothing(
        staff_client: Client, runs: Runs, publish_run: Callable[..., Offering]) -> None:
    run = publish_run("PBK-SOON", "PBK", starts_in=10)
    response = staff_client.post("/runs/PBK-SOON/seats/", {"action": "enroll",
                                                           "participant": "P-404"},
                                 follow=True)
    assert "nobody has the participant id &#x27;P-404&#x27;" in response.content.decode()
    assert not run.seats.exists()


def test_an_instructor_cannot_drop_anyone_from_their_own_run(ina: Client, runs: Runs) -> None:
    seat = runs.a.seats.first()
    assert seat is not None
    assert ina.post("/runs/PBK-A/seats/", {"action": "drop", "seat": seat.pk}).status_code \
        == 403
