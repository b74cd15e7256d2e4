"""What personal data a staff member sees in full, and where the client IP comes from.

The rule (also in README "Back office"):
- cédula: masked for advisors; full for Supervisor and Cumplimiento
  (permission escalations.view_full_personal_data);
- phone / wa_id: full for those roles, and for an advisor only on a ticket they hold
  (they may need to read it to the customer or call back); masked everywhere else;
- chats (messages, both directions): an advisor reads only the chats of the tickets they
  hold; roles with escalations.view_all_chats read any;
- documents: an advisor downloads only the documents of a chat whose ticket they hold;
  roles with escalations.view_all_documents download any.
Every view that shows any of these writes an AuditEntry (escalations.services.audit_record).
"""

from __future__ import annotations

from escalations.models import Ticket
from proalto.masking import mask_cedula, mask_phone

FULL_DATA = "escalations.view_full_personal_data"
ALL_DOCUMENTS = "escalations.view_all_documents"
ALL_CHATS = "escalations.view_all_chats"


def sees_full_data(user) -> bool:
    return user.has_perm(FULL_DATA)


def holds_ticket(user, ticket) -> bool:
    return ticket is not None and ticket.status == Ticket.Status.TAKEN and ticket.assigned_to_id == user.pk


def reads_all_chats(user) -> bool:
    return user.has_perm(ALL_CHATS)


def reads_chat(user, ticket) -> bool:
    """Whether the conversation of this ticket's chat may be shown to this user."""
    return reads_all_chats(user) or holds_ticket(user, ticket)


def contacts_readable(user):
    """The contacts whose messages this user may read: None for all of them."""
    if reads_all_chats(user):
        return None
    return Ticket.objects.filter(status=Ticket.Status.TAKEN, assigned_to=user).values("contact")


def phone_for(user, value: str, *, ticket=None) -> tuple[str, bool]:
    """The phone as this user may see it, and whether it is shown in full."""
    if sees_full_data(user) or holds_ticket(user, ticket):
        return value, True
    return mask_phone(value), False


def cedula_for(user, value: str) -> tuple[str, bool]:
    if sees_full_data(user):
        return value, True
    return mask_cedula(value), False


def can_download(user, document) -> bool:
    if not user.has_perm("documents.view_document"):
        return False
    if user.has_perm(ALL_DOCUMENTS):
        return True
    held = Ticket.objects.filter(status=Ticket.Status.TAKEN, assigned_to=user)
    if document.ticket_id and held.filter(pk=document.ticket_id).exists():
        return True
    return bool(document.contact_id) and held.filter(contact_id=document.contact_id).exists()
