"""Bot records: requests the bot resolved (metrics) and satisfaction surveys."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from conversations.messaging.models import Contact, InboundMessage


class ResolvedRequest(models.Model):
    """A request the bot answered by itself (from the ``flow_resolved`` signal), for metrics.

    Holds no message content: only which flow answered, for whom and when.
    """

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="resolved_requests")
    flow = models.CharField(max_length=64)
    inbound_message = models.ForeignKey(
        InboundMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.flow} {self.resolved_at:%Y-%m-%d}"


class CsatSurvey(models.Model):
    """A satisfaction survey (1-5 and an optional comment) after a resolved request or a closed ticket.

    Scheduled when the trigger happens, asked when the customer is idle (never in the
    middle of another conversation), at most once per CSAT_MIN_HOURS per contact.
    """

    class Trigger(models.TextChoices):
        FLOW = "flow", "Solicitud resuelta por el bot"
        TICKET = "ticket", "Caso atendido por un asesor"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Programada"
        ASKED = "asked", "Preguntada"
        ANSWERED = "answered", "Respondida"
        EXPIRED = "expired", "Vencida"

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="csat_surveys")
    trigger = models.CharField(max_length=16, choices=Trigger.choices)
    flow = models.CharField(max_length=64, blank=True)
    ticket = models.ForeignKey(
        "escalations.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="csat_surveys"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    created_at = models.DateTimeField(default=timezone.now)
    # Not before this time: the question never lands in the same breath as the answer.
    due_at = models.DateTimeField()
    asked_at = models.DateTimeField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["contact", "-asked_at"]),
            models.Index(fields=["answered_at"]),
        ]
        verbose_name = "encuesta de satisfacción"
        verbose_name_plural = "encuestas de satisfacción"

    def __str__(self) -> str:
        return f"CSAT {self.rating or '-'} ({self.get_status_display()})"


class UnrecognisedMessage(models.Model):
    """A message the bot did not understand, masked (proalto.masking.mask_free_text), with
    where it was said: supervisors read the list, say what each one meant (``intent``) and
    download the labelled ones for the model's corpus (the brief's "mejora continua"). No
    contact is kept: the wording is what matters."""

    class Intent(models.TextChoices):
        # The recogniser's INTENTS (conversations/bot/intents/base.py), named for staff; a test keeps them in step.
        SALDO = "saldo", "Saldo"
        ESTADO_SOLICITUD = "estado_solicitud", "Estado de solicitud"
        PAZ_Y_SALVO = "paz_y_salvo", "Paz y salvo"
        RENOVACION = "renovacion", "Renovación"
        NUEVO_CREDITO = "nuevo_credito", "Nuevo crédito"
        ASESOR = "asesor", "Hablar con un asesor"
        QUEJA = "queja", "Queja o reclamo"
        PRIVACIDAD = "privacidad", "Privacidad / datos personales"
        MENU = "menu", "Menú / saludo"
        DESPEDIDA = "despedida", "Despedida"
        DESCONOCIDO = "desconocido", "Nada de lo anterior"

    text = models.TextField(verbose_name="mensaje (enmascarado)")
    flow = models.CharField(verbose_name="flujo", max_length=64, blank=True)
    step = models.CharField(verbose_name="paso", max_length=64, blank=True)
    created_at = models.DateTimeField(verbose_name="recibido", default=timezone.now, db_index=True)
    intent = models.CharField(verbose_name="intención", max_length=32, blank=True, choices=Intent.choices)
    labelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="etiquetado por",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    labelled_at = models.DateTimeField(verbose_name="etiquetado el", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "mensaje no entendido"
        verbose_name_plural = "mensajes no entendidos"

    def __str__(self) -> str:
        return self.text[:60]
