"""WhatsApp users, the messages they exchange with the bot, and their conversation state."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Contact(models.Model):
    """A WhatsApp user, keyed by the wa_id Meta gives (the phone number in E.164 digits)."""

    wa_id = models.CharField(verbose_name="WhatsApp", max_length=20, unique=True)
    profile_name = models.CharField(verbose_name="nombre en el perfil", max_length=200, blank=True)
    created_at = models.DateTimeField(verbose_name="creado", default=timezone.now)
    # Start of Meta's 24-hour customer-service window.
    last_inbound_at = models.DateTimeField(verbose_name="último mensaje recibido", null=True, blank=True)

    class Meta:
        verbose_name = "contacto de WhatsApp"
        verbose_name_plural = "contactos de WhatsApp"

    def __str__(self) -> str:
        from proalto.masking import mask_phone

        return mask_phone(self.wa_id)

    def in_service_window(self, *, now=None) -> bool:
        now = now or timezone.now()
        return bool(self.last_inbound_at) and (now - self.last_inbound_at).total_seconds() < 24 * 3600


class InboundMessage(models.Model):
    """One message received from WhatsApp, stored once (keyed by Meta's id) before processing.

    The stored row is the source of truth: the worker processes pending rows, and the
    periodic sweep re-enqueues any that were never processed.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pendiente"
        PROCESSED = "processed", "Procesado"
        FAILED = "failed", "Fallido"

    wa_message_id = models.CharField(verbose_name="id de WhatsApp", max_length=128, unique=True)
    contact = models.ForeignKey(Contact, verbose_name="contacto", on_delete=models.CASCADE, related_name="inbound")
    type = models.CharField(verbose_name="tipo", max_length=32)
    text = models.TextField(verbose_name="texto", blank=True)
    # Id of the tapped reply button or list row, when the message is a tap.
    choice_id = models.CharField(verbose_name="opción tocada", max_length=200, blank=True)
    media_id = models.CharField(max_length=128, blank=True)
    media_mime = models.CharField(max_length=100, blank=True)
    media_filename = models.CharField(max_length=255, blank=True)
    payload = models.JSONField(default=dict)
    sent_at = models.DateTimeField(verbose_name="enviado")
    received_at = models.DateTimeField(verbose_name="recibido", default=timezone.now)
    status = models.CharField(verbose_name="estado", max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(verbose_name="intentos", default=0)
    last_error = models.CharField(verbose_name="último error", max_length=500, blank=True)
    processed_at = models.DateTimeField(verbose_name="procesado", null=True, blank=True)

    class Meta:
        verbose_name = "mensaje recibido"
        verbose_name_plural = "mensajes recibidos"
        indexes = [
            models.Index(fields=["contact", "status", "sent_at", "id"]),
            models.Index(fields=["status", "received_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.wa_message_id}"


class OutboundMessage(models.Model):
    """A message the bot or an advisor sends; queued in the database, sent by the worker."""

    class Status(models.TextChoices):
        QUEUED = "queued", "En cola"
        SENT = "sent", "Enviado"
        DELIVERED = "delivered", "Entregado"
        READ = "read", "Leído"
        FAILED = "failed", "Fallido"

    class Sender(models.TextChoices):
        BOT = "bot", "Bot"
        ADVISOR = "advisor", "Asesor"
        SYSTEM = "system", "Sistema"

    contact = models.ForeignKey(Contact, verbose_name="contacto", on_delete=models.CASCADE, related_name="outbound")
    in_reply_to = models.ForeignKey(
        InboundMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    sender = models.CharField(verbose_name="remitente", max_length=16, choices=Sender.choices, default=Sender.BOT)
    staff_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="asesor", null=True, blank=True, on_delete=models.SET_NULL)
    kind = models.CharField(verbose_name="tipo", max_length=32)
    # Human-readable text of what was sent (transcripts, back office).
    preview = models.TextField(verbose_name="texto", blank=True)
    # The Cloud API request body, without messaging_product/to (added at send time).
    body = models.JSONField(default=dict)
    document = models.ForeignKey(
        "documents.Document", verbose_name="documento", null=True, blank=True, on_delete=models.SET_NULL, related_name="outbound"
    )
    wa_message_id = models.CharField(max_length=128, unique=True, null=True, blank=True)
    status = models.CharField(verbose_name="estado", max_length=16, choices=Status.choices, default=Status.QUEUED)
    error_code = models.IntegerField(verbose_name="código de error", null=True, blank=True)
    error_title = models.CharField(verbose_name="error", max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(verbose_name="intentos", default=0)
    # A proactive message may not go out before this time (Ley 2300 de 2023 hours).
    not_before = models.DateTimeField(verbose_name="no antes de", null=True, blank=True)
    created_at = models.DateTimeField(verbose_name="creado", default=timezone.now)
    sent_at = models.DateTimeField(verbose_name="enviado", null=True, blank=True)
    status_updated_at = models.DateTimeField(null=True, blank=True)
    # When a worker last claimed it for sending (status "sending"): a claim older than the
    # longest send is a dead worker's, and the sweep puts the message back in the queue.
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "mensaje enviado"
        verbose_name_plural = "mensajes enviados"
        indexes = [models.Index(fields=["contact", "status", "id"]), models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} → {self.contact}"


class ConversationSession(models.Model):
    """Where a WhatsApp user is in the conversation. One row per contact.

    The row is also the per-customer lock: the engine takes it with select_for_update, so
    one customer's messages are never handled by two workers at once.
    """

    contact = models.OneToOneField(Contact, on_delete=models.CASCADE, related_name="session")
    flow = models.CharField(max_length=64, blank=True)
    step = models.CharField(max_length=64, blank=True)
    # What the current flow has collected; cleared when the flow ends or the session expires.
    data = models.JSONField(default=dict, blank=True)
    misunderstandings = models.PositiveSmallIntegerField(default=0)
    last_activity = models.DateTimeField(null=True, blank=True)
    # Identity validation (multi-factor): the customer this chat is validated as, until when.
    validated_customer = models.ForeignKey(
        "credits.Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    validated_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "sesión de conversación"
        verbose_name_plural = "sesiones de conversación"

    def __str__(self) -> str:
        return f"{self.contact} {self.flow}:{self.step}"


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


# --- Signal wiring -------------------------------------------------------------------------
# Connected here because this module is imported once at startup by every process (web,
# worker, beat); the receivers are thin and hand over to the CSAT and metrics code.

from django.db.models.signals import post_save  # noqa: E402
from django.dispatch import receiver  # noqa: E402

from conversations.signals import flow_resolved  # noqa: E402


@receiver(flow_resolved, dispatch_uid="conversations.flow_resolved.csat_and_metrics")
def _on_flow_resolved(sender, *, contact, flow, message, **kwargs):
    from conversations.flows.csat import NOT_REQUESTS, csat_survey_schedule

    if flow in NOT_REQUESTS:
        return
    ResolvedRequest.objects.create(contact=contact, flow=flow, inbound_message=message)
    csat_survey_schedule(contact=contact, trigger=CsatSurvey.Trigger.FLOW, flow=flow)


@receiver(post_save, sender="escalations.Ticket", dispatch_uid="conversations.ticket_closed.csat")
def _on_ticket_saved(sender, *, instance, update_fields=None, **kwargs):
    # No ticket_closed signal exists yet: a save that sets status=closed is the close.
    if instance.status != "closed" or (update_fields is not None and "status" not in update_fields):
        return
    from conversations.flows.csat import csat_survey_schedule

    csat_survey_schedule(contact=instance.contact, trigger=CsatSurvey.Trigger.TICKET, ticket=instance)
