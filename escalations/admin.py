"""The advisors' back office: the ticket queue, the live chat page, and the audit log.

Entry points only: every change goes through escalations.services; every look at a
customer's personal data is written with services.audit_record.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from conversations.messaging.models import OutboundMessage
from conversations.messaging.replies import render
from escalations import privacy, selectors, services
from escalations.models import AuditEntry, Ticket
from proalto.admin import ReadOnlyAdminMixin
from proalto.http import client_ip

CHAT_AUDIT_EVERY = timedelta(minutes=30)
POLL_SECONDS = 2
MESSAGE_TYPE_LABELS = {
    "image": "Imagen", "document": "Documento", "audio": "Audio", "video": "Video", "sticker": "Sticker",
    "location": "Ubicación", "contacts": "Contacto", "template": "Plantilla",
}
SENDER_LABELS = {
    selectors.CUSTOMER: "Cliente",
    OutboundMessage.Sender.BOT: "Asistente virtual",
    OutboundMessage.Sender.ADVISOR: "Asesor",
    OutboundMessage.Sender.SYSTEM: "Sistema",
}


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


def is_stale(ticket: Ticket, *, now=None) -> bool:
    return ticket.status != Ticket.Status.CLOSED and ticket.last_activity_at < selectors.ticket_stale_cutoff(now=now)


# --- Queue filters ------------------------------------------------------------------------------


class StatusFilter(admin.SimpleListFilter):
    """Defaults to the working queue (open and taken), not the archive."""

    title = "estado"
    parameter_name = "estado"

    def lookups(self, request, model_admin):
        return [("activos", "Abiertos y en atención"), *Ticket.Status.choices, ("todos", "Todos")]

    def value(self):
        return super().value() or "activos"

    def queryset(self, request, queryset):
        value = self.value()
        if value == "activos":
            return queryset.exclude(status=Ticket.Status.CLOSED)
        if value in Ticket.Status.values:
            return queryset.filter(status=value)
        return queryset

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


class AssignedToMeFilter(admin.SimpleListFilter):
    title = "asignación"
    parameter_name = "asignado"

    def lookups(self, request, model_admin):
        return [("yo", "Asignados a mí"), ("nadie", "Sin asignar")]

    def queryset(self, request, queryset):
        if self.value() == "yo":
            return queryset.filter(assigned_to=request.user)
        if self.value() == "nadie":
            return queryset.filter(assigned_to__isnull=True)
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    title = "atención"
    parameter_name = "vencido"

    def lookups(self, request, model_admin):
        return [("si", "Sin atender (vencidos)")]

    def queryset(self, request, queryset):
        if self.value() == "si":
            return queryset.filter(pk__in=selectors.tickets_stale().values("pk"))
        return queryset


# --- The queue ----------------------------------------------------------------------------------


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["case", "reason", "priority_badge", "status", "waiting", "assigned_to", "customer_masked", "row_actions"]
    list_display_links = None
    list_filter = [StatusFilter, "reason", "priority", AssignedToMeFilter, OverdueFilter]
    ordering = ["priority", "created_at", "id"]
    list_select_related = ["assigned_to", "contact", "customer"]
    list_per_page = 50
    actions = ["take_selected", "reassign_selected"]
    change_list_template = "admin/escalations/ticket/change_list.html"

    def has_take_permission(self, request):
        return request.user.has_perm("escalations.take_ticket")

    def has_assign_permission(self, request):
        return request.user.has_perm("escalations.assign_ticket")

    # --- columns ----------------------------------------------------------------------------

    @admin.display(description="caso", ordering="id")
    def case(self, ticket):
        return format_html('<a href="{}">#{}</a>', reverse("admin:escalations_ticket_chat", args=[ticket.pk]), ticket.pk)

    @admin.display(description="prioridad", ordering="priority")
    def priority_badge(self, ticket):
        return format_html('<span class="ticket-priority p{}">{}</span>', ticket.priority, ticket.get_priority_display())

    @admin.display(description="espera", ordering="created_at")
    def waiting(self, ticket):
        label = age_label(timezone.now() - ticket.created_at)
        if is_stale(ticket):
            return format_html('<span class="ticket-stale" title="Sin actividad del equipo hace más de lo permitido">⚠ {}</span>', label)
        return label

    @admin.display(description="cliente")
    def customer_masked(self, ticket):
        # Always masked in the list: the full values are on the chat page, where looking is audited.
        name = ticket.customer.full_name.split(" ")[0] if ticket.customer_id else ticket.contact.profile_name
        return f"{name} · {ticket.contact}" if name else str(ticket.contact)

    @admin.display(description="")
    def row_actions(self, ticket):
        chat = reverse("admin:escalations_ticket_chat", args=[ticket.pk])
        if ticket.status == Ticket.Status.OPEN:
            # A submit button of the changelist form, posted to the take view (csrf token included).
            return format_html(
                '<a class="button" href="{}">Abrir chat</a> '
                '<button type="submit" class="button default" formaction="{}" formmethod="post">Tomar</button>',
                chat, reverse("admin:escalations_ticket_take", args=[ticket.pk]),
            )
        return self.row_link(ticket)

    @admin.display(description="")
    def row_link(self, ticket):
        return format_html('<a class="button" href="{}">Abrir chat</a>', reverse("admin:escalations_ticket_chat", args=[ticket.pk]))

    def get_list_display(self, request):
        if self.has_take_permission(request):
            return self.list_display
        return [*self.list_display[:-1], "row_link"]

    # --- actions (thin: they call services) ----------------------------------------------------

    @admin.action(description="Tomar (asignármelos)", permissions=["take"])
    def take_selected(self, request, queryset):
        taken = 0
        for ticket in queryset:
            try:
                services.ticket_take(ticket=ticket, user=request.user)
            except services.TicketError as exc:
                self.message_user(request, f"#{ticket.pk}: {exc}", messages.ERROR)
                continue
            services.audit_record(user=request.user, action=AuditEntry.Action.TAKE_TICKET, obj=ticket, ip=client_ip(request))
            taken += 1
        if taken:
            self.message_user(request, f"Tomaste {taken} ticket(s).", messages.SUCCESS)

    @admin.action(description="Reasignar a otro asesor", permissions=["assign"])
    def reassign_selected(self, request, queryset):
        advisors = advisors_available()
        if request.POST.get("assignee"):
            assignee = get_object_or_404(advisors, pk=request.POST["assignee"])
            for ticket in queryset:
                try:
                    services.ticket_assign(ticket=ticket, user=assignee, by=request.user)
                except services.TicketError as exc:
                    self.message_user(request, str(exc), messages.ERROR)
                    continue
                services.audit_record(
                    user=request.user, action=AuditEntry.Action.ASSIGN_TICKET, obj=ticket,
                    fields=[f"asignado a {assignee.get_username()}"], ip=client_ip(request),
                )
            self.message_user(request, f"Tickets reasignados a {assignee.get_username()}.", messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Reasignar tickets",
            "tickets": queryset,
            "advisors": advisors,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/escalations/ticket/reassign.html", context)

    # --- the chat page ----------------------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("waiting/", view(self.waiting_view), name="escalations_ticket_waiting"),
            path("<int:pk>/chat/", view(self.chat_view), name="escalations_ticket_chat"),
            path("<int:pk>/chat/messages/", view(self.messages_view), name="escalations_ticket_messages"),
            path("<int:pk>/chat/send/", view(require_POST(self.send_view)), name="escalations_ticket_send"),
            path("<int:pk>/chat/reengage/", view(require_POST(self.reengage_view)), name="escalations_ticket_reengage"),
            path("<int:pk>/take/", view(require_POST(self.take_view)), name="escalations_ticket_take"),
            path("<int:pk>/close/", view(require_POST(self.close_view)), name="escalations_ticket_close"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The chat page is the ticket's page (and the one that audits the look).
        return redirect("admin:escalations_ticket_chat", pk=object_id)

    def _ticket(self, request, pk) -> Ticket:
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(Ticket.objects.select_related("contact", "customer", "assigned_to"), pk=pk)

    def chat_view(self, request, pk):
        ticket = self._ticket(request, pk)
        user = request.user
        contact = ticket.contact
        phone, phone_full = privacy.phone_for(user, contact.wa_id, ticket=ticket)
        cedula = cedula_full = None
        if ticket.customer_id:
            cedula, cedula_full = privacy.cedula_for(user, ticket.customer.cedula)
        seen = ["mensajes", "nombre", "teléfono completo" if phone_full else "teléfono enmascarado"]
        if cedula:
            seen.append("cédula completa" if cedula_full else "cédula enmascarada")
        if ticket.details:
            seen.append("datos del caso")
        services.audit_record(user=user, action=AuditEntry.Action.VIEW_CHAT, obj=ticket, fields=seen, ip=client_ip(request))
        held = privacy.holds_ticket(user, ticket)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Caso #{ticket.pk} · {ticket.get_reason_display()}",
            "opts": self.model._meta,
            "ticket": ticket,
            "contact": contact,
            "phone": phone,
            "cedula": cedula,
            "details": _details_for_display(ticket.details),
            "waiting": age_label(timezone.now() - ticket.created_at),
            "stale": is_stale(ticket),
            "held_by_me": held,
            "can_take": ticket.status != Ticket.Status.CLOSED and not held and user.has_perm("escalations.take_ticket"),
            "can_close": ticket.status != Ticket.Status.CLOSED and (held or user.has_perm("escalations.assign_ticket")),
            "in_window": contact.in_service_window(),
            "reengagement_preview": _reengagement_preview(ticket),
            "poll_ms": POLL_SECONDS * 1000,
        }
        return TemplateResponse(request, "admin/escalations/ticket/chat.html", context)

    def messages_view(self, request, pk):
        ticket = self._ticket(request, pk)
        recent = AuditEntry.objects.filter(
            user=request.user, action=AuditEntry.Action.VIEW_CHAT, object_type=ticket._meta.label_lower,
            object_id=str(ticket.pk), at__gte=timezone.now() - CHAT_AUDIT_EVERY,
        )
        if not recent.exists():
            services.audit_record(
                user=request.user, action=AuditEntry.Action.VIEW_CHAT, obj=ticket, fields=["mensajes"], ip=client_ip(request)
            )
        return JsonResponse(chat_payload(ticket=ticket, user=request.user))

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
                ticket=ticket, user=request.user, text=request.POST.get("text", ""),
                attachment=upload.read() if upload is not None else None, filename=upload.name if upload is not None else "",
            )
        except services.TicketError as exc:
            return _answer(request, ticket, error=str(exc), window_closed=isinstance(exc, services.ReengagementRequiredError))
        services.audit_record(
            user=request.user, action=AuditEntry.Action.SEND_MESSAGE, obj=ticket,
            fields=["mensaje", *(["archivo"] if out.document_id else [])], ip=client_ip(request),
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
            user=request.user, action=AuditEntry.Action.SEND_MESSAGE, obj=ticket, fields=["plantilla de reenganche"],
            ip=client_ip(request),
        )
        return _answer(request, ticket, ok="Enviamos la plantilla aprobada; cuando el cliente responda podrás escribirle.")

    def take_view(self, request, pk):
        ticket = self._ticket(request, pk)
        if not self.has_take_permission(request):
            raise PermissionDenied
        try:
            services.ticket_take(ticket=ticket, user=request.user)
        except services.TicketError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return redirect("admin:escalations_ticket_changelist")
        services.audit_record(user=request.user, action=AuditEntry.Action.TAKE_TICKET, obj=ticket, ip=client_ip(request))
        self.message_user(request, f"Tomaste el caso #{ticket.pk}: el asistente virtual queda en silencio en este chat.", messages.SUCCESS)
        return redirect("admin:escalations_ticket_chat", pk=ticket.pk)

    def close_view(self, request, pk):
        ticket = self._ticket(request, pk)
        if not (privacy.holds_ticket(request.user, ticket) or self.has_assign_permission(request)):
            raise PermissionDenied
        services.ticket_close(ticket=ticket, by=request.user)
        services.audit_record(user=request.user, action=AuditEntry.Action.CLOSE_TICKET, obj=ticket, ip=client_ip(request))
        self.message_user(request, f"Cerraste el caso #{ticket.pk}; el asistente virtual retoma la conversación.", messages.SUCCESS)
        return redirect("admin:escalations_ticket_changelist")


def advisors_available():
    """Active staff who may take tickets (directly, through a role, or superusers)."""
    User = get_user_model()
    can_take = Q(groups__permissions__codename="take_ticket") | Q(user_permissions__codename="take_ticket") | Q(is_superuser=True)
    return User.objects.filter(is_active=True, is_staff=True).filter(can_take).distinct().order_by("username")


def _details_for_display(details: dict) -> list[tuple[str, str]]:
    return [(key.replace("_", " "), value if isinstance(value, str) else str(value)) for key, value in (details or {}).items()]


def _reengagement_preview(ticket) -> str:
    return render("escalations/reengagement.txt", {"ticket": ticket}).preview


def _answer(request, ticket, *, ok: str = "", error: str = "", window_closed: bool = False):
    """JSON for the page's fetch(); a message and a redirect for a plain form post."""
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"ok": not error, "message": error or ok, "window_closed": window_closed}, status=400 if error else 200)
    messages.add_message(request, messages.ERROR if error else messages.SUCCESS, error or ok)
    return redirect("admin:escalations_ticket_chat", pk=ticket.pk)


def chat_payload(*, ticket: Ticket, user) -> dict:
    """What the chat page's polling script renders (as text, never HTML)."""
    items = []
    for item in selectors.contact_conversation(contact=ticket.contact):
        document = item["document"]
        text = item["text"] or (f"[{MESSAGE_TYPE_LABELS.get(item['type'], item['type'])}]" if item["direction"] == "in" else "")
        sender = SENDER_LABELS.get(item["sender"], item["sender"])
        items.append({
            "id": item["id"],
            "at": item["at"].isoformat(),
            "time": timezone.localtime(item["at"]).strftime("%d/%m %H:%M"),
            "direction": item["direction"],
            "sender": item["sender"],
            "sender_label": f"{sender} · {item['staff']}" if item["staff"] else sender,
            "text": text,
            "status": item["status"],
            "error": item["error"],
            "document": (
                {"name": document.original_name, "url": reverse("admin:documents_document_download", args=[document.pk])
                 if privacy.can_download(user, document) else ""}
                if document is not None else None
            ),
        })
    contact = ticket.contact
    contact.refresh_from_db(fields=["last_inbound_at"])
    ticket.refresh_from_db(fields=["status", "assigned_to"])
    return {
        "ticket": {
            "status": ticket.status,
            "status_label": ticket.get_status_display(),
            "assigned_to": ticket.assigned_to.get_username() if ticket.assigned_to_id else "",
            "held_by_me": privacy.holds_ticket(user, ticket),
            "in_window": contact.in_service_window(),
        },
        "waiting": selectors.tickets_waiting_count(),
        "messages": items,
    }


# --- The audit log ----------------------------------------------------------------------------


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only for whoever holds view_auditentry (Cumplimiento, Supervisor); nobody edits."""

    list_display = ["at", "username", "action", "object_type", "object_id", "fields_seen", "ip"]
    list_filter = ["action", "object_type"]
    search_fields = ["username", "object_id", "ip"]
    date_hierarchy = "at"
    list_per_page = 100

    @admin.display(description="datos vistos")
    def fields_seen(self, entry):
        return ", ".join(entry.fields)
