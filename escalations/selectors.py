"""Reads about escalation tickets."""

from escalations.models import Ticket


def contact_ticket_open(*, contact) -> Ticket | None:
    return Ticket.objects.filter(contact=contact).exclude(status=Ticket.Status.CLOSED).order_by("-created_at").first()


def contact_ticket_held(*, contact) -> Ticket | None:
    """The ticket an advisor is working on for this chat; while it exists the bot is quiet."""
    return Ticket.objects.filter(contact=contact, status=Ticket.Status.TAKEN).order_by("-created_at").first()
