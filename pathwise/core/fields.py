"""Typed reads from parsed TOML/JSON tables that fail with the key's full path.

Both program definitions and records files are plain nested dicts once parsed;
every read goes through a `Table` so that an error always names the file, the
key path (``components[3].graduation.min_sessions``) and the offending value.
"""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any, NoReturn

from pathwise.core.errors import PathwiseError
from pathwise.core.inputs import date_problem, show_value

_MISSING: Any = object()


class Table:
    """A dict read at a known path; `error` picks the exception class to raise."""

    __slots__ = ("_data", "error", "path", "source")

    def __init__(
        self,
        data: object,
        *,
        source: str,
        path: str = "",
        error: type[PathwiseError] = PathwiseError,
    ) -> None:
        self.source = source
        self.path = path
        self.error = error
        if not isinstance(data, dict):
            self.fail(f"expected a table/object, got {show_value(data)}")
        self._data: dict[str, Any] = data

    # -- reporting -----------------------------------------------------------

    def where(self, key: str | None = None) -> str:
        if key is None:
            return self.path or "(top level)"
        return f"{self.path}.{key}" if self.path else key

    def fail(self, message: str, key: str | None = None) -> NoReturn:
        raise self.error(f"{self.source}: {self.where(key)}: {message}")

    # -- structure -----------------------------------------------------------

    def __contains__(self, key: str) -> bool:
        return key in self._data

    def keys(self) -> list[str]:
        return list(self._data)

    def only(self, allowed: set[str] | frozenset[str]) -> None:
        """Reject keys outside `allowed`, so a typo never silently means "absent"."""
        for key in self._data:
            if key not in allowed:
                self.fail(f"unknown key (allowed: {', '.join(sorted(allowed))})", key)

    def raw(self, key: str, default: Any = _MISSING) -> Any:
        if key in self._data:
            return self._data[key]
        if default is _MISSING:
            self.fail("missing required key", key)
        return default

    def table(self, key: str, default: Any = _MISSING) -> Table:
        value = self.raw(key, default)
        return Table(value, source=self.source, path=self.where(key), error=self.error)

    def tables(self, key: str, default: Any = _MISSING) -> Iterator[Table]:
        value = self.raw(key, default)
        if not isinstance(value, list):
            self.fail(f"expected a list, got {show_value(value)}", key)
        for index, item in enumerate(value):
            yield Table(item, source=self.source, path=f"{self.where(key)}[{index}]",
                        error=self.error)

    # -- scalars -------------------------------------------------------------

    def str(self, key: str, default: Any = _MISSING) -> Any:
        value = self.raw(key, default)
        if value is default and default is not _MISSING:
            return value
        if not isinstance(value, str) or not value.strip():
            self.fail(f"expected a non-empty string, got {show_value(value)}", key)
        return value

    def int(self, key: builtins.str, default: Any = _MISSING, *, minimum: int = 0) -> Any:
        value = self.raw(key, default)
        if value is default and default is not _MISSING:
            return value
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(f"expected a whole number, got {show_value(value)}", key)
        if value < minimum:
            self.fail(f"must be at least {minimum}, got {show_value(value)}", key)
        return value

    def number(self, key: builtins.str, default: Any = _MISSING) -> Any:
        """An integer or a decimal number (TOML `0.75`), never true/false."""
        value = self.raw(key, default)
        if value is default and default is not _MISSING:
            return value
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(f"expected a number, got {show_value(value)}", key)
        return value

    def bool(self, key: builtins.str, default: Any = _MISSING) -> Any:
        value = self.raw(key, default)
        if value is default and default is not _MISSING:
            return value
        if not isinstance(value, bool):
            self.fail(f"expected true or false, got {show_value(value)}", key)
        return value

    def date(self, key: builtins.str, default: Any = _MISSING) -> Any:
        value = self.raw(key, default)
        if value is default and default is not _MISSING:
            return value
        return parse_date(value, lambda msg: self.fail(msg, key))

    def str_list(self, key: builtins.str, default: Any = _MISSING) -> Any:
        value = self.raw(key, default)
        if value is default and default is not _MISSING:
            return value
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(v, str) and v for v in value)
        ):
            self.fail(f"expected a non-empty list of strings, got {show_value(value)}", key)
        return list(value)

    def choice(
        self, key: builtins.str, choices: tuple[builtins.str, ...], default: Any = _MISSING
    ) -> Any:
        value = self.raw(key, default)
        if value is default and default is not _MISSING:
            return value
        if value not in choices:
            self.fail(f"{show_value(value)} is not one of {', '.join(choices)}", key)
        return value


def parse_date(value: object, fail: Callable[[str], NoReturn]) -> dt.date:
    """An ISO calendar date (YYYY-MM-DD), nothing looser, in the plausible range."""
    if not isinstance(value, str) or len(value) != 10:
        fail(f"expected a date as YYYY-MM-DD, got {show_value(value)}")
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        fail(f"{show_value(value)} is not a valid date (YYYY-MM-DD)")
    problem = date_problem(day)
    if problem is not None:
        fail(problem)
    return day
