"""The evaluation block of a participant's progress page, and how a share is written."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from django import template
from django.utils import timezone

from pathwise.core.evaluations import percent
from pathwise.evaluations.read import asked
from pathwise.participants.models import Participant
from pathwise.runs.read import component_of

register = template.Library()


@register.filter
def share(value: Fraction | None) -> str:
    return percent(value)


@register.inclusion_tag("evaluations/_on_progress.html")
def evaluations_of(participant: Participant, own: bool) -> dict[str, Any]:
    """Their evaluations still open, and (for staff) the closed ones too; whether each
    was answered, never what it said."""
    today = timezone.localdate()
    rows = [{"row": r, "name": component_of(r.offering).name, "open": today <= r.closes_on}
            for r in asked(participant)]
    return {"rows": [r for r in rows if r["open"] or not own], "own": own}
