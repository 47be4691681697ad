"""Who may see and act on a run: staff on all, an instructor on their own, nobody else."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from pathwise.runs.models import Attendance, Grade
from tests.conftest import signed_in
from tests.runs.conftest import Runs, started_run

pytestmark = pytest.mark.django_db

#: Who asks, and what each one gets for run A's pages: 200 (shown) or the refusal.
EXPECTED = {"anonymous": 302, "participant": 403, "instructor of A": 200,
            "instructor of B": 404, "staff": 200}


def client_for(role: str, runs: Runs, staff: Any) -> Client:
    return {
        "anonymous": Client,
        "participant": lambda: signed_in("grace", "grace-password-1"),
        "instructor of A": lambda: signed_in("ina", "ina-password-1"),
        "instructor of B": lambda: signed_in("ben", "ben-password-1"),
        "staff": lambda: signed_in("sam", "staff-password-1"),
    }[role]()


def pages(runs: Runs) -> dict[str, str]:
    day = runs.held_days()[0].isoformat()
    return {"roster": "/runs/PBK-A/", "roster CSV": "/runs/PBK-A/roster.csv",
            "register": f"/runs/PBK-A/meetings/{day}/", "grading": "/runs/PBK-A/grades/"}


@pytest.mark.parametrize("role", EXPECTED)
def test_each_role_sees_run_a_pages_only_as_allowed(role: str, runs: Runs, staff: Any) -> None:
    client = client_for(role, runs, staff)
    for name, url in pages(runs).items():
        assert client.get(url).status_code == EXPECTED[role], (role, name)


@pytest.mark.parametrize("role", EXPECTED)
def test_each_role_can_save_run_a_register_and_grades_only_as_allowed(
        role: str, runs: Runs, staff: Any) -> None:
    client = client_for(role, runs, staff)
    day = runs.held_days()[0].isoformat()
    saved = client.post(f"/runs/PBK-A/meetings/{day}/", {"present": ["P-002"]})
    graded = client.post("/runs/PBK-A/grades/", {
        "participant": "P-002", "assessment": "final-deliverable", "result": "passed",
        "feedback": "Clear and useful."})
    allowed = EXPECTED[role] == 200
    assert saved.status_code == (302 if allowed else EXPECTED[role])
    assert graded.status_code == (302 if allowed else EXPECTED[role])
    assert Attendance.objects.filter(offering=runs.a).exists() is allowed
    assert Grade.objects.filter(offering=runs.a).exists() is allowed


@pytest.mark.parametrize("role", ["participant", "instructor of A", "instructor of B"])
def test_only_staff_change_seats_instructors_and_outcomes(role: str, runs: Runs,
                                                          staff: Any) -> None:
    client = client_for(role, runs, staff)
    assert client.post("/runs/PBK-A/instructors/", {"username": "ben"}).status_code == 403
    assert client.post("/runs/PBK-A/seats/", {"action": "drop", "seat": "1"}).status_code \
        == 403
    assert client.get("/runs/PBK-A/outcomes/").status_code == 403
    assert client.post("/runs/PBK-A/outcomes/final/").status_code == 403
    assert runs.a.instructors.count() == 1
    assert runs.a.seats.filter(status="enrolled").count() == 2


def test_an_instructor_lists_only_the_runs_they_teach(ina: Client, runs: Runs) -> None:
    page = ina.get("/runs/?when=all").content.decode()
    assert 'data-run="PBK-A"' in page
    assert 'data-run="PBK-B"' not in page


def test_staff_list_every_run_those_in_progress_before_those_that_started_earlier(
        staff_client: Client, runs: Runs, publish_run: Any) -> None:
    started_run(publish_run, "PBK-OLD", days_ago=200)
    page = staff_client.get("/runs/?when=all").content.decode()
    assert page.index('data-run="PBK-A"') < page.index('data-run="PBK-OLD"')
    assert page.index('data-run="PBK-B"') < page.index('data-run="PBK-OLD"')
    assert 'data-run="PBK-OLD"' not in staff_client.get("/runs/").content.decode()


def test_a_run_that_ended_a_fortnight_ago_is_still_listed_first_thing_for_its_grading(
        staff_client: Client, runs: Runs, publish_run: Any) -> None:
    ended = started_run(publish_run, "PBK-DONE", days_ago=48 + 14)
    assert ended.ends_on < timezone.now().date()
    assert 'data-run="PBK-DONE"' in staff_client.get("/runs/").content.decode()


def test_staff_name_an_instructor_on_the_run_page(staff_client: Client, runs: Runs) -> None:
    response = staff_client.post("/runs/PBK-B/instructors/", {"username": "ina"})
    assert response.status_code == 302
    ina = signed_in("ina", "ina-password-1")
    assert ina.get("/runs/PBK-B/").status_code == 200
    staff_client.post("/runs/PBK-B/instructors/", {"username": "ina", "action": "remove"})
    assert ina.get("/runs/PBK-B/").status_code == 404


def test_naming_an_account_that_does_not_exist_says_so(staff_client: Client,
                                                       runs: Runs) -> None:
    response = staff_client.post("/runs/PBK-B/instructors/", {"username": "nobody"},
                                 follow=True)
    assert "no account is called &#x27;nobody&#x27;" in response.content.decode()


@pytest.mark.parametrize(("role", "lands_on"), [
    ("instructor of A", "/runs/"), ("participant", "/participants/P-002/"),
    ("staff", "/staff/participants/")])
def test_signing_in_lands_each_role_on_its_own_work(role: str, lands_on: str, runs: Runs,
                                                    staff: Any) -> None:
    response = client_for(role, runs, staff).get("/")
    assert response.status_code == 302
    assert response["Location"] == lands_on
