"""Signal receivers of the bot (connected in ConversationsConfig.ready): the bot is the layer
that reacts to what the domain apps announce and ties them together."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from consent.signals import personal_data_erase
from conversations.bot.csat import NOT_REQUESTS, csat_survey_schedule
from conversations.bot.models import CsatSurvey, ResolvedRequest
from conversations.bot.signals import flow_resolved
from documents.services import documents_link_ticket
from escalations.models import Ticket
from escalations.signals import ticket_opened


@receiver(flow_resolved, dispatch_uid="conversations.flow_resolved.csat_and_metrics")
def _on_flow_resolved(sender, *, contact, flow, message, **kwargs):
    if flow in NOT_REQUESTS:
        return
    ResolvedRequest.objects.create(contact=contact, flow=flow, inbound_message=message)
    csat_survey_schedule(contact=contact, trigger=CsatSurvey.Trigger.FLOW, flow=flow)


@receiver(post_save, sender=Ticket, dispatch_uid="conversations.ticket_closed.csat")
def _on_ticket_saved(sender, *, instance, update_fields=None, **kwargs):
    # A save that sets status=closed is the close.
    if instance.status != Ticket.Status.CLOSED or (update_fields is not None and "status" not in update_fields):
        return
    csat_survey_schedule(contact=instance.contact, trigger=CsatSurvey.Trigger.TICKET, ticket=instance)


@receiver(ticket_opened, dispatch_uid="conversations.ticket_opened.link_documents")
def _on_ticket_opened(sender, ticket, **kwargs) -> None:
    """Attach the documents a renewal or new application collected to its ticket.

    The flows list the ids in the ticket's details; only the chat's own uploads are linked.
    """
    ids = [pk for pk in (ticket.details or {}).get("documents", []) if isinstance(pk, int)]
    if ids:
        documents_link_ticket(document_ids=ids, ticket=ticket)


@receiver(personal_data_erase, dispatch_uid="conversations.personal_data_erase.surveys")
def _on_personal_data_erase(sender, *, contact, **kwargs) -> int:
    """Survey comments are what the customer wrote: emptied; ratings stay (content-free)."""
    return CsatSurvey.objects.filter(contact=contact).exclude(comment="").update(comment="")
