"""Who may call the API and how often: `Authorization: Api-Key <key>` (401 without a valid
one), the key's scopes (403), the client's rate on the shared cache (429 with Retry-After),
answers in Spanish, and every call audited with personal data masked."""

from __future__ import annotations

import logging
import math
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from rest_framework import exceptions, status
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView, exception_handler

from proalto import cache as counters
from proalto.http import client_ip

from .models import ApiCall, ClientKey

logger = logging.getLogger(__name__)

KEYWORD = "Api-Key"
NO_KEY = "Falta la clave de la API o no es válida. Envíe el encabezado «Authorization: Api-Key <clave>»."
NO_SCOPE = "Esta clave no tiene permiso para este servicio."


@dataclass(frozen=True)
class ApiClient:
    """request.user for a call made with a valid key."""

    name: str
    is_authenticated: bool = True
    is_staff: bool = False


class ApiKeyAuthentication(BaseAuthentication):
    """A usable (not revoked, not expired) ClientKey, or 401. The same answer for no header,
    another scheme, an unknown prefix or a wrong secret."""

    def authenticate(self, request):
        scheme, _, key = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        key = key.strip()
        if scheme != KEYWORD or not key:
            raise exceptions.AuthenticationFailed(NO_KEY)
        client = client_key(key)
        if client is None:
            raise exceptions.AuthenticationFailed(NO_KEY)
        return ApiClient(name=client.name), client

    def authenticate_header(self, request) -> str:
        return f'{KEYWORD} realm="api"'


# A key's row is read from the shared cache (one Redis read instead of a database query on
# every call). Saving or deleting a key forgets it at once (receivers.py); the lifetime only
# bounds a change made outside Django (SQL by hand).
KEY_CACHE_SECONDS = 60
_KEY_FIELDS = ("id", "prefix", "hashed_key", "name", "created", "revoked", "expiry_date", "scopes", "rate")


def _key_cache(prefix: str) -> str:
    return f"api:key:{prefix}"


def client_key(key: str) -> ClientKey | None:
    """The usable (not revoked, not expired) ClientKey whose secret is `key`, else None.
    The secret is always checked against the stored hash, cached row or not."""
    prefix = key.partition(".")[0]
    row = cache.get(_key_cache(prefix))
    if row is None:
        row = ClientKey.objects.filter(prefix=prefix).values(*_KEY_FIELDS).first()
        if row is None:
            return None  # unknown prefixes are not cached: anyone can send them
        cache.set(_key_cache(prefix), row, timeout=KEY_CACHE_SECONDS)
    client = ClientKey(**row)
    client._state.adding, client._state.db = False, "default"
    if client.revoked or client.has_expired or not client.is_valid(key):
        return None
    return client


def client_key_forget(*, prefix: str) -> None:
    """A key changed (revoked, expiry, scopes, rate) or was deleted: the next call reads it anew."""
    cache.delete(_key_cache(prefix))


class HasScope(BasePermission):
    message = NO_SCOPE

    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, ClientKey) and request.auth.allows(view.scope)


class ClientRateThrottle(BaseThrottle):
    """Requests per client key in fixed windows, counted with the shared cache's atomic
    counter (Redis in production, so every web process shares the count). The key's own rate, else
    API_RATE. DRF's SimpleRateThrottle keeps a list of every request's time per client and
    rewrites it on each call, which costs O(rate) and loses counts between processes."""

    def allow_request(self, request, view) -> bool:
        client = request.auth
        if not isinstance(client, ClientKey):
            return True
        allowed, period = parse_rate(client.rate or settings.API_RATE)
        now = time.time()
        window = int(now // period)
        key = f"api:rate:{client.prefix}:{period}:{window}"
        count = counters.count(key, timeout=period + 1)
        self.retry_after = (window + 1) * period - now
        return count <= allowed

    def wait(self) -> float:
        return max(1.0, self.retry_after)


def api_exception_handler(exc, context):
    """DRF's handler, with the status and the body every client reads: 401 and 403 in Spanish,
    429 with Retry-After."""
    if isinstance(exc, exceptions.Throttled):
        wait = math.ceil(exc.wait or 1)
        exc = exceptions.Throttled(wait=wait, detail=f"Demasiadas solicitudes. Intente de nuevo en {wait} segundos.")
    elif isinstance(exc, exceptions.NotAuthenticated):
        exc = exceptions.AuthenticationFailed(NO_KEY)
    response = exception_handler(exc, context)
    if response is not None and response.status_code == status.HTTP_401_UNAUTHORIZED:
        response["WWW-Authenticate"] = f'{KEYWORD} realm="api"'
    return response


class ApiView(APIView):
    """Base of every /api/v1/ endpoint: the key, its scope, the rate, the audit."""

    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [HasScope]
    throttle_classes = [ClientRateThrottle]
    scope = ""
    # Set by the view while handling: a masked summary and the outcome, for the audit.
    audit_summary = ""
    audit_outcome = ""

    def get_exception_handler(self):
        return api_exception_handler

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        client = getattr(request, "_auth", None)  # unset when authentication failed
        try:
            ApiCall.objects.create(
                client=client if isinstance(client, ClientKey) else None,
                client_name=client.name if isinstance(client, ClientKey) else "",
                method=request.method,
                endpoint=request.path[:100],
                status=response.status_code,
                outcome=(self.audit_outcome or _outcome(response.status_code))[:40],
                summary=self.audit_summary[:200],
                ip=client_ip(request),
            )
        except Exception:  # the answer stands; a failed audit row is logged loudly
            logger.exception("could not audit an API call to %s", request.path)
        return response


def _outcome(code: int) -> str:
    return {
        400: "datos_invalidos",
        401: "sin_clave",
        403: "sin_permiso",
        429: "limite_excedido",
    }.get(code, "ok" if code < 400 else "error")


RATE_FORMAT = re.compile(r"^([1-9]\d*)/(s|sec|m|min|h|hour|d|day)$")
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def rate_valid(rate: str) -> bool:
    """A rate as DRF writes them: "120/min", "10/s", "1000/h", "10000/d"."""
    return bool(RATE_FORMAT.match(rate or ""))


def parse_rate(rate: str) -> tuple[int, int]:
    """(requests, seconds) of a rate (settings, the command and the admin refuse bad ones)."""
    match = RATE_FORMAT.match(rate)
    if match is None:
        raise ValueError(f"bad API rate {rate!r}")
    return int(match.group(1)), PERIODS[match.group(2)[0]]
