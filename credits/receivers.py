"""Signal receivers of the credits app (connected in CreditsConfig.ready)."""

from django.dispatch import receiver

from escalations.signals import ticket_opened


@receiver(ticket_opened, dispatch_uid="credits.link_ticket_documents")
def link_ticket_documents(sender, ticket, **kwargs) -> None:
    """Attach the documents a renewal or new application collected to its ticket.

    The flows list the ids in the ticket's details; only the chat's own uploads are linked.
    """
    from documents.models import Document

    ids = [pk for pk in (ticket.details or {}).get("documents", []) if isinstance(pk, int)]
    if not ids:
        return
    fields = {"ticket": ticket}
    if ticket.customer_id:
        fields["customer"] = ticket.customer
    Document.objects.filter(pk__in=ids, contact=ticket.contact, kind=Document.Kind.UPLOAD, ticket__isnull=True).update(**fields)
