"""Fee quotes: what a participant would pay, worked out before they confirm.

Quotes are pure calculations from the program's `[fees]` table, dates and
counts; nothing here is stored, so a quote cannot drift from the rule. Amounts
are `Money`: a `Decimal` with its currency, never a float.

The change fee applies only to the kinds the program's `change_fee_kinds` lists
(courses, in the default program): changing or dropping anything else is free.

The free-change rule, precisely: a course choice can be changed or dropped for
free through the whole of the day that is `free_change_days` days before the
course's `starts_on` (the boundary day itself is free), that day being reckoned
in the offering's own time zone. From the next midnight there, the program's
change fee applies. With the default 42 days, a course starting on Tuesday
2025-03-11 in New York can be changed for free until 23:59:59 New York time on
Tuesday 2025-01-28.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from pathwise.core.enrollment import Enrollee
from pathwise.core.errors import PathwiseError
from pathwise.core.offerings import Offering
from pathwise.core.program import Fees, Program
from pathwise.core.when import day_text


class FeesError(PathwiseError):
    """A quote cannot be given: the program or the question lacks what it needs."""


class CurrencyMismatchError(PathwiseError):
    """Two amounts in different currencies were combined."""


# ISO 4217 minor units for the currencies that do not use two decimal places;
# every other code has two (USD, EUR, GBP, CAD, AUD, ...).
_MINOR_UNITS: dict[str, int] = {
    **dict.fromkeys(("BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF",
                     "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"), 0),
    **dict.fromkeys(("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"), 3),
    **dict.fromkeys(("CLF", "UYW"), 4),
}
_CURRENCY = re.compile(r"[A-Z]{3}")


def minor_unit(currency: str) -> int:
    """Decimal places of the currency's smallest unit (2 for USD, 0 for JPY)."""
    return _MINOR_UNITS.get(currency, 2)


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in one currency, always rounded to that currency's minor unit.

    Rounding is half-up in `decimal`'s sense: a tie goes away from zero
    (1.005 → 1.01, -1.005 → -1.01), the usual rule for invoices. Arithmetic is
    only between amounts of the same currency, and a float is refused outright
    rather than converted, since the float already lost the exact amount.
    """

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        amount: object = self.amount
        if isinstance(amount, bool) or not isinstance(amount, Decimal | int):
            raise TypeError(f"a money amount must be a Decimal, not {type(amount).__name__}")
        if not _CURRENCY.fullmatch(self.currency):
            raise ValueError(f"{self.currency!r} is not an ISO 4217 currency code such as USD")
        exact = Decimal(amount)
        if not exact.is_finite():
            raise ValueError(f"a money amount must be finite, not {exact}")
        step = Decimal(1).scaleb(-minor_unit(self.currency))
        object.__setattr__(self, "amount", exact.quantize(step, rounding=ROUND_HALF_UP))

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)

    def __str__(self) -> str:
        return f"{self.currency} {self.amount}"

    def __add__(self, other: Money) -> Money:
        return Money(self.amount + self._same(other).amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        return Money(self.amount - self._same(other).amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __mul__(self, factor: int | Decimal) -> Money:
        if isinstance(factor, bool) or not isinstance(factor, int | Decimal):
            raise TypeError(
                f"money can be multiplied by an int or a Decimal, not {type(factor).__name__}")
        return Money(self.amount * factor, self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: Money) -> bool:
        return self.amount < self._same(other).amount

    def __le__(self, other: Money) -> bool:
        return self.amount <= self._same(other).amount

    def __gt__(self, other: Money) -> bool:
        return self.amount > self._same(other).amount

    def __ge__(self, other: Money) -> bool:
        return self.amount >= self._same(other).amount

    def _same(self, other: Money) -> Money:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine money with {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyMismatchError(
                f"cannot combine {self.currency} and {other.currency} amounts")
        return other


@dataclass(frozen=True, slots=True)
class Quote:
    """What changing or dropping a choice would cost, and until when it is free.

    `free_until` is the last free day, in `zone` (the offering's); the free
    period ends at `free_period_ends_at` (UTC), so a page can show that instant
    in the viewer's own zone. Both are None for a kind that never carries the
    change fee: it is free whenever.
    """

    free: bool
    fee: Money
    free_until: dt.date | None
    free_period_ends_at: dt.datetime | None
    zone: str
    reason: str


def change_quote(
    program: Program,
    offering: Offering,
    today: dt.date | dt.datetime,
    tz: str | None = None,
    *,
    waitlisted: bool = False,
) -> Quote:
    """Quote a change of, or a drop from, `offering` requested `today`.

    A `waitlisted` place holds no seat, so giving it up is always free.

    `today` is either an aware datetime (the moment of the request, turned into
    the offering's local date) or a date already meant in the offering's zone.
    The zone is the offering's meetings' zone; `tz` is used only for an
    offering without meetings, which has no zone of its own.
    """
    fees = _fees_of(program, "a change fee")
    zone_name = _zone_name(offering, tz)
    component = program.components.get(offering.component)
    if component is not None and component.kind not in fees.change_fee_kinds:
        return Quote(free=True, fee=Money.zero(fees.currency), free_until=None,
                     free_period_ends_at=None, zone=zone_name,
                     reason=f"free: changing or dropping a {component.kind} is always free")
    if waitlisted:
        return Quote(free=True, fee=Money.zero(fees.currency), free_until=None,
                     free_period_ends_at=None, zone=zone_name,
                     reason="free: a place on a waitlist holds no seat, so leaving it is "
                            "always free")
    zone = zoneinfo.ZoneInfo(zone_name)
    if isinstance(today, dt.datetime):
        if today.tzinfo is None or today.utcoffset() is None:
            raise FeesError(f"the time of the change, {today.isoformat()}, has no time zone")
        local_today = today.astimezone(zone).date()
    else:
        local_today = today

    free_until = offering.starts_on - dt.timedelta(days=fees.free_change_days)
    # Midnight of the next local day, through UTC: on a day whose midnight a
    # DST change skips, zoneinfo resolves it to the first instant of that day.
    ends_at = dt.datetime.combine(free_until + dt.timedelta(days=1), dt.time(0),
                                  tzinfo=zone).astimezone(dt.UTC)
    free = local_today <= free_until
    fee = Money.zero(fees.currency) if free else Money(fees.change, fees.currency)
    when = (f"{fees.free_change_days} days before {offering.id} starts on "
            f"{day_text(offering.starts_on)}")
    if free:
        reason = (f"free: changes are free until the end of {day_text(free_until)} "
                  f"({zone_name}), {when}")
    else:
        reason = (f"a change fee of {fee} applies: free changes ended with "
                  f"{day_text(free_until)} ({zone_name}), {when}")
    return Quote(free=free, fee=fee, free_until=free_until, free_period_ends_at=ends_at,
                 zone=zone_name, reason=reason)


def extra_workshop_quote(program: Program, workshops_already_taken: int) -> Money:
    """The price of one more mini-workshop for someone who has this many already.

    The count is of distinct mini-workshops completed or held (a repeat is not
    enrolled, see `pathwise.core.enrollment`): the program fee covers the first
    `included_mini_workshops`, and each one after costs the extra fee.
    """
    fees = _fees_of(program, "a mini-workshop fee")
    if workshops_already_taken < 0:
        raise FeesError(
            f"workshops already taken cannot be negative (got {workshops_already_taken})")
    if workshops_already_taken < fees.included_mini_workshops:
        return Money.zero(fees.currency)
    return Money(fees.extra_mini_workshop, fees.currency)


@dataclass(frozen=True, slots=True)
class SeatFee:
    """What taking a seat costs beyond the program fee (often nothing), and why."""

    fee: Money
    reason: str

    @property
    def free(self) -> bool:
        return not self.fee.amount


def seat_fee(program: Program, offering: Offering, workshops_before: int) -> SeatFee:
    """The fee for a seat in `offering`, for someone with `workshops_before` distinct
    mini-workshops completed or held; everything but extra workshops is covered."""
    fees = _fees_of(program, "a seat")
    component = program.components[offering.component]
    if component.kind != "mini-workshop":
        return SeatFee(Money.zero(fees.currency),
                       f"{offering.component} is covered by the program fee")
    fee = extra_workshop_quote(program, workshops_before)
    nth = workshops_before + 1
    if not fee.amount:
        return SeatFee(fee, f"mini-workshop {nth} of the {fees.included_mini_workshops} the "
                            "program fee covers")
    return SeatFee(fee, f"an extra mini-workshop fee of {fee}: this is your {_ordinal(nth)} "
                        f"mini-workshop and the program fee covers "
                        f"{fees.included_mini_workshops}")


def enrollment_fee(program: Program, who: Enrollee, offering: Offering) -> SeatFee:
    """What `who` would pay for a seat in `offering`: the distinct mini-workshops they have
    completed or hold (a seat or a waitlist place), other than this one, decide it."""
    kinds = {code: c.kind for code, c in program.components.items()}
    workshops = {code for code in who.completed if kinds.get(code) == "mini-workshop"}
    workshops.update(run.component for run in who.runs
                     if kinds.get(run.component) == "mini-workshop" and run.id != offering.id)
    workshops.discard(offering.component)
    return seat_fee(program, offering, len(workshops))


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def skills_share_quote(program: Program) -> Money:
    """Skills shares are free, as often as the participant likes."""
    return Money.zero(_fees_of(program, "a skills share").currency)


def _fees_of(program: Program, what: str) -> Fees:
    if program.fees is None:
        raise FeesError(f"program {program.id} version {program.version} has no [fees] "
                        f"section, so it cannot quote {what}")
    return program.fees


def _zone_name(offering: Offering, tz: str | None) -> str:
    if offering.meetings is not None:
        return offering.meetings.timezone
    if tz is None:
        raise FeesError(f"offering {offering.id} has no meetings to take a time zone from; "
                        "give the zone its start date is reckoned in")
    try:
        zoneinfo.ZoneInfo(tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        raise FeesError(f"{tz!r} is not a known IANA time zone") from None
    return tz
