"""Fees by the program's data, quoted before anything is taken, and stored as charges.

Grace (tests/conftest.py) has one mini-workshop (MW-CORE-VALUES); `with_workshops`
gives her more, so that the next one is the seventh and costs the extra fee.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from pathwise.auditlog.log import Actor
from pathwise.billing.models import Charge
from pathwise.catalog.models import Offering
from pathwise.cli import main
from pathwise.enrollment.actions import take_seat
from pathwise.enrollment.models import Seat
from pathwise.participants import models as m
from tests.builders import ada_file

pytestmark = pytest.mark.django_db

SIX = ["MW-CORE-VALUES", "MW-FEEDBACK", "MW-MEETINGS", "MW-FACILITATION", "MW-ONBOARDING",
       "MW-METRICS"]


@pytest.fixture
def with_workshops(grace: m.Participant, import_files: Callable[..., list[str]]
                   ) -> m.Participant:
    data = ada_file("P-002", "Grace Hopper", enrolled_on="2025-10-01")
    data["records"] = [r for r in data["records"] if not r["component"].startswith("MW-")]
    data["records"] += [{"component": code, "date": "2025-11-01", "outcome": "attended"}
                        for code in SIX]
    import_files(data)
    return grace


def test_a_seventh_workshop_shows_its_fee_and_asks_before_taking_the_seat(
    with_workshops: m.Participant, grace_client: Client, publish_run: Callable[..., Offering],
) -> None:
    publish_run("MW-R", "MW-ROLES", starts_in=30)
    catalogue = grace_client.get("/catalogue/").content.decode()
    assert 'data-fee="150.000"' in catalogue or 'data-fee="150.00"' in catalogue
    assert "this is your 7th mini-workshop and the program fee covers 6" in catalogue

    asked = grace_client.post("/catalogue/MW-R/enroll/")
    assert asked.status_code == 200
    assert "costs USD 150.00" in asked.content.decode()
    assert not Seat.objects.exists()
    assert not Charge.objects.exists()

    done = grace_client.post("/catalogue/MW-R/enroll/", {"accept_fee": "150.00",
                                                          "fee_currency": "USD"}, follow=True)
    assert "You are enrolled in MW-R" in done.content.decode()
    charge = Charge.objects.get()
    assert (charge.kind, charge.amount, charge.currency, charge.offering) == (
        Charge.EXTRA_WORKSHOP, Decimal("150.000"), "USD", "MW-R")
    assert charge.created_by == "grace"


def test_a_fee_other_than_the_one_quoted_is_not_taken(
    with_workshops: m.Participant, grace_client: Client, publish_run: Callable[..., Offering],
) -> None:
    publish_run("MW-R", "MW-ROLES", starts_in=30)
    response = grace_client.post("/catalogue/MW-R/enroll/", {"accept_fee": "1.00",
                                                              "fee_currency": "USD"})
    assert response.status_code == 409
    assert "The fee is not the one you accepted" in response.content.decode()
    assert not Seat.objects.exists()


def test_dropping_a_seventh_workshop_before_it_starts_gives_the_fee_back_and_is_free(
    with_workshops: m.Participant, grace_client: Client, publish_run: Callable[..., Offering],
) -> None:
    run = publish_run("MW-R", "MW-ROLES", starts_in=10)
    from pathwise.core.fees import Money

    seat = take_seat(with_workshops, run, Actor("grace"),
                     accept_fee=Money(Decimal("150"), "USD")).seat
    page = grace_client.get(f"/schedule/{seat.pk}/change/").content.decode()
    assert 'data-quote="free"' in page
    assert "changing or dropping a mini-workshop is always free" in page
    grace_client.post(f"/schedule/{seat.pk}/change/", {"to": "drop"})
    charged, reversal = Charge.objects.order_by("id")
    assert reversal.kind == Charge.REVERSAL
    assert reversal.reverses == charged
    assert reversal.amount == -charged.amount
    assert not Charge.objects.filter(kind=Charge.CHANGE_FEE).exists()


def test_dropping_a_skills_share_is_free_whenever(
    grace: m.Participant, grace_client: Client, publish_run: Callable[..., Offering],
) -> None:
    run = publish_run("QSS-1", "QSS", starts_in=3)
    seat = take_seat(grace, run, Actor("grace")).seat
    page = grace_client.get(f"/schedule/{seat.pk}/change/").content.decode()
    assert "changing or dropping a skills-share is always free" in page
    grace_client.post(f"/schedule/{seat.pk}/change/", {"to": "drop"})
    assert not Charge.objects.exists()


def test_changing_a_course_late_charges_the_change_fee_as_a_charge_row(
    grace: m.Participant, grace_client: Client, publish_run: Callable[..., Offering],
) -> None:
    soon = publish_run("PBK-SOON", "PBK", starts_in=20)
    publish_run("PBK-LATER", "PBK", starts_in=120)
    seat = take_seat(grace, soon, Actor("grace")).seat
    grace_client.post(f"/schedule/{seat.pk}/change/", {"to": "PBK-LATER"})
    charge = Charge.objects.get()
    assert (charge.kind, charge.amount, charge.currency, charge.offering) == (
        Charge.CHANGE_FEE, Decimal("100.000"), "USD", "PBK-SOON")
    assert charge.reason.startswith("changed PBK-SOON to PBK-LATER: a change fee of USD 100.00")


def test_the_cli_names_the_fee_and_enrolls_only_when_it_is_accepted(
    with_workshops: m.Participant, publish_run: Callable[..., Offering], capsys: Any,
) -> None:
    publish_run("MW-R", "MW-ROLES", starts_in=30)
    assert main(["enroll", "P-002", "MW-R"]) == 2
    assert "refused (fee): an extra mini-workshop fee of USD 150.00" in capsys.readouterr().err
    assert main(["enroll", "P-002", "MW-R", "--accept-fee", "abc"]) == 2
    assert "--accept-fee: 'abc' is not an amount" in capsys.readouterr().err
    assert main(["enroll", "P-002", "MW-R", "--accept-fee", "150.00"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "enrolled"
    assert Charge.objects.get().kind == Charge.EXTRA_WORKSHOP


def test_the_plan_shows_each_steps_fee_and_last_free_change_day_and_asks_to_accept(
    grace: m.Participant, import_files: Callable[..., list[str]], grace_client: Client,
    publish_run: Callable[..., Offering],
) -> None:
    # Six workshops, but not MW-FEEDBACK, which orientation requires: the plan's
    # MW-FEEDBACK is her seventh, and costs the extra fee.
    data = ada_file("P-002", "Grace Hopper", enrolled_on="2025-10-01")
    data["records"] = [r for r in data["records"] if not r["component"].startswith("MW-")]
    data["records"] += [{"component": code, "date": "2025-11-01", "outcome": "attended"}
                        for code in [*(c for c in SIX if c != "MW-FEEDBACK"), "MW-ROLES"]]
    import_files(data)
    pbk = publish_run("PBK-A", "PBK", starts_in=60)
    publish_run("MW-R", "MW-FEEDBACK", starts_in=70, meeting_time=dt.time(15))
    page = grace_client.get("/plan/").content.decode()
    free_until = pbk.starts_on - dt.timedelta(days=42)
    assert "Free to change until the end of " in page
    assert f" {free_until.day} " in page
    assert "this is your 7th mini-workshop" in page
    assert "I accept the fees shown above (USD 150.00 in all)" in page

    refused = grace_client.post("/plan/", follow=True).content.decode()
    assert "MW-R: not enrolled — it costs USD 150.00" in refused
    assert "PBK-A: enrolled" in refused
    assert not Seat.objects.filter(offering__code="MW-R").exists()

    accepted = grace_client.post("/plan/", {"accept_fees": "yes"}, follow=True).content.decode()
    assert "MW-R: enrolled" in accepted
    assert Charge.objects.filter(kind=Charge.EXTRA_WORKSHOP, offering="MW-R").count() == 1
