"""The evaluation rules: the strongly-recommend share, the instructors' minimum, the text."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pathwise.core.errors import PathwiseError
from pathwise.core.evaluations import (
    INSTRUCTOR_MINIMUM,
    RECOMMEND,
    TEXT_MAX,
    Tally,
    checked_text,
    closes_on,
    combined,
    percent,
    recommend_problem,
    tally,
)

answers = st.lists(st.sampled_from(RECOMMEND), max_size=60)


@given(answers, st.integers(min_value=0, max_value=80))
def test_the_share_is_of_those_who_answered_and_between_nothing_and_everyone(
        given_answers: list[str], not_answering: int) -> None:
    found = tally(given_answers, asked=len(given_answers) + not_answering)  # type: ignore[arg-type]
    assert found.answered == len(given_answers)
    assert found.asked == len(given_answers) + not_answering
    if not given_answers:
        assert found.strongly_share is None
    else:
        assert found.strongly_share == Fraction(given_answers.count("strongly"),
                                                len(given_answers))
        assert 0 <= found.strongly_share <= 1
    assert found.shown_to_instructors == (len(given_answers) >= INSTRUCTOR_MINIMUM)


@given(st.lists(answers, max_size=6))
def test_a_course_adds_its_runs_up_as_if_they_were_one(runs: list[list[str]]) -> None:
    each = [tally(r, asked=len(r)) for r in runs]  # type: ignore[arg-type]
    whole = tally([a for r in runs for a in r], asked=sum(len(r) for r in runs))  # type: ignore[arg-type]
    assert combined(each) == whole


@given(answers)
def test_one_more_strong_answer_never_lowers_the_share(given_answers: list[str]) -> None:
    before = tally(given_answers, asked=len(given_answers))  # type: ignore[arg-type]
    after = tally([*given_answers, "strongly"], asked=len(given_answers) + 1)  # type: ignore[list-item]
    assert after.strongly_share is not None
    assert before.strongly_share is None or after.strongly_share >= before.strongly_share


def test_the_seeds_figure_reads_as_a_percentage() -> None:
    found = tally(["strongly"] * 24 + ["somewhat"], asked=30)
    assert percent(found.strongly_share) == "96%"
    assert percent(found.response_rate) == "83%"
    assert percent(Tally(asked=4).strongly_share) == "—"


def test_an_answer_is_one_of_three() -> None:
    assert recommend_problem("strongly") is None
    problem = recommend_problem("very")
    assert problem is not None
    assert "strongly, somewhat, not" in problem


def test_free_text_is_trimmed_kept_to_its_length_and_refuses_control_characters() -> None:
    assert checked_text("what worked", "  The case studies.\r\nAnd the cohort.\t ") == (
        "The case studies.\nAnd the cohort.")
    assert checked_text("what worked", "") == ""
    with pytest.raises(PathwiseError, match=f"at most {TEXT_MAX}"):
        checked_text("what worked", "x" * (TEXT_MAX + 1))
    with pytest.raises(PathwiseError, match="control character \\(U\\+0007\\)"):
        checked_text("what to change", "bell\x07")
    with pytest.raises(PathwiseError, match="expected text"):
        checked_text("what to change", 3)


def test_an_evaluation_closes_thirty_days_after_the_last_meeting_or_being_asked() -> None:
    assert closes_on(dt.date(2026, 3, 1)) == dt.date(2026, 3, 31)
    assert closes_on(dt.date(2026, 3, 1), dt.date(2026, 3, 2)) == dt.date(2026, 4, 1)
