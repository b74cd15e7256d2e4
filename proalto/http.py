"""Facts about an HTTP request that several apps need."""

from __future__ import annotations

from django.conf import settings


def client_ip(request) -> str | None:
    """The client's address: from the trusted proxy's header when one is configured."""
    header = settings.STAFF_CLIENT_IP_HEADER
    if header and request.META.get(header):
        # The proxy appends the address it saw: the last one is the one we can trust.
        return request.META[header].split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None
