"""Request fields that apply `pathwise.core.inputs`, so the API refuses what every door refuses."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from rest_framework import serializers

from pathwise.core.fees import Money
from pathwise.core.inputs import IDENTIFIER_MAX, date_problem, identifier_problem, text_problem


class IdentifierField(serializers.CharField):
    """A participant id or an offering or intake code."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", None)
        super().__init__(trim_whitespace=False, **kwargs)

    def to_internal_value(self, data: Any) -> str:
        problem = identifier_problem(data)
        if problem is not None:
            raise serializers.ValidationError(problem, code="identifier")
        return str(data)

    def to_representation(self, value: Any) -> str:
        return str(value)


IDENTIFIER_SCHEMA = {"type": "string", "pattern": r"^[A-Za-z0-9._-]+$",
                     "minLength": 1, "maxLength": IDENTIFIER_MAX}


class PlausibleDateField(serializers.DateField):
    def to_internal_value(self, value: Any) -> dt.date:
        day = super().to_internal_value(value)
        problem = date_problem(day)
        if problem is not None:
            raise serializers.ValidationError(problem, code="date-range")
        return day


class OneLineField(serializers.CharField):
    def __init__(self, *, max_length: int = 200, **kwargs: Any) -> None:
        super().__init__(max_length=max_length, **kwargs)
        self.line_max = max_length

    def to_internal_value(self, data: Any) -> str:
        problem = text_problem(data, max_length=self.line_max)
        if problem is not None:
            raise serializers.ValidationError(problem, code="one-line")
        return str(data)


class MoneySerializer(serializers.Serializer[Any]):
    amount = serializers.CharField(help_text="A decimal string, e.g. \"100.00\".")
    currency = serializers.CharField(min_length=3, max_length=3,
                                     help_text="ISO 4217 code, e.g. USD.")


class MoneyInput(MoneySerializer):
    """An amount a client accepts: the quote's `fee`, sent back as it came."""

    def validate(self, attrs: dict[str, Any]) -> Any:
        text = attrs["amount"]
        try:
            amount = Decimal(text)
            if not amount.is_finite() or amount < 0 or len(text) > 20:
                raise InvalidOperation
            return Money(amount, attrs["currency"])
        except (InvalidOperation, ValueError, TypeError) as exc:
            raise serializers.ValidationError(
                {"amount": serializers.ErrorDetail(
                    f"{text!r} with {attrs['currency']!r} is not an amount such as "
                    "{\"amount\": \"150.00\", \"currency\": \"USD\"}", code="money")}) from exc
