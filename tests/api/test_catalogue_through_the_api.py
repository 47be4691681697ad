"""Staff manage the catalogue through the API: runs created, changed, published and
unpublished, intakes opened and moved, offerings files imported and exported."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from pathwise.auditlog.log import Actor
from pathwise.catalog.models import Intake, Offering
from pathwise.enrollment.actions import take_seat
from pathwise.participants import models as m
from tests.api.conftest import Api

pytestmark = pytest.mark.django_db


def pbk(code: str = "PBK-API", **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "code": code, "program": "cscce-cm", "program_version": "2023", "component": "PBK",
        "starts_on": "2031-01-07", "ends_on": "2031-02-20", "capacity": 25,
        "meetings": {"days": ["TU", "TH"], "time": "12:00", "minutes": 90,
                     "timezone": "America/New_York"}}
    body.update(changes)
    return body


@pytest.fixture
def synced(publish_run: Callable[..., Offering]) -> None:
    """The programs loaded (publish_run syncs them)."""


def test_staff_create_a_run_unpublished_then_publish_it(
        synced: None, staff_api: Api, grace_api: Api) -> None:
    created = staff_api.post("/api/v1/offerings/", pbk(meeting_link="https://meet.example.org/p"))
    assert created.status_code == 201, created.content
    assert created.json()["published"] is False
    assert created.json()["meeting_link"] == "https://meet.example.org/p"
    assert grace_api.get("/api/v1/offerings/PBK-API/").status_code == 404
    published = staff_api.post("/api/v1/offerings/PBK-API/publish/")
    assert published.status_code == 200
    assert published.json()["published"] is True
    seen = grace_api.get("/api/v1/offerings/PBK-API/").json()
    assert seen["meeting_link"] is None
    again = staff_api.post("/api/v1/offerings/", pbk())
    assert again.status_code == 409


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"meetings": {"days": ["TU"], "time": "12:00", "minutes": 90,
                   "timezone": "America/New_York"}}, "meetings", "runs are never condensed"),
    ({"capacity": 26}, "capacity", "capacity 26 is more than PBK's 25"),
    ({"code": "no good"}, "code", "is not an identifier"),
    ({"meetings": {"days": ["TU", "TH"], "time": "12:00", "minutes": 90,
                   "timezone": "Nowhere/Atall"}}, "meetings.timezone", "not a known IANA"),
    ({"intake": "NOPE"}, "intake", "no intake 'NOPE'"),
    ({"program_version": "1999"}, "program_version", "no program 'cscce-cm' version '1999'"),
])
def test_a_bad_run_is_a_problem_naming_the_field_and_nothing_is_created(
        synced: None, staff_api: Api, changes: dict[str, Any], field: str,
        message: str) -> None:
    response = staff_api.post("/api/v1/offerings/", pbk(**changes))
    assert response.status_code in (400, 422), response.content
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["errors"][0]["field"] == field
    assert message in problem["detail"]
    assert not Offering.objects.filter(code__in=["PBK-API", "no good"]).exists()


@pytest.fixture
def held(publish_run: Callable[..., Offering], grace: m.Participant) -> Offering:
    run = publish_run("PBK-HELD", starts_in=100)
    take_seat(grace, run, Actor("test"))
    return run


def test_patch_changes_a_run_within_its_seats(held: Offering, staff_api: Api) -> None:
    ok = staff_api.call("PATCH", "/api/v1/offerings/PBK-HELD/", {"capacity": 20})
    assert ok.status_code == 200, ok.content
    assert ok.json()["capacity"] == 20
    moved = staff_api.call("PATCH", "/api/v1/offerings/PBK-HELD/",
                           {"starts_on": (held.starts_on + dt.timedelta(7)).isoformat()})
    assert moved.status_code == 422
    assert moved.json()["errors"][0]["field"] == "starts_on"
    assert "dates and meetings stay as they are" in moved.json()["detail"]
    shrink = staff_api.call("PATCH", "/api/v1/offerings/PBK-HELD/", {"capacity": 0})
    assert shrink.status_code == 400
    unpublish = staff_api.post("/api/v1/offerings/PBK-HELD/unpublish/")
    assert unpublish.status_code == 409
    row = Offering.objects.get(pk=held.pk)
    assert (row.starts_on, row.capacity, row.published) == (held.starts_on, 20, True)


def test_a_meeting_moves_to_any_day_through_the_api(held: Offering, staff_api: Api) -> None:
    to = held.starts_on + dt.timedelta(days=1)
    response = staff_api.post("/api/v1/offerings/PBK-HELD/move-meeting/",
                              {"date": held.starts_on.isoformat(), "to": to.isoformat()})
    assert response.status_code == 200, response.content
    assert response.json()["moved"] == [{"from": held.starts_on.isoformat(),
                                         "to": to.isoformat()}]
    bad = staff_api.post("/api/v1/offerings/PBK-HELD/move-meeting/",
                         {"date": "2001-01-01", "to": to.isoformat()})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "date"


def test_staff_open_and_move_an_intake(synced: None, staff_api: Api) -> None:
    body = {"code": "CERT-API", "program": "cscce-cm", "program_version": "2023",
            "starts_on": "2031-03-03", "time": "11:00", "minutes": 90,
            "timezone": "America/New_York", "capacity": 20}
    created = staff_api.post("/api/v1/intakes/", body)
    assert created.status_code == 201, created.content
    assert Offering.objects.filter(intake__code="CERT-API").count() == 3
    assert staff_api.post("/api/v1/intakes/", body).status_code == 422
    moved = staff_api.call("PATCH", "/api/v1/intakes/CERT-API/", {"starts_on": "2031-03-10"})
    assert moved.status_code == 200
    assert moved.json()["starts_on"] == "2031-03-10"
    assert Offering.objects.get(code="ORIENT-CERT-API").starts_on == dt.date(2031, 3, 10)
    bad = staff_api.post("/api/v1/intakes/", {**body, "code": "CERT-Z", "minutes": 30})
    assert bad.status_code == 422
    assert "90 to 120 minutes" in bad.json()["detail"]
    assert not Intake.objects.filter(code="CERT-Z").exists()


def test_import_and_export_through_the_api(held: Offering, staff_api: Api) -> None:
    exported = staff_api.get("/api/v1/offerings/export/")
    assert exported.status_code == 200
    document = exported.json()
    assert [o["id"] for o in document["offerings"]] == ["PBK-HELD"]
    document["offerings"].append({**document["offerings"][0], "id": "PBK-NEXT",
                                  "seats_left": None})
    dry = staff_api.post("/api/v1/offerings/import/?dry_run=true", document)
    assert dry.status_code == 200, dry.content
    assert (dry.json()["new"], dry.json()["unchanged"]) == (1, 1)
    assert not Offering.objects.filter(code="PBK-NEXT").exists()
    done = staff_api.post("/api/v1/offerings/import/", document)
    assert done.status_code == 200
    assert Offering.objects.filter(code="PBK-NEXT").exists()

    document["offerings"][0]["capacity"] = 0
    document["offerings"][1]["capacity"] = 99
    refused = staff_api.post("/api/v1/offerings/import/", document)
    assert refused.status_code == 422
    fields = [e["field"] for e in refused.json()["errors"]]
    assert fields == ["offerings[0].capacity"]
    assert Offering.objects.get(code="PBK-NEXT").capacity == 25
    assert staff_api.post("/api/v1/offerings/import/?dry_run=maybe", document).status_code == 400


def test_the_export_takes_the_program_version_and_refuses_an_unknown_one(
        held: Offering, staff_api: Api) -> None:
    exported = staff_api.get("/api/v1/offerings/export/?program_version=cscce-cm/2023")
    assert exported.status_code == 200
    assert exported.json()["program_version"] == "2023"
    assert [o["id"] for o in exported.json()["offerings"]] == ["PBK-HELD"]
    empty = staff_api.get("/api/v1/offerings/export/?program_version=cscce-cm/2025")
    assert empty.json()["offerings"] == []
    bad = staff_api.get("/api/v1/offerings/export/?program_version=nope")
    assert bad.status_code == 400
    assert bad.json()["errors"] == [{
        "field": "program_version", "rule": "program-version",
        "message": "no 'nope' is loaded (give it as PROGRAM/VERSION, e.g. cscce-cm/2023)"}]
