"""Escalation tickets: a chat handed to a human advisor, with why and how urgent."""

from django.conf import settings
from django.db import models
from django.utils import timezone


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

    class Priority(models.IntegerChoices):
        NORMAL = 2, "Normal"
        HIGH = 1, "Alta"
        URGENT = 0, "Urgente"

    class Status(models.TextChoices):
        OPEN = "open", "Abierto"
        TAKEN = "taken", "En atención"
        CLOSED = "closed", "Cerrado"

    contact = models.ForeignKey("conversations.Contact", on_delete=models.CASCADE, related_name="tickets")
    customer = models.ForeignKey(
        "credits.Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets"
    )
    reason = models.CharField(max_length=32, choices=Reason.choices)
    priority = models.IntegerField(choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    summary = models.TextField(blank=True)
    # The last messages before the escalation, frozen for the advisor.
    transcript = models.JSONField(default=list, blank=True)
    # Data the flow collected for the advisor (renewal offer, new-application contact data).
    details = models.JSONField(default=dict, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets"
    )
    created_at = models.DateTimeField(default=timezone.now)
    taken_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["priority", "created_at"]
        indexes = [models.Index(fields=["status", "priority", "created_at"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_reason_display()}"
