"""Pages that are polled: the calendar feed and the status lists answer 304 when nothing
changed, and a status list is signed once per change, not once per request."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.http import parse_http_date

from pathwise.auditlog.log import Actor
from pathwise.catalog.actions import cancel_meeting
from pathwise.catalog.models import Offering
from pathwise.core.credentials.verify import verify_credential
from pathwise.credentials.actions import revoke, trusted
from pathwise.enrollment.models import CalendarFeed
from pathwise.notifications.background import run_ready_tasks
from pathwise.participants import models as m
from tests.builders import make_records_file

pytestmark = pytest.mark.django_db
STAFF = Actor("staff-test")


def _dtstamps(body: str) -> set[str]:
    return set(re.findall(r"^DTSTAMP:(\S+)", body, re.MULTILINE))


def test_the_calendar_feed_is_unchanged_until_its_data_changes_and_says_so_with_304(
    grace_client: Client, publish_run: Callable[..., Offering]
) -> None:
    offering = publish_run("PBK-A")
    grace_client.post("/catalogue/PBK-A/enroll/")
    grace_client.post("/schedule/calendar/", {"action": "new"})
    url = f"/calendar/{CalendarFeed.objects.get().token}.ics"

    first = Client().get(url)
    time.sleep(1.1)  # a DTSTAMP of "now" would differ by now
    again = Client().get(url)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    etag = first["ETag"]
    assert etag.startswith('"')  # strong: not W/"…"
    # Every DTSTAMP is the data's last change, which Last-Modified names too.
    (stamp,) = _dtstamps(first.content.decode())
    changed = dt.datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
    assert parse_http_date(first["Last-Modified"]) == int(changed.timestamp())

    unchanged = Client().get(url, headers={"if-none-match": etag})
    assert (unchanged.status_code, unchanged.content) == (304, b"")
    since = Client().get(url, headers={"if-modified-since": first["Last-Modified"]})
    assert since.status_code == 304

    cancel_meeting(STAFF, offering, offering.starts_on)
    after = Client().get(url, headers={"if-none-match": etag})
    assert after.status_code == 200
    assert after["ETag"] != etag
    assert after.content.decode().count("BEGIN:VEVENT") == 13
    assert _dtstamps(after.content.decode()) != {stamp}
    assert Client().get(url, headers={"if-modified-since": first["Last-Modified"]}
                        ).status_code == 200


@pytest.fixture(autouse=True)
def _keys_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path / "data"
    settings.BASE_URL = "https://pathwise.test"


@pytest.mark.django_db(transaction=True)  # the worker signs after real commits
def test_a_status_list_is_signed_once_until_a_revocation_changes_it(
        import_files: Callable[..., list[str]]) -> None:
    import_files(make_records_file())
    run_ready_tasks()
    credential = m.Participant.objects.get(public_id="P-001").credentials.first()
    assert credential is not None
    copy = credential.copies.get()
    url = f"/credentials/status/{copy.signed_with}"

    first = Client().get(url)
    time.sleep(1.1)  # signing again now would give another `created` and signature
    again = Client().get(url)
    assert first.status_code == again.status_code == 200
    assert again.json()["proof"] == first.json()["proof"]
    assert Client().get(url, headers={"if-none-match": first["ETag"]}).status_code == 304

    revoke(credential, "issued in error", STAFF, timezone.now())
    after = Client().get(url, headers={"if-none-match": first["ETag"]})
    assert after.status_code == 200
    listed = after.json()
    assert listed["proof"][0]["proofValue"] != first.json()["proof"][0]["proofValue"]
    assert listed["credentialSubject"]["encodedList"] != (
        first.json()["credentialSubject"]["encodedList"])
    assert verify_credential(listed, trusted=trusted()).verified
    assert Client().get(url).json()["proof"] == listed["proof"]
