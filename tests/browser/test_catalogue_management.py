"""In a real browser: staff open an intake and publish a term of runs, one by the form and
the rest by an offerings file previewed first; a participant then finds them in their
catalogue."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.utils import timezone

from pathwise.auditlog.log import Actor
from pathwise.catalog.actions import sync_programs
from pathwise.catalog.models import Intake, Offering
from pathwise.participants import models as m
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _weekday(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def test_staff_open_an_intake_and_a_term_of_runs_that_a_participant_then_sees(
    page: Any, live_server: Any, grace: m.Participant, staff: Any,
) -> None:
    sync_programs(Actor("test"))
    today = timezone.now().date()
    monday = _weekday(today + dt.timedelta(days=60), 0)
    thursday = _weekday(today + dt.timedelta(days=70), 3)
    wednesday = _weekday(today + dt.timedelta(days=80), 2)

    sign_in(page, live_server.url, "sam", "staff-password-1")
    page.goto(f"{live_server.url}/staff/catalogue/")
    page.get_by_role("link", name="New intake").click()
    page.get_by_label("Code").fill("CERT-BR")
    page.get_by_label("Starts on (the live orientation meeting)").fill(monday.isoformat())
    page.get_by_label("Time zone").fill("Europe/London")
    page.get_by_role("button", name="Open the intake").click()
    assert "Intake CERT-BR is open, with its 3 orientation runs" in page.inner_text("main")
    assert Intake.objects.filter(code="CERT-BR").exists()

    page.get_by_role("link", name="New run").click()
    page.get_by_label("Code").fill("QSS-BR")
    page.get_by_label("Component").select_option(label="Quarterly Skills Share (QSS)")
    page.get_by_label("First day").fill(thursday.isoformat())
    page.get_by_label("Last day").fill(thursday.isoformat())
    page.get_by_label("Thursday").check()
    page.get_by_label("At", exact=True).fill("16:00")
    page.get_by_label("Minutes each").fill("90")
    page.get_by_label("Seats", exact=True).fill("60")
    page.get_by_role("button", name="Save the run").click()
    assert "QSS-BR is saved (not published yet)" in page.inner_text("main")
    page.get_by_role("link", name="Publish", exact=True).click()
    page.get_by_role("button", name="Publish QSS-BR").click()
    assert "QSS-BR is published" in page.inner_text("main")

    term = {"program": "cscce-cm", "program_version": "2023", "offerings": [
        {"id": "MW-ROLES-BR", "component": "MW-ROLES", "starts_on": wednesday.isoformat(),
         "ends_on": wednesday.isoformat(), "capacity": 20,
         "meetings": {"days": ["WE"], "time": "15:00", "minutes": 120,
                      "timezone": "Europe/London"}}]}
    page.goto(f"{live_server.url}/staff/catalogue/")
    page.get_by_role("link", name="Import an offerings file").click()
    page.get_by_label("Offerings file (JSON)").set_input_files(
        {"name": "term.json", "mimeType": "application/json",
         "buffer": json.dumps(term).encode()})
    page.get_by_role("button", name="Preview").click()
    preview = page.inner_text("main")
    assert "1 new, 0 changed, 0 unchanged" in preview
    assert "What the term leaves out" in preview
    assert not Offering.objects.filter(code="MW-ROLES-BR").exists()
    page.get_by_role("button", name="Import term.json").click()
    assert "term.json is imported: 1 new" in page.inner_text("main")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server.url, "grace", "grace-password-1")
    page.goto(f"{live_server.url}/catalogue/?show=all")
    catalogue = page.inner_text("main")
    assert "QSS-BR" in catalogue
    assert "MW-ROLES-BR" in catalogue
