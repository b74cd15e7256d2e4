from datetime import date, datetime, time, timezone
from decimal import Decimal

import pytest

from proalto.colombia import (
    BOGOTA,
    BusinessHours,
    add_business_days,
    business_days_between,
    effective_annual_rate,
    format_cop,
    format_date_long,
    format_percent,
    is_business_day,
    is_holiday,
    next_contact_time,
    normalize_mobile,
)


def bog(*args) -> datetime:
    return datetime(*args, tzinfo=BOGOTA)


# --- Business days --------------------------------------------------------------------


@pytest.mark.parametrize(
    "d",
    [
        date(2026, 12, 8),  # Inmaculada Concepción (Tuesday)
        date(2026, 12, 25),  # Navidad (Friday)
        date(2027, 1, 1),  # Año Nuevo (Friday)
        date(2027, 1, 11),  # Reyes Magos, moved to Monday (Ley Emiliani)
        date(2026, 7, 20),  # Independencia
    ],
)
def test_holidays_are_not_business_days(d):
    assert is_holiday(d)
    assert not is_business_day(d)


def test_reyes_magos_original_date_is_a_working_day_in_2027():
    # 6 January 2027 is a Wednesday; the holiday moves to Monday 11.
    assert not is_holiday(date(2027, 1, 6))
    assert is_business_day(date(2027, 1, 6))


def test_weekends_are_not_business_days():
    assert not is_business_day(date(2026, 12, 5))  # Saturday
    assert not is_business_day(date(2026, 12, 6))  # Sunday
    assert is_business_day(date(2026, 12, 7))  # Monday


@pytest.mark.parametrize(
    "start, days, expected",
    [
        (date(2026, 12, 4), 1, date(2026, 12, 7)),  # Friday + 1 -> Monday
        (date(2026, 12, 7), 1, date(2026, 12, 9)),  # skips Tuesday 8 Dec
        (date(2026, 12, 5), 1, date(2026, 12, 7)),  # from a Saturday
        (date(2026, 12, 24), 1, date(2026, 12, 28)),  # skips Christmas Friday and the weekend
        (date(2026, 12, 31), 1, date(2027, 1, 4)),  # skips 1 Jan (Friday) and the weekend
        (date(2027, 1, 8), 1, date(2027, 1, 12)),  # Friday + 1, Monday 11 is Reyes
        (date(2026, 12, 1), 10, date(2026, 12, 16)),  # crosses 8 Dec
        (date(2026, 12, 4), 0, date(2026, 12, 4)),
        (date(2026, 12, 9), -1, date(2026, 12, 7)),  # backwards skips 8 Dec
    ],
)
def test_add_business_days(start, days, expected):
    assert add_business_days(start, days) == expected


def test_business_days_between():
    assert business_days_between(date(2026, 12, 4), date(2026, 12, 7)) == 1
    assert business_days_between(date(2026, 12, 7), date(2026, 12, 9)) == 1
    assert business_days_between(date(2026, 12, 1), date(2026, 12, 31)) == 20
    assert business_days_between(date(2026, 12, 9), date(2026, 12, 7)) == -1
    assert business_days_between(date(2026, 12, 9), date(2026, 12, 9)) == 0


def test_business_days_between_is_the_inverse_of_add_business_days():
    start = date(2026, 11, 27)
    for n in range(0, 40):
        assert business_days_between(start, add_business_days(start, n)) == n


# --- Ley 2300 contact hours --------------------------------------------------------------


@pytest.mark.parametrize(
    "now",
    [
        bog(2026, 12, 2, 7, 0),  # Wednesday opening
        bog(2026, 12, 2, 18, 59, 59),
        bog(2026, 12, 5, 8, 0),  # Saturday opening
        bog(2026, 12, 5, 14, 59),
    ],
)
def test_contact_allowed_returns_now(now):
    assert next_contact_time(now) is now


@pytest.mark.parametrize(
    "now, expected",
    [
        (bog(2026, 12, 2, 6, 59), bog(2026, 12, 2, 7, 0)),  # before opening
        (bog(2026, 12, 2, 19, 0), bog(2026, 12, 3, 7, 0)),  # closing is exclusive
        (bog(2026, 12, 4, 19, 30), bog(2026, 12, 5, 8, 0)),  # Friday evening -> Saturday 08:00
        (bog(2026, 12, 5, 7, 30), bog(2026, 12, 5, 8, 0)),  # Saturday before 08:00
        (bog(2026, 12, 5, 15, 0), bog(2026, 12, 7, 7, 0)),  # Saturday 15:00 -> Monday 07:00
        (bog(2026, 12, 6, 10, 0), bog(2026, 12, 7, 7, 0)),  # Sunday
        (bog(2027, 1, 9, 15, 0), bog(2027, 1, 12, 7, 0)),  # Monday 11 Jan is Reyes -> Tuesday
        (bog(2026, 12, 7, 19, 0), bog(2026, 12, 9, 7, 0)),  # Tuesday 8 Dec is a holiday
        (bog(2026, 12, 24, 20, 0), bog(2026, 12, 26, 8, 0)),  # Christmas Friday -> Saturday
        (bog(2027, 4, 30, 19, 0), bog(2027, 5, 3, 7, 0)),  # Saturday 1 May 2027 is a holiday
    ],
)
def test_next_contact_time(now, expected):
    result = next_contact_time(now)
    assert result == expected
    assert result.utcoffset() is not None


def test_next_contact_time_reads_utc_in_colombia_time():
    # 2026-12-05 20:00 UTC is Saturday 15:00 in Bogotá.
    now = datetime(2026, 12, 5, 20, 0, tzinfo=timezone.utc)
    result = next_contact_time(now)
    assert result == bog(2026, 12, 7, 7, 0)
    assert result.tzinfo is timezone.utc  # same zone as the input


def test_naive_datetimes_are_rejected():
    with pytest.raises(ValueError):
        next_contact_time(datetime(2026, 12, 2, 10, 0))


# --- Advisors' business hours ------------------------------------------------------------


ADVISORS = BusinessHours(weekday=(time(8), time(18)), saturday=(time(8), time(12)))


def test_business_hours_is_open():
    assert ADVISORS.is_open(bog(2026, 12, 2, 8, 0))
    assert not ADVISORS.is_open(bog(2026, 12, 2, 18, 0))
    assert ADVISORS.is_open(bog(2026, 12, 5, 11, 59))
    assert not ADVISORS.is_open(bog(2026, 12, 5, 12, 0))
    assert not ADVISORS.is_open(bog(2026, 12, 6, 10, 0))  # Sunday
    assert not ADVISORS.is_open(bog(2026, 12, 8, 10, 0))  # holiday


def test_business_hours_next_open():
    now = bog(2026, 12, 2, 10, 0)
    assert ADVISORS.next_open(now) is now
    assert ADVISORS.next_open(bog(2026, 12, 5, 12, 0)) == bog(2026, 12, 7, 8, 0)
    assert ADVISORS.next_open(bog(2026, 12, 7, 18, 0)) == bog(2026, 12, 9, 8, 0)


def test_business_hours_without_saturday():
    weekdays = BusinessHours(weekday=(time(9), time(17)))
    assert weekdays.next_open(bog(2026, 12, 4, 17, 0)) == bog(2026, 12, 7, 9, 0)


def test_business_hours_rejects_inverted_window():
    with pytest.raises(ValueError):
        BusinessHours(weekday=(time(18), time(8)))


def test_business_hours_saturday_window():
    weekdays = BusinessHours(weekday=(time(8), time(18)))
    assert weekdays.is_open(bog(2026, 12, 2, 9, 0))
    assert not weekdays.is_open(bog(2026, 12, 5, 9, 0))
    assert BusinessHours(weekday=(time(8), time(18)), saturday=(time(8), time(12))).is_open(bog(2026, 12, 5, 9, 0))
    assert weekdays.next_open(bog(2026, 12, 5, 9, 0)) == bog(2026, 12, 7, 8, 0)


# --- Formatting --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "amount, expected",
    [
        (Decimal("8250000.00"), "$8.250.000"),
        (8250000, "$8.250.000"),
        (0, "$0"),
        (Decimal("999"), "$999"),
        (Decimal("1000"), "$1.000"),
        (Decimal("410000.49"), "$410.000"),
        (Decimal("410000.50"), "$410.001"),  # half up
        (Decimal("1234567890.5"), "$1.234.567.891"),
        (Decimal("-1500"), "-$1.500"),
        ("15000000.00", "$15.000.000"),
    ],
)
def test_format_cop(amount, expected):
    assert format_cop(amount) == expected


@pytest.mark.parametrize(
    "d, expected",
    [
        (date(2026, 12, 1), "1 de diciembre de 2026"),
        (date(2027, 1, 11), "11 de enero de 2027"),
        (date(2026, 9, 30), "30 de septiembre de 2026"),
        # 02:00 UTC on 1 Dec is still 30 Nov in Bogotá.
        (datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc), "30 de noviembre de 2026"),
    ],
)
def test_format_date_long(d, expected):
    assert format_date_long(d) == expected


# --- Phones --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("+57 300 123 4567", "573001234567"),
        ("3001234567", "573001234567"),
        ("573001234567", "573001234567"),
        ("(320) 999-8877", "573209998877"),
        ("6012345678", None),  # landline
        ("+1 202 555 0100", None),
        ("12345", None),
        ("", None),
    ],
)
def test_normalize_mobile(raw, expected):
    assert normalize_mobile(raw) == expected


def test_rates_as_colombians_read_them():
    assert format_percent(Decimal("0.018")) == "1,8 %"
    assert format_percent(effective_annual_rate("0.018")) == "23,87 %"
    assert format_percent("0.02") == "2 %"
