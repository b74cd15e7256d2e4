"""The one per-contact lock: the contact's ConversationSession row, taken FOR UPDATE.

Every writer of a contact's conversation (the inbox worker, the outbox, proactive notices,
surveys, erasure) takes it, so one customer's work is never done by two workers at once.
Only the session row is locked: the webhook keeps upserting the contact's row meanwhile.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from conversations.messaging.models import ConversationSession


def session_lock(contact_id: int) -> ConversationSession:
    """Lock and return the contact's session (created if missing); call inside a transaction.

    One query when the session exists (every message but a customer's first).
    """
    locked = ConversationSession.objects.select_for_update(of=("self",)).select_related("contact")
    session = locked.filter(contact_id=contact_id).first()
    if session is None:
        ConversationSession.objects.get_or_create(contact_id=contact_id)
        session = locked.get(contact_id=contact_id)
    return session


def preparation_claim(contact_id: int, *, seconds: float) -> bool:
    """Claim the right to prepare this contact's messages outside the lock for ``seconds``
    (renewable by calling again); False while another worker holds it. One conditional
    UPDATE in autocommit: no row lock is held while preparing."""
    now = timezone.now()
    ConversationSession.objects.get_or_create(contact_id=contact_id)
    mine = Q(preparing_until__isnull=True) | Q(preparing_until__lt=now)
    return bool(
        ConversationSession.objects.filter(mine, contact_id=contact_id).update(
            preparing_until=now + timedelta(seconds=seconds)
        )
    )


def preparation_renew(contact_id: int, *, seconds: float) -> None:
    ConversationSession.objects.filter(contact_id=contact_id).update(
        preparing_until=timezone.now() + timedelta(seconds=seconds)
    )


def preparation_release(contact_id: int) -> None:
    ConversationSession.objects.filter(contact_id=contact_id).update(preparing_until=None)
