"""Polled pages: the calendar feed and a status list, against a trivial view in the same server.

Calendar apps poll a feed, verifiers poll status lists. Builds a throwaway SQLite
database with one participant enrolled in three course runs (42 meetings) and a
calendar address, and a signing key with 200 revoked entries on its status
list; then asks, in turn, through Django's own request handling and without
signing in, for a trivial view that answers "ok", for the feed (fresh, and
with the ETag of the last answer: 304), for the status list (fresh, and with
its ETag: 304) and, for contrast, for a list signed on every request (as it
used to be). Median and p95 of each.

    .venv/bin/python bench/polling.py [--requests N]

Last line: `ratio: X` = the larger of the p95s of the two 304 answers / the
trivial view's p95.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time

import throwaway  # noqa: F401  (Django on a throwaway database, before its imports)
from django.core.management import call_command
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.test import Client, override_settings
from django.urls import include, path
from django.utils import timezone

from pathwise.auditlog.log import Actor
from pathwise.catalog.actions import sync_programs
from pathwise.catalog.models import Offering, ProgramVersion
from pathwise.core.credentials.issuer import sign_status_list
from pathwise.core.credentials.statuslist import StatusList
from pathwise.credentials.actions import issuer_settings, key_store
from pathwise.credentials.models import Credential, SignedCopy
from pathwise.enrollment.models import CalendarFeed, Seat
from pathwise.participants.models import Enrollment, Participant

REVOKED = 200


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def signed_each_time(request: HttpRequest) -> HttpResponse:
    key = key_store().current()
    status = StatusList.with_revoked(range(0, 2 * REVOKED, 2))
    return JsonResponse(sign_status_list(status, key=key, settings=issuer_settings(),
                                         created=timezone.now()))


urlpatterns = [path("bench/trivial/", trivial), path("bench/signed/", signed_each_time),
               path("", include("pathwise.site.urls"))]


def fill() -> tuple[str, str]:
    """The data (written directly: this is not what is measured); the two URLs polled."""
    version = ProgramVersion.objects.get(program_id="cscce-cm", version="2023")
    person = Participant.objects.create(public_id="P-1", name="Ada Lovelace",
                                        timezone="Europe/London", updated_by="bench")
    Enrollment.objects.create(participant=person, program_version=version,
                              enrolled_on=dt.date(2025, 10, 1), updated_by="bench")
    for n, code in enumerate(["CODE", "PBK", "NOC"]):
        offering = Offering.objects.create(
            code=f"{code}-B", program_version=version, component=code,
            starts_on=dt.date(2026, 1, 6) + dt.timedelta(weeks=8 * n),
            ends_on=dt.date(2026, 2, 19) + dt.timedelta(weeks=8 * n), capacity=25,
            meeting_days=["TU", "TH"], meeting_time=dt.time(12), meeting_minutes=90,
            timezone="America/New_York")
        Seat.objects.create(offering=offering, participant=person, status=Seat.ENROLLED,
                            queue_number=1, created_by="bench", updated_by="bench")
    feed = CalendarFeed.objects.create(participant=person, token="bench-feed",  # noqa: S106
                                       updated_by="bench")
    key = key_store().current()
    now = timezone.now()
    for index in range(2 * REVOKED):
        credential = Credential.objects.create(
            participant=person, achievement=f"A{index}", earned_on=dt.date(2026, 1, 1),
            issued_at=now,
            revoked_at=now if index % 2 == 0 else None, revoked_by="bench",
            issued_by="bench")
        SignedCopy.objects.create(credential=credential, signed_with=key.public_multikey,
                                  status_index=index, signed_at=now, signed_by="bench",
                                  document="{}")
    return f"/calendar/{feed.token}.ics", f"/credentials/status/{key.public_multikey}"


def timed(client: Client, url: str, etag: str | None = None, status: int = 200) -> float:
    headers = {"if-none-match": etag} if etag else {}
    begin = time.perf_counter()
    response = client.get(url, headers=headers)
    elapsed = time.perf_counter() - begin
    assert response.status_code == status, (url, response.status_code)
    return elapsed


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    sync_programs(Actor("bench"))
    client = Client()
    with override_settings(ROOT_URLCONF=__name__):
        calendar, status_list = fill()
        calendar_etag = client.get(calendar)["ETag"]
        list_etag = client.get(status_list)["ETag"]
        cases = {
            "trivial view": ("/bench/trivial/", None, 200),
            "calendar feed": (calendar, None, 200),
            "calendar feed, 304": (calendar, calendar_etag, 304),
            "status list": (status_list, None, 200),
            "status list, 304": (status_list, list_etag, 304),
            "status list signed per request (before)": ("/bench/signed/", None, 200),
        }
        samples: dict[str, list[float]] = {name: [] for name in cases}
        for round_ in range(args.requests + 20):
            for name, (url, etag, status) in cases.items():
                elapsed = timed(client, url, etag, status)
                if round_ >= 20:  # the first rounds warm caches and connections
                    samples[name].append(elapsed)
    print(f"requests: {args.requests} each, in turn; {REVOKED} revoked entries")
    for name, times in samples.items():
        print(f"{name + ':':42s} median {statistics.median(times) * 1000:6.2f} ms, "
              f"p95 {p95(times) * 1000:6.2f} ms")
    worst = max(p95(samples["calendar feed, 304"]), p95(samples["status list, 304"]))
    print(f"ratio: {worst / p95(samples['trivial view']):.2f}")


if __name__ == "__main__":
    main()
