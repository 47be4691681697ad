"""`pathwise at-risk [--intake X] [--run Y]`: the at-risk dashboard's list, as JSON."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from pathwise.auditlog.log import Actor
from pathwise.catalog.models import Offering
from pathwise.enrollment.actions import take_seat
from pathwise.participants import models as m
from pathwise.standing.actions import refresh_standing
from tests.builders import ada_file
from tests.cli.conftest import Run

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(grace: m.Participant, import_files: Callable[..., list[str]],
          publish_run: Callable[..., Offering]) -> None:
    import_files(ada_file("P-030", "Long Overdue", enrolled_on="2019-01-01"))
    publish_run("CODE-FAR", "CODE", starts_on=dt.date(2028, 1, 4))
    take_seat(grace, publish_run("QSS-SOON", "QSS", starts_in=20), Actor("test"))
    refresh_standing(grace)


def test_it_prints_who_is_at_risk_with_why_and_the_action(
        world: None, pathwise: Callable[..., Run]) -> None:
    run = pathwise("at-risk")
    assert run.code == 0, run.err
    out = run.json()
    assert out["count"] == 2
    assert {p["participant"]: p["reason_kind"] for p in out["participants"]} == {
        "P-002": "no_run", "P-030": "overdue"}
    grace = next(p for p in out["participants"] if p["participant"] == "P-002")
    assert grace["runs"] == ["QSS-SOON"]
    assert grace["action"].startswith("Ask for the times they could make")


def test_it_filters_by_run(world: None, pathwise: Callable[..., Run]) -> None:
    out = pathwise("at-risk", "--run", "QSS-SOON").json()
    assert [p["participant"] for p in out["participants"]] == ["P-002"]
    assert out["run"] == "QSS-SOON"


@pytest.mark.parametrize(("argv", "message"), [
    (("--intake", "1999-01"), "There is no intake '1999-01'"),
    (("--run", "NOPE"), "There is no run 'NOPE'"),
    (("--reason", "bored"), "Unknown reason 'bored'"),
])
def test_an_unknown_filter_is_refused_in_one_line(
        argv: tuple[str, ...], message: str, *, world: None, pathwise: Callable[..., Run],
        refused: Callable[..., str]) -> None:
    assert message in refused(pathwise("at-risk", *argv), "at-risk")
