"""Under the site's Content-Security-Policy, Chromium loads every page with nothing blocked."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pathwise.auditlog.log import Actor
from pathwise.catalog.models import Offering
from pathwise.enrollment.actions import take_seat
from pathwise.participants import models as m
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any page script; a violation anywhere in the page is recorded.
WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"}`);
});
"""


def visit(page: Any, url: str, console: list[str]) -> list[str]:
    """Open `url`; every violation the page or the console reports."""
    response = page.goto(url)
    assert response.headers.get("content-security-policy", "").startswith("default-src 'self'")
    page.wait_for_load_state("load")
    return [*page.evaluate("window.__cspViolations"), *console]


def watched(page: Any) -> list[str]:
    console: list[str] = []
    page.add_init_script(WATCH)
    page.on("console", lambda message: console.append(message.text)
            if "Content Security Policy" in message.text else None)
    return console


def test_participant_pages_load_with_no_policy_violations(
    page: Any, live_server: Any, grace: m.Participant, publish_run: Callable[..., Offering]
) -> None:
    take_seat(grace, publish_run("PBK-A"), Actor("grace"))
    console = watched(page)
    sign_in(page, live_server.url, "grace", "grace-password-1")
    for path in ("/participants/P-002/", "/plan/", "/catalogue/", "/schedule/", "/demand/",
                 "/password/change/"):
        assert visit(page, f"{live_server.url}{path}", console) == [], path


def test_staff_and_public_pages_load_with_no_policy_violations(
    page: Any, live_server: Any, ada: m.Participant, staff: Any
) -> None:
    console = watched(page)
    for path in ("/login/", "/password/reset/", "/verify/", "/no-such-page/"):
        assert visit(page, f"{live_server.url}{path}", console) == [], path
    sign_in(page, live_server.url, "sam", "staff-password-1")
    for path in ("/staff/participants/", "/staff/catalogue/", "/staff/demand/",
                 "/staff/credentials/", "/participants/P-001/", "/admin/"):
        assert visit(page, f"{live_server.url}{path}", console) == [], path


def test_the_watch_sees_a_violation_when_there_is_one(page: Any, live_server: Any,
                                                      db: None) -> None:
    """Without this, "no violations" could mean the watch never works."""
    console = watched(page)
    visit(page, f"{live_server.url}/login/", console)
    page.evaluate("document.body.setAttribute('style', 'color: red')")
    page.wait_for_function("window.__cspViolations.length > 0")
    assert "style-src-attr blocked inline" in page.evaluate("window.__cspViolations")
