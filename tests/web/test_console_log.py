"""The console log: a refused (403) or missing (404) page is one line without a traceback;
a server error (500) keeps its traceback."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

import pytest
from django.test import Client

from pathwise.participants import models as m
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def console(capfd: pytest.CaptureFixture[str]) -> Callable[[], str]:
    """What reaches the process's standard error (file descriptor 2) since the last call."""
    capfd.readouterr()
    return lambda: capfd.readouterr().err


def test_a_refused_page_is_one_line_without_a_traceback(
    ada: m.Participant, console: Callable[[], str]
) -> None:
    assert signed_in("ada", "ada-password-1").get("/staff/participants/").status_code == 403
    assert console() == (
        "WARNING django.request: Forbidden (Permission denied): /staff/participants/\n")


def test_a_missing_page_is_one_line_without_a_traceback(
    ada: m.Participant, console: Callable[[], str]
) -> None:
    assert signed_in("ada", "ada-password-1").get("/participants/P-404/").status_code == 404
    assert console() == "WARNING django.request: Not Found: /participants/P-404/\n"


def test_a_server_error_keeps_its_traceback(console: Callable[[], str]) -> None:
    try:
        raise RuntimeError("the database went away")
    except RuntimeError:
        logging.getLogger("django.request").error(
            "Internal Server Error: %s", "/schedule/", exc_info=sys.exc_info(),
            extra={"status_code": 500})
    out = console()
    assert out.startswith("ERROR django.request: Internal Server Error: /schedule/\n")
    assert "Traceback (most recent call last)" in out
    assert "RuntimeError: the database went away" in out


def test_a_visitor_sent_to_sign_in_logs_nothing(console: Callable[[], str]) -> None:
    assert Client().get("/schedule/").status_code == 302
    assert console() == ""
