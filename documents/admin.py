"""Documents in the admin: metadata only; the file itself only through the audited download."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html

from documents.downloads import download_response
from documents.models import Document
from escalations import privacy
from escalations.audit import AuditAction
from escalations.selectors import tickets_held_by
from escalations.services import audit_record
from proalto.admin import ReadOnlyAdminMixin
from proalto.http import client_ip


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["id", "kind", "original_name", "mime_type", "size", "contact", "ticket", "created_at", "download"]
    list_filter = ["kind", "mime_type"]
    fields = [
        "kind",
        "original_name",
        "mime_type",
        "size",
        "sha256",
        "times_received",
        "contact",
        "customer",
        "ticket",
        "created_at",
        "download",
    ]
    readonly_fields = fields
    date_hierarchy = "created_at"
    list_select_related = ["contact", "ticket"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.has_perm(privacy.ALL_DOCUMENTS):
            return queryset
        # Advisors: the documents of the chats they hold.
        held = tickets_held_by(user=request.user)
        return queryset.filter(ticket__in=held) | queryset.filter(contact__in=held.values("contact"))

    @admin.display(description="archivo")
    def download(self, document):
        return format_html(
            '<a href="{}">Descargar</a>', reverse("admin:documents_document_download", args=[document.pk])
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/download/",
                self.admin_site.admin_view(self.download_view),
                name="documents_document_download",
            ),
            *super().get_urls(),
        ]

    def download_view(self, request, pk):
        document = get_object_or_404(Document, pk=pk)
        if not privacy.can_download(request.user, document):
            raise PermissionDenied
        audit_record(
            user=request.user,
            action=AuditAction.DOWNLOAD_DOCUMENT,
            obj=document,
            fields=[document.get_kind_display()],
            ip=client_ip(request),
        )
        return download_response(document)
