"""New leads to the CRM as they appear: a "Nuevo crédito" application (saved by the bot's
applier) or a renewal ticket (escalations' ticket_opened)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from credits.models import Application
from escalations.signals import ticket_opened

from .leads import NEW_CREDIT, RENEWAL, lead_delivery_schedule


@receiver(post_save, sender=Application, dispatch_uid="api.new_credit_lead")
def _on_application_saved(sender, *, instance, created, **kwargs) -> None:
    if created and instance.origin == Application.Origin.WHATSAPP:
        lead_delivery_schedule(lead=f"{NEW_CREDIT}:{instance.number}")


@receiver(ticket_opened, dispatch_uid="api.renewal_lead")
def _on_ticket_opened(sender, ticket, **kwargs) -> None:
    if ticket.reason == "renewal":
        lead_delivery_schedule(lead=f"{RENEWAL}:{ticket.pk}")
