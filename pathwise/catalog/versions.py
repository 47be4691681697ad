"""Every change to a run or to a seat on it counts one more on the run's `revision`.

The count is bumped with an UPDATE in the transaction of the change itself (the
model signals fire inside it, whoever writes: actions, the demo, fixtures), so
it commits or rolls back with it. A program version's catalogue is then known
by (how many runs, the newest run's id, the sum of their revisions): each
committed change adds exactly one to the sum, so any change anywhere, in any
process, gives a key never seen before, however the commits interleave (a
newest `updated_at` would not: a change stamped earlier can commit later).

Seat changes already hold their run's row (`pathwise.enrollment.actions._lock`),
so the UPDATE waits on nothing new.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, signals

from pathwise.catalog.models import Intake, Offering


def _bump(**runs: Any) -> None:
    Offering.objects.filter(**runs).update(revision=F("revision") + 1)


def _offering_saved(sender: type, instance: Offering, **_: Any) -> None:
    _bump(pk=instance.pk)


def _seat_changed(sender: type, instance: Any, **_: Any) -> None:
    _bump(pk=instance.offering_id)


def _intake_saved(sender: type, instance: Intake, **_: Any) -> None:
    _bump(intake_id=instance.pk)  # the runs show its code


def connect() -> None:
    signals.post_save.connect(_offering_saved, sender=Offering,
                              dispatch_uid="catalog.offering-revision")
    signals.post_save.connect(_intake_saved, sender=Intake,
                              dispatch_uid="catalog.intake-revision")
    for signal in (signals.post_save, signals.post_delete):
        signal.connect(_seat_changed, sender="enrollment.Seat",
                       dispatch_uid=f"catalog.seat-revision.{id(signal)}")
