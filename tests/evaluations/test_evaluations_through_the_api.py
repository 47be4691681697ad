"""Evaluations through the API: a participant answers their own; staff read the answers and
the summary; an instructor reads what their run's answers add up to, never who gave them."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pathwise.auditlog.log import Actor
from pathwise.evaluations.actions import answer_evaluation
from pathwise.participants.models import Participant
from tests.api.conftest import Api, token_for
from tests.evaluations.conftest import Ended

pytestmark = pytest.mark.django_db

PATH = "/api/v1/participants/P-002/evaluations/PBK-E/"


@pytest.fixture
def grace(asked: Ended) -> Participant:  # the tests.evaluations people, not tests.conftest's
    return Participant.objects.get(public_id="P-002")


@pytest.fixture
def as_grace(grace: Participant) -> Api:
    return Api(token_for(grace.user))


@pytest.fixture
def as_staff(staff: Any) -> Api:
    return Api(token_for(staff))


@pytest.fixture
def as_ina(asked: Ended, django_user_model: Any) -> Api:
    return Api(token_for(django_user_model.objects.get(username="ina")))


@pytest.fixture
def as_ben(asked: Ended, django_user_model: Any) -> Api:
    return Api(token_for(django_user_model.objects.get(username="ben")))


def answered_by_three(asked: Ended) -> None:
    for public_id, recommend, worked, change in (
            ("P-003", "strongly", "Readings.", "Shorter weeks."),
            ("P-004", "somewhat", "Breakouts.", ""), ("P-005", "not", "", "Fewer slides.")):
        answer_evaluation(asked.evaluation(public_id), Actor(public_id), recommend=recommend,
                          worked=worked, change=change)


def test_a_participant_reads_answers_and_changes_their_evaluation(as_grace: Api,
                                                                  asked: Ended) -> None:
    found = as_grace.get(PATH).json()
    assert (found["run"], found["answered"], found["open"], found["recommend"]) == (
        "PBK-E", False, True, None)
    saved = as_grace.call("PUT", PATH, {"recommend": "strongly", "worked": "The cohort."})
    assert saved.status_code == 200
    assert (saved.json()["recommend"], saved.json()["worked"]) == ("strongly", "The cohort.")
    again = as_grace.call("PUT", PATH, {"recommend": "somewhat", "change": "Fewer slides."})
    assert again.json()["recommend"] == "somewhat"
    row = asked.evaluation("P-002")
    assert (row.recommend, row.worked, row.change) == ("somewhat", "", "Fewer slides.")


@pytest.mark.parametrize(("body", "field"), [
    ({"recommend": "very"}, "recommend"),
    ({}, "recommend"),
    ({"recommend": "strongly", "worked": "x" * 2001}, "worked"),
    ({"recommend": "strongly", "change": "bell\x07"}, "change"),
    ({"recommend": "strongly", "worked": ["a list"]}, "worked"),
])
def test_a_bad_answer_is_a_problem_naming_the_field_and_nothing_changes(
        as_grace: Api, asked: Ended, body: dict[str, Any], field: str) -> None:
    response = as_grace.call("PUT", PATH, body)
    assert response.status_code in (400, 422)
    assert response["Content-Type"] == "application/problem+json"
    assert field in [e["field"] for e in response.json()["errors"]]
    assert not asked.evaluation("P-002").answered


def test_a_run_not_asked_about_is_not_found(as_grace: Api) -> None:
    assert as_grace.get("/api/v1/participants/P-002/evaluations/PBK-F/").status_code == 404
    assert as_grace.get("/api/v1/participants/P-002/evaluations/..%2F/").status_code == 404


def test_staff_read_each_answer_and_who_gave_it(as_staff: Api, asked: Ended) -> None:
    answered_by_three(asked)
    found = as_staff.get("/api/v1/runs/PBK-E/evaluations/").json()
    assert found["shown"] is True
    assert found["tally"]["asked"] == 4
    assert found["tally"]["answered"] == 3
    assert found["tally"]["strongly_share"] == pytest.approx(1 / 3, abs=1e-4)
    assert [a["participant"] for a in found["answers"]] == ["P-002", "P-003", "P-004", "P-005"]
    summary = as_staff.get("/api/v1/evaluations/summary/").json()
    assert [(c["course"], [r["run"] for r in c["runs"]]) for c in summary["courses"]] == [
        ("PBK", ["PBK-E"])]
    assert summary["courses"][0]["tally"]["response_rate"] == 0.75
    assert as_staff.get("/api/v1/evaluations/summary/", {"course": "CODE"}).json() == {
        "courses": []}
    bad = as_staff.get("/api/v1/evaluations/summary/", {"course": "../x"})
    assert bad.status_code == 400


def test_an_instructor_sees_no_name_or_id_only_the_sum_and_the_comments(
        as_ina: Api, as_ben: Api, asked: Ended) -> None:
    answer_evaluation(asked.evaluation("P-002"), Actor("P-002"), recommend="strongly",
                      worked="Zebra stripes.")
    held = as_ina.get("/api/v1/runs/PBK-E/evaluations/").json()
    assert (held["shown"], held["worked"], held["change"], held["answers"]) == (
        False, [], [], None)
    assert held["tally"]["answered"] == 1
    assert held["tally"]["strongly"] == 0  # one answer alone would be attributable
    answered_by_three(asked)
    found = as_ina.get("/api/v1/runs/PBK-E/evaluations/")
    body = found.json()
    assert body["shown"] is True
    assert body["answers"] is None
    assert body["worked"] == ["Breakouts.", "Readings.", "Zebra stripes."]
    text = json.dumps(body)
    for person in asked.people:
        assert person.public_id not in text
        assert person.name not in text
    assert as_ben.get("/api/v1/runs/PBK-E/evaluations/").status_code == 404
    assert as_ina.get("/api/v1/evaluations/summary/").status_code == 403
    assert as_ina.get(PATH).status_code == 404
