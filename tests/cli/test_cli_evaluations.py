"""`pathwise evaluations summary`: the staff summary's figures, as JSON."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pathwise.auditlog.log import Actor
from pathwise.evaluations.actions import answer_evaluation
from tests.cli.conftest import Run
from tests.evaluations.conftest import Ended, asked, ended  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def test_the_summary_gives_each_course_and_run_with_the_share(
        asked: Ended, pathwise: Callable[..., Run]) -> None:  # noqa: F811
    for public_id, recommend in (("P-002", "strongly"), ("P-003", "somewhat")):
        answer_evaluation(asked.evaluation(public_id), Actor(public_id), recommend=recommend)
    run = pathwise("evaluations", "summary")
    assert run.code == 0, run.err
    [course] = run.json()["courses"]
    assert (course["course"], course["tally"]["asked"], course["tally"]["answered"]) == (
        "PBK", 4, 2)
    assert course["tally"]["strongly_share"] == 0.5
    assert [r["run"] for r in course["runs"]] == ["PBK-E"]
    assert pathwise("evaluations", "summary", "--course", "CODE").json() == {"courses": []}


def test_a_bad_course_is_one_error_line(pathwise: Callable[..., Run]) -> None:
    run = pathwise("evaluations", "summary", "--course", "../x\n")
    assert run.code != 0
    assert run.err.startswith("pathwise evaluations: --course:")
    assert len(run.err.strip().splitlines()) == 1
