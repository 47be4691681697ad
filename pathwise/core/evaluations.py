"""Course evaluations: what an answer may say, when it closes, and what a run's answers add up to.

The share who would strongly recommend a course is the figure CSCCE quotes ("over
95% of our learners would strongly recommend our trainings"): of those who answered,
not of those asked. Instructors see a run's figures and comments only once enough
people have answered that no single answer can be told apart (`INSTRUCTOR_MINIMUM`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal, get_args

from pathwise.core.errors import PathwiseError
from pathwise.core.inputs import control_character

Recommend = Literal["strongly", "somewhat", "not"]
RECOMMEND: tuple[Recommend, ...] = get_args(Recommend)
RECOMMEND_LABELS: dict[Recommend, str] = {
    "strongly": "Yes, strongly", "somewhat": "Yes, somewhat", "not": "No"}

#: The most a free-text answer may say.
TEXT_MAX = 2000
#: Answers may be given or changed until this many days after they were asked (within
#: the hour the run's last meeting ended).
OPEN_DAYS = 30
#: Fewer answers than this and an instructor sees neither the figures nor the comments.
INSTRUCTOR_MINIMUM = 3


def closes_on(last_meeting: dt.date, asked_on: dt.date | None = None) -> dt.date:
    """The last day an evaluation may be answered or changed: OPEN_DAYS after the run's
    last meeting, or after the day they were asked if that was later."""
    return max(last_meeting, asked_on or last_meeting) + dt.timedelta(days=OPEN_DAYS)


def recommend_problem(value: object) -> str | None:
    if value in RECOMMEND:
        return None
    return f"would you recommend it: one of {', '.join(RECOMMEND)}, not {value!r}"[:200]


def checked_text(label: str, value: object) -> str:
    """`value` as stored: trimmed, at most TEXT_MAX characters, line breaks and tabs allowed
    but no other control character; empty is allowed (the question is optional)."""
    if not isinstance(value, str):
        raise PathwiseError(f"{label}: expected text")
    text = value.replace("\r\n", "\n").strip()
    if len(text) > TEXT_MAX:
        raise PathwiseError(f"{label} is {len(text)} characters long; at most {TEXT_MAX}")
    control = control_character(text.replace("\n", "").replace("\t", ""))
    if control is not None:
        raise PathwiseError(f"{label} contains a control character (U+{ord(control):04X})")
    return text


@dataclass(frozen=True)
class Tally:
    """What a set of answers adds up to."""

    asked: int
    strongly: int = 0
    somewhat: int = 0
    not_: int = 0

    @property
    def answered(self) -> int:
        return self.strongly + self.somewhat + self.not_

    @property
    def strongly_share(self) -> Fraction | None:
        """The share of those who answered who would strongly recommend; None before any."""
        return Fraction(self.strongly, self.answered) if self.answered else None

    @property
    def response_rate(self) -> Fraction | None:
        return Fraction(self.answered, self.asked) if self.asked else None

    @property
    def shown_to_instructors(self) -> bool:
        return self.answered >= INSTRUCTOR_MINIMUM


def tally(answers: Iterable[Recommend], asked: int) -> Tally:
    """Count `answers` (one per person who answered) of `asked` people invited."""
    counts = dict.fromkeys(RECOMMEND, 0)
    for answer in answers:
        counts[answer] += 1
    return Tally(asked=max(asked, sum(counts.values())), strongly=counts["strongly"],
                 somewhat=counts["somewhat"], not_=counts["not"])


def combined(tallies: Iterable[Tally]) -> Tally:
    """Several runs' tallies as one (a course's)."""
    found = list(tallies)
    return Tally(asked=sum(t.asked for t in found), strongly=sum(t.strongly for t in found),
                 somewhat=sum(t.somewhat for t in found), not_=sum(t.not_ for t in found))


def percent(share: Fraction | None) -> str:
    """A share as a page shows it: '96%', or '—' when there is none."""
    return "—" if share is None else f"{round(share * 100)}%"
