"""Colombian calendar, contact hours and formatting: pure functions, no database.

- Business days skip weekends and Colombian public holidays (`holidays.Colombia`, which
  already applies Ley Emiliani: most holidays move to the following Monday).
- `next_contact_time` implements the hours allowed by Ley 2300 de 2023 for proactive
  messages to debtors (Mon-Fri 07:00-19:00, Sat 08:00-15:00, never Sundays or holidays).
- `BusinessHours` models any other schedule (e.g. advisors' hours), holidays aware.
- `format_cop` / `format_date_long` / `format_time` render amounts, dates and times the
  way customers read them.
- `normalize_mobile` turns what people type (or WhatsApp's wa_id) into E.164 digits.

All times are interpreted in Colombia's time zone (America/Bogota, UTC-5, no DST).
Functions taking a datetime require an aware one and return aware datetimes.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import holidays
import phonenumbers

BOGOTA = ZoneInfo("America/Bogota")

MONTHS_ES = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)

# Longest run of closed days a schedule may have before `next_open` gives up
# (a misconfigured schedule with no open day at all).
_SEARCH_HORIZON_DAYS = 370


# --- Calendar -----------------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def _holidays_of(year: int) -> frozenset[date]:
    return frozenset(holidays.Colombia(years=year).keys())


def is_holiday(d: date) -> bool:
    """Whether `d` is a Colombian public holiday (festivo)."""
    return _as_date(d) in _holidays_of(d.year)


def is_business_day(d: date) -> bool:
    """Monday to Friday and not a Colombian public holiday."""
    d = _as_date(d)
    return d.weekday() < 5 and not is_holiday(d)


def add_business_days(start: date, days: int) -> date:
    """The date `days` business days after `start`; counting starts the day after `start`.

    `start` itself never counts, so a Friday + 1 is the next business Monday (or Tuesday
    when that Monday is a holiday). `days == 0` returns `start` unchanged; negative
    `days` counts backwards the same way.
    """
    current = _as_date(start)
    step = 1 if days >= 0 else -1
    remaining = abs(days)
    while remaining:
        current += timedelta(days=step)
        if is_business_day(current):
            remaining -= 1
    return current


def business_days_between(a: date, b: date) -> int:
    """Business days in the interval (a, b]: `a` excluded, `b` included.

    Consistent with `add_business_days`: for a business day `b` after `a`,
    `add_business_days(a, business_days_between(a, b)) == b`. Negative when `b < a`.
    """
    a, b = _as_date(a), _as_date(b)
    if b < a:
        return -business_days_between(b, a)
    count = 0
    current = a
    while current < b:
        current += timedelta(days=1)
        if is_business_day(current):
            count += 1
    return count


# --- Opening hours ------------------------------------------------------------------


Window = tuple[time, time]


@dataclass(frozen=True)
class BusinessHours:
    """A weekly schedule in Colombia time, closed on Sundays and public holidays.

    `weekday` applies Monday to Friday, `saturday` on Saturdays (None: closed).
    Windows are half-open: open from `opening` (included) to `closing` (excluded).

        advisors = BusinessHours(weekday=(time(8), time(18)), saturday=(time(8), time(12)))
        advisors.is_open(now)    # -> bool
        advisors.next_open(now)  # -> now if open, else the next opening instant
    """

    weekday: Window | None
    saturday: Window | None = None

    def __post_init__(self) -> None:
        for window in (self.weekday, self.saturday):
            if window is not None and not window[0] < window[1]:
                raise ValueError(f"opening must be before closing: {window!r}")

    def window_on(self, d: date) -> Window | None:
        """The opening window of day `d`, or None when closed all day."""
        if is_holiday(d):
            return None
        wd = d.weekday()
        if wd < 5:
            return self.weekday
        if wd == 5:
            return self.saturday
        return None

    def is_open(self, now: datetime) -> bool:
        local = _to_local(now)
        window = self.window_on(local.date())
        return window is not None and window[0] <= local.time() < window[1]

    def next_open(self, now: datetime) -> datetime:
        """`now` when open, else the next opening instant (in `now`'s time zone)."""
        local = _to_local(now)
        day = local.date()
        for offset in range(_SEARCH_HORIZON_DAYS):
            d = day + timedelta(days=offset)
            window = self.window_on(d)
            if window is None:
                continue
            opening = datetime.combine(d, window[0], tzinfo=BOGOTA)
            closing = datetime.combine(d, window[1], tzinfo=BOGOTA)
            if offset == 0 and local >= closing:
                continue
            if offset == 0 and local >= opening:
                return now
            return opening.astimezone(now.tzinfo)
        raise ValueError("schedule has no opening window")


# Ley 2300 de 2023, art. 3: hours in which creditors may contact debtors.
CONTACT_HOURS = BusinessHours(weekday=(time(7), time(19)), saturday=(time(8), time(15)))


def next_contact_time(now: datetime) -> datetime:
    """`now` if a proactive message is allowed (Ley 2300 de 2023), else the next allowed instant."""
    return CONTACT_HOURS.next_open(now)


# --- Formatting ---------------------------------------------------------------------


def format_cop(amount: Decimal | int | str) -> str:
    """Colombian pesos as customers read them: `$8.250.000`, rounded half up to whole pesos."""
    if isinstance(amount, float):
        amount = str(amount)  # avoid binary artefacts (0.1 + 0.2)
    pesos = int(Decimal(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    sign = "-" if pesos < 0 else ""
    return f"{sign}${abs(pesos):,}".replace(",", ".")


def format_percent(fraction: Decimal | str, places: int = 2) -> str:
    """A rate stored as a fraction as Colombians write it: 0.018 -> "1,8 %", 0.2387 -> "23,87 %"."""
    percent = (Decimal(str(fraction)) * 100).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{percent.normalize():f}".replace(".", ",")
    return f"{text} %"


def effective_annual_rate(monthly: Decimal | str) -> Decimal:
    """The tasa efectiva anual of a tasa mes vencida: (1 + m)^12 - 1."""
    return (1 + Decimal(str(monthly))) ** 12 - 1


def format_date_long(d: date) -> str:
    """`1 de diciembre de 2026`. Aware datetimes are read in Colombia time."""
    if isinstance(d, datetime) and d.tzinfo is not None:
        d = d.astimezone(BOGOTA)
    return f"{d.day} de {MONTHS_ES[d.month - 1]} de {d.year}"


def format_time(moment: datetime | time) -> str:
    """`3:45 p. m.`, as Colombians write the time. Aware datetimes are read in Colombia time."""
    if isinstance(moment, datetime) and moment.tzinfo is not None:
        moment = moment.astimezone(BOGOTA)
    hour = moment.hour % 12 or 12
    return f"{hour}:{moment.minute:02d} {'a. m.' if moment.hour < 12 else 'p. m.'}"


# --- Phones -------------------------------------------------------------------------


_MOBILE_TYPES = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


def normalize_mobile(value: str) -> str | None:
    """A Colombian mobile as E.164 digits without '+' (WhatsApp's wa_id), or None if invalid.

    Accepts "+57 300 123 4567", "3001234567", "573001234567", "(300) 123-4567"...
    """
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        number = phonenumbers.parse(value, "CO")
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != 57 or not phonenumbers.is_valid_number(number):
        return None
    if phonenumbers.number_type(number) not in _MOBILE_TYPES:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164).lstrip("+")


# --- Helpers ------------------------------------------------------------------------


def _as_date(d: date) -> date:
    return d.date() if isinstance(d, datetime) else d


def _to_local(now: datetime) -> datetime:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("an aware datetime is required")
    return now.astimezone(BOGOTA)
