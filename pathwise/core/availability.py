"""A participant's availability: the weekly windows, in their own zone, they can meet in.

A records file carries them verbatim (`participant.availability`); they are
checked here when the file is read, so a stored participant never holds
windows the planner would refuse, and the planner reads them back from here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pathwise.core.errors import PathwiseError
from pathwise.core.inputs import is_identifier, show_value
from pathwise.core.offerings import WEEKDAYS


@dataclass(frozen=True, slots=True)
class Window:
    """Weekdays (0 = Monday) and a span of minutes after local midnight, end included."""

    days: frozenset[int]
    start: int
    end: int


_CLOCK = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)\Z")


def parse_availability(raw: Sequence[Mapping[str, Any]] | None, *, source: str,
                       error: type[PathwiseError] = PathwiseError
                       ) -> tuple[Window, ...] | None:
    """The participant's availability windows; None when they gave none (any time suits).

    `error` is the exception raised for a bad window, named after whoever asked.
    """
    if raw is None:
        return None

    def fail(where: str, what: str) -> PathwiseError:
        return error(f"{source}: participant.availability{where}: {what}")

    if not raw:
        raise fail("", "needs at least one window (leave availability out to mean any time)")
    windows: list[Window] = []
    for index, item in enumerate(raw):
        at = f"[{index}]"
        for key in item:
            if key not in ("days", "from", "to"):
                name = key if is_identifier(key) else show_value(key)
                raise fail(f"{at}.{name}", "unknown key (allowed: days, from, to)")
        for key in ("days", "from", "to"):
            if key not in item:
                raise fail(f"{at}.{key}", "missing required key")
        days = item["days"]
        if not isinstance(days, list) or not days:
            raise fail(f"{at}.days", f"expected a non-empty list of days such as "
                       f"[\"MO\", \"TU\"], got {show_value(days)}")
        for day in days:
            if not isinstance(day, str) or day not in WEEKDAYS:
                raise fail(f"{at}.days", f"{show_value(day)} is not one of {', '.join(WEEKDAYS)}")
        start = _minutes(item["from"], allow_midnight_end=False)
        if start is None:
            raise fail(f"{at}.from", f"expected a time as HH:MM, got {show_value(item['from'])}")
        end = _minutes(item["to"], allow_midnight_end=True)
        if end is None:
            raise fail(f"{at}.to", f"expected a time as HH:MM (or 24:00), got "
                       f"{show_value(item['to'])}")
        if end <= start:
            raise fail(f"{at}.to", f"{item['to']} is not after from {item['from']}")
        windows.append(Window(frozenset(WEEKDAYS.index(d) for d in days), start, end))
    return tuple(windows)


def _minutes(value: object, *, allow_midnight_end: bool) -> int | None:
    if allow_midnight_end and value == "24:00":
        return 24 * 60
    if not isinstance(value, str):
        return None
    match = _CLOCK.match(value)
    return int(match[1]) * 60 + int(match[2]) if match else None
