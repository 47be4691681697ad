"""Every URL that names a person or their object answers "not yours" exactly as "no such one",
so nobody can learn which participant ids or seats exist by trying them."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from pathwise.catalog.models import Offering
from pathwise.enrollment.models import Seat
from pathwise.participants import models as m
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def body(response: Any) -> bytes:
    """The page without its CSRF token, which is masked afresh on every render."""
    return CSRF.sub(b"", response.content)


def assert_same_not_found(missing: Any, not_yours: Any) -> None:
    assert missing.status_code == not_yours.status_code == 404
    assert body(missing) == body(not_yours)
    assert dict(missing.headers).keys() == dict(not_yours.headers).keys()


def test_someone_elses_progress_page_is_answered_like_one_that_does_not_exist(
    ada: m.Participant, grace_client: Client
) -> None:
    not_yours = grace_client.get("/participants/P-001/")
    missing = grace_client.get("/participants/P-404/")
    assert_same_not_found(missing, not_yours)
    assert b"Ada" not in not_yours.content


def test_an_account_without_a_participant_cannot_tell_ids_apart_either(
    ada: m.Participant, django_user_model: Any
) -> None:
    django_user_model.objects.create_user("visitor", password="visitor-password-1")
    client = signed_in("visitor", "visitor-password-1")
    assert_same_not_found(client.get("/participants/P-404/"), client.get("/participants/P-001/"))


def test_staff_still_open_anyones_page_and_get_the_same_404_for_a_missing_one(
    ada: m.Participant, staff: Any
) -> None:
    client = signed_in("sam", "staff-password-1")
    assert client.get("/participants/P-001/").status_code == 200
    assert client.get("/participants/P-404/").status_code == 404


@pytest.fixture
def adas_seat(ada: m.Participant, publish_run: Callable[..., Offering]) -> Seat:
    publish_run("PBK-B")
    return Seat.objects.create(offering=publish_run("PBK-A"), participant=ada,
                               status=Seat.ENROLLED, queue_number=1, created_by="t",
                               updated_by="t")


def test_someone_elses_seat_change_page_is_answered_like_a_seat_that_does_not_exist(
    adas_seat: Seat, grace_client: Client
) -> None:
    missing_id = Seat.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1000
    assert_same_not_found(grace_client.get(f"/schedule/{missing_id}/change/"),
                          grace_client.get(f"/schedule/{adas_seat.pk}/change/"))
    assert_same_not_found(
        grace_client.post(f"/schedule/{missing_id}/change/", {"to": "drop"}),
        grace_client.post(f"/schedule/{adas_seat.pk}/change/", {"to": "drop"}))
    adas_seat.refresh_from_db()
    assert adas_seat.status == Seat.ENROLLED


def test_staff_only_urls_refuse_before_looking_anything_up(
    ada: m.Participant, publish_run: Callable[..., Offering]
) -> None:
    """A participant gets the same 403 for a run that exists and one that does not."""
    publish_run("PBK-A")
    client = signed_in("ada", "ada-password-1")
    form = {"action": "cancel", "date": "2030-01-01"}
    existing = client.post("/staff/catalogue/PBK-A/meeting/", form)
    missing = client.post("/staff/catalogue/NO-SUCH/meeting/", form)
    assert existing.status_code == missing.status_code == 403
    assert body(existing) == body(missing)
