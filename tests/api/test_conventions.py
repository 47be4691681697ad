"""The API's conventions: pages, conditional reads, idempotent writes, problems, money, times."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils.http import http_date

from pathwise.catalog.models import Offering
from pathwise.enrollment.models import DemandRequest, Seat
from pathwise.participants import models as m
from tests.api.conftest import Api, token_for
from tests.builders import ada_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def runs(publish_run: Callable[..., Offering]) -> list[Offering]:
    return [publish_run(f"QSS-{n}", "QSS", starts_in=10 + n) for n in range(5)]


def test_lists_come_in_pages_with_count_next_and_previous(runs: list[Offering],
                                                           staff_api: Api) -> None:
    first = staff_api.get("/api/v1/offerings/", {"page_size": 2}).json()
    assert set(first) == {"count", "next", "previous", "results"}
    assert first["count"] == 5
    assert len(first["results"]) == 2
    assert first["previous"] is None
    assert "page=2" in first["next"]
    last = staff_api.get("/api/v1/offerings/", {"page_size": 2, "page": 3}).json()
    assert last["next"] is None
    assert [r["code"] for r in last["results"]] == ["QSS-4"]
    beyond = staff_api.get("/api/v1/offerings/", {"page": 9})
    assert beyond.status_code == 404
    assert beyond["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("path", ["/api/v1/offerings/", "/api/v1/seats/",
                                  "/api/v1/participants/", "/api/v1/audit-entries/"])
def test_a_polled_list_answers_304_to_its_own_etag_until_it_changes(
    path: str, runs: list[Offering], grace: m.Participant, staff_api: Api,
    import_files: Callable[..., list[str]],
) -> None:
    first = staff_api.get(path)
    etag = first["ETag"]
    assert first.status_code == 200
    assert etag.startswith('"')
    same = staff_api.get(path, **{"If-None-Match": etag})
    assert same.status_code == 304
    assert same.content == b""
    assert same["ETag"] == etag
    if path == "/api/v1/participants/":
        import_files(ada_file("P-002", "Grace Brewster Hopper", enrolled_on="2025-10-01"))
    else:
        staff_api.post("/api/v1/seats/", {"participant": "P-002", "offering": "QSS-0"})
    changed = staff_api.get(path, **{"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_a_polled_list_answers_304_to_if_modified_since_its_last_modified(
    runs: list[Offering], staff_api: Api,
) -> None:
    first = staff_api.get("/api/v1/offerings/")
    stamp = first["Last-Modified"]
    assert staff_api.get("/api/v1/offerings/", **{"If-Modified-Since": stamp}).status_code == 304
    earlier = http_date(dt.datetime.fromisoformat("2001-01-01T00:00:00+00:00").timestamp())
    assert staff_api.get("/api/v1/offerings/",
                         **{"If-Modified-Since": earlier}).status_code == 200


def test_the_same_idempotency_key_and_body_replays_the_first_response(
    runs: list[Offering], grace: m.Participant, grace_api: Api,
) -> None:
    body = {"component": "PBK", "days": ["MO"], "start": "18:00", "end": "20:00"}
    first = grace_api.post("/api/v1/demand-requests/", body, **{"Idempotency-Key": "k-1"})
    again = grace_api.post("/api/v1/demand-requests/", body, **{"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert DemandRequest.objects.count() == 1

    other = grace_api.post("/api/v1/demand-requests/", {**body, "days": ["TU"]},
                           **{"Idempotency-Key": "k-1"})
    assert other.status_code == 422
    assert other.json()["errors"][0] == {
        "field": "Idempotency-Key", "rule": "idempotency-key-reused",
        "message": other.json()["errors"][0]["message"]}
    assert DemandRequest.objects.count() == 1
    fresh = grace_api.post("/api/v1/demand-requests/", body, **{"Idempotency-Key": "k-2"})
    assert fresh.status_code == 201
    assert DemandRequest.objects.count() == 2


def test_keys_of_different_tokens_never_meet(runs: list[Offering], grace: m.Participant,
                                             grace_api: Api) -> None:
    other = Api(token_for(grace.user))
    body = {"offering": "QSS-1"}
    grace_api.post("/api/v1/seats/", body, **{"Idempotency-Key": "same"})
    second = other.post("/api/v1/seats/", {"offering": "QSS-2"}, **{"Idempotency-Key": "same"})
    assert second.status_code == 201
    assert Seat.objects.filter(participant=grace).count() == 2


def test_a_bad_field_is_a_problem_naming_the_field_and_the_rule(grace: m.Participant,
                                                                grace_api: Api) -> None:
    bad = grace_api.post("/api/v1/seats/", {"offering": "../etc"})
    assert bad.status_code == 400
    assert bad["Content-Type"] == "application/problem+json"
    problem = bad.json()
    assert {"type", "title", "status", "detail", "errors"} <= set(problem)
    assert problem["errors"][0]["field"] == "offering"
    assert problem["errors"][0]["rule"] == "identifier"
    assert "is not an identifier" in problem["errors"][0]["message"]

    missing = grace_api.post("/api/v1/seats/", {})
    assert missing.json()["errors"] == [{"field": "offering", "rule": "required",
                                         "message": "This field is required."}]
    window = grace_api.post("/api/v1/demand-requests/", {
        "component": "PBK", "days": ["MO"], "start": "20:00", "end": "18:00"})
    assert window.json()["errors"][0]["field"] == "end"
    assert (window.json()["errors"][0]["message"]
            == "“To” must be later than “From” on the same day.")


def test_money_is_a_decimal_string_with_its_currency(
    grace: m.Participant, grace_api: Api, publish_run: Callable[..., Offering],
) -> None:
    publish_run("PBK-M", "PBK", starts_in=60)
    fee = grace_api.get("/api/v1/seats/quote/", {"offering": "PBK-M"}).json()["fee"]
    assert fee == {"amount": "0.00", "currency": "USD"}


def test_times_are_iso_8601_with_the_viewers_offset(
    grace: m.Participant, grace_api: Api, staff_api: Api, publish_run: Callable[..., Offering],
) -> None:
    publish_run("PBK-T", "PBK", starts_in=60)
    mine = grace_api.get("/api/v1/offerings/PBK-T/").json()
    assert mine["timezone"] == grace.timezone
    start = dt.datetime.fromisoformat(mine["meetings"][0]["starts_at"])
    assert start.utcoffset() is not None
    tokyo = staff_api.get("/api/v1/offerings/PBK-T/", {"tz": "Asia/Tokyo"}).json()
    assert tokyo["meetings"][0]["starts_at"].endswith("+09:00")
    assert dt.datetime.fromisoformat(tokyo["meetings"][0]["starts_at"]) == start
    bad = staff_api.get("/api/v1/offerings/PBK-T/", {"tz": "Mars/Base"})
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "tz"
