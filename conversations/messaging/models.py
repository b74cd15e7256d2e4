"""Messaging: WhatsApp users, the messages they exchange with ProAlto, and the per-contact session row
(the lock every worker takes, and where the chat stands)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from proalto.masking import mask_bsuid, mask_phone


class Contact(models.Model):
    """A WhatsApp user: up to three identifiers, at least one of the first two.

    - ``wa_id``: the phone number in E.164 digits, when Meta shares it (a user who adopted a
      username may write without it);
    - ``bsuid``: the business-scoped user ID Meta gives every user (e.g. "CO.1349120865530274"),
      new when the user changes number;
    - ``username``: display only, may change any time.
    A message is matched to a contact by phone or BSUID (conversations.messaging.ingest).
    """

    wa_id = models.CharField(verbose_name="WhatsApp (teléfono)", max_length=20, unique=True, null=True, blank=True)
    bsuid = models.CharField(
        verbose_name="identificador de WhatsApp (BSUID)", max_length=160, unique=True, null=True, blank=True
    )
    parent_bsuid = models.CharField(verbose_name="BSUID principal", max_length=160, blank=True)
    username = models.CharField(verbose_name="usuario de WhatsApp", max_length=100, blank=True)
    profile_name = models.CharField(verbose_name="nombre en el perfil", max_length=200, blank=True)
    created_at = models.DateTimeField(verbose_name="creado", default=timezone.now)
    # Start of Meta's 24-hour customer-service window.
    last_inbound_at = models.DateTimeField(verbose_name="último mensaje recibido", null=True, blank=True)
    # When the WhatsApp account behind the chat last changed (a new number, a new BSUID for the
    # number): an identity validated before it no longer holds (a SIM swap is a reason to ask again).
    identity_changed_at = models.DateTimeField(verbose_name="cambio de número", null=True, blank=True)

    class Meta:
        verbose_name = "contacto de WhatsApp"
        verbose_name_plural = "contactos de WhatsApp"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(wa_id__isnull=False) | models.Q(bsuid__isnull=False),
                name="contact_has_an_identifier",
            )
        ]

    def __str__(self) -> str:
        return self.masked

    @property
    def masked(self) -> str:
        """How logs and screens name the contact without revealing it: the masked phone, else
        the masked BSUID."""
        return mask_phone(self.wa_id) if self.wa_id else mask_bsuid(self.bsuid)

    @property
    def identifier(self) -> str:
        """The phone when known, else the BSUID: what counters and proofs are keyed by."""
        return self.wa_id or self.bsuid or ""

    @property
    def address(self) -> dict:
        """How the Cloud API reaches the contact: by phone when known (Meta recommends it), else by BSUID."""
        return {"to": self.wa_id} if self.wa_id else {"recipient": self.bsuid}

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
    staff_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="asesor", null=True, blank=True, on_delete=models.SET_NULL
    )
    kind = models.CharField(verbose_name="tipo", max_length=32)
    # Human-readable text of what was sent (transcripts, back office).
    preview = models.TextField(verbose_name="texto", blank=True)
    # The Cloud API request body, without messaging_product/to (added at send time).
    body = models.JSONField(default=dict)
    document = models.ForeignKey(
        "documents.Document",
        verbose_name="documento",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outbound",
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
    # When a worker last claimed (or renewed its claim on) it for sending, and which worker
    # process ("host:pid"): a claim whose process is gone, or older than the lease, is a dead
    # worker's and goes back to the queue (conversations.messaging.lock.claim_is_dead).
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=100, blank=True)

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
    # When the identity was validated (compared with the contact's identity_changed_at).
    validated_at = models.DateTimeField(null=True, blank=True)
    # A worker is preparing this contact's messages before the lock (downloading a file,
    # asking the LLM) until then; others leave the contact to it meanwhile.
    preparing_until = models.DateTimeField(null=True, blank=True)
    preparing_by = models.CharField(max_length=100, blank=True)  # the worker process ("host:pid")

    class Meta:
        verbose_name = "sesión de conversación"
        verbose_name_plural = "sesiones de conversación"

    def __str__(self) -> str:
        return f"{self.contact} {self.flow}:{self.step}"
