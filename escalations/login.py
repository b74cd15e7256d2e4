"""Staff login throttling, on django-axes.

Axes counts failed logins in the database, per username and per client address (the trusted
proxy's header, proalto.http.client_ip), and refuses to check credentials while either is
locked. What ProAlto adds:

- the address has its own, higher limit (STAFF_LOGIN_MAX_FAILURES_PER_IP): an office behind
  one NAT address shares that count;
- the lock is capped: attempts during a lock are neither checked nor counted, so it ends
  STAFF_LOGIN_LOCK_MINUTES after it began however often someone keeps trying
  (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False);
- a successful login forgives only that account's failures from that address, never the
  address's failures at other accounts;
- one guess at a time per username and per address (``login_guesses_serialize``): axes
  checks the count before the password and records the failure after it, so parallel
  requests could all pass the check before any was counted;
- a wrong second-factor code after the right password counts as a failure too.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db import connection
from django.db.models import Sum
from django.shortcuts import render

LOCKED_MESSAGE = (
    "Demasiados intentos fallidos. Por seguridad, el acceso quedó bloqueado {minutes} minutos; "
    "vuelve a intentarlo más tarde o pide ayuda a tu supervisor."
)


def failure_limit(request, credentials) -> int:
    """AXES_FAILURE_LIMIT: the username's limit (the address's is in StaffLoginHandler)."""
    return settings.STAFF_LOGIN_MAX_FAILURES


def cool_off(request) -> timedelta:
    """AXES_COOLOFF_TIME: how long a lock lasts, and how long a failure is remembered."""
    return timedelta(minutes=settings.STAFF_LOGIN_LOCK_MINUTES)


class StaffLoginHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit per username and a higher one per address."""

    def get_failures(self, request, credentials=None) -> int:
        # In the username's terms: the address reaching its own limit counts as the username's reached.
        by_username, by_address = (
            attempts.aggregate(failures=Sum("failures_since_start"))["failures"] or 0
            for attempts in self.get_user_attempts(request, credentials)  # AXES_LOCKOUT_PARAMETERS' order
        )
        if by_address >= settings.STAFF_LOGIN_MAX_FAILURES_PER_IP:
            return max(by_username, settings.STAFF_LOGIN_MAX_FAILURES)
        return by_username

    def reset_user_attempts(self, request, credentials=None) -> int:
        # Axes would also forget every failure from this address (at any account) and every
        # failure at this account (from anywhere): one valid login must not reset those.
        attempts = AccessAttempt.objects.filter(
            username=get_client_username(request, credentials), ip_address=request.axes_ip_address
        )
        count, _ = attempts.delete()
        return count


def login_guesses_serialize(*, username: str, ip: str | None) -> None:
    """Inside a transaction: wait until no other login for this username or this address is
    being checked, so each one sees the failures of those before it. PostgreSQL: advisory
    locks held until the transaction ends. SQLite (the embedded default) serialises every
    write transaction already (transaction_mode IMMEDIATE)."""
    if connection.vendor != "postgresql":
        return
    keys = sorted({f"staff-login:user:{username}", f"staff-login:ip:{ip or ''}"})
    with connection.cursor() as cursor:
        for key in keys:  # always in the same order: two logins never wait for each other's second lock
            digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest, "big", signed=True)])


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the login page again, saying in Spanish why and for how long."""
    from django.contrib import admin

    site = admin.site
    context = {
        **site.each_context(request),
        "title": "Iniciar sesión",
        "app_path": request.get_full_path(),
        "username": request.user.get_username(),
        "form": site.login_form(request),
        "next": request.POST.get("next") or request.GET.get("next", ""),
        "locked_message": LOCKED_MESSAGE.format(minutes=settings.STAFF_LOGIN_LOCK_MINUTES),
    }
    return render(request, site.login_template, context, status=429)
