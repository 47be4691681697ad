"""Contacts staff made with a participant outside the app: the only writer of `Contact`."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from pathwise.auditlog.log import Actor, log
from pathwise.core.errors import PathwiseError
from pathwise.core.inputs import control_character, date_problem
from pathwise.notifications.models import Contact
from pathwise.participants.models import Participant

NOTE_MAX = 1000
CHANNELS = dict(Contact.CHANNELS)


def contact_problem(channel: str, contacted_on: dt.date, note: str, *,
                    today: dt.date | None = None) -> str | None:
    """What is wrong with this contact, in words; None when it can be recorded."""
    if channel not in CHANNELS:
        return (f"channel: {channel[:20]!r} is not a channel (one of "
                f"{', '.join(CHANNELS)})")
    if (problem := date_problem(contacted_on)) is not None:
        return f"date: {problem}"
    # A day ahead is still today somewhere in the world.
    latest = (today or timezone.localdate()) + dt.timedelta(days=1)
    if contacted_on > latest:
        return f"date: {contacted_on.isoformat()} is in the future; record a contact once made"
    if not note.strip():
        return "note: say what was discussed"
    if len(note) > NOTE_MAX:
        return f"note: it is {len(note)} characters; at most {NOTE_MAX}"
    control = control_character(note.replace("\n", ""))
    if control is not None:
        return (f"note: it contains a control character (U+{ord(control):04X}); write plain "
                "text, in lines")
    return None


def record_contact(participant: Participant, channel: str, contacted_on: dt.date, note: str,
                   actor: Actor, *, today: dt.date | None = None) -> Contact:
    """Record that staff got in touch with `participant` (audited); refused naming what is
    wrong, with nothing saved."""
    note = note.replace("\r\n", "\n").replace("\r", "\n").strip()
    if (problem := contact_problem(channel, contacted_on, note, today=today)) is not None:
        raise PathwiseError(problem)
    with transaction.atomic():
        Participant.objects.select_for_update().get(pk=participant.pk)
        contact = Contact.objects.create(participant=participant, channel=channel,
                                         contacted_on=contacted_on, note=note,
                                         recorded_by=actor.label)
        log(actor, "participant.contacted", target_type="contact", target_id=str(contact.pk),
            participant=participant, new={"channel": channel,
                                          "date": contacted_on.isoformat(), "note": note})
        return contact
