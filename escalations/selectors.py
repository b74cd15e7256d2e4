"""Reads about escalation tickets."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, F, IntegerField, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from conversations.messaging.models import InboundMessage, OutboundMessage
from escalations.models import AuditEntry, SavedReply, Ticket, TicketNote

# The sender of inbound messages in contact_conversation (outbound ones carry OutboundMessage.Sender).
CUSTOMER = "customer"


def contact_ticket_open(*, contact) -> Ticket | None:
    return Ticket.objects.filter(contact=contact).exclude(status=Ticket.Status.CLOSED).order_by("-created_at").first()


def contact_ticket_held(*, contact) -> Ticket | None:
    """The ticket an advisor is working on for this chat; while it exists the bot is quiet."""
    return Ticket.objects.filter(contact=contact, status=Ticket.Status.TAKEN).order_by("-created_at").first()


def ticket_queue_position(*, ticket: Ticket) -> int | None:
    """1 for the next ticket advisors will take; None once taken or closed.

    Ahead of it: open, untaken tickets more urgent, or as urgent and older.
    """
    if ticket.status != Ticket.Status.OPEN:
        return None
    ahead = (
        Ticket.objects.filter(status=Ticket.Status.OPEN)
        .filter(
            Q(priority__lt=ticket.priority)
            | Q(priority=ticket.priority, created_at__lt=ticket.created_at)
            | Q(priority=ticket.priority, created_at=ticket.created_at, pk__lt=ticket.pk)
        )
        .count()
    )
    return ahead + 1


def tickets_waiting_by_priority() -> dict[int, tuple[int, object]]:
    """Open tickets nobody has taken yet, by priority: (how many, when the oldest was opened)."""
    rows = (
        Ticket.objects.filter(status=Ticket.Status.OPEN)
        .values("priority")
        .annotate(count=Count("id"), oldest=Min("created_at"))
        .order_by()
    )
    return {row["priority"]: (row["count"], row["oldest"]) for row in rows}


def tickets_waiting_count() -> int:
    """Open tickets nobody has taken yet (the advisors' badge)."""
    return Ticket.objects.filter(status=Ticket.Status.OPEN).count()


def ticket_stale_cutoff(*, now=None):
    return (now or timezone.now()) - timedelta(minutes=settings.TICKET_STALE_MINUTES)


def ticket_is_stale(*, ticket: Ticket, now=None) -> bool:
    return ticket.status != Ticket.Status.CLOSED and ticket.last_activity_at < ticket_stale_cutoff(now=now)


def tickets_stale(*, now=None):
    """Active tickets with no staff activity for TICKET_STALE_MINUTES."""
    return Ticket.objects.exclude(status=Ticket.Status.CLOSED).filter(
        last_activity_at__lt=ticket_stale_cutoff(now=now)
    )


def contact_conversation(*, contact, limit: int = 300) -> list[dict]:
    """The chat, both directions, oldest first, for the advisor's page (newest `limit`).

    Each customer message carries ``answering``: what the bot replied to the customer's
    previous message, i.e. the question this one answers (escalations.privacy hides the
    answers to identity questions).
    """
    inbound = list(
        InboundMessage.objects.filter(contact=contact).select_related("document").order_by("-sent_at", "-id")[:limit]
    )
    outbound = list(
        OutboundMessage.objects.filter(contact=contact)
        .select_related("staff_user", "document")
        .order_by("-created_at", "-id")[:limit]
    )
    replies: dict[int, list[str]] = {}
    for m in sorted(outbound, key=lambda m: (m.created_at, m.pk)):
        if m.in_reply_to_id and m.sender == OutboundMessage.Sender.BOT:
            replies.setdefault(m.in_reply_to_id, []).append(m.preview)
    items = []
    previous = None
    for m in reversed(inbound):  # oldest first, to know each one's previous message
        document = getattr(m, "document", None)
        items.append(
            {
                "id": f"in-{m.pk}",
                "at": m.sent_at,
                "direction": "in",
                "sender": CUSTOMER,
                "staff": "",
                "type": m.type,
                "text": m.text,
                "answering": "\n".join(replies.get(previous, [])) if previous else "",
                "status": m.status,
                "error": m.last_error if m.status == InboundMessage.Status.FAILED else "",
                "document": document,
            }
        )
        previous = m.pk
    for m in outbound:
        items.append(
            {
                "id": f"out-{m.pk}",
                "at": m.created_at,
                "direction": "out",
                "sender": m.sender,
                "staff": m.staff_user.get_full_name() or m.staff_user.get_username() if m.staff_user else "",
                "type": m.kind,
                "text": m.preview,
                "answering": "",
                "status": m.status,
                "error": (
                    f"{m.error_code or ''} {m.error_title}".strip()
                    if m.status == OutboundMessage.Status.FAILED
                    else ""
                ),
                "document": m.document,
            }
        )
    items.sort(key=lambda item: item["at"])
    return items[-limit:]


def message_answering(*, message: InboundMessage) -> str:
    """What the bot replied to the customer's message before this one: the question it answers."""
    previous = (
        InboundMessage.objects.filter(contact_id=message.contact_id)
        .filter(Q(sent_at__lt=message.sent_at) | Q(sent_at=message.sent_at, pk__lt=message.pk))
        .order_by("-sent_at", "-id")
        .values_list("pk", flat=True)
        .first()
    )
    if previous is None:
        return ""
    replies = OutboundMessage.objects.filter(in_reply_to_id=previous, sender=OutboundMessage.Sender.BOT)
    return "\n".join(replies.order_by("created_at", "id").values_list("preview", flat=True))


def contact_ticket_ids(*, contact) -> list[int]:
    return list(Ticket.objects.filter(contact=contact).values_list("pk", flat=True))


def tickets_held_by(*, user):
    """The tickets this staff member is working on (taken and assigned to them)."""
    return Ticket.objects.filter(status=Ticket.Status.TAKEN, assigned_to=user)


def chat_view_audited_since(*, user, ticket: Ticket, since) -> bool:
    """Whether this user's look at the ticket's chat is already in the audit log since `since`."""
    return AuditEntry.objects.filter(
        user=user,
        action=AuditEntry.Action.VIEW_CHAT,
        object_type=ticket._meta.label_lower,
        object_id=str(ticket.pk),
        at__gte=since,
    ).exists()


def advisors_available():
    """Active staff who may take tickets (directly, through a role, or superusers)."""
    can_take = (
        Q(groups__permissions__codename="take_ticket")
        | Q(user_permissions__codename="take_ticket")
        | Q(is_superuser=True)
    )
    staff = get_user_model().objects.filter(is_active=True, is_staff=True)
    return staff.filter(can_take).distinct().order_by("username")


# --- The advisors' workspace ----------------------------------------------------------------------


def _last_inbound_at():
    return Subquery(
        InboundMessage.objects.filter(contact=OuterRef("contact")).order_by("-sent_at").values("sent_at")[:1]
    )


def _last_staff_reply_at():
    return Subquery(
        OutboundMessage.objects.filter(contact=OuterRef("contact"), sender=OutboundMessage.Sender.ADVISOR)
        .order_by("-created_at")
        .values("created_at")[:1]
    )


def _unread_count():
    """Customer messages since the holder last had the chat open (since the ticket opened, if never)."""
    return Coalesce(
        Subquery(
            InboundMessage.objects.filter(contact=OuterRef("contact"))
            .filter(
                sent_at__gt=Greatest(
                    Coalesce(OuterRef("holder_seen_at"), OuterRef("created_at")), OuterRef("created_at")
                )
            )
            .order_by()
            .values("contact")
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def workspace_queue(*, user, everyone: bool = False):
    """Active tickets for the inbox's queue, most urgent and oldest first, each annotated with
    ``unread`` (customer messages the holder has not seen), ``last_inbound_at`` and
    ``last_reply_at`` (the last advisor message). An advisor's queue is theirs plus the
    unassigned ones; ``everyone`` (supervisors) adds those other advisors hold."""
    tickets = Ticket.objects.exclude(status=Ticket.Status.CLOSED)
    if not everyone:
        tickets = tickets.filter(Q(status=Ticket.Status.OPEN) | Q(assigned_to=user))
    return (
        tickets.select_related("contact", "customer", "assigned_to")
        .annotate(unread=_unread_count(), last_inbound_at=_last_inbound_at(), last_reply_at=_last_staff_reply_at())
        .order_by("priority", "created_at", "id")
    )


def tickets_search(*, query: str, customer_ids=(), wa_ids=(), limit: int = 30):
    """Tickets of any status matching a case number ("#12" or "12"), the customers in
    ``customer_ids`` (found by cédula), the WhatsApp numbers in ``wa_ids`` (found by phone), or
    a name (customer's or WhatsApp profile's), newest first."""
    query = (query or "").strip()
    match = Q(customer_id__in=list(customer_ids)) | Q(contact__wa_id__in=list(wa_ids))
    number = query.lstrip("#")
    if number.isdigit() and len(number) <= 9:
        match |= Q(pk=int(number))
    words = [word for word in query.split()[:4] if any(ch.isalpha() for ch in word)]
    if words and len(query) >= 3:
        by_name = Q()
        for word in words:
            by_name &= Q(customer__full_name__icontains=word) | Q(contact__profile_name__icontains=word)
        match |= by_name
    return (
        Ticket.objects.filter(match)
        .select_related("contact", "customer", "assigned_to")
        .annotate(unread=_unread_count(), last_inbound_at=_last_inbound_at(), last_reply_at=_last_staff_reply_at())
        .order_by("-created_at", "-id")[:limit]
    )


def contact_tickets_previous(*, ticket: Ticket, limit: int = 10):
    """The chat's (and the customer's) earlier tickets, newest first, for the customer panel."""
    same = Q(contact_id=ticket.contact_id)
    if ticket.customer_id:
        same |= Q(customer_id=ticket.customer_id)
    return (
        Ticket.objects.filter(same)
        .exclude(pk=ticket.pk)
        .select_related("assigned_to")
        .order_by("-created_at", "-id")[:limit]
    )


def ticket_notes(*, ticket: Ticket):
    return TicketNote.objects.filter(ticket=ticket).select_related("author").order_by("created_at", "id")


def saved_replies_active():
    return SavedReply.objects.filter(active=True).order_by("shortcut")


def advisors_load():
    """Every advisor with the tickets they hold (``held``), the oldest taken first: the supervisor's view."""
    held = Q(tickets__status=Ticket.Status.TAKEN)
    return advisors_available().annotate(
        held=Count("tickets", filter=held, distinct=True),
        oldest_taken=Min("tickets__taken_at", filter=held),
    )


def tickets_held():
    """Taken tickets, by holder then age (who holds what)."""
    return (
        Ticket.objects.filter(status=Ticket.Status.TAKEN)
        .select_related("assigned_to", "contact", "customer")
        .annotate(unread=_unread_count(), last_inbound_at=_last_inbound_at(), last_reply_at=_last_staff_reply_at())
        .order_by(F("assigned_to__first_name").asc(nulls_last=True), "assigned_to__username", "taken_at", "id")
    )


def outcomes_count(*, since):
    """Tickets closed since ``since`` by outcome (tipificación), most frequent first; "" = without one."""
    return list(
        Ticket.objects.filter(status=Ticket.Status.CLOSED, closed_at__gte=since)
        .values("outcome")
        .annotate(count=Count("pk"))
        .order_by("-count", "outcome")
    )


def renewal_tickets_since(*, since):
    """Renewal requests (tickets of reason renewal) opened since `since`, oldest first."""
    return (
        Ticket.objects.filter(reason=Ticket.Reason.RENEWAL, created_at__gte=since)
        .select_related("contact", "customer")
        .order_by("created_at", "pk")
    )


def renewal_ticket(*, ticket_id: int) -> Ticket | None:
    return (
        Ticket.objects.filter(pk=ticket_id, reason=Ticket.Reason.RENEWAL).select_related("contact", "customer").first()
    )
