"""Dates and times on pages, written one way everywhere (see `pathwise.core.when`).

    {{ day|day }}              Tue 18 Jan 2027
    {{ moment|clock:zone }}    Tue 18 Jan 2027, 09:00
    {{ moment|moment:zone }}   Tue 18 Jan 2027, 09:00 (Europe/London, GMT)

Without a zone, the viewer's (the one the site activated for the request).
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

from pathwise.core.when import day_text, local, moment_text, time_text

register = template.Library()


def _zone(zone: str | None) -> str:
    return zone or timezone.get_current_timezone_name()


@register.filter
def day(value: dt.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return day_text(value)


@register.filter
def clock(value: dt.datetime | None, zone: str | None = None) -> str:
    return time_text(value, _zone(zone)) if value is not None else ""


@register.filter
def hour(value: dt.datetime | None, zone: str | None = None) -> str:
    """"09:30", on the clock of `zone` (the viewer's by default)."""
    return f"{local(value, _zone(zone)):%H:%M}" if value is not None else ""


@register.filter
def moment(value: dt.datetime | None, zone: str | None = None) -> str:
    return moment_text(value, _zone(zone)) if value is not None else ""
