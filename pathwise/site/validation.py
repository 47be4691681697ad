"""The core's input rules (`pathwise.core.inputs`) as Django form fields and URL converters.

Forms take dates with `PlausibleDateField`; URLs name participants, offerings
and intakes with the `identifier` converter, so an address naming something
that cannot exist is a plain 404, never a query.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from pathwise.core.inputs import (
    EARLIEST_DATE,
    IDENTIFIER_MAX,
    LATEST_DATE,
    date_problem,
    is_identifier,
    show_value,
)


def validate_plausible_date(value: dt.date) -> None:
    problem = date_problem(value)
    if problem is not None:
        raise ValidationError(problem, code="date_range")


class PlausibleDateField(forms.DateField):
    """A date typed into a form: ISO, and within the range every other door keeps."""

    default_validators = [validate_plausible_date]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.DateInput(attrs={
            "type": "date", "min": EARLIEST_DATE.isoformat(), "max": LATEST_DATE.isoformat()}))
        super().__init__(input_formats=["%Y-%m-%d"], **kwargs)

    def to_python(self, value: Any) -> dt.date | None:
        try:
            return super().to_python(value)
        except ValidationError as exc:
            if exc.code != "invalid":
                raise
            raise ValidationError(f"{show_value(value)} is not a date (YYYY-MM-DD)",
                                  code="invalid") from exc


class IdentifierConverter:
    """`<identifier:code>`: a participant id, offering or intake code, or no match (404)."""

    regex = f"[A-Za-z0-9._-]{{1,{IDENTIFIER_MAX}}}"

    def to_python(self, value: str) -> str:
        if not is_identifier(value):
            raise ValueError(value)  # "." and "..": the URL does not match
        return value

    def to_url(self, value: str) -> str:
        return value


class BadgeImageConverter:
    """`badge.<badge_image:kind>`: the baked image formats there are, and nothing else."""

    regex = "png|svg"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
