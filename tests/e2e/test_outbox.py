"""The outbox: replies go out in order; a scheduled proactive message holds nothing back."""

from datetime import timedelta

from django.utils import timezone

from conversations import whatsapp
from conversations.models import Contact, OutboundMessage
from conversations.services import outbound_queue
from tests.support import texts


def test_a_scheduled_notice_does_not_hold_back_replies(consented_chat, standin):
    ana = consented_chat()
    contact = Contact.objects.get(wa_id=ana.wa_id)
    later = timezone.now() + timedelta(hours=8)
    outbound_queue(contact=contact, body=whatsapp.text_body("Aviso programado"), preview="Aviso programado",
                   sender="system", not_before=later)

    replies = ana.says("hola")
    assert "Asistente Virtual" in texts(replies)
    assert "Aviso programado" not in texts(replies)
    notice = OutboundMessage.objects.get(preview="Aviso programado")
    assert notice.status == OutboundMessage.Status.QUEUED and notice.not_before == later
