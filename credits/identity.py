"""The pure parts of identity validation: reading what people type, one-time codes, and
failure counters with temporary locks.

The conversation lives in ``conversations/flows/identidad.py``; this module holds what
can be tested without a chat. Counters live in Django's cache (Redis in production),
keyed by an HMAC of the WhatsApp number or the cédula, never the raw value.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.cache import cache

from proalto import cache as counters
from proalto.colombia import MONTHS_ES
from proalto.metrics import IDENTITY_LOCKS
from proalto.text import fold

CODE_DIGITS = 6
# Recognised month spellings: full names, three-letter abbreviations and "setiembre".
_MONTHS = {name: index + 1 for index, name in enumerate(MONTHS_ES)}
_MONTHS.update({name[:3]: index + 1 for index, name in enumerate(MONTHS_ES)})
_MONTHS.update({"setiembre": 9, "set": 9, "sept": 9})


# --- Reading what people type ------------------------------------------------------------


def parse_cedula(text: str) -> str | None:
    """A cédula's digits from "1.020.304.050", "1020 304 050" or "CC 79456123"; None if unreadable."""
    cleaned = re.sub(r"^\s*(?:c\.?\s*c\.?|cedula|cédula)\s*:?\s*", "", (text or "").strip(), flags=re.I)
    cleaned = re.sub(r"[\s.,\-]", "", cleaned)
    if not cleaned.isdigit() or not 5 <= len(cleaned) <= 12:
        return None
    return cleaned


def parse_date(text: str) -> date | None:
    """A date as Colombians write it; None if it cannot be read unambiguously.

    Accepts "10/05/1979", "10-05-1979", "10.05.1979", "1979-05-10", "10 de mayo de 1979",
    "10 mayo 1979" and "mayo 10 de 1979". Day first (Colombian usage), four-digit years.
    """
    plain = fold(text or "").strip()
    match = re.fullmatch(r"(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})", plain)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return _date_or_none(year, month, day)
    match = re.fullmatch(r"(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4})", plain)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return _date_or_none(year, month, day)
    words = re.sub(r"[,.]", " ", plain)
    words = re.sub(r"\b(de|del)\b", " ", words).split()
    if len(words) == 3:
        if words[0].isdigit() and words[1] in _MONTHS and words[2].isdigit():
            day, month, year = int(words[0]), _MONTHS[words[1]], int(words[2])
        elif words[0] in _MONTHS and words[1].isdigit() and words[2].isdigit():
            day, month, year = int(words[1]), _MONTHS[words[0]], int(words[2])
        else:
            return None
        if len(words[2]) == 4:
            return _date_or_none(year, month, day)
    return None


def _date_or_none(year: int, month: int, day: int) -> date | None:
    if not 1900 <= year <= 2100:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def dates_match(expected: date | None, given: date) -> bool:
    """Constant-time comparison; an unknown customer compares against a dummy date."""
    reference = (expected or date(1, 1, 1)).isoformat()
    return hmac.compare_digest(reference.encode(), given.isoformat().encode()) and expected is not None


# --- One-time codes --------------------------------------------------------------------


def _pepper() -> bytes:
    return settings.SECRET_KEY.encode()


def keyed_hash(value: str, *, purpose: str) -> str:
    """HMAC-SHA256 of a value under SECRET_KEY, separated by purpose."""
    return hmac.new(_pepper(), f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def code_new() -> str:
    """A fresh 6-digit code from the OS's CSPRNG."""
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


@dataclass
class PendingCode:
    """What the session keeps about a code it sent: its hash, never the code."""

    digest: str
    salt: str
    expires_at: datetime

    @classmethod
    def issue(cls, code: str, *, now: datetime, ttl_seconds: int) -> "PendingCode":
        salt = secrets.token_hex(8)
        return cls(
            digest=keyed_hash(f"{salt}:{code}", purpose="otp"),
            salt=salt,
            expires_at=now + timedelta(seconds=ttl_seconds),
        )

    def expired(self, *, now: datetime) -> bool:
        return now >= self.expires_at

    def matches(self, code: str) -> bool:
        candidate = keyed_hash(f"{self.salt}:{code}", purpose="otp")
        return hmac.compare_digest(candidate, self.digest)

    def as_data(self) -> dict:
        return {"digest": self.digest, "salt": self.salt, "expires_at": self.expires_at.isoformat()}

    @classmethod
    def from_data(cls, data: dict | None) -> "PendingCode | None":
        if not data or not data.get("digest"):
            return None
        return cls(digest=data["digest"], salt=data["salt"], expires_at=datetime.fromisoformat(data["expires_at"]))


def read_code(text: str) -> str | None:
    """The 6 digits of a typed code ("123 456", "123-456"); None otherwise."""
    digits = re.sub(r"[\s\-.]", "", text or "")
    return digits if digits.isdigit() and len(digits) == CODE_DIGITS else None


# --- Failures and locks ------------------------------------------------------------------


@dataclass
class Lock:
    until: datetime
    # How many locks this key got in the last 24 hours, this one included.
    recent_locks: int = 1


def subject_keys(*, wa_id: str, cedula: str | None = None) -> list[str]:
    """The cache subjects failures count against: the WhatsApp user and the cédula typed."""
    keys = [keyed_hash(wa_id, purpose="identity-wa")]
    if cedula:
        keys.append(keyed_hash(cedula, purpose="identity-cc"))
    return keys


def lock_active(*, subjects: list[str], now: datetime) -> Lock | None:
    """The longest lock in force over these subjects, if any."""
    return standing(subjects=subjects, now=now)[0]


def standing(*, subjects: list[str], now: datetime) -> tuple[Lock | None, bool]:
    """The longest lock in force over these subjects, and whether failed attempts are
    being counted against any of them, in one read of the cache."""
    locks = [f"identity:lock:{subject}" for subject in subjects]
    found = cache.get_many([*locks, *(f"identity:fail:{subject}" for subject in subjects)])
    lock = None
    for key in locks:
        if found.get(key):
            until = datetime.fromisoformat(found[key])
            if until > now and (lock is None or until > lock.until):
                lock = Lock(until=until)
    return lock, any(found.get(f"identity:fail:{subject}") for subject in subjects)


def failure_record(*, subjects: list[str], now: datetime) -> Lock | None:
    """Count one failed attempt on every subject; returns the lock if one starts now."""
    window = settings.IDENTITY_FAILURE_WINDOW_MINUTES * 60
    lock = None
    for subject in subjects:
        key = f"identity:fail:{subject}"
        count = counters.count(key, timeout=window)
        if count >= settings.IDENTITY_MAX_FAILURES:
            cache.delete(key)
            started = _lock_start(subject, now=now)
            if lock is None or started.recent_locks > lock.recent_locks:
                lock = started
    if lock is not None:
        IDENTITY_LOCKS.inc()
    return lock


def _lock_start(subject: str, *, now: datetime) -> Lock:
    until = now + timedelta(minutes=settings.IDENTITY_LOCK_MINUTES)
    cache.set(f"identity:lock:{subject}", until.isoformat(), timeout=settings.IDENTITY_LOCK_MINUTES * 60)
    history_key = f"identity:locks:{subject}"
    day_ago = now - timedelta(hours=24)
    history = [at for at in cache.get(history_key, []) if datetime.fromisoformat(at) > day_ago]
    history.append(now.isoformat())
    cache.set(history_key, history, timeout=24 * 3600)
    return Lock(until=until, recent_locks=len(history))


def failures_clear(*, subjects: list[str]) -> None:
    """A successful validation forgets earlier failures (locks history stays)."""
    cache.delete_many([f"identity:fail:{subject}" for subject in subjects])


def code_subjects(*, customer_id: int, chat: str) -> list[str]:
    """What one-time code sends are counted against: the customer (whose phone receives them)
    and the chat that asks for them."""
    return [keyed_hash(str(customer_id), purpose="otp-customer"), keyed_hash(chat, purpose="otp-chat")]


def code_sends_allow(*, subjects: list[str]) -> bool:
    """Count one code send against every subject over a rolling day; False (nothing is sent)
    when any of them already reached IDENTITY_OTP_MAX_PER_DAY. Atomic per subject (cache
    increments), so parallel requests cannot exceed the cap."""
    allowed = True
    for subject in subjects:
        key = f"identity:otp-day:{subject}"
        count = counters.count(key, timeout=24 * 3600)
        allowed = allowed and count <= settings.IDENTITY_OTP_MAX_PER_DAY
    return allowed
