"""Signed, short-lived links to stored documents (a paz y salvo PDF, a lead's files): the
link itself is the credential, valid API_LINK_EXPIRY_SECONDS (Django's signing, salted)."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "conversations.api.document-link"


def document_link(*, document_id: int) -> str:
    token = signing.dumps({"d": document_id}, salt=SALT, compress=True)
    return f"{settings.SITE_URL}{reverse('api-document', kwargs={'token': token})}"


def document_from_token(token: str) -> int | None:
    """The document id a link names, or None when it was altered or has expired."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.API_LINK_EXPIRY_SECONDS)
    except signing.BadSignature:  # SignatureExpired included
        return None
    return data.get("d") if isinstance(data, dict) else None
