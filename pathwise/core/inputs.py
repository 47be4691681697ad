"""What a value from outside may be: identifiers, plausible dates and one-line text.

Every door — records and offerings files, the catalogue's actions, forms, the
command line — asks these rules, so a value that would break a page, a file
name, a download header, a calendar feed or an e-mail later is refused where it
enters, in the same words everywhere.

- An **identifier** (participant id, offering code, intake code) is 1 to 40
  letters, digits, ``-``, ``_`` and ``.``, and not ``.`` or ``..``: it is safe
  as a file name, in a URL and in a header, with no escaping.
- A **date** lies between 1900-01-01 and 2200-12-31. That is wider than any
  real enrollment, job or run, and narrow enough that every calculation on it
  (a two-year window, an extension, a meeting moved a week, a calendar year)
  stays far from the year 9999 at which Python's dates end.
- **Text** (a name, an organization, a role) is one line: not blank, no
  control characters (NUL, tab, CR, LF, …) and no Unicode line or paragraph
  separators, which split headers, calendar lines and e-mail subjects.
- An **e-mail address** is one ``local@domain`` with nothing around it, so it
  can never smuggle a second recipient or a header.

`locate` and `out_of_range` turn what msgspec says about a file it
refused into the key path and words of our errors.
"""

from __future__ import annotations

import datetime as dt
import re
import string

import msgspec

IDENTIFIER_MAX = 40
IDENTIFIER_RULE = (f"1 to {IDENTIFIER_MAX} letters, digits, '-', '_' or '.', and not '.' or '..'")
_IDENTIFIER_CHARS = string.ascii_letters + string.digits + "-_."
_DOTS = frozenset((".", ".."))

EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2200, 12, 31)

TEXT_MAX = 200
# C0 and C1 controls (NUL, TAB, CR, LF, ESC, DEL, NEL, …) and the line/paragraph separators.
_CONTROLS = r"\x00-\x1f\x7f-\x9f\u2028\u2029"
_CONTROL = re.compile(f"[{_CONTROLS}]")

EMAIL_MAX = 254
# One addr-spec: no spaces, quotes, brackets, commas or semicolons, which would
# make a list of addresses or a display name of it.
_ADDRESS_PART = rf"[^\s{_CONTROLS}@,;:<>()\[\]\\\"]+"
EMAIL_PATTERN = rf"^{_ADDRESS_PART}@{_ADDRESS_PART}\Z"
_EMAIL = re.compile(EMAIL_PATTERN)


def show_value(value: object) -> str:
    """A value for an error message: its repr, cut short, and safe for any value.

    Python refuses to print an integer of more than 4,300 digits, and a deeply
    nested list has no repr either; both are described instead.
    """
    if isinstance(value, int) and value.bit_length() > 128:
        return f"a number of about {int(value.bit_length() * 0.30103)} digits"
    try:
        text = repr(value)
    except (ValueError, RecursionError):
        return f"a {type(value).__name__} too large to show"
    return text if len(text) <= 60 else text[:57] + "..."


def identifier_problem(value: object) -> str | None:
    """Why `value` is not an identifier, or None when it is one."""
    # Stripping the allowed characters leaves nothing of an identifier: one call in C, a
    # third cheaper than a regular expression (every records file's participant id).
    if (isinstance(value, str) and 0 < len(value) <= IDENTIFIER_MAX
            and not value.strip(_IDENTIFIER_CHARS) and value not in _DOTS):
        return None
    return f"{show_value(value)} is not an identifier ({IDENTIFIER_RULE})"


def is_identifier(value: object) -> bool:
    return identifier_problem(value) is None


def date_problem(day: dt.date) -> str | None:
    """Why `day` is not a plausible date, or None when it is."""
    if EARLIEST_DATE <= day <= LATEST_DATE:
        return None
    return (f"{day.isoformat()} is outside the plausible range "
            f"{EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()}")


def lines_problem(text: str, *, what: str, max_length: int) -> str | None:
    """Why `text`, written in lines (feedback, a note), cannot be kept: too long, or a
    control character other than a line break or a tab. None when it can."""
    if len(text) > max_length:
        return f"the {what} is {len(text)} characters; at most {max_length}"
    control = control_character(text.replace("\r\n", "\n").replace("\n", "").replace("\t", ""))
    if control is not None:
        return (f"the {what} contains a control character (U+{ord(control):04X}); write "
                "plain text, in lines")
    return None


def text_problem(value: object, *, max_length: int = TEXT_MAX) -> str | None:
    """Why `value` is not one line of text, or None when it is."""
    # Printable text has no control characters: the common case costs one call.
    if (isinstance(value, str) and value.isprintable() and value and not value.isspace()
            and len(value) <= max_length):
        return None
    if not isinstance(value, str) or not value.strip():
        return f"expected a non-empty string, got {show_value(value)}"
    control = control_character(value)
    if control is not None:
        return (f"{show_value(value)} contains a control character or line break "
                f"(U+{ord(control):04X}); text must be one line")
    if len(value) > max_length:
        return (f"{show_value(value)} is {len(value)} characters long; at most {max_length} "
                "are allowed")
    return None


def control_character(text: str) -> str | None:
    """The first control character or line/paragraph separator in `text`, if any."""
    found = _CONTROL.search(text)
    return found.group() if found is not None else None


def one_line(text: str) -> str:
    """`text` with each control character or line break written as its escape (\\n, \\x00)."""
    return _CONTROL.sub(lambda found: repr(found.group())[1:-1], text)


def email_problem(value: object) -> str | None:
    """Why `value` is not one e-mail address, or None when it is."""
    problem = text_problem(value, max_length=EMAIL_MAX)
    if problem is not None:
        return problem
    assert isinstance(value, str)
    if not _EMAIL.match(value):
        return f"{show_value(value)} is not one e-mail address (name@example.org)"
    return None


_SEGMENT = re.compile(r"\.([^.\[]+)|\[(\d+)\]")


def locate(exc: msgspec.ValidationError, raw: object) -> tuple[str, list[str | int], object]:
    """msgspec's message, the path it names (keys and indexes), and the value there in `raw`.

    The value is None when `raw` has nothing there (a missing key, say).
    """
    message, _, at = str(exc).partition(" - at `")
    # msgspec writes `[...]` for a key of a free-form mapping: the path ends before it.
    at = at.rstrip("`").partition("[...]")[0]
    segments: list[str | int] = [
        name or int(index) for name, index in _SEGMENT.findall(at[1:])]
    value: object = raw
    for seg in segments:
        try:
            value = value[seg]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            return message, segments, None
    return message, segments, value


def out_of_range(message: str, value: object) -> str | None:
    """Our words for a msgspec message about a number too large to hold, if it is one.

    `value` is the offending value as parsed by `json.loads`; None when even
    that could not hold it.
    """
    if message in ("Integer value out of range", "Number out of range"):
        return "a number out of range" if value is None else f"{show_value(value)} is out of range"
    return None
