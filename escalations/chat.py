"""The live chat of a ticket, in the middle of the advisors' inbox (the queue on its left,
the customer on its right: escalations/workspace.py): the page, the JSON its script polls,
and what the advisor does from it (write, send the re-engagement template, take, note, close).

Entry points only: every change goes through escalations.services; every look at a
customer's personal data is written with services.audit_record. TicketAdmin.get_urls
(escalations/admin.py) mounts these views.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from conversations.messaging.models import OutboundMessage
from conversations.messaging.replies import render
from escalations import privacy, selectors, services
from escalations.customer_panel import customer_panel_for
from escalations.details import ticket_details_for
from escalations.models import AuditEntry, Ticket
from escalations.saved_replies import PLACEHOLDERS, saved_replies_for
from proalto.colombia import format_date_long, format_time
from proalto.http import client_ip

# Polling the messages is a look at the chat too, but one entry per poll would drown the log.
CHAT_AUDIT_EVERY = timedelta(minutes=30)
POLL_SECONDS = 2
# Meta's message types, for messages that carry no text.
MESSAGE_TYPE_LABELS = {
    "image": "Imagen",
    "document": "Documento",
    "audio": "Audio",
    "video": "Video",
    "sticker": "Sticker",
    "location": "Ubicación",
    "contacts": "Contacto",
    "template": "Plantilla",
}
SENDER_LABELS = {
    selectors.CUSTOMER: "Cliente",
    OutboundMessage.Sender.BOT: "Asistente virtual",
    OutboundMessage.Sender.ADVISOR: "Asesor",
    OutboundMessage.Sender.SYSTEM: "Sistema",
}
NOTE = "note"


def staff_name(user) -> str:
    """People are shown by their full names; the username only when no name was given."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def message_time(moment) -> str:
    """`3:45 p. m.` today, `28 de noviembre de 2026, 3:45 p. m.` on other days."""
    local = timezone.localtime(moment)
    if local.date() == timezone.localdate():
        return format_time(local)
    return f"{format_date_long(local)}, {format_time(local)}"


def age_label(delta: timedelta) -> str:
    """'hace 12 min', 'hace 2 h 5 min', 'hace 3 d': how long a customer has been waiting."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    if minutes < 1:
        return "hace menos de 1 min"
    if minutes < 60:
        return f"hace {minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"hace {hours} h {minutes} min" if minutes else f"hace {hours} h"
    return f"hace {hours // 24} d"


class TicketChatViews:
    """The chat page's views, as methods of the Ticket ModelAdmin: they use its site's
    context and its permission checks (has_take_permission, has_assign_permission)."""

    def _ticket(self, request, pk) -> Ticket:
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(Ticket.objects.select_related("contact", "customer", "assigned_to"), pk=pk)

    def chat_view(self, request, pk):
        ticket = self._ticket(request, pk)
        user = request.user
        readable = privacy.reads_chat(user, ticket)
        phone, phone_full = privacy.phone_for(user, ticket.contact.wa_id, ticket=ticket)
        cedula = cedula_full = None
        if ticket.customer_id:
            cedula, cedula_full = privacy.cedula_for(user, ticket.customer.cedula)
        details, details_seen = ticket_details_for(user, ticket)
        panel = customer_panel_for(user, ticket)
        seen = [*(["mensajes"] if readable else []), "nombre"]
        seen.append("teléfono completo" if phone_full else "teléfono enmascarado")
        if cedula:
            seen.append("cédula completa" if cedula_full else "cédula enmascarada")
        seen = list(dict.fromkeys(seen + panel.seen))
        services.audit_record(
            user=user,
            action=AuditEntry.Action.VIEW_CHAT,
            obj=ticket,
            fields=seen + details_seen,
            ip=client_ip(request),
        )
        held = privacy.holds_ticket(user, ticket)
        if held:
            services.ticket_mark_seen(ticket=ticket, user=user)
        context = {
            **self.workspace_context(request),
            "title": f"Caso #{ticket.pk} · {ticket.get_reason_display()}",
            "opts": self.model._meta,
            "ticket": ticket,
            "contact": ticket.contact,
            "phone": phone,
            "cedula": cedula,
            "details": details,
            "readable": readable,
            "waiting": age_label(timezone.now() - ticket.created_at),
            "stale": selectors.ticket_is_stale(ticket=ticket),
            "held_by_me": held,
            "can_take": self.can_take(request, ticket),
            "can_close": ticket.status != Ticket.Status.CLOSED and (held or self.has_assign_permission(request)),
            "can_note": readable and (held or self.has_assign_permission(request)),
            "outcomes": Ticket.Outcome.choices,
            "panel": panel,
            "holder_name": staff_name(ticket.assigned_to),
            "saved_replies": saved_replies_for(ticket=ticket, user=user, customer_name=panel.name) if held else [],
            "placeholders": PLACEHOLDERS,
            "in_window": ticket.contact.in_service_window(),
            "reengagement_preview": render("escalations/reengagement.txt", {"ticket": ticket}).preview,
            "poll_ms": POLL_SECONDS * 1000,
        }
        return TemplateResponse(request, "admin/escalations/ticket/workspace.html", context)

    def can_take(self, request, ticket) -> bool:
        """Whether "Tomar" would succeed (the rule is services.check_ticket_takeable's) and change anything."""
        if not self.has_take_permission(request) or privacy.holds_ticket(request.user, ticket):
            return False
        try:
            services.check_ticket_takeable(ticket=ticket, user=request.user)
        except services.TicketError:
            return False
        return True

    def messages_view(self, request, pk):
        ticket = self._ticket(request, pk)
        readable = privacy.reads_chat(request.user, ticket)
        since = timezone.now() - CHAT_AUDIT_EVERY
        if request.GET.get("seen"):  # the page is in front of the holder, not in a background tab
            services.ticket_mark_seen(ticket=ticket, user=request.user)
        if readable and not selectors.chat_view_audited_since(user=request.user, ticket=ticket, since=since):
            services.audit_record(
                user=request.user,
                action=AuditEntry.Action.VIEW_CHAT,
                obj=ticket,
                fields=["mensajes"],
                ip=client_ip(request),
            )
        return JsonResponse(chat_payload(ticket=ticket, user=request.user, readable=readable))

    def waiting_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return JsonResponse({"waiting": selectors.tickets_waiting_count()})

    def send_view(self, request, pk):
        ticket = self._ticket(request, pk)
        if not request.user.has_perm("escalations.take_ticket"):
            raise PermissionDenied
        upload = request.FILES.get("file")
        try:
            if upload is not None and upload.size > settings.DOCUMENT_MAX_BYTES:
                raise services.TicketError("El archivo supera el tamaño permitido.")
            out = services.ticket_reply(
                ticket=ticket,
                user=request.user,
                text=request.POST.get("text", ""),
                attachment=upload.read() if upload is not None else None,
                filename=upload.name if upload is not None else "",
            )
        except services.TicketError as exc:
            window_closed = isinstance(exc, services.ReengagementRequiredError)
            return _answer(request, ticket, error=str(exc), window_closed=window_closed)
        services.audit_record(
            user=request.user,
            action=AuditEntry.Action.SEND_MESSAGE,
            obj=ticket,
            fields=["mensaje", *(["archivo"] if out.document_id else [])],
            ip=client_ip(request),
        )
        return _answer(request, ticket, ok="Mensaje en camino.")

    def reengage_view(self, request, pk):
        ticket = self._ticket(request, pk)
        if not request.user.has_perm("escalations.take_ticket"):
            raise PermissionDenied
        try:
            services.ticket_reengage(ticket=ticket, user=request.user)
        except services.TicketError as exc:
            return _answer(request, ticket, error=str(exc))
        services.audit_record(
            user=request.user,
            action=AuditEntry.Action.SEND_MESSAGE,
            obj=ticket,
            fields=["plantilla de reenganche"],
            ip=client_ip(request),
        )
        return _answer(
            request, ticket, ok="Enviamos la plantilla aprobada; cuando el cliente responda podrás escribirle."
        )

    def take_view(self, request, pk):
        ticket = self._ticket(request, pk)
        if not self.has_take_permission(request):
            raise PermissionDenied
        try:
            services.ticket_take(ticket=ticket, user=request.user)
        except services.TicketError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return redirect("admin:escalations_ticket_changelist")
        services.audit_record(
            user=request.user, action=AuditEntry.Action.TAKE_TICKET, obj=ticket, ip=client_ip(request)
        )
        self.message_user(
            request,
            f"Tomaste el caso #{ticket.pk}: el asistente virtual queda en silencio en este chat.",
            messages.SUCCESS,
        )
        return redirect("admin:escalations_ticket_chat", pk=ticket.pk)

    def close_view(self, request, pk):
        ticket = self._ticket(request, pk)
        if not (privacy.holds_ticket(request.user, ticket) or self.has_assign_permission(request)):
            raise PermissionDenied
        try:
            outcome = services.check_outcome(request.POST.get("outcome", ""))
        except services.TicketError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return redirect("admin:escalations_ticket_chat", pk=ticket.pk)
        services.ticket_close(ticket=ticket, by=request.user, outcome=outcome)
        services.audit_record(
            user=request.user,
            action=AuditEntry.Action.CLOSE_TICKET,
            obj=ticket,
            fields=[f"tipificación: {Ticket.Outcome(outcome).label}"],
            ip=client_ip(request),
        )
        self.message_user(
            request,
            f"Cerraste el caso #{ticket.pk} ({Ticket.Outcome(outcome).label.lower()}); "
            "el asistente virtual retoma la conversación.",
            messages.SUCCESS,
        )
        return redirect("admin:escalations_ticket_inbox")

    def note_view(self, request, pk):
        ticket = self._ticket(request, pk)
        if not privacy.reads_chat(request.user, ticket) or not (
            privacy.holds_ticket(request.user, ticket) or self.has_assign_permission(request)
        ):
            raise PermissionDenied
        try:
            services.ticket_note_add(ticket=ticket, user=request.user, text=request.POST.get("text", ""))
        except services.TicketError as exc:
            return _answer(request, ticket, error=str(exc))
        services.audit_record(
            user=request.user,
            action=AuditEntry.Action.ADD_NOTE,
            obj=ticket,
            fields=["nota interna"],
            ip=client_ip(request),
        )
        return _answer(request, ticket, ok="Nota guardada; solo la ve el equipo.")


def _answer(request, ticket, *, ok: str = "", error: str = "", window_closed: bool = False):
    """JSON for the page's fetch(); a message and a redirect for a plain form post."""
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse(
            {"ok": not error, "message": error or ok, "window_closed": window_closed}, status=400 if error else 200
        )
    messages.add_message(request, messages.ERROR if error else messages.SUCCESS, error or ok)
    return redirect("admin:escalations_ticket_chat", pk=ticket.pk)


def chat_payload(*, ticket: Ticket, user, readable: bool = True) -> dict:
    """What the chat page's polling script renders (as text, never HTML); the messages only
    for whoever may read this chat (escalations.privacy.reads_chat)."""
    items = []
    if readable:
        items = [_message_item(item, user=user) for item in selectors.contact_conversation(contact=ticket.contact)]
        items += [_note_item(note) for note in selectors.ticket_notes(ticket=ticket)]
        items.sort(key=lambda item: item["at"])
    contact = ticket.contact
    contact.refresh_from_db(fields=["last_inbound_at"])
    ticket.refresh_from_db(fields=["status", "assigned_to"])
    return {
        "ticket": {
            "status": ticket.status,
            "status_label": ticket.get_status_display(),
            "assigned_to": staff_name(ticket.assigned_to) if ticket.assigned_to_id else "",
            "held_by_me": privacy.holds_ticket(user, ticket),
            "in_window": contact.in_service_window(),
        },
        "waiting": selectors.tickets_waiting_count(),
        "messages": items,
    }


def _message_item(item: dict, *, user) -> dict:
    """One message of selectors.contact_conversation as the page shows it, masked for this user."""
    document = item["document"]
    from_customer = item["direction"] == "in"
    question = privacy.identity_question(item["answering"]) if from_customer else None
    text = privacy.message_text_for(user, item["text"], from_customer=from_customer, question=question)
    if not text:
        text = f"[{MESSAGE_TYPE_LABELS.get(item['type'], item['type'])}]" if from_customer else ""
    sender = SENDER_LABELS.get(item["sender"], item["sender"])
    return {
        "id": item["id"],
        "at": item["at"].isoformat(),
        "time": message_time(item["at"]),
        "direction": item["direction"],
        "sender": item["sender"],
        "sender_label": f"{sender} · {item['staff']}" if item["staff"] else sender,
        "text": text,
        "status": item["status"],
        "error": item["error"],
        "document": (
            {
                "name": privacy.message_text_for(user, document.original_name, from_customer=from_customer),
                "url": reverse("admin:documents_document_download", args=[document.pk])
                if privacy.can_download(user, document)
                else "",
            }
            if document is not None
            else None
        ),
    }


def _note_item(note) -> dict:
    """An internal note among the messages (never sent: the page shows it apart)."""
    return {
        "id": f"note-{note.pk}",
        "at": note.created_at.isoformat(),
        "time": message_time(note.created_at),
        "direction": NOTE,
        "sender": NOTE,
        "sender_label": f"Nota interna · {staff_name(note.author) or 'usuario eliminado'}",
        "text": note.text,
        "status": "",
        "error": "",
        "document": None,
    }
