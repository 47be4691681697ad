"""Fee quotes: the free-change boundary in the offering's zone, extra workshops, and Money."""

from __future__ import annotations

import dataclasses
import datetime as dt
import zoneinfo
from decimal import Decimal

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pathwise.core.fees import (
    CurrencyMismatchError,
    FeesError,
    Money,
    change_quote,
    extra_workshop_quote,
    skills_share_quote,
)
from pathwise.core.offerings import Meetings, Offering
from pathwise.core.program import Program

D = dt.date.fromisoformat


def course_run(starts_on: str = "2025-03-11", timezone: str = "America/New_York") -> Offering:
    return Offering(
        id="CODE25S", component="CODE", starts_on=D(starts_on),
        ends_on=D(starts_on) + dt.timedelta(days=42),
        meetings=Meetings(days=("TU",), time="12:00", minutes=90, timezone=timezone),
    )


def without_fees(program: Program) -> Program:
    return dataclasses.replace(program, fees=None)


# --- Changing a course choice ----------------------------------------------

def test_the_free_period_ends_with_the_day_42_days_before_the_course_starts(
    program: Program,
) -> None:
    quote = change_quote(program, course_run("2025-03-11"), D("2025-01-01"))

    assert quote.free_until == D("2025-01-28")
    assert quote.zone == "America/New_York"


def test_a_change_on_the_42nd_day_before_the_start_is_still_free(program: Program) -> None:
    quote = change_quote(program, course_run("2025-03-11"), D("2025-01-28"))

    assert quote.free
    assert quote.fee == Money(Decimal("0.00"), "USD")
    assert quote.reason == ("free: changes are free until the end of Tue 28 Jan 2025 "
                            "(America/New_York), 42 days before CODE25S starts on Tue 11 Mar 2025")


def test_a_change_on_the_41st_day_before_the_start_costs_the_change_fee(program: Program) -> None:
    quote = change_quote(program, course_run("2025-03-11"), D("2025-01-29"))

    assert not quote.free
    assert quote.fee == Money(Decimal("100.00"), "USD")
    assert quote.reason == ("a change fee of USD 100.00 applies: free changes ended with "
                            "Tue 28 Jan 2025 (America/New_York), 42 days before CODE25S starts "
                            "on Tue 11 Mar 2025")


def test_a_change_after_the_course_has_started_costs_the_change_fee(program: Program) -> None:
    quote = change_quote(program, course_run("2025-03-11"), D("2025-03-20"))

    assert (quote.free, quote.fee) == (False, Money(Decimal(100), "USD"))


@pytest.mark.parametrize(
    ("moment", "free"),
    [
        # 23:30 on 28 January in New York, already the 29th in UTC: still free.
        ("2025-01-29T04:30:00+00:00", True),
        ("2025-01-29T04:59:59+00:00", True),
        # Midnight in New York: the first moment that costs the fee.
        ("2025-01-29T05:00:00+00:00", False),
    ],
)
def test_the_boundary_day_is_reckoned_in_the_offerings_zone_not_in_utc(
    program: Program, moment: str, free: bool
) -> None:
    quote = change_quote(program, course_run("2025-03-11"), dt.datetime.fromisoformat(moment))

    assert quote.free is free
    assert quote.free_period_ends_at == dt.datetime(2025, 1, 29, 5, tzinfo=dt.UTC)


def test_a_sydney_run_stops_being_free_while_it_is_still_the_28th_in_utc(
    program: Program,
) -> None:
    offering = course_run("2025-03-11", timezone="Australia/Sydney")
    # 13:30 UTC on the 28th is 00:30 on the 29th in Sydney (UTC+11 in January).
    quote = change_quote(program, offering, dt.datetime(2025, 1, 28, 13, 30, tzinfo=dt.UTC))

    assert not quote.free
    assert quote.free_period_ends_at == dt.datetime(2025, 1, 28, 13, tzinfo=dt.UTC)


def test_an_offering_without_meetings_is_reckoned_in_the_zone_given(program: Program) -> None:
    offering = msgspec.structs.replace(course_run("2025-03-11"), meetings=None)

    quote = change_quote(program, offering, dt.datetime(2025, 1, 28, 23, 30, tzinfo=dt.UTC),
                         tz="Europe/London")

    assert (quote.free, quote.zone) == (True, "Europe/London")


@pytest.mark.parametrize(
    ("meetings", "tz", "today", "message"),
    [
        (False, None, dt.date(2025, 1, 1),
         "offering CODE25S has no meetings to take a time zone from; give the zone its "
         "start date is reckoned in"),
        (False, "Mars/Olympus", dt.date(2025, 1, 1), "'Mars/Olympus' is not a known IANA "
         "time zone"),
        (True, None, dt.datetime(2025, 1, 1, 12),  # noqa: DTZ001
         "the time of the change, 2025-01-01T12:00:00, has no time zone"),
    ],
)
def test_a_change_quote_without_a_zone_to_reckon_in_is_refused_with_the_reason(
    program: Program, meetings: bool, tz: str | None, today: dt.date, message: str
) -> None:
    offering = course_run() if meetings else msgspec.structs.replace(course_run(), meetings=None)

    with pytest.raises(FeesError) as refused:
        change_quote(program, offering, today, tz=tz)
    assert str(refused.value) == message


def test_a_program_without_fees_refuses_every_quote_and_says_why(program: Program) -> None:
    unpriced = without_fees(program)

    with pytest.raises(FeesError, match=r"^program cscce-cm version 2023 has no \[fees\] "
                       r"section, so it cannot quote a change fee$"):
        change_quote(unpriced, course_run(), D("2025-01-01"))
    with pytest.raises(FeesError, match=r"cannot quote a mini-workshop fee$"):
        extra_workshop_quote(unpriced, 0)
    with pytest.raises(FeesError, match=r"cannot quote a skills share$"):
        skills_share_quote(unpriced)


ZONES = ["America/New_York", "Europe/London", "Australia/Sydney", "America/Santiago",
         "Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Kolkata"]


@st.composite
def priced_programs(draw: st.DrawFn, base: Program) -> Program:
    assert base.fees is not None
    fees = dataclasses.replace(
        base.fees,
        free_change_days=draw(st.integers(0, 120)),
        change=draw(st.decimals(min_value=0, max_value=10_000, places=2)),
    )
    return dataclasses.replace(base, fees=fees)


@given(data=st.data(), starts_on=st.dates(dt.date(2024, 1, 1), dt.date(2028, 12, 31)),
       today=st.dates(dt.date(2023, 6, 1), dt.date(2029, 6, 30)), zone=st.sampled_from(ZONES))
def test_a_change_is_free_exactly_when_today_is_on_or_before_free_until(
    program: Program, data: st.DataObject, starts_on: dt.date, today: dt.date, zone: str
) -> None:
    priced = data.draw(priced_programs(program))
    assert priced.fees is not None

    quote = change_quote(priced, course_run(starts_on.isoformat(), zone), today)

    assert quote.free == (today <= quote.free_until)
    assert quote.free_until == starts_on - dt.timedelta(days=priced.fees.free_change_days)
    assert quote.fee.amount >= 0
    assert quote.fee == (Money.zero("USD") if quote.free else Money(priced.fees.change, "USD"))


@given(starts_on=st.dates(dt.date(2024, 1, 1), dt.date(2028, 12, 31)),
       moment=st.datetimes(dt.datetime(2023, 6, 1), dt.datetime(2029, 6, 30),  # noqa: DTZ001
                           timezones=st.just(dt.UTC)),
       zone=st.sampled_from(ZONES))
def test_an_instant_is_free_exactly_when_it_is_before_the_end_of_the_free_period(
    program: Program, starts_on: dt.date, moment: dt.datetime, zone: str
) -> None:
    quote = change_quote(program, course_run(starts_on.isoformat(), zone), moment)

    assert quote.free == (moment < quote.free_period_ends_at)
    assert quote.free == (moment.astimezone(zoneinfo.ZoneInfo(zone)).date() <= quote.free_until)


# --- Mini-workshops and skills shares ----------------------------------------

@pytest.mark.parametrize(("taken", "price"), [(0, "0.00"), (5, "0.00"), (6, "150.00"),
                                              (11, "150.00")])
def test_the_first_six_workshops_are_included_and_each_one_after_costs_the_extra_fee(
    program: Program, taken: int, price: str
) -> None:
    assert extra_workshop_quote(program, taken) == Money(Decimal(price), "USD")


@given(st.integers(0, 40))
def test_the_workshops_after_the_included_ones_add_up_to_the_extra_fee_each(
    program: Program, count: int
) -> None:
    total = sum((extra_workshop_quote(program, n) for n in range(count)), Money.zero("USD"))

    assert total == Money(Decimal("150.00") * max(0, count - 6), "USD")


def test_a_negative_workshop_count_is_refused(program: Program) -> None:
    with pytest.raises(FeesError, match=r"cannot be negative \(got -1\)"):
        extra_workshop_quote(program, -1)


def test_skills_shares_are_free_in_the_programs_currency(program: Program) -> None:
    assert skills_share_quote(program) == Money(Decimal(0), "USD")


# --- Money -------------------------------------------------------------------

@pytest.mark.parametrize(
    ("amount", "currency", "rounded"),
    [
        ("1.005", "USD", "1.01"),   # a tie rounds up, not to even
        ("1.015", "EUR", "1.02"),
        ("1.0049", "GBP", "1.00"),
        ("-1.005", "USD", "-1.01"),  # a negative tie rounds away from zero
        ("150.5", "JPY", "151"),     # no minor unit
        ("1.0005", "KWD", "1.001"),  # three decimal places
        ("7", "USD", "7.00"),
    ],
)
def test_money_rounds_half_up_to_the_currencys_minor_unit(
    amount: str, currency: str, rounded: str
) -> None:
    money = Money(Decimal(amount), currency)

    assert str(money.amount) == rounded
    assert str(money) == f"{currency} {rounded}"


def test_money_refuses_a_float_amount_and_a_float_factor() -> None:
    with pytest.raises(TypeError, match="must be a Decimal, not float"):
        Money(0.1, "USD")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="not float"):
        Money(Decimal("10.00"), "USD") * 1.5  # type: ignore[operator]


@pytest.mark.parametrize(("amount", "currency", "message"), [
    (Decimal("NaN"), "USD", "must be finite"),
    (Decimal("Infinity"), "USD", "must be finite"),
    (Decimal(1), "usd", "not an ISO 4217 currency code"),
])
def test_money_refuses_amounts_and_currencies_that_are_not_money(
    amount: Decimal, currency: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        Money(amount, currency)


def test_amounts_in_different_currencies_do_not_combine() -> None:
    usd, eur = Money(Decimal(1), "USD"), Money(Decimal(1), "EUR")

    with pytest.raises(CurrencyMismatchError, match="cannot combine USD and EUR amounts"):
        _ = usd + eur
    with pytest.raises(CurrencyMismatchError):
        _ = usd < eur


amounts = st.decimals(min_value=-10**9, max_value=10**9, places=4, allow_nan=False)


@given(a=amounts, b=amounts, factor=st.integers(-100, 100))
def test_money_arithmetic_stays_decimal_and_exact_to_the_cent(
    a: Decimal, b: Decimal, factor: int
) -> None:
    x, y = Money(a, "USD"), Money(b, "USD")

    for result in (x + y, x - y, -x, x * factor, factor * x):
        assert type(result.amount) is Decimal
        assert result.amount.as_tuple().exponent == -2
    assert (x + y) - y == x
    assert x * factor == Money(x.amount * factor, "USD")


# --- Which choices carry the change fee, and seat fees ------------------------------


def one_day_run(code: str, component: str, day: str = "2025-03-11") -> Offering:
    return Offering(id=code, component=component, starts_on=D(day), ends_on=D(day),
                    meetings=Meetings(days=("TU",), time="12:00", minutes=90,
                                      timezone="America/New_York"))


@pytest.mark.parametrize("component", ["QSS", "MW-ROLES"])
def test_changing_a_skills_share_or_workshop_is_free_even_the_day_before(
    program: Program, component: str
) -> None:
    quote = change_quote(program, one_day_run("X1", component), D("2025-03-10"))
    assert quote.free
    assert quote.fee == Money.zero("USD")
    assert quote.free_until is None
    assert quote.free_period_ends_at is None
    kind = program.components[component].kind
    assert quote.reason == f"free: changing or dropping a {kind} is always free"


def test_the_kinds_that_carry_the_change_fee_come_from_the_program(program: Program) -> None:
    assert program.fees is not None
    assert program.fees.change_fee_kinds == ("course",)
    strict = dataclasses.replace(program, fees=dataclasses.replace(
        program.fees, change_fee_kinds=("course", "mini-workshop")))
    quote = change_quote(strict, one_day_run("X1", "MW-ROLES"), D("2025-03-10"))
    assert not quote.free
    assert quote.fee == Money(Decimal("100.00"), "USD")


def test_an_unknown_kind_in_change_fee_kinds_is_refused_naming_it() -> None:
    from pathwise.core.errors import DefinitionError
    from pathwise.core.program import SHIPPED_PROGRAMS_DIR, parse_program

    text = (SHIPPED_PROGRAMS_DIR / "cscce-cm" / "2023.toml").read_text(encoding="utf-8")
    broken = text.replace('change_fee_kinds = ["course"]', 'change_fee_kinds = ["workshop"]')
    with pytest.raises(DefinitionError, match=r"fees\.change_fee_kinds: 'workshop' is not a "
                                              r"component kind"):
        parse_program(broken, source="broken.toml")


@pytest.mark.parametrize(("before", "fee", "reason"), [
    (0, "0.00", "mini-workshop 1 of the 6 the program fee covers"),
    (5, "0.00", "mini-workshop 6 of the 6 the program fee covers"),
    (6, "150.00", "an extra mini-workshop fee of USD 150.00: this is your 7th mini-workshop "
                  "and the program fee covers 6"),
    (10, "150.00", "an extra mini-workshop fee of USD 150.00: this is your 11th mini-workshop "
                   "and the program fee covers 6"),
])
def test_a_seat_in_a_seventh_distinct_workshop_costs_the_extra_fee(
    program: Program, before: int, fee: str, reason: str
) -> None:
    from pathwise.core.fees import seat_fee

    quote = seat_fee(program, one_day_run("MW1", "MW-ROLES"), before)
    assert quote.fee == Money(Decimal(fee), "USD")
    assert quote.reason == reason
    assert quote.free == (fee == "0.00")


def test_courses_and_skills_shares_are_covered_by_the_program_fee(program: Program) -> None:
    from pathwise.core.fees import seat_fee

    for run in (course_run(), one_day_run("Q1", "QSS")):
        quote = seat_fee(program, run, 12)
        assert quote.free
        assert quote.reason.endswith("is covered by the program fee")


def test_leaving_a_waitlist_is_free_even_after_the_free_period(program: Program) -> None:
    quote = change_quote(program, course_run("2025-03-11"), D("2025-03-01"), waitlisted=True)
    assert quote.free
    assert quote.free_until is None
    assert quote.reason == ("free: a place on a waitlist holds no seat, so leaving it is "
                            "always free")
