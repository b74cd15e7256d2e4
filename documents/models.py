"""Files customers send and files the bot issues, stored privately (S3 in production)."""

import base64
import secrets

from django.db import models
from django.utils import timezone

from documents.kinds import DocumentKind


def document_key(instance, filename: str) -> str:
    # Non-guessable, and free of anything the customer typed.
    ext = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(instance.mime_type, "bin")
    return f"documents/{timezone.now():%Y/%m}/{secrets.token_urlsafe(24)}.{ext}"


class Document(models.Model):
    Kind = DocumentKind

    kind = models.CharField(verbose_name="tipo", max_length=16, choices=Kind.choices)
    file = models.FileField(upload_to=document_key, max_length=255)
    original_name = models.CharField(verbose_name="nombre", max_length=255, blank=True)
    mime_type = models.CharField(verbose_name="formato", max_length=100)
    size = models.PositiveIntegerField(verbose_name="tamaño (bytes)")
    sha256 = models.CharField(max_length=64)
    contact = models.ForeignKey(
        "conversations.Contact",
        verbose_name="contacto",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    customer = models.ForeignKey(
        "credits.Customer",
        verbose_name="cliente",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    ticket = models.ForeignKey(
        "escalations.Ticket",
        verbose_name="ticket",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    inbound_message = models.OneToOneField(
        "conversations.InboundMessage", null=True, blank=True, on_delete=models.SET_NULL, related_name="document"
    )
    created_at = models.DateTimeField(verbose_name="creado", default=timezone.now)
    # The customer sent this same file this many times for the request they are completing;
    # it is stored once (documents.services.document_store_upload).
    times_received = models.PositiveIntegerField(verbose_name="veces recibido", default=1)

    class Meta:
        verbose_name = "documento"
        verbose_name_plural = "documentos"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_name or self.pk}"


def verification_code_new() -> str:
    """A non-guessable code people can read aloud: 12 base32 characters (60 bits), "ABCD-EFGH-JK23"."""
    raw = base64.b32encode(secrets.token_bytes(10)).decode()[:12]
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


class PazYSalvo(models.Model):
    """A paz y salvo certificate as issued: anyone holding its code can verify it online.

    One per customer and set of cancelled credits (``fingerprint``): asking again returns
    the same certificate until that set changes.

    The row is the verification record and outlives the PDF: erasing the holder's personal
    data (supresión) deletes the file and empties ``document``; the code still verifies, and
    asking again renders the same certificate anew.
    """

    customer = models.ForeignKey("credits.Customer", on_delete=models.PROTECT, related_name="paz_y_salvos")
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="paz_y_salvos"
    )
    verification_code = models.CharField(max_length=16, unique=True, default=verification_code_new)
    issued_at = models.DateTimeField(default=timezone.now)
    # The cancelled credits as certified: number, pagaduría, amounts.
    credits = models.JSONField(default=list)
    # sha256 of the cancelled credits' numbers and amounts.
    fingerprint = models.CharField(max_length=64)

    class Meta:
        verbose_name = "paz y salvo"
        verbose_name_plural = "paz y salvos"
        constraints = [
            models.UniqueConstraint(fields=["customer", "fingerprint"], name="paz_y_salvo_once_per_credit_set")
        ]

    def __str__(self) -> str:
        return self.verification_code
