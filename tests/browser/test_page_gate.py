"""The page gate: every page, as every kind of user, at desktop and phone width.

The pages come from the URL configuration itself, so a new page is checked
without being listed here: each pattern's parameters are filled from the demo
(a participant's own id, one of their seats, a credential, …), and a pattern
whose parameter has no sample fails the gate until one is added below. Each
page that answers HTML to a GET is checked with axe-core (pinned in
tests/browser/axe, run offline) against WCAG 2.1 A and AA, and must not be
wider than the window.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from pathwise.capstone.models import Submission
from pathwise.catalog.models import Intake, Offering
from pathwise.core.offerings import occurrences
from pathwise.credentials.models import Credential
from pathwise.enrollment.models import CalendarFeed, Seat
from pathwise.evaluations.models import Evaluation
from pathwise.notifications.models import WebhookDelivery, WebhookEndpoint
from pathwise.onboarding.models import ExpressionOfInterest
from pathwise.participants.models import ExtensionRequest, Participant
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}
#: Who looks, and how they sign in (the demo's logins).
ROLES = {"anonymous": None, "participant": ("p-025", "pathwise-demo"),
         "certified": ("p-001", "pathwise-demo"), "instructor": ("instructor", "pathwise-demo"),
         "staff": ("staff", "pathwise-staff")}
#: Not ours to gate: Django's admin is the staff back door, not the staff UI; the API docs
#: are Swagger UI's own markup (its operation headers nest buttons, which axe refuses).
#: The API's JSON answers are skipped by their content type, like any download.
SKIP_PREFIXES = ("admin/", "api/v1/docs/")
#: Where one parameter name means something else: (route prefix, name) -> value.
OVERRIDES = {("achievements/", "code"): "CODE", ("programs/", "code"): "NOC",
             ("api/v1/runs/", "participant"): "P-025"}


def patterns(resolvers: list[Any] | None = None, prefix: str = "") -> Iterator[str]:
    """Every route of the URL configuration, as its pattern text (`participants/<id>/`)."""
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from patterns(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route


def samples(role: str) -> dict[str, str]:
    """A value for each URL parameter, as `role` would meet it."""
    me = {"participant": "P-025", "certified": "P-001"}.get(role, "P-025")
    person = Participant.objects.get(public_id=me)
    seat = Seat.objects.filter(participant=person, status__in=["enrolled", "waitlisted"]).first()
    credential = (Credential.objects.filter(participant__public_id="P-001").first()
                  or Credential.objects.first())
    assert credential is not None
    feed = CalendarFeed.objects.filter(participant=person).first()
    endpoint = WebhookEndpoint.objects.first()
    delivery = WebhookDelivery.objects.first()
    asked = (ExtensionRequest.objects.filter(status="open").first()
             or ExtensionRequest.objects.first())
    # Someone's capstone waiting for review (the demo has two): staff review it.
    submission = Submission.objects.filter(status="waiting").first()
    assert submission is not None, "the demo has no capstone waiting for review"
    interest = ExpressionOfInterest.objects.first()
    offering = Offering.objects.filter(starts_on__gt=dt.date.today()).order_by(  # noqa: DTZ011
        "starts_on").first()
    assert offering is not None
    if role == "instructor":  # a run they teach, for its roster, registers and grades
        offering = Offering.objects.filter(instructors__user__username="instructor").first()
        assert offering is not None, "the demo's instructor teaches no run"
    first = next(occurrences(offering.to_core()))[0]
    # An evaluation of their own to answer, else one of the demo's (a 404 to them).
    evaluated = (Evaluation.objects.filter(participant=person).first()
                 or Evaluation.objects.first())
    assert evaluated is not None, "the demo has no evaluated run"
    return {
        "run": evaluated.offering.code,
        "day": first.date().isoformat(),
        "public_id": me,
        "code": offering.code,
        "program_id": "cscce-cm",
        "version": "2023",
        "seat_id": str(seat.pk) if seat else "0",
        "credential_id": str(credential.pk),
        "multikey": credential.signed_with,
        "token": feed.token if feed and feed.token else "none",
        "kind": "png",
        "program": "cscce-cm",
        "uidb64": "none",
        "endpoint_id": str(endpoint.pk) if endpoint else "0",
        "delivery_id": str(delivery.pk) if delivery else "00000000-0000-0000-0000-000000000000",
        "token_id": "0",
        "request_id": str(asked.pk) if asked else "0",
        "submission_id": str(submission.pk),
        "intake": Intake.objects.order_by("starts_on").values_list("code", flat=True).first()
        or "none",
        "interest_id": str(interest.pk) if interest else "0",
    }


def concrete(route: str, values: dict[str, str]) -> str | None:
    """The route with its parameters filled; None for the patterns skipped."""
    if route.startswith(SKIP_PREFIXES):
        return None
    out = ""
    rest = route
    while "<" in rest:
        head, _, tail = rest.partition("<")
        name, _, rest = tail.partition(">")
        name = name.split(":")[-1]
        special = next((v for (start, key), v in OVERRIDES.items()
                        if key == name and route.startswith(start)), None)
        assert special is not None or name in values, (
            f"the page gate has no sample for <{name}> in {route!r}: add one")
        out += head + (special if special is not None else values[name])
    return "/" + out + rest.lstrip("^").rstrip("$").replace("\\Z", "")


@pytest.fixture
def demo(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    person = Participant.objects.get(public_id="P-025")
    from pathwise.auditlog.log import Actor
    from pathwise.enrollment.actions import new_calendar_token
    from pathwise.notifications.webhooks import deliver_webhook, ping, register_endpoint

    new_calendar_token(person, Actor("gate"))
    # An endpoint nobody listens on, with a failed delivery: its page shows an attempt.
    endpoint = register_endpoint("http://127.0.0.1:9/hooks", ["seat.enrolled"],
                                 Actor("gate")).endpoint
    deliver_webhook.call(str(ping(endpoint, Actor("gate")).pk))


def check_page(page: Any, url: str) -> list[str]:
    """axe's violations and any sideways overflow on the page at `url`, as sentences."""
    # Asked first without the page, which would start a download for a file.
    head = page.request.get(url, max_redirects=0)
    if head.status in (301, 302, 405) or "text/html" not in head.headers.get("content-type", ""):
        return []
    page.goto(url)
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    problems = [f"{v['id']} ({v['impact']}): {v['help']} — "
                + "; ".join(n["target"][0] if isinstance(n["target"][0], str)
                            else json.dumps(n["target"]) for n in v["nodes"][:3])
                for v in result["violations"]]
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    if width > viewport:
        problems.append(f"the page is {width} px wide in a {viewport} px window")
    return problems


def test_every_page_passes_axe_and_fits_the_window_for_every_role_and_width(
    browser: Any, live_server: Any, demo: None,
) -> None:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: the test command installs it with npm ci")
    routes = sorted(set(patterns()))
    failures: list[str] = []
    checked = 0
    for role, login in ROLES.items():
        values = samples(role)
        urls = [u for r in routes if (u := concrete(r, values)) is not None]
        for width_name, (width, height) in WIDTHS.items():
            context = browser.new_context(viewport={"width": width, "height": height},
                                          bypass_csp=True)  # axe is injected as a script
            page = context.new_page()
            page.set_default_timeout(15_000)
            if login is not None:
                sign_in(page, live_server.url, *login)
            for url in urls:
                for problem in check_page(page, live_server.url + url):
                    failures.append(f"{role} {width_name} {url}: {problem}")
                checked += 1
            context.close()
    assert checked > 0
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures)


def test_a_pattern_without_a_sample_value_stops_the_gate() -> None:
    with pytest.raises(AssertionError, match=r"no sample for <colour> in 'paint/<colour>/'"):
        concrete("paint/<colour>/", {})


def test_the_gate_fills_every_route_it_is_given() -> None:
    values: dict[str, str] = {"public_id": "P-1", "code": "X"}
    assert concrete("participants/<identifier:public_id>/", values) == "/participants/P-1/"
    assert concrete("admin/login/", values) is None
    fill: Callable[[str], str | None] = lambda r: concrete(r, values)  # noqa: E731
    assert fill("catalogue/<str:code>/enroll/") == "/catalogue/X/enroll/"
