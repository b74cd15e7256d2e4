"""A new WhatsApp user meets the bot: consent first, then the welcome and the menu."""

from conversations.models import InboundMessage
from tests.support import texts


def test_first_message_asks_for_consent_then_shows_the_menu(chat):
    ana = chat()
    replies = ana.says("Hola buenas tardes")
    assert len(replies) == 1
    assert "autorización" in texts(replies)
    assert set(ana.offered()) == {"consent_accept", "consent_decline"}

    replies = ana.taps("consent_accept")
    body = texts(replies)
    assert "¿En qué te puedo ayudar?" in body  # the consent question already greeted
    menu = ana.offered()
    assert list(menu) == [
        "saldo",
        "estado_solicitud",
        "paz_y_salvo",
        "renovacion",
        "nuevo_credito",
        "asesor",
        "privacidad",
    ]
    assert all(m.status == InboundMessage.Status.PROCESSED for m in InboundMessage.objects.all())
