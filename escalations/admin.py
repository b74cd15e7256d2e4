"""The advisors' back office: the ticket queue, saved replies and the audit log. The inbox
(queue, chat and customer on one screen) is in escalations/workspace.py and the chat's views
in escalations/chat.py; TicketAdmin mounts them under the ticket's URLs.

Entry points only: every change goes through escalations.services; every look at a
customer's personal data is written with services.audit_record.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from escalations import selectors, services
from escalations.chat import TicketChatViews, age_label, staff_name
from escalations.models import AuditEntry, SavedReply, Ticket
from escalations.saved_replies import PLACEHOLDERS, check_saved_reply_text
from escalations.workspace import WorkspaceViews
from proalto.admin import ReadOnlyAdminMixin
from proalto.http import client_ip

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
class TicketAdmin(WorkspaceViews, TicketChatViews, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "case",
        "reason",
        "priority_badge",
        "status",
        "waiting",
        "holder",
        "customer_masked",
        "row_actions",
    ]
    list_display_links = None
    list_filter = [StatusFilter, "reason", "priority", "outcome", AssignedToMeFilter, OverdueFilter]
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
        return format_html(
            '<a href="{}">#{}</a>', reverse("admin:escalations_ticket_chat", args=[ticket.pk]), ticket.pk
        )

    @admin.display(description="prioridad", ordering="priority")
    def priority_badge(self, ticket):
        return format_html(
            '<span class="ticket-priority p{}">{}</span>', ticket.priority, ticket.get_priority_display()
        )

    @admin.display(description="espera", ordering="created_at")
    def waiting(self, ticket):
        label = age_label(timezone.now() - ticket.created_at)
        if selectors.ticket_is_stale(ticket=ticket):
            return format_html(
                '<span class="ticket-stale" title="Sin actividad del equipo hace más de lo permitido">⚠ {}</span>',
                label,
            )
        return label

    @admin.display(description="asignado a", ordering="assigned_to__first_name")
    def holder(self, ticket):
        return staff_name(ticket.assigned_to) or "—"

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
                chat,
                reverse("admin:escalations_ticket_take", args=[ticket.pk]),
            )
        return self.row_link(ticket)

    @admin.display(description="")
    def row_link(self, ticket):
        return format_html(
            '<a class="button" href="{}">Abrir chat</a>', reverse("admin:escalations_ticket_chat", args=[ticket.pk])
        )

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
                self.message_user(request, str(exc), messages.ERROR)
                continue
            services.audit_record(
                user=request.user, action=AuditEntry.Action.TAKE_TICKET, obj=ticket, ip=client_ip(request)
            )
            taken += 1
        if taken:
            self.message_user(request, f"Tomaste {taken} ticket(s).", messages.SUCCESS)

    @admin.action(description="Reasignar a otro asesor", permissions=["assign"])
    def reassign_selected(self, request, queryset):
        advisors = selectors.advisors_available()
        if request.POST.get("assignee"):
            assignee = get_object_or_404(advisors, pk=request.POST["assignee"])
            for ticket in queryset:
                try:
                    services.ticket_assign(ticket=ticket, user=assignee, by=request.user)
                except services.TicketError as exc:
                    self.message_user(request, str(exc), messages.ERROR)
                    continue
                services.audit_record(
                    user=request.user,
                    action=AuditEntry.Action.ASSIGN_TICKET,
                    obj=ticket,
                    fields=[f"asignado a {staff_name(assignee)} ({assignee.get_username()})"],
                    ip=client_ip(request),
                )
            self.message_user(request, f"Tickets reasignados a {staff_name(assignee)}.", messages.SUCCESS)
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

    # --- the chat page (escalations/chat.py) -------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("inbox/", view(self.inbox_view), name="escalations_ticket_inbox"),
            path("inbox/queue/", view(self.queue_view), name="escalations_ticket_queue"),
            path("search/", view(self.search_view), name="escalations_ticket_search"),
            path("load/", view(self.load_view), name="escalations_ticket_load"),
            path("<int:pk>/notes/", view(require_POST(self.note_view)), name="escalations_ticket_note"),
            path("waiting/", view(self.waiting_view), name="escalations_ticket_waiting"),
            path("<int:pk>/chat/", view(self.chat_view), name="escalations_ticket_chat"),
            path("<int:pk>/chat/messages/", view(self.messages_view), name="escalations_ticket_messages"),
            path("<int:pk>/chat/send/", view(require_POST(self.send_view)), name="escalations_ticket_send"),
            path(
                "<int:pk>/chat/reengage/", view(require_POST(self.reengage_view)), name="escalations_ticket_reengage"
            ),
            path("<int:pk>/take/", view(require_POST(self.take_view)), name="escalations_ticket_take"),
            path("<int:pk>/close/", view(require_POST(self.close_view)), name="escalations_ticket_close"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        # The queue needs the width at 1366 px more than the app list beside it.
        return super().changelist_view(request, {"is_nav_sidebar_enabled": False, **(extra_context or {})})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The chat page is the ticket's page (and the one that audits the look).
        return redirect("admin:escalations_ticket_chat", pk=object_id)


# --- The audit log ----------------------------------------------------------------------------


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only for whoever holds view_auditentry (Cumplimiento, Supervisor); nobody edits."""

    list_display = ["at", "person", "action", "object_type", "object_id", "fields_seen", "ip"]
    list_select_related = ["user"]
    list_filter = ["action", "object_type"]
    search_fields = ["username", "object_id", "ip"]
    date_hierarchy = "at"
    list_per_page = 100

    @admin.display(description="persona", ordering="username")
    def person(self, entry):
        # The account's full name; the username kept in the entry if it was deleted since.
        name = entry.user.get_full_name() if entry.user_id else ""
        return f"{name} ({entry.username})" if name else entry.username

    # What was seen, or for a change (renewal rules, a reassignment) what changed and why.
    @admin.display(description="datos vistos o cambios")
    def fields_seen(self, entry):
        return ", ".join(entry.fields)


# --- Saved replies ("Respuestas rápidas") ---------------------------------------------------------


class SavedReplyForm(forms.ModelForm):
    class Meta:
        model = SavedReply
        fields = ["shortcut", "title", "text", "active"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6, "cols": 70})}
        help_texts = {
            "text": "Marcadores que se reemplazan al insertarla: "
            + "; ".join(f"{{{name}}} = {meaning}" for name, meaning in PLACEHOLDERS.items())
            + ". Formato de WhatsApp: *negrita*, _cursiva_, ~tachado~.",
        }

    def clean_text(self):
        text = self.cleaned_data["text"]
        check_saved_reply_text(text)
        return text


@admin.register(SavedReply)
class SavedReplyAdmin(admin.ModelAdmin):
    """Supervisors keep the team's saved replies; advisors only read them (and insert them with /)."""

    form = SavedReplyForm
    list_display = ["shortcut_shown", "title", "active", "updated_at", "updated_by_name"]
    list_filter = ["active"]
    search_fields = ["shortcut", "title", "text"]

    @admin.display(description="atajo", ordering="shortcut")
    def shortcut_shown(self, reply):
        return f"/{reply.shortcut}"

    @admin.display(description="actualizada por")
    def updated_by_name(self, reply):
        return staff_name(reply.updated_by) or "—"

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
