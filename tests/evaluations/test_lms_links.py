"""The learning platform's link: set by staff per program version or run (page and API),
shown to the participant with their access window, and in their API resource."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pathwise.auditlog.models import AuditEntry
from pathwise.catalog.models import ProgramVersion
from pathwise.lms.models import LmsLink
from tests.api.conftest import Api, token_for
from tests.evaluations.conftest import Ended, client_of

pytestmark = pytest.mark.django_db

LINK = "https://lms.example.org/cscce-cm"
RUN_LINK = "https://lms.example.org/pbk-f"


def version_key() -> str:
    return f"version:{ProgramVersion.objects.get(program_id='cscce-cm', version='2023').pk}"


def test_staff_set_the_program_link_and_a_run_link_that_overrides_it(
        ended: Ended, staff_client: Client) -> None:
    assert staff_client.get("/staff/lms/").status_code == 200
    assert staff_client.post("/staff/lms/", {"target": version_key(), "url": LINK}
                             ).status_code == 302
    assert staff_client.post("/staff/lms/", {"target": "run:PBK-E", "url": RUN_LINK}
                             ).status_code == 302
    page = client_of("P-002").get("/participants/P-002/").content.decode()
    assert f'href="{LINK}"' in page
    assert f'href="{RUN_LINK}"' in page  # P-002 holds a seat on PBK-E
    assert "(the program deadline)" in page
    assert AuditEntry.objects.filter(action="lms.link_set").count() == 2
    page = staff_client.get("/staff/lms/").content.decode()
    assert f'value="{LINK}"' in page
    assert staff_client.post("/staff/lms/", {"target": "run:PBK-E", "url": ""}
                             ).status_code == 302
    assert not LmsLink.objects.filter(offering=ended.run).exists()


@pytest.mark.parametrize(("form", "says"), [
    ({"target": "run:PBK-E", "url": "http://lms.example.org/"}, "https://"),
    ({"target": "run:PBK-E", "url": "javascript:alert(1)"}, "https://"),
    ({"target": "run:NOPE", "url": LINK}, "no run"),
    ({"target": "version:x", "url": LINK}, "say which"),
    ({"url": LINK}, "say which"),
])
def test_a_bad_link_is_refused_on_the_page_and_nothing_is_saved(
        ended: Ended, staff_client: Client, form: dict[str, str], says: str) -> None:
    response = staff_client.post("/staff/lms/", form)
    assert response.status_code == 400
    assert says in response.content.decode()
    assert not LmsLink.objects.exists()


def test_nobody_but_staff_sets_a_link(ended: Ended, ina: Client) -> None:
    assert ina.get("/staff/lms/").status_code == 403
    assert client_of("P-002").post("/staff/lms/", {"target": "run:PBK-E", "url": LINK}
                                   ).status_code == 403
    assert not LmsLink.objects.exists()


def test_the_api_sets_links_and_the_participant_resource_gives_them(
        ended: Ended, staff: Any) -> None:
    as_staff = Api(token_for(staff))
    response = as_staff.call("PUT", "/api/v1/programs/cscce-cm/versions/2023/lms-link/",
                             {"url": LINK})
    assert response.status_code == 200
    assert response.json() == {"target": "program version", "url": LINK}
    assert as_staff.call("PUT", "/api/v1/offerings/PBK-E/lms-link/", {"url": RUN_LINK}
                         ).status_code == 200
    grace = ended.people[0]
    mine = Api(token_for(grace.user)).get("/api/v1/participants/P-002/").json()["lms"]
    assert mine["url"] == LINK
    assert mine["runs"] == [{"run": "PBK-E", "url": RUN_LINK}]
    assert mine["opens_on"] == "2025-10-01"
    assert mine["open"] is True
    bad = as_staff.call("PUT", "/api/v1/offerings/PBK-E/lms-link/", {"url": "ftp://x.org/"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "url"
    assert LmsLink.objects.get(offering=ended.run).url == RUN_LINK
    assert as_staff.call("PUT", "/api/v1/offerings/NOPE/lms-link/", {"url": LINK}
                         ).status_code == 404
    assert as_staff.call("PUT", "/api/v1/programs/cscce-cm/versions/1999/lms-link/",
                         {"url": LINK}).status_code == 404
    assert Api(token_for(grace.user)).call(
        "PUT", "/api/v1/offerings/PBK-E/lms-link/", {"url": LINK}).status_code == 403
    assert Api(token_for(staff, "read")).call(
        "PUT", "/api/v1/offerings/PBK-E/lms-link/", {"url": LINK}).status_code == 403


def test_without_a_link_there_is_no_lms_block(ended: Ended) -> None:
    assert "Learning platform" not in client_of("P-002").get("/participants/P-002/"
                                                             ).content.decode()
