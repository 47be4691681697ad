"""Staff catalogue: seats per run, workshops missing in a year, cancelling and moving meetings."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from pathwise.auditlog.log import Actor
from pathwise.auditlog.models import AuditEntry
from pathwise.catalog.actions import publish_offering, sync_programs
from pathwise.catalog.models import Offering, ProgramVersion
from pathwise.core.errors import PathwiseError
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(db: None) -> ProgramVersion:
    sync_programs(Actor("test"))
    return ProgramVersion.objects.get(program_id="cscce-cm", version="2023")


def course(version: ProgramVersion, code: str, **fields: Any) -> Offering:
    values: dict[str, Any] = {
        "component": "CODE", "starts_on": dt.date(2030, 1, 8), "ends_on": dt.date(2030, 2, 26),
        "capacity": 25, "meeting_days": ["TU", "TH"], "meeting_time": dt.time(12),
        "meeting_minutes": 90, "timezone": "America/New_York"}
    values.update(fields)
    return publish_offering(Actor("sam"), version, code, **values)


def staff_client(staff: Any) -> Client:
    client = Client()
    client.force_login(staff)
    return client


def test_a_run_is_never_condensed_or_over_capacity(version: ProgramVersion) -> None:
    with pytest.raises(PathwiseError, match="meets 8 times but CODE has 12 sessions"):
        course(version, "CODE-SHORT", meeting_days=["TU"])
    with pytest.raises(PathwiseError, match="capacity 30 is more than CODE's 25"):
        course(version, "CODE-BIG", capacity=30)


def test_staff_see_workshops_with_no_offering_in_a_year(version: ProgramVersion,
                                                        staff: Any) -> None:
    course(version, "CODE30W")
    publish_offering(Actor("sam"), version, "MW-ROLES-30", component="MW-ROLES",
                     starts_on=dt.date(2030, 3, 6), ends_on=dt.date(2030, 3, 6), capacity=20,
                     meeting_days=["WE"], meeting_time=dt.time(16), meeting_minutes=90,
                     timezone="Europe/London")
    page = staff_client(staff).get("/staff/catalogue/").content.decode()
    assert 'data-offering="CODE30W"' in page
    gap = page.split('data-gap="2030"')[1].split("</li>")[0]
    assert "MW-MEETINGS" in gap
    assert "MW-ROLES" not in gap


def test_staff_cancel_a_meeting_and_move_one_a_week(version: ProgramVersion,
                                                    staff: Any) -> None:
    run = course(version, "CODE30W")
    client = staff_client(staff)
    client.post("/staff/catalogue/CODE30W/meeting/", {"date": "2030-01-10", "action": "cancel"})
    client.post("/staff/catalogue/CODE30W/meeting/", {"date": "2030-01-15", "action": "move"})
    run.refresh_from_db()
    assert run.cancelled == ["2030-01-10"]
    assert run.moved == [{"from": "2030-01-15", "to": "2030-01-22"}]
    assert AuditEntry.objects.filter(action__startswith="offering.meeting_",
                                     actor_label="sam").count() == 2

    response = client.post("/staff/catalogue/CODE30W/meeting/",
                           {"date": "2030-01-11", "action": "cancel"}, follow=True)
    assert "CODE30W has no meeting on 2030-01-11" in response.content.decode()
    response = client.post("/staff/catalogue/CODE30W/meeting/",
                           {"date": "soon", "action": "cancel"}, follow=True)
    assert "is not a date" in response.content.decode()


def test_participants_cannot_open_the_staff_catalogue(ada: Any) -> None:
    client = signed_in("ada", "ada-password-1")
    assert client.get("/staff/catalogue/").status_code == 403
