"""The one per-contact lock: the contact's ConversationSession row, taken FOR UPDATE.

Every writer of a contact's conversation (the inbox worker, the outbox, proactive notices,
surveys, erasure) takes it, so one customer's work is never done by two workers at once.
Only the session row is locked: the webhook keeps upserting the contact's row meanwhile.
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from conversations.messaging.models import Contact, ConversationSession

logger = logging.getLogger(__name__)

# A claim (a message being sent, a placeholder or a customer's messages being prepared) names
# the worker process holding it. When that process is gone (SIGKILL, out of memory) the next
# worker of this machine that meets the claim takes the work over at once; a claim of another
# machine is judged by its lease: older than this, and not renewed, it is a dead worker's. A
# live sender renews its claims between sends, so the lease only has to outlast one call to
# Meta (an upload and a send, 10 s each at most).
CLAIM_LEASE_SECONDS = 25
HOST = socket.gethostname()


def claim_holder() -> str:
    """This worker process, as claims name it."""
    return f"{HOST}:{os.getpid()}"


def claim_is_dead(holder: str, claimed_at: datetime | None, *, now: datetime, lease: float) -> bool:
    """Whether a claim was left by a process that is gone (or went silent for the lease)."""
    return claimed_at is None or claimed_at < now - timedelta(seconds=lease) or holder_gone(holder)


def holder_gone(holder: str) -> bool:
    """Whether the claim's process is known to be gone: it ran on this machine and has exited."""
    host, _, pid = holder.rpartition(":")
    return host == HOST and pid.isdigit() and not _process_alive(int(pid))


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat") as stat:
            # A killed pool process is a zombie until Celery reaps it: dead all the same.
            return stat.read().rpartition(")")[2].split()[0] != "Z"
    except (OSError, IndexError):
        return True  # no /proc (macOS): alive as far as we can tell


class ContactGone(Exception):
    """A task names a contact whose row is gone (deleted, or a task queued against another
    database, as a test run's leftovers in the development broker): nothing to lock or do."""


def session_lock(contact_id: int) -> ConversationSession:
    """Lock and return the contact's session (created if missing); call inside a transaction.
    Raises ContactGone when there is no such contact.

    One query when the session exists (every message but a customer's first).
    """
    locked = ConversationSession.objects.select_for_update(of=("self",)).select_related("contact")
    session = locked.filter(contact_id=contact_id).first()
    if session is None:
        if not Contact.objects.filter(pk=contact_id).exists():
            raise ContactGone(contact_id)
        ConversationSession.objects.get_or_create(contact_id=contact_id)
        session = locked.get(contact_id=contact_id)
    return session


def preparation_claim(contact_id: int, *, seconds: float) -> bool:
    """Claim the right to prepare this contact's messages outside the lock for ``seconds``
    (renewable by calling again); False while another live worker holds it. One conditional
    UPDATE in autocommit: no row lock is held while preparing."""
    now = timezone.now()
    ConversationSession.objects.get_or_create(contact_id=contact_id)
    mine = Q(preparing_until__isnull=True) | Q(preparing_until__lt=now)
    claim = {"preparing_until": now + timedelta(seconds=seconds), "preparing_by": claim_holder()}
    if ConversationSession.objects.filter(mine, contact_id=contact_id).update(**claim):
        return True
    holder = ConversationSession.objects.filter(contact_id=contact_id).values_list("preparing_by", flat=True).first()
    if holder is None or not holder_gone(holder):
        return False
    # Its process is gone: take the claim over, unless someone else just did.
    taken = ConversationSession.objects.filter(contact_id=contact_id, preparing_by=holder).update(**claim)
    if taken:
        logger.warning("took over the preparation claim of a dead worker (%s)", holder)
    return bool(taken)


def preparation_renew(contact_id: int, *, seconds: float) -> None:
    ConversationSession.objects.filter(contact_id=contact_id).update(
        preparing_until=timezone.now() + timedelta(seconds=seconds)
    )


def preparation_release(contact_id: int) -> None:
    ConversationSession.objects.filter(contact_id=contact_id).update(preparing_until=None, preparing_by="")
