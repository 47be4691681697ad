"""The participant progress page and the staff list, over real HTTP with the test client."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from pathwise.participants import models as m
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_a_participant_sees_their_requirements_status_and_deadline_in_their_zone(
    ada: m.Participant,
) -> None:
    response = signed_in("ada", "ada-password-1").get("/participants/P-001/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ada Lovelace" in html
    # Every requirement of the program, with its explanation.
    for req_id in ("orientation", "orientation-mini-workshops", "code", "pbk", "elective",
                   "mini-workshops", "skills-share", "lightning-talk", "capstone"):
        assert f'data-requirement="{req_id}"' in html
    assert "1 of 2 completed: MW-CORE-VALUES (Thu 28 Sep 2023); still needed: MW-FEEDBACK." in html
    # Deadline 31 August 2025 at the end of the day in Europe/London (summer time), zone named.
    assert "Sun 31 Aug 2025, 23:59 (Europe/London, BST)" in html
    assert "Times are shown in <strong>Europe/London</strong>" in html
    # Badges earned: CODE passed and NOC credited.
    assert "Content Design" in html
    assert "Nurturing and Stewarding" in html
    # Past the deadline without certifying.
    assert 'data-status="overdue"' in html


def test_home_takes_a_participant_to_their_own_page_and_staff_to_the_list(
    ada: m.Participant, staff: Any
) -> None:
    assert signed_in("ada", "ada-password-1").get("/").url == "/participants/P-001/"
    assert signed_in("sam", "staff-password-1").get("/").url == "/staff/participants/"


def test_a_participant_cannot_see_someone_elses_page(ada: m.Participant,
                                                      grace: m.Participant) -> None:
    response = signed_in("grace", "grace-password-1").get("/participants/P-001/")
    # Not found, as for an id nobody has (tests/web/test_not_found_is_the_same.py).
    assert response.status_code == 404
    assert "Ada" not in response.content.decode()
    assert "nothing at this address that you can see" in response.content.decode()


def test_a_visitor_must_sign_in_first(ada: m.Participant) -> None:
    response = Client().get("/participants/P-001/")
    assert response.status_code == 302
    assert response.url.startswith("/login/")


def test_an_unknown_participant_is_not_found(staff: Any) -> None:
    assert signed_in("sam", "staff-password-1").get("/participants/P-404/").status_code == 404


def test_staff_see_everyone_with_status_deadline_and_what_is_left(
    ada: m.Participant, grace: m.Participant, staff: Any
) -> None:
    response = signed_in("sam", "staff-password-1").get("/staff/participants/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-participant="P-001"' in html
    assert 'data-participant="P-002"' in html
    assert "Sun 31 Aug 2025" in html  # Ada's deadline, written as every date is
    assert "Orientation mini-workshops" in html  # what Ada has left


def test_staff_filter_the_list_by_status(ada: m.Participant, grace: m.Participant,
                                         staff: Any) -> None:
    client = signed_in("sam", "staff-password-1")
    overdue = client.get("/staff/participants/?status=overdue").content.decode()
    assert 'data-participant="P-001"' in overdue
    assert 'data-participant="P-002"' not in overdue
    on_track = client.get("/staff/participants/?status=on_track").content.decode()
    assert 'data-participant="P-002"' in on_track
    assert 'data-participant="P-001"' not in on_track


def test_an_unknown_status_filter_is_named_and_shows_everyone(ada: m.Participant,
                                                              staff: Any) -> None:
    response = signed_in("sam", "staff-password-1").get("/staff/participants/?status=lost")
    assert response.status_code == 400
    assert "Unknown status &#x27;lost&#x27;" in response.content.decode()


def test_participants_cannot_open_the_staff_list(ada: m.Participant) -> None:
    assert signed_in("ada", "ada-password-1").get("/staff/participants/").status_code == 403


def test_the_progress_page_reads_the_enrollment_and_its_records_once(ada: m.Participant) -> None:
    client = signed_in("ada", "ada-password-1")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/participants/P-001/").status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    # The standing, the capstone section and the learning-platform block share one read.
    assert sum('FROM "participants_enrollment"' in s for s in sql) == 1
    assert sum('FROM "participants_completionrecord"' in s for s in sql) == 1
