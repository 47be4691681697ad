"""The learning platform (LMS): which link a participant follows, and for how long.

The program promises access "for the duration of the program": from the day they
enrolled to their deadline. A run may have a link of its own (its course space),
which overrides its program version's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlsplit

from pathwise.core.inputs import control_character

URL_MAX = 500


def url_problem(value: object) -> str | None:
    """Why `value` is not an LMS link we may show participants, or None when it is."""
    if not isinstance(value, str) or not value:
        return "expected a link such as https://lms.example.org/course/1"
    if len(value) > URL_MAX:
        return f"the link is {len(value)} characters long; at most {URL_MAX}"
    if control_character(value) is not None or any(c.isspace() for c in value):
        return "the link contains a space or control character"
    try:
        parts = urlsplit(value)
        port_given = parts.port is not None  # reading it refuses a port that is no number
    except ValueError:
        return f"{value[:60]!r} is not a link"
    if parts.scheme != "https":
        return "the link must start with https:// (participants sign in there)"
    if not parts.hostname or "." not in parts.hostname or parts.username or parts.password:
        return f"{value[:60]!r} names no web server (or holds a password)"
    if port_given and parts.port == 0:
        return f"{value[:60]!r} names port 0"
    return None


@dataclass(frozen=True)
class Window:
    opens_on: dt.date
    closes_on: dt.date

    def open_on(self, day: dt.date) -> bool:
        return self.opens_on <= day <= self.closes_on


def access_window(enrolled_on: dt.date, deadline: dt.date) -> Window:
    return Window(enrolled_on, max(enrolled_on, deadline))

