"""Health for orchestrators and load balancers: ``/healthz``, ``/readyz`` and ``/metrics``.

- ``/healthz`` (liveness): the process answers; nothing else is looked at.
- ``/readyz`` (readiness): every database alias configured (``default``, and ``core`` when
  the portfolio is read from ProAlto's core database), the cache, the Celery broker and the
  file storage, with django-health-check's checks; plus the checks the upper layers add (the
  Meta token's validity as last seen). JSON, 200 when every critical check passes, else 503.
  Results are kept ``READINESS_CACHE_SECONDS`` (the storage check, which writes a file, twelve
  times that), so a probe every few seconds costs little.

``OperatorEndpointsMiddleware`` answers the three paths before anything else runs: load
balancers and Prometheus call the instance by its address over plain HTTP, which the host
check and the HTTPS redirect would refuse. Nothing they answer holds personal data, and
``/metrics`` wants its bearer token (proalto.metrics).
"""

from __future__ import annotations

import asyncio
import dataclasses
import threading
import time

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from health_check.base import HealthCheck, HealthCheckResult
from health_check.checks import Cache, Database, Storage
from health_check.exceptions import ServiceUnavailable

from proalto import metrics
from proalto.celery import app as celery_app


@dataclasses.dataclass
class Broker(HealthCheck):
    """The Celery broker accepts a connection (Redis answers a PING; the embedded file-system
    broker's folders are there)."""

    def run(self):
        try:
            with celery_app.connection_for_write() as connection:
                connection.connect()
        except Exception as exc:
            raise ServiceUnavailable(f"broker unreachable ({type(exc).__name__})") from exc


@dataclasses.dataclass(frozen=True)
class Readiness:
    """One check of /readyz: its name in the JSON, whether a failure makes the instance
    unready, and how many cache periods its result is kept."""

    name: str
    check: HealthCheck
    critical: bool = True
    periods: int = 1


_extra: list[Readiness] = []


def readiness_check_add(item: Readiness) -> None:
    """Add a check from an upper layer (once per process, from an AppConfig.ready)."""
    if all(existing.name != item.name for existing in _extra):
        _extra.append(item)


def readiness_checks() -> list[Readiness]:
    own = [Readiness(f"database:{alias}", Database(alias=alias)) for alias in settings.DATABASES]
    own += [
        Readiness("cache", Cache(alias="default")),
        Readiness("broker", Broker()),
        Readiness("storage", Storage(alias="default"), periods=12),
    ]
    return own + _extra


_results: dict[str, tuple[float, HealthCheckResult]] = {}
_results_lock = threading.Lock()


def readiness_results(*, now: float | None = None) -> list[tuple[Readiness, HealthCheckResult]]:
    """Every check's latest result, running those whose kept result is older than its period."""
    now = time.monotonic() if now is None else now
    period = settings.READINESS_CACHE_SECONDS
    checks = readiness_checks()
    with _results_lock:
        due = [c for c in checks if c.name not in _results or _results[c.name][0] + period * c.periods <= now]
    if due:
        fresh = asyncio.run(_run_all([c.check for c in due]))
        with _results_lock:
            for item, result in zip(due, fresh, strict=True):
                _results[item.name] = (now, result)
    with _results_lock:
        return [(item, _results[item.name][1]) for item in checks]


async def _run_all(checks: list[HealthCheck]) -> list[HealthCheckResult]:
    return await asyncio.gather(*(check.get_result() for check in checks))


def readiness_forget() -> None:
    """Drop the kept results (tests; a check that must run now)."""
    with _results_lock:
        _results.clear()


def readyz_response(request) -> JsonResponse:
    results = readiness_results()
    ready = all(result.error is None for item, result in results if item.critical)
    body = {
        "status": "ready" if ready else "unavailable",
        "checks": {
            item.name: {
                "ok": result.error is None,
                "critical": item.critical,
                "seconds": round(result.time_taken, 4),
                **({"error": str(result.error)} if result.error else {}),
            }
            for item, result in results
        },
    }
    return _uncached(JsonResponse(body, status=200 if ready else 503))


def healthz_response(request) -> JsonResponse:
    return _uncached(JsonResponse({"status": "alive"}))


def _uncached(response):
    response["Cache-Control"] = "no-store"
    return response


class OperatorEndpointsMiddleware:
    """First in MIDDLEWARE: /healthz, /readyz and /metrics answered here, over plain HTTP and
    for any Host header (see the module's docstring); every other request goes on."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.routes = {
            "/healthz": healthz_response,
            "/readyz": readyz_response,
            "/metrics": metrics.metrics_response,
        }

    def __call__(self, request):
        endpoint = self.routes.get(request.path_info.rstrip("/"))
        if endpoint is None:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
        return endpoint(request)
