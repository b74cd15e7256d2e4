"""ProAlto's core system: read-only queries on the `proalto_bot` relations of its database
(the "core" database alias, CORE_DATABASE_URL), with a statement timeout and a circuit breaker.

Every query runs in its own read-only transaction with `SET LOCAL statement_timeout`
(CORE_STATEMENT_TIMEOUT_MS). A failure (refused connection, timeout, a missing grant) raises
`CoreUnavailable`; after CORE_BREAKER_FAILURES failures in a row the breaker opens and the
core is not asked again for CORE_BREAKER_SECONDS (the first query after that is a trial:
one more failure opens it again at once). The breaker's state lives in Django's cache
(Redis in production), so every web and worker process sees the same core health.

The connection is this module's own, one per thread, built from the "core" alias's
settings: it never joins the transactions of the default database (nor a test's), so the
read-only transaction and its timeout are always real.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections
from django.db.utils import load_backend
from django.utils import timezone

from proalto import cache as counters

logger = logging.getLogger(__name__)

ALIAS = "core"
PRIVATE_ALIAS = "core-reader"
_FAILURES_KEY = "core:breaker:failures"
_OPEN_KEY = "core:breaker:open"
_LAST_OK_KEY = "core:last_ok"
_LAST_ERROR_KEY = "core:last_error"
_local = threading.local()


class CoreUnavailable(Exception):
    """The core could not answer in time (down, slow, refusing, or the breaker is open)."""


class CoreRouter:
    """Django never migrates or writes ProAlto's core: it is another team's database."""

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != ALIAS

    def db_for_write(self, model, **hints):
        return None  # the default database; nothing of the bot lives in the core


def core_configured() -> bool:
    return ALIAS in settings.DATABASES


def _connection():
    wrapper = getattr(_local, "wrapper", None)
    if wrapper is None:
        config = connections.settings[ALIAS]
        # Its own alias: not one of the handler's, so it joins no atomic block of theirs.
        wrapper = load_backend(config["ENGINE"]).DatabaseWrapper(config, alias=PRIVATE_ALIAS)
        _local.wrapper = wrapper
    return wrapper


def core_connection_reset() -> None:
    """Close this thread's connection; the next query opens one from the alias's settings."""
    wrapper = getattr(_local, "wrapper", None)
    if wrapper is not None:
        try:
            wrapper.close()
        except DatabaseError:
            pass
        _local.wrapper = None


def core_query(sql: str, params: list | tuple = ()) -> list[dict]:
    """Rows (as dicts) of one SELECT on the core, in a read-only transaction with a timeout."""
    if not core_configured():
        raise CoreUnavailable("CORE_DATABASE_URL is not set")
    breaker = cache.get_many([_OPEN_KEY, _FAILURES_KEY, _LAST_OK_KEY])
    if breaker.get(_OPEN_KEY):
        raise CoreUnavailable("circuit breaker open")
    started = time.monotonic()
    wrapper = _connection()
    try:
        wrapper.close_if_unusable_or_obsolete()
        rows = _read(wrapper, sql, params)
    except DatabaseError as exc:
        core_connection_reset()
        _failure(exc, elapsed=time.monotonic() - started)
        raise CoreUnavailable(f"{type(exc).__name__}") from exc
    _success(breaker)
    return rows


# A connection used this recently is taken as alive; one idle longer is checked before use.
IDLE_CHECK_SECONDS = 30


def _read(wrapper, sql: str, params) -> list[dict]:
    """BEGIN READ ONLY, SET LOCAL statement_timeout, the SELECT and COMMIT sent together in
    libpq's pipeline mode: one round trip to the core instead of four (the transaction and its
    timeout are the same). An error anywhere skips the rest and raises at the sync; the caller
    then drops the connection."""
    if time.monotonic() - getattr(_local, "used_at", float("-inf")) > IDLE_CHECK_SECONDS:
        # A connection left idle may have died (the core restarted overnight): asked first
        # (SELECT 1) and replaced if so, instead of failing a customer's query.
        wrapper.close_if_health_check_failed()
    wrapper.ensure_connection()
    raw = wrapper.connection
    with wrapper.wrap_database_errors:
        with raw.pipeline():
            raw.execute("BEGIN TRANSACTION READ ONLY")
            raw.execute(f"SET LOCAL statement_timeout = {int(settings.CORE_STATEMENT_TIMEOUT_MS)}")
            cursor = raw.execute(sql, params)
            raw.execute("COMMIT")
        columns = [column.name for column in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    _local.used_at = time.monotonic()
    return rows


def _failure(exc: Exception, *, elapsed: float) -> None:
    window = max(600, settings.CORE_BREAKER_SECONDS * 10)
    failures = counters.count(_FAILURES_KEY, timeout=window)
    cache.set(_LAST_ERROR_KEY, {"at": timezone.now().isoformat(), "error": type(exc).__name__}, timeout=None)
    if failures >= settings.CORE_BREAKER_FAILURES:
        cache.set(_OPEN_KEY, timezone.now().isoformat(), timeout=settings.CORE_BREAKER_SECONDS)
        logger.error(
            "core unavailable (%s after %.1f s, %s in a row): breaker open", type(exc).__name__, elapsed, failures
        )
    else:
        logger.warning("core query failed (%s after %.1f s, %s in a row)", type(exc).__name__, elapsed, failures)


# How often "the core answered" is recorded for staff (core_health): not on every query.
LAST_OK_RESOLUTION = timedelta(seconds=5)


def _success(breaker: dict) -> None:
    """After an answered query. `breaker` was read with the breaker's state before the query,
    so an answered query costs the cache that one read: failures are counted "in a row" and
    cleared when there were any; the last success is rewritten when it is a few seconds old."""
    if breaker.get(_FAILURES_KEY):
        cache.delete(_FAILURES_KEY)
    now = timezone.now()
    last_ok = breaker.get(_LAST_OK_KEY)
    if last_ok is None or now - datetime.fromisoformat(last_ok) >= LAST_OK_RESOLUTION:
        cache.set(_LAST_OK_KEY, now.isoformat(), timeout=None)


def core_health() -> dict:
    """What staff see of the core: configured, state ("ok", "failing", "open", "unknown"),
    the last successful query and the last failure (ISO times)."""
    if not core_configured():
        return {"configured": False, "state": "not_configured", "last_ok": None, "last_error": None}
    failures = cache.get(_FAILURES_KEY) or 0
    state = "open" if cache.get(_OPEN_KEY) else "failing" if failures else "ok"
    last_ok = cache.get(_LAST_OK_KEY)
    if state == "ok" and last_ok is None:
        state = "unknown"
    return {"configured": True, "state": state, "last_ok": last_ok, "last_error": cache.get(_LAST_ERROR_KEY)}


def core_breaker_reset() -> None:
    cache.delete_many([_FAILURES_KEY, _OPEN_KEY])
