"""Keeping each participant's stored standing true: the only writer of `StandingRow`.

`refresh_standing` runs inside the transaction of whatever changed the
participant (records, seats, deadline), so the list never shows a standing the
database no longer supports; `refresh_all` runs daily, because statuses move
with the date even when nothing else changes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from pathwise.catalog.models import Offering
from pathwise.catalog.read import Catalogue, catalogue_for
from pathwise.core.risk import risk_kind
from pathwise.core.standing import changes_on, reason_text
from pathwise.core.when import zone_named
from pathwise.enrollment.models import Seat
from pathwise.notifications.mail import tell
from pathwise.notifications.webhooks import notify
from pathwise.participants import models as m
from pathwise.participants.convert import core_employment, core_records, to_core
from pathwise.standing.models import RefreshRun, StandingRow
from pathwise.standing.read import LIVE, ParticipantStanding, standing_from, standing_of


def _values(found: ParticipantStanding, old: StandingRow | None) -> dict[str, Any]:
    """What the row holds for this standing (`old` keeps its status's first day)."""
    s = found.standing
    audit = s.audit
    plan = s.plan
    participant = found.participant
    return {
        "enrollment": found.enrollment,
        "status": s.status,
        "status_since": (old.status_since if old is not None and old.status == s.status
                         else found.today),
        "deadline": audit.deadline,
        "certified_on": audit.certified_on,
        "left": [r.title for r in audit.unmet],
        "left_count": len(audit.unmet),
        "plan_feasible": plan.feasible if plan is not None else None,
        "plan_finishes_on": plan.finishes_on if plan is not None else None,
        "reason": (reason_text(found.program, s.reasons[0]) if s.reasons else ""),
        "next_step": found.next.text,
        "risk": risk_kind(s.status, s.reasons[0] if s.reasons else "") or "",
        "as_of": found.today,
        "changes_on": changes_on(s, found.records, found.today, now=found.now,
                                 zone=participant.timezone),
        "public_id": participant.public_id,
        "name": participant.name,
        "organization": participant.organization or "",
        "timezone": participant.timezone,
        "extended": found.enrollment.deadline_extended_to is not None,
        "stale": False,
    }


def _notify_if_changed(old: StandingRow | None, row: StandingRow,
                       participant: m.Participant) -> None:
    if old is None or (old.status, old.next_step) != (row.status, row.next_step):
        notify("standing.changed", f"/api/v1/participants/{row.public_id}/standing/",
               participant=row.public_id)
    # Told once, when the stored status becomes one of these; a daily refresh that finds
    # it the same writes nothing. A first row is no change: an import is not news.
    if old is not None and old.status != row.status and row.status in WARNED:
        page = f"{settings.BASE_URL}{reverse('progress', args=[row.public_id])}"
        tell(participant, f"Your standing: {WARNED[row.status]}",
             f"Your standing in the program is now {WARNED[row.status].lower()}"
             + (f": {row.reason}" if row.reason else ".")
             + f"\n\n{row.next_step}\n\nYour progress page: {page}",
             kind="standing.at_risk")


#: The statuses a participant is told they have come to.
WARNED = {"at_risk": "At risk", "overdue": "Overdue"}


def refresh_standing(participant: m.Participant, *, now: dt.datetime | None = None,
                     catalogue: Catalogue | None = None) -> StandingRow | None:
    """Recompute and store where `participant` stands; None (and no row) if not enrolled."""
    found = standing_of(participant, now=now, catalogue=catalogue)
    with transaction.atomic():
        if found is None:
            StandingRow.objects.filter(participant=participant).delete()
            return None
        old = StandingRow.objects.filter(participant=participant).first()
        row, _ = StandingRow.objects.update_or_create(participant=participant,
                                                      defaults=_values(found, old))
        _notify_if_changed(old, row, participant)
        return row


#: Participants read and written together by the daily refresh.
BATCH = 500


def refresh_all(*, now: dt.datetime | None = None, stale_only: bool = False) -> int:
    """Recompute every enrolled participant's standing; how many rows were brought to
    their own today.

    With `stale_only`, the hourly pass: recomputes those with no row, those marked
    stale by a change to the catalogue, and those whose own date has reached their
    row's `changes_on`; any other row whose date moved on only has its `as_of` moved
    (nothing in it could have changed). Participants are read, worked out and
    written `BATCH` at a time, in a few queries each, one catalogue per version.
    """
    now = now or timezone.now()
    enrolled = set(m.Enrollment.objects.values_list("participant_id", flat=True))
    todo: list[int] = []
    advance: dict[dt.date, list[int]] = {}
    if stale_only:
        today_in: dict[str, dt.date] = {}
        stored: dict[int, tuple[dt.date, bool, dt.date | None, str]] = {
            pid: (as_of, stale, changes, zone) for pid, as_of, stale, changes, zone in
            StandingRow.objects.values_list("participant_id", "as_of", "stale", "changes_on",
                                            "timezone")}
        for pid in sorted(enrolled):
            found = stored.get(pid)
            if found is None or found[1]:
                todo.append(pid)
                continue
            as_of, _, changes, zone = found
            today = today_in.get(zone)
            if today is None:
                today = today_in[zone] = now.astimezone(zone_named(zone)).date()
            due = changes is not None and changes <= today
            if due:
                todo.append(pid)
            elif as_of < today:
                advance.setdefault(today, []).append(pid)
    else:
        todo = sorted(enrolled)
    count = 0
    for today, ids in advance.items():
        for start in range(0, len(ids), BATCH):
            count += StandingRow.objects.filter(
                participant_id__in=ids[start:start + BATCH]).update(as_of=today)
    catalogues: dict[int, Catalogue] = {}
    for start in range(0, len(todo), BATCH):
        count += _refresh_batch(todo[start:start + BATCH], now, catalogues)
    return count


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a batch is worked out.

    A batch allocates tens of thousands of objects that all live until it is
    written (model rows, records, plans); each allocation burst set the collector
    off over the whole heap again, which was about 40% of the hourly pass.
    Nothing in a batch waits for a cycle to be collected: the next collection
    after it finds whatever cycles it left.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# What a recomputed row may differ in from its old self when nothing it shows changed.
_DATED = frozenset({"as_of", "changes_on"})


def _same_but_dated(old: StandingRow, values: dict[str, Any]) -> bool:
    """Whether `values` differ from `old` only in the day they are as of and may change."""
    if old.stale or old.enrollment_id != values["enrollment"].pk:
        return False
    return all(getattr(old, key) == value for key, value in values.items()
               if key not in _DATED and key != "enrollment")


def _refresh_batch(ids: list[int], now: dt.datetime, catalogues: dict[int, Catalogue]) -> int:
    """Recompute these participants' standing from rows read in bulk; how many."""
    with _collector_paused():
        return _refresh_batch_now(ids, now, catalogues)


def _refresh_batch_now(ids: list[int], now: dt.datetime,
                       catalogues: dict[int, Catalogue]) -> int:
    latest: dict[int, m.Enrollment] = {}
    for read in (m.Enrollment.objects.select_related("participant", "program_version", "intake")
                 .filter(participant_id__in=ids).order_by("participant__public_id", "enrolled_on")):
        latest[read.participant_id] = read  # ordered by day: the last one
    records = core_records([e.pk for e in latest.values()])
    employment = core_employment(list(latest))
    seats: dict[int, list[Seat]] = {pid: [] for pid in ids}
    for seat in (Seat.objects.filter(participant_id__in=ids, status__in=LIVE)
                 .select_related("offering__intake", "offering__program_version")
                 .order_by("offering__starts_on", "offering__code")):
        seats[seat.participant_id].append(seat)
    old_rows = StandingRow.objects.in_bulk(ids)
    written = timezone.now()
    changed: list[StandingRow] = []
    added: list[StandingRow] = []
    people: dict[int, m.Participant] = {}
    # Rows whose words, status and dates shown stay as they were: only their as-of and
    # next day move, in one UPDATE per pair of days instead of being written again.
    dated: dict[tuple[dt.date, dt.date | None], list[int]] = {}
    for pid in ids:
        enrollment = latest.get(pid)
        if enrollment is None:
            continue
        version = enrollment.program_version
        if version.pk not in catalogues:
            catalogues[version.pk] = catalogue_for(version)
        found = standing_from(enrollment.participant, enrollment, tuple(seats[pid]),
                              now=now, catalogue=catalogues[version.pk],
                              records=to_core(enrollment, records=records[enrollment.pk],
                                              employment=employment[pid]))
        old = old_rows.get(pid)
        people[pid] = enrollment.participant
        values = _values(found, old)
        if old is not None and _same_but_dated(old, values):
            dated.setdefault((values["as_of"], values["changes_on"]), []).append(pid)
            continue
        row = StandingRow(participant_id=pid, updated_at=written, **values)
        (added if old is None else changed).append(row)
    with transaction.atomic():
        for (as_of, changes), same in dated.items():
            StandingRow.objects.filter(participant_id__in=same).update(
                as_of=as_of, changes_on=changes, updated_at=written)
        # Replaced whole, in two statements: `bulk_update` builds a CASE per field and
        # row, which cost more than working the standings out.
        StandingRow.objects.filter(participant_id__in=[r.participant_id for r in changed]
                                   ).delete()
        _insert([*changed, *added])
        for row in (*changed, *added):
            _notify_if_changed(old_rows.get(row.participant_id), row,
                               people[row.participant_id])
    return len(changed) + len(added) + sum(map(len, dated.values()))


def _insert(rows: list[StandingRow]) -> None:
    """INSERT the rows in one `executemany`, each value prepared as `bulk_create` would:
    its SQL, built per row and field in Python, cost more than the statement."""
    if not rows:
        return
    fields = StandingRow._meta.concrete_fields
    quote = connection.ops.quote_name
    # Names from the model, every value bound as a parameter.
    sql = (f"INSERT INTO {quote(StandingRow._meta.db_table)} "  # noqa: S608
           f"({', '.join(quote(str(f.column)) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    with connection.cursor() as cursor:
        cursor.executemany(sql, [[f.get_db_prep_save(getattr(row, f.attname), connection)
                                  for f in fields] for row in rows])


def hourly_pass(slot: dt.datetime, *, now: dt.datetime | None = None) -> int | None:
    """The refresh for one hour, done once however many workers ask: the first to lock
    the hour's row does it; the others find it finished. None if it already was."""
    with transaction.atomic():
        RefreshRun.objects.get_or_create(slot=slot)
        run = RefreshRun.objects.select_for_update().get(slot=slot)
        if run.finished_at is not None:
            return None
        run.refreshed = refresh_all(now=now, stale_only=True)
        run.finished_at = timezone.now()
        run.save(update_fields=["refreshed", "finished_at"])
        return run.refreshed


def catalogue_changed(offering: Offering) -> None:
    """A run was published or its meetings changed: whoever holds a place on it stands
    anew now, in the change's transaction; everyone else of its program version at the
    next hourly pass (their plans may use it, and a whole version is too many to redo
    in one request)."""
    StandingRow.objects.filter(enrollment__program_version_id=offering.program_version_id,
                               stale=False).update(stale=True)
    holders = m.Participant.objects.filter(seats__offering=offering,
                                           seats__status__in=("enrolled", "waitlisted"))
    for participant in holders.distinct():
        refresh_standing(participant)
