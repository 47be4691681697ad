"""The capstone section of a participant's progress page, in one tag."""

from __future__ import annotations

from typing import Any

from django import template

from pathwise.capstone.forms import SubmissionForm
from pathwise.capstone.read import capstone_of

register = template.Library()


@register.inclusion_tag("capstone/_section.html", takes_context=True)
def capstone_section(context: template.Context) -> dict[str, Any]:
    participant = context["participant"]
    request = context.get("request")
    # The progress page has read their enrollment with its records already.
    return {"state": capstone_of(participant, enrollment=context.get("enrollment")),
            "participant": participant,
            "own": context.get("own", False), "form": SubmissionForm(),
            "staff": bool(request is not None and request.user.is_staff),
            "csrf_token": context.get("csrf_token")}
