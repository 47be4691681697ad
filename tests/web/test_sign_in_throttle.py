"""Sign-in throttling: five failures for one account, or from one address, pause signing in
there for fifteen minutes, even with the right password; each dimension counts on its own."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.test import Client

from pathwise.participants import models as m

pytestmark = pytest.mark.django_db

LIMIT = 5


def sign_in(username: str, password: str, address: str, **headers: Any) -> Any:
    return Client().post("/login/", {"username": username, "password": password},
                         REMOTE_ADDR=address, **headers)


def assert_signed_in(response: Any) -> None:
    assert response.status_code == 302
    assert response.url == "/"


def assert_paused(response: Any) -> None:
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many failed sign-ins for this account or from your address" in html
    assert "paused for 15 minutes, even with the right password" in html
    assert 'href="/password/reset/"' in html


def test_five_failures_for_one_account_refuse_even_its_right_password_from_anywhere(
    ada: m.Participant, grace: m.Participant
) -> None:
    for n in range(LIMIT - 1):
        response = sign_in("ada", "wrong", f"203.0.113.{n}")
        assert response.status_code == 200  # the usual "didn't match" until the limit
        assert "didn't match" in response.content.decode()
    assert_paused(sign_in("ada", "wrong", "203.0.113.4"))  # the fifth failure

    assert_paused(sign_in("ada", "ada-password-1", "198.51.100.99"))
    # Each of those addresses failed once only, so other accounts sign in from them.
    assert_signed_in(sign_in("grace", "grace-password-1", "203.0.113.0"))


def test_five_failures_from_one_address_refuse_every_account_from_it(
    ada: m.Participant, grace: m.Participant
) -> None:
    for n in range(LIMIT):
        sign_in(f"guess-{n}", "wrong", "203.0.113.7")

    assert_paused(sign_in("grace", "grace-password-1", "203.0.113.7"))
    # The accounts themselves are not locked: from elsewhere they sign in.
    assert_signed_in(sign_in("grace", "grace-password-1", "203.0.113.8"))


def test_fewer_failures_than_the_limit_still_let_the_right_password_in(
    ada: m.Participant,
) -> None:
    for _ in range(LIMIT - 1):
        sign_in("ada", "wrong", "203.0.113.7")
    assert_signed_in(sign_in("ada", "ada-password-1", "203.0.113.7"))


def test_a_paused_account_signs_in_again_once_the_cool_off_has_passed(
    ada: m.Participant,
) -> None:
    for _ in range(LIMIT):
        sign_in("ada", "wrong", "203.0.113.7")
    assert_paused(sign_in("ada", "ada-password-1", "203.0.113.7"))

    # Sixteen minutes later, as far as the recorded failures are concerned.
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= dt.timedelta(minutes=16)
        attempt.save()
    assert_signed_in(sign_in("ada", "ada-password-1", "203.0.113.7"))


def test_the_admin_sign_in_is_throttled_too(staff: Any) -> None:
    for _ in range(LIMIT):
        sign_in("sam", "wrong", "203.0.113.7")
    response = Client().post("/admin/login/", {"username": "sam", "password": "staff-password-1"},
                             REMOTE_ADDR="198.51.100.1")
    assert response.status_code == 429


def test_behind_the_proxy_the_client_is_the_address_the_proxy_adds(
    settings: Any, ada: m.Participant, grace: m.Participant
) -> None:
    """Everyone arrives from the proxy; only the last X-Forwarded-For entry is the client's."""
    settings.BEHIND_PROXY = True
    proxy = "10.0.0.2"
    for n in range(LIMIT):
        # The client puts its own made-up entries first; the proxy appends the real one.
        sign_in(f"guess-{n}", "wrong", proxy, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.7")

    assert_paused(sign_in("grace", "grace-password-1", proxy,
                          HTTP_X_FORWARDED_FOR="192.0.2.200, 203.0.113.7"))
    # Another client through the same proxy is not affected.
    assert_signed_in(sign_in("grace", "grace-password-1", proxy,
                             HTTP_X_FORWARDED_FOR="203.0.113.8"))


def test_without_a_proxy_x_forwarded_for_is_ignored(ada: m.Participant) -> None:
    """Otherwise a client could dodge the address count by sending a new header each time."""
    for n in range(LIMIT):
        sign_in(f"guess-{n}", "wrong", "203.0.113.7", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert_paused(sign_in("ada", "ada-password-1", "203.0.113.7",
                          HTTP_X_FORWARDED_FOR="192.0.2.99"))
