"""Escalation services: opening, taking and closing tickets."""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from conversations.flows.base import Reply
from escalations.models import Ticket
from proalto.colombia import BOGOTA, BusinessHours, format_date_long

DEFAULT_PRIORITY = {
    Ticket.Reason.FRAUD: Ticket.Priority.URGENT,
    Ticket.Reason.COMPLAINT: Ticket.Priority.HIGH,
    Ticket.Reason.LOCKED_VALIDATION: Ticket.Priority.HIGH,
}
TRANSCRIPT_MESSAGES = 20


def _parse_window(value: str) -> tuple[time, time] | None:
    if not value:
        return None
    start, _, end = value.partition("-")
    return time.fromisoformat(start.strip()), time.fromisoformat(end.strip())


def advisor_hours() -> BusinessHours:
    return BusinessHours(
        weekday=_parse_window(settings.ADVISOR_HOURS_WEEKDAY), saturday=_parse_window(settings.ADVISOR_HOURS_SATURDAY)
    )


def contact_transcript(*, contact, limit: int = TRANSCRIPT_MESSAGES) -> list[dict]:
    """The last messages of a chat, both directions, oldest first."""
    inbound = [
        {"at": m.sent_at.isoformat(), "from": "cliente", "text": m.text or f"[{m.type}]"}
        for m in contact.inbound.order_by("-sent_at")[:limit]
    ]
    outbound = [
        {"at": m.created_at.isoformat(), "from": m.sender, "text": m.preview}
        for m in contact.outbound.order_by("-created_at")[:limit]
    ]
    return sorted(inbound + outbound, key=lambda item: item["at"])[-limit:]


@transaction.atomic
def ticket_open(*, contact, reason: str, priority: int | None = None, details: dict | None = None, customer=None, now=None):
    """Open a ticket (or raise the one already open) and say what happens next.

    Returns the ticket and the reply for the user.
    """
    now = now or timezone.now()
    priority = priority if priority is not None else DEFAULT_PRIORITY.get(reason, Ticket.Priority.NORMAL)
    ticket = Ticket.objects.select_for_update().filter(contact=contact).exclude(status=Ticket.Status.CLOSED).first()
    already_open = ticket is not None
    if ticket is None:
        ticket = Ticket.objects.create(
            contact=contact,
            customer=customer,
            reason=reason,
            priority=priority,
            details=details or {},
            transcript=contact_transcript(contact=contact),
            created_at=now,
            last_activity_at=now,
        )
    else:
        ticket.priority = min(ticket.priority, priority)
        ticket.details = {**ticket.details, **(details or {})}
        ticket.customer = ticket.customer or customer
        ticket.last_activity_at = now
        ticket.save(update_fields=["priority", "details", "customer", "last_activity_at"])
        if reason != ticket.reason:
            ticket.details.setdefault("other_reasons", []).append(reason)
            ticket.save(update_fields=["details"])

    hours = advisor_hours()
    open_now = hours.is_open(now)
    context = {"ticket": ticket, "reason": reason, "open_now": open_now, "already_open": already_open}
    if not open_now:
        next_open = hours.next_open(now).astimezone(BOGOTA)
        context.update(next_open_date=format_date_long(next_open.date()), next_open_time=next_open.strftime("%I:%M %p").lstrip("0").lower(),
                       next_open_today=next_open.date() == now.astimezone(BOGOTA).date())
    from escalations.signals import ticket_opened

    if not already_open:
        transaction.on_commit(lambda: ticket_opened.send(sender=Ticket, ticket=ticket))
    return ticket, Reply(template="escalations/opened.txt", context=context)


def ticket_take(*, ticket: Ticket, user) -> Ticket:
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if ticket.status == Ticket.Status.CLOSED:
            raise ValueError("El ticket ya está cerrado")
        ticket.status = Ticket.Status.TAKEN
        ticket.assigned_to = user
        ticket.taken_at = ticket.taken_at or timezone.now()
        ticket.last_activity_at = timezone.now()
        ticket.save(update_fields=["status", "assigned_to", "taken_at", "last_activity_at"])
    return ticket


def ticket_close(*, ticket: Ticket, by=None, notify: bool = True) -> Ticket:
    """Close the ticket and give the chat back to the bot (telling the user, by default)."""
    from conversations.replies import render
    from conversations.services import outbound_queue

    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if ticket.status == Ticket.Status.CLOSED:
            return ticket
        ticket.status = Ticket.Status.CLOSED
        ticket.closed_at = timezone.now()
        ticket.save(update_fields=["status", "closed_at"])
        if notify:
            rendered = render("escalations/closed.txt", {"ticket": ticket})
            outbound_queue(contact=ticket.contact, body=rendered.body, preview=rendered.preview, sender="system", staff_user=by)
    return ticket
