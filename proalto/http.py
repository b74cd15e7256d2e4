"""Facts about an HTTP request that several apps need."""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    """The client's address: from the trusted proxy's header when one is configured.

    The one source of the client address for staff login throttling (django-axes), the audit
    log and the public verification page's rate limit.
    """
    header = settings.STAFF_CLIENT_IP_HEADER
    if header and request.META.get(header):
        # The proxy appends the address it saw: the last one is the one we can trust; what the
        # client wrote itself comes before it.
        forwarded = _address(request.META[header].split(",")[-1])
        if forwarded:
            return forwarded
    return _address(request.META.get("REMOTE_ADDR"))


def _address(value: str | None) -> str | None:
    """``value`` as an IP address, or None when it is not one (nothing unparsed is stored)."""
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None
