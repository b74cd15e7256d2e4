"""Escalation tickets: a chat handed to a human advisor, with why and how urgent."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from escalations.audit import AuditAction


class Ticket(models.Model):
    class Reason(models.TextChoices):
        MISUNDERSTOOD = "misunderstood", "No entendido dos veces"
        ASKED_HUMAN = "asked_human", "Pidió un asesor"
        COMPLAINT = "complaint", "Queja o reclamo"
        FRAUD = "fraud", "Fraude"
        RENEWAL = "renewal", "Renovación"
        NEW_APPLICATION = "new_application", "Nueva solicitud"
        LOCKED_VALIDATION = "locked_validation", "Validación bloqueada"
        CONSENT_DECLINED = "consent_declined", "No aceptó el tratamiento de datos"
        PAZ_Y_SALVO_CHECK = "paz_y_salvo_check", "Paz y salvo por verificar"

    class Priority(models.IntegerChoices):
        NORMAL = 2, "Normal"
        HIGH = 1, "Alta"
        URGENT = 0, "Urgente"

    class Status(models.TextChoices):
        OPEN = "open", "Abierto"
        TAKEN = "taken", "En atención"
        CLOSED = "closed", "Cerrado"

    class Outcome(models.TextChoices):
        """How a case ended (tipificación), chosen by whoever closes it; the metrics count them."""

        RESOLVED = "resuelto", "Resuelto"
        NOT_RESOLVED = "no_resuelto", "No resuelto"
        INFORMATIVE = "informativo", "Informativo"
        FRAUD = "fraude", "Fraude"
        COMPLAINT_FOUNDED = "queja_fundada", "Queja fundada"
        COMPLAINT_UNFOUNDED = "queja_infundada", "Queja infundada"
        NO_ANSWER = "sin_respuesta", "El cliente no respondió"
        REFERRED = "remitido", "Remitido a otra área"

    contact = models.ForeignKey(
        "conversations.Contact", verbose_name="contacto", on_delete=models.CASCADE, related_name="tickets"
    )
    customer = models.ForeignKey(
        "credits.Customer",
        verbose_name="cliente",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    reason = models.CharField(verbose_name="motivo", max_length=32, choices=Reason.choices)
    priority = models.IntegerField(verbose_name="prioridad", choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(verbose_name="estado", max_length=16, choices=Status.choices, default=Status.OPEN)
    summary = models.TextField(verbose_name="resumen", blank=True)
    # The last messages before the escalation, frozen for the advisor.
    transcript = models.JSONField(verbose_name="conversación previa", default=list, blank=True)
    # Data the flow collected for the advisor (renewal offer, new-application contact data).
    details = models.JSONField(verbose_name="detalles", default=dict, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="asignado a",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    created_at = models.DateTimeField(verbose_name="creado", default=timezone.now)
    taken_at = models.DateTimeField(verbose_name="tomado", null=True, blank=True)
    last_activity_at = models.DateTimeField(verbose_name="última actividad", default=timezone.now)
    closed_at = models.DateTimeField(verbose_name="cerrado", null=True, blank=True)
    # Empty for tickets closed before outcomes existed, or closed by the system.
    outcome = models.CharField(verbose_name="tipificación", max_length=20, choices=Outcome.choices, blank=True)
    # When the holder last had the chat open: customer messages after it are unread.
    holder_seen_at = models.DateTimeField(verbose_name="leído por el asesor", null=True, blank=True)

    class Meta:
        verbose_name = "ticket"
        verbose_name_plural = "tickets"
        ordering = ["priority", "created_at"]
        indexes = [models.Index(fields=["status", "priority", "created_at"])]
        # What the back-office roles (escalations/roles.py) are made of, beyond view/change.
        permissions = [
            ("take_ticket", "Puede tomar tickets y responder al cliente"),
            ("assign_ticket", "Puede reasignar tickets a otro asesor"),
            ("view_full_personal_data", "Puede ver cédulas y teléfonos completos"),
            ("view_all_documents", "Puede descargar documentos de cualquier chat"),
            ("view_all_chats", "Puede leer los chats de cualquier cliente"),
            ("view_metrics", "Puede ver las métricas de atención"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_reason_display()}"


class TicketNote(models.Model):
    """A private note on a case, for staff only: never sent to the customer. Append-only."""

    ticket = models.ForeignKey(Ticket, verbose_name="ticket", on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="autor", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(verbose_name="nota")
    created_at = models.DateTimeField(verbose_name="fecha", default=timezone.now)

    class Meta:
        verbose_name = "nota interna"
        verbose_name_plural = "notas internas"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Nota #{self.pk} del caso #{self.ticket_id}"


class SavedReply(models.Model):
    """A "respuesta rápida": text advisors insert by typing / and its shortcut; supervisors keep them.

    The text may hold placeholders (escalations.saved_replies.PLACEHOLDERS), filled per case.
    """

    shortcut = models.SlugField(
        verbose_name="atajo",
        max_length=40,
        unique=True,
        allow_unicode=True,
        help_text="Lo que el asesor escribe después de / para encontrarla, p. ej. saludo.",
    )
    title = models.CharField(verbose_name="título", max_length=80)
    text = models.TextField(verbose_name="texto")
    active = models.BooleanField(verbose_name="activa", default=True)
    updated_at = models.DateTimeField(verbose_name="actualizada", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="actualizada por",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "respuesta rápida"
        verbose_name_plural = "respuestas rápidas"
        ordering = ["shortcut"]

    def __str__(self) -> str:
        return f"/{self.shortcut} · {self.title}"


class AuditEntry(models.Model):
    """One look at (or action on) a customer's personal data by staff. Append-only.

    Written by escalations.services.audit_record from the admin views; nobody may change
    or delete entries, not even from the admin.
    """

    Action = AuditAction

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="usuario", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept even if the account is later deleted.
    username = models.CharField(verbose_name="usuario", max_length=150)
    action = models.CharField(verbose_name="acción", max_length=32, choices=Action.choices)
    object_type = models.CharField(verbose_name="tipo de objeto", max_length=64)
    object_id = models.CharField(verbose_name="id del objeto", max_length=64)
    # The personal data shown or handled ("cedula", "phone", "messages", ...), with
    # whether it was shown in full or masked.
    fields = models.JSONField(verbose_name="datos vistos", default=list, blank=True)
    at = models.DateTimeField(verbose_name="fecha", default=timezone.now, db_index=True)
    ip = models.GenericIPAddressField(verbose_name="IP", null=True, blank=True)

    class Meta:
        verbose_name = "registro de auditoría"
        # The admin index names the whole log, not its entries.
        verbose_name_plural = "registro de auditoría"
        ordering = ["-at"]
        indexes = [models.Index(fields=["object_type", "object_id", "-at"]), models.Index(fields=["user", "-at"])]

    def __str__(self) -> str:
        return f"{self.username} {self.get_action_display()} {self.object_type}#{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit entries are append-only")
