"""Changing a password while signed in, and resetting a forgotten one by e-mail, for
participants and staff alike, on pages styled like the rest of the site."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from pathwise.auditlog.models import AuditEntry
from pathwise.participants import models as m
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver(/password/reset/[^/\s]+/[^/\s]+/)")


def can_sign_in(username: str, password: str) -> bool:
    response = Client().post("/login/", {"username": username, "password": password})
    return response.status_code == 302


def test_the_sign_in_page_offers_a_reset_and_the_header_a_password_change(
    ada: m.Participant,
) -> None:
    assert 'href="/password/reset/"' in Client().get("/login/").content.decode()
    page = signed_in("ada", "ada-password-1").get("/participants/P-001/").content.decode()
    assert '<a href="/password/change/">Change password</a>' in page


@pytest.mark.parametrize("path", ["/password/change/", "/password/change/done/",
                                  "/password/reset/", "/password/reset/sent/",
                                  "/password/reset/done/", "/password/reset/MQ/bad-token/"])
def test_every_password_page_is_one_of_ours_not_the_admins(ada: m.Participant,
                                                           path: str) -> None:
    page = signed_in("ada", "ada-password-1").get(path).content.decode()
    assert "pathwise/pathwise.css" in page
    assert '<a class="skip" href="#main">' in page
    assert "Django administration" not in page


def test_a_signed_in_participant_changes_their_password_and_stays_signed_in(
    ada: m.Participant,
) -> None:
    client = signed_in("ada", "ada-password-1")
    wrong = client.post("/password/change/", {
        "old_password": "not-it", "new_password1": "a-new-secret-77",
        "new_password2": "a-new-secret-77"})
    assert wrong.status_code == 200
    assert "Your old password was entered incorrectly" in wrong.content.decode()
    assert can_sign_in("ada", "ada-password-1")

    response = client.post("/password/change/", {
        "old_password": "ada-password-1", "new_password1": "a-new-secret-77",
        "new_password2": "a-new-secret-77"}, follow=True)
    assert "Your password is changed" in response.content.decode()
    assert client.get("/participants/P-001/").status_code == 200  # still signed in
    assert can_sign_in("ada", "a-new-secret-77")
    assert not can_sign_in("ada", "ada-password-1")

    entry = AuditEntry.objects.get(action="account.password_changed")
    assert (entry.actor_label, entry.target_id, entry.participant) == ("ada", "ada", ada)
    assert entry.old_value is None
    assert entry.new_value is None


def test_a_weak_new_password_is_refused_with_the_reason(ada: m.Participant) -> None:
    response = signed_in("ada", "ada-password-1").post("/password/change/", {
        "old_password": "ada-password-1", "new_password1": "password",
        "new_password2": "password"})
    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    assert can_sign_in("ada", "ada-password-1")


def test_a_visitor_must_sign_in_to_change_a_password() -> None:
    response = Client().get("/password/change/")
    assert response.status_code == 302
    assert response.url.startswith("/login/")


@pytest.fixture
def staff_with_email(staff: Any) -> Any:
    staff.email = "sam@example.org"
    staff.save()
    return staff


@pytest.fixture
def ada_with_email(ada: m.Participant) -> m.Participant:
    assert ada.user is not None
    ada.user.email = "ada@example.org"
    ada.user.save()
    return ada


@pytest.mark.parametrize(("username", "address", "old"), [
    ("ada", "ada@example.org", "ada-password-1"),
    ("sam", "sam@example.org", "staff-password-1"),
])
@pytest.mark.usefixtures("ada_with_email", "staff_with_email")
def test_a_forgotten_password_is_reset_through_the_e_mailed_link(
    username: str, address: str, old: str
) -> None:
    client = Client()
    response = client.post("/password/reset/", {"email": address.upper()})
    assert response.status_code == 302
    assert response.url == "/password/reset/sent/"

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [address]
    assert message.subject == "Reset your Pathwise password"
    assert f"the Pathwise account {username} " in message.body
    match = LINK.search(message.body)
    assert match, message.body

    # Django swaps the token out of the address before showing the form.
    form_page = client.get(match.group(1), follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(form_page.redirect_chain[-1][0], {
        "new_password1": "brand-new-secret-5", "new_password2": "brand-new-secret-5"},
        follow=True)
    assert "Your new password is set." in done.content.decode()
    assert can_sign_in(username, "brand-new-secret-5")
    assert not can_sign_in(username, old)

    again = Client().get(match.group(1), follow=True).content.decode()
    assert "This reset link does not work any more" in again
    entry = AuditEntry.objects.get(action="account.password_reset")
    assert (entry.actor_label, entry.target_id) == (username, username)


@pytest.mark.usefixtures("ada_with_email")
def test_asking_for_an_unknown_address_looks_the_same_and_sends_nothing() -> None:
    known = Client().post("/password/reset/", {"email": "ada@example.org"}, follow=True)
    unknown = Client().post("/password/reset/", {"email": "nobody@example.org"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain == [("/password/reset/sent/", 302)]
    assert "If an account has that address" in unknown.content.decode()
    assert [m.to for m in mail.outbox] == [["ada@example.org"]]


def test_an_account_without_a_usable_password_gets_no_reset_mail(db: None) -> None:
    user = get_user_model().objects.create_user("no-login", email="x@example.org")
    user.set_unusable_password()
    user.save()
    Client().post("/password/reset/", {"email": "x@example.org"})
    assert mail.outbox == []
