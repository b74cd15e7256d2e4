"""Habeas Data (Ley 1581 de 2012, Decreto 1377 de 2013): policy versions and consent proof."""

import hashlib

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class PolicyVersion(models.Model):
    """A published version of the Política de Tratamiento de Información (PTI).

    The newest published version is the one in force; publishing a new one makes the
    bot ask every user for consent again.
    """

    version = models.CharField(max_length=32, unique=True)
    # What the bot shows when it asks for authorisation: purpose in plain words.
    consent_text = models.TextField()
    # Where the full PTI can be read.
    policy_url = models.URLField()
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return f"PTI {self.version}"


class ConsentRecord(models.Model):
    """Append-only proof of one answer to the authorisation request (or a revocation)."""

    class Answer(models.TextChoices):
        ACCEPTED = "accepted", "Aceptó"
        DECLINED = "declined", "No aceptó"
        REVOKED = "revoked", "Revocó"

    contact = models.ForeignKey("conversations.Contact", on_delete=models.PROTECT, related_name="consents")
    wa_id = models.CharField(max_length=20)
    policy_version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="records")
    text_shown = models.TextField()
    text_sha256 = models.CharField(max_length=64)
    answer = models.CharField(max_length=16, choices=Answer.choices)
    inbound_message = models.ForeignKey(
        "conversations.InboundMessage", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    wa_message_id = models.CharField(max_length=128)
    # When WhatsApp says the user sent the answer.
    answered_at = models.DateTimeField()
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at"]
        indexes = [models.Index(fields=["contact", "-recorded_at"])]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("Consent records are append-only")
        if not self.text_sha256:
            self.text_sha256 = hashlib.sha256(self.text_shown.encode()).hexdigest()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Consent records are append-only")

    def __str__(self) -> str:
        return f"{self.get_answer_display()} {self.policy_version.version}"
