"""Compliance back office for Habeas Data: consent proof, PTI versions, data-rights requests.

- Consent records are append-only proof: nobody adds, changes or deletes them here, not
  even a superuser; compliance lists, searches and exports them (CSV for an audit or the SIC).
- PTI versions are drafted here and published with an action; a published one is frozen.
- Data-rights requests (consultas y reclamos) show their legal deadline in business days;
  compliance resolves them (a written answer sent on WhatsApp) or extends them once. An
  accepted *suprimir* request erases the person's conversational data (consent/erasure.py).

Actions are thin: they call the services in consent/services.py and consent/erasure.py.
Resolving and extending a data-rights request (actions and page) are in consent/admin_views.py.
"""

from __future__ import annotations

import csv

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect, StreamingHttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from consent.admin_views import (
    RightsRequestHandling,
    audit_people_seen,
    business_days_left_label,
    person_label,
    rights_request_person,
)
from consent.models import ConsentRecord, DataRightsRequest, PolicyVersion
from consent.services import policy_publish
from escalations import privacy
from escalations.audit import AuditAction
from escalations.services import audit_record
from proalto.admin import ReadOnlyAdminMixin
from proalto.http import client_ip
from proalto.masking import mask_identifier

CSV_COLUMNS = ["fecha", "wa_id", "versión", "hash", "respuesta", "id mensaje"]


def _audit(request, action: str, **kwargs) -> None:
    audit_record(user=request.user, action=action, ip=client_ip(request), **kwargs)


class _NoBulkDeleteAdmin(admin.ModelAdmin):
    """Legal records here are never deleted in bulk (nor one by one, where it says so)."""

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


# --- Consent records -------------------------------------------------------------------------


def _wa_id_column(request):
    full = privacy.sees_full_data(request.user)

    @admin.display(description="WhatsApp", ordering="wa_id")
    def wa_id_shown(obj):
        return obj.wa_id if full else mask_identifier(obj.wa_id)

    return wa_id_shown


class _Echo:
    """A write-only file for csv.writer that hands each line back (for streaming)."""

    def write(self, value):
        return value


def _csv_safe(value: str) -> str:
    # A cell starting with = + - @ is a formula in Excel: never let data become one.
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def consent_csv_rows(queryset, *, full: bool, delimiter: str = ","):
    """The export lines: UTF-8 BOM first (Excel), then the header, then one row per record.

    ``delimiter=";"`` is the variant Excel set to Colombian Spanish opens directly (its list
    separator is ";", the comma being the decimal mark).
    """
    writer = csv.writer(_Echo(), delimiter=delimiter)
    yield "\ufeff"
    yield writer.writerow(CSV_COLUMNS)
    for record in queryset.select_related("policy_version").order_by("answered_at", "id").iterator(chunk_size=500):
        yield writer.writerow(
            [
                _csv_safe(timezone.localtime(record.answered_at).isoformat(timespec="seconds")),
                _csv_safe(record.wa_id if full else mask_identifier(record.wa_id)),
                _csv_safe(record.policy_version.version),
                record.text_sha256,
                record.get_answer_display(),
                _csv_safe(record.wa_message_id),
            ]
        )


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyAdminMixin, _NoBulkDeleteAdmin):
    """Append-only proof: no one may add, change or delete, whatever their permissions."""

    list_display = ("answered_at", "wa_id_shown", "version", "answer", "message_id", "hash_short")
    list_filter = ("answer", "policy_version", ("answered_at", admin.DateFieldListFilter))
    search_fields = ("=wa_id", "=wa_message_id", "=text_sha256", "policy_version__version")
    date_hierarchy = "answered_at"
    list_select_related = ("policy_version",)
    fields = (
        "answered_at",
        "recorded_at",
        "wa_id_shown",
        "version",
        "answer",
        "message_id",
        "wa_message_id",
        "text_sha256",
        "text_shown_block",
    )
    actions = ["export_csv"]
    change_list_template = "admin/consent/consentrecord/change_list.html"

    @admin.display(description="WhatsApp")
    def wa_id_shown(self, obj):
        return mask_identifier(obj.wa_id)  # replaced per request by _wa_id_column

    @admin.display(description="Mensaje", ordering="inbound_message_id")
    def message_id(self, obj):
        # The stored message the answer came in (gone once purged or erased).
        return f"#{obj.inbound_message_id}" if obj.inbound_message_id else "—"

    @admin.display(description="Versión PTI", ordering="policy_version__version")
    def version(self, obj):
        return obj.policy_version.version

    @admin.display(description="Hash del texto")
    def hash_short(self, obj):
        return format_html('<code title="{}">{}…</code>', obj.text_sha256, obj.text_sha256[:12])

    @admin.display(description="Texto exacto mostrado")
    def text_shown_block(self, obj):
        return format_html('<pre style="white-space: pre-wrap; max-width: 60em">{}</pre>', obj.text_shown)

    # The WhatsApp number is masked unless the user may see personal data in full; the
    # column is built per request (the ModelAdmin instance is shared between threads).
    def get_list_display(self, request):
        return [_wa_id_column(request) if name == "wa_id_shown" else name for name in self.list_display]

    def get_fields(self, request, obj=None):
        return [_wa_id_column(request) if name == "wa_id_shown" else name for name in self.fields]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    @admin.action(description="Exportar CSV", permissions=["view"])
    def export_csv(self, request, queryset):
        return self._csv_response(request, queryset)

    def get_urls(self):
        urls = super().get_urls()
        export = path("export/", self.admin_site.admin_view(self.export_view), name="consent_consentrecord_export")
        excel = path(
            "export/excel/",
            self.admin_site.admin_view(self.export_semicolon_view),
            name="consent_consentrecord_export_semicolon",
        )
        return [export, excel, *urls]

    def export_semicolon_view(self, request):
        return self.export_view(request, delimiter=";")

    def export_view(self, request, delimiter: str = ","):
        """Every row the list shows with the current filters and search (not just one page)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return HttpResponseRedirect(reverse("admin:consent_consentrecord_changelist"))
        return self._csv_response(request, changelist.get_queryset(request), delimiter=delimiter)

    def _csv_response(self, request, queryset, delimiter: str = ","):
        full = privacy.sees_full_data(request.user)
        _audit(
            request,
            AuditAction.EXPORT_CONSENTS,
            object_type="consent.consentrecord",
            object_id="export",
            fields=["wa_id" if full else "wa_id_masked"],
        )
        response = StreamingHttpResponse(
            consent_csv_rows(queryset, full=full, delimiter=delimiter), content_type="text/csv; charset=utf-8"
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        variant = "-excel" if delimiter == ";" else ""
        response["Content-Disposition"] = f'attachment; filename="consentimientos-{stamp}{variant}.csv"'
        return response


# --- PTI versions ----------------------------------------------------------------------------------


@admin.register(PolicyVersion)
class PolicyVersionAdmin(_NoBulkDeleteAdmin):
    list_display = ("version", "state", "published_at", "created_at", "records")
    fields = ("version", "consent_text", "policy_url", "published_at", "created_at")
    readonly_fields = ("published_at", "created_at")
    actions = ["publish"]

    @admin.display(description="Estado")
    def state(self, obj):
        if obj.published_at is None:
            return "Borrador"
        current = PolicyVersion.objects.filter(published_at__isnull=False).order_by("-published_at", "-id").first()
        return "En vigor" if current and current.pk == obj.pk else "Publicada (reemplazada)"

    @admin.display(description="Respuestas registradas")
    def records(self, obj):
        return obj.records.count()

    # A published version is the proof of what people accepted: frozen.
    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.published_at is not None:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.published_at is not None:
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description="Publicar (el bot pedirá de nuevo la autorización)", permissions=["change"])
    def publish(self, request, queryset):
        for policy in queryset.order_by("created_at", "id"):
            try:
                policy_publish(policy=policy, by=request.user)
            except ValueError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"Versión {policy.version} publicada: desde el próximo mensaje el bot pedirá la autorización "
                    "con este texto.",
                    messages.SUCCESS,
                )


# --- Data-rights requests ----------------------------------------------------------------------------


@admin.register(DataRightsRequest)
class DataRightsRequestAdmin(RightsRequestHandling, _NoBulkDeleteAdmin):
    list_display = (
        "number",
        "person",
        "kind",
        "category",
        "status",
        "received_on",
        "due_date",
        "business_days_left",
        "resolve_link",
    )
    list_filter = ("status", "kind", "category", "extended")
    search_fields = ("=number",)
    date_hierarchy = "received_at"
    ordering = ("due_date", "id")
    actions = ["resolve", "extend"]
    readonly_fields = (
        "number",
        "contact_shown",
        "kind",
        "category",
        "detail",
        "status",
        "received_at",
        "due_date",
        "original_due_date",
        "extended",
        "extended_at",
        "extended_by",
        "extension_notice",
        "needs_info_since",
        "info_requested",
        "resolution",
        "resolved_at",
        "resolved_by",
        "withdrawn_at",
        "consent_record",
    )
    fields = readonly_fields

    def has_add_permission(self, request):
        return False  # requests arrive through the bot

    def has_delete_permission(self, request, obj=None):
        return False  # the record of how a holder's request was handled is kept

    @admin.display(description="Contacto")
    def contact_shown(self, obj):
        return obj.contact.masked

    # The person is read per request (full cédula only for whoever may see it): the column is
    # built in get_list_display, the ModelAdmin being shared between threads; the detail page
    # shows it above the form (templates/admin/consent/datarightsrequest/change_form.html).
    @admin.display(description="Titular")
    def person(self, obj):
        return ""

    def _person_column(self, request):
        user = request.user

        @admin.display(description="Titular")
        def person(obj):
            return person_label(rights_request_person(user, obj))

        return person

    def get_list_display(self, request):
        return [self._person_column(request) if name == "person" else name for name in self.list_display]

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if request.method == "GET" and getattr(response, "status_code", 0) == 200:
            audit_people_seen(request, object_id="lista", full=privacy.sees_full_data(request.user))
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        rights_request = self.get_object(request, object_id)
        if rights_request is not None and self.has_view_or_change_permission(request, rights_request):
            person = rights_request_person(request.user, rights_request)
            extra_context = {**(extra_context or {}), "person": person_label(person)}
            if request.method == "GET":
                audit_people_seen(request, object_id=object_id, full=person["full"])
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description="Recibida", ordering="received_at")
    def received_on(self, obj):
        # The date only: the list must fit a laptop; the detail has the time.
        return date_format(timezone.localtime(obj.received_at), "DATE_FORMAT")

    @admin.display(description="Días hábiles", ordering="due_date")
    def business_days_left(self, obj):
        return business_days_left_label(obj)

    @admin.display(description="")
    def resolve_link(self, obj):
        if not obj.is_open:
            return ""
        return format_html(
            '<a href="{}">Resolver</a>', reverse("admin:consent_datarightsrequest_resolve", args=[obj.pk])
        )

    # The resolve page and the actions are in consent/admin_views.py.
    def get_urls(self):
        resolve = path(
            "<int:pk>/resolve/",
            self.admin_site.admin_view(self.resolve_view),
            name="consent_datarightsrequest_resolve",
        )
        return [resolve, *super().get_urls()]
