"""Registering the times one could attend, and the staff table of that demand."""

from __future__ import annotations

import re
from typing import Any

import pytest

from pathwise.auditlog.models import AuditEntry
from pathwise.enrollment.models import DemandRequest
from pathwise.participants import models as m
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_a_participant_registers_times_in_their_own_zone(ada: m.Participant) -> None:
    client = signed_in("ada", "ada-password-1")
    page = client.get("/demand/").content.decode()
    assert "Europe/London" in page

    response = client.post("/demand/", {"component": "PBK", "days": ["MO", "WE"],
                                        "start": "18:00", "end": "20:00"})

    assert response.status_code == 302
    request = DemandRequest.objects.get()
    assert (request.component, request.days, request.timezone) == (
        "PBK", ["MO", "WE"], "Europe/London")
    assert AuditEntry.objects.filter(action="demand.registered", actor_label="ada").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"component": "PBK", "days": ["MO"], "start": "20:00", "end": "18:00"},
         "“To” must be later than “From”"),
        ({"component": "PBK", "start": "18:00", "end": "20:00"}, "This field is required."),
        ({"component": "NOPE", "days": ["MO"], "start": "18:00", "end": "20:00"},
         "Select a valid choice."),
        ({"component": "PBK", "days": ["XX"], "start": "18:00", "end": "20:00"},
         "Select a valid choice."),
        ({"component": "PBK", "days": ["MO"], "start": "25:00", "end": "20:00"},
         "Enter a valid time."),
    ],
)
def test_a_bad_form_says_what_is_wrong_and_saves_nothing(
    ada: m.Participant, data: dict[str, Any], message: str
) -> None:
    response = signed_in("ada", "ada-password-1").post("/demand/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not DemandRequest.objects.exists()


def test_staff_see_demand_in_utc_and_in_a_chosen_zone(ada: m.Participant, staff: Any) -> None:
    signed_in("ada", "ada-password-1").post(
        "/demand/", {"component": "PBK", "days": ["MO"], "start": "18:00", "end": "20:00"})
    page = signed_in("sam", "staff-password-1").get(
        "/staff/demand/?zone=Asia/Tokyo").content.decode()
    assert 'data-zone="UTC" data-component="PBK"' in page
    assert 'data-zone="Asia/Tokyo" data-component="PBK"' in page
    assert "1 participant told us" in page


def test_an_unknown_zone_is_named_and_utc_shown(staff: Any) -> None:
    response = signed_in("sam", "staff-password-1").get("/staff/demand/?zone=Mars/Base")
    assert response.status_code == 400
    assert "is not a known time zone" in response.content.decode()


def test_participants_cannot_see_the_staff_table(ada: m.Participant) -> None:
    assert signed_in("ada", "ada-password-1").get("/staff/demand/").status_code == 403


def test_one_person_asking_twenty_times_counts_once(ada: m.Participant, grace: m.Participant,
                                                    staff: Any) -> None:
    window = {"component": "PBK", "days": ["MO"], "start": "18:00", "end": "20:00"}
    ada_client = signed_in("ada", "ada-password-1")
    for _ in range(20):
        ada_client.post("/demand/", window)
    signed_in("grace", "grace-password-1").post("/demand/", window)

    page = signed_in("sam", "staff-password-1").get("/staff/demand/").content.decode()
    table = page.split('data-zone="UTC" data-component="PBK"')[1].split("</table>")[0]
    assert sorted(set(re.findall(r'<td class="hot">(\d+)</td>', table))) == ["2"]
    assert "2 participants told us" in page
