"""Evaluations on the site: asked once per run per person when it ends, answered and
changed until it closes, counted for staff, and anonymous (and held back) for instructors."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from pathwise.auditlog.log import Actor
from pathwise.auditlog.models import AuditEntry
from pathwise.enrollment.actions import take_seat
from pathwise.evaluations.actions import answer_evaluation, ask_ended_runs, ask_run
from pathwise.evaluations.models import Evaluation
from pathwise.notifications.background import run_ready_tasks
from pathwise.participants.models import Participant
from pathwise.standing.tasks import refresh_standing_hourly, this_hour
from tests.builders import ada_file
from tests.evaluations.conftest import Ended, client_of

pytestmark = pytest.mark.django_db

ANSWERS = {"P-002": ("strongly", "The case studies from other communities.", "More time."),
           "P-003": ("strongly", "", "Shorter readings."),
           "P-004": ("somewhat", "Breakout rooms.", "")}


def answer_all(ended: Ended, who: dict[str, tuple[str, str, str]] = ANSWERS) -> None:
    for public_id, (recommend, worked, change) in who.items():
        answer_evaluation(ended.evaluation(public_id), Actor(public_id), recommend=recommend,
                          worked=worked, change=change)


@pytest.mark.django_db(transaction=True)
def test_the_hourly_pass_asks_everyone_on_an_ended_course_run_once_by_email(
        ended: Ended) -> None:
    refresh_standing_hourly.call(this_hour(timezone.now()).isoformat())
    assert Evaluation.objects.filter(offering=ended.run).count() == 4
    assert not Evaluation.objects.filter(offering=ended.other).exists()  # still under way
    run_ready_tasks()
    asked = sorted(m.to[0] for m in mail.outbox if m.subject.startswith("Tell us about"))
    assert asked == [f"p-00{n}@example.org" for n in (2, 3, 4, 5)]
    assert "/evaluations/PBK-E/" in mail.outbox[0].body
    assert ask_ended_runs(Actor("again")) == 0  # once per run per person
    assert ask_run(ended.run, Actor("again")) == 0


def test_a_run_not_yet_ended_is_not_asked_about(ended: Ended) -> None:
    with pytest.raises(Exception, match="PBK-F has not ended yet"):
        ask_run(ended.other, Actor("test"))


def test_a_participant_is_told_on_their_page_answers_and_may_change_it(asked: Ended) -> None:
    grace = client_of("P-002")
    page = grace.get("/participants/P-002/").content.decode()
    assert "Tell us about" in page
    assert 'href="/evaluations/PBK-E/"' in page
    assert grace.get("/evaluations/PBK-E/").status_code == 200
    response = grace.post("/evaluations/PBK-E/", {
        "recommend": "strongly", "worked": "The cohort.\r\nThe readings.", "change": ""})
    assert response.status_code == 302
    row = asked.evaluation("P-002")
    assert (row.recommend, row.worked, row.change) == ("strongly", "The cohort.\nThe readings.",
                                                       "")
    first = row.answered_at
    assert grace.post("/evaluations/PBK-E/", {"recommend": "somewhat", "worked": "The cohort.",
                                              "change": "Fewer slides."}).status_code == 302
    row.refresh_from_db()
    assert (row.recommend, row.change, row.answered_at) == ("somewhat", "Fewer slides.", first)
    assert Evaluation.objects.filter(participant=row.participant).count() == 1
    assert "Change what you told us" in grace.get("/participants/P-002/").content.decode()
    actions = list(AuditEntry.objects.filter(target_id="PBK-E", action__startswith="evaluation.an")
                   .values_list("action", "new_value"))
    assert actions == [("evaluation.answered", None)]  # the log names them, never what they said


@pytest.mark.parametrize(("form", "message"), [
    ({"recommend": "very", "worked": "", "change": ""}, "Select a valid choice"),
    ({"worked": "x", "change": ""}, "This field is required"),
    ({"recommend": "strongly", "worked": "x" * 2001, "change": ""}, "at most 2000"),
    ({"recommend": "strongly", "worked": "", "change": "bell\x07"}, "control character"),
])
def test_a_bad_answer_is_refused_with_a_message_and_nothing_changes(
        asked: Ended, form: dict[str, str], message: str) -> None:
    response = client_of("P-002").post("/evaluations/PBK-E/", form)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not asked.evaluation("P-002").answered


def test_a_closed_evaluation_cannot_be_changed(asked: Ended) -> None:
    row = asked.evaluation("P-002")
    Evaluation.objects.filter(pk=row.pk).update(closes_on=timezone.localdate()
                                                - dt.timedelta(days=1))
    client = client_of("P-002")
    response = client.post("/evaluations/PBK-E/", {"recommend": "strongly"})
    assert response.status_code == 200
    assert "closed on" in response.content.decode()
    assert not asked.evaluation("P-002").answered
    with pytest.raises(Exception, match="closed on"):
        answer_evaluation(row, Actor("P-002"), recommend="strongly")
    assert "Tell us about" not in client.get("/participants/P-002/").content.decode()


def test_nobody_else_reaches_someone_elses_evaluation(asked: Ended, ina: Client,
                                                      staff_client: Client) -> None:
    for client in (ina, staff_client):
        assert client.get("/evaluations/PBK-E/").status_code == 404
    assert client_of("P-002").get("/evaluations/PBK-F/").status_code == 404
    assert Client().get("/evaluations/PBK-E/").status_code == 302  # to sign in


def test_staff_see_the_share_counts_and_response_rate_per_run_and_course(
        asked: Ended, staff_client: Client) -> None:
    answer_all(asked)
    page = staff_client.get("/staff/evaluations/").content.decode()
    assert 'data-run="PBK-E"' in page
    assert "67%" in page  # two of three strongly
    assert "3 of 4 (75%)" in page
    assert staff_client.get("/staff/evaluations/?course=CODE").content.decode().count(
        'data-run="PBK-E"') == 0
    run = staff_client.get("/runs/PBK-E/evaluations/").content.decode()
    assert "The case studies from other communities." in run
    assert "Shorter readings." in run


def test_an_instructor_sees_figures_and_comments_of_their_run_but_never_who_wrote_them(
        asked: Ended, ina: Client, ben: Client) -> None:
    answer_all(asked, {k: ANSWERS[k] for k in ("P-002", "P-003")})
    held = ina.get("/runs/PBK-E/evaluations/").content.decode()
    assert 'data-evaluations="hidden"' in held
    assert "More time." not in held
    assert "Shorter readings." not in held
    answer_all(asked)
    page = ina.get("/runs/PBK-E/evaluations/").content.decode()
    assert 'data-evaluations="shown"' in page
    assert "67%" in page
    assert "More time." in page
    assert "Breakout rooms." in page
    for person in asked.people:
        assert person.public_id not in page
        assert person.name not in page
    # Comments in alphabetical order, not the order they were written in.
    assert page.index("Breakout rooms.") < page.index("The case studies")
    assert ben.get("/runs/PBK-E/evaluations/").status_code == 404
    assert ina.get("/staff/evaluations/").status_code == 403


def test_a_comment_that_looks_like_markup_is_shown_as_text(asked: Ended, staff_client: Any
                                                            ) -> None:
    answer_all(asked, {"P-002": ("not", "<script>alert(1)</script>", "")})
    page = staff_client.get("/runs/PBK-E/evaluations/").content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;" in page


def test_a_run_that_ended_long_before_is_not_asked_about_by_the_hourly_pass(
        ended: Ended, publish_run: Any, import_files: Any) -> None:
    import_files(ada_file("P-009", "Emmy Noether", enrolled_on="2025-10-01"))
    old = publish_run("PBK-OLD", "PBK", starts_on=timezone.now().date() - dt.timedelta(days=100))
    take_seat(Participant.objects.get(public_id="P-009"), old, Actor("test"),
              today=old.starts_on - dt.timedelta(days=1))
    assert ask_ended_runs(Actor("hourly")) == 4  # PBK-E only
    assert not Evaluation.objects.filter(offering=old).exists()
