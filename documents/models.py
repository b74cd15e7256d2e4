"""Files customers send and files the bot issues, stored privately (S3 in production)."""

import secrets

from django.db import models
from django.utils import timezone


def document_key(instance, filename: str) -> str:
    # Non-guessable, and free of anything the customer typed.
    ext = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(instance.mime_type, "bin")
    return f"documents/{timezone.now():%Y/%m}/{secrets.token_urlsafe(24)}.{ext}"


class Document(models.Model):
    class Kind(models.TextChoices):
        UPLOAD = "upload", "Enviado por el cliente"
        PAZ_Y_SALVO = "paz_y_salvo", "Paz y salvo"
        ADVISOR = "advisor", "Enviado por un asesor"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    file = models.FileField(upload_to=document_key, max_length=255)
    original_name = models.CharField(max_length=255, blank=True)
    mime_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    contact = models.ForeignKey(
        "conversations.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )
    customer = models.ForeignKey(
        "credits.Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )
    ticket = models.ForeignKey(
        "escalations.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )
    inbound_message = models.OneToOneField(
        "conversations.InboundMessage", null=True, blank=True, on_delete=models.SET_NULL, related_name="document"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_name or self.pk}"
