"""The learning-platform block of a participant's progress page."""

from __future__ import annotations

from typing import Any

from django import template

from pathwise.lms.read import access_of
from pathwise.participants.models import Enrollment, Participant

register = template.Library()


@register.inclusion_tag("lms/_on_progress.html")
def lms_access(participant: Participant, own: bool,
               enrollment: Enrollment | None = None) -> dict[str, Any]:
    return {"access": access_of(participant, enrollment=enrollment), "own": own}
