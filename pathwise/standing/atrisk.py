"""Who is at risk or overdue, why, since when, the last contact, and what to do about it.

Read from the stored standing (`StandingRow`), longest at risk first, with the
newest message the outbox holds for each and the newest contact staff recorded
by hand, whichever is later. The page, the API and the CLI all read it here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.urls import reverse

from pathwise.catalog.models import Intake, Offering
from pathwise.core.errors import PathwiseError
from pathwise.core.risk import KINDS, RiskKind, suggestion
from pathwise.enrollment.models import Seat
from pathwise.notifications.models import Contact, OutboxMessage
from pathwise.standing.models import StandingRow

AT_RISK = ("at_risk", "overdue")
CHANNELS = dict(Contact.CHANNELS)
STATUS_LABELS = dict(StandingRow.STATUS_CHOICES)


@dataclass(frozen=True)
class LastContact:
    """The latest the participant heard from us: an e-mail the outbox holds, or a contact."""

    on: dt.date
    channel: str  # "email" for an outbox message, else a contact's channel
    summary: str  # the message's subject, or the contact's note
    by_hand: bool  # a contact staff recorded (not a message the app sent)

    @property
    def channel_label(self) -> str:
        return CHANNELS.get(self.channel, "E-mail").lower()

    def to_json(self) -> dict[str, Any]:
        return {"on": self.on.isoformat(), "channel": self.channel, "summary": self.summary,
                "recorded_by_hand": self.by_hand}


@dataclass(frozen=True)
class AtRisk:
    row: StandingRow
    kind: RiskKind
    action: str
    last_contact: LastContact | None
    runs: tuple[str, ...]  # the runs they hold a seat in
    days: int  # since the status was first seen

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.row.status]

    def to_json(self) -> dict[str, Any]:
        row = self.row
        return {"participant": row.public_id, "name": row.name, "status": row.status,
                "since": row.status_since.isoformat(), "days": self.days,
                "reason_kind": self.kind, "reason": row.reason or self.kind_label,
                "left": list(row.left), "deadline": row.deadline.isoformat(),
                "action": self.action, "runs": list(self.runs),
                "last_contact": self.last_contact.to_json() if self.last_contact else None,
                "url": reverse("progress", args=[row.public_id])}


def check_filters(*, intake: str = "", run: str = "", kind: str = "") -> list[str]:
    """What is wrong with these filters, one message each (none when all are known)."""
    problems = []
    if intake and not Intake.objects.filter(code=intake).exists():
        problems.append(f"There is no intake {intake[:40]!r}.")
    if run and not Offering.objects.filter(code=run).exists():
        problems.append(f"There is no run {run[:40]!r}.")
    if kind and kind not in KINDS:
        problems.append(f"Unknown reason {kind[:40]!r}: one of {', '.join(KINDS)}.")
    return problems


def at_risk(*, intake: str = "", run: str = "", kind: str = "") -> QuerySet[StandingRow]:
    """Everyone at risk or overdue (of `intake`, holding a seat on `run`, at risk for
    `kind`), longest at risk first; unknown filters are refused naming them."""
    problems = check_filters(intake=intake, run=run, kind=kind)
    if problems:
        raise PathwiseError(" ".join(problems))
    rows = StandingRow.objects.filter(status__in=AT_RISK)
    if intake:
        rows = rows.filter(enrollment__intake__code=intake)
    if run:
        rows = rows.filter(Exists(Seat.objects.filter(
            participant_id=OuterRef("participant_id"), offering__code=run,
            status=Seat.ENROLLED)))
    if kind:
        rows = rows.filter(risk=kind)
    newest = OutboxMessage.objects.filter(participant_id=OuterRef("participant_id"))
    contact = Contact.objects.filter(participant_id=OuterRef("participant_id"))
    return rows.order_by("status_since", "public_id").annotate(
        message_at=Subquery(newest.values("created_at")[:1]),
        message_subject=Subquery(newest.values("subject")[:1]),
        contact_on=Subquery(contact.values("contacted_on")[:1]),
        contact_channel=Subquery(contact.values("channel")[:1]),
        contact_note=Subquery(contact.values("note")[:1]))


def _last_contact(row: Any) -> LastContact | None:
    sent: dt.datetime | None = row.message_at
    by_hand: dt.date | None = row.contact_on
    if by_hand is not None and (sent is None or by_hand >= sent.date()):
        return LastContact(by_hand, row.contact_channel, row.contact_note, True)
    if sent is not None:
        return LastContact(sent.date(), "email", row.message_subject, False)
    return None


def entries(rows: Iterable[StandingRow], today: dt.date) -> list[AtRisk]:
    """Each row of `at_risk` (a page of it) with its kind, action, last contact and runs."""
    listed = list(rows)
    held: dict[int, list[str]] = {}
    for pid, code in (Seat.objects.filter(participant_id__in=[r.participant_id for r in listed],
                                          status=Seat.ENROLLED)
                      .order_by("offering__starts_on", "offering__code")
                      .values_list("participant_id", "offering__code")):
        held.setdefault(pid, []).append(code)
    out = []
    for row in listed:
        # A row stored before kinds were has none until the next hourly pass.
        kind: RiskKind = row.risk if row.risk in KINDS else (
            "overdue" if row.status == "overdue" else "time")
        out.append(AtRisk(row, kind, suggestion(kind, row.reason, row.deadline),
                          _last_contact(row), tuple(held.get(row.participant_id, ())),
                          # Their own today may be ahead of the viewer's.
                          max(0, (today - row.status_since).days)))
    return out
