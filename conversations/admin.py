"""WhatsApp contacts and messages in the admin: read-only (nobody edits what was said), with
failed messages easy to find. Opening a contact or a message, and listing messages, is
written to the audit log.

Messages are the customers' chats: an advisor lists and opens only those of the tickets they
hold, and reads what the customer typed masked (escalations/privacy.py).
"""

from django.contrib import admin, messages
from django.http import Http404, HttpResponse
from django.utils import timezone

from conversations.bot.flows import flow_exists, get_flow
from conversations.bot.selectors import unrecognised_corpus_tsv
from conversations.bot.services import unrecognised_message_label
from conversations.messaging.replies import render
from conversations.models import Contact, InboundMessage, OutboundMessage, UnrecognisedMessage
from escalations import privacy
from escalations.audit import AuditAction
from escalations.selectors import message_answering
from escalations.services import audit_record
from proalto.admin import ReadOnlyAdminMixin
from proalto.http import client_ip
from proalto.masking import mask_bsuid


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    audit_action = ""
    audit_fields: tuple = ()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200 and self.audit_action:
            audit_record(
                user=request.user,
                action=self.audit_action,
                object_type=self.model._meta.label_lower,
                object_id=object_id,
                fields=self.audited_fields(request),
                ip=client_ip(request),
            )
        return response

    def audited_fields(self, request) -> list[str]:
        return list(self.audit_fields)


@admin.register(Contact)
class ContactAdmin(ReadOnlyAdmin):
    # A customer with a WhatsApp username may have no phone: listed by their masked BSUID and
    # username, found by phone, BSUID (exact) or username.
    list_display = ["__str__", "username", "profile_name", "created_at", "last_inbound_at", "window_open"]
    search_fields = ["=wa_id", "=bsuid", "username", "profile_name"]
    fields = [
        "phone",
        "business_scoped_id",
        "username",
        "profile_name",
        "created_at",
        "last_inbound_at",
        "window_open",
    ]
    readonly_fields = fields
    audit_action = AuditAction.VIEW_CONTACT

    def get_object(self, request, object_id, from_field=None):
        contact = super().get_object(request, object_id, from_field)
        if contact is not None:
            contact.phone_shown = privacy.phone_for(request.user, contact.wa_id)[0] if contact.wa_id else ""
            contact.bsuid_full = privacy.sees_full_data(request.user)
        return contact

    @admin.display(description="teléfono")
    def phone(self, contact):
        return getattr(contact, "phone_shown", None) or "— (escribe con nombre de usuario)"

    @admin.display(description="identificador de WhatsApp (BSUID)")
    def business_scoped_id(self, contact):
        if not contact.bsuid:
            return "—"
        return contact.bsuid if getattr(contact, "bsuid_full", False) else mask_bsuid(contact.bsuid)

    @admin.display(description="ventana de 24 h abierta", boolean=True)
    def window_open(self, contact):
        return contact.in_service_window()

    def audited_fields(self, request):
        return ["nombre", "teléfono completo" if privacy.sees_full_data(request.user) else "teléfono enmascarado"]


class ChatMessageAdmin(ReadOnlyAdmin):
    """A chat's messages: only the chats this user may read, with what was typed masked."""

    audit_action = AuditAction.VIEW_MESSAGE

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        readable = privacy.contacts_readable(request.user)
        return queryset if readable is None else queryset.filter(contact__in=readable)

    def get_object(self, request, object_id, from_field=None):
        # Another chat's message does not exist for this user (the admin would only redirect).
        message = super().get_object(request, object_id, from_field)
        if message is None:
            raise Http404("No existe ese mensaje o no tienes acceso a él.")
        return message

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if request.method == "GET" and response.status_code == 200:
            shown = getattr(response, "context_data", {}).get("cl")
            filters = request.GET.urlencode()
            audit_record(
                user=request.user,
                action=AuditAction.VIEW_MESSAGE_LIST,
                object_type=self.model._meta.label_lower,
                object_id="",
                fields=[
                    "lista de mensajes",
                    *([f"{shown.result_count} en la lista"] if shown is not None else []),
                    "contactos enmascarados",
                    *([f"filtros: {filters}"[:200]] if filters else []),
                ],
                ip=client_ip(request),
            )
        return response

    def audited_fields(self, request):
        return ["texto del mensaje" if privacy.sees_full_data(request.user) else "texto del mensaje enmascarado"]


@admin.register(InboundMessage)
class InboundMessageAdmin(ChatMessageAdmin):
    list_display = ["id", "contact", "type", "status", "attempts", "last_error", "sent_at", "received_at"]
    list_filter = ["status", "type"]
    list_select_related = ["contact"]
    date_hierarchy = "received_at"
    search_fields = ["=wa_message_id"]
    # The raw payload repeats the phone number: not shown.
    fields = [
        "contact",
        "type",
        "text_shown",
        "choice_id",
        "media_mime",
        "filename_shown",
        "wa_message_id",
        "sent_at",
        "received_at",
        "status",
        "attempts",
        "last_error",
        "processed_at",
    ]
    readonly_fields = fields

    def get_object(self, request, object_id, from_field=None):
        message = super().get_object(request, object_id, from_field)
        question = privacy.identity_question(message_answering(message=message))
        message.text_shown = privacy.message_text_for(
            request.user, message.text, from_customer=True, question=question
        )
        message.filename_shown = privacy.message_text_for(request.user, message.media_filename, from_customer=True)
        return message

    @admin.display(description="texto")
    def text_shown(self, message):
        return message.text_shown

    @admin.display(description="nombre del archivo")
    def filename_shown(self, message):
        return message.filename_shown


@admin.register(OutboundMessage)
class OutboundMessageAdmin(ChatMessageAdmin):
    list_display = ["id", "contact", "sender", "kind", "status", "error_code", "error_title", "created_at", "sent_at"]
    list_filter = ["status", "sender", "kind", "error_code"]
    list_select_related = ["contact"]
    date_hierarchy = "created_at"
    search_fields = ["=wa_message_id"]
    fields = [
        "contact",
        "sender",
        "staff_user",
        "kind",
        "preview_shown",
        "document_shown",
        "wa_message_id",
        "status",
        "error_code",
        "error_title",
        "attempts",
        "not_before",
        "created_at",
        "sent_at",
        "status_updated_at",
    ]
    readonly_fields = fields

    def get_object(self, request, object_id, from_field=None):
        message = super().get_object(request, object_id, from_field)
        message.preview_shown = privacy.message_text_for(request.user, message.preview, from_customer=False)
        document = message.document
        message.document_shown = (
            privacy.message_text_for(request.user, str(document), from_customer=False) if document else "-"
        )
        return message

    @admin.display(description="texto")
    def preview_shown(self, message):
        return message.preview_shown

    @admin.display(description="documento")
    def document_shown(self, message):
        return message.document_shown


class FlowFilter(admin.SimpleListFilter):
    """The flows messages were not understood in, by their Spanish names."""

    title = "flujo"
    parameter_name = "flow"

    def lookups(self, request, model_admin):
        titles = flow_titles()
        flows = model_admin.get_queryset(request).order_by().values_list("flow", flat=True).distinct()
        return sorted(((flow, titles.get(flow, flow or "Sin flujo")) for flow in flows), key=lambda item: item[1])

    def queryset(self, request, queryset):
        return queryset.filter(flow=self.value()) if self.value() is not None else queryset


class LabelledFilter(admin.SimpleListFilter):
    title = "etiquetado"
    parameter_name = "etiquetado"

    def lookups(self, request, model_admin):
        return [("si", "Sí"), ("no", "No")]

    def queryset(self, request, queryset):
        if self.value() == "si":
            return queryset.exclude(intent="")
        if self.value() == "no":
            return queryset.filter(intent="")
        return queryset


@admin.register(UnrecognisedMessage)
class UnrecognisedMessageAdmin(admin.ModelAdmin):
    """Messages the bot did not understand, already masked when stored: supervisors read them,
    say what each meant (the intent, nothing else is editable) and download the labelled ones
    as lines for the model's corpus. Nobody adds or deletes them."""

    list_display = ["created_at", "text", "flow_shown", "step_shown", "intent_shown"]
    list_filter = [LabelledFilter, "intent", FlowFilter, ("created_at", admin.DateFieldListFilter)]
    search_fields = ["text"]
    date_hierarchy = "created_at"
    fields = ["text", "flow_shown", "step_shown", "created_at", "intent", "labelled_by_shown", "labelled_at"]
    readonly_fields = ["text", "flow_shown", "step_shown", "created_at", "labelled_by_shown", "labelled_at"]
    actions = ["download_corpus_lines"]

    def changelist_view(self, request, extra_context=None):
        # Django's "Escoja mensaje no entendido a modificar" reads oddly for a list to review.
        return super().changelist_view(request, {"title": "Mensajes no entendidos", **(extra_context or {})})

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        unrecognised_message_label(message=obj, intent=form.cleaned_data["intent"], user=request.user)

    @admin.display(description="flujo", ordering="flow")
    def flow_shown(self, message):
        # The service as the customer's menu names it; the code too, for the lexicon work.
        title = flow_titles().get(message.flow)
        return f"{title} ({message.flow})" if title else message.flow or "—"

    @admin.display(description="paso", ordering="step")
    def step_shown(self, message):
        # What the bot was waiting for, in Spanish; the code too, for the lexicon work.
        flow = get_flow(message.flow) if flow_exists(message.flow) else None
        title = flow.step_titles.get(message.step) if flow is not None else None
        return f"{title} ({message.step})" if title else message.step or "—"

    @admin.display(description="etiquetado por")
    def labelled_by_shown(self, message):
        user = message.labelled_by
        return (user.get_full_name() or user.username) if user else "—"

    @admin.display(description="Intención", ordering="intent")
    def intent_shown(self, message):
        return message.get_intent_display() if message.intent else "—"

    @admin.action(description="Descargar etiquetados para el corpus (TSV)", permissions=["change"])
    def download_corpus_lines(self, request, queryset):
        export = unrecognised_corpus_tsv(queryset)
        if not export.lines:
            self.message_user(
                request,
                "Ninguno de los mensajes seleccionados está etiquetado: elige su intención y guarda antes de "
                "descargar. No se generó ningún archivo.",
                messages.WARNING,
            )
            return None
        if export.skipped:
            self.message_user(
                request,
                f"Se omitieron {export.skipped} mensaje(s) sin etiquetar; el archivo tiene {export.lines} línea(s).",
                messages.WARNING,
            )
        response = HttpResponse(export.content, content_type="text/tab-separated-values; charset=utf-8")
        filename = f"no_entendidos_etiquetados_{timezone.localdate():%Y-%m-%d}.tsv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


# Flows that are not rows of the customer's menu, named for staff.
OTHER_FLOW_TITLES = {
    "menu": "Menú principal",
    "identidad": "Validación de identidad",
    "consentimiento": "Autorización de datos",
    "cambio_tema": "Cambio de tema",
    "csat": "Encuesta de satisfacción",
}


def flow_titles() -> dict[str, str]:
    """Each flow's Spanish name: the customer's menu rows ("Renovación"), and the others."""
    return {**OTHER_FLOW_TITLES, **dict(render("menu/main.txt", {"greet": False}).options)}
