"""The internal API's records: client keys with scopes, events received (idempotency and
ordering), every call audited, and each lead's delivery to the CRM."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from rest_framework_api_key.models import AbstractAPIKey, BaseAPIKeyManager


class Scope(models.TextChoices):
    LOOKUP = "lookup", "Consultas (lookup)"
    EVENTS = "events", "Eventos (events)"
    LEADS = "leads", "Solicitudes para el CRM (leads)"


class ClientKeyManager(BaseAPIKeyManager):
    def get_usable_keys(self):
        return (
            super()
            .get_usable_keys()
            .filter(models.Q(expiry_date__isnull=True) | models.Q(expiry_date__gt=timezone.now()))
        )


class ClientKey(AbstractAPIKey):
    """One client system's key (ManyChat, ProAlto's core, the CRM): stored hashed (SHA-512 of a
    high-entropy key, by djangorestframework-api-key), shown once, revocable and expirable."""

    objects = ClientKeyManager()

    # The library's fields, with Spanish labels for the back office.
    name = models.CharField(verbose_name="nombre", max_length=50, blank=False, default=None)
    prefix = models.CharField(verbose_name="prefijo", max_length=8, unique=True, editable=False)
    created = models.DateTimeField(verbose_name="creada", auto_now_add=True, db_index=True)
    revoked = models.BooleanField(verbose_name="revocada", blank=True, default=False)
    expiry_date = models.DateTimeField(verbose_name="vence", blank=True, null=True)
    scopes = models.JSONField(verbose_name="permisos", default=list, help_text="lookup, events, leads")
    rate = models.CharField(
        verbose_name="límite de solicitudes",
        max_length=20,
        blank=True,
        help_text="Por ejemplo 120/min o 5/s; vacío: el límite general (API_RATE).",
    )

    class Meta(AbstractAPIKey.Meta):
        # Masculine, so that the admin's messages read right ("El cliente de la API … fue agregado").
        verbose_name = "cliente de la API"
        verbose_name_plural = "clientes de la API (claves)"

    def allows(self, scope: str) -> bool:
        return scope in (self.scopes or [])


class ApiEvent(models.Model):
    """An event ProAlto's systems pushed, kept by its id: a repeated id changes nothing."""

    class Outcome(models.TextChoices):
        APPLIED = "applied", "Aplicado"
        STALE = "stale", "Ignorado: más antiguo que lo registrado"
        UNCHANGED = "unchanged", "Sin cambios"
        AWAITING_CORE = "awaiting_core", "En espera del sistema central"

    event_id = models.CharField(verbose_name="id", max_length=100, unique=True)
    kind = models.CharField(verbose_name="tipo", max_length=32)
    occurred_at = models.DateTimeField(verbose_name="ocurrido")
    # What the event is about ("solicitud:SOL-2026-0042"): events older than the latest one
    # applied to the same subject do not move it backwards.
    subject = models.CharField(verbose_name="sobre", max_length=80, db_index=True)
    data = models.JSONField(verbose_name="datos", default=dict)
    outcome = models.CharField(verbose_name="resultado", max_length=16, choices=Outcome.choices)
    client = models.ForeignKey(ClientKey, verbose_name="cliente", null=True, on_delete=models.SET_NULL)
    received_at = models.DateTimeField(verbose_name="recibido", default=timezone.now)

    class Meta:
        verbose_name = "evento recibido"
        verbose_name_plural = "eventos recibidos"
        indexes = [models.Index(fields=["subject", "-occurred_at"], name="api_event_subject_latest")]

    def __str__(self) -> str:
        return self.event_id


class ApiCall(models.Model):
    """One call to the API: who, what, how it ended. Personal data only masked."""

    client = models.ForeignKey(ClientKey, verbose_name="cliente", null=True, on_delete=models.SET_NULL)
    client_name = models.CharField(verbose_name="nombre del cliente", max_length=50, blank=True)
    method = models.CharField(verbose_name="método", max_length=8)
    endpoint = models.CharField(verbose_name="ruta", max_length=100)
    status = models.PositiveSmallIntegerField(verbose_name="código HTTP")
    outcome = models.CharField(verbose_name="resultado", max_length=40, blank=True)
    # Masked summary of what was asked ("cédula ••••4050, consulta saldo").
    summary = models.CharField(verbose_name="resumen", max_length=200, blank=True)
    ip = models.GenericIPAddressField(verbose_name="dirección", null=True, blank=True)
    at = models.DateTimeField(verbose_name="fecha", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "llamada a la API"
        verbose_name_plural = "llamadas a la API"
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.method} {self.endpoint} {self.status}"


class LeadDelivery(models.Model):
    """A lead posted to CRM_WEBHOOK_URL: its attempts and outcome, visible to staff."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pendiente"
        DELIVERED = "delivered", "Entregado"
        FAILED = "failed", "Fallido"

    # "nuevo_credito:WA-2026-0A1B2C3D" or "renovacion:<ticket id>" (the lead's "id" in the API).
    lead = models.CharField(verbose_name="solicitud", max_length=64, unique=True)
    status = models.CharField(verbose_name="estado", max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(verbose_name="intentos", default=0)
    last_error = models.CharField(verbose_name="último error", max_length=200, blank=True)
    created_at = models.DateTimeField(verbose_name="creado", default=timezone.now)
    delivered_at = models.DateTimeField(verbose_name="entregado", null=True, blank=True)
    # When the next attempt is due (None once delivered or failed). A pending delivery overdue
    # by more than CRM_WEBHOOK_SWEEP_SECONDS lost its queued task (broker down): beat re-queues it.
    next_attempt_at = models.DateTimeField(verbose_name="próximo intento", null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = "envío al CRM"
        verbose_name_plural = "envíos al CRM"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.lead
