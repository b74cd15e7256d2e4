"""Habeas Data (Ley 1581 de 2012, Decreto 1377 de 2013): policy versions and consent proof."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class PolicyVersion(models.Model):
    """A published version of the Política de Tratamiento de Información (PTI).

    The newest published version is the one in force; publishing a new one makes the
    bot ask every user for consent again.
    """

    version = models.CharField(verbose_name="versión", max_length=32, unique=True)
    # What the bot shows when it asks for authorisation: purpose in plain words.
    consent_text = models.TextField(verbose_name="texto de la autorización")
    # Where the full PTI can be read.
    policy_url = models.URLField(verbose_name="enlace a la política")
    published_at = models.DateTimeField(verbose_name="publicada", null=True, blank=True)
    created_at = models.DateTimeField(verbose_name="creada", default=timezone.now)

    class Meta:
        verbose_name = "versión de la PTI"
        verbose_name_plural = "versiones de la PTI"
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return f"PTI {self.version}"


class ConsentRecord(models.Model):
    """Append-only proof of one answer to the authorisation request (or a revocation)."""

    class Answer(models.TextChoices):
        ACCEPTED = "accepted", "Aceptó"
        DECLINED = "declined", "No aceptó"
        REVOKED = "revoked", "Revocó"

    contact = models.ForeignKey(
        "conversations.Contact", verbose_name="contacto", on_delete=models.PROTECT, related_name="consents"
    )
    # The WhatsApp identifier the answer came from: the phone, or the BSUID of a user who
    # writes without a visible number.
    wa_id = models.CharField(verbose_name="WhatsApp", max_length=160)
    policy_version = models.ForeignKey(
        PolicyVersion, verbose_name="versión de la PTI", on_delete=models.PROTECT, related_name="records"
    )
    text_shown = models.TextField(verbose_name="texto mostrado")
    text_sha256 = models.CharField(verbose_name="hash del texto (SHA-256)", max_length=64)
    answer = models.CharField(verbose_name="respuesta", max_length=16, choices=Answer.choices)
    inbound_message = models.ForeignKey(
        "conversations.InboundMessage", verbose_name="mensaje", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    wa_message_id = models.CharField(verbose_name="id del mensaje de WhatsApp", max_length=128)
    # When WhatsApp says the user sent the answer.
    answered_at = models.DateTimeField(verbose_name="respondió")
    recorded_at = models.DateTimeField(verbose_name="registrado", default=timezone.now)

    class Meta:
        verbose_name = "registro de consentimiento"
        verbose_name_plural = "registros de consentimiento"
        ordering = ["-recorded_at"]
        indexes = [models.Index(fields=["contact", "-recorded_at"])]

    def __str__(self) -> str:
        return f"{self.get_answer_display()} {self.policy_version.version}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("Consent records are append-only")
        if not self.text_sha256:
            self.text_sha256 = hashlib.sha256(self.text_shown.encode()).hexdigest()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Consent records are append-only")


class DataRightsRequest(models.Model):
    """A Habeas Data request made through the bot, tracked until it is answered.

    A *consulta* (Ley 1581 art. 14: knowing what data we hold) is due in 10 business days,
    extendable once by 5; a *reclamo* (art. 15: update, rectify, delete, revoke) in 15,
    extendable once by 8. An incomplete reclamo waits for the missing information and is
    deemed withdrawn after two months without it.
    """

    class Kind(models.TextChoices):
        CONOCER = "conocer", "Conocer mis datos"
        ACTUALIZAR = "actualizar", "Actualizar datos"
        RECTIFICAR = "rectificar", "Rectificar datos"
        SUPRIMIR = "suprimir", "Suprimir datos"
        REVOCAR = "revocar", "Revocar autorización"

    class Category(models.TextChoices):
        CONSULTA = "consulta", "Consulta"
        RECLAMO = "reclamo", "Reclamo"

    class Status(models.TextChoices):
        RECEIVED = "received", "Recibida"
        IN_PROGRESS = "in_progress", "En trámite"
        NEEDS_INFO = "needs_info", "Falta información"
        EXTENDED = "extended", "Prorrogada"
        RESOLVED = "resolved", "Resuelta"
        WITHDRAWN = "withdrawn", "Desistida"

    OPEN_STATUSES = (Status.RECEIVED, Status.IN_PROGRESS, Status.NEEDS_INFO, Status.EXTENDED)

    # Radicado the customer quotes, e.g. HD-2026-000042.
    number = models.CharField(verbose_name="radicado", max_length=20, unique=True, blank=True)
    contact = models.ForeignKey(
        "conversations.Contact", verbose_name="contacto", on_delete=models.PROTECT, related_name="rights_requests"
    )
    customer = models.ForeignKey(
        "credits.Customer",
        verbose_name="titular",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rights_requests",
    )
    kind = models.CharField(verbose_name="tipo", max_length=16, choices=Kind.choices)
    category = models.CharField(verbose_name="categoría", max_length=16, choices=Category.choices)
    detail = models.TextField(verbose_name="detalle", blank=True)
    status = models.CharField(verbose_name="estado", max_length=16, choices=Status.choices, default=Status.RECEIVED)
    received_at = models.DateTimeField(verbose_name="recibida", default=timezone.now)
    # Legal deadline in force (moves once when extended); original_due_date keeps the first.
    due_date = models.DateField(verbose_name="vence")
    original_due_date = models.DateField(verbose_name="vencimiento original")
    extended = models.BooleanField(verbose_name="prorrogada", default=False)
    extended_at = models.DateTimeField(verbose_name="fecha de la prórroga", null=True, blank=True)
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="prorrogada por",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The notice sent to the customer explaining the delay (Ley 1581 arts. 14/15).
    extension_notice = models.TextField(verbose_name="aviso de prórroga", blank=True)
    # Incomplete reclamo: what we asked for, and since when we wait.
    needs_info_since = models.DateTimeField(verbose_name="esperando información desde", null=True, blank=True)
    info_requested = models.TextField(verbose_name="información pedida", blank=True)
    resolution = models.TextField(verbose_name="respuesta", blank=True)
    resolved_at = models.DateTimeField(verbose_name="resuelta", null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="resuelta por",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(verbose_name="desistida", null=True, blank=True)
    # For a revocation: the ConsentRecord that made it effective.
    consent_record = models.ForeignKey(
        ConsentRecord,
        verbose_name="registro de consentimiento",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rights_requests",
    )
    updated_at = models.DateTimeField(verbose_name="actualizada", auto_now=True)
    # The day compliance was last e-mailed that this request is due soon (one reminder a day).
    due_alert_sent_on = models.DateField(verbose_name="aviso de vencimiento enviado", null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["status", "due_date"])]
        verbose_name = "solicitud Habeas Data"
        verbose_name_plural = "solicitudes Habeas Data"

    def __str__(self) -> str:
        return f"{self.number or 'HD'} · {self.get_kind_display()} ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if not self.number:
            # The radicado derives from the primary key, so it is unique without a counter table.
            self.number = f"HD-{timezone.localtime(self.received_at).year}-{self.pk:06d}"
            super().save(update_fields=["number"])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES
