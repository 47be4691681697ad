"""Long staff lists search, filter and page; destructive actions say what they do and ask first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from pathwise.catalog.models import Offering
from pathwise.credentials.models import Credential
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def offerings_in(html: str) -> list[str]:
    return [part.split('"', 1)[0] for part in html.split('data-offering="')[1:]]


def test_the_staff_catalogue_pages_and_filters_by_component_when_and_code(
    staff: Any, publish_run: Callable[..., Offering],
) -> None:
    for n in range(30):
        publish_run(f"MW-{n:02d}", "MW-ROLES", starts_in=10 + n)
    publish_run("PBK-A", "PBK", starts_in=5)
    publish_run("PBK-OLD", "PBK", starts_on=dt.date(2020, 1, 7))
    client = signed_in("sam", "staff-password-1")
    first = client.get("/staff/catalogue/").content.decode()
    assert offerings_in(first)[:2] == ["PBK-A", "MW-00"]
    assert len(offerings_in(first)) == 25
    assert "Page 1 of 2" in first
    assert "PBK-OLD" not in first  # ended runs only when asked
    assert offerings_in(client.get("/staff/catalogue/?component=PBK").content.decode()) == [
        "PBK-A"]
    assert offerings_in(client.get("/staff/catalogue/?when=past").content.decode()) == [
        "PBK-OLD"]
    assert offerings_in(client.get("/staff/catalogue/?q=mw-2").content.decode()) == [
        f"MW-{n}" for n in range(20, 30)]
    bad = client.get("/staff/catalogue/?when=soon")
    assert bad.status_code == 400
    assert "Unknown choice" in bad.content.decode()


def test_cancelling_a_meeting_is_its_own_confirmed_step_and_no_date_box_can_trigger_it(
    staff: Any, publish_run: Callable[..., Offering],
) -> None:
    run = publish_run("PBK-A", "PBK", starts_on=dt.date(2030, 1, 8))
    client = signed_in("sam", "staff-password-1")
    catalogue = client.get("/staff/catalogue/").content.decode()
    assert 'type="date"' not in catalogue
    assert 'name="action" value="cancel"' not in catalogue
    meetings = client.get("/staff/catalogue/PBK-A/meetings/").content.decode()
    assert 'data-meeting="2030-01-08"' in meetings
    assert 'name="action" value="cancel"' not in meetings  # only a link to the confirmation
    confirm = client.get("/staff/catalogue/PBK-A/meetings/2030-01-08/cancel/").content.decode()
    assert "This cannot be undone here." in confirm
    assert "nobody is enrolled yet" in confirm
    assert "Nobody is e-mailed." in confirm
    done = client.post("/staff/catalogue/PBK-A/meeting/", {"date": "2030-01-08",
                                                          "action": "cancel"}, follow=True)
    assert "meeting is cancelled; calendars drop it" in done.content.decode()
    run.refresh_from_db()
    assert run.cancelled == ["2030-01-08"]
    assert client.get("/staff/catalogue/PBK-A/meetings/2030-01-09/cancel/").status_code == 404
    assert client.get("/staff/catalogue/PBK-A/meetings/soon/cancel/").status_code == 404


@pytest.fixture
def credentials(import_files: Callable[..., list[str]], settings: Any, tmp_path: Any) -> None:
    from pathwise.notifications.background import run_ready_tasks
    from tests.builders import make_records_file

    settings.DATA_DIR = tmp_path
    import_files(make_records_file())
    run_ready_tasks()


@pytest.mark.django_db(transaction=True)
def test_credentials_search_filter_and_revoke_only_after_a_page_that_says_what_happens(
    staff: Any, credentials: None,
) -> None:
    client = signed_in("sam", "staff-password-1")
    listed = client.get("/staff/credentials/").content.decode()
    assert listed.count("data-credential=") == Credential.objects.count() == 4
    assert 'name="action" value="revoke"' not in listed
    one = client.get("/staff/credentials/?q=pbk").content.decode()
    assert one.count("data-credential=") == 1
    code = Credential.objects.get(achievement="CODE")
    confirm = client.get(f"/staff/credentials/{code.pk}/revoke/").content.decode()
    assert "This is permanent" in confirm
    assert 'name="action" value="revoke"' in confirm
    client.post(f"/staff/credentials/{code.pk}/", {"action": "revoke", "reason": "in error"})
    revoked = client.get("/staff/credentials/?state=revoked").content.decode()
    assert revoked.count("data-credential=") == 1
    assert client.get("/staff/credentials/?state=valid").content.decode().count(
        "data-credential=") == 3
    again = client.get(f"/staff/credentials/{code.pk}/revoke/", follow=True).content.decode()
    assert "is already revoked" in again


def test_the_participants_catalogue_pages_in_date_order_with_names_first(
    grace_client: Any, publish_run: Callable[..., Offering],
) -> None:
    for n in range(25):
        publish_run(f"QSS-{n:02d}", "QSS", starts_in=10 + n)
    page = grace_client.get("/catalogue/").content.decode()
    assert offerings_in(page) == [f"QSS-{n:02d}" for n in range(20)]
    assert "Page 1 of 2" in page
    assert "<h2>Quarterly Skills Share <small>QSS-00</small></h2>" in page
    second = grace_client.get("/catalogue/?page=2").content.decode()
    assert offerings_in(second) == [f"QSS-{n:02d}" for n in range(20, 25)]
