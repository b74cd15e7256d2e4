"""Advisors read only the chats of the tickets they hold: the ticket's chat page, its polling
JSON and the message admin, through the real admin with staff logged in with their TOTP."""

import pytest
from django.utils import timezone

from conversations.models import Contact, InboundMessage, OutboundMessage
from escalations.models import AuditEntry, Ticket

pytestmark = pytest.mark.django_db


# --- The message admin ----------------------------------------------------------------------------


def _chat(wa_id: str) -> tuple[Contact, InboundMessage, OutboundMessage]:
    contact = Contact.objects.create(wa_id=wa_id, last_inbound_at=timezone.now())
    inbound = InboundMessage.objects.create(
        wa_message_id=f"wamid.{wa_id}",
        contact=contact,
        type="text",
        text="hola, necesito ayuda",
        sent_at=timezone.now(),
    )
    outbound = OutboundMessage.objects.create(contact=contact, kind="text", preview="Con gusto te ayudo.")
    return contact, inbound, outbound


def test_an_advisor_lists_and_opens_only_the_messages_of_the_chats_they_hold(logged_in):
    mine, my_in, my_out = _chat("573000000001")
    _, other_in, other_out = _chat("573000000002")
    advisor = logged_in("Asesor")
    Ticket.objects.create(
        contact=mine, reason=Ticket.Reason.ASKED_HUMAN, status=Ticket.Status.TAKEN, assigned_to=advisor.staff.user
    )
    # An open ticket on the other chat is not enough: nobody holds it.
    Ticket.objects.create(contact=other_in.contact, reason=Ticket.Reason.ASKED_HUMAN)

    for model, own, others in (("inboundmessage", my_in, other_in), ("outboundmessage", my_out, other_out)):
        listing = advisor.get(f"/admin/conversations/{model}/").content.decode()
        assert f"/{model}/{own.pk}/change/" in listing and f"/{model}/{others.pk}/change/" not in listing
        assert advisor.get(f"/admin/conversations/{model}/{own.pk}/change/").status_code == 200
        assert advisor.get(f"/admin/conversations/{model}/{others.pk}/change/").status_code == 404

    # An advisor who holds nothing lists nothing.
    idle = logged_in("Asesor")
    assert (
        f"/inboundmessage/{my_in.pk}/change/" not in idle.get("/admin/conversations/inboundmessage/").content.decode()
    )
    assert idle.get(f"/admin/conversations/inboundmessage/{my_in.pk}/change/").status_code == 404

    # Supervisors and compliance read every chat.
    for role in ("Supervisor", "Cumplimiento"):
        reader = logged_in(role)
        assert reader.get(f"/admin/conversations/inboundmessage/{other_in.pk}/change/").status_code == 200
        listing = reader.get("/admin/conversations/outboundmessage/").content.decode()
        assert f"/outboundmessage/{my_out.pk}/change/" in listing and f"/outboundmessage/{other_out.pk}/" in listing


def test_listing_messages_is_written_to_the_audit_log(logged_in):
    _chat("573000000001")
    boss = logged_in("Supervisor")
    boss.get("/admin/conversations/inboundmessage/?status__exact=pending")
    entry = AuditEntry.objects.get(action="view_message_list")
    assert entry.user == boss.staff.user and entry.object_type == "conversations.inboundmessage"
    assert "1 en la lista" in entry.fields and "filtros: status__exact=pending" in entry.fields
    boss.get("/admin/conversations/outboundmessage/")
    assert AuditEntry.objects.filter(action="view_message_list", object_type="conversations.outboundmessage").exists()


# --- The ticket's chat page -------------------------------------------------------------------------


def test_an_advisor_reads_the_chat_only_of_a_ticket_they_hold(logged_in):
    contact, inbound, _ = _chat("573000000001")
    ticket = Ticket.objects.create(contact=contact, reason=Ticket.Reason.ASKED_HUMAN)
    laura, luis = logged_in("Asesor"), logged_in("Asesor")

    page = laura.get(f"/admin/escalations/ticket/{ticket.pk}/chat/").content.decode()
    assert 'id="messages"' not in page and "solo la ve quien atiende el caso" in page
    assert laura.get(f"/admin/escalations/ticket/{ticket.pk}/chat/messages/").json()["messages"] == []
    assert "mensajes" not in AuditEntry.objects.get(action="view_chat", user=laura.staff.user).fields

    laura.post(f"/admin/escalations/ticket/{ticket.pk}/take/")
    payload = laura.get(f"/admin/escalations/ticket/{ticket.pk}/chat/messages/").json()
    assert inbound.text in [m["text"] for m in payload["messages"]]
    # Now someone else's: luis sees the case, not the conversation.
    assert luis.get(f"/admin/escalations/ticket/{ticket.pk}/chat/messages/").json()["messages"] == []
    assert (
        'id="messages"' in logged_in("Supervisor").get(f"/admin/escalations/ticket/{ticket.pk}/chat/").content.decode()
    )
