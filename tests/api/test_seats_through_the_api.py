"""Seats through the API: quote first, then take with the quoted fee; change; drop.

Grace (P-002, on time) is the participant; the same actions as the pages decide.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from pathwise.auditlog.models import AuditEntry
from pathwise.billing.models import Charge
from pathwise.catalog.models import Offering
from pathwise.enrollment.models import Seat
from pathwise.participants import models as m
from tests.api.conftest import Api
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


def test_a_seventh_workshop_is_quoted_refused_without_the_fee_and_taken_with_it(
    with_workshops: m.Participant, grace_api: Api, publish_run: Callable[..., Offering],
) -> None:
    publish_run("MW-R", "MW-ROLES", starts_in=30)
    quote = grace_api.get("/api/v1/seats/quote/", {"offering": "MW-R"})
    assert quote.status_code == 200
    assert quote.json()["fee"] == {"amount": "150.00", "currency": "USD"}
    assert quote.json()["allowed"] is True
    assert quote.json()["free"] is False

    unpaid = grace_api.post("/api/v1/seats/", {"offering": "MW-R"})
    assert unpaid.status_code == 409
    assert unpaid["Content-Type"] == "application/problem+json"
    problem = unpaid.json()
    assert problem["errors"][0]["field"] == "accept_fee"
    assert problem["errors"][0]["rule"] == "fee-not-accepted"
    assert problem["detail"].startswith("Enrolling costs USD 150.00")
    assert problem["fee"] == {"amount": "150.00", "currency": "USD"}
    assert not Seat.objects.exists()

    wrong = grace_api.post("/api/v1/seats/", {"offering": "MW-R",
                                              "accept_fee": {"amount": "100.00",
                                                             "currency": "USD"}})
    assert wrong.status_code == 409
    assert not Seat.objects.exists()

    taken = grace_api.post("/api/v1/seats/", {"offering": "MW-R",
                                              "accept_fee": quote.json()["fee"]})
    assert taken.status_code == 201, taken.content
    seat = taken.json()
    assert seat["status"] == "enrolled"
    assert seat["participant"] == "P-002"
    assert seat["fee"] == {"amount": "150.00", "currency": "USD"}
    assert Charge.objects.get().amount == 150
    assert AuditEntry.objects.filter(action="enrollment.enrolled", actor_label="grace").exists()


def test_a_refusal_names_the_rule_and_the_pages_sentence(
    ada: m.Participant, ada_api: Api, publish_run: Callable[..., Offering],
) -> None:
    publish_run("PBK9", "PBK", starts_in=60)
    refused = ada_api.post("/api/v1/seats/", {"offering": "PBK9"})
    assert refused.status_code == 422
    problem = refused.json()
    assert problem["errors"] == [{"field": "offering", "rule": "overdue",
                                  "message": problem["detail"]}]
    assert "Your deadline" in problem["detail"]
    assert "has passed" in problem["detail"]


def test_a_full_run_puts_the_taker_on_its_waitlist(
    grace: m.Participant, grace_api: Api, staff_api: Api, ada: m.Participant,
    publish_run: Callable[..., Offering],
) -> None:
    publish_run("QSS9", "QSS", starts_in=20, capacity=1)
    staff_took = staff_api.post("/api/v1/seats/", {"participant": "P-002", "offering": "QSS9"})
    assert staff_took.status_code == 201
    again = grace_api.post("/api/v1/seats/", {"offering": "QSS9"})
    assert again.status_code == 200  # already held: the same seat, nothing new
    assert again.json()["id"] == staff_took.json()["id"]


def test_staff_change_a_seat_after_its_quote_and_drop_the_new_one(
    grace: m.Participant, staff_api: Api, publish_run: Callable[..., Offering],
) -> None:
    publish_run("PBK-A", "PBK", starts_in=120)
    publish_run("PBK-B", "PBK", starts_in=180)
    seat = staff_api.post("/api/v1/seats/", {"participant": "P-002", "offering": "PBK-A"}).json()
    quote = staff_api.get(f"/api/v1/seats/{seat['id']}/change-quote/")
    assert quote.status_code == 200
    assert quote.json()["free"] is True
    assert [a["offering"] for a in quote.json()["alternatives"]] == ["PBK-B"]
    assert dt.datetime.fromisoformat(quote.json()["free_period_ends_at"]).utcoffset() is not None

    changed = staff_api.post(f"/api/v1/seats/{seat['id']}/change/", {"to": "PBK-B"})
    assert changed.status_code == 200, changed.content
    new = changed.json()["seat"]
    assert new["offering"] == "PBK-B"
    assert Seat.objects.get(pk=seat["id"]).status == "dropped"

    dropped = staff_api.post(f"/api/v1/seats/{new['id']}/drop/", {})
    assert dropped.status_code == 200
    assert dropped.json()["seat"] is None
    assert not Seat.objects.filter(status__in=["enrolled", "waitlisted"]).exists()
    gone = staff_api.post(f"/api/v1/seats/{new['id']}/drop/", {})
    assert gone.status_code == 404


def test_a_change_inside_the_fee_period_needs_the_change_fee_sent_back(
    grace: m.Participant, staff_api: Api, publish_run: Callable[..., Offering],
) -> None:
    publish_run("PBK-SOON", "PBK", starts_in=10)
    seat = staff_api.post("/api/v1/seats/",
                          {"participant": "P-002", "offering": "PBK-SOON"}).json()
    quote = staff_api.get(f"/api/v1/seats/{seat['id']}/change-quote/").json()
    assert quote["free"] is False
    refused = staff_api.post(f"/api/v1/seats/{seat['id']}/drop/", {})
    assert refused.status_code == 409
    assert refused.json()["errors"][0]["field"] == "accept_fee"
    assert Seat.objects.get(pk=seat["id"]).status == "enrolled"
    done = staff_api.post(f"/api/v1/seats/{seat['id']}/drop/", {"accept_fee": quote["fee"]})
    assert done.status_code == 200
    assert done.json()["fee"] == quote["fee"]
    assert Charge.objects.filter(kind=Charge.CHANGE_FEE).count() == 1
