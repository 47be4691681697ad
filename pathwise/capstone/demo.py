"""The demo's capstones: two participants whose three courses are complete have sent
theirs in, so staff have a queue to review; the first was sent back once for changes."""

from __future__ import annotations

import datetime as dt

from pathwise.auditlog.log import Actor
from pathwise.capstone.actions import Upload, review_capstone, submit_capstone
from pathwise.capstone.read import capstone_of
from pathwise.participants import models as m

FIRST_DRAFT = """# Capstone: what the program changed

Our monthly community call had eight regulars. This reflection says what I tried.
"""

SECOND_DRAFT = FIRST_DRAFT + """
## What I would do again

- A code of conduct, written with the members and read at every call.
- Lightning talks at the skills share: three members now present their work.
"""


def load_demo_capstones(actor: Actor, enrollments: list[m.Enrollment], today: dt.date, *,
                        spare: set[str], staff: Actor) -> int:
    """Submissions waiting for review from the first two who may submit; none are added for
    someone who has sent one already (the demo loaded before). The number waiting."""
    now = dt.datetime.combine(today, dt.time(12), tzinfo=dt.UTC)
    ready = []
    for enrollment in enrollments:
        participant = enrollment.participant
        if participant.public_id in spare:
            continue
        # May submit from the first draft's day (nine days before the demo's day).
        state = capstone_of(participant, now=now - dt.timedelta(days=9))
        if state is not None and (state.submissions or state.may_submit):
            ready.append((participant, state))
        if len(ready) == 2:
            break
    for index, (participant, state) in enumerate(ready):
        if state.submissions:
            continue
        who = Actor(participant.public_id.lower(), participant.user)
        if index == 0:
            first = submit_capstone(participant, who, now=now - dt.timedelta(days=9),
                                    upload=Upload("capstone-draft.md", FIRST_DRAFT.encode()))
            review_capstone(first, "needs_changes", staff, now=now - dt.timedelta(days=6),
                            feedback="A good start. Say what you would do again, and what "
                                     "the members said.")
            submit_capstone(participant, who, now=now - dt.timedelta(days=2),
                            text="The second draft, as asked.",
                            upload=Upload("capstone.md", SECOND_DRAFT.encode()))
        else:
            submit_capstone(participant, who, now=now - dt.timedelta(days=4),
                            text=SECOND_DRAFT.replace(
                "monthly community call", "mailing list"))
    return len(ready)
