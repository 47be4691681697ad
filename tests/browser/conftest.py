"""Headless Debian Chromium driven by Playwright, against Django's live server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("PATHWISE_CHROMIUM", "/usr/bin/chromium"))
# Without the background-networking flags Chromium tries to reach Google's
# hosts at start-up, which a closed network refuses.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session", autouse=True)
def _one_request_at_a_time_on_sqlite() -> None:
    """On SQLite the test database lives in memory, and the live server's threads share the
    test's one connection to it: two requests at once (a page and its badge pictures) can
    then use it together and fail ("bad parameter or other API misuse"). A server that
    answers one request at a time (and closes each connection) cannot."""
    from django.core.servers.basehttp import WSGIServer
    from django.db import connection
    from django.test.testcases import LiveServerThread

    class OneAtATime(WSGIServer):
        # The live server thread itself already uses the shared connection.
        def __init__(self, *args: Any, connections_override: Any = None, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)

    if connection.vendor == "sqlite":
        LiveServerThread.server_class = OneAtATime


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: the test command installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    # Playwright runs an event loop in this thread; Django's ORM calls in the
    # same tests are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 390, "height": 844})  # a phone
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def sign_in(page: Any, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def tick_first_and_save_by_keyboard(page: Any, *, last: bool) -> None:
    """On a register: Space ticks the first box, Tab reaches the buttons, Enter saves
    (and, before the last meeting, opens the next one)."""
    from playwright.sync_api import expect

    # Chromium gives the autofocus box the focus at its next rendering, which can
    # come after the load event on a busy machine: wait until it has it.
    expect(page.locator('input[name="present"]').first).to_be_focused()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    if not last:
        page.keyboard.press("Tab")  # "Save and open the next meeting"
    page.keyboard.press("Enter")
