"""Keeping each participant's stored standing true: the only writer of `StandingRow`.

`refresh_standing` runs inside the transaction of whatever changed the
participant (records, seats, deadline), so the list never shows a standing the
database no longer supports; `refresh_all` runs daily, because statuses move
with the date even when nothing else changes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
from collections.abc import Callable, Iterator
from typing import Any

import msgspec
from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from pathwise.catalog.models import Offering, ProgramVersion
from pathwise.catalog.read import Catalogue, catalogue_for
from pathwise.core.program import Program
from pathwise.core.records import ParticipantRecords
from pathwise.core.risk import risk_kind
from pathwise.core.standing import Standing, changes_on, reason_text, status_began
from pathwise.core.when import zone_named
from pathwise.enrollment.models import Seat
from pathwise.notifications.mail import tell
from pathwise.notifications.webhooks import notify
from pathwise.participants import models as m
from pathwise.participants.convert import (
    CORE_FILE_COLUMNS,
    core_employment,
    core_file,
    core_records,
)
from pathwise.standing.models import RefreshRun, StandingRow
from pathwise.standing.read import (
    ParticipantStanding,
    held_codes,
    standing_of,
    standing_over,
)


def _values(found: ParticipantStanding, old: StandingRow | None) -> dict[str, Any]:
    """What the row holds for this standing (`old` keeps its status's first day)."""
    return _row(found.program, found.standing, found.records, found.next.text,
                today=found.today, now=found.now, enrollment_id=found.enrollment.pk,
                since=(old.status_since if old is not None and old.status == found.standing.status
                       else None))


def _row(program: Program, s: Standing, records: ParticipantRecords, next_text: str, *,
         today: dt.date, now: dt.datetime, enrollment_id: int,
         since: dt.date | None) -> dict[str, Any]:
    """The row's columns for a standing worked out from `records` (`since`: the first day
    of its status, if it had it already; else the day the dates say it began)."""
    audit = s.audit
    plan = s.plan
    participant = records.participant
    return {
        "enrollment_id": enrollment_id,
        "status": s.status,
        "status_since": since or status_began(program, s, records, today),
        "deadline": audit.deadline,
        "certified_on": audit.certified_on,
        "left": [r.title for r in audit.unmet],
        "left_count": len(audit.unmet),
        "plan_feasible": plan.feasible if plan is not None else None,
        "plan_finishes_on": plan.finishes_on if plan is not None else None,
        "reason": (reason_text(program, s.reasons[0]) if s.reasons else ""),
        "next_step": next_text,
        "risk": risk_kind(s.status, s.reasons[0] if s.reasons else "") or "",
        "as_of": today,
        "changes_on": changes_on(program, s, records, today, now=now, zone=participant.timezone),
        "public_id": participant.id,
        "name": participant.name,
        "organization": participant.organization or "",
        "timezone": participant.timezone,
        "extended": records.deadline_extended_to is not None,
        "stale": False,
    }


def _notify_if_changed(old: tuple[str, str] | None, row: dict[str, Any],
                       participant: Callable[[], m.Participant]) -> None:
    """`old`: the stored row's status and next step, if there was one."""
    if old is None or old != (row["status"], row["next_step"]):
        notify("standing.changed", f"/api/v1/participants/{row['public_id']}/standing/",
               participant=row["public_id"])
    # Told once, when the stored status becomes one of these; a daily refresh that finds
    # it the same writes nothing. A first row is no change: an import is not news.
    status = row["status"]
    if old is not None and old[0] != status and status in WARNED:
        page = f"{settings.BASE_URL}{reverse('progress', args=[row['public_id']])}"
        tell(participant(), f"Your standing: {WARNED[status]}",
             f"Your standing in the program is now {WARNED[status].lower()}"
             + (f": {row['reason']}" if row["reason"] else ".")
             + f"\n\n{row['next_step']}\n\nYour progress page: {page}",
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
        values = _values(found, old)
        row, _ = StandingRow.objects.update_or_create(participant=participant, defaults=values)
        _notify_if_changed((old.status, old.next_step) if old is not None else None, values,
                           lambda: participant)
        return row


#: Participants read and written together by the daily refresh.
BATCH = 500

# The batch's filters name the related row's key (`participant__pk__in`), not the column
# (`participant_id__in`): the same SQL, but Django prepares 500 values as plain integers
# rather than normalising each as a related object, half the cost of building the query.


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
                participant__pk__in=ids[start:start + BATCH]).update(as_of=today)
    catalogues: dict[int, tuple[Catalogue, Program]] = {}
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


# The stored row's columns a recomputed one is compared with (and `stale`): all but the
# day it is as of and the day it may next change, which is all it may differ in when
# nothing it shows changed.
_COMPARED = ("enrollment_id", "status", "status_since", "deadline", "certified_on", "left",
             "left_count", "plan_feasible", "plan_finishes_on", "reason", "next_step", "risk",
             "public_id", "name", "organization", "timezone", "extended")


def _same_but_dated(old: dict[str, Any], values: dict[str, Any]) -> bool:
    """Whether `values` differ from `old` only in the day they are as of and may change."""
    return not old["stale"] and all(old[key] == values[key] for key in _COMPARED)


def _refresh_batch(ids: list[int], now: dt.datetime,
                   catalogues: dict[int, tuple[Catalogue, Program]]) -> int:
    """Recompute these participants' standing from rows read in bulk; how many."""
    with _collector_paused():
        return _refresh_batch_now(ids, now, catalogues)


def _refresh_batch_now(ids: list[int], now: dt.datetime,
                       catalogues: dict[int, tuple[Catalogue, Program]]) -> int:
    # Read as values, not model rows: only the core's records file is made of them.
    latest: dict[int, tuple[Any, ...]] = {}
    for read in (m.Enrollment.objects.filter(participant__pk__in=ids)
                 .order_by("participant__public_id", "enrolled_on")
                 .values_list("participant_id", "pk", "program_version_id", "intake__code",
                              *CORE_FILE_COLUMNS)):
        latest[read[0]] = read  # ordered by day: the last one
    records = core_records([e[1] for e in latest.values()])
    employment = core_employment(list(latest))
    seats: dict[int, list[tuple[str, str, int]]] = {pid: [] for pid in ids}
    for pid, status, code, version_id in (
            Seat.objects.filter(participant__pk__in=ids, status=Seat.ENROLLED)
            .order_by("offering__starts_on", "offering__code")
            .values_list("participant_id", "status", "offering__code",
                         "offering__program_version_id")):
        seats[pid].append((status, code, version_id))
    old_rows = {row["participant_id"]: row for row in StandingRow.objects.filter(
        participant__pk__in=ids).values("participant_id", "stale", *_COMPARED)}
    written = timezone.now()
    changed: list[dict[str, Any]] = []
    added: list[dict[str, Any]] = []
    # Rows whose words, status and dates shown stay as they were: only their as-of and
    # next day move, in one UPDATE per pair of days instead of being written again.
    dated: dict[tuple[dt.date, dt.date | None], list[int]] = {}
    for pid in ids:
        found = latest.get(pid)
        if found is None:
            continue
        _, enrollment_id, version_id, intake, *columns = found
        if version_id not in catalogues:
            version = ProgramVersion.objects.get(pk=version_id)
            catalogues[version_id] = (catalogue_for(version), version.program)
        catalogue, program = catalogues[version_id]
        core = msgspec.structs.replace(
            core_file(columns, records=records[enrollment_id], employment=employment[pid]),
            holding=held_codes(seats[pid], version_id))
        today, s, step = standing_over(program, core, now=now, catalogue=catalogue,
                                       intake=intake)
        old = old_rows.get(pid)
        values = _row(program, s, core, step.text, today=today, now=now,
                      enrollment_id=enrollment_id,
                      since=(old["status_since"] if old is not None and old["status"] == s.status
                             else None))
        if old is not None and _same_but_dated(old, values):
            dated.setdefault((values["as_of"], values["changes_on"]), []).append(pid)
            continue
        values["participant_id"] = pid
        values["updated_at"] = written
        (added if old is None else changed).append(values)
    told = [row["participant_id"] for row in changed
            if row["status"] in WARNED
            and old_rows[row["participant_id"]]["status"] != row["status"]]
    people = m.Participant.objects.in_bulk(told)
    with transaction.atomic():
        for (as_of, changes), same in dated.items():
            StandingRow.objects.filter(participant__pk__in=same).update(
                as_of=as_of, changes_on=changes, updated_at=written)
        # Replaced whole, in two statements: `bulk_update` builds a CASE per field and
        # row, which cost more than working the standings out.
        StandingRow.objects.filter(participant__pk__in=[r["participant_id"] for r in changed]
                                   ).delete()
        _insert([*changed, *added])
        for row in (*changed, *added):
            pid = row["participant_id"]
            old = old_rows.get(pid)
            _notify_if_changed((old["status"], old["next_step"]) if old is not None else None,
                               row, functools.partial(people.__getitem__, pid))
    return len(changed) + len(added) + sum(map(len, dated.values()))


def _insert(rows: list[dict[str, Any]]) -> None:
    """INSERT the rows (columns by field name) in one `executemany`, each value prepared
    as `bulk_create` would: its SQL, built per row and field in Python, cost more than
    the statement. Text, numbers and booleans go to the driver as they are."""
    if not rows:
        return
    fields = StandingRow._meta.concrete_fields
    quote = connection.ops.quote_name
    # Names from the model, every value bound as a parameter.
    sql = (f"INSERT INTO {quote(StandingRow._meta.db_table)} "  # noqa: S608
           f"({', '.join(quote(str(f.column)) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    preparing = [(f.attname, _preparer(f)) for f in fields]
    with connection.cursor() as cursor:
        cursor.executemany(sql, [[value if (value := row[name]) is None or prepare is None
                                  else prepare(value) for name, prepare in preparing]
                                 for row in rows])


#: Fields whose values (of their own Python type, or None) need no preparing.
_AS_THEY_ARE = frozenset({"CharField", "TextField", "BooleanField", "PositiveSmallIntegerField",
                          "ForeignKey", "OneToOneField"})


def _preparer(field: Any) -> Callable[[Any], Any] | None:
    """How a value of `field` goes to the driver: None, as it is; a date as the backend
    adapts it (`DateField.get_db_prep_value` of a date, without its steps); any other
    by the field."""
    kind = field.get_internal_type()
    if kind in _AS_THEY_ARE:
        return None
    if kind == "DateField":
        return connection.ops.adapt_datefield_value
    return functools.partial(field.get_db_prep_save, connection=connection)


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
