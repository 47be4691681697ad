"""What every page carries: the footer's link to verification and the program's name; the
sign-in page says which program it is for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from pathwise.auditlog.log import Actor
from pathwise.catalog.actions import sync_programs
from pathwise.catalog.models import ProgramVersion
from pathwise.catalog.read import program_names
from tests.browser.test_page_gate import ROLES, concrete, patterns, samples
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

NAME = "CSCCE Community Manager Certification Program"


def footer(html: str) -> str:
    assert "<footer" in html
    return html[html.index("<footer"):]


def test_the_sign_in_page_names_the_program(db: None) -> None:
    sync_programs(Actor("test"))
    html = Client().get("/login/").content.decode()
    assert f'<p class="eyebrow" data-programs>{NAME}</p>' in html
    assert f"<title>Sign in · {NAME} · Pathwise</title>" in html


def test_the_program_named_is_the_newest_versions_and_each_program_once(db: None) -> None:
    sync_programs(Actor("test"))
    newest = ProgramVersion.objects.get(program_id="cscce-cm", version="2023")
    ProgramVersion.objects.create(program_id="cscce-cm", version="2099", name="Renamed Program",
                                  source_path="x", definition=newest.definition)
    ProgramVersion.objects.create(program_id="other", version="1", name="Another Program",
                                  source_path="y", definition=newest.definition)
    assert program_names() == ["Another Program", "Renamed Program"]
    html = Client().get("/login/").content.decode()
    assert "Another Program · Renamed Program" in html
    assert NAME not in html


def test_with_no_program_loaded_the_sign_in_page_still_works(db: None) -> None:
    response = Client().get("/login/")
    assert response.status_code == 200
    assert "data-programs" not in response.content.decode()


@pytest.fixture
def demo(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123


# Transactional: the demo signs its credentials with the worker, which closes its connection.
@pytest.mark.django_db(transaction=True)
def test_every_page_links_verification_from_its_footer_for_every_role(demo: None) -> None:
    routes = sorted(set(patterns()))
    seen = 0
    for role, login in ROLES.items():
        client = signed_in(*login) if login else Client()
        values = samples(role)
        for route in routes:
            url = concrete(route, values)
            if url is None:
                continue
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response["Content-Type"]:
                continue
            html = response.content.decode()
            assert 'href="/verify/"' in footer(html), f"{role} {url}: no link to /verify/"
            assert NAME in footer(html), f"{role} {url}: the program is not named"
            seen += 1
    assert seen > 40
    # A page that is not found has the same footer.
    assert 'href="/verify/"' in footer(Client().get("/no-such-page/").content.decode())
