"""The pure parts of identity validation: reading cédulas, dates and codes; code hashing
and expiry; failure counters and locks."""

from datetime import date, datetime, timedelta, timezone

import pytest

from credits import identity

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=timezone.utc)


pytestmark = pytest.mark.usefixtures("private_cache")  # a cache of its own (tests/conftest.py)


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("1020304050", "1020304050"),
        ("1.020.304.050", "1020304050"),
        (" 1 020 304 050 ", "1020304050"),
        ("CC 79456123", "79456123"),
        ("c.c. 79.456.123", "79456123"),
        ("79,456,123", "79456123"),
        ("mi cedula", None),
        ("123", None),
        ("1234567890123", None),
        ("", None),
    ],
)
def test_parse_cedula(typed, expected):
    assert identity.parse_cedula(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "10/05/1979",
        "10-05-1979",
        "10.05.1979",
        "1979-05-10",
        "1979/05/10",
        "10 de mayo de 1979",
        "10 de Mayo del 1979",
        "10 mayo 1979",
        "mayo 10 de 1979",
        "10 may 1979",
        " 10/5/1979 ",
    ],
)
def test_parse_date_accepts_how_people_write_it(typed):
    assert identity.parse_date(typed) == date(1979, 5, 10)


def test_parse_date_reads_september_both_ways():
    assert (
        identity.parse_date("20 de septiembre de 1973")
        == identity.parse_date("20 de setiembre de 1973")
        == date(1973, 9, 20)
    )


@pytest.mark.parametrize(
    "typed", ["31/02/1979", "10/05/79", "ayer", "10 de mayo", "1979", "13/13/1979", "10 de mayito de 1979", ""]
)
def test_parse_date_refuses_what_it_cannot_read(typed):
    assert identity.parse_date(typed) is None


def test_dates_match_needs_a_known_date():
    assert identity.dates_match(date(1979, 5, 10), date(1979, 5, 10))
    assert not identity.dates_match(date(1979, 5, 10), date(1979, 10, 5))
    assert not identity.dates_match(None, date(1, 1, 1))


def test_codes_are_six_digits_and_vary():
    codes = {identity.code_new() for _ in range(50)}
    assert all(len(c) == 6 and c.isdigit() for c in codes)
    assert len(codes) > 40


def test_read_code():
    assert identity.read_code("123456") == "123456"
    assert identity.read_code("123 456") == "123456"
    assert identity.read_code("123-456") == "123456"
    assert identity.read_code("12345") is None
    assert identity.read_code("abcdef") is None


def test_pending_code_keeps_only_a_salted_hash():
    pending = identity.PendingCode.issue("123456", now=NOW, ttl_seconds=300)
    stored = pending.as_data()
    assert "123456" not in str(stored)
    again = identity.PendingCode.from_data(stored)
    assert again.matches("123456")
    assert not again.matches("123457")
    # The same code issued twice hashes differently (per-code salt).
    assert identity.PendingCode.issue("123456", now=NOW, ttl_seconds=300).digest != pending.digest


def test_pending_code_hash_depends_on_the_secret_key(settings):
    pending = identity.PendingCode.issue("123456", now=NOW, ttl_seconds=300)
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    assert not pending.matches("123456")


def test_pending_code_expiry():
    pending = identity.PendingCode.issue("123456", now=NOW, ttl_seconds=300)
    assert not pending.expired(now=NOW + timedelta(seconds=299))
    assert pending.expired(now=NOW + timedelta(seconds=300))
    assert identity.PendingCode.from_data(None) is None


def test_subject_keys_never_hold_the_raw_values():
    keys = identity.subject_keys(wa_id="573001234567", cedula="1020304050")
    assert len(keys) == 2 and not any("573001234567" in k or "1020304050" in k for k in keys)
    assert identity.subject_keys(wa_id="573001234567") == keys[:1]


def test_three_failures_lock_for_fifteen_minutes(settings):
    subjects = identity.subject_keys(wa_id="573001234567", cedula="1020304050")
    assert identity.failure_record(subjects=subjects, now=NOW) is None
    assert identity.failure_record(subjects=subjects, now=NOW) is None
    lock = identity.failure_record(subjects=subjects, now=NOW)
    assert lock.until == NOW + timedelta(minutes=15) and lock.recent_locks == 1
    assert identity.lock_active(subjects=subjects[1:], now=NOW + timedelta(minutes=14)) is not None
    assert identity.lock_active(subjects=subjects, now=NOW + timedelta(minutes=15)) is None


def test_a_lock_on_the_cedula_applies_from_another_number():
    attacker = identity.subject_keys(wa_id="573209990000", cedula="1020304050")
    for _ in range(3):
        identity.failure_record(subjects=attacker, now=NOW)
    owner = identity.subject_keys(wa_id="573001234567", cedula="1020304050")
    assert identity.lock_active(subjects=owner, now=NOW) is not None
    assert identity.lock_active(subjects=owner[:1], now=NOW) is None


def test_second_lock_within_a_day_is_counted():
    subjects = identity.subject_keys(wa_id="573001234567")
    for _ in range(3):
        first = identity.failure_record(subjects=subjects, now=NOW)
    for _ in range(3):
        second = identity.failure_record(subjects=subjects, now=NOW + timedelta(hours=1))
    assert first.recent_locks == 1 and second.recent_locks == 2


def test_success_clears_failures():
    subjects = identity.subject_keys(wa_id="573001234567")
    identity.failure_record(subjects=subjects, now=NOW)
    identity.failure_record(subjects=subjects, now=NOW)
    identity.failures_clear(subjects=subjects)
    assert identity.failure_record(subjects=subjects, now=NOW) is None
