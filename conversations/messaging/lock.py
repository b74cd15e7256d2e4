"""The one per-contact lock: the contact's ConversationSession row, taken FOR UPDATE.

Every writer of a contact's conversation (the inbox worker, the outbox, proactive notices,
surveys, erasure) takes it, so one customer's work is never done by two workers at once.
Only the session row is locked: the webhook keeps upserting the contact's row meanwhile.
"""

from __future__ import annotations

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
