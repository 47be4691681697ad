"""Someone imported without an intake is placed in one by staff (page, API, command line),
and its orientation run, refused to them before ("ask staff to record it"), opens."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from pathwise.auditlog.log import Actor
from pathwise.auditlog.models import AuditEntry
from pathwise.catalog.models import Intake, Offering
from pathwise.cli import main
from pathwise.enrollment.actions import EnrollmentRefusedError, take_seat
from pathwise.notifications.models import OutboxMessage
from pathwise.participants.models import Enrollment, Participant
from tests.api.conftest import Api, token_for
from tests.builders import make_records_file
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def intake_of(person: Participant) -> str | None:
    enrollment = Enrollment.objects.select_related("intake").get(participant=person)
    return enrollment.intake.code if enrollment.intake else None


def test_staff_place_someone_in_an_open_intake_and_its_orientation_opens_to_them(
        open_intake: Intake, grace: Participant, staff: Any,
        import_files: Callable[..., list[str]]) -> None:
    """Grace has done orientation; Lin, imported today with nothing done, has not."""
    import_files(make_records_file([], participant={
        "id": "P-040", "name": "Lin Chen", "timezone": "Europe/Berlin"},
        enrolled_on=timezone.localdate().isoformat()))
    lin = Participant.objects.get(public_id="P-040")
    orientation = Offering.objects.get(code="ORIENT-NEW27")
    with pytest.raises(EnrollmentRefusedError, match="ask staff to record it"):
        take_seat(lin, orientation, Actor("lin"))
    sam = signed_in("sam", "staff-password-1")
    assert "Place them in an intake" in sam.get("/participants/P-002/").content.decode()
    page = sam.get("/staff/participants/P-002/intake/").content.decode()
    assert "NEW27 (orientation from" in page
    done = sam.post("/staff/participants/P-002/intake/", {"intake": "NEW27"})
    assert done.status_code == 302
    assert intake_of(grace) == "NEW27"
    entry = AuditEntry.objects.get(action="enrollment.intake_set")
    assert (entry.actor_label, entry.old_value, entry.new_value) == (
        "sam", {"intake": None}, {"intake": "NEW27"})
    told = OutboxMessage.objects.get(participant=grace, kind="intake.placed")
    assert "intake NEW27" in told.body
    sam.post("/staff/participants/P-040/intake/", {"intake": "NEW27"})
    assert take_seat(lin, orientation, Actor("lin")).seat.status == "enrolled"
    assert "Place them in an intake" not in sam.get("/participants/P-002/").content.decode()


def test_an_intake_already_begun_is_not_offered_and_is_refused_naming_its_start(
        open_intake: Intake, begun_intake: Intake, grace: Participant, staff: Any) -> None:
    sam = signed_in("sam", "staff-password-1")
    assert "OLD26" not in sam.get("/staff/participants/P-002/intake/").content.decode()
    refused = sam.post("/staff/participants/P-002/intake/", {"intake": "OLD26"})
    assert refused.status_code == 400
    assert "Select a valid choice" in refused.content.decode()
    api = Api(token_for(staff))
    answer = api.post("/api/v1/participants/P-002/intake/", {"intake": "OLD26"})
    assert answer.status_code == 422
    assert "orientation started on" in answer.json()["errors"][0]["message"]
    assert intake_of(grace) is None
    assert not AuditEntry.objects.filter(action="enrollment.intake_set").exists()


def test_only_staff_place_someone(open_intake: Intake, grace: Participant,
                                  grace_client: Client) -> None:
    assert grace_client.get("/staff/participants/P-002/intake/").status_code == 403
    assert grace_client.post("/staff/participants/P-002/intake/",
                             {"intake": "NEW27"}).status_code == 403
    assert intake_of(grace) is None


def test_the_api_places_and_says_what_is_wrong(open_intake: Intake, grace: Participant,
                                               staff: Any) -> None:
    api = Api(token_for(staff))
    placed = api.post("/api/v1/participants/P-002/intake/", {"intake": "NEW27"})
    assert placed.status_code == 200, placed.content
    assert placed.json()["id"] == "P-002"
    again = api.post("/api/v1/participants/P-002/intake/", {"intake": "NEW27"})
    assert again.status_code == 422
    assert "already in intake NEW27" in again.json()["errors"][0]["message"]
    missing = api.post("/api/v1/participants/P-002/intake/", {"intake": "NOPE"})
    assert missing.status_code == 422
    assert "no intake 'NOPE'" in missing.json()["errors"][0]["message"]


def test_the_command_line_places_someone_and_refuses_in_one_line(
        open_intake: Intake, grace: Participant, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["participants", "place", "P-002", "NEW27", "--actor", "ops"]) == 0
    assert '"intake": "NEW27"' in capsys.readouterr().out
    assert intake_of(grace) == "NEW27"
    assert AuditEntry.objects.get(action="enrollment.intake_set").actor_label == "ops"
    assert main(["participants", "place", "P-404", "NEW27"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "no participant 'P-404'" in err
