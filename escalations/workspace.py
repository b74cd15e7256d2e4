"""The advisors' inbox: the queue (left), the chat (middle, escalations/chat.py) and the
customer (right, escalations/customer_panel.py) on one screen; the queue's JSON its script
polls; ticket search; and the supervisors' view of who holds what.

Entry points only, mixed into TicketAdmin (escalations/admin.py mounts the URLs). Searches
are written to the audit log: they can find a person by cédula or phone.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from credits import selectors as credit_selectors
from escalations import privacy, selectors, services
from escalations.chat import age_label
from escalations.models import AuditEntry, Ticket
from proalto.colombia import normalize_mobile
from proalto.http import client_ip

QUEUE_POLL_SECONDS = 5
SEARCH_MIN_CHARS = 2


def sla_level(ticket: Ticket, *, now) -> str:
    """ "ok", "warn" or "late": an unassigned ticket against TICKET_SLA_MINUTES since it opened;
    a taken one against TICKET_STALE_MINUTES since the customer's unanswered message."""
    if ticket.status == Ticket.Status.OPEN:
        since, limit = ticket.created_at, settings.TICKET_SLA_MINUTES
    else:
        waiting = ticket.last_inbound_at and (
            ticket.last_reply_at is None or ticket.last_inbound_at > ticket.last_reply_at
        )
        if not waiting:
            return "ok"
        since, limit = max(ticket.last_inbound_at, ticket.taken_at or ticket.created_at), settings.TICKET_STALE_MINUTES
    minutes = (now - since).total_seconds() / 60
    if minutes >= limit:
        return "late"
    return "warn" if minutes >= limit / 2 else "ok"


def customer_waiting_since(ticket: Ticket):
    """Since when the customer waits for a person: the ticket's opening, or their last
    message after the advisor's last reply; None when the advisor answered last."""
    if ticket.status == Ticket.Status.OPEN:
        return ticket.created_at
    if ticket.last_inbound_at and (ticket.last_reply_at is None or ticket.last_inbound_at > ticket.last_reply_at):
        return ticket.last_inbound_at
    return None


def queue_item(ticket: Ticket, *, user, now) -> dict:
    name = ticket.customer.full_name.split(" ")[0] if ticket.customer_id else ticket.contact.profile_name
    waiting_since = customer_waiting_since(ticket)
    return {
        "id": ticket.pk,
        "url": reverse("admin:escalations_ticket_chat", args=[ticket.pk]),
        "take_url": reverse("admin:escalations_ticket_take", args=[ticket.pk]),
        "reason": ticket.get_reason_display(),
        "priority": ticket.priority,
        "priority_label": ticket.get_priority_display(),
        "status": ticket.status,
        "mine": ticket.assigned_to_id == user.pk,
        "holder_id": ticket.assigned_to_id,
        "holder": (ticket.assigned_to.get_full_name() or ticket.assigned_to.get_username())
        if ticket.assigned_to_id
        else "",
        # Masked as in the queue list: the full values are on the chat, where looking is audited.
        "customer": f"{name} · {ticket.contact.masked}" if name else ticket.contact.masked,
        "age": age_label(now - ticket.created_at),
        "waiting": age_label(now - waiting_since) if waiting_since else "",
        "sla": sla_level(ticket, now=now),
        "unread": ticket.unread,
    }


class WorkspaceViews:
    """The inbox's views, as methods of the Ticket ModelAdmin."""

    def workspace_context(self, request) -> dict:
        user = request.user
        return {
            **self.admin_site.each_context(request),
            "is_nav_sidebar_enabled": False,  # three panes need the width
            "opts": self.model._meta,
            "queue_url": reverse("admin:escalations_ticket_queue"),
            "queue_poll_ms": QUEUE_POLL_SECONDS * 1000,
            "search_url": reverse("admin:escalations_ticket_search"),
            "sees_everyone": self.has_assign_permission(request) or privacy.reads_all_chats(user),
            "can_take": False,
        }

    def inbox_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {**self.workspace_context(request), "title": "Bandeja de entrada", "ticket": None}
        return TemplateResponse(request, "admin/escalations/ticket/workspace.html", context)

    def queue_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        everyone = self.has_assign_permission(request) or privacy.reads_all_chats(request.user)
        now = timezone.now()
        tickets = [
            queue_item(t, user=request.user, now=now)
            for t in selectors.workspace_queue(user=request.user, everyone=everyone)
        ]
        return JsonResponse(
            {
                "mine": [t for t in tickets if t["mine"]],
                "unassigned": [t for t in tickets if t["status"] == Ticket.Status.OPEN],
                "others": [t for t in tickets if t["status"] == Ticket.Status.TAKEN and not t["mine"]],
                "waiting": sum(1 for t in tickets if t["status"] == Ticket.Status.OPEN),
                "can_take": self.has_take_permission(request),
            }
        )

    def search_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        query = request.GET.get("q", "").strip()[:100]
        context = {**self.workspace_context(request), "title": "Buscar casos", "query": query, "results": None}
        if len(query) >= SEARCH_MIN_CHARS:
            digits = "".join(ch for ch in query if ch.isdigit())
            customer = credit_selectors.customer_by_cedula(cedula=query) if 5 <= len(digits) <= 12 else None
            phone = normalize_mobile(query) if len(digits) >= 10 else None
            wa_ids = [phone] if phone else ([digits] if len(digits) >= 10 else [])
            tickets = selectors.tickets_search(
                query=query, customer_ids=[customer.pk] if customer else [], wa_ids=wa_ids
            )
            now = timezone.now()
            context["results"] = [
                {
                    **queue_item(ticket, user=request.user, now=now),
                    "status_label": ticket.get_status_display(),
                    "outcome": ticket.get_outcome_display() if ticket.outcome else "",
                    "created": ticket.created_at,
                }
                for ticket in tickets
            ]
            if customer:
                kind = "cédula"
            elif wa_ids:
                kind = "teléfono"
            else:
                kind = "número de caso" if digits == query.lstrip("#") else "nombre"
            services.audit_record(
                user=request.user,
                action=AuditEntry.Action.SEARCH_TICKETS,
                object_type="escalations.ticket",
                object_id="búsqueda",
                # What was searched, masked for whoever does not see personal data in full.
                fields=[
                    f"por {kind}",
                    privacy.message_text_for(request.user, query, from_customer=True),
                    f"{len(context['results'])} resultados",
                ],
                ip=client_ip(request),
            )
        return TemplateResponse(request, "admin/escalations/ticket/search.html", context)

    def load_view(self, request):
        """Who holds what: each advisor's load, and every taken ticket by holder."""
        if not self.has_assign_permission(request):
            raise PermissionDenied
        now = timezone.now()
        advisors = list(selectors.advisors_load())
        advisors.sort(key=lambda a: (-a.held, (a.get_full_name() or a.username).lower()))
        held = [queue_item(t, user=request.user, now=now) for t in selectors.tickets_held()]
        top = max((a.held for a in advisors), default=0) or 1
        context = {
            **self.workspace_context(request),
            "title": "Carga del equipo",
            "advisors": [
                {
                    "name": a.get_full_name() or a.get_username(),
                    "held": a.held,
                    "pct": round(a.held / top * 100),
                    "oldest": age_label(now - a.oldest_taken) if a.oldest_taken else "",
                    "tickets": [t for t in held if t["holder_id"] == a.pk],
                }
                for a in advisors
            ],
            "unassigned": selectors.tickets_waiting_count(),
        }
        return TemplateResponse(request, "admin/escalations/ticket/load.html", context)
