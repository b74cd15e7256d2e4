"""Escalation services: opening, taking, assigning, answering and closing tickets, and
the audit log of staff looking at personal data."""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from conversations.messaging import whatsapp
from conversations.messaging.models import OutboundMessage
from conversations.messaging.outbox import outbound_queue
from conversations.messaging.replies import Reply, render
from documents.kinds import DocumentKind
from documents.services import DocumentRejected, check_upload, document_store_generated, safe_name
from escalations.models import AuditEntry, Ticket, TicketNote
from escalations.selectors import ticket_queue_position
from escalations.signals import ticket_opened
from proalto.colombia import BOGOTA, BusinessHours, format_date_long, format_time

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
def ticket_open(
    *, contact, reason: str, priority: int | None = None, details: dict | None = None, customer=None, now=None
):
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
    context = {
        "ticket": ticket,
        "reason": reason,
        "open_now": open_now,
        "already_open": already_open,
        # Place in the queue among open, untaken tickets as or more urgent (1 = next).
        "position": ticket_queue_position(ticket=ticket),
    }
    if not open_now:
        next_open = hours.next_open(now).astimezone(BOGOTA)
        context.update(
            next_open_date=format_date_long(next_open.date()),
            next_open_time=format_time(next_open),
            next_open_today=next_open.date() == now.astimezone(BOGOTA).date(),
        )
    if not already_open:
        transaction.on_commit(lambda: ticket_opened.send(sender=Ticket, ticket=ticket))
    return ticket, Reply(template="escalations/opened.txt", context=context)


class TicketError(ValueError):
    """A ticket action that cannot be done; the message is shown to staff as is."""


class ReengagementRequiredError(TicketError):
    """The customer wrote over 24 hours ago: the advisor may only send the approved
    re-engagement template (ticket_reengage) until they write again.

    Checked before queueing; whatsapp.WindowClosedError is Meta refusing a send for the same rule.
    """


def check_ticket_takeable(*, ticket: Ticket, user) -> None:
    """Raise TicketError unless this user may take the ticket now: an open one, or one they
    already hold; taking one another advisor holds is reassigning it (escalations.assign_ticket)."""
    if ticket.status == Ticket.Status.CLOSED:
        raise TicketError(f"El caso #{ticket.pk} ya está cerrado.")
    if ticket.status == Ticket.Status.OPEN or ticket.assigned_to_id == user.pk:
        return
    if not user.has_perm("escalations.assign_ticket"):
        holder = ticket.assigned_to
        name = (holder.get_full_name() or holder.get_username()) if holder else "otro asesor"
        raise TicketError(
            f"El caso #{ticket.pk} ya lo atiende {name}. Solo un supervisor puede reasignarlo; "
            "pídeselo si necesitas atenderlo tú."
        )


def ticket_take(*, ticket: Ticket, user) -> Ticket:
    """Assign the ticket to this user (TicketError if check_ticket_takeable refuses). A
    supervisor taking one another advisor holds is a reassignment, recorded as one."""
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        check_ticket_takeable(ticket=ticket, user=user)
        if ticket.status == Ticket.Status.TAKEN and ticket.assigned_to_id != user.pk:
            return ticket_assign(ticket=ticket, user=user, by=user)
        ticket.status = Ticket.Status.TAKEN
        ticket.assigned_to = user
        ticket.taken_at = ticket.taken_at or timezone.now()
        ticket.last_activity_at = timezone.now()
        ticket.save(update_fields=["status", "assigned_to", "taken_at", "last_activity_at"])
    return ticket


def outcome_label(outcome: str) -> str:
    """The tipificación's name; tickets closed by the system or before outcomes existed have none."""
    return Ticket.Outcome(outcome).label if outcome in Ticket.Outcome.values else "Sin tipificación"


def check_outcome(outcome: str) -> str:
    """The outcome (tipificación) a person closing a case chose; TicketError if none or unknown."""
    if outcome not in Ticket.Outcome.values:
        raise TicketError("Elige la tipificación del caso antes de cerrarlo.")
    return outcome


def ticket_close(*, ticket: Ticket, by=None, notify: bool = True, outcome: str = "") -> Ticket:
    """Close the ticket and give the chat back to the bot (telling the user, by default).

    ``outcome`` is the tipificación staff chose (check_outcome); empty when the system closes it.
    """
    if outcome:
        check_outcome(outcome)
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if ticket.status == Ticket.Status.CLOSED:
            return ticket
        ticket.status = Ticket.Status.CLOSED
        ticket.closed_at = timezone.now()
        ticket.outcome = outcome
        ticket.save(update_fields=["status", "closed_at", "outcome"])
        if notify:
            rendered = render("escalations/closed.txt", {"ticket": ticket})
            outbound_queue(
                contact=ticket.contact,
                body=rendered.body,
                preview=rendered.preview,
                sender=OutboundMessage.Sender.SYSTEM,
                staff_user=by,
            )
    return ticket


def ticket_assign(*, ticket: Ticket, user, by) -> Ticket:
    """A supervisor hands a ticket to another advisor (it stays taken, now by them)."""
    if not user.is_active or not user.has_perm("escalations.take_ticket"):
        raise TicketError(f"{user.get_full_name() or user.get_username()} no puede atender tickets")
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if ticket.status == Ticket.Status.CLOSED:
            raise TicketError(f"El ticket #{ticket.pk} ya está cerrado")
        now = timezone.now()
        previous = ticket.assigned_to_id
        ticket.status = Ticket.Status.TAKEN
        ticket.assigned_to = user
        ticket.taken_at = ticket.taken_at or now
        ticket.last_activity_at = now
        ticket.details = {
            **ticket.details,
            "reassigned": [
                *ticket.details.get("reassigned", []),
                {"at": now.isoformat(), "from": previous, "to": user.pk, "by": by.pk},
            ],
        }
        ticket.save(update_fields=["status", "assigned_to", "taken_at", "last_activity_at", "details"])
    return ticket


def _ticket_held_by(ticket: Ticket, user) -> Ticket:
    ticket = Ticket.objects.select_for_update().select_related("contact").get(pk=ticket.pk)
    if ticket.status != Ticket.Status.TAKEN or ticket.assigned_to_id != user.pk:
        raise TicketError("Toma el ticket antes de escribirle al cliente.")
    return ticket


def ticket_reply(*, ticket: Ticket, user, text: str = "", attachment: bytes | None = None, filename: str = ""):
    """An advisor writes to the customer (text and/or a PDF/JPG/PNG); sent after commit.

    Raises TicketError (not held, empty, file refused) or ReengagementRequiredError.
    """

    text = (text or "").strip()
    if not text and not attachment:
        raise TicketError("Escribe un mensaje o adjunta un archivo.")
    with transaction.atomic():
        ticket = _ticket_held_by(ticket, user)
        contact = ticket.contact
        _check_reply_sendable(contact=contact, text=text, with_attachment=bool(attachment))
        document = _advisor_document_store(ticket=ticket, data=attachment, filename=filename) if attachment else None
        out = outbound_queue(
            contact=contact,
            body=_advisor_reply_body(text=text, document=document),
            preview=text or document.original_name,
            sender=OutboundMessage.Sender.ADVISOR,
            staff_user=user,
            document=document,
        )
        Ticket.objects.filter(pk=ticket.pk).update(last_activity_at=timezone.now())
    return out


def _check_reply_sendable(*, contact, text: str, with_attachment: bool) -> None:
    """Refuse, before anything is stored, what WhatsApp would refuse to deliver."""
    if not contact.in_service_window():
        raise ReengagementRequiredError(
            "Pasaron más de 24 horas desde el último mensaje del cliente: WhatsApp solo permite "
            "enviar la plantilla aprobada para retomar la conversación."
        )
    limit = whatsapp.CAPTION_MAX if with_attachment else whatsapp.TEXT_MAX
    if len(text) > limit:
        raise TicketError(
            f"WhatsApp admite hasta {limit} caracteres{' junto a un archivo' if with_attachment else ''}; "
            "acorta el mensaje."
        )


def _advisor_document_store(*, ticket: Ticket, data: bytes, filename: str):
    """Check the advisor's file by its content and keep it with the ticket; TicketError if refused."""
    try:
        mime_type = check_upload(data=data)
    except DocumentRejected as exc:
        raise TicketError(
            "El archivo supera el tamaño permitido."
            if exc.reason == "size"
            else "Solo se pueden enviar archivos PDF, JPG o PNG."
        ) from exc
    return document_store_generated(
        data=data,
        kind=DocumentKind.ADVISOR,
        mime_type=mime_type,
        filename=safe_name(filename, mime_type),
        contact=ticket.contact,
        customer=ticket.customer,
        ticket=ticket,
    )


def _advisor_reply_body(*, text: str, document) -> dict:
    if document is None:
        return whatsapp.text_body(text)
    # The outbox uploads the file to Meta and adds its media id when sending.
    kind = "document" if document.mime_type == "application/pdf" else "image"
    media = {"filename": document.original_name} if kind == "document" else {}
    if text:
        media["caption"] = text
    return {"type": kind, kind: media}


def ticket_reengage(*, ticket: Ticket, user):
    """Outside the 24-hour window: send the approved template that invites the customer back."""

    with transaction.atomic():
        ticket = _ticket_held_by(ticket, user)
        body = whatsapp.template_body(
            settings.WHATSAPP_REENGAGEMENT_TEMPLATE, language=settings.WHATSAPP_TEMPLATE_LANGUAGE
        )
        # The template's approved text, kept as copy so the transcript shows what was read.
        preview = render("escalations/reengagement.txt", {"ticket": ticket}).preview
        out = outbound_queue(
            contact=ticket.contact, body=body, preview=preview, sender=OutboundMessage.Sender.ADVISOR, staff_user=user
        )
        Ticket.objects.filter(pk=ticket.pk).update(last_activity_at=timezone.now())
    return out


NOTE_MAX = 2000


def ticket_note_add(*, ticket: Ticket, user, text: str) -> TicketNote:
    """A private note on the case, for staff; never sent to the customer. TicketError if empty or too long."""
    text = (text or "").strip()
    if not text:
        raise TicketError("Escribe la nota antes de guardarla.")
    if len(text) > NOTE_MAX:
        raise TicketError(f"La nota admite hasta {NOTE_MAX} caracteres; acórtala.")
    with transaction.atomic():
        note = TicketNote.objects.create(ticket=ticket, author=user, text=text)
        Ticket.objects.filter(pk=ticket.pk).update(last_activity_at=note.created_at)
    return note


def ticket_mark_seen(*, ticket: Ticket, user, now=None) -> None:
    """The holder has the chat open: the customer's messages so far are read."""
    if ticket.status == Ticket.Status.TAKEN and ticket.assigned_to_id == user.pk:
        Ticket.objects.filter(pk=ticket.pk).update(holder_seen_at=now or timezone.now())


def audit_record(
    *, user, action: str, obj=None, object_type: str = "", object_id="", fields=(), ip: str | None = None
) -> AuditEntry:
    """Write who looked at (or acted on) whose personal data; entries are never changed."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    return AuditEntry.objects.create(
        user=user,
        username=user.get_username(),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        fields=list(fields),
        ip=ip,
    )


def contact_tickets_anonymise(*, contact, placeholder: str) -> int:
    """Empty the transcripts, summaries and collected details of a contact's tickets (erasure)."""
    return Ticket.objects.filter(contact=contact).update(transcript=[], summary=placeholder, details={})
