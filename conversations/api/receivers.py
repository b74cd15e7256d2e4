"""New leads to the CRM as they appear: a "Nuevo crédito" application (saved by the bot's
applier) or a renewal ticket (escalations' ticket_opened); a client key's cached row is
forgotten as soon as the key changes."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from credits.models import Application
from escalations.signals import ticket_opened

from .access import client_key_forget
from .leads import NEW_CREDIT, RENEWAL, lead_delivery_schedule
from .models import ClientKey


@receiver(post_save, sender=Application, dispatch_uid="api.new_credit_lead")
def _on_application_saved(sender, *, instance, created, **kwargs) -> None:
    if created and instance.origin == Application.Origin.WHATSAPP:
        lead_delivery_schedule(lead=f"{NEW_CREDIT}:{instance.number}")


@receiver(ticket_opened, dispatch_uid="api.renewal_lead")
def _on_ticket_opened(sender, ticket, **kwargs) -> None:
    if ticket.reason == "renewal":
        lead_delivery_schedule(lead=f"{RENEWAL}:{ticket.pk}")


@receiver(post_save, sender=ClientKey, dispatch_uid="api.key_saved")
@receiver(post_delete, sender=ClientKey, dispatch_uid="api.key_deleted")
def _on_key_changed(sender, *, instance, **kwargs) -> None:
    client_key_forget(prefix=instance.prefix)
